//! Oracle EPM LCM migration API under `/interop/rest`: version discovery, the snapshot list,
//! snapshot import with job polling, and paged task details.
//!
//! Why it looks the way it does: every answer is the `{status, details, items, links}`
//! envelope, where `status` -1 means running, 0 success and any positive value failure, and
//! clients navigate by following absolute `href`s (`rel` "Job Status", "Job Details", "next").
//! Those hrefs are built from the request's `Host`, so they work on whatever port the simulator
//! was given. The `q` parameter is JSON-like text that real clients send with and without quoted
//! keys, so it gets its own lenient parser.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::{auth, lock, SeedOptions, Shared};

/// The only version that serves `applicationsnapshots`.
const SNAPSHOT_VERSION: &str = "11.1.2.3.600";
/// Status for an unknown snapshot, job or task (an error status of the simulator's choosing).
const STATUS_NOT_FOUND: i32 = 8;
/// Status for a request whose parameters do not make sense.
const STATUS_INVALID_INPUT: i32 = 4;
/// Steps a migration job stays at status -1.
const JOB_STEPS: u32 = 3;

enum SnapshotKind {
    Lcm,
    External { size: u64, modified_ms: i64 },
}

struct Snapshot {
    name: String,
    kind: SnapshotKind,
}

struct Job {
    snapshot: String,
    steps_left: u32,
    fails: bool,
}

/// Snapshots and migration jobs.
pub(crate) struct LcmStore {
    snapshots: Vec<Snapshot>,
    jobs: BTreeMap<u64, Job>,
    next_job: u64,
    fail_prefix: String,
    task0_errors: usize,
}

/// One task message (`msgType`, `artifact`, `msgText`, `msgCategory`).
struct Message {
    msg_type: &'static str,
    artifact: String,
    text: String,
    category: &'static str,
}

impl Message {
    fn to_json(&self) -> Value {
        json!({"msgType": self.msg_type, "artifact": self.artifact, "msgText": self.text, "msgCategory": self.category})
    }
}

impl LcmStore {
    pub(crate) fn seeded(options: &SeedOptions) -> Self {
        let lcm = |name: &str| Snapshot {
            name: name.to_string(),
            kind: SnapshotKind::Lcm,
        };
        let mut snapshots = vec![
            lcm("Artifact Snapshot"),
            lcm("Snap1"),
            lcm(&format!("{}-Snap2", options.lcm_fail_prefix)),
            Snapshot {
                name: "monthly-export.zip".to_string(),
                kind: SnapshotKind::External {
                    size: 18,
                    modified_ms: 1_422_534_438_000,
                },
            },
        ];
        snapshots.extend(options.lcm_extra_snapshots.iter().map(|n| lcm(n)));
        LcmStore {
            snapshots,
            jobs: BTreeMap::new(),
            next_job: 1,
            fail_prefix: options.lcm_fail_prefix.clone(),
            task0_errors: options.lcm_task0_errors,
        }
    }

    pub(crate) fn tick(&mut self) {
        for job in self.jobs.values_mut() {
            job.steps_left = job.steps_left.saturating_sub(1);
        }
    }

    fn start_import(&mut self, snapshot: &str) -> u64 {
        let id = self.next_job;
        self.next_job += 1;
        self.jobs.insert(
            id,
            Job {
                snapshot: snapshot.to_string(),
                steps_left: JOB_STEPS,
                fails: snapshot.starts_with(&self.fail_prefix),
            },
        );
        id
    }

    /// The job `job_id` (as written in the URL) if it imports `snapshot`, with its number.
    fn job_of(&self, snapshot: &str, job_id: &str) -> Option<(u64, &Job)> {
        job_id
            .parse::<u64>()
            .ok()
            .and_then(|id| self.jobs.get(&id).map(|j| (id, j)))
            .filter(|(_, j)| j.snapshot == snapshot)
    }

    /// -1 while running, then 0 or 1.
    fn status(job: &Job) -> i32 {
        match (job.steps_left, job.fails) {
            (0, true) => 1,
            (0, false) => 0,
            _ => -1,
        }
    }

