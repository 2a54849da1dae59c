use super::*;
use migrate_runtime::{Error, Method, Request};
use std::io::Write;
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::Mock;

/// Collects everything the runtime logs.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const SECRETS: [&str; 5] = [
    "ps-password",
    "session-cookie-value",
    "csrf-token-value",
    "query-password",
    "vipr-password",
];

fn assert_hidden(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
    let encoded = basic("admin", "ps-password");
    assert!(
        !text.contains(&encoded["Basic ".len()..]),
        "{what} shows the Basic credentials: {text}"
    );
}

#[tokio::test]
async fn no_secret_shows_in_logs_debug_or_errors() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("migrate_runtime=debug")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(path("/api/rest/login_session"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("set-cookie", "auth_cookie=session-cookie-value; Path=/")
                .insert_header("DELL-EMC-TOKEN", "csrf-token-value"),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/rest/import_session"))
        .respond_with(ResponseTemplate::new(422).set_body_string("{\"messages\":[]}"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/rest/import_session"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let t = powerstore(&server);
    let mut shown = vec![format!("{t:?}"), format!("{t:#?}")];

    let answer = t
        .send::<()>(
            Request::new(Method::POST, "import_session")
                .query("q", r#"{"userPassword":"query-password"}"#)
                .json(&serde_json::json!({"name": "x"})),
        )
        .await
        .unwrap();
    let service: Error<serde_json::Value> = answer.error();
    let timeout = t
        .send::<()>(Request::new(Method::GET, "import_session"))
        .await
        .unwrap_err();
    let vipr = transport(
        server.uri(),
        Auth::Vipr {
            user: "root".into(),
            password: "vipr-password".into(),
        },
    );
    shown.push(format!("{vipr:?}"));
    let auth = vipr
        .send::<()>(Request::new(Method::GET, "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            auth,
            Error::Auth {
                status: Some(404),
                ..
            }
        ),
        "{auth}"
    );
    let refused = transport(
        format!(
            "http://{}",
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
        ),
        Auth::None,
    )
    .send::<()>(Request::new(Method::GET, "x").query("token", "csrf-token-value"))
    .await
    .unwrap_err();
    for err in [format!("{service}"), format!("{service:?}")] {
        shown.push(err);
    }
    for err in [timeout, auth, refused] {
        shown.push(format!("{err} / {err:?}"));
    }
    for text in &shown {
        assert_hidden("Debug or Display", text);
    }

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("answered") && logs.contains("status=422"),
        "{logs}"
    );
    assert!(
        logs.contains("dell-emc-token"),
        "header names are logged: {logs}"
    );
    assert_hidden("the log", &logs);
}
