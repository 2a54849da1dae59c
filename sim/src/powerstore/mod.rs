//! PowerStore REST API under `/api/rest`: routes, the cookie/CSRF auth layer, and the glue
//! between HTTP and the [`store`].
//!
//! Why here: this module is the only place that knows about headers, status codes and query
//! strings for PowerStore; the data rules live in `store`, `state`, `jobs` and `query`.

mod error;
mod inventory;
mod jobs;
mod query;
pub(crate) mod state;
pub(crate) mod store;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::auth::{self, CookieCheck, PsSession};
use crate::{lock, Shared};
use error::{PsError, CODE_FORBIDDEN, CODE_UNAUTHENTICATED};
use jobs::JobEffect;
use query::{parse_instance_select, project, CollectionQuery, Schema};
use state::Action;
use store::{PsStore, IMPORT_SESSION_SCHEMA, JOB_SCHEMA};

pub(crate) use error::{PsError as PowerStoreError, CODE_GENERIC_FAULT};

const CSRF_HEADER: &str = "DELL-EMC-TOKEN";
const COOKIE_NAME: &str = "auth_cookie";

type Shd = State<Arc<Shared>>;

/// `login_session_instance`: the caller's session, always answered in full unless `select`
/// narrows it.
const LOGIN_SESSION_SCHEMA: Schema = Schema {
    name: "login_session",
    fields: &[
        "id",
        "user",
        "role_ids",
        "idle_timeout",
        "is_password_change_required",
        "is_built_in_user",
    ],
    embeddable: &[],
};

/// Every resource type the simulator serves, for the check against the vendor spec.
#[cfg(test)]
const SERVED_SCHEMAS: &[&Schema] = &[
    &IMPORT_SESSION_SCHEMA,
    &JOB_SCHEMA,
    &LOGIN_SESSION_SCHEMA,
    &inventory::REMOTE_SYSTEM_SCHEMA,
    &inventory::VOLUME_SCHEMA,
    &inventory::VOLUME_GROUP_SCHEMA,
];

pub(crate) fn router(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/rest/login_session", get(login_session))
        .route("/api/rest/logout", post(logout))
        .route(
            "/api/rest/import_session",
            get(list_sessions).post(create_session),
        )
        .route(
            "/api/rest/import_session/{id}",
            get(get_session)
                .patch(modify_session)
                .delete(delete_session),
        )
        .route(
            "/api/rest/import_session/{id}/{action}",
            post(session_action),
        )
        .route("/api/rest/job", get(list_jobs))
        .route("/api/rest/job/{id}", get(get_job))
        .route("/api/rest/remote_system", get(list_remote_systems))
        .route("/api/rest/remote_system/{id}", get(get_remote_system))
        .route("/api/rest/volume", get(list_volumes))
        .route(
            "/api/rest/volume/{id}",
            get(get_volume).patch(modify_volume),
        )
        .route("/api/rest/volume_group", get(list_volume_groups))
        .route("/api/rest/volume_group/{id}", get(get_volume_group))
        .route_layer(middleware::from_fn_with_state(shared, authenticate))
}

/// Who is calling: the session the request was tied to by the auth layer.
#[derive(Clone)]
struct Caller {
    session: PsSession,
}

fn unauthenticated(message: &str) -> Response {
    PsError::new(StatusCode::UNAUTHORIZED, CODE_UNAUTHENTICATED, message).into_response()
}

fn forbidden(message: &str) -> Response {
    PsError::new(StatusCode::FORBIDDEN, CODE_FORBIDDEN, message).into_response()
}

