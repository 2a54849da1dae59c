//! Fault injection, the request log, and the unauthenticated admin API under `/_sim`.
//!
//! Why: client retry, re-login and timeout logic can only be tested if the server can be made
//! to misbehave on demand, and "was this POST sent exactly once?" can only be answered by a
//! server that records what it received. Rules match on method and path prefix, may let the
//! first few matches through (`skip`) and may be limited to a number of hits; they are applied
//! by a middleware in front of every service. Besides answering in the service's place (a
//! status, or any status, headers and body: a proxy's HTML page, malformed JSON, a redirect
//! to a login page), a rule can spoil the real answer (cut its body short, or break the
//! connection in the middle of it, or garble it), expire every session just before a request, or make
//! collections page smaller than asked (as an array clamps `limit`), so a client's handling of
//! each can be tested against the real flows.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{lock, Shared};

/// One fault: what to do, and to which requests.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Fault {
    /// Only requests whose path starts with this (all requests when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    /// Only requests with this method, case-insensitive (any method when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// How many matching requests are affected (every one until cleared when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// How many matching requests pass unaffected before the fault starts (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<u32>,
    #[serde(flatten)]
    pub kind: FaultKind,
}

/// The kinds of fault.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this status (and `Retry-After` when given) instead of the real response.
    /// The body is the service's usual error shape unless `body` is given.
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<Value>,
    },
    /// Answer with exactly this status, these headers and this text body (a proxy's HTML
    /// page, malformed JSON, a 302 to a login page).
    Respond {
        status: u16,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
        #[serde(default)]
        body: String,
    },
    /// Handle the request, then send only the first half of the body (with a length that
    /// matches, so the answer is complete but its JSON is cut short).
    Truncate,
    /// Handle the request, then send `body` instead of the real body (status and headers
    /// stay): an answer garbled on its way.
    ReplaceBody { body: String },
    /// Handle the request, then send the headers and half of the body and break the
    /// connection.
    Reset,
    /// Hold the request this long before handling it normally.
    Delay { millis: u64 },
    /// Immediately make every PowerStore session/CSRF token and every ViPR token stale.
    ExpireSessions,
    /// Make every session and token stale just before handling a matching request.
    ExpireSessionsOnRequest,
    /// Lower a matching request's `limit` query parameter to at most `max` (an array
    /// clamps page sizes). Applies to every match, besides whatever other rule matches.
    PageLimit { max: u32 },
    /// Make the next PowerStore job fail with a 422 error in `response_body`.
    FailNextJob,
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Fault {
            path_prefix: None,
            method: None,
            times: None,
            skip: None,
            kind,
        }
    }

    /// Answer matching requests with `status`.
    pub fn status(status: u16) -> Self {
        Self::new(FaultKind::Status {
            status,
            retry_after: None,
            body: None,
        })
    }

    /// Delay matching requests.
    pub fn delay(delay: Duration) -> Self {
        Self::new(FaultKind::Delay {
            millis: delay.as_millis().min(u64::MAX as u128) as u64,
        })
    }

    /// Answer matching requests with this status, headers and body.
    pub fn respond(status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        Self::new(FaultKind::Respond {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.to_string(),
        })
    }

    /// Replace the bodies of matching answers (after handling them) with `body`.
    pub fn replace_body(body: &str) -> Self {
        Self::new(FaultKind::ReplaceBody {
            body: body.to_string(),
        })
    }

    /// Cut the bodies of matching answers in half.
    pub fn truncate() -> Self {
        Self::new(FaultKind::Truncate)
    }

    /// Break the connection in the middle of matching answers' bodies.
    pub fn reset() -> Self {
        Self::new(FaultKind::Reset)
    }

    /// Invalidate all sessions and tokens now.
    pub fn expire_sessions() -> Self {
        Self::new(FaultKind::ExpireSessions)
    }

    /// Invalidate all sessions and tokens when a matching request arrives.
    pub fn expire_sessions_on_request() -> Self {
        Self::new(FaultKind::ExpireSessionsOnRequest)
    }

    /// Page matching collection queries by at most `max` items.
    pub fn page_limit(max: u32) -> Self {
        Self::new(FaultKind::PageLimit { max })
    }

    /// Fail the next PowerStore job.
    pub fn fail_next_job() -> Self {
        Self::new(FaultKind::FailNextJob)
    }

    /// Restricts the fault to paths starting with `prefix`.
    pub fn path_prefix(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_string());
        self
    }

    /// Restricts the fault to one HTTP method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_string());
        self
    }

    /// Limits the fault to `times` matching requests.
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    /// Lets the first `skip` matching requests through unaffected.
    pub fn skip(mut self, skip: u32) -> Self {
        self.skip = Some(skip);
        self
    }

    /// Adds `Retry-After: <seconds>` to a status fault.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        if let FaultKind::Status { retry_after, .. } = &mut self.kind {
            *retry_after = Some(seconds);
        }
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p))
    }
}