    /// The messages of task `task` of a job (none unless the job failed).
    fn messages(&self, job: &Job, task: usize) -> Vec<Message> {
        if Self::status(job) != 1 {
            return Vec::new();
        }
        match task {
            0 => {
                let mut all: Vec<Message> = (1..=self.task0_errors)
                    .map(|i| Message {
                        msg_type: "error",
                        artifact: "/Native Directory/Groups".to_string(),
                        text: format!("EPMIE-00069: Failed to find user during group children import. User user{i:04} not found. Please ensure that a user exists in the system."),
                        category: "14000: Error reported.",
                    })
                    .collect();
                all.extend((1..=2).map(|i| Message {
                    msg_type: "warn",
                    artifact: format!("/Native Directory/Roles/Role{i}"),
                    text: "EPMIE-00070: Role assignment skipped because the role already exists.".to_string(),
                    category: "14001: Warning reported.",
                }));
                all
            }
            1 => (1..=3)
                .map(|i| Message {
                    msg_type: "error",
                    artifact: format!("/Plan Type/Plan1/Rules/Calc{i}"),
                    text: format!("EPMLCM-13000: Artifact Calc{i} failed to import: invalid member reference."),
                    category: "13000: Error reported.",
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The documented error envelope, used for auth failures, bad paths and injected faults.
pub(crate) fn envelope_error(status: StatusCode, details: &str) -> Response {
    (
        status,
        Json(json!({"status": 1, "details": details, "items": null, "links": []})),
    )
        .into_response()
}

pub(crate) fn seed_summary(store: &LcmStore) -> Value {
    json!({
        "version": SNAPSHOT_VERSION,
        "snapshots": store.snapshots.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        "failing_prefix": store.fail_prefix,
    })
}

pub(crate) fn router(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/interop/rest", get(versions))
        .route("/interop/rest/", get(versions))
        .route(
            "/interop/rest/{version}/applicationsnapshots",
            get(list_snapshots),
        )
        .route(
            "/interop/rest/{version}/applicationsnapshots/{name}/migration",
            axum::routing::post(import_snapshot),
        )
        .route(
            "/interop/rest/{version}/applicationsnapshots/{name}/migration/{job}",
            get(job_status),
        )
        .route(
            "/interop/rest/{version}/applicationsnapshots/{name}/migration/{job}/{task}/details",
            get(task_details),
        )
        .route_layer(middleware::from_fn_with_state(shared, authenticate))
}

/// Basic (`user` or `domain.user`) or the configured Bearer token.
async fn authenticate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let config = &shared.config;
    let headers = request.headers();
    let basic_ok = auth::basic_credentials(headers).is_some_and(|(user, password)| {
        let expected = &config.lcm_user;
        let qualified = format!("{}.{}", config.lcm_identity_domain, expected.user);
        (user == expected.user || user == qualified) && password == expected.password
    });
    let bearer_ok = auth::bearer_token(headers).is_some_and(|t| t == config.lcm_bearer_token);
    if basic_ok || bearer_ok {
        return next.run(request).await;
    }
    let mut response = envelope_error(
        StatusCode::UNAUTHORIZED,
        "Authentication failed. Check the user name, password or access token.",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Oracle EPM Cloud\""),
    );
    response
}

/// `http://<Host>` of the request.
fn base(headers: &HeaderMap) -> String {
    format!(
        "http://{}",
        auth::header(headers, "host").unwrap_or("localhost")
    )
}

/// Percent-encodes one path segment.
fn encode_segment(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn link(rel: &str, href: String, action: &str) -> Value {
    json!({"rel": rel, "href": href, "action": action, "data": null})
}

fn envelope(
    http: StatusCode,
    status: i32,
    details: Option<String>,
    items: Value,
    links: Vec<Value>,
) -> Response {
    (
        http,
        Json(json!({"status": status, "details": details, "items": items, "links": links})),
    )
        .into_response()
}

fn self_link(headers: &HeaderMap, uri: &Uri, action: &str) -> Value {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    link("self", format!("{}{path}", base(headers)), action)
}

fn wrong_version(headers: &HeaderMap, uri: &Uri, version: &str) -> Response {
    envelope(
        StatusCode::NOT_FOUND,
        STATUS_NOT_FOUND,
        Some(format!("The REST API version {version} is not supported for this resource; use {SNAPSHOT_VERSION}.")),
        Value::Null,
        vec![self_link(headers, uri, "GET")],
    )
}

async fn versions(headers: HeaderMap, uri: Uri) -> Response {
    let root = format!("{}/interop/rest", base(&headers));
    let item = |version: &str, latest: bool| {
        json!({
            "version": version,
            "lifecycle": "active",
            "latest": latest,
            "links": [link("version", format!("{root}/{version}"), "GET")],
        })
    };
    envelope(
        StatusCode::OK,
        0,
        None,
        json!([item(SNAPSHOT_VERSION, false), item("v2", true)]),
        vec![self_link(&headers, &uri, "GET")],
    )
}

async fn list_snapshots(
    State(shared): State<Arc<Shared>>,
    Path(version): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if version != SNAPSHOT_VERSION {
        return wrong_version(&headers, &uri, &version);
    }
    let store = lock(&shared.lcm);
    let items: Vec<Value> = store
        .snapshots
        .iter()
        .map(|s| match s.kind {
            SnapshotKind::Lcm => json!({"name": s.name, "type": "LCM"}),
            SnapshotKind::External { size, modified_ms } => json!({
                "name": s.name, "type": "EXTERNAL",
                "size": size.to_string(), "lastmodifiedtime": modified_ms.to_string(),
            }),
        })
        .collect();
    envelope(
        StatusCode::OK,
        0,
        None,
        json!(items),
        vec![self_link(&headers, &uri, "GET")],
    )
}

/// A scalar inside `q`.
#[derive(Debug, Clone, PartialEq)]
enum QValue {
    Text(String),
    Bool(bool),
    Number(f64),
    Null,
}

/// Parses the JSON-like `q` object: keys quoted or bare, values quoted text, booleans,
/// numbers, `null`, or bare words (taken as text).
fn parse_q(text: &str) -> Result<Vec<(String, QValue)>, String> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut pos = 0;
    let skip_ws = |pos: &mut usize| {
        while *pos < chars.len() && chars[*pos].is_whitespace() {
            *pos += 1;
        }
    };
    let expect = |pos: &mut usize, c: char| -> Result<(), String> {
        skip_ws(pos);
        if chars.get(*pos) == Some(&c) {
            *pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{c}' at position {pos}"))
        }
    };
    let token = |pos: &mut usize| -> Result<(String, bool), String> {
        skip_ws(pos);
        match chars.get(*pos) {
            Some(&quote @ ('"' | '\'')) => {
                *pos += 1;
                let mut out = String::new();
                loop {
                    match chars.get(*pos) {
                        None => return Err("unterminated string".to_string()),
                        Some('\\') => {
                            out.extend(chars.get(*pos + 1));
                            *pos += 2;
                        }
                        Some(&c) if c == quote => {
                            *pos += 1;
                            return Ok((out, true));
                        }
                        Some(&c) => {
                            out.push(c);
                            *pos += 1;
                        }
                    }
                }
            }
            _ => {
                let start = *pos;
                while *pos < chars.len()
                    && (chars[*pos].is_alphanumeric() || "_-.+".contains(chars[*pos]))
                {
                    *pos += 1;
                }
                if start == *pos {
                    return Err(format!("unexpected character at position {start}"));
                }
                Ok((chars[start..*pos].iter().collect(), false))
            }
        }
    };
    expect(&mut pos, '{')?;
    let mut pairs = Vec::new();
    skip_ws(&mut pos);
    if chars.get(pos) == Some(&'}') {
        pos += 1;
    } else {
        loop {
            let (key, _) = token(&mut pos)?;
            expect(&mut pos, ':')?;
            let (raw, quoted) = token(&mut pos)?;
            let value = if quoted {
                QValue::Text(raw)
            } else {
                match raw.as_str() {
                    "true" => QValue::Bool(true),
                    "false" => QValue::Bool(false),
                    "null" => QValue::Null,
                    other => other
                        .parse::<f64>()
                        .map(QValue::Number)
                        .unwrap_or(QValue::Text(raw)),
                }
            };
            pairs.push((key, value));
            skip_ws(&mut pos);
            match chars.get(pos) {
                Some(',') => pos += 1,
                Some('}') => {
                    pos += 1;
                    break;
                }
                _ => return Err(format!("expected ',' or '}}' at position {pos}")),
            }
        }
    }
    skip_ws(&mut pos);
    if pos != chars.len() {
        return Err("trailing text after the object".to_string());
    }
    Ok(pairs)
}

/// Checks the import options in `q`; the error is the `details` text.
fn check_import_options(q: Option<&str>) -> Result<(), String> {
    let q = q.ok_or("The q parameter with {type:\"import\"} is required.")?;
    let pairs = parse_q(q).map_err(|e| format!("The q parameter is not a valid object: {e}."))?;
    let mut has_type = false;
    for (key, value) in &pairs {
        match (key.as_str(), value) {
            ("type", QValue::Text(t)) if t.eq_ignore_ascii_case("import") => has_type = true,
            ("type", other) => {
                return Err(format!(
                    "Unsupported migration type {other:?}; only import is supported."
                ))
            }
            ("importUsers" | "resetPassword", QValue::Bool(_)) => {}
            ("importUsers" | "resetPassword", QValue::Text(t))
                if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") => {}
            ("userPassword" | "newUserPassword", QValue::Text(_)) => {}
            (k, v) => return Err(format!("Unexpected value {v:?} for {k}.")),
        }
    }
    if has_type {
        Ok(())
    } else {
        Err("The migration type is missing; send {type:\"import\"}.".to_string())
    }
}

fn query_value(raw: &Option<String>, name: &str) -> Option<String> {
    raw.as_deref().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    })
}

fn migration_url(headers: &HeaderMap, version: &str, name: &str) -> String {
    format!(
        "{}/interop/rest/{version}/applicationsnapshots/{}/migration",
        base(headers),
        encode_segment(name)
    )
}

async fn import_snapshot(
    State(shared): State<Arc<Shared>>,
    Path((version, name)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if version != SNAPSHOT_VERSION {
        return wrong_version(&headers, &uri, &version);
    }
    let self_link = self_link(&headers, &uri, "POST");
    if let Err(details) = check_import_options(query_value(&raw, "q").as_deref()) {
        return envelope(
            StatusCode::OK,
            STATUS_INVALID_INPUT,
            Some(format!("Invalid input. {details}")),
            Value::Null,
            vec![self_link],
        );
    }
    let mut store = lock(&shared.lcm);
    if !store.snapshots.iter().any(|s| s.name == name) {
        return envelope(
            StatusCode::NOT_FOUND,
            STATUS_NOT_FOUND,
            Some(format!("The application snapshot {name} does not exist.")),
            Value::Null,
            vec![self_link],
        );
    }
    let job = store.start_import(&name);
    let status_href = format!("{}/{job}", migration_url(&headers, &version, &name));
    envelope(
        StatusCode::OK,
        -1,
        None,
        Value::Null,
        vec![self_link, link("Job Status", status_href, "GET")],
    )
}

fn unknown_job(headers: &HeaderMap, uri: &Uri, what: String) -> Response {
    envelope(
        StatusCode::NOT_FOUND,
        STATUS_NOT_FOUND,
        Some(what),
        Value::Null,
        vec![self_link(headers, uri, "GET")],
    )
}

async fn job_status(
    State(shared): State<Arc<Shared>>,
    Path((version, name, job_id)): Path<(String, String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if version != SNAPSHOT_VERSION {
        return wrong_version(&headers, &uri, &version);
    }
    let store = lock(&shared.lcm);
    let Some((id, job)) = store.job_of(&name, &job_id) else {
        return unknown_job(
            &headers,
            &uri,
            format!("There is no migration job {job_id} for snapshot {name}."),
        );
    };
    let status = LcmStore::status(job);
    let items = if status == 1 {
        let details = |task: usize| {
            format!(
                "{}/{id}/{task}/details?limit=25&offset=0&msgtype=error",
                migration_url(&headers, &version, &name)
            )
        };
        json!([
            {"source": format!("/{name}/HSS-Shared Services"), "name": "Task Information",
             "destination": "Shared Services", "links": [link("Job Details", details(0), "GET")]},
            {"source": format!("/{name}/HP-Planning"), "name": "Task Information",
             "destination": "", "links": [link("Job Details", details(1), "GET")]},
        ])
    } else {
        Value::Null
    };
    envelope(
        StatusCode::OK,
        status,
        None,
        items,
        vec![self_link(&headers, &uri, "GET")],
    )
}

async fn task_details(
    State(shared): State<Arc<Shared>>,
    Path((version, name, job_id, task)): Path<(String, String, String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if version != SNAPSHOT_VERSION {
        return wrong_version(&headers, &uri, &version);
    }
    let store = lock(&shared.lcm);
    let found = store.job_of(&name, &job_id);
    let task_index = task.parse::<usize>().ok().filter(|t| *t < 2);
    let (Some((id, job)), Some(task_index)) = (found, task_index) else {
        return unknown_job(
            &headers,
            &uri,
            format!("There is no task {task} of migration job {job_id} for snapshot {name}."),
        );
    };
    let number = |key: &str, default: usize| match query_value(&raw, key) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| format!("{key} must be a non-negative integer, got '{v}'.")),
    };
    let msgtype = query_value(&raw, "msgtype");
    let parsed = (number("limit", 25), number("offset", 0));
    let (limit, offset) = match parsed {
        (Ok(l), Ok(o)) if l > 0 => (l, o),
        (Err(e), _) | (_, Err(e)) => {
            return envelope(
                StatusCode::OK,
                STATUS_INVALID_INPUT,
                Some(format!("Invalid input. {e}")),
                Value::Null,
                vec![self_link(&headers, &uri, "GET")],
            )
        }
        _ => {
            return envelope(
                StatusCode::OK,
                STATUS_INVALID_INPUT,
                Some("Invalid input. limit must be positive.".to_string()),
                Value::Null,
                vec![self_link(&headers, &uri, "GET")],
            )
        }
    };
    if let Some(t) = &msgtype {
        if !["error", "warn", "info"].contains(&t.as_str()) {
            return envelope(
                StatusCode::OK,
                STATUS_INVALID_INPUT,
                Some(format!(
                    "Invalid input. msgtype must be error, warn or info, got '{t}'."
                )),
                Value::Null,
                vec![self_link(&headers, &uri, "GET")],
            );
        }
    }
    let matching: Vec<Message> = store
        .messages(job, task_index)
        .into_iter()
        .filter(|m| msgtype.as_deref().is_none_or(|t| m.msg_type == t))
        .collect();
    let total = matching.len();
    let items: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(Message::to_json)
        .collect();
    let page = |offset: usize| {
        let kind = msgtype
            .as_deref()
            .map(|t| format!("&msgtype={t}"))
            .unwrap_or_default();
        format!(
            "{}/{id}/{task_index}/details?limit={limit}&offset={offset}{kind}",
            migration_url(&headers, &version, &name)
        )
    };
    let mut links = vec![link("self", page(offset), "GET")];
    if offset + limit < total {
        links.push(link("next", page(offset + limit), "GET"));
    }
    if offset > 0 {
        links.push(link("prev", page(offset.saturating_sub(limit)), "GET"));
    }
    envelope(StatusCode::OK, 0, None, json!(items), links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_accepts_quoted_and_bare_keys() {
        assert_eq!(
            parse_q(r#"{type:"import",importUsers:"true"}"#).unwrap(),
            vec![
                ("type".to_string(), QValue::Text("import".to_string())),
                ("importUsers".to_string(), QValue::Text("true".to_string()))
            ]
        );
        assert_eq!(
            parse_q(r#" { "type" : "import", "resetPassword": false, "n": 3 } "#).unwrap()[1..],
            [
                ("resetPassword".to_string(), QValue::Bool(false)),
                ("n".to_string(), QValue::Number(3.0))
            ]
        );
        assert!(parse_q("{type:").is_err());
        assert!(parse_q("type:import").is_err());
        assert_eq!(parse_q("{}").unwrap(), vec![]);
    }

    #[test]
    fn import_options_are_validated() {
        assert!(check_import_options(Some(
            r#"{type:"import",importUsers:true,userPassword:"Pw1!",resetPassword:"false"}"#
        ))
        .is_ok());
        assert!(check_import_options(Some(r#"{"type":"import","newUserPassword":"x"}"#)).is_ok());
        assert!(check_import_options(Some(r#"{type:"export"}"#)).is_err());
        assert!(check_import_options(Some(r#"{importUsers:"true"}"#)).is_err());
        assert!(check_import_options(Some(r#"{type:"import",importUsers:"yes"}"#)).is_err());
        assert!(check_import_options(None).is_err());
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("Artifact Snapshot"), "Artifact%20Snapshot");
    }
}
