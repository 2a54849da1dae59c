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
    let url = format!("{}/api/rest/import_session", server.uri());
    assert_eq!(
        err.to_string(),
        format!(
            "createImportSession: POST {url}: no answer within 400 ms; the POST was sent, so \
             the server may have carried it out: check before trying again"
        )
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
    assert!(
        matches!(
            err,
            Error::Timeout {
                sent: true,
                attempts: 3,
                ..
            }
        ),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.ends_with("no answer within 400 ms (3 attempts)"),
        "{text}"
    );
    assert!(
        !text.contains("carried it out"),
        "a GET cannot have done harm: {text}"
    );
}

#[tokio::test]
async fn a_get_that_times_out_once_succeeds_on_the_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(counted(|n| {
            let answer = ResponseTemplate::new(200).set_body_string("[]");
            if n == 1 {
                answer.set_delay(Duration::from_secs(2))
            } else {
                answer
            }
        }))
        .expect(2)
        .mount(&server)
        .await;
    let answer = transport(server.uri(), Auth::None)
        .send::<()>(Request::new(Method::GET, "slow"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn one_5xx_on_a_get_is_retried_and_on_a_post_is_not() {
    for status in [500, 502, 503, 504] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(counted(move |n| {
                ResponseTemplate::new(if n == 1 { status } else { 200 })
            }))
            .expect(2)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
        let t = transport(server.uri(), Auth::None);
        let got = t.send::<()>(Request::new(Method::GET, "x")).await.unwrap();
        assert_eq!(got.status(), 200, "GET after one {status}");
        let posted = t.send::<()>(Request::new(Method::POST, "x")).await.unwrap();
        assert_eq!(posted.status(), status, "POST is not resent");
        server.verify().await;
    }
}

#[tokio::test]
async fn a_5xx_that_stays_ends_after_the_policy_s_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(3)
        .mount(&server)
        .await;
    let answer = transport(server.uri(), Auth::None)
        .send::<()>(Request::new(Method::GET, "x"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 500);
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
    assert!(matches!(err, Error::Connect { attempts: 3, .. }), "{err}");
    assert!(!err.is_sent());
    assert!(err.is_transient());
    assert_eq!(
        err.to_string(),
        format!(
            "createJob: cannot connect to http://{addr}/job: connection refused (nothing \
             listens on that port) (3 attempts); nothing was sent"
        )
    );
}