/// Basic or `auth_cookie` authentication, plus the `DELL-EMC-TOKEN` check on non-GET requests.
async fn authenticate(State(shared): Shd, mut request: Request, next: Next) -> Response {
    let idle = shared.config.powerstore_idle_timeout;
    let headers = request.headers().clone();
    let basic = auth::basic_credentials(&headers);
    let presented_cookie = auth::cookie(&headers, COOKIE_NAME);
    let csrf = auth::header(&headers, CSRF_HEADER).map(str::to_string);
    let needs_csrf = request.method() != Method::GET && request.method() != Method::HEAD;

    let (session, is_new) = {
        let mut sessions = lock(&shared.sessions);
        let from_cookie = presented_cookie
            .as_deref()
            .map(|c| sessions.check_cookie(c, idle));
        match basic {
            Some((user, password)) => {
                let expected = &shared.config.powerstore_user;
                if user != expected.user || password != expected.password {
                    return unauthenticated("Authentication failed: wrong user name or password.");
                }
                match (from_cookie, needs_csrf) {
                    (Some(CookieCheck::Live(s)), _) => (s, false),
                    (_, true) => match csrf.as_deref().and_then(|t| sessions.session_by_csrf(t, idle)) {
                        Some(s) => (s, false),
                        None => {
                            return forbidden("A valid DELL-EMC-TOKEN header is required for this request.")
                        }
                    },
                    (_, false) => (sessions.open_powerstore(&user), true),
                }
            }
            None => match from_cookie {
                Some(CookieCheck::Live(s)) => (s, false),
                Some(CookieCheck::Stale) => {
                    return forbidden("The login session has expired. Log in again.")
                }
                Some(CookieCheck::Unknown) => {
                    return unauthenticated("The auth_cookie is not valid. Log in again.")
                }
                None => {
                    return unauthenticated("Authentication required: use HTTP Basic or the auth_cookie of a login session.")
                }
            },
        }
    };
    if needs_csrf && csrf.as_deref() != Some(session.csrf_token.as_str()) {
        return forbidden("A valid DELL-EMC-TOKEN header is required for this request.");
    }

    request.extensions_mut().insert(Caller {
        session: session.clone(),
    });
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&session.csrf_token) {
        out.insert(CSRF_HEADER, v);
    }
    if is_new {
        if let Ok(v) = HeaderValue::from_str(&format!("{COOKIE_NAME}={}; Path=/", session.cookie)) {
            out.append(axum::http::header::SET_COOKIE, v);
        }
    }
    response
}

fn query_pairs(raw: &Option<String>) -> Vec<(String, String)> {
    raw.as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default()
}

fn is_async(pairs: &[(String, String)]) -> bool {
    pairs
        .iter()
        .any(|(k, v)| k == "is_async" && v.eq_ignore_ascii_case("true"))
}

fn json_body(body: &Bytes) -> Result<Value, PsError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body)
        .map_err(|e| PsError::bad_request(format!("The request body is not valid JSON: {e}.")))
}

fn accepted(job_id: String) -> Response {
    (StatusCode::ACCEPTED, Json(json!({"id": job_id}))).into_response()
}

/// Applies a validated `effect` to import session `id`: with `is_async=true` in `raw` it is
/// queued as a job of the caller (202 with the job id), else it is applied now (204).
fn change_session(
    store: &mut PsStore,
    raw: &Option<String>,
    id: &str,
    effect: JobEffect,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Response, PsError> {
    if !is_async(&query_pairs(raw)) {
        store.run_effect(effect, now)?;
        return Ok(no_content());
    }
    let name = store.session(id)?.spec.name.clone();
    let job = store.enqueue(
        effect,
        Some(id.to_owned()),
        &name,
        &caller.session.user,
        now,
    );
    Ok(accepted(job))
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Answers a collection query over `objects`.
fn collection(
    raw: &Option<String>,
    headers: &HeaderMap,
    schema: &Schema,
    objects: Vec<Value>,
    embed: query::Embedder<'_>,
) -> Result<Response, PsError> {
    let range = auth::header(headers, "range");
    let q = CollectionQuery::parse(&query_pairs(raw), range, schema)?;
    let page = q.run(objects, embed)?;
    let status = page.status();
    let mut response = (status, Json(page.items)).into_response();
    if let Some(range) = page
        .content_range
        .and_then(|r| HeaderValue::from_str(&r).ok())
    {
        response.headers_mut().insert("content-range", range);
    }
    Ok(response)
}

/// Answers an instance query for `object`.
fn instance(
    raw: &Option<String>,
    schema: &Schema,
    object: &Value,
    embed: query::Embedder<'_>,
) -> Result<Response, PsError> {
    let select = parse_instance_select(&query_pairs(raw), schema)?;
    Ok(Json(project(object, select.as_deref(), embed)).into_response())
}

fn no_embedding(_: &str, _: &Value) -> Option<Value> {
    None
}

/// The job relations: `parent` and `root` by id, `children` and `leafs` (other jobs whose
/// parent or root is this one) as lists.
fn job_embedder(jobs: &[Value]) -> impl Fn(&str, &Value) -> Option<Value> + '_ {
    move |field, obj| {
        let by_id = |key: &str| {
            let id = obj.get(key).and_then(Value::as_str)?;
            jobs.iter().find(|j| j["id"].as_str() == Some(id)).cloned()
        };
        let pointing_here = |key: &str| {
            let id = obj["id"].as_str();
            Value::Array(
                jobs.iter()
                    .filter(|j| j[key].as_str() == id && j["id"].as_str() != id)
                    .cloned()
                    .collect(),
            )
        };
        match field {
            "parent" => Some(by_id("parent_id").unwrap_or(Value::Null)),
            "root" => Some(by_id("root_id").unwrap_or(Value::Null)),
            "children" => Some(pointing_here("parent_id")),
            "leafs" => Some(pointing_here("root_id")),
            _ => None,
        }
    }
}

/// `import_sessions` of a remote system: the sessions that copy from it.
fn remote_system_embedder(store: &PsStore) -> impl Fn(&str, &Value) -> Option<Value> + '_ {
    move |field, obj| match field {
        "import_sessions" => Some(Value::Array(
            obj["id"]
                .as_str()
                .map(|id| store.sessions_of_remote_system(id))
                .unwrap_or_default(),
        )),
        _ => None,
    }
}

