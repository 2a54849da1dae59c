//! The admin API under `/_sim` and each fault kind, over real sockets and via `SimHandle`.

mod common;

use std::time::{Duration, Instant};

use common::{client, eventually, id_of, ps_login, sim, PASSWORD, USER};
use migrate_sim::Fault;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Adds a fault through `POST /_sim/faults`, which must answer 201.
async fn add_fault(base: &str, fault: Value) {
    assert_eq!(
        admin_post(base, "/faults", fault).await,
        StatusCode::CREATED
    );
}

async fn admin_post(base: &str, path: &str, body: Value) -> StatusCode {
    client()
        .post(format!("{base}/_sim{path}"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
}

async fn ps_create(
    base: &str,
    cookie: &str,
    token: &str,
    name: &str,
    query: &str,
) -> reqwest::Response {
    client()
        .post(format!("{base}/api/rest/import_session{query}"))
        .header("cookie", cookie)
        .header("DELL-EMC-TOKEN", token)
        .json(&json!({"name": name, "remote_system_id": "name:unity-src-01", "source_resource_id": "sv_102"}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn status_fault_with_retry_after_runs_out() {
    let sim = sim().await;
    let base = sim.base_url();
    let fault = json!({"path_prefix": "/api/rest/volume", "method": "GET", "kind": "status", "status": 503, "retry_after": 1, "times": 2});
    add_fault(&base, fault).await;
    let get = || {
        client()
            .get(format!("{base}/api/rest/volume"))
            .basic_auth(USER, Some(PASSWORD))
            .send()
    };
    for _ in 0..2 {
        let r = get().await.unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()["retry-after"], "1");
        let body: Value = r.json().await.unwrap();
        assert!(
            body["messages"][0]["code"].is_string(),
            "PowerStore error shape: {body}"
        );
    }
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    // Other methods and paths were never affected, and every request was logged.
    assert_eq!(sim.request_count("GET", "/api/rest/volume"), 3);

    // A fault without `times` stays until cleared; the body follows the service's error shape.
    sim.add_fault(Fault::status(500).path_prefix("/vdc/tasks"));
    for _ in 0..2 {
        let r = client()
            .get(format!("{base}/vdc/tasks/x"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(r.json::<Value>().await.unwrap()["code"].is_u64());
    }
    let r = client()
        .delete(format!("{base}/_sim/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        client()
            .get(format!("{base}/vdc/tasks/x"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FOUND
    );
}

#[tokio::test]
async fn delay_fault_holds_the_request() {
    let sim = sim().await;
    let base = sim.base_url();
    let fault = json!({"path_prefix": "/interop/rest", "kind": "delay", "millis": 400, "times": 1});
    add_fault(&base, fault).await;
    let get = || {
        client()
            .get(format!("{base}/interop/rest/"))
            .basic_auth(USER, Some(PASSWORD))
            .send()
    };
    let started = Instant::now();
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(400));
    let started = Instant::now();
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn expire_sessions_makes_cookies_and_tokens_stale() {
    let sim = sim().await;
    let base = sim.base_url();
    let (cookie, token, _) = ps_login(&sim.powerstore_url()).await;
    let get = || {
        client()
            .get(format!("{base}/api/rest/volume"))
            .header("cookie", &cookie)
            .send()
    };
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    add_fault(&base, json!({"kind": "expire_sessions"})).await;
    assert_eq!(get().await.unwrap().status(), StatusCode::FORBIDDEN);
    // The old CSRF token is useless even with Basic.
    let r = client()
        .post(format!("{base}/api/rest/import_session"))
        .basic_auth(USER, Some(PASSWORD))
        .header("DELL-EMC-TOKEN", &token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A fresh login works again.
    let (cookie, token, _) = ps_login(&sim.powerstore_url()).await;
    assert_eq!(
        ps_create(&base, &cookie, &token, "after-expiry", "")
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn fail_next_job_fails_exactly_one_job() {
    let sim = sim().await;
    let base = sim.base_url();
    let (cookie, token, _) = ps_login(&sim.powerstore_url()).await;
    add_fault(&base, json!({"kind": "fail_next_job"})).await;
    let failing = id_of(ps_create(&base, &cookie, &token, "job-a", "?is_async=true").await).await;
    let passing = id_of(ps_create(&base, &cookie, &token, "job-b", "?is_async=true").await).await;
    let finished = |id: String| {
        let cookie = cookie.clone();
        let base = base.clone();
        async move {
            eventually("job end", || async {
                let j: Value = client()
                    .get(format!(
                        "{base}/api/rest/job/{id}?select=state,phase,response_status,response_body"
                    ))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                ["COMPLETED", "FAILED"]
                    .contains(&j["state"].as_str().unwrap())
                    .then_some(j)
            })
            .await
        }
    };
    let failed = finished(failing).await;
    assert_eq!(failed["phase"], "Failed");
    assert_eq!(failed["response_status"], "422");
    assert_eq!(
        failed["response_body"]["response_type"],
        "job_error_response"
    );
    assert_eq!(failed["response_body"]["messages"][0]["severity"], "Error");
    let passed = finished(passing).await;
    assert_eq!(passed["state"], "COMPLETED");
    // Only the job that succeeded created its session.
    let names: Value = client()
        .get(format!("{base}/api/rest/import_session?select=name"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names, json!([{"name": "job-b"}]));
}

#[tokio::test]
async fn request_log_and_forced_states() {
    let sim = sim().await;
    let base = sim.base_url();
    let (cookie, token, _) = ps_login(&sim.powerstore_url()).await;
    let id = id_of(ps_create(&base, &cookie, &token, "forced", "").await).await;

    let log: Value = client()
        .get(format!("{base}/_sim/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log["counts"]["POST /api/rest/import_session"], 1);
    assert_eq!(log["counts"]["GET /api/rest/login_session"], 1);
    assert_eq!(log["requests"][1]["method"], "POST");
    assert_eq!(sim.request_count("POST", "/api/rest/import_session"), 1);
    assert_eq!(
        sim.request_count("GET", "/_sim"),
        0,
        "admin calls are not logged"
    );

    assert_eq!(
        admin_post(
            &base,
            &format!("/import_session/{id}/state"),
            json!({"state": "Cleanup_Required"})
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        admin_post(
            &base,
            &format!("/import_session/{id}/state"),
            json!({"state": "Sleeping"})
        )
        .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        admin_post(
            &base,
            "/import_session/nope/state",
            json!({"state": "Failed"})
        )
        .await,
        StatusCode::NOT_FOUND
    );
    let cleanup = client()
        .post(format!("{base}/api/rest/import_session/{id}/cleanup"))
        .header("cookie", &cookie)
        .header("DELL-EMC-TOKEN", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(cleanup.status(), StatusCode::NO_CONTENT);

    sim.force_import_session_state(&id, "Ready_For_Cutover")
        .unwrap();
    assert!(sim.force_import_session_state(&id, "Nope").is_err());
    let state: Value = client()
        .get(format!(
            "{base}/api/rest/import_session/{id}?select=state,progress_percentage"
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state,
        json!({"state": "Ready_For_Cutover", "progress_percentage": 100})
    );

    sim.clear();
    assert!(sim.requests().is_empty());
    let seed: Value = client()
        .get(format!("{base}/_sim/seed"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        seed["powerstore"]["remote_systems"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(seed["vipr"]["volume_groups"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn respond_answers_with_exactly_what_it_is_given_after_skipping() {
    let sim = sim().await;
    let base = sim.base_url();
    let page = "<html><head><title>502 Bad Gateway</title></head></html>";
    add_fault(
        &base,
        json!({"path_prefix": "/interop/rest", "kind": "respond", "status": 502,
               "headers": {"content-type": "text/html"}, "body": page, "skip": 1, "times": 1}),
    )
    .await;
    let get = || {
        client()
            .get(format!("{base}/interop/rest/"))
            .basic_auth(USER, Some(PASSWORD))
            .send()
    };
    assert_eq!(get().await.unwrap().status(), StatusCode::OK, "skipped");
    let r = get().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(r.headers()["content-type"], "text/html");
    assert_eq!(r.text().await.unwrap(), page);
    assert_eq!(get().await.unwrap().status(), StatusCode::OK, "used up");

    sim.add_fault(
        Fault::respond(302, &[("location", "https://sso.example/login")], "")
            .path_prefix("/api/rest/volume"),
    );
    let r = client()
        .get(format!("{base}/api/rest/volume"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(r.headers()["location"], "https://sso.example/login");
}

#[tokio::test]
async fn truncate_and_reset_spoil_the_real_answer_after_it_was_handled() {
    let sim = sim().await;
    let base = sim.base_url();
    let (cookie, token, _) = ps_login(&sim.powerstore_url()).await;
    sim.add_fault(Fault::truncate().method("POST").times(1));
    let r = ps_create(&base, &cookie, &token, "cut01", "").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let text = r.text().await.unwrap();
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "cut JSON: {text}"
    );
    assert!(text.starts_with("{\"id\""), "{text}");

    sim.add_fault(Fault::reset().method("POST").times(1));
    let r = ps_create(&base, &cookie, &token, "cut02", "").await;
    assert_eq!(r.status(), StatusCode::CREATED, "the headers arrive");
    assert!(r.bytes().await.is_err(), "the body breaks off");

    // Both sessions were created: the fault only spoiled the answers.
    let r = client()
        .get(format!(
            "{base}/api/rest/import_session?select=name&name=ilike.cut*"
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let names: Value = r.json().await.unwrap();
    assert_eq!(names.as_array().map(Vec::len), Some(2), "{names}");
    // The log records the status each request was answered with before it was spoiled.
    assert_eq!(sim.carried_out("POST", "/api/rest/import_session"), 2);
    assert!(sim.requests().iter().all(|r| r.status.is_some()));
    assert!(sim.faults().is_empty(), "both used up: {:?}", sim.faults());
}

#[tokio::test]
async fn sessions_expire_on_the_matching_request_and_pages_shrink() {
    let sim = sim().await;
    let base = sim.base_url();
    let (cookie, _, _) = ps_login(&sim.powerstore_url()).await;
    sim.add_fault(
        Fault::expire_sessions_on_request()
            .path_prefix("/api/rest/volume")
            .skip(1)
            .times(1),
    );
    let get = |query: &'static str| {
        client()
            .get(format!("{base}/api/rest/volume{query}"))
            .header("cookie", &cookie)
            .send()
    };
    assert_eq!(get("").await.unwrap().status(), StatusCode::OK);
    assert_eq!(get("").await.unwrap().status(), StatusCode::FORBIDDEN);

    let (cookie, _, _) = ps_login(&sim.powerstore_url()).await;
    sim.add_fault(Fault::page_limit(2).path_prefix("/api/rest/volume"));
    let r = client()
        .get(format!(
            "{base}/api/rest/volume?select=id&limit=2000&offset=0"
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    let range = r.headers()["content-range"].to_str().unwrap().to_string();
    assert!(range.starts_with("0-1/"), "{range}");
    assert_eq!(
        r.json::<Value>().await.unwrap().as_array().map(Vec::len),
        Some(2)
    );
}
