//! A service's error answer, as real servers send it (drift included), shows the service's
//! messages, the operation and the status; the raw body stays out of the message.

use super::*;
use migrate_runtime::{Error, Method, Request};
use serde::Deserialize;
use wiremock::matchers::path;
use wiremock::Mock;

/// PowerStore's `error_response`, as a generated client declares it.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ErrorResponse {
    messages: Option<Vec<ErrorMessage>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ErrorMessage {
    code: Option<String>,
    severity: Option<String>,
    message_l10n: Option<String>,
}

/// One error answer and what its message must say (`{op}` and `{url}` filled in).
struct Case {
    name: &'static str,
    status: u16,
    content_type: &'static str,
    body: &'static str,
    location: Option<&'static str>,
    message: &'static str,
    /// Whether the body decodes as `ErrorResponse`.
    typed: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "PowerStore messages",
        status: 422,
        content_type: "application/json",
        body: r#"{"messages":[{"code":"0xE04040030001","severity":"Error","message_l10n":"Import session is not in a valid state for this operation.","arguments":[]}]}"#,
        location: None,
        message: "op: the service answered 422 Unprocessable Entity: [0xE04040030001] Error: Import session is not in a valid state for this operation.",
        typed: true,
    },
    Case {
        name: "messages as a string holding an escaped array",
        status: 400,
        content_type: "application/json",
        body: r#"{"messages":"[{\"code\":\"0xE0A08001000E\",\"severity\":\"Error\",\"message_l10n\":\"Bad format.\"}]"}"#,
        location: None,
        message: "op: the server answered 400 Bad Request: [0xE0A08001000E] Error: Bad format.",
        typed: false,
    },
    Case {
        name: "only a code",
        status: 400,
        content_type: "application/json",
        body: r#"{"messages":[{"code":"0xE0A080010001"}]}"#,
        location: None,
        message: "op: the service answered 400 Bad Request: [0xE0A080010001]",
        typed: true,
    },
    Case {
        name: "plain-text 404",
        status: 404,
        content_type: "text/plain",
        body: "404 page not found\n",
        location: None,
        message: "op: the server answered 404 Not Found: 404 page not found",
        typed: false,
    },
    Case {
        name: "ViPR service error",
        status: 400,
        content_type: "application/json",
        body: r#"{"code":1008,"description":"Parameter was provided but invalid","details":"Invalid URN: urn:x","retryable":false}"#,
        location: None,
        message: "op: the service answered 400 Bad Request: [1008] Parameter was provided but invalid: Invalid URN: urn:x",
        typed: true,
    },
    Case {
        name: "ViPR XML error",
        status: 401,
        content_type: "application/xml",
        body: "<?xml version=\"1.0\"?><error><code>4000</code><description>Unauthorized</description><details>Token expired</details><retryable>false</retryable></error>",
        location: None,
        message: "op: the service answered 401 Unauthorized: [4000] Unauthorized: Token expired",
        typed: true,
    },
    Case {
        name: "LCM envelope",
        status: 400,
        content_type: "application/json",
        body: r#"{"status":4,"details":"Invalid input. Please check it","items":null,"links":[]}"#,
        location: None,
        message: "op: the service answered 400 Bad Request: [4] Invalid input. Please check it",
        typed: true,
    },
    Case {
        name: "HTML page from a proxy",
        status: 502,
        content_type: "text/html",
        body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        location: None,
        message: "op: the server answered 502 Bad Gateway with an HTML page (\"502 Bad Gateway\"), not the service's answer (a proxy or load balancer?)",
        typed: false,
    },
    Case {
        name: "302 to a login page",
        status: 302,
        content_type: "text/html",
        body: "",
        location: Some("https://sso.example.com/login?return=/api/rest&token=abc123"),
        message: "op: the server answered 302 Found, a redirect to https://sso.example.com/login?return=%2Fapi%2Frest&token=*** (redirects are not followed; a login page means a sign-on proxy stands in front of the API)",
        typed: false,
    },
    Case {
        name: "empty body",
        status: 500,
        content_type: "application/json",
        body: "",
        location: None,
        message: "op: the server answered 500 Internal Server Error with an empty body",
        typed: false,
    },
];

#[tokio::test]
async fn error_answers_show_the_service_s_messages() {
    for case in CASES {
        let server = MockServer::start().await;
        let mut answer = ResponseTemplate::new(case.status)
            .insert_header("content-type", case.content_type)
            .set_body_string(case.body);
        if let Some(location) = case.location {
            answer = answer.insert_header("location", location);
        }
        Mock::given(path("/x"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let t = transport(server.uri(), Auth::None).clone();
        // POST: not retried, so each case is one exchange.
        let raw = t
            .send::<ErrorResponse>(Request::new(Method::POST, "x").operation("op"))
            .await
            .unwrap();
        let err: Error<ErrorResponse> = raw.error();
        assert_eq!(err.to_string(), case.message, "{}", case.name);
        assert_eq!(
            matches!(err, Error::Service { .. }),
            case.typed,
            "{}: {err:?}",
            case.name
        );
        assert_eq!(err.status(), Some(case.status), "{}", case.name);
        if !case.body.is_empty() && case.body.len() > 60 {
            assert!(
                !err.to_string().contains(case.body),
                "{}: the raw body stays out of the message",
                case.name
            );
            assert!(
                err.raw_body().is_some_and(|raw| !raw.is_empty()),
                "{}",
                case.name
            );
        }
        assert!(!err.to_string().contains("abc123"), "{}", case.name);
    }
}

#[tokio::test]
async fn passwords_echoed_in_an_error_body_are_hidden_in_the_raw_body() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"status": 4, "details": "bad", "links": [
        {"rel": "self", "href": "https://h/interop/rest/v/applicationsnapshots/s/migration?q={\"userPassword\":\"pw-echoed\"}"}],
        "password": "pw-field"});
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(400).set_body_json(body))
        .mount(&server)
        .await;
    let raw = transport(server.uri(), Auth::None)
        .send::<ErrorResponse>(Request::new(Method::POST, "x"))
        .await
        .unwrap();
    let err: Error<ErrorResponse> = raw.error();
    let shown = format!("{err} {err:?} {}", err.raw_body().unwrap_or_default());
    assert!(
        !shown.contains("pw-echoed") && !shown.contains("pw-field"),
        "{shown}"
    );
    assert!(shown.contains("bad"), "{shown}");
}
