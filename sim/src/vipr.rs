//! EMC ViPR (CoprHD) API at the root path, as served on port 4443: token login/logout,
//! volume-group full copies, and task polling.
//!
//! Why it looks the way it does: ViPR authenticates with an `X-SDS-AUTH-TOKEN` obtained from
//! `GET /login`, and a missing or stale token is not a 401 for GETs but a 302 to the login page,
//! which clients must recognise. Bodies are XML unless the client asks for JSON, except that
//! auth-filter errors are always XML. A full copy of a volume group answers 202 with one task
//! per array replication group; tasks then move queued → pending → ready (or error) on the
//! simulator's clock. Groups or volumes named `fail*` make their task fail.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::{auth, lock, Shared};

const TOKEN_HEADER: &str = "X-SDS-AUTH-TOKEN";
const VDC: &str = "vdc1";
const VDC_ID: &str = "urn:storageos:VirtualDataCenter:0d0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b:vdc1";
const TENANT_ID: &str = "urn:storageos:TenantOrg:1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b:global";
const XML_PROLOG: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Service codes used by the simulator (see `ServiceCode` in CoprHD).
const API_PARAMETER_INVALID: u32 = 1008;
const API_BAD_REQUEST: u32 = 1013;
const API_URL_ENTITY_NOT_FOUND: u32 = 2000;
const SECURITY_UNAUTHORIZED_OPERATION: u32 = 4000;
/// Code carried by a failed full-copy task; the real controller code varies by array.
const CONTROLLER_ERROR: u32 = 12000;

/// A `ServiceErrorRestRep` with its HTTP status.
#[derive(Debug)]
pub(crate) struct ServiceError {
    status: StatusCode,
    code: u32,
    description: String,
    details: String,
}

impl ServiceError {
    /// An error for an injected fault or unknown path, coded after the status.
    pub(crate) fn new(status: StatusCode, details: &str) -> Self {
        let (code, description) = match status {
            StatusCode::NOT_FOUND => (
                API_URL_ENTITY_NOT_FOUND,
                "Unable to find entity specified in URL",
            ),
            StatusCode::BAD_REQUEST => (API_BAD_REQUEST, "Bad request body"),
            StatusCode::UNAUTHORIZED => (SECURITY_UNAUTHORIZED_OPERATION, "Unauthorized operation"),
            StatusCode::SERVICE_UNAVAILABLE => (6503, "The service is currently unavailable"),
            _ => (999, "An unexpected error occurred"),
        };
        Self::coded(status, code, description, details)
    }

    fn coded(status: StatusCode, code: u32, description: &str, details: &str) -> Self {
        ServiceError {
            status,
            code,
            description: description.to_string(),
            details: details.to_string(),
        }
    }

    fn invalid(details: String) -> Self {
        Self::coded(
            StatusCode::BAD_REQUEST,
            API_PARAMETER_INVALID,
            "Parameter was provided but invalid",
            &details,
        )
    }

    fn bad_request(details: String) -> Self {
        Self::coded(
            StatusCode::BAD_REQUEST,
            API_BAD_REQUEST,
            "Bad request body",
            &details,
        )
    }

    fn not_found(id: &str) -> Self {
        Self::coded(
            StatusCode::NOT_FOUND,
            API_URL_ENTITY_NOT_FOUND,
            "Unable to find entity specified in URL",
            &format!("Unable to find entity specified in URL with the given id {id}"),
        )
    }

    fn json(&self) -> Value {
        json!({"code": self.code, "description": self.description, "details": self.details, "retryable": false})
    }

    fn xml(&self) -> String {
        format!(
            "{XML_PROLOG}<error><code>{}</code><description>{}</description><details>{}</details><retryable>false</retryable></error>",
            self.code,
            escape(&self.description),
            escape(&self.details)
        )
    }

    pub(crate) fn json_response(&self) -> Response {
        (self.status, Json(self.json())).into_response()
    }

    fn xml_response(&self) -> Response {
        xml(self.status, self.xml())
    }

