//! Real response bodies decode through the generated types as the services
//! send them, quirks included.
//!
//! The bodies are the examples of the LCM import seed document. Its printed
//! examples also carry typesetting slips that no server sends and no JSON
//! parser accepts (an unescaped `"` inside a string, an unquoted href, a stray
//! closing brace); those are mended here. The real quirks are kept: `items`
//! and `data` null, an empty `destination`, a `Job Status` link whose action
//! says POST, links whose query spells `msgType`, and an item that repeats
//! the `msgCategory` key.

use migrate_clients::lcm::types::{MigrationDetailsResponse, MigrationJobResponse};
use migrate_runtime::{HeaderMap, RawResponse};

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
