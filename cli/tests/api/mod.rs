//! `migrate api`: every operation of the shipped specs is listed, the generated commands run
//! against the simulator (a paged `--all`, creates with `--wait`, waits that fail and resume),
//! and input the spec refuses is refused before anything is sent.

use std::collections::BTreeSet;

use migrate_sim::Fault;
use serde_json::Value;

use crate::common::Sim;

/// The workspace root.
fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .to_path_buf()
}

/// (method, path) of every operation in the spec the manifest ships for `service`.
fn operations_in(service: &str) -> BTreeSet<(String, String)> {
    let specs = root().join("generated/specs");
    let manifest = std::fs::read_to_string(specs.join("shipped.yaml")).unwrap();
    let manifest = migrate_codegen::Manifest::parse(&manifest, &specs, "shipped.yaml").unwrap();
    let spec = &manifest.module(service).expect("a shipped module").spec;
    let text = std::fs::read_to_string(spec).unwrap();
    let doc: Value = if spec.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_yaml::from_str(&text).unwrap()
    };
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "put", "post", "patch", "delete", "head", "options"] {
            if item.get(method).is_some() {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

#[test]
fn list_shows_every_operation_of_the_shipped_specs() {
    let sim = Sim::start();
    for service in ["powerstore", "lcm", "vipr"] {
        let listed = sim.json(&["api", service, "--list"]);
        let listed = listed.as_array().expect("a list");
        let shown: BTreeSet<(String, String)> = listed
            .iter()
            .map(|op| {
                (
                    op["method"].as_str().unwrap().to_string(),
                    op["path"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(shown, operations_in(service), "{service}");
        assert_eq!(shown.len(), listed.len(), "{service}: each operation once");
        for op in listed {
            assert!(
                !op["summary"].as_str().unwrap_or_default().is_empty(),
                "{op}"
            );
        }
        if service == "powerstore" {
            let (code, table, stderr) = sim.run(&["-o", "table", "api", service, "--list"]);
            assert_eq!(code, 0, "{stderr}");
            insta::assert_snapshot!("api_powerstore_list", table);
        }
    }
    sim.assert_nothing_sent("--list");
}

#[test]
fn help_of_an_api_command() {
    let sim = Sim::start();
    let out = sim
        .migrate()
        .env("COLUMNS", "100")
        .args(["api", "powerstore", "import-session-create", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "api_help_import_session_create",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_paged_list_with_all_reads_every_page() {
    let sim = Sim::start();
    sim.handle
        .add_fault(Fault::page_limit(3).path_prefix("/api/rest/volume"));
    let volumes = sim.json(&[
        "api",
        "powerstore",
        "volume-collection-query",
        "--all",
        "--select",
        "id,name",
        "--order",
        "name",
    ]);
    let names: Vec<&str> = volumes
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 10, "{volumes}");
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "--order reaches every page");
    let pages: Vec<String> = sim
        .handle
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == "/api/rest/volume")
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(pages.len(), 4, "pages of 3: {pages:?}");
    assert!(pages[3].contains("offset=9"), "{pages:?}");

    // Without --all: one page, as the server sends it.
    let first = sim.json(&[
        "api",
        "powerstore",
        "volume-collection-query",
        "--limit",
        "2",
    ]);
    assert_eq!(first.as_array().map(Vec::len), Some(2), "{first}");

    // LCM pages by next links: every message of a failed import's first task.
    let started = sim.json(&[
        "api",
        "lcm",
        "import-snapshot",
        "11.1.2.3.600",
        "fail-Snap2",
        "--q",
        r#"{"type":"import"}"#,
    ]);
    assert_eq!(started["status"], -1, "{started}");
    let job = started["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "Job Status")
        .and_then(|l| l["href"].as_str())
        .and_then(|h| h.rsplit('/').next())
        .unwrap()
        .to_string();
    let status = sim.json(&[
        "api",
        "lcm",
        "get-migration-status",
        "11.1.2.3.600",
        "fail-Snap2",
        &job,
    ]);
    assert!(status["status"].is_number(), "{status}");
    let (code, _, stderr) = sim.run(&[
        "api",
        "lcm",
        "get-migration-status",
        "11.1.2.3.600",
        "fail-Snap2",
        &job,
        "--wait",
    ]);
    assert_eq!(code, 4, "the import fails: {stderr}");
    let messages = sim.json(&[
        "api",
        "lcm",
        "get-migration-details",
        "11.1.2.3.600",
        "fail-Snap2",
        &job,
        "0",
        "--msgtype",
        "error",
        "--limit",
        "25",
        "--all",
    ]);
    let texts: BTreeSet<&str> = messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["msgText"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 60, "every page, none twice: {messages}");
}

#[test]
fn creates_wait_for_what_their_answer_names() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let create = |name: &str, source: &str| {
        vec![
            "api".to_string(),
            "powerstore".into(),
            "import-session-create".into(),
            "--name".into(),
            name.into(),
            "--remote-system-id".into(),
            remote.clone(),
            "--source-resource-id".into(),
            source.into(),
        ]
    };
    // 201: the created session, until the copy is done.
    let mut args = create("api-01", "sv_101");
    args.push("--wait".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let session = sim.json(&args);
    assert_eq!(session["state"], "Ready_For_Cutover", "{session}");
    let id = session["id"].as_str().unwrap().to_string();

    // 202: the job, until it completes.
    let job = sim.json(&[
        "api",
        "powerstore",
        "import-session-cutover",
        &id,
        "--is-async",
        "true",
        "--wait",
    ]);
    assert_eq!(job["phase"], "Completed", "{job}");
    // On the polled operation, the waiter --wait names.
    let done = sim.json(&[
        "api",
        "powerstore",
        "import-session-instance-query",
        &id,
        "--wait=import_session_completed",
    ]);
    assert_eq!(done["state"], "Import_Completed", "{done}");

    // A body file in YAML, a flag over it.
    let body = sim.config.path().join("session.yaml");
    std::fs::write(
        &body,
        format!("name: from-file\nremote_system_id: {remote}\nsource_resource_id: sv_102\n"),
    )
    .unwrap();
    let created = sim.json(&[
        "api",
        "powerstore",
        "import-session-create",
        "--body",
        body.to_str().unwrap(),
        "--name",
        "api-02",
    ]);
    let got = sim.json(&[
        "api",
        "powerstore",
        "import-session-instance-query",
        created["id"].as_str().unwrap(),
        "--select",
        "name,source_resource_id",
    ]);
    assert_eq!(got["name"], "api-02");
    assert_eq!(got["source_resource_id"], "sv_102");

    // ViPR: every task of a full copy.
    let group = sim.handle.seed()["vipr"]["volume_groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tasks = sim.json(&[
        "api",
        "vipr",
        "create-volume-group-full-copy",
        &group,
        "--name",
        "api-copy",
        "--wait",
    ]);
    let tasks = tasks.as_array().expect("every task");
    assert_eq!(tasks.len(), 2, "{tasks:?}");
    assert!(tasks.iter().all(|t| t["state"] == "ready"), "{tasks:?}");
}

#[test]
fn a_wait_that_fails_prints_its_ids_and_resumes() {
    let sim = Sim::start();
    let seed = sim.handle.seed();
    let group = seed["vipr"]["volume_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "app-mixed")
        .unwrap()
        .clone();
    let volume = |name: &str| {
        group["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .and_then(|v| v["id"].as_str())
            .unwrap()
            .to_string()
    };
    let (ok, bad) = (volume("mixed-vol-1"), volume("fail-vol-1"));
    let (code, stdout, stderr) = sim.run(&[
        "-o",
        "json",
        "api",
        "vipr",
        "create-volume-group-full-copy",
        group["id"].as_str().unwrap(),
        "--name",
        "api-bad",
        "--partial",
        "true",
        "--volumes",
        &ok,
        "--volumes",
        &bad,
        "--wait",
    ]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("ended error: [12000]"), "{stderr}");
    let record: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(record["waiter"], "task_done");
    assert_eq!(record["outcome"], "failed");
    let ids = record["ids"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(record["last"].as_array().map(Vec::len), Some(2), "{record}");
    let resume = record["resume"].as_str().unwrap();
    assert!(stderr.contains(resume), "{stderr}");
    // One command per task; each resumes its wait (the failed one ends at once).
    let commands: Vec<&str> = resume.split(" ; ").collect();
    assert_eq!(commands.len(), 2, "{resume}");
    for (command, id) in commands.iter().zip(ids) {
        let id = id.as_str().unwrap();
        assert!(
            command.ends_with(&format!("api vipr get-task {id} --wait")),
            "{command}"
        );
        let words: Vec<&str> = command.split(' ').skip(1).collect();
        let (code, out, err) = sim.run(&[&["-o", "json"], &words[..]].concat());
        let task: Value = serde_json::from_str(&out).unwrap();
        if id == ids[1] {
            assert_eq!(code, 4, "{err}");
            assert_eq!(task["last"]["state"], "error", "{task}");
        } else {
            assert_eq!(code, 0, "{err}");
            assert_eq!(task["state"], "ready", "{task}");
        }
    }

    // A wait on a polled operation that times out resumes with the same command.
    let remote = sim.remote_system();
    let session = sim.json(&[
        "api",
        "powerstore",
        "import-session-create",
        "--name",
        "api-slow",
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        "sv_103",
    ]);
    let id = session["id"].as_str().unwrap();
    sim.handle
        .force_import_session_state(id, "Copy_In_Progress")
        .unwrap();
    let (code, stdout, stderr) = sim.run(&[
        "-o",
        "json",
        "--wait-timeout",
        "0.2",
        "api",
        "powerstore",
        "import-session-instance-query",
        id,
        "--select",
        "id,state,progress_percentage,name",
        "--wait=import_session_completed",
    ]);
    assert_eq!(code, 5, "{stderr}");
    let record: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(record["outcome"], "timed_out");
    assert_eq!(
        record["resume"],
        format!(
            "migrate --host {} api powerstore import-session-instance-query {id} --select \
             id,state,progress_percentage,name --wait=import_session_completed",
            sim.handle.base_url()
        )
    );
}

#[test]
fn input_the_spec_refuses_sends_nothing() {
    let sim = Sim::start();
    let bad_json = sim.config.path().join("bad.json");
    std::fs::write(&bad_json, "{\"name\": ").unwrap();
    let list = sim.config.path().join("list.json");
    std::fs::write(&list, "[1, 2]").unwrap();
    let long_name = "n".repeat(130);
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "import-session-create",
                "--name",
                &long_name,
                "--remote-system-id",
                "r",
                "--source-resource-id",
                "s",
            ],
            "--name: length 130 is over the maximum of 128",
        ),
        (
            &["import-session-create", "--name", "x"],
            "--body: the body needs `remote_system_id`: give --remote-system-id or put it in --body",
        ),
        (
            &["import-session-create", "--body", bad_json.to_str().unwrap()],
            "not JSON: EOF while parsing",
        ),
        (
            &["import-session-create", "--body", list.to_str().unwrap()],
            "--body: the body must be an object, found a list",
        ),
        (
            &["import-session-create", "--body", "/no/such/file.json"],
            "--body /no/such/file.json:",
        ),
        (
            &["volume-collection-query", "--limit", "0"],
            "--limit: 0 is under the minimum of 1",
        ),
        (
            &["volume-collection-query", "--all", "--limit", "5"],
            "--limit and --all exclude each other",
        ),
        (
            &["volume-instance-query", "v1", "--all"],
            "--all: volume-instance-query does not page",
        ),
        (
            &["volume-instance-query", "v1", "--wait"],
            "--wait: no waiter polls volume-instance-query",
        ),
        (
            &["job-instance-query", "j1", "--wait=import_session_ready"],
            "--wait=import_session_ready: the waiters of job-instance-query are job_done",
        ),
        (
            &["job-collection-query", "--all", "--wait"],
            "--all and --wait exclude each other",
        ),
        (&["--list", "job-instance-query", "j1"], "--list lists"),
    ];
    for (args, says) in cases {
        let (code, _, stderr) = sim.run(&[&["api", "powerstore"], *args].concat());
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = sim.run(&[
        "api",
        "lcm",
        "get-migration-details",
        "11.1.2.3.600",
        "Snap1",
        "1",
        "-1",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("TASK_INDEX: -1 is under the minimum of 0"),
        "{stderr}"
    );
    sim.assert_nothing_sent("refused input");
}

#[test]
fn dry_runs_show_the_request_and_its_auth_without_secrets() {
    let sim = Sim::start();
    let (code, stdout, stderr) = sim.run(&[
        "--dry-run",
        "api",
        "vipr",
        "create-volume-group-full-copy",
        "urn:storageos:VolumeGroup:5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b:vdc1",
        "--name",
        "c1",
        "--count",
        "2",
        "--wait",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "POST {}/volume-groups/block/urn:storageos:VolumeGroup:5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b:vdc1/protection/full-copies",
            sim.handle.base_url()
        )
    );
    assert_eq!(lines[1], "X-SDS-AUTH-TOKEN: *** (from GET /login)");
    assert!(stdout.contains("\"count\": 2"), "{stdout}");
    assert!(!stdout.contains(crate::common::PASSWORD));
    sim.assert_nothing_sent("a dry run");
}

#[test]
fn the_login_operation_itself_is_sent_with_basic_credentials() {
    let sim = Sim::start();
    let (code, stdout, stderr) = sim.run(&[
        "--dry-run",
        "api",
        "powerstore",
        "login-session-collection-query",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.lines().nth(1),
        Some("Authorization: Basic ***"),
        "{stdout}"
    );
    let sessions = sim.json(&["api", "powerstore", "login-session-collection-query"]);
    assert_eq!(sessions[0]["user"], "admin", "{sessions}");
    // One request: the operation is the login, not a login and then the operation.
    assert_eq!(
        sim.handle.requests().len(),
        1,
        "{:?}",
        sim.handle.requests()
    );
    let (code, _, stderr) = sim.run(&["api", "vipr", "login"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(sim.handle.request_count("GET", "/login"), 1);
}
