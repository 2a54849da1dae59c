//! PowerStore over real sockets: login, CSRF, import-session lifecycle, query language, jobs.

mod common;

use common::{client, eventually, id_of, ps_login, sim, PASSWORD, USER};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

/// A logged-in PowerStore client that sends the cookie and CSRF token like python-powerstore.
struct Ps {
    http: reqwest::Client,
    base: String,
    cookie: String,
    token: String,
}

impl Ps {
    async fn login(base: &str) -> Ps {
        let (cookie, token, r) = ps_login(base).await;
        let body: Value = r.json().await.unwrap();
        assert_eq!(body.as_array().unwrap().len(), 1);
        assert_eq!(body[0]["user"], USER);
        assert!(body[0]["idle_timeout"].is_u64(), "{body}");
        Ps {
            http: client(),
            base: base.to_string(),
            cookie,
            token,
        }
    }

    fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("DELL-EMC-TOKEN", &self.token)
    }

    async fn get(&self, path: &str) -> Response {
        self.req(Method::GET, path).send().await.unwrap()
    }

    async fn get_json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> Response {
        self.req(Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn state(&self, id: &str) -> Value {
        self.get_json(&format!(
            "/import_session/{id}?select=state,progress_percentage"
        ))
        .await
    }

    async fn wait_state(&self, id: &str, state: &str) -> Value {
        eventually(state, || async {
            let s = self.state(id).await;
            (s["state"] == state).then_some(s)
        })
        .await
    }
}

async fn error_code(r: Response) -> (StatusCode, String) {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    let message = &body["messages"][0];
    assert_eq!(message["severity"], "Error", "{body}");
    assert!(
        message["code"].as_str().unwrap().starts_with("0x"),
        "{body}"
    );
    (
        status,
        message["message_l10n"].as_str().unwrap().to_string(),
    )
}

fn create_body(name: &str) -> Value {
    json!({"name": name, "remote_system_id": "name:unity-src-01", "source_resource_id": "sv_101"})
}

#[tokio::test]
async fn auth_and_csrf_are_enforced() {
    let sim = sim().await;
    let base = sim.powerstore_url();
    let http = client();

    let r = http.get(format!("{base}/volume")).send().await.unwrap();
    assert_eq!(error_code(r).await.0, StatusCode::UNAUTHORIZED);
    let r = http
        .get(format!("{base}/volume"))
        .basic_auth(USER, Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = http
        .get(format!("{base}/volume"))
        .header("cookie", "auth_cookie=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let ps = Ps::login(&base).await;
    let session = ps.get_json("/login_session").await;
    assert_eq!(session[0]["idle_timeout"], 3600);
    // Basic on a plain GET works too and carries a token.
    let r = http
        .get(format!("{base}/volume"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("DELL-EMC-TOKEN"));

    // Non-GET without the CSRF token: 403 even with a good cookie or Basic.
    let r = http
        .post(format!("{base}/import_session"))
        .header("cookie", &ps.cookie)
        .json(&create_body("no-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r).await.0, StatusCode::FORBIDDEN);
    let r = http
        .post(format!("{base}/import_session"))
        .basic_auth(USER, Some(PASSWORD))
        .header("DELL-EMC-TOKEN", "bogus")
        .json(&create_body("bad-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Basic plus the session's token is accepted (gopowerstore's way).
    let r = http
        .post(format!("{base}/import_session"))
        .basic_auth(USER, Some(PASSWORD))
        .header("DELL-EMC-TOKEN", &ps.token)
        .json(&create_body("basic-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    let r = ps.post("/logout", json!({})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(ps.get("/volume").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn idle_sessions_expire_with_403() {
    let mut config = migrate_sim::SimConfig::default().with_step(common::STEP);
    config.powerstore_idle_timeout = std::time::Duration::from_millis(150);
    let sim = common::sim_with(config).await;
    let ps = Ps::login(&sim.powerstore_url()).await;
    assert_eq!(ps.get("/volume").await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(ps.get("/volume").await.status(), StatusCode::FORBIDDEN);
    // Logging in again (Basic with the stale cookie, like gopowerstore) gives a new session.
    let r = client()
        .get(format!("{}/login_session", sim.powerstore_url()))
        .basic_auth(USER, Some(PASSWORD))
        .header("cookie", &ps.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("set-cookie"));
}

#[tokio::test]
async fn non_disruptive_import_lifecycle() {
    let sim = sim().await;
    let ps = Ps::login(&sim.powerstore_url()).await;

    let r = ps.post("/import_session", create_body("db01")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created.as_object().unwrap().len(), 1, "only id: {created}");
    let id = created["id"].as_str().unwrap().to_string();

    // Duplicate names are a 400; an unknown remote system too.
    let (status, message) = error_code(ps.post("/import_session", create_body("db01")).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("db01"), "{message}");
    let mut bad = create_body("db02");
    bad["remote_system_id"] = json!("name:missing");
    assert_eq!(
        ps.post("/import_session", bad).await.status(),
        StatusCode::BAD_REQUEST
    );

    // Without select only the id comes back.
    let plain = ps.get_json(&format!("/import_session/{id}")).await;
    assert_eq!(plain, json!({"id": id}));
    let full = ps
        .get_json(&format!(
            "/import_session/{id}?select=id,name,type,automatic_cutover,remote_system(id,name)"
        ))
        .await;
    assert_eq!(full["type"], "Non_Disruptive");
    assert_eq!(full["automatic_cutover"], false);
    assert_eq!(full["remote_system"]["name"], "unity-src-01");
    assert_eq!(full["remote_system"].as_object().unwrap().len(), 2);

    // Cutover too early is a 422 with an error_response.
    let (status, message) = error_code(
        ps.post(&format!("/import_session/{id}/cutover"), json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message.contains("cutover"), "{message}");

    let copying = ps.wait_state(&id, "Copy_In_Progress").await;
    assert!(copying["progress_percentage"].is_number());
    let ready = ps.wait_state(&id, "Ready_For_Cutover").await;
    assert_eq!(ready["progress_percentage"], 100);
    let r = ps
        .get_json(&format!(
            "/import_session/{id}?select=state_l10n,average_transfer_rate"
        ))
        .await;
    assert_eq!(r["state_l10n"], "Ready For Cutover");
    assert_eq!(r["average_transfer_rate"], Value::Null);

    // Deleting an active session is refused.
    let r = ps
        .req(Method::DELETE, &format!("/import_session/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = ps
        .post(&format!("/import_session/{id}/cutover"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let done = ps.wait_state(&id, "Import_Completed").await;
    assert_eq!(done["progress_percentage"], Value::Null);

    let r = ps
        .req(Method::DELETE, &format!("/import_session/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = ps.get(&format!("/import_session/{id}")).await;
    assert_eq!(error_code(r).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn agentless_import_with_async_actions_and_jobs() {
    let sim = sim().await;
    let ps = Ps::login(&sim.powerstore_url()).await;
    let mut body = create_body("ag01");
    body["type"] = json!("Agentless");
    body["remote_system_id"] = json!(sim.seed()["powerstore"]["remote_systems"][1]["id"]);

    // Async create answers 202 with a job whose response_body names the new session.
    let r = ps.post("/import_session?is_async=true", body).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let job_id = id_of(r).await;
    let job = eventually("create job", || async {
        let j = ps
            .get_json(&format!("/job/{job_id}?select=state,phase,response_status,response_body,resource_action,resource_type"))
            .await;
        (j["state"] == "COMPLETED").then_some(j)
    })
    .await;
    assert_eq!(job["phase"], "Completed");
    assert_eq!(job["response_status"], "201");
    assert_eq!(job["resource_action"], "create");
    assert_eq!(job["resource_type"], "import_session");
    assert_eq!(job["response_body"]["response_type"], "job_create_response");
    let id = job["response_body"]["id"].as_str().unwrap().to_string();

    ps.wait_state(&id, "Mirror_Enabled").await;
    let mirror = ps
        .get_json(&format!("/import_session/{id}?select=state_l10n,type"))
        .await;
    assert_eq!(
        mirror,
        json!({"state_l10n": "Ready To Enable Destination Volume", "type": "Agentless"})
    );
    assert_eq!(
        ps.post(&format!("/import_session/{id}/start_copy"), json!({}))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = ps
        .post(
            &format!("/import_session/{id}/enable_destination_volume?is_async=true"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    ps.wait_state(&id, "Ready_To_Start_Copy").await;
    assert_eq!(
        ps.post(&format!("/import_session/{id}/start_copy"), json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        ps.post(&format!("/import_session/{id}/pause"), json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(ps.state(&id).await["state"], "Paused");
    assert_eq!(
        ps.post(&format!("/import_session/{id}/resume"), json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let r = ps
        .post(
            &format!("/import_session/{id}/cancel?is_async=true"),
            json!({"force": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let cancel_job = id_of(r).await;
    ps.wait_state(&id, "Cancelled").await;
    let j = ps
        .get_json(&format!(
            "/job/{cancel_job}?select=resource_action,state,response_status"
        ))
        .await;
    assert_eq!(
        j,
        json!({"resource_action": "cancel", "state": "COMPLETED", "response_status": "204"})
    );

    // The job collection filters on UPPER_CASE states and on resource_type.
    let jobs = ps
        .get_json("/job?select=id,resource_action&resource_type=eq.import_session&state=eq.COMPLETED&order=start_time")
        .await;
    let actions: Vec<&str> = jobs
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["resource_action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "enable", "cancel"]);
}

#[tokio::test]
async fn scheduled_sessions_wait_and_can_be_rescheduled() {
    let sim = sim().await;
    let ps = Ps::login(&sim.powerstore_url()).await;
    let mut body = create_body("later");
    body["scheduled_timestamp"] = json!("2099-01-01T00:00:00.000+00:00");
    let id = id_of(ps.post("/import_session", body).await).await;
    tokio::time::sleep(common::STEP * 3).await;
    assert_eq!(ps.state(&id).await["state"], "Scheduled");
    let soon = (chrono::Utc::now() + chrono::Duration::milliseconds(50)).to_rfc3339();
    let r = ps
        .req(Method::PATCH, &format!("/import_session/{id}"))
        .json(&json!({"scheduled_timestamp": soon}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    ps.wait_state(&id, "Copy_In_Progress").await;
    let r = ps
        .req(Method::PATCH, &format!("/import_session/{id}"))
        .json(&json!({"name": "renamed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

/// The volume changes the simulator takes, and the ones it refuses with the vendor's status.
#[tokio::test]
async fn volumes_change_and_refuse_what_a_volume_cannot() {
    let sim = sim().await;
    let ps = Ps::login(&sim.powerstore_url()).await;
    let volumes = ps.get_json("/volume?select=id,name,size").await;
    let (a, b) = (&volumes[0], &volumes[1]);
    let id = a["id"].as_str().unwrap();
    let patch = |body: Value| {
        ps.req(Method::PATCH, &format!("/volume/{id}"))
            .json(&body)
            .send()
    };
    let ok = patch(json!({"protection_policy_id": "pp1", "description": ""}))
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    let shown = ps
        .get_json(&format!(
            "/volume/{id}?select=protection_policy_id,description"
        ))
        .await;
    assert_eq!(
        shown,
        json!({"protection_policy_id": "pp1", "description": ""})
    );

    let size = a["size"].as_i64().unwrap();
    for (body, status, says) in [
        (
            json!({"name": b["name"]}),
            StatusCode::BAD_REQUEST,
            "already exists",
        ),
        (
            json!({"size": size - 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "can only grow",
        ),
        // A valid rename next to a bad size: the whole change is refused.
        (
            json!({"name": "renamed", "size": size - 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "can only grow",
        ),
        (
            json!({"node_affinity": "Preferred_Node_A"}),
            StatusCode::BAD_REQUEST,
            "cannot be changed",
        ),
        (
            json!({"name": ""}),
            StatusCode::BAD_REQUEST,
            "1 to 128 characters",
        ),
    ] {
        let (got, message) = error_code(patch(body.clone()).await.unwrap()).await;
        assert_eq!(got, status, "{body}: {message}");
        assert!(message.contains(says), "{body}: {message}");
    }
    let r = ps
        .req(Method::PATCH, &format!("/volume/{id}?is_async=true"))
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Nothing any refused request carried was applied, not even the valid rename.
    let after = ps.get_json(&format!("/volume/{id}?select=name,size")).await;
    assert_eq!(after, json!({"name": a["name"], "size": size}));
}

#[tokio::test]
async fn select_filter_order_and_paging() {
    let sim = sim().await;
    let ps = Ps::login(&sim.powerstore_url()).await;
    for i in 0..5 {
        let r = ps
            .post("/import_session", create_body(&format!("page-{i}")))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    // Page through with limit/offset until the Content-Range total is reached.
    let mut names = Vec::new();
    let mut offset = 0;
    loop {
        let r = ps
            .get(&format!(
                "/import_session?select=name&order=name.desc&limit=2&offset={offset}"
            ))
            .await;
        let status = r.status();
        let range = r
            .headers()
            .get("content-range")
            .map(|v| v.to_str().unwrap().to_string());
        let page: Vec<Value> = r.json().await.unwrap();
        assert_eq!(status, StatusCode::PARTIAL_CONTENT);
        let range = range.expect("206 carries Content-Range");
        let (span, total) = range.split_once('/').unwrap();
        let (first, last) = span.split_once('-').unwrap();
        assert_eq!(first.parse::<usize>().unwrap(), offset);
        names.extend(page.iter().map(|p| p["name"].as_str().unwrap().to_string()));
        offset = last.parse::<usize>().unwrap() + 1;
        if offset >= total.parse::<usize>().unwrap() {
            break;
        }
    }
    assert_eq!(names, ["page-4", "page-3", "page-2", "page-1", "page-0"]);

    // The Range header works the same way.
    let r = ps
        .req(Method::GET, "/import_session?select=name&order=name")
        .header("Range", "1-2")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.headers()["content-range"], "1-2/5");

    // A collection that fits is a plain 200 array.
    let r = ps
        .get("/import_session?name=ilike.PAGE-*&select=name,state")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Vec<Value>>().await.unwrap().len(), 5);
    let r = ps
        .get_json("/import_session?name=in.(page-1,page-3)&select=name&order=name")
        .await;
    assert_eq!(r, json!([{"name": "page-1"}, {"name": "page-3"}]));
    let r = ps
        .get_json("/import_session?name=not.ilike.*-1&description=is.null&select=name")
        .await;
    assert_eq!(r.as_array().unwrap().len(), 4);
    assert_eq!(
        ps.get_json("/volume_group?select=name&name=eq.VG-SQL")
            .await,
        json!([{"name": "vg-sql"}])
    );

    // Errors: unknown select/filter field, bad limit, offset past the end.
    let (status, message) = error_code(ps.get("/import_session?select=id,colour").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("colour"), "{message}");
    assert_eq!(
        ps.get("/volume?colour=eq.red").await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        ps.get("/volume?limit=0").await.status(),
        StatusCode::RANGE_NOT_SATISFIABLE
    );
    assert_eq!(
        ps.get("/volume?offset=500").await.status(),
        StatusCode::RANGE_NOT_SATISFIABLE
    );
    let r = ps.get("/volume?limit=5000").await;
    assert_eq!(r.status(), StatusCode::OK);

    let rs = ps
        .get_json("/remote_system?select=id,name,type&order=name")
        .await;
    assert_eq!(rs[0]["type"], "Unity");
    assert_eq!(rs.as_array().unwrap().len(), 2);
    let one = ps
        .get_json(&format!(
            "/remote_system/{}?select=management_address",
            rs[1]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one, json!({"management_address": "10.20.30.42"}));
    assert_eq!(ps.get("/volume/nope").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn seeded_history_pages_and_references_take_names() {
    let sim = common::sim_with(
        migrate_sim::SimConfig::default()
            .with_step(common::STEP)
            .with_import_sessions(250),
    )
    .await;
    let ps = Ps::login(&sim.powerstore_url()).await;
    // 250 finished sessions: the first page of 100 says how many there are.
    let r = ps.get("/import_session?select=name,state&order=name").await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    let range = r.headers()["content-range"].to_str().unwrap().to_string();
    assert_eq!(range, "0-99/250");
    let page: Value = r.json().await.unwrap();
    assert_eq!(
        page[0],
        json!({"name": "hist-00001", "state": "Import_Completed"})
    );
    // A volume group reference may be a name, as the remote system's may.
    let r = ps
        .post(
            "/import_session",
            json!({"name": "vgname", "remote_system_id": "name:unity-src-01",
                   "source_resource_id": "sv_101", "volume_group_id": "name:vg-oracle"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = id_of(r).await;
    let group = ps
        .get_json("/volume_group?select=id&name=eq.vg-oracle")
        .await;
    let session = ps
        .get_json(&format!("/import_session/{id}?select=volume_group_id"))
        .await;
    assert_eq!(session["volume_group_id"], group[0]["id"]);
    let r = ps
        .post(
            "/import_session",
            json!({"name": "vgnope", "remote_system_id": "name:unity-src-01",
                   "source_resource_id": "sv_101", "volume_group_id": "name:vg-nope"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // The request log keeps the scheme of each Authorization header, not its value.
    let schemes: Vec<Option<String>> = sim.requests().into_iter().map(|r| r.auth_scheme).collect();
    assert!(
        schemes.iter().any(|s| s.as_deref() == Some("Basic")),
        "{schemes:?}"
    );
    assert!(
        schemes
            .iter()
            .all(|s| s.as_deref().is_none_or(|s| s == "Basic")),
        "{schemes:?}"
    );
}
