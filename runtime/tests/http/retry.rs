use super::*;
use migrate_runtime::{Error, Method, Request};
use std::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::Mock;

#[tokio::test]
async fn a_503_on_get_waits_for_retry_after() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let answer = transport(server.uri(), Auth::None)
        .send::<()>(Request::new(Method::GET, "busy"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_503_on_post_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .expect(1)
        .mount(&server)
        .await;
    let answer = transport(server.uri(), Auth::None)
        .send::<()>(Request::new(Method::POST, "busy"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 503);
}

#[tokio::test]
async fn a_post_that_times_out_is_sent_exactly_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/rest/import_session"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(2)))
        .expect(1)
        .mount(&server)
        .await;
    let err = transport(format!("{}/api/rest", server.uri()), Auth::None)
        .send::<()>(
            Request::new(Method::POST, "import_session")
                .json(&serde_json::json!({"name": "imp"}))
                .operation("createImportSession"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { sent: true, .. }), "{err}");
    assert!(err.is_sent());
    assert!(
        err.to_string()
            .starts_with("createImportSession: timed out after"),
        "{err}"
    );
}

#[tokio::test]
async fn a_get_that_times_out_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .expect(3)
        .mount(&server)
        .await;
    let err = transport(server.uri(), Auth::None)
        .send::<()>(Request::new(Method::GET, "slow"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { sent: true, .. }), "{err}");
}

fn free_port() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

#[tokio::test]
async fn refused_connections_are_retried_even_for_post() {
    let addr = free_port();
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = std::net::TcpListener::bind(addr).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201))
            .expect(1)
            .mount(&server)
            .await;
        server
    });
    let t = Transport::builder(format!("http://{addr}"))
        .retry(RetryPolicy {
            max_attempts: 30,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(50),
        })
        .build()
        .unwrap();
    let answer = t
        .send::<()>(Request::new(Method::POST, "job"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    late_server.await.unwrap().verify().await;
}

#[tokio::test]
async fn nobody_listening_is_a_connect_error() {
    let addr = free_port();
    let err = transport(format!("http://{addr}"), Auth::None)
        .send::<()>(Request::new(Method::POST, "job").operation("createJob"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err}");
    assert!(!err.is_sent());
    assert!(
        err.to_string().starts_with("createJob: could not connect"),
        "{err}"
    );
}
