//! The README's main job, end to end: `migrate-codegen generate` makes a standalone crate from
//! the shipped specs, a small program is built on it, and the program runs an import session
//! to completion and an LCM import whose tasks fail, with every failure message collected,
//! against the simulator, with nothing but what was generated: the clients, the declared
//! waiters (`wait_until_*`) and the next-link stream. No `ext`, no hand-written poll loop.
//!
//! Build time: the crate and the program are written under `target/standalone-e2e/` (a file
//! is rewritten only when its text changed, so cargo sees unchanged sources as unchanged), and
//! built in the workspace's own target directory with the workspace's lock file and dev
//! profile, so the dependencies already built for the workspace are reused. Set
//! `MIGRATE_E2E_SHOW=1` to print how long each step took.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{cargo, codegen_bin, is_release, root, sim};
use serde_json::Value;

/// The program, written against the generated crate only.
const PROGRAM: &str = r#"//! Runs an import session and an LCM import against the service at argv[1] with the
//! generated clients, waiters and streams, and prints what it saw as JSON.

use clients::lcm::operations::GetMigrationDetailsParams;
use clients::lcm::types::{ImportQuery, ImportQueryType, MessageType};
use clients::powerstore::operations::ImportSessionCreateResponse;
use clients::{lcm, powerstore};
use migrate_runtime::futures::TryStreamExt;
use migrate_runtime::wait::WaitOptions;
use migrate_runtime::waiter::Finished;
use migrate_runtime::{Auth, StringEnum, Transport};
use std::time::Duration;

const VERSION: &str = "11.1.2.3.600";

#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).expect("the service's URL");
    let options = WaitOptions {
        interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(40),
        timeout: Duration::from_secs(30),
        ..WaitOptions::default()
    };

    // PowerStore: create, wait until ready, cut over, wait until completed.
    let transport = Transport::builder(format!("{url}{}", powerstore::Client::BASE_PATH))
        .auth(Auth::PowerStore { user: "admin".into(), password: "Password123!".into() })
        .build()
        .expect("a transport");
    let array = powerstore::Client::new(transport);
    let body = powerstore::types::ImportSessionCreate {
        name: "standalone-01".into(),
        remote_system_id: "name:unity-src-01".into(),
        source_resource_id: "sv_101".into(),
        ..Default::default()
    };
    let id = match array.import_session_create(&body, &Default::default()).await.expect("created").into_body() {
        ImportSessionCreateResponse::Created(created) => created.id.expect("an id"),
        ImportSessionCreateResponse::Accepted(job) => panic!("a job instead: {job:?}"),
    };
    let params = Default::default();
    let mut seen = Vec::new();
    let ready = match array
        .wait_until_import_session_ready(&id, &params, Some(options), |p| seen.push(p.state.clone()))
        .await
        .expect("the wait ends")
    {
        Finished::Done(session) => session,
        Finished::Failed(failure) => panic!("{failure:?}"),
    };
    array.import_session_cutover(&id, &Default::default()).await.expect("cut over");
    let completed = match array
        .wait_until_import_session_completed(&id, &params, Some(options), |_| {})
        .await
        .expect("the wait ends")
    {
        Finished::Done(session) => session,
        Finished::Failed(failure) => panic!("{failure:?}"),
    };

    // LCM: an import whose tasks fail, and every message of every task.
    let transport = Transport::builder(format!("{url}{}", lcm::Client::BASE_PATH))
        .auth(Auth::Basic { user: "exampleDomain.admin".into(), password: "Password123!".into() })
        .build()
        .expect("a transport");
    let epm = lcm::Client::new(transport);
    let query = ImportQuery { r#type: ImportQueryType::Import, import_users: None, user_password: None, reset_password: None };
    let started = epm.import_snapshot(VERSION, "fail-Snap2", &query).await.expect("started").into_body();
    let job: i64 = started
        .links
        .unwrap_or_default()
        .into_iter()
        .find(|l| l.rel.as_deref() == Some("Job Status"))
        .and_then(|l| l.href)
        .and_then(|href| href.rsplit('/').next().and_then(|id| id.parse().ok()))
        .expect("a Job Status link ending in the job id");
    let failure = match epm
        .wait_until_import_done(VERSION, "fail-Snap2", job, Some(options), |_| {})
        .await
        .expect("the wait ends")
    {
        Finished::Failed(failure) => failure,
        Finished::Done(answer) => panic!("the import should fail: {answer:?}"),
    };
    let mut tasks = Vec::new();
    for index in 0..failure.last.items.as_ref().map_or(0, Vec::len) {
        let params = GetMigrationDetailsParams {
            msgtype: Some(MessageType::from_wire("error".to_string())),
            ..Default::default()
        };
        let messages: Vec<_> = epm
            .get_migration_details_stream(VERSION, "fail-Snap2", job, index as i32, &params)
            .try_collect()
            .await
            .expect("every page");
        let texts: Vec<String> = messages.into_iter().filter_map(|m| m.msg_text).collect();
        tasks.push(texts);
    }

    let report = serde_json::json!({
        "session": {
            "id": id,
            "seen": seen,
            "ready": ready.state.as_ref().map(|s| s.as_wire().to_string()),
            "completed": completed.state.as_ref().map(|s| s.as_wire().to_string()),
        },
        "lcm": {
            "job": job,
            "state": failure.state,
            "tasks": tasks,
        },
    });
    println!("{report}");
}
"#;

