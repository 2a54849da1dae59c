//! Real response bodies decode through the generated types as the services
//! send them, quirks included.
//!
//! The LCM bodies are the examples of the LCM import seed document. Its printed
//! examples also carry typesetting slips that no server sends and no JSON
//! parser accepts (an unescaped `"` inside a string, an unquoted href, a stray
//! closing brace); those are mended here. The real quirks are kept: `items`
//! and `data` null, an empty `destination`, a `Job Status` link whose action
//! says POST, links whose query spells `msgType`, and an item that repeats
//! the `msgCategory` key.
//!
//! The PowerStore and ViPR bodies carry the drift between spec and server that
//! `../shared/facts/protocols.md` ("Drift between the specs and real bodies")
//! records: a job's `response_body.id` as the integer `0`, a job body without
//! its discriminator (read by its shape), `state: "Ok"` for the enum's `OK`, and ViPR's numbers and
//! booleans sent as strings. The runtime's tolerant reader
//! (`migrate_runtime::lenient`) takes them; what it cannot read is still an
//! error that names the field and the value.

use migrate_clients::lcm::types::{MigrationDetailsResponse, MigrationJobResponse};
use migrate_clients::powerstore::types::{
    BaseResponse, JobInstance, JobPhaseEnum, RemoteSystemInstance, RemoteSystemStateEnum,
};
use migrate_clients::vipr::types::{Task, VolumeGroupFullCopyCreate};
use migrate_runtime::{Error, HeaderMap, RawResponse, StringEnum};

fn decode<T: serde::de::DeserializeOwned>(body: &str) -> T {
    RawResponse::new(200, HeaderMap::new(), body.to_string())
        .json::<T, serde_json::Value>()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_body()
}

#[test]
fn job_in_progress_decodes() {
    let job: MigrationJobResponse = decode(
        r#"{"details":null,"status":-1,"links":[
            {"data":null,"action":"POST","rel":"self","href":"https://h/interop/rest/11.1.2.3.600/applicationsnapshots/ss2/migration?q={type:\"import\"}"},
            {"data":null,"action":"POST","rel":"Job Status","href":"https://h/interop/rest/11.1.2.3.600/applicationsnapshots/ss2/migration/2"}]}"#,
    );
    assert_eq!(job.status, Some(-1));
    assert!(job.items.is_none());
    let links = job.links.expect("links");
    assert_eq!(links[1].rel.as_deref(), Some("Job Status"));
    assert_eq!(links[1].action.as_deref(), Some("POST"));
}

#[test]
fn job_completed_with_errors_decodes() {
    let job: MigrationJobResponse = decode(
        r#"{"status":1,"items":[
            {"source":"/Nasdaq/HSS-Shared Services","name":"Task Information","destination":"Shared Services",
             "links":[{"data":null,"action":"GET","rel":"Job Details","href":"https://h/interop/rest/11.1.2.3.600/applicationsnapshots/ss2/migration/1/0/details?limit=25&offset=0&msgtype=error"}]},
            {"source":"/Artifact Snapshot/HP-SS2","name":"Task Information","destination":"",
             "links":[{"data":null,"action":"GET","rel":"Job Details","href":"https://h/interop/rest/11.1.2.3.600/applicationsnapshots/ss2/migration/1/1/details?limit=25&offset=0&msgtype=error"}]}],
          "details":null,
          "links":[{"data":null,"action":"POST","rel":"self","href":"https://h/interop/rest/11.1.2.3.600/applicationsnapshots/ss2/migration/1"}]}"#,
    );
    assert_eq!(job.status, Some(1));
    let items = job.items.expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].destination.as_deref(), Some(""));
    assert_eq!(
        items[0].links.as_ref().expect("links")[0].rel.as_deref(),
        Some("Job Details")
    );
}

#[test]
fn details_page_with_a_repeated_key_decodes() {
    let page: MigrationDetailsResponse = decode(
        r#"{"status":0,"items":[
            {"msgType":"error","artifact":"/Native Directory/Groups","msgText":"EPMIE-00069: Failed to find user during group children import. User user0026 not found.",
             "msgCategory":"14000: Error reported.","msgCategory":"14000: Error reported."},
            {"msgType":"error","artifact":"/Native Directory/Groups","msgText":"EPMIE-00069: Failed to find user during group children import. User user0025 not found.",
             "msgCategory":"14000: Error reported."}],
          "details":null,
          "links":[{"data":null,"action":"GET","rel":"self","href":"https://h/interop/rest/11.1.2.3.600/applicationsnapshots/ss2/migration/1/0/details?limit=2&msgtype=error&offset=25"},
                   {"data":null,"action":"GET","rel":"next","href":"https://h/interop/rest/11.1.2.3.600/applicationsnapshots/ss2/migration/1/0/details?limit=2&offset=27&msgType=error"},
                   {"data":null,"action":"GET","rel":"prev","href":"https://h/rest/11.1.2.3.600/applicationsnapshots/ss2/migration/1/0/details?limit=2&offset=23&msgType=error"}]}"#,
    );
    let items = page.items.expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0].msg_category.as_deref(),
        Some("14000: Error reported.")
    );
    assert!(items[1]
        .msg_text
        .as_deref()
        .is_some_and(|t| t.contains("user0025")));
    let next = page
        .links
        .expect("links")
        .into_iter()
        .find(|l| l.rel.as_deref() == Some("next"))
        .expect("a next link");
    assert!(next
        .href
        .as_deref()
        .is_some_and(|h| h.contains("offset=27")));
}