/// One received request, and the status the simulator answered (before any fault spoiled
/// the answer's body): with it a test can tell a create that was carried out from one that was
/// refused.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// `None` while the request is being handled.
    pub status: Option<u16>,
    /// The scheme of its `Authorization` header (`Basic`, `Bearer`), never the credentials.
    pub auth_scheme: Option<String>,
}

/// Active fault rules and the request log.
#[derive(Default)]
pub(crate) struct FaultStore {
    rules: Vec<Fault>,
    log: Vec<RequestRecord>,
    /// Requests logged since the start, cleared or not (to find a record again).
    logged: usize,
    /// `logged` when the log was last cleared.
    cleared_at: usize,
}

impl FaultStore {
    /// The first rule matching the request that is due (past its `skip`), using up one of its
    /// hits; page limits are not taken here (see [`FaultStore::page_limit`]).
    fn take(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        let mut due = None;
        for (i, rule) in self.rules.iter_mut().enumerate() {
            if matches!(rule.kind, FaultKind::PageLimit { .. }) || !rule.matches(method, path) {
                continue;
            }
            match &mut rule.skip {
                Some(skip) if *skip > 0 => *skip -= 1,
                _ => {
                    due = Some(i);
                    break;
                }
            }
        }
        let i = due?;
        let kind = self.rules[i].kind.clone();
        if let Some(left) = &mut self.rules[i].times {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.rules.remove(i);
            }
        }
        Some(kind)
    }

    /// The smallest page limit of the rules matching the request.
    fn page_limit(&self, method: &str, path: &str) -> Option<u32> {
        self.rules
            .iter()
            .filter(|r| r.matches(method, path))
            .filter_map(|r| match r.kind {
                FaultKind::PageLimit { max } => Some(max),
                _ => None,
            })
            .min()
    }

    pub(crate) fn count(&self, method: &str, path_prefix: &str) -> usize {
        self.log
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path.starts_with(path_prefix))
            .count()
    }

    pub(crate) fn requests(&self) -> &[RequestRecord] {
        &self.log
    }

    pub(crate) fn rules(&self) -> &[Fault] {
        &self.rules
    }

    pub(crate) fn clear(&mut self) {
        self.rules.clear();
        self.clear_log();
    }

    pub(crate) fn clear_log(&mut self) {
        self.log.clear();
        self.cleared_at = self.logged;
    }

    /// Logs a request; the number finds it again in [`FaultStore::answered`].
    fn log(&mut self, record: RequestRecord) -> usize {
        self.log.push(record);
        self.logged += 1;
        self.logged
    }

    /// Notes the status the request numbered `number` was answered with.
    fn answered(&mut self, number: usize, status: u16) {
        if let Some(i) = number.checked_sub(self.cleared_at + 1) {
            if let Some(record) = self.log.get_mut(i) {
                record.status = Some(status);
            }
        }
    }
}

/// Registers a fault; the immediate kinds act now instead of being stored.
pub(crate) fn apply_fault(shared: &Shared, fault: Fault) {
    match fault.kind {
        FaultKind::ExpireSessions => lock(&shared.sessions).expire_all(),
        FaultKind::FailNextJob => lock(&shared.powerstore).arm_job_failure(),
        FaultKind::Status { .. }
        | FaultKind::Respond { .. }
        | FaultKind::Truncate
        | FaultKind::ReplaceBody { .. }
        | FaultKind::Reset
        | FaultKind::Delay { .. }
        | FaultKind::ExpireSessionsOnRequest
        | FaultKind::PageLimit { .. } => lock(&shared.faults).rules.push(fault),
    }
}

