use super::*;
use futures::TryStreamExt;
use migrate_runtime::{paging, Error, Method, Request};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{header, path, query_param};
use wiremock::Mock;

#[derive(Debug, Deserialize, PartialEq)]
struct Volume {
    id: u32,
}

#[derive(Debug, Deserialize)]
struct ErrorResponse {
    messages: Vec<serde_json::Value>,
}

fn volumes(range: std::ops::Range<u32>) -> serde_json::Value {
    range.map(|id| json!({"id": id})).collect()
}

async fn page(server: &MockServer, offset: u32, answer: ResponseTemplate) {
    Mock::given(path("/api/rest/volume"))
        .and(query_param("offset", offset.to_string()))
        .and(query_param("limit", "2"))
        .and(query_param("select", "id"))
        .respond_with(answer)
        .expect(1)
        .mount(server)
        .await;
}

fn partial(first: u32, total: u32) -> ResponseTemplate {
    ResponseTemplate::new(206)
        .insert_header(
            "content-range",
            format!("{first}-{}/{total}", first + 1).as_str(),
        )
        .set_body_json(volumes(first..first + 2))
}

fn list(
    server: &MockServer,
) -> futures::stream::BoxStream<'static, Result<Volume, Error<ErrorResponse>>> {
    let t = transport(format!("{}/api/rest", server.uri()), Auth::None);
    paging::content_range(
        &t,
        Ok(Request::new(Method::GET, "volume").query("select", "id")),
        2,
    )
}

#[tokio::test]
async fn content_range_pages_until_the_final_200() {
    let server = MockServer::start().await;
    for offset in [0, 2, 4, 6] {
        page(&server, offset, partial(offset, 10)).await;
    }
    page(
        &server,
        8,
        ResponseTemplate::new(200).set_body_json(volumes(8..10)),
    )
    .await;
    let all: Vec<Volume> = list(&server).try_collect().await.unwrap();
    assert_eq!(all, (0..10).map(|id| Volume { id }).collect::<Vec<_>>());
}

#[tokio::test]
async fn content_range_stops_at_the_total() {
    let server = MockServer::start().await;
    page(&server, 0, partial(0, 4)).await;
    page(&server, 2, partial(2, 4)).await;
    let all: Vec<Volume> = list(&server).try_collect().await.unwrap();
    assert_eq!(all.len(), 4);
}

#[tokio::test]
async fn a_416_after_the_first_page_ends_the_stream() {
    let server = MockServer::start().await;
    page(&server, 0, partial(0, 10)).await;
    page(&server, 2, ResponseTemplate::new(416)).await;
    let all: Vec<Volume> = list(&server).try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn a_416_on_the_first_page_is_an_error() {
    let server = MockServer::start().await;
    let body = json!({"messages": [{"code": "0xE04040010006", "severity": "Error", "message_l10n": "The limit must be between 1 and 2000."}]});
    page(&server, 0, ResponseTemplate::new(416).set_body_json(body)).await;
    let err = list(&server).try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(err.status(), Some(416), "{err}");
    assert!(
        err.to_string()
            .contains("The limit must be between 1 and 2000."),
        "{err}"
    );
}

#[tokio::test]
async fn errors_and_bad_ranges_end_the_stream_with_an_error() {
    let server = MockServer::start().await;
    page(&server, 0, partial(0, 10)).await;
    let body = json!({"messages": [{"code": "0xE0A08001000E", "severity": "Error", "message_l10n": "busy"}]});
    page(&server, 2, ResponseTemplate::new(422).set_body_json(body)).await;
    let mut items = list(&server);
    assert_eq!(items.try_next().await.unwrap(), Some(Volume { id: 0 }));
    assert_eq!(items.try_next().await.unwrap(), Some(Volume { id: 1 }));
    match items.try_next().await {
        Err(Error::Service {
            status: 422, body, ..
        }) => assert_eq!(body.messages.len(), 1),
        other => panic!("{other:?}"),
    }

    let server = MockServer::start().await;
    page(
        &server,
        0,
        ResponseTemplate::new(206).set_body_json(volumes(0..2)),
    )
    .await;
    let err = list(&server).try_collect::<Vec<_>>().await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 206, .. }), "{err}");
}

#[tokio::test]
async fn an_item_that_does_not_decode_is_an_error_naming_it_after_the_good_ones() {
    let server = MockServer::start().await;
    page(
        &server,
        0,
        ResponseTemplate::new(200).set_body_json(json!([{"id": 1}, {"id": "two"}])),
    )
    .await;
    let mut items = list(&server);
    assert_eq!(items.try_next().await.unwrap(), Some(Volume { id: 1 }));
    match items.try_next().await {
        Err(Error::Decode {
            status: 200,
            raw,
            operation,
            ..
        }) => {
            assert_eq!(raw, r#"{"id":"two"}"#);
            assert_eq!(operation, "GET volume");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_request_that_could_not_be_built_is_the_only_item() {
    let t = transport("http://127.0.0.1:9/api/rest".into(), Auth::None);
    let invalid: Error<ErrorResponse> = Error::InvalidRequest {
        operation: "volume_collection_query".into(),
        message: "bad".into(),
    };
    let items: Vec<Result<Volume, _>> =
        futures::StreamExt::collect(paging::content_range(&t, Err(invalid), 2)).await;
    assert!(
        matches!(items.as_slice(), [Err(Error::InvalidRequest { .. })]),
        "{items:?}"
    );
}

#[derive(Deserialize)]
struct Details {
    items: Option<Vec<Message>>,
    links: Vec<Link>,
}

#[derive(Deserialize)]
struct Link {
    rel: String,
    href: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Message {
    msg_category: String,
    msg_text: String,
}

fn split(page: Details) -> (Vec<Message>, Option<String>) {
    let next = page
        .links
        .into_iter()
        .find(|l| l.rel == "next")
        .map(|l| l.href);
    (page.items.unwrap_or_default(), next)
}

#[tokio::test]
async fn follow_next_stays_on_the_transport_origin() {
    let server = MockServer::start().await;
    let details = "/interop/rest/v2/status/migration/9/0/details";
    for (offset, next) in [("0", Some("2")), ("2", Some("4")), ("4", None)] {
        // The server's hrefs point at another host; the client must not go there.
        let links: Vec<_> = next
            .map(|n| json!({"rel": "next", "action": "GET", "data": null,
                "href": format!("https://other-host.invalid:8443{details}?limit=2&msgtype=error&offset={n}")}))
            .into_iter()
            .collect();
        // Real LCM pages repeat "msgCategory" inside one message object.
        let body = format!(
            r#"{{"status":0,"items":[{{"msgCategory":"Info","msgCategory":"Error","msgText":"m{offset}"}}],"links":{}}}"#,
            serde_json::Value::from(links)
        );
        Mock::given(path(details))
            .and(query_param("offset", offset))
            .and(header("authorization", basic("u", "lcm-password").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let auth = Auth::Basic {
        user: "u".into(),
        password: "lcm-password".into(),
    };
    let t = transport(server.uri(), auth);
    let first = Request::new(Method::GET, details.trim_start_matches('/'))
        .query("limit", 2)
        .query("msgtype", "error")
        .query("offset", 0);
    let messages: Vec<Message> = paging::follow_next::<Details, Message, ()>(t, first, split)
        .try_collect()
        .await
        .unwrap();
    let texts: Vec<_> = messages.iter().map(|m| m.msg_text.as_str()).collect();
    assert_eq!(texts, ["m0", "m2", "m4"]);
    assert!(messages.iter().all(|m| m.msg_category == "Error"));
}