fn session_embedder(store: &PsStore) -> impl Fn(&str, &Value) -> Option<Value> + '_ {
    move |field, obj| match field {
        "remote_system" => Some(
            obj["remote_system_id"]
                .as_str()
                .and_then(|id| store.remote_system_json(id))
                .unwrap_or(Value::Null),
        ),
        _ => None,
    }
}

fn flatten(result: Result<Response, PsError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn login_session(
    State(shared): Shd,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> Response {
    let idle = shared
        .config
        .powerstore_idle_timeout
        .as_secs()
        .min(i32::MAX as u64);
    let s = caller.session;
    let full = json!({
        "id": s.id,
        "user": s.user,
        "role_ids": ["1"],
        "idle_timeout": idle,
        "is_password_change_required": false,
        "is_built_in_user": s.user == "admin",
    });
    flatten(
        parse_instance_select(&query_pairs(&raw), &LOGIN_SESSION_SCHEMA).map(|select| {
            let session = match select {
                Some(items) => project(&full, Some(&items), &no_embedding),
                None => full,
            };
            Json(json!([session])).into_response()
        }),
    )
}

async fn logout(State(shared): Shd, Extension(caller): Extension<Caller>) -> Response {
    lock(&shared.sessions).close_powerstore(&caller.session.cookie);
    no_content()
}

async fn list_sessions(
    State(shared): Shd,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let store = lock(&shared.powerstore);
    let embed = session_embedder(&store);
    flatten(collection(
        &raw,
        &headers,
        &IMPORT_SESSION_SCHEMA,
        store.sessions_json(),
        &embed,
    ))
}

async fn get_session(
    State(shared): Shd,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let store = lock(&shared.powerstore);
    let embed = session_embedder(&store);
    flatten(
        store
            .session(&id)
            .and_then(|s| instance(&raw, &IMPORT_SESSION_SCHEMA, &s.to_json(), &embed)),
    )
}

async fn create_session(
    State(shared): Shd,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let now = Utc::now();
    let mut store = lock(&shared.powerstore);
    flatten((|| -> Result<Response, PsError> {
        let body = json_body(&body)?;
        let spec = store.validate_create(&body)?;
        if is_async(&query_pairs(&raw)) {
            let name = spec.name.clone();
            let job = store.enqueue(
                JobEffect::Create(Box::new(spec)),
                None,
                &name,
                &caller.session.user,
                now,
            );
            return Ok(accepted(job));
        }
        let id = store.create(spec, now)?;
        Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
    })())
}

async fn modify_session(
    State(shared): Shd,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let now = Utc::now();
    let mut store = lock(&shared.powerstore);
    flatten((|| -> Result<Response, PsError> {
        let session = store.session(&id)?;
        let name = session.spec.name.clone();
        let body = json_body(&body)?;
        let fields = body
            .as_object()
            .ok_or_else(|| PsError::bad_request("The request body must be a JSON object."))?;
        if let Some(other) = fields.keys().find(|k| *k != "scheduled_timestamp") {
            return Err(PsError::bad_request(format!(
                "The property {other} cannot be modified; only scheduled_timestamp can."
            ))
            .with_argument(other.as_str()));
        }
        let text = fields
            .get("scheduled_timestamp")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                PsError::bad_request(
                    "The property scheduled_timestamp (a date-time string) is required.",
                )
            })?;
        let at = store::parse_timestamp("scheduled_timestamp", text)?;
        if is_async(&query_pairs(&raw)) && session.state != state::SessionState::Scheduled {
            return Err(PsError::invalid_state(format!(
                "Only a Scheduled import session can be rescheduled; {name} is {}.",
                session.state.as_str()
            )));
        }
        let effect = JobEffect::Reschedule {
            session_id: id.clone(),
            at,
        };
        change_session(&mut store, &raw, &id, effect, &caller, now)
    })())
}

