//! The runtime against real sockets: wiremock servers playing PowerStore, LCM and ViPR.

mod auth;
mod config;
mod network;
mod paging;
mod retry;
mod secrets;
mod service_errors;

use base64::Engine as _;
use migrate_runtime::{Auth, RetryPolicy, Transport, TransportBuilder};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wiremock::{MockServer, Respond, ResponseTemplate};

/// Short timeouts and retries so the suite stays fast.
fn transport(base: String, auth: Auth) -> Transport {
    Transport::builder(base)
        .auth(auth)
        .connect_timeout(Duration::from_millis(200))
        .timeout(Duration::from_millis(400))
        .retry(RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_secs(2),
        })
        .build()
        .unwrap()
}

fn powerstore(server: &MockServer) -> Transport {
    transport(
        format!("{}/api/rest", server.uri()),
        Auth::PowerStore {
            user: "admin".into(),
            password: "ps-password".into(),
        },
    )
}

fn basic(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// Answers the n-th request (from 1) with `f(n)`.
struct Counted<F>(AtomicUsize, F);

fn counted<F: Fn(usize) -> ResponseTemplate + Send + Sync>(f: F) -> Counted<F> {
    Counted(AtomicUsize::new(0), f)
}

impl<F: Fn(usize) -> ResponseTemplate + Send + Sync> Respond for Counted<F> {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        (self.1)(self.0.fetch_add(1, Ordering::SeqCst) + 1)
    }
}

/// PowerStore's login answer: cookie `c{n}` and CSRF token `t{n}`.
fn powerstore_login(n: usize) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header(
            "set-cookie",
            format!("auth_cookie=c{n}; Path=/; Secure").as_str(),
        )
        .insert_header("DELL-EMC-TOKEN", format!("t{n}").as_str())
        .set_body_json(serde_json::json!([{"id": "s", "user": "admin", "idle_timeout": 3600}]))
}

/// Requests the server received at `path`.
async fn received(server: &MockServer, path: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == path)
        .collect()
}
