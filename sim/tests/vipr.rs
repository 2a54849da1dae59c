//! ViPR over real sockets: token login, the 302/401 auth filter, full copies and tasks.

mod common;

use common::{client, eventually, sim, PASSWORD, USER};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn login(base: &str) -> String {
    let r = client()
        .get(format!("{base}/login"))
        .basic_auth(USER, Some(PASSWORD))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let token = r.headers()["X-SDS-AUTH-TOKEN"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"user": USER}));
    token
}

/// GETs `url` as JSON with a token from [`login`].
async fn get_json(url: &str, token: &str) -> reqwest::Response {
    client()
        .get(url)
        .header("X-SDS-AUTH-TOKEN", token)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
}

fn group(sim: &migrate_sim::SimHandle, name: &str) -> Value {
    sim.seed()["vipr"]["volume_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap()
        .clone()
}

#[tokio::test]
async fn login_logout_and_the_auth_filter() {
    let sim = sim().await;
    let base = sim.vipr_url();
    let http = client();

    let r = http
        .get(format!("{base}/login"))
        .basic_auth(USER, Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["www-authenticate"], r#"basic realm="ViPR""#);

    // XML is the default format.
    let r = http
        .get(format!("{base}/login"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/xml");
    let text = r.text().await.unwrap();
    assert!(
        text.contains("<loggedIn><user>admin</user></loggedIn>"),
        "{text}"
    );

    // No token: GET is redirected to the login page, POST is 401 with an XML error.
    let task_url =
        format!("{base}/vdc/tasks/urn:storageos:Task:0b6f1c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b:vdc1");
    let r = http
        .get(&task_url)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/login?service=http%3A%2F%2F127.0.0.1"),
        "{location}"
    );
    let g = group(&sim, "app1");
    let copy_url = format!(
        "{base}/volume-groups/block/{}/protection/full-copies",
        g["id"].as_str().unwrap()
    );
    let r = http
        .post(&copy_url)
        .header("accept", "application/json")
        .json(&json!({"name": "c"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().contains_key("location"));
    assert_eq!(r.headers()["content-type"], "application/xml");
    let text = r.text().await.unwrap();
    assert!(
        text.contains("<error><code>4000</code>") && text.contains("<retryable>false</retryable>"),
        "{text}"
    );

    // Expired tokens behave like missing ones.
    let token = login(&base).await;
    let r = get_json(&task_url, &token).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["code"], 2000);
    sim.add_fault(migrate_sim::Fault::expire_sessions());
    let r = http
        .get(&task_url)
        .header("X-SDS-AUTH-TOKEN", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);

    // Logout ends the token.
    let token = login(&base).await;
    let r = get_json(&format!("{base}/logout"), &token).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"user": USER}));
    let r = http
        .get(&task_url)
        .header("X-SDS-AUTH-TOKEN", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
}

#[tokio::test]
async fn partial_full_copy_gives_one_task_per_replication_group() {
    let sim = sim().await;
    let base = sim.vipr_url();
    let token = login(&base).await;
    let g = group(&sim, "app-mixed");
    let volumes = g["volumes"].as_array().unwrap();
    let pick = |name: &str| volumes.iter().find(|v| v["name"] == name).unwrap()["id"].clone();
    let body = json!({"name": "nightly", "type": "full_copy", "count": "1", "create_inactive": false,
                      "partial": true, "volumes": [pick("mixed-vol-1"), pick("fail-vol-1")]});
    let r = client()
        .post(format!(
            "{base}/volume-groups/block/{}/protection/full-copies",
            g["id"].as_str().unwrap()
        ))
        .header("X-SDS-AUTH-TOKEN", &token)
        .header("accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let list: Value = r.json().await.unwrap();
    let tasks = list["task"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    for t in tasks {
        assert_eq!(t["resource"]["id"], g["id"]);
        assert!(t["id"].as_str().unwrap().starts_with("urn:storageos:Task:"));
        assert_eq!(
            t["link"]["href"],
            format!("/vdc/tasks/{}", t["id"].as_str().unwrap())
        );
        assert!(t["creation_time"].is_i64());
        assert!(t.get("end_time").is_none() && t.get("message").is_none());
        assert!(["queued", "pending"].contains(&t["state"].as_str().unwrap()));
        assert_eq!(t["allowed_operations"], "none_specified");
    }

    let mut finals = Vec::new();
    for t in tasks {
        let url = format!("{base}{}", t["link"]["href"].as_str().unwrap());
        let done = eventually("task end", || async {
            let r = get_json(&url, &token).await;
            assert_eq!(r.status(), StatusCode::OK);
            let t: Value = r.json().await.unwrap();
            ["ready", "error"]
                .contains(&t["state"].as_str().unwrap())
                .then_some(t)
        })
        .await;
        finals.push(done);
    }
    let ready = finals
        .iter()
        .find(|t| t["state"] == "ready")
        .expect("one task succeeds");
    let error = finals
        .iter()
        .find(|t| t["state"] == "error")
        .expect("one task fails");
    assert_eq!(ready["progress"], 100);
    assert!(ready["message"].is_string() && ready["end_time"].is_i64());
    assert_eq!(ready["associated_resources"].as_array().unwrap().len(), 2);
    assert!(error.get("message").is_none());
    let se = &error["service_error"];
    assert!(se["code"].is_u64() && se["description"].is_string() && se["details"].is_string());
    assert_eq!(se["retryable"], false);

    // The same task in XML carries link attributes.
    let r = client()
        .get(format!("{base}{}", ready["link"]["href"].as_str().unwrap()))
        .header("X-SDS-AUTH-TOKEN", &token)
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    assert!(
        text.contains("<state>ready</state>")
            && text.contains(r#"<link rel="self" href="/vdc/tasks/"#),
        "{text}"
    );
}

#[tokio::test]
async fn full_copy_validation_errors() {
    let sim = sim().await;
    let base = sim.vipr_url();
    let token = login(&base).await;
    let post = |id: String, body: Value| {
        let token = token.clone();
        let base = base.clone();
        async move {
            let r = client()
                .post(format!(
                    "{base}/volume-groups/block/{id}/protection/full-copies"
                ))
                .header("X-SDS-AUTH-TOKEN", token)
                .header("accept", "application/json")
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };
    let app1 = group(&sim, "app1")["id"].as_str().unwrap().to_string();
    let empty = group(&sim, "empty-app")["id"].as_str().unwrap().to_string();
    let other_volume = group(&sim, "app-mixed")["volumes"][0]["id"].clone();

    let (status, e) = post(
        "urn:storageos:Volume:0b6f1c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b:vdc1".into(),
        json!({"name": "c"}),
    )
    .await;
    assert_eq!(
        (status, e["code"].as_u64()),
        (StatusCode::BAD_REQUEST, Some(1008))
    );
    let (status, e) = post(empty, json!({"name": "c"})).await;
    assert_eq!(
        (status, e["code"].as_u64()),
        (StatusCode::BAD_REQUEST, Some(1013))
    );
    assert_eq!(e["retryable"], false);
    let (status, _) = post(
        app1.clone(),
        json!({"name": "c", "partial": true, "volumes": [other_volume]}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = post(app1.clone(), json!({"count": 1})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, e) = post(
        "urn:storageos:VolumeGroup:0b6f1c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b:vdc1".into(),
        json!({"name": "c"}),
    )
    .await;
    assert_eq!(
        (status, e["code"].as_u64()),
        (StatusCode::NOT_FOUND, Some(2000))
    );
    // A whole-group copy of app1 covers both its replication groups and succeeds.
    let (status, list) = post(app1, json!({"name": "full", "count": 1})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(list["task"].as_array().unwrap().len(), 2);
}