async fn delete_session(
    State(shared): Shd,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let now = Utc::now();
    let mut store = lock(&shared.powerstore);
    flatten((|| -> Result<Response, PsError> {
        store.check_delete(&id)?;
        let effect = JobEffect::Delete {
            session_id: id.clone(),
        };
        change_session(&mut store, &raw, &id, effect, &caller, now)
    })())
}

async fn session_action(
    State(shared): Shd,
    Extension(caller): Extension<Caller>,
    Path((id, action_name)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let now = Utc::now();
    let mut store = lock(&shared.powerstore);
    flatten((|| -> Result<Response, PsError> {
        let body = json_body(&body)?;
        let force = match body.get("force") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(
                    PsError::bad_request("The property force must be a boolean.")
                        .with_argument("force"),
                )
            }
        };
        let action = Action::parse(&action_name, force).ok_or_else(|| {
            PsError::new(
                StatusCode::NOT_FOUND,
                error::CODE_NOT_FOUND,
                format!("import_session has no action named {action_name}."),
            )
            .with_argument(action_name.as_str())
        })?;
        store.check_action(&id, action)?;
        let effect = JobEffect::Act {
            session_id: id.clone(),
            action,
        };
        change_session(&mut store, &raw, &id, effect, &caller, now)
    })())
}

async fn list_jobs(State(shared): Shd, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    let jobs = lock(&shared.powerstore).jobs_json();
    let embed = job_embedder(&jobs);
    flatten(collection(
        &raw,
        &headers,
        &JOB_SCHEMA,
        jobs.clone(),
        &embed,
    ))
}

async fn get_job(State(shared): Shd, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let (job, jobs) = {
        let store = lock(&shared.powerstore);
        (store.job_json(&id), store.jobs_json())
    };
    let embed = job_embedder(&jobs);
    flatten(job.and_then(|j| instance(&raw, &JOB_SCHEMA, &j, &embed)))
}

/// Volume group membership is not modelled: `volume_groups` of a volume and `volumes` of a
/// volume group are accepted in `select` and answered as `null`.
fn no_memberships(_: &PsStore) -> fn(&str, &Value) -> Option<Value> {
    no_embedding
}

/// Generates the list and get handlers of a read-only inventory resource.
macro_rules! inventory_routes {
    ($list:ident, $get:ident, $field:ident, $schema:path, $kind:literal, $embedder:expr) => {
        async fn $list(
            State(shared): Shd,
            RawQuery(raw): RawQuery,
            headers: HeaderMap,
        ) -> Response {
            let store = lock(&shared.powerstore);
            let objects: Vec<Value> = store.inventory.$field.iter().map(|o| o.to_json()).collect();
            let embed = $embedder(&store);
            flatten(collection(&raw, &headers, &$schema, objects, &embed))
        }

        async fn $get(
            State(shared): Shd,
            Path(id): Path<String>,
            RawQuery(raw): RawQuery,
        ) -> Response {
            let store = lock(&shared.powerstore);
            let object = store
                .inventory
                .$field
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.to_json())
                .ok_or_else(|| PsError::not_found($kind, &id));
            let embed = $embedder(&store);
            flatten(object.and_then(|o| instance(&raw, &$schema, &o, &embed)))
        }
    };
}