#[test]
fn powerstore_job_whose_created_id_is_the_integer_0_decodes() {
    // The vendor's own documentation sample of a cluster-create job answers
    // `response_body.id` with an integer where `create_response.id` is a string.
    let job: JobInstance = decode(
        r#"{"id":"d5b2e5a5-6e55-4b07-8c4b-f8e0d1a1f3a2","resource_action":"create",
            "resource_type":"cluster","description_l10n":"Create cluster",
            "state":"COMPLETED","phase":"Completed","progress_percentage":100,
            "response_status":"201",
            "response_body":{"id":0,"response_type":"job_create_response"}}"#,
    );
    assert_eq!(job.phase, Some(JobPhaseEnum::Completed));
    assert_eq!(job.progress_percentage, Some(100));
    match job.response_body.expect("a response body") {
        BaseResponse::JobCreateResponse(created) => {
            assert_eq!(created.id.as_deref(), Some("0"));
            assert_eq!(created.response_type, "job_create_response");
        }
        other => panic!("not a create response: {other:?}"),
    }
}

#[test]
fn powerstore_job_error_body_without_its_discriminator_is_read_by_its_shape() {
    let job: JobInstance = decode(
        r#"{"id":"j1","state":"FAILED","phase":"Failed","response_status":"422",
            "response_body":{"messages":[{"code":"0xE0301001000A","severity":"Error",
              "message_l10n":"Import session is not in a valid state for this operation."}]}}"#,
    );
    match job.response_body.expect("a response body") {
        BaseResponse::JobErrorResponse(error) => {
            let messages = error.messages.expect("messages");
            assert_eq!(messages[0].code.as_deref(), Some("0xE0301001000A"));
        }
        other => panic!("{other:?}"),
    }
    let job: JobInstance = decode(r#"{"id":"j2","state":"FAILED","response_body":null}"#);
    assert!(job.response_body.is_none());
}

#[test]
fn powerstore_enum_value_in_another_case_is_the_listed_variant() {
    let system: RemoteSystemInstance =
        decode(r#"{"id":"rs1","name":"vnx-a","state":"Ok","management_port":"443"}"#);
    assert_eq!(system.state, Some(RemoteSystemStateEnum::Ok));
    assert_eq!(system.management_port, Some(443));
    // Sent back with the spec's spelling.
    let sent = serde_json::to_value(&system).unwrap();
    assert_eq!(sent["state"], "OK");
    assert_eq!(RemoteSystemStateEnum::Ok.as_wire(), "OK");
    // A value that is not a case variant is kept as it came.
    let system: RemoteSystemInstance = decode(r#"{"state":"Ok_Soon"}"#);
    assert_eq!(
        system.state,
        Some(RemoteSystemStateEnum::Unknown("Ok_Soon".into()))
    );
}

#[test]
fn vipr_numbers_and_booleans_sent_as_strings_decode() {
    // CHD's API documentation examples write the full-copy body this way.
    let copy: VolumeGroupFullCopyCreate =
        decode(r#"{"name":"copy1","type":null,"count":"1","create_inactive":"true"}"#);
    assert_eq!(
        (copy.count, copy.create_inactive, copy.r#type),
        (Some(1), Some(true), None)
    );
    let task: Task = decode(
        r#"{"op_id":"b7c9","state":"ready","inactive":"false","creation_time":"1700000000000"}"#,
    );
    assert_eq!(task.inactive, Some(false));
    assert_eq!(task.creation_time, Some(1_700_000_000_000));
}

#[test]
fn a_value_that_cannot_be_read_names_the_field_and_the_value() {
    let raw = RawResponse::new(
        200,
        HeaderMap::new(),
        r#"{"name":"copy1","count":"one"}"#.to_string(),
    );
    match raw.json::<VolumeGroupFullCopyCreate, serde_json::Value>() {
        Err(Error::Decode { source, .. }) => assert_eq!(
            source.to_string(),
            "field `count`: invalid type: string \"one\", expected i32"
        ),
        other => panic!("{other:?}"),
    }
}