/// Writes `text` to `path` unless it already holds it.
fn write_if_changed(path: &Path, text: &[u8]) {
    if std::fs::read(path).is_ok_and(|old| old == text) {
        return;
    }
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Copies every file under `from` to `to`, rewriting only what changed.
fn sync(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("a directory") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            sync(&entry.path(), &target);
        } else {
            write_if_changed(&target, &std::fs::read(entry.path()).expect("readable"));
        }
    }
}

fn run(mut command: Command, what: &str) -> std::process::Output {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_generated_crate_runs_a_session_and_a_failing_lcm_import_with_only_generated_waiters() {
    let started = Instant::now();
    let mut steps: Vec<(&str, Duration)> = Vec::new();
    let mut step = |name, since: &mut Instant| {
        steps.push((name, since.elapsed()));
        *since = Instant::now();
    };
    let mut since = Instant::now();
    let root = root();
    let codegen = codegen_bin().to_path_buf();
    step("build migrate-codegen", &mut since);

    // 1. The README's main job, into a fresh directory.
    let fresh = tempfile::tempdir().expect("a temp dir");
    let mut generate = Command::new(&codegen);
    generate
        .current_dir(&root)
        .args([
            "generate",
            "--spec",
            "powerstore=specs/dellemc.swagger.json",
        ])
        .args(["--overlay", "powerstore=specs/powerstore.overlay.yaml"])
        .args([
            "--spec",
            "lcm=specs/lcm.yaml",
            "--spec",
            "vipr=specs/vipr.yaml",
        ])
        .arg("--out")
        .arg(fresh.path())
        .args(["--name", "migrate-clients-standalone", "--runtime-path"])
        .arg(root.join("runtime"));
    run(generate, "migrate-codegen generate");
    step("generate", &mut since);

    // 2. The crate and a program on it, where cargo can keep what it built.
    let base: PathBuf = root.join("target/standalone-e2e");
    let clients = base.join("clients");
    sync(fresh.path(), &clients);
    let program = base.join("program");
    let manifest = format!(
        "[package]\nname = \"standalone-e2e\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nclients = {{ package = \"migrate-clients-standalone\", path = {clients:?} }}\n\
         migrate-runtime = {{ path = {runtime:?} }}\nserde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"time\", \"net\", \"signal\", \"sync\"] }}\n\n\
         [workspace]\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
        clients = clients.display().to_string(),
        runtime = root.join("runtime").display().to_string(),
    );
    write_if_changed(&program.join("Cargo.toml"), manifest.as_bytes());
    write_if_changed(&program.join("src/main.rs"), PROGRAM.as_bytes());
    // The workspace's versions, so the dependencies built for it are the ones reused (and
    // nothing is fetched: the build is offline).
    let lock = std::fs::read(root.join("Cargo.lock")).expect("the workspace's lock file");
    write_if_changed(&program.join("Cargo.lock"), &lock);
    let mut build = cargo();
    build
        .current_dir(&program)
        .args([
            "build",
            "--quiet",
            "--offline",
            "--message-format",
            "json-render-diagnostics",
        ])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .stderr(Stdio::inherit());
    if is_release() {
        build.arg("--release");
    }
    let out = run(build, "building the program");
    let binary = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "standalone-e2e")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the program");
    step("build the program", &mut since);

    // 3. Against the simulator.
    let sim = sim(Duration::from_millis(20));
    let mut program_run = Command::new(&binary);
    program_run.arg(sim.base_url());
    let out = run(program_run, "the program");
    step("run the program", &mut since);
    let report: Value = serde_json::from_slice(&out.stdout).expect("the program's JSON");

    let session = &report["session"];
    assert_eq!(session["ready"], "Ready_For_Cutover", "{report}");
    assert_eq!(session["completed"], "Import_Completed", "{report}");
    let seen: Vec<&str> = session["seen"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        seen.contains(&"Copy_In_Progress"),
        "progress was reported: {seen:?}"
    );
    let id = session["id"].as_str().unwrap();
    assert_eq!(
        sim.carried_out("POST", &format!("/api/rest/import_session/{id}/cutover")),
        1,
        "cut over once"
    );

    let lcm = &report["lcm"];
    assert_eq!(
        lcm["state"], "1",
        "the import failed with status 1: {report}"
    );
    let tasks = lcm["tasks"].as_array().expect("every task");
    let counts: Vec<usize> = tasks.iter().map(|t| t.as_array().unwrap().len()).collect();
    assert_eq!(counts, [60, 3], "every message of every task: {report}");
    let first: std::collections::BTreeSet<&str> = tasks[0]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(first.len(), 60, "no page read twice or skipped");
    let job = lcm["job"].as_i64().unwrap();
    let details = format!(
        "/interop/rest/11.1.2.3.600/applicationsnapshots/fail-Snap2/migration/{job}/0/details"
    );
    assert_eq!(
        sim.request_count("GET", &details),
        3,
        "three pages of 25, followed by their next links"
    );

    let total = started.elapsed();
    if std::env::var_os("MIGRATE_E2E_SHOW").is_some() {
        for (name, took) in &steps {
            eprintln!("{name}: {:.1} s", took.as_secs_f64());
        }
        eprintln!("total: {:.1} s", total.as_secs_f64());
    }
}