inventory_routes!(
    list_remote_systems,
    get_remote_system,
    remote_systems,
    inventory::REMOTE_SYSTEM_SCHEMA,
    "remote system",
    remote_system_embedder
);
inventory_routes!(
    list_volumes,
    get_volume,
    volumes,
    inventory::VOLUME_SCHEMA,
    "volume",
    no_memberships
);
inventory_routes!(
    list_volume_groups,
    get_volume_group,
    volume_groups,
    inventory::VOLUME_GROUP_SCHEMA,
    "volume group",
    no_memberships
);

/// `PATCH /volume/{id}`: name, description, size (grow only) and the two policy ids, where
/// `null` removes a policy. Synchronous only: the simulator has no volume jobs, so
/// `is_async=true` is refused rather than answered with a job that would not be real.
async fn modify_volume(
    State(shared): Shd,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let mut store = lock(&shared.powerstore);
    flatten((|| -> Result<Response, PsError> {
        if is_async(&query_pairs(&raw)) {
            return Err(PsError::bad_request(
                "The simulator changes volumes synchronously only; leave out is_async.",
            ));
        }
        let body = json_body(&body)?;
        let fields = body
            .as_object()
            .ok_or_else(|| PsError::bad_request("The request body must be a JSON object."))?;
        let volumes = &mut store.inventory.volumes;
        let index = volumes
            .iter()
            .position(|v| v.id == id)
            .ok_or_else(|| PsError::not_found("volume", &id))?;
        let mut volume = volumes[index].clone();
        for (key, value) in fields {
            let text = |min: usize, max: usize| -> Result<String, PsError> {
                match value.as_str() {
                    Some(s) if (min..=max).contains(&s.chars().count()) => Ok(s.to_owned()),
                    _ => Err(PsError::bad_request(format!(
                        "The property {key} must be a string of {min} to {max} characters."
                    ))
                    .with_argument(key.as_str())),
                }
            };
            let policy = || -> Result<Option<String>, PsError> {
                if value.is_null() {
                    Ok(None)
                } else {
                    text(1, 64).map(Some)
                }
            };
            match key.as_str() {
                "name" => {
                    let name = text(1, 128)?;
                    if volumes.iter().any(|v| v.name == name && v.id != id) {
                        return Err(PsError::bad_request(format!(
                            "A volume named {name} already exists."
                        ))
                        .with_argument(name));
                    }
                    volume.name = name;
                }
                "description" => volume.description = Some(text(0, 128)?),
                "size" => {
                    let size = value.as_i64().ok_or_else(|| {
                        PsError::bad_request("The property size must be an integer.")
                    })?;
                    if size < volume.size {
                        return Err(PsError::invalid_state(format!(
                            "A volume can only grow: {size} is less than its size {}.",
                            volume.size
                        )));
                    }
                    volume.size = size;
                }
                "protection_policy_id" => volume.protection_policy_id = policy()?,
                "qos_performance_policy_id" => volume.qos_performance_policy_id = policy()?,
                other => {
                    return Err(PsError::bad_request(format!(
                        "The property {other} of a volume cannot be changed in the simulator."
                    ))
                    .with_argument(other))
                }
            }
        }
        volumes[index] = volume;
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}

/// The seeded ids, for the admin API and the startup banner.
pub(crate) fn seed_summary(store: &PsStore) -> Value {
    json!({
        "remote_systems": store.inventory.remote_systems.iter().map(|r| json!({
            "id": r.id,
            "name": r.name,
            "source_resource_ids": r.sources.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "volume_ids": store.inventory.volumes.iter().map(|v| v.id.clone()).collect::<Vec<_>>(),
        "volume_group_ids": store.inventory.volume_groups.iter().map(|g| g.id.clone()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::query::{parse_select, validate_select};
    use super::*;
    use crate::SeedOptions;

    /// The shipped vendor spec the generated clients are built from.
    fn spec() -> Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../generated/specs/dellemc.swagger.json"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A relation: a property (or the items of one) marked `x-ref`.
    fn is_relation(property: &Value) -> bool {
        property.get("x-ref").is_some() || property["items"].get("x-ref").is_some()
    }

    fn sorted(names: impl IntoIterator<Item = impl ToString>) -> Vec<String> {
        let mut names: Vec<String> = names.into_iter().map(|n| n.to_string()).collect();
        names.sort();
        names
    }

    /// Every property of each served `*_instance` definition is accepted in `select` (relations
    /// also as `name(id)`), and the simulator accepts nothing the spec does not declare.
    #[test]
    fn select_accepts_exactly_the_spec_properties() {
        let spec = spec();
        for schema in SERVED_SCHEMAS {
            let definition = format!("{}_instance", schema.name);
            let properties = spec["definitions"][&definition]["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("the spec has no {definition}"));
            let rejected: Vec<&String> = properties
                .keys()
                .filter(|name| {
                    parse_select(name)
                        .and_then(|items| validate_select(&items, schema))
                        .is_err()
                })
                .collect();
            assert!(
                rejected.is_empty(),
                "the simulator rejects these {definition} properties in select: {rejected:?}"
            );
            for (name, property) in properties {
                assert_eq!(
                    schema.embeddable.contains(&name.as_str()),
                    is_relation(property),
                    "{definition}.{name}: embeddable in the simulator iff x-ref in the spec"
                );
                if is_relation(property) {
                    let items = parse_select(&format!("{name}(id)")).unwrap();
                    assert!(validate_select(&items, schema).is_ok(), "{name}(id)");
                }
            }
            let undeclared: Vec<&&str> = schema
                .fields
                .iter()
                .chain(schema.embeddable)
                .filter(|f| !properties.contains_key(**f))
                .collect();
            assert!(
                undeclared.is_empty(),
                "the simulator accepts {} fields the spec does not declare: {undeclared:?}",
                schema.name
            );
        }
    }

    /// Every collection path of the spec is a resource the simulator has a schema for.
    #[test]
    fn every_spec_resource_is_served() {
        let spec = spec();
        let served: Vec<&str> = SERVED_SCHEMAS.iter().map(|s| s.name).collect();
        for path in spec["paths"].as_object().unwrap().keys() {
            let resource = path.trim_start_matches('/').split('/').next().unwrap();
            if resource != "logout" {
                assert!(served.contains(&resource), "{path} is not served");
            }
        }
    }

    /// Jobs and import sessions render every non-relation field of their schema (the inventory
    /// has the same check in `inventory`).
    #[test]
    fn jobs_and_sessions_render_every_field() {
        let mut store = PsStore::seeded(&SeedOptions::default());
        let body = json!({"name": "imp1", "remote_system_id": "name:unity-src-01",
                          "source_resource_id": "sv_101"});
        let new = store.validate_create(&body).unwrap();
        store.create(new, Utc::now()).unwrap();
        for session in store.sessions_json() {
            assert_eq!(
                sorted(session.as_object().unwrap().keys()),
                sorted(IMPORT_SESSION_SCHEMA.fields)
            );
        }
        for job in store.jobs_json() {
            assert_eq!(
                sorted(job.as_object().unwrap().keys()),
                sorted(JOB_SCHEMA.fields)
            );
        }
    }

    /// Relations resolve: a job is its own root, a remote system lists its sessions, and
    /// unmodelled memberships are null.
    #[test]
    fn relations_embed() {
        let mut store = PsStore::seeded(&SeedOptions::default());
        let body = json!({"name": "imp1", "remote_system_id": "name:unity-src-01",
                          "source_resource_id": "sv_101"});
        let new = store.validate_create(&body).unwrap();
        let session_id = store.create(new, Utc::now()).unwrap();
        let select = parse_select("id,root(id),parent,children,leafs").unwrap();
        let jobs = store.jobs_json();
        let embed = job_embedder(&jobs);
        let job = project(&jobs[0], Some(&select), &embed);
        assert_eq!(
            job,
            json!({"id": jobs[0]["id"], "root": {"id": jobs[0]["id"]}, "parent": null,
                   "children": [], "leafs": []})
        );
        let select = parse_select("import_sessions(id,name)").unwrap();
        let system = store.inventory.remote_systems[0].to_json();
        let embed = remote_system_embedder(&store);
        assert_eq!(
            project(&system, Some(&select), &embed),
            json!({"import_sessions": [{"id": session_id, "name": "imp1"}]})
        );
        let select = parse_select("volume_groups").unwrap();
        let volume = store.inventory.volumes[0].to_json();
        assert_eq!(
            project(&volume, Some(&select), &no_embedding),
            json!({"volume_groups": null})
        );
    }
}