/// Logs every service request and applies the first matching fault rule (and any page
/// limit).
pub(crate) async fn middleware(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/_sim") {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_string();
    let (number, fault, page_limit) = {
        let mut faults = lock(&shared.faults);
        let number = faults.log(RequestRecord {
            method: method.clone(),
            path: path.clone(),
            query: request.uri().query().map(str::to_string),
            status: None,
            auth_scheme: request
                .headers()
                .get(axum::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_whitespace().next())
                .map(str::to_string),
        });
        (
            number,
            faults.take(&method, &path),
            faults.page_limit(&method, &path),
        )
    };
    if let Some(max) = page_limit {
        if let Some(uri) = limit_query(request.uri(), max) {
            *request.uri_mut() = uri;
        }
    }
    let response = answer(&shared, fault, &path, request, next).await;
    lock(&shared.faults).answered(number, response.status().as_u16());
    response
}

/// The answer to a request, with `fault` applied.
async fn answer(
    shared: &Shared,
    fault: Option<FaultKind>,
    path: &str,
    request: Request,
    next: Next,
) -> Response {
    match fault {
        Some(FaultKind::Status {
            status,
            retry_after,
            body,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = match body {
                Some(body) => (status, Json(body)).into_response(),
                None => crate::error_for_path(
                    path,
                    status,
                    "Simulated failure injected by the fault API.",
                ),
            };
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert("retry-after", HeaderValue::from(seconds));
            }
            response
        }
        Some(FaultKind::Respond {
            status,
            headers,
            body,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, body).into_response();
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_str(&value),
                ) {
                    response.headers_mut().insert(name, value);
                }
            }
            response
        }
        Some(FaultKind::Truncate) => {
            let (mut parts, body) = next.run(request).await.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
        }
        Some(FaultKind::ReplaceBody { body }) => {
            let (mut parts, _) = next.run(request).await.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(body))
        }
        Some(FaultKind::Reset) => {
            let (mut parts, body) = next.run(request).await.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            // The whole length is promised, half is sent, then the connection breaks.
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let half: Result<Bytes, std::io::Error> = Ok(bytes.slice(..bytes.len() / 2));
            // The break comes a moment later, so the headers and the half are on the wire.
            let broken = futures_util::stream::once(async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(std::io::Error::other("connection broken by the fault API"))
            });
            let body = futures_util::StreamExt::chain(futures_util::stream::iter([half]), broken);
            Response::from_parts(parts, Body::from_stream(body))
        }
        Some(FaultKind::Delay { millis }) => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            next.run(request).await
        }
        Some(FaultKind::ExpireSessionsOnRequest) => {
            lock(&shared.sessions).expire_all();
            next.run(request).await
        }
        Some(FaultKind::ExpireSessions | FaultKind::FailNextJob | FaultKind::PageLimit { .. })
        | None => next.run(request).await,
    }
}

/// `uri` with its `limit` query parameter lowered to `max`, if it has one above.
fn limit_query(uri: &Uri, max: u32) -> Option<Uri> {
    let query = uri.query()?;
    let mut changed = false;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| {
            let v = match (k.as_ref(), v.parse::<i64>()) {
                ("limit", Ok(n)) if n > i64::from(max) => {
                    changed = true;
                    max.to_string()
                }
                _ => v.into_owned(),
            };
            (k.into_owned(), v)
        })
        .collect();
    if !changed {
        return None;
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{}?{query}", uri.path()).parse().ok()
}

pub(crate) fn admin_router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/_sim/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_sim/requests", get(list_requests).delete(clear_requests))
        .route("/_sim/import_session/{id}/state", post(force_state))
        .route("/_sim/seed", get(seed))
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response()
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({"faults": lock(&shared.faults).rules})).into_response()
}

async fn add_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Fault>(&body) {
        Ok(fault) => {
            let echo = json!({"accepted": fault});
            apply_fault(&shared, fault);
            (StatusCode::CREATED, Json(echo)).into_response()
        }
        Err(e) => bad_request(format!("invalid fault: {e}")),
    }
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    lock(&shared.faults).rules.clear();
    StatusCode::NO_CONTENT
}

async fn list_requests(State(shared): State<Arc<Shared>>) -> Response {
    let faults = lock(&shared.faults);
    let mut counts = serde_json::Map::new();
    for r in &faults.log {
        let key = format!("{} {}", r.method, r.path);
        let n = counts.get(&key).and_then(Value::as_u64).unwrap_or(0);
        counts.insert(key, json!(n + 1));
    }
    Json(json!({"total": faults.log.len(), "requests": faults.log, "counts": counts}))
        .into_response()
}

