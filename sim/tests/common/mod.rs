//! Shared helpers for the socket tests: a fast simulator and a client that neither follows
//! redirects nor keeps cookies, so each test sees exactly what the server sent.

#![allow(dead_code)]

use std::future::Future;
use std::time::{Duration, Instant};

use migrate_sim::{start, SimConfig, SimHandle};

pub const USER: &str = "admin";
pub const PASSWORD: &str = "Password123!";
pub const STEP: Duration = Duration::from_millis(20);

pub async fn sim() -> SimHandle {
    sim_with(SimConfig::default().with_step(STEP)).await
}

pub async fn sim_with(config: SimConfig) -> SimHandle {
    start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .expect("simulator starts")
}

/// The `id` of a JSON answer: the resource a create made, or the job an async request queued.
pub async fn id_of(r: reqwest::Response) -> String {
    let body: serde_json::Value = r.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

/// Logs in to PowerStore at `api` (`…/api/rest`) with Basic auth: the session cookie
/// (`auth_cookie=…`), the CSRF token, and the answer with its body unread.
pub async fn ps_login(api: &str) -> (String, String, reqwest::Response) {
    let r = client()
        .get(format!("{api}/login_session"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let token = r.headers()["DELL-EMC-TOKEN"].to_str().unwrap().to_string();
    let set_cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(set_cookie.ends_with("; Path=/"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    assert!(cookie.starts_with("auth_cookie="), "{cookie}");
    (cookie, token, r)
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Polls `probe` until it yields a value or five seconds pass.
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(STEP / 2).await;
    }
}
