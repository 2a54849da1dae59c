//! Oracle EPM LCM over real sockets: versions, snapshot list, import jobs and paged details.

mod common;

use common::{client, eventually, sim, PASSWORD, USER};
use reqwest::StatusCode;
use serde_json::Value;

const V: &str = "11.1.2.3.600";

fn href<'a>(body: &'a Value, rel: &str) -> Option<&'a str> {
    body["links"]
        .as_array()?
        .iter()
        .find(|l| l["rel"] == rel)
        .and_then(|l| l["href"].as_str())
}

async fn get(url: &str) -> (StatusCode, Value) {
    let r = client()
        .get(url)
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

/// Posts an import with `q` sent URL-encoded, the way Oracle's samples do (no body).
async fn import(base: &str, snapshot: &str, q: &str) -> (StatusCode, Value) {
    let url = reqwest::Url::parse_with_params(
        &format!("{base}/{V}/applicationsnapshots/{snapshot}/migration"),
        &[("q", q)],
    )
    .unwrap();
    let r = client()
        .post(url)
        .basic_auth(USER, Some(PASSWORD))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

#[tokio::test]
async fn versions_snapshots_and_auth() {
    let sim = sim().await;
    let base = sim.lcm_url();
    let (status, body) = get(&format!("{base}/")).await;
    assert_eq!(status, StatusCode::OK);
    let versions: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, [V, "v2"]);
    assert_eq!(body["items"][1]["latest"], true);
    assert_eq!(body["items"][0]["lifecycle"], "active");

    let (status, body) = get(&format!("{base}/{V}/applicationsnapshots")).await;
    assert_eq!(status, StatusCode::OK);
    let items = body["items"].as_array().unwrap();
    let external = items.iter().find(|i| i["type"] == "EXTERNAL").unwrap();
    assert_eq!(external["size"], "18");
    assert!(external["lastmodifiedtime"].is_string());
    let lcm = items.iter().find(|i| i["type"] == "LCM").unwrap();
    assert!(lcm.get("size").is_none());

    // Versions are case-sensitive.
    assert_eq!(
        get(&format!("{base}/V2/applicationsnapshots")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&format!("{base}/11.1.2.3.601/applicationsnapshots"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    let http = client();
    let r = http
        .get(format!("{base}/{V}/applicationsnapshots"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = http
        .get(format!("{base}/{V}/applicationsnapshots"))
        .basic_auth(format!("exampleDomain.{USER}"), Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = http
        .get(format!("{base}/{V}/applicationsnapshots"))
        .bearer_auth(&sim.config().lcm_bearer_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = http
        .get(format!("{base}/{V}/applicationsnapshots"))
        .bearer_auth("stolen")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn successful_import_with_unquoted_keys() {
    let sim = sim().await;
    let base = sim.lcm_url();
    let (status, started) = import(
        &base,
        "Snap1",
        r#"{type:"import",importUsers:"true",userPassword:"Welcome1!",resetPassword:false}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(started["status"], -1);
    assert_eq!(started["items"], Value::Null);
    assert_eq!(started["details"], Value::Null);
    let job_url = href(&started, "Job Status").unwrap().to_string();
    assert!(job_url.starts_with(&sim.base_url()), "{job_url}");
    let job_link = started["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "Job Status")
        .unwrap();
    assert_eq!(job_link["action"], "GET");
    assert_eq!(job_link["data"], Value::Null);

    let (_, first) = get(&job_url).await;
    assert_eq!(first["status"], -1);
    let done = eventually("import done", || async {
        let (_, b) = get(&job_url).await;
        (b["status"] != -1).then_some(b)
    })
    .await;
    assert_eq!(done["status"], 0);

    // Quoted keys work too; a snapshot name with a space is addressed percent-encoded.
    let (_, quoted) = import(
        &base,
        "Artifact%20Snapshot",
        r#"{"type":"import","importUsers":false}"#,
    )
    .await;
    assert_eq!(quoted["status"], -1);
    assert!(href(&quoted, "Job Status")
        .unwrap()
        .contains("/Artifact%20Snapshot/migration/"));
}

#[tokio::test]
async fn invalid_imports_are_refused() {
    let sim = sim().await;
    let base = sim.lcm_url();
    let (status, body) = import(&base, "Snap1", r#"{type:"export"}"#).await;
    assert_eq!((status, body["status"].as_i64()), (StatusCode::OK, Some(4)));
    assert!(body["details"]
        .as_str()
        .unwrap()
        .starts_with("Invalid input"));
    let (_, body) = import(&base, "Snap1", r#"{type:"import",importUsers:"maybe"}"#).await;
    assert_eq!(body["status"], 4);
    let (_, body) = import(&base, "Snap1", "type=import").await;
    assert_eq!(body["status"], 4);
    let (status, body) = import(&base, "NoSuchSnapshot", r#"{type:"import"}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["status"], 8);
    assert!(body["details"].as_str().unwrap().contains("NoSuchSnapshot"));
    // Polling a job that does not exist.
    let (status, _) = get(&format!(
        "{base}/{V}/applicationsnapshots/Snap1/migration/999"
    ))
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn failing_import_reports_tasks_with_paged_details() {
    let sim = sim().await;
    let base = sim.lcm_url();
    let (_, started) = import(&base, "fail-Snap2", r#"{type:"import"}"#).await;
    let job_url = href(&started, "Job Status").unwrap().to_string();
    let failed = eventually("import failure", || async {
        let (_, b) = get(&job_url).await;
        (b["status"] != -1).then_some(b)
    })
    .await;
    assert_eq!(failed["status"], 1);
    let tasks = failed["items"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0]["name"], "Task Information");
    assert_eq!(tasks[1]["destination"], "");

    // Follow "next" from task 0's first page until it disappears.
    let mut url = href(&tasks[0], "Job Details").unwrap().to_string();
    assert!(
        url.ends_with("/0/details?limit=25&offset=0&msgtype=error"),
        "{url}"
    );
    let mut pages = Vec::new();
    loop {
        let (status, page) = get(&url).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["status"], 0);
        assert_eq!(page["details"], Value::Null);
        pages.push(page.clone());
        match href(&page, "next") {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p["items"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [25, 25, 10]);
    assert!(href(&pages[0], "prev").is_none());
    assert!(href(&pages[2], "prev").unwrap().contains("offset=25"));
    let message = &pages[0]["items"][0];
    assert_eq!(message["msgType"], "error");
    for key in ["artifact", "msgText", "msgCategory"] {
        assert!(message[key].is_string(), "{key} in {message}");
    }

    let (_, small) = get(href(&tasks[1], "Job Details").unwrap()).await;
    assert_eq!(small["items"].as_array().unwrap().len(), 3);
    assert!(href(&small, "next").is_none());

    // msgtype filters; an unknown task index is not found.
    let details = format!("{base}/{V}/applicationsnapshots/fail-Snap2/migration/1/0/details");
    let (_, warn) = get(&format!("{details}?msgtype=warn")).await;
    assert_eq!(warn["items"].as_array().unwrap().len(), 2);
    let (status, _) = get(&format!(
        "{base}/{V}/applicationsnapshots/fail-Snap2/migration/1/7/details"
    ))
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