    fn respond(&self, json: bool) -> Response {
        if json {
            self.json_response()
        } else {
            self.xml_response()
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xml(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

/// JSON only when asked for; XML is ViPR's default.
fn wants_json(headers: &HeaderMap) -> bool {
    auth::header(headers, "accept").is_some_and(|a| a.to_ascii_lowercase().contains("json"))
}

#[derive(Clone)]
struct Volume {
    id: String,
    name: String,
    replication_group: String,
}

struct Group {
    id: String,
    name: String,
    volumes: Vec<Volume>,
}

impl Group {
    fn replication_groups(&self) -> Vec<String> {
        let mut rgs: Vec<String> = Vec::new();
        for v in &self.volumes {
            if !rgs.contains(&v.replication_group) {
                rgs.push(v.replication_group.clone());
            }
        }
        rgs
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TaskState {
    Queued,
    Pending,
    Ready,
    Error,
}

impl TaskState {
    fn as_str(self) -> &'static str {
        match self {
            TaskState::Queued => "queued",
            TaskState::Pending => "pending",
            TaskState::Ready => "ready",
            TaskState::Error => "error",
        }
    }
}

struct Task {
    id: String,
    op_id: String,
    group_id: String,
    group_name: String,
    copy_name: String,
    replication_group: String,
    sources: Vec<Volume>,
    state: TaskState,
    progress: u32,
    created_ms: i64,
    end_ms: Option<i64>,
    fails: bool,
    /// The full copies, filled in when the task succeeds.
    copies: Vec<(String, String)>,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn urn(class: &str, location: &str) -> String {
    format!("urn:storageos:{class}:{}:{location}", uuid::Uuid::new_v4())
}

fn seed_urn(class: &str, kind: u16, n: usize) -> String {
    format!("urn:storageos:{class}:{kind:04x}0000-71a5-4000-8000-{n:012}:{VDC}")
}

/// Checks `urn:storageos:<class>:<uuid>:<location>` for the expected class.
fn is_urn_of(id: &str, class: &str) -> bool {
    let parts: Vec<&str> = id.split(':').collect();
    parts.len() == 5
        && parts[0].eq_ignore_ascii_case("urn")
        && parts[1].eq_ignore_ascii_case("storageos")
        && parts[2] == class
        && uuid::Uuid::try_parse(parts[3]).is_ok()
        && parts[3].len() == 36
        && parts[4].chars().all(|c| c.is_ascii_alphanumeric())
}

impl Task {
    fn to_json(&self) -> Value {
        let mut t = json!({
            "name": "CREATE VOLUME GROUP FULL COPY",
            "id": self.id,
            "link": {"rel": "self", "href": format!("/vdc/tasks/{}", self.id)},
            "inactive": false,
            "global": false,
            "remote": false,
            "internal": false,
            "tags": [],
            "vdc": {"id": VDC_ID, "link": {"rel": "self", "href": format!("/vdc/{VDC_ID}")}},
            "creation_time": self.created_ms,
            "op_id": self.op_id,
            "resource": {"id": self.group_id, "name": self.group_name,
                         "link": {"rel": "self", "href": format!("/volume-groups/block/{}", self.group_id)}},
            "tenant": {"id": TENANT_ID, "link": {"rel": "self", "href": format!("/tenants/{TENANT_ID}")}},
            "associated_resources": self.copies.iter().map(|(id, name)| json!({
                "id": id, "name": name, "link": {"rel": "self", "href": format!("/block/volumes/{id}")},
            })).collect::<Vec<_>>(),
            "state": self.state.as_str(),
            "allowed_operations": "none_specified",
            "description": "create volume group full copy",
            "progress": self.progress,
            "start_time": self.created_ms,
            "queuedStartTime": self.created_ms,
            "queueName": format!("{}-full-copy", self.replication_group),
        });
        if let Some(end) = self.end_ms {
            t["end_time"] = json!(end);
        }
        match self.state {
            TaskState::Ready => t["message"] = json!("Operation completed successfully"),
            TaskState::Error => t["service_error"] = self.failure().json(),
            TaskState::Queued | TaskState::Pending => {}
        }
        t
    }

    fn failure(&self) -> ServiceError {
        let failing = self
            .sources
            .iter()
            .find(|v| v.name.starts_with("fail"))
            .map(|v| v.name.clone())
            .unwrap_or_else(|| self.group_name.clone());
        ServiceError::coded(
            StatusCode::INTERNAL_SERVER_ERROR,
            CONTROLLER_ERROR,
            "An error occurred while executing the job",
            &format!(
                "Full copy {} of replication group {} failed: the array rejected the clone of {failing}.",
                self.copy_name, self.replication_group
            ),
        )
    }

    fn to_xml(&self) -> String {
        let j = self.to_json();
        let mut out = String::from("<task>");
        let text = |out: &mut String, tag: &str, v: &Value| {
            let s = match v {
                Value::String(s) => escape(s),
                other => other.to_string(),
            };
            let _ = write!(out, "<{tag}>{s}</{tag}>");
        };
        let link = |out: &mut String, v: &Value| {
            let _ = write!(
                out,
                r#"<link rel="{}" href="{}"/>"#,
                escape(v["rel"].as_str().unwrap_or_default()),
                escape(v["href"].as_str().unwrap_or_default())
            );
        };
        let related = |out: &mut String, tag: &str, v: &Value| {
            let _ = write!(out, "<{tag}>");
            text(out, "id", &v["id"]);
            link(out, &v["link"]);
            if let Some(name) = v.get("name") {
                text(out, "name", name);
            }
            let _ = write!(out, "</{tag}>");
        };
        for (key, value) in j.as_object().into_iter().flatten() {
            match key.as_str() {
                "link" => link(&mut out, value),
                "vdc" | "resource" | "tenant" => related(&mut out, key, value),
                "tags" => out.push_str("<tags/>"),
                "associated_resources" => {
                    out.push_str("<associated_resources>");
                    for r in value.as_array().into_iter().flatten() {
                        related(&mut out, "associated_resource", r);
                    }
                    out.push_str("</associated_resources>");
                }
                "service_error" => {
                    out.push_str("<service_error>");
                    for field in ["code", "description", "details", "retryable"] {
                        text(&mut out, field, &value[field]);
                    }
                    out.push_str("</service_error>");
                }
                _ => text(&mut out, key, value),
            }
        }
        out.push_str("</task>");
        out
    }

    fn advance(&mut self) {
        match self.state {
            TaskState::Queued => self.state = TaskState::Pending,
            TaskState::Pending if self.fails && self.progress >= 50 => {
                self.state = TaskState::Error;
                self.end_ms = Some(now_ms());
            }
            TaskState::Pending if self.progress >= 100 => {
                self.state = TaskState::Ready;
                self.end_ms = Some(now_ms());
                self.copies = self
                    .sources
                    .iter()
                    .map(|v| (urn("Volume", VDC), format!("{}-{}", self.copy_name, v.name)))
                    .collect();
            }
            TaskState::Pending => self.progress = (self.progress + 25).min(100),
            TaskState::Ready | TaskState::Error => {}
        }
    }
}

/// Volume groups and tasks.
pub(crate) struct ViprStore {
    groups: Vec<Group>,
    tasks: Vec<Task>,
}

impl ViprStore {
    pub(crate) fn seeded() -> Self {
        let mut n = 0;
        let mut vol = |name: &str, rg: &str| {
            n += 1;
            Volume {
                id: seed_urn("Volume", 0x7a, n),
                name: name.to_string(),
                replication_group: rg.to_string(),
            }
        };
        let groups = vec![
            Group {
                id: seed_urn("VolumeGroup", 0x7b, 1),
                name: "app1".to_string(),
                volumes: vec![
                    vol("app1-vol-1", "rg_app1_a"),
                    vol("app1-vol-2", "rg_app1_a"),
                    vol("app1-vol-3", "rg_app1_b"),
                ],
            },
            Group {
                id: seed_urn("VolumeGroup", 0x7b, 2),
                name: "app-mixed".to_string(),
                volumes: vec![
                    vol("mixed-vol-1", "rg_mixed_ok"),
                    vol("mixed-vol-2", "rg_mixed_ok"),
                    vol("fail-vol-1", "rg_mixed_bad"),
                    vol("fail-vol-2", "rg_mixed_bad"),
                ],
            },
            Group {
                id: seed_urn("VolumeGroup", 0x7b, 3),
                name: "empty-app".to_string(),
                volumes: Vec::new(),
            },
        ];
        ViprStore {
            groups,
            tasks: Vec::new(),
        }
    }

    pub(crate) fn tick(&mut self) {
        self.tasks.iter_mut().for_each(Task::advance);
    }

    fn full_copy(&mut self, group_id: &str, body: &Value) -> Result<Vec<usize>, ServiceError> {
        if !is_urn_of(group_id, "VolumeGroup") {
            return Err(ServiceError::invalid(format!(
                "Parameter id is not a valid VolumeGroup URI: {group_id}"
            )));
        }
        let request = FullCopyRequest::parse(body)?;
        let group = self
            .groups
            .iter()
            .find(|g| g.id == group_id)
            .ok_or_else(|| ServiceError::not_found(group_id))?;
        if group.volumes.is_empty() {
            return Err(ServiceError::bad_request(format!(
                "Replica operation is not allowed on the empty volume group {}.",
                group.name
            )));
        }
        let busy = self.tasks.iter().any(|t| {
            t.group_id == group.id && matches!(t.state, TaskState::Queued | TaskState::Pending)
        });
        if busy {
            return Err(ServiceError::bad_request(format!(
                "Operation cannot be performed on volume group {} while it has a pending task.",
                group.name
            )));
        }
        let selected: Vec<String> = if request.partial {
            if request.volumes.is_empty() {
                return Err(ServiceError::invalid(
                    "A partial request needs volumes, one from each array replication group."
                        .to_string(),
                ));
            }
            let mut rgs = Vec::new();
            for id in &request.volumes {
                let volume = group.volumes.iter().find(|v| &v.id == id).ok_or_else(|| {
                    ServiceError::invalid(format!(
                        "Volume {id} is not a member of volume group {}.",
                        group.name
                    ))
                })?;
                if !rgs.contains(&volume.replication_group) {
                    rgs.push(volume.replication_group.clone());
                }
            }
            rgs
        } else if !request.subgroups.is_empty() {
            let known = group.replication_groups();
            for sg in &request.subgroups {
                if !known.contains(sg) {
                    return Err(ServiceError::invalid(format!(
                        "Sub group {sg} is not part of volume group {}.",
                        group.name
                    )));
                }
            }
            request.subgroups.clone()
        } else {
            group.replication_groups()
        };
        let created = now_ms();
        let group_fails = group.name.starts_with("fail");
        let tasks: Vec<Task> = selected
            .iter()
            .map(|rg| {
                let sources: Vec<Volume> = group
                    .volumes
                    .iter()
                    .filter(|v| &v.replication_group == rg)
                    .cloned()
                    .collect();
                Task {
                    id: urn("Task", VDC),
                    op_id: uuid::Uuid::new_v4().to_string(),
                    group_id: group.id.clone(),
                    group_name: group.name.clone(),
                    copy_name: request.name.clone(),
                    replication_group: rg.clone(),
                    fails: group_fails || sources.iter().any(|v| v.name.starts_with("fail")),
                    sources,
                    state: TaskState::Queued,
                    progress: 0,
                    created_ms: created,
                    end_ms: None,
                    copies: Vec::new(),
                }
            })
            .collect();
        let first = self.tasks.len();
        self.tasks.extend(tasks);
        Ok((first..self.tasks.len()).collect())
    }
}

/// A validated `VolumeGroupFullCopyCreateParam`.
struct FullCopyRequest {
    name: String,
    partial: bool,
    volumes: Vec<String>,
    subgroups: Vec<String>,
}

/// Jackson-style leniency: booleans and numbers may arrive as strings.
fn lenient_bool(body: &Value, field: &str) -> Result<bool, ServiceError> {
    match &body[field] {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(ServiceError::bad_request(format!(
            "Cannot read {field} as a boolean: {other}"
        ))),
    }
}

fn string_list(body: &Value, field: &str) -> Result<Vec<String>, ServiceError> {
    match &body[field] {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ServiceError::bad_request(format!("{field} must hold strings")))
            })
            .collect(),
        other => Err(ServiceError::bad_request(format!(
            "{field} must be a list, got {other}"
        ))),
    }
}

impl FullCopyRequest {
    fn parse(body: &Value) -> Result<Self, ServiceError> {
        if !body.is_object() {
            return Err(ServiceError::bad_request(
                "The request body must be a JSON object.".to_string(),
            ));
        }
        let name = body["name"].as_str().map(str::trim).unwrap_or_default();
        if name.is_empty() {
            return Err(ServiceError::invalid(
                "Required parameter name was missing or empty".to_string(),
            ));
        }
        match &body["type"] {
            Value::Null => {}
            Value::String(t) if t == "full_copy" => {}
            other => {
                return Err(ServiceError::invalid(format!(
                    "Parameter type must be full_copy, got {other}"
                )))
            }
        }
        let count = match &body["count"] {
            Value::Null => Some(1),
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match count {
            Some(c) if c >= 1 => {}
            Some(c) => {
                return Err(ServiceError::invalid(format!(
                    "Parameter count must be at least 1, got {c}"
                )))
            }
            None => {
                return Err(ServiceError::bad_request(format!(
                    "Cannot read count as a number: {}",
                    body["count"]
                )))
            }
        }
        lenient_bool(body, "create_inactive")?;
        for (field, class) in [("varrayId", "VirtualArray"), ("vpoolId", "VirtualPool")] {
            match &body[field] {
                Value::Null => {}
                Value::String(s) if is_urn_of(s, class) => {}
                other => {
                    return Err(ServiceError::invalid(format!(
                        "Parameter {field} is not a valid {class} URI: {other}"
                    )))
                }
            }
        }
        Ok(FullCopyRequest {
            name: name.to_string(),
            partial: lenient_bool(body, "partial")?,
            volumes: string_list(body, "volumes")?,
            subgroups: string_list(body, "subgroups")?,
        })
    }
}

pub(crate) fn seed_summary(store: &ViprStore) -> Value {
    json!({
        "volume_groups": store.groups.iter().map(|g| json!({
            "id": g.id,
            "name": g.name,
            "volumes": g.volumes.iter().map(|v| json!({"id": v.id, "name": v.name, "replication_group": v.replication_group})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub(crate) fn router(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    let protected = Router::new()
        .route("/logout", get(logout))
        .route(
            "/volume-groups/block/{id}/protection/full-copies",
            post(create_full_copy),
        )
        .route("/vdc/tasks/{id}", get(get_task))
        .route_layer(middleware::from_fn_with_state(shared, require_token));
    Router::new().route("/login", get(login)).merge(protected)
}

fn presented_token(headers: &HeaderMap) -> Option<String> {
    auth::header(headers, TOKEN_HEADER)
        .map(str::to_string)
        .or_else(|| auth::cookie(headers, TOKEN_HEADER))
}

/// The calling user, inserted by [`require_token`].
#[derive(Clone)]
struct ViprUser(String);

/// The token filter: GET without a live token → 302 to the login page, others → 401.
async fn require_token(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let idle = shared.config.vipr_token_idle_timeout;
    let user = presented_token(request.headers())
        .and_then(|t| lock(&shared.sessions).check_vipr(&t, idle));
    if let Some(user) = user {
        request.extensions_mut().insert(ViprUser(user));
        return next.run(request).await;
    }
    let host = auth::header(request.headers(), "host")
        .unwrap_or("localhost")
        .to_string();
    let original = format!(
        "http://{host}{}",
        request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/")
    );
    let service: String = url::form_urlencoded::byte_serialize(original.as_bytes()).collect();
    let location = format!("/login?service={service}");
    let mut response = if request.method() == Method::GET {
        StatusCode::FOUND.into_response()
    } else {
        ServiceError::coded(
            StatusCode::UNAUTHORIZED,
            SECURITY_UNAUTHORIZED_OPERATION,
            "Unauthorized operation",
            "The authentication token is missing, invalid or expired. Log in again.",
        )
        .xml_response()
    };
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

fn user_body(json: bool, root: &str, user: &str) -> Response {
    if json {
        Json(json!({"user": user})).into_response()
    } else {
        xml(
            StatusCode::OK,
            format!("{XML_PROLOG}<{root}><user>{}</user></{root}>", escape(user)),
        )
    }
}

async fn login(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let idle = shared.config.vipr_token_idle_timeout;
    let mut sessions = lock(&shared.sessions);
    let reused =
        presented_token(&headers).and_then(|t| sessions.check_vipr(&t, idle).map(|u| (t, u)));
    let expected = &shared.config.vipr_user;
    let (token, user) = match reused {
        Some(found) => found,
        None => match auth::basic_credentials(&headers) {
            Some((u, p)) if u == expected.user && p == expected.password => {
                (sessions.open_vipr(&u), u)
            }
            _ => {
                return (
                    StatusCode::UNAUTHORIZED,
                    [(header::WWW_AUTHENTICATE, r#"basic realm="ViPR""#)],
                )
                    .into_response()
            }
        },
    };
    let mut response = user_body(wants_json(&headers), "loggedIn", &user);
    if let Ok(v) = HeaderValue::from_str(&token) {
        response.headers_mut().insert(TOKEN_HEADER, v);
    }
    response
}

async fn logout(
    State(shared): State<Arc<Shared>>,
    axum::Extension(ViprUser(user)): axum::Extension<ViprUser>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = presented_token(&headers) {
        lock(&shared.sessions).close_vipr(&token);
    }
    user_body(wants_json(&headers), "LoggedOut", &user)
}

async fn create_full_copy(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json = wants_json(&headers);
    let parsed: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return ServiceError::bad_request(format!("Unable to parse the JSON request body: {e}"))
                .respond(json)
        }
    };
    let mut store = lock(&shared.vipr);
    match store.full_copy(&id, &parsed) {
        Ok(created) => {
            let tasks: Vec<&Task> = created.iter().map(|i| &store.tasks[*i]).collect();
            if json {
                (
                    StatusCode::ACCEPTED,
                    Json(json!({"task": tasks.iter().map(|t| t.to_json()).collect::<Vec<_>>()})),
                )
                    .into_response()
            } else {
                let inner: String = tasks.iter().map(|t| t.to_xml()).collect();
                xml(
                    StatusCode::ACCEPTED,
                    format!("{XML_PROLOG}<tasks>{inner}</tasks>"),
                )
            }
        }
        Err(e) => e.respond(json),
    }
}

async fn get_task(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let json = wants_json(&headers);
    let store = lock(&shared.vipr);
    match store.tasks.iter().find(|t| t.id == id) {
        Some(t) if json => Json(t.to_json()).into_response(),
        Some(t) => xml(StatusCode::OK, format!("{XML_PROLOG}{}", t.to_xml())),
        None => ServiceError::not_found(&id).respond(json),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urns_are_checked() {
        let store = ViprStore::seeded();
        assert!(is_urn_of(&store.groups[0].id, "VolumeGroup"));
        assert!(!is_urn_of(&store.groups[0].volumes[0].id, "VolumeGroup"));
        assert!(!is_urn_of(
            "urn:storageos:VolumeGroup:not-a-uuid:vdc1",
            "VolumeGroup"
        ));
        assert!(is_urn_of(
            "urn:storageos:VolumeGroup:0b6f1c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b:",
            "VolumeGroup"
        ));
    }

    #[test]
    fn full_copy_validation() {
        let mut store = ViprStore::seeded();
        let app1 = store.groups[0].id.clone();
        let empty = store.groups[2].id.clone();
        let code =
            |r: Result<Vec<usize>, ServiceError>| r.err().map(|e| (e.status.as_u16(), e.code));
        assert_eq!(
            code(store.full_copy(&app1, &json!({}))),
            Some((400, API_PARAMETER_INVALID))
        );
        assert_eq!(
            code(store.full_copy(&empty, &json!({"name": "c"}))),
            Some((400, API_BAD_REQUEST))
        );
        assert_eq!(
            code(store.full_copy("urn:storageos:Volume:x:vdc1", &json!({"name": "c"}))),
            Some((400, API_PARAMETER_INVALID))
        );
        assert_eq!(
            code(store.full_copy(&seed_urn("VolumeGroup", 1, 99), &json!({"name": "c"}))),
            Some((404, API_URL_ENTITY_NOT_FOUND))
        );
        assert_eq!(
            code(store.full_copy(&app1, &json!({"name": "c", "partial": true}))),
            Some((400, API_PARAMETER_INVALID))
        );
        assert_eq!(
            code(store.full_copy(&app1, &json!({"name": "c", "type": "snapshot"}))),
            Some((400, API_PARAMETER_INVALID))
        );
        assert_eq!(
            code(store.full_copy(&app1, &json!({"name": "c", "count": "many"}))),
            Some((400, API_BAD_REQUEST))
        );
        let created = store
            .full_copy(&app1, &json!({"name": "c", "count": "1"}))
            .unwrap();
        assert_eq!(created.len(), 2);
        assert_eq!(
            code(store.full_copy(&app1, &json!({"name": "c2"}))),
            Some((400, API_BAD_REQUEST))
        );
    }

    #[test]
    fn task_xml_uses_link_attributes() {
        let mut store = ViprStore::seeded();
        let id = store.groups[1].id.clone();
        store.full_copy(&id, &json!({"name": "nightly"})).unwrap();
        let x = store.tasks[0].to_xml();
        assert!(x.starts_with("<task>") && x.ends_with("</task>"), "{x}");
        assert!(
            x.contains("<name>CREATE VOLUME GROUP FULL COPY</name>"),
            "{x}"
        );
        assert!(x.contains(r#"<link rel="self" href="/vdc/tasks/urn:storageos:Task:"#));
        assert!(x.contains("<state>queued</state>"));
    }
}
