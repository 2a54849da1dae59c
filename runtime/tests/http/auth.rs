use super::*;
use migrate_runtime::{Error, Method, Request};
use wiremock::matchers::{header, method, path};
use wiremock::Mock;

#[tokio::test]
async fn powerstore_logs_in_and_sends_the_csrf_token_only_on_non_get() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/rest/login_session"))
        .and(header(
            "authorization",
            basic("admin", "ps-password").as_str(),
        ))
        .respond_with(counted(powerstore_login))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/rest/volume"))
        .and(header("cookie", "auth_cookie=c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(3)
        .mount(&server)
        .await;
    let t = powerstore(&server);
    let clone = t.clone();
    t.send::<()>(Request::new(Method::GET, "volume"))
        .await
        .unwrap();
    clone
        .send::<()>(Request::new(Method::POST, "volume").json(&serde_json::json!({"name": "v"})))
        .await
        .unwrap();
    t.send::<()>(Request::new(Method::DELETE, "volume"))
        .await
        .unwrap();

    let requests = received(&server, "/api/rest/volume").await;
    let token = |r: &wiremock::Request| {
        r.headers
            .get("dell-emc-token")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(token(&requests[0]), None, "no CSRF token on GET");
    assert_eq!(token(&requests[1]).as_deref(), Some("t1"));
    assert_eq!(token(&requests[2]).as_deref(), Some("t1"));
    assert!(requests
        .iter()
        .all(|r| !r.headers.contains_key("authorization")));
    assert_eq!(
        requests[0].headers.get("accept").unwrap(),
        "application/json"
    );
}

#[tokio::test]
async fn concurrent_403s_share_one_new_login_and_each_request_is_retried_once() {
    let server = MockServer::start().await;
    Mock::given(path("/api/rest/login_session"))
        .respond_with(counted(powerstore_login))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/api/rest/import_session"))
        .and(header("cookie", "auth_cookie=c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(5)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/rest/import_session"))
        .respond_with(ResponseTemplate::new(403))
        .expect(5)
        .mount(&server)
        .await;
    let t = powerstore(&server);
    let sends = (0..5).map(|_| {
        let t = t.clone();
        tokio::spawn(async move {
            t.send::<()>(Request::new(Method::GET, "import_session"))
                .await
        })
    });
    for send in futures::future::join_all(sends).await {
        assert_eq!(send.unwrap().unwrap().status(), 200);
    }
}

#[tokio::test]
async fn a_failed_new_login_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(path("/api/rest/login_session"))
        .respond_with(counted(|n| {
            if n == 1 {
                powerstore_login(n)
            } else {
                ResponseTemplate::new(401)
            }
        }))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/api/rest/job/1"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;
    let err = powerstore(&server)
        .send::<()>(Request::new(Method::GET, "job/1"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Auth {
                status: Some(401),
                ..
            }
        ),
        "{err}"
    );
    assert!(!err.is_sent());
}

#[tokio::test]
async fn a_login_without_a_cookie_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(path("/api/rest/login_session"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let err = powerstore(&server)
        .send::<()>(Request::new(Method::GET, "volume"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "authentication failed: GET login_session set no auth_cookie"
    );
}

fn vipr(server: &MockServer) -> Transport {
    transport(
        server.uri(),
        Auth::Vipr {
            user: "root".into(),
            password: "vipr-password".into(),
        },
    )
}

#[tokio::test]
async fn vipr_sends_its_token_and_logs_in_again_on_a_redirect_to_login() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/login"))
        .and(header(
            "authorization",
            basic("root", "vipr-password").as_str(),
        ))
        .respond_with(counted(|n| {
            ResponseTemplate::new(200)
                .insert_header("X-SDS-AUTH-TOKEN", format!("tok{n}").as_str())
                .set_body_json(serde_json::json!({"user": "root"}))
        }))
        .expect(2)
        .mount(&server)
        .await;
    let task = "/vdc/tasks/urn:storageos:Task:3f9a7c1e-55aa-4b2b-9c0d-112233445566:vdc1";
    Mock::given(path(task))
        .and(header("x-sds-auth-token", "tok2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"state": "ready"})),
        )
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let location = format!("{}/login?service={}{task}", server.uri(), server.uri());
    Mock::given(path(task))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    let t = vipr(&server);
    let id = migrate_runtime::encode_path(
        "urn:storageos:Task:3f9a7c1e-55aa-4b2b-9c0d-112233445566:vdc1",
    );
    let answer = t
        .send::<()>(Request::new(Method::GET, format!("vdc/tasks/{id}")))
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    // The redirect itself was never followed: both logins carried Basic credentials.
    assert_eq!(received(&server, "/login").await.len(), 2);
}

#[tokio::test]
async fn other_redirects_are_returned_not_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/login"))
        .respond_with(ResponseTemplate::new(200).insert_header("X-SDS-AUTH-TOKEN", "tok"))
        .expect(1)
        .mount(&server)
        .await;
    let elsewhere = format!("{}/elsewhere", server.uri());
    Mock::given(path("/block/volumes"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", elsewhere.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let answer = vipr(&server)
        .send::<()>(Request::new(Method::GET, "block/volumes"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 302);
}

#[tokio::test]
async fn basic_and_bearer_go_on_every_request() {
    let server = MockServer::start().await;
    Mock::given(path("/interop/rest/"))
        .and(header(
            "authorization",
            basic("dom.user", "lcm-password").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/interop/rest/"))
        .and(header("authorization", "Bearer lcm-token"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let base = format!("{}/interop/rest/", server.uri());
    let user = Auth::Basic {
        user: "dom.user".into(),
        password: "lcm-password".into(),
    };
    let t = transport(base.clone(), user);
    for _ in 0..2 {
        assert_eq!(
            t.send::<()>(Request::new(Method::GET, ""))
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let t = transport(base, Auth::Bearer("lcm-token".into()));
    assert_eq!(
        t.send::<()>(Request::new(Method::GET, ""))
            .await
            .unwrap()
            .status(),
        204
    );
}

#[tokio::test]
async fn a_refused_login_shows_the_service_s_message() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"messages": [{"code": "0xE09010010002", "severity": "Error",
        "message_l10n": "Invalid user name or password."}]});
    Mock::given(path("/api/rest/login_session"))
        .respond_with(ResponseTemplate::new(401).set_body_json(body))
        .mount(&server)
        .await;
    let err = powerstore(&server)
        .send::<()>(Request::new(Method::GET, "job/1"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "authentication failed: GET login_session answered 401 Unauthorized: \
         [0xE09010010002] Error: Invalid user name or password."
    );
    assert!(!err.is_transient());
}