async fn clear_requests(State(shared): State<Arc<Shared>>) -> StatusCode {
    lock(&shared.faults).clear_log();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct ForcedState {
    state: String,
}

async fn force_state(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let forced: ForcedState = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => return bad_request(format!("expected {{\"state\": \"...\"}}: {e}")),
    };
    match lock(&shared.powerstore).force_state(&id, &forced.state) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn seed(State(shared): State<Arc<Shared>>) -> Response {
    Json(crate::seed_summary(&shared)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_and_run_out() {
        let mut store = FaultStore::default();
        store.rules.push(
            Fault::status(503)
                .path_prefix("/api/rest/job")
                .method("get")
                .times(2),
        );
        assert_eq!(store.take("POST", "/api/rest/job"), None);
        assert!(store.take("GET", "/api/rest/job/1").is_some());
        assert!(store.take("GET", "/api/rest/job").is_some());
        assert_eq!(store.take("GET", "/api/rest/job"), None);
        assert!(store.rules.is_empty());
    }

    #[test]
    fn skipped_matches_pass_and_page_limits_stay_apart() {
        let mut store = FaultStore::default();
        store
            .rules
            .push(Fault::page_limit(2).path_prefix("/api/rest/import_session"));
        store.rules.push(
            Fault::status(416)
                .path_prefix("/api/rest/import_session")
                .skip(1)
                .times(1),
        );
        assert_eq!(store.take("GET", "/api/rest/import_session"), None);
        assert!(matches!(
            store.take("GET", "/api/rest/import_session"),
            Some(FaultKind::Status { status: 416, .. })
        ));
        assert_eq!(store.take("GET", "/api/rest/import_session"), None);
        assert_eq!(store.page_limit("GET", "/api/rest/import_session"), Some(2));
        assert_eq!(store.page_limit("GET", "/api/rest/volume"), None);
        let uri: Uri = "/api/rest/import_session?select=id&limit=2000&offset=4"
            .parse()
            .unwrap();
        assert_eq!(
            limit_query(&uri, 2).unwrap().to_string(),
            "/api/rest/import_session?select=id&limit=2&offset=4"
        );
        assert_eq!(limit_query(&uri, 5000), None);
    }

    #[test]
    fn parses_the_documented_json_forms() {
        let f: Fault = serde_json::from_str(
            r#"{"path_prefix": "/api/rest/import_session", "method": "GET", "kind": "status", "status": 503, "retry_after": 1, "times": 2}"#,
        )
        .unwrap();
        assert_eq!(
            f,
            Fault::status(503)
                .path_prefix("/api/rest/import_session")
                .method("GET")
                .times(2)
                .retry_after(1)
        );
        let d: Fault =
            serde_json::from_str(r#"{"kind": "delay", "millis": 3000, "times": 1}"#).unwrap();
        assert_eq!(d, Fault::delay(Duration::from_secs(3)).times(1));
        let e: Fault = serde_json::from_str(r#"{"kind": "expire_sessions"}"#).unwrap();
        assert_eq!(e.kind, FaultKind::ExpireSessions);
        let j: Fault = serde_json::from_str(r#"{"kind": "fail_next_job"}"#).unwrap();
        assert_eq!(j.kind, FaultKind::FailNextJob);
        let r: Fault = serde_json::from_str(
            r#"{"kind": "respond", "status": 302, "headers": {"location": "/login"}, "skip": 1}"#,
        )
        .unwrap();
        assert_eq!(
            r,
            Fault::respond(302, &[("location", "/login")], "").skip(1)
        );
        for (text, kind) in [
            (r#"{"kind": "truncate"}"#, FaultKind::Truncate),
            (r#"{"kind": "reset"}"#, FaultKind::Reset),
            (
                r#"{"kind": "replace_body", "body": "{,"}"#,
                FaultKind::ReplaceBody { body: "{,".into() },
            ),
            (
                r#"{"kind": "expire_sessions_on_request"}"#,
                FaultKind::ExpireSessionsOnRequest,
            ),
            (
                r#"{"kind": "page_limit", "max": 2}"#,
                FaultKind::PageLimit { max: 2 },
            ),
        ] {
            assert_eq!(serde_json::from_str::<Fault>(text).unwrap().kind, kind);
        }
    }
}
