//! End-to-end tests: the `migrate` binary against the simulator, plus the generator's flags.

mod api;
mod bad_input;
mod common;
mod complete;
mod lists;
mod output;
mod pipes;
mod secrets;
mod terminal;
mod token;
mod watch;

use common::{Sim, PASSWORD};
use serde_json::Value;

fn create_args<'a>(name: &'a str, remote: &'a str, source: &'a str) -> Vec<&'a str> {
    vec![
        "import-session",
        "create",
        "--name",
        name,
        "--remote-system-id",
        remote,
        "--source-resource-id",
        source,
    ]
}

fn state(session: &Value) -> &str {
    session["state"].as_str().unwrap_or_default()
}

#[test]
fn import_session_from_create_to_delete() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let mut args = create_args("db01", &remote, "sv_101");
    args.push("--wait");
    let created = sim.json(&args);
    assert_eq!(state(&created), "Ready_For_Cutover", "{created}");
    let id = created["id"].as_str().unwrap().to_string();

    let by_name = sim.json(&["import-session", "get", "name:db01"]);
    assert_eq!(by_name["id"], created["id"]);

    let list = sim.json(&["import-session", "list", "--filter", "name=eq.db01"]);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let all = sim.json(&["import-session", "list", "--all", "--select", "id,name"]);
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");

    let done = sim.json(&["import-session", "cutover", &id, "--wait"]);
    assert_eq!(state(&done), "Import_Completed");

    let (code, stdout, stderr) = sim.run(&["-o", "table", "import-session", "list"]);
    assert_eq!(code, 0, "{stderr}");
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[uuid]",
    );
    settings.bind(|| insta::assert_snapshot!("session_table", stdout));

    let deleted = sim.json(&["import-session", "delete", &id]);
    assert_eq!(deleted["action"], "delete");
    let (code, _, stderr) = sim.run(&["import-session", "get", &id]);
    assert_eq!(code, 3, "a deleted session is a service error: {stderr}");
}

#[test]
fn session_actions_and_waits() {
    // Slow enough steps that the copy forced below is still running when `pause` arrives
    // (four steps of copy progress), also on a loaded machine.
    let sim = Sim::start_with(
        migrate_sim::SimConfig::default().with_step(std::time::Duration::from_millis(400)),
    );
    let remote = sim.remote_system();
    let mut args = create_args("agentless01", &remote, "sv_102");
    args.extend(["--type", "Agentless", "--wait"]);
    let created = sim.json(&args);
    assert_eq!(state(&created), "Mirror_Enabled");
    let id = created["id"].as_str().unwrap().to_string();
    let ready = sim.json(&["import-session", "enable-destination-volume", &id, "--wait"]);
    assert_eq!(state(&ready), "Ready_To_Start_Copy");
    sim.json(&["import-session", "start-copy", &id]);
    sim.handle
        .force_import_session_state(&id, "Copy_In_Progress")
        .unwrap();
    let paused = sim.json(&["import-session", "pause", &id, "--wait"]);
    assert_eq!(state(&paused), "Paused");
    let resumed = sim.json(&["import-session", "resume", &id, "--wait"]);
    assert_ne!(state(&resumed), "Paused");
    let cancelled = sim.json(&["import-session", "cancel", &id, "--force", "--wait"]);
    assert_eq!(state(&cancelled), "Cancelled");

    let mut args = create_args("later01", &remote, "sv_103");
    args.extend(["--scheduled-timestamp", "2099-01-01T00:00:00Z"]);
    let later = sim.json(&args);
    let later_id = later["id"].as_str().unwrap().to_string();
    sim.json(&[
        "import-session",
        "modify",
        "name:later01",
        "--scheduled-timestamp",
        "2099-06-01T00:00:00Z",
    ]);
    let got = sim.json(&["import-session", "get", &later_id]);
    assert_eq!(state(&got), "Scheduled");
    assert!(
        got["scheduled_timestamp"]
            .as_str()
            .unwrap()
            .starts_with("2099-06-01"),
        "{got}"
    );
    let (code, _, stderr) = sim.run(&[
        "--wait-timeout",
        "0.01",
        "import-session",
        "wait",
        &later_id,
        "--until",
        "Import_Completed",
    ]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("may still be running"), "{stderr}");

    // Ctrl-C stops waiting, not the session, and prints how to resume.
    let child = sim
        .std_migrate()
        .args(["import-session", "wait", &later_id])
        .args(["--until", "Import_Completed"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let resume = format!("import-session wait {later_id} --until Import_Completed");
    assert!(
        stderr.contains("  migrate --host http://") && stderr.contains(&resume),
        "{stderr}"
    );
    let still = sim.json(&["import-session", "get", &later_id]);
    assert_eq!(state(&still), "Scheduled");

    sim.handle
        .force_import_session_state(&later_id, "Cleanup_Required")
        .unwrap();
    let cleaned = sim.json(&["import-session", "cleanup", &later_id, "--wait"]);
    assert_eq!(state(&cleaned), "Cancelled");
    let waited = sim.json(&["import-session", "wait", &later_id, "--until", "Cancelled"]);
    assert_eq!(state(&waited), "Cancelled");
}

#[test]
fn failed_session_exits_4_with_the_service_message() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let mut args = create_args("fail-db", &remote, "sv_101");
    args.push("--wait");
    let (code, _, stderr) = sim.run(&args);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("stopped responding"), "{stderr}");
    assert!(!stderr.contains(PASSWORD));
}

#[test]
fn validation_errors_exit_2_and_send_nothing() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let (code, _, stderr) = sim.run(&["import-session", "create", "--name", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--remote-system-id"), "{stderr}");

    let long = "n".repeat(130);
    let (code, _, stderr) = sim.run(&create_args(&long, &remote, "sv_101"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("128"), "{stderr}");

    let mut args = create_args("db01", &remote, "sv_101");
    args.extend(["--type", "Teleport"]);
    let (code, _, stderr) = sim.run(&args);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("Non_Disruptive") && stderr.contains("Agentless"),
        "{stderr}"
    );

    let (code, _, _) = sim.run(&["import-session", "list", "--filter", "nonsense"]);
    assert_eq!(code, 2);
    sim.assert_nothing_sent("refused input");
}

#[test]
fn dry_run_prints_the_request_without_secrets() {
    let sim = Sim::start();
    let mut args = vec!["--dry-run"];
    args.extend(create_args("db01", "rs", "sv_101"));
    let (code, stdout, stderr) = sim.run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("POST http://"), "{stdout}");
    assert!(stdout.contains("/api/rest/import_session"));
    assert!(stdout.contains("\"name\": \"db01\""));
    assert!(!stdout.contains(PASSWORD) && !stderr.contains(PASSWORD));

    let out = sim
        .migrate()
        .env("LCM_USERS_PW", "Users-Secret-9")
        .args(["--dry-run", "lcm", "import", "Snap1", "--import-users"])
        .args(["--user-password-env", "LCM_USERS_PW"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("Users-Secret-9"), "{stdout}");
    // LCM sends the import options as JSON in the `q` parameter; the password in it is hidden.
    assert!(
        stdout.contains(r#"migration?q={"type":"import","importUsers":true,"userPassword":"***"}"#),
        "{stdout}"
    );

    // The preview is the request the generated client builds: list filters and the default
    // select are in its query.
    let (code, stdout, stderr) = sim.run(&[
        "--dry-run",
        "import-session",
        "list",
        "--filter",
        "state=eq.Failed",
        "--order",
        "name",
        "--limit",
        "5",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("GET http://"), "{stdout}");
    for part in [
        "/api/rest/import_session?",
        "select=id,type,name,",
        "order=name",
        "limit=5",
        "state=eq.Failed",
    ] {
        assert!(first.contains(part), "{part} in {first}");
    }
    sim.assert_nothing_sent("a dry run");
}

#[test]
fn plans_apply_without_duplicates() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("plan.yaml");
    std::fs::write(
        &yaml,
        format!(
            "- name: p1\n  remote_system_id: {remote}\n  source_resource_id: sv_101\n\
             - name: p2\n  remote_system_id: {remote}\n  source_resource_id: sv_102\n"
        ),
    )
    .unwrap();
    let first = sim.json(&[
        "import-session",
        "apply",
        yaml.to_str().unwrap(),
        "--concurrency",
        "2",
    ]);
    assert!(
        first
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["result"] == "created"),
        "{first}"
    );
    let csv = dir.path().join("plan.csv");
    std::fs::write(
        &csv,
        format!(
            "name,remote_system_id,source_resource_id\np1,{remote},sv_101\np3,{remote},sv_103\n"
        ),
    )
    .unwrap();
    let second = sim.json(&["import-session", "apply", csv.to_str().unwrap(), "--wait"]);
    let results: Vec<&str> = second
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["exists", "created"]);
    let all = sim.json(&["import-session", "list", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 3);
}

#[test]
fn remote_systems_and_jobs() {
    let sim = Sim::start();
    let list = sim.json(&["remote-system", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let one = sim.json(&["remote-system", "get", &sim.remote_system()]);
    assert_eq!(one["name"], "unity-src-01");
    // The generated default select asks for every field of remote_system_instance.
    assert_eq!(one["data_connection_type"], "iSCSI", "{one}");
    let (code, _, stderr) = sim.run(&["job", "get", "no-such-job"]);
    assert_eq!(code, 3, "{stderr}");
    let (code, _, _) = sim.run(&["job", "wait", "no-such-job"]);
    assert_eq!(code, 3);
    let (code, _, stderr) = sim.run(&["--host", "http://127.0.0.1:1", "remote-system", "list"]);
    assert_eq!(code, 6, "{stderr}");
}

/// `--async` sends is_async=true and prints the job, which `job get` shows and `job wait`
/// follows to its end; with --wait the job and then the session are waited for.
#[test]
fn async_actions_print_a_job_to_get_and_wait_for() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let mut args = create_args("async01", &remote, "sv_101");
    args.push("--wait");
    let created = sim.json(&args);
    assert_eq!(state(&created), "Ready_For_Cutover", "{created}");
    let id = created["id"].as_str().unwrap().to_string();

    let started = sim.json(&["import-session", "cutover", &id, "--async"]);
    assert_eq!(started["id"], created["id"], "{started}");
    assert_eq!(started["action"], "cutover", "{started}");
    let job = started["job_id"].as_str().expect("a job id").to_string();
    let cutovers = sim
        .handle
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/cutover"))
        .collect::<Vec<_>>();
    assert_eq!(cutovers.len(), 1);
    assert_eq!(cutovers[0].query.as_deref(), Some("is_async=true"));

    let got = sim.json(&["job", "get", &job]);
    assert_eq!(got["id"].as_str(), Some(job.as_str()), "{got}");
    assert_eq!(got["resource_action"], "cutover", "{got}");
    let done = sim.json(&["job", "wait", &job]);
    assert_eq!(done["id"].as_str(), Some(job.as_str()), "{done}");
    assert_eq!(done["phase"], "Completed", "{done}");
    let completed = sim.json(&["import-session", "wait", &id, "--until", "Import_Completed"]);
    assert_eq!(state(&completed), "Import_Completed");

    // create --async prints the job; its result names the new session.
    let mut args = create_args("async02", &remote, "sv_102");
    args.push("--async");
    let accepted = sim.json(&args);
    let job = accepted["job_id"].as_str().expect("a job id").to_string();
    let done = sim.json(&["job", "wait", &job]);
    assert_eq!(
        done["response_body"]["response_type"],
        "job_create_response"
    );
    let new_id = done["response_body"]["id"].as_str().expect("the new id");
    let session = sim.json(&["import-session", "get", new_id]);
    assert_eq!(session["name"], "async02");

    // --async --wait waits for the job, then for the session.
    let mut args = create_args("async03", &remote, "sv_103");
    args.extend(["--async", "--wait"]);
    let ready = sim.json(&args);
    assert_eq!(state(&ready), "Ready_For_Cutover", "{ready}");
    let cancelled = sim.json(&[
        "import-session",
        "cancel",
        "name:async03",
        "--force",
        "--async",
        "--wait",
    ]);
    assert_eq!(state(&cancelled), "Cancelled", "{cancelled}");

    // delete --async prints the job; once it completes the session is gone.
    let deleting = sim.json(&["import-session", "delete", "name:async03", "--async"]);
    assert_eq!(deleting["action"], "delete", "{deleting}");
    let job = deleting["job_id"].as_str().expect("a job id").to_string();
    let done = sim.json(&["job", "wait", &job]);
    assert_eq!(done["phase"], "Completed", "{done}");
    let (code, _, stderr) = sim.run(&["import-session", "get", "name:async03"]);
    assert_eq!(code, 3, "{stderr}");
    let deletes = sim
        .handle
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect::<Vec<_>>();
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].query.as_deref(), Some("is_async=true"));

    // modify --async reschedules a scheduled session through a job.
    let mut args = create_args("async04", &remote, "res_cg_7");
    args.extend(["--scheduled-timestamp", "2099-01-01T00:00:00Z"]);
    sim.json(&args);
    let scheduled = sim.json(&["import-session", "get", "name:async04"]);
    assert_eq!(state(&scheduled), "Scheduled", "{scheduled}");
    let changing = sim.json(&[
        "import-session",
        "modify",
        "name:async04",
        "--scheduled-timestamp",
        "2099-06-01T12:00:00Z",
        "--async",
    ]);
    let job = changing["job_id"].as_str().expect("a job id").to_string();
    let done = sim.json(&["job", "wait", &job]);
    assert_eq!(done["phase"], "Completed", "{done}");
    let session = sim.json(&["import-session", "get", "name:async04"]);
    assert!(
        session["scheduled_timestamp"]
            .as_str()
            .is_some_and(|t| t.starts_with("2099-06-01T12:00:00")),
        "{session}"
    );

    let (code, stdout, _) = sim.run(&["--dry-run", "import-session", "cutover", &id, "--async"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(&format!("/import_session/{id}/cutover?is_async=true")),
        "{stdout}"
    );
}

#[test]
fn lcm_import_status_details_and_failures() {
    let sim = Sim::start();
    let snapshots = sim.json(&["lcm", "snapshots"]);
    assert!(snapshots.to_string().contains("Snap1"), "{snapshots}");
    let done = sim.json(&["lcm", "import", "Snap1", "--wait"]);
    assert_eq!(done["status"], 0, "{done}");

    let started = sim.json(&["lcm", "import", "fail-Snap2"]);
    assert!(
        !started.to_string().contains('?'),
        "no echoed query: {started}"
    );
    let links = started["links"].as_array().unwrap();
    let status_link = links
        .iter()
        .find(|l| {
            l["rel"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .contains("status")
        })
        .unwrap_or_else(|| panic!("{started}"));
    let href = status_link["href"].as_str().unwrap().to_string();
    let job = href.rsplit('/').next().unwrap().to_string();
    let (code, _, stderr) = sim.run(&["lcm", "import", "fail-Snap2", "--wait"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.lines().filter(|l| l.starts_with("  [")).count() >= 60,
        "{stderr}"
    );
    let status = sim.json(&["lcm", "status", "fail-Snap2", &job]);
    assert!(status["status"].is_number(), "{status}");
    let details = sim.json(&[
        "lcm",
        "details",
        "fail-Snap2",
        &job,
        "--all",
        "--msgtype",
        "error",
    ]);
    assert!(!details.as_array().unwrap().is_empty(), "{details}");
}

#[test]
fn vipr_full_copy_and_tasks() {
    let sim = Sim::start();
    let group = sim.handle.seed()["vipr"]["volume_groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tasks = sim.json(&["vipr", "full-copy", "create", &group, "--name", "copy1"]);
    let task = tasks[0]["id"].as_str().unwrap().to_string();
    let one = sim.json(&["vipr", "task", "get", &task]);
    assert_eq!(one["id"], task.as_str());
    let waited = sim.json(&["vipr", "task", "wait", &task]);
    assert_eq!(waited[0]["state"], "ready", "{waited}");
    let created = sim.json(&[
        "vipr",
        "full-copy",
        "create",
        &group,
        "--name",
        "copy2",
        "--count",
        "1",
        "--wait",
    ]);
    assert!(!created.as_array().unwrap().is_empty());
}

#[test]
fn completions_and_config() {
    let sim = Sim::start();
    let (code, stdout, _) = sim.run(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("import-session"));
    let (code, _, stderr) = sim.run(&[
        "--profile",
        "lab",
        "config",
        "set",
        "powerstore_host",
        "https://array",
    ]);
    assert_eq!(code, 0, "config set creates a profile: {stderr}");
    let lab = sim.json(&["--profile", "lab", "config", "show"]);
    assert_eq!(lab["settings"]["powerstore_host"], "https://array", "{lab}");
    let (code, _, stderr) = sim.run(&["--profile", "nope", "remote-system", "list"]);
    assert_eq!(code, 2, "a missing profile is refused: {stderr}");
    let (code, _, stderr) = sim.run(&["config", "set", "user", "ops"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, _) = sim.run(&["config", "set", "password", "x"]);
    assert_eq!(code, 2, "passwords are never stored");
    let (code, stdout, stderr) = sim.run(&["--dry-run", "config", "set", "user", "someone"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("would set user in profile default"),
        "{stdout}"
    );
    let shown = sim.json(&["config", "show"]);
    assert_eq!(shown["settings"]["user"], "ops", "{shown}");
    let file = std::fs::read_to_string(sim.config.path().join("config.toml")).unwrap();
    assert!(!file.contains(PASSWORD));
}

#[test]
fn help_snapshots() {
    let sim = Sim::start();
    for (name, args) in [
        ("help_root", vec!["--help"]),
        ("help_globals", vec!["help", "globals"]),
        ("help_import_session", vec!["import-session", "--help"]),
        (
            "help_import_session_list",
            vec!["import-session", "list", "--help"],
        ),
        (
            "help_import_session_watch",
            vec!["help", "import-session", "watch"],
        ),
        (
            "help_import_session_create",
            vec!["import-session", "create", "--help"],
        ),
        ("help_lcm_import", vec!["lcm", "import", "--help"]),
        (
            "help_vipr_full_copy_create",
            vec!["vipr", "full-copy", "create", "--help"],
        ),
    ] {
        let out = sim
            .migrate()
            .env("COLUMNS", "100")
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success());
        insta::assert_snapshot!(name, String::from_utf8_lossy(&out.stdout));
    }
}

/// The man page of one command, as `migrate man DIR` writes it.
#[test]
fn man_page_snapshot() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = sim.run(&["man", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let pages = std::fs::read_dir(dir.path()).unwrap().count();
    assert!(
        stderr.contains(&format!("wrote {pages} man pages")),
        "{stderr}"
    );
    assert!(pages >= 50, "{pages}");
    let page = std::fs::read_to_string(dir.path().join("migrate-import-session-watch.1")).unwrap();
    insta::assert_snapshot!("man_import_session_watch", page);
    // man renders it (where man is installed).
    if std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok()
    {
        let shown = std::process::Command::new("man")
            .env("MANWIDTH", "80")
            .arg("-l")
            .arg(dir.path().join("migrate-import-session-watch.1"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(text.contains("EXAMPLES"), "{text}");
        assert!(
            text.contains("migrate import-session watch --filter name=ilike.db*"),
            "{text}"
        );
    }
}

#[test]
fn json_output_snapshot() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let mut args = create_args("snap01", &remote, "sv_101");
    args.extend(["--automatic-cutover", "--wait"]);
    let (code, stdout, stderr) = sim.run(&[&["-o", "json"], &args[..]].concat());
    assert_eq!(code, 0, "{stderr}");
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[uuid]",
    );
    settings.add_filter(r"\d{4}-\d\d-\d\dT[0-9:.]+Z", "[timestamp]");
    settings.bind(|| insta::assert_snapshot!("session_json", stdout));
}

/// A field added to the spec becomes a flag: the generator emits its clap attribute with help
/// text and limits.
/// The shipped PowerStore spec with one more `import_session_create` field,
/// generated with the project's overlay.
fn spec_with_a_new_field() -> migrate_codegen::Generated {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let specs = root.join("generated/specs");
    let manifest = std::fs::read_to_string(specs.join("shipped.yaml")).unwrap();
    let manifest = migrate_codegen::Manifest::parse(&manifest, &specs, "shipped.yaml").unwrap();
    let powerstore = manifest.module("powerstore").unwrap();
    let text = std::fs::read_to_string(&powerstore.spec).unwrap();
    let mut spec: Value = serde_json::from_str(&text).unwrap();
    spec["definitions"]["import_session_create"]["properties"]["migration_window"] = serde_json::json!({
        "type": "string",
        "maxLength": 32,
        "description": "Maintenance window for the cutover. Used by schedulers."
    });
    let overlays: Vec<migrate_codegen::Source> = powerstore
        .overlays
        .iter()
        .map(|path| {
            migrate_codegen::Source::new(
                path.display().to_string(),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    migrate_codegen::generate(
        &migrate_codegen::Source::new(
            "dellemc.swagger.json",
            serde_json::to_string(&spec).unwrap(),
        ),
        &overlays,
        &Default::default(),
    )
    .unwrap()
}

#[test]
fn a_new_spec_field_becomes_a_flag() {
    let code = spec_with_a_new_field().code;
    let start = code
        .find("pub struct ImportSessionCreateArgs")
        .expect("args struct");
    let args = &code[start
        ..code[start..]
            .find("impl ")
            .map_or(code.len(), |e| start + e)];
    assert!(args.contains("long = \"migration-window\""), "{args}");
    assert!(
        args.contains("Maintenance window for the cutover. (at most 32 characters)"),
        "{args}"
    );
    assert!(
        args.contains("pub migration_window: Option<String>"),
        "{args}"
    );
    assert!(code.contains("migration_window: self.migration_window"));
    assert!(code.contains("#[cfg(feature = \"cli\")]"));
}

/// The same change, end to end: the regenerated crate, built with its `cli`
/// feature into a tiny command, shows the new flag and its help in `--help`.
/// It builds in the workspace's target directory so the dependencies are
/// shared with the rest of the build.
#[test]
fn a_new_spec_field_shows_in_help_after_regeneration() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = migrate_codegen::RuntimeDependency {
        version: "0.1.0".into(),
        path: Some(root.join("runtime").display().to_string()),
    };
    let dir = tempfile::tempdir().unwrap();
    let modules = [("powerstore".to_string(), spec_with_a_new_field())];
    for (relative, contents) in migrate_codegen::crate_files("flag-check", &modules, &runtime) {
        let path = dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    std::fs::write(
        dir.path().join("src/main.rs"),
        "use clap::Parser;\n\
         #[derive(Parser)]\n#[command(name = \"create\")]\n\
         struct Create { #[command(flatten)] args: flag_check::cli::ImportSessionCreateArgs }\n\
         fn main() { let _ = Create::parse().args.into_body(); }\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--features", "cli", "--", "--help"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", root.join("target/flag-check"))
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        help.contains("--migration-window <MIGRATION_WINDOW>"),
        "{help}"
    );
    assert!(
        help.contains("Maintenance window for the cutover. (at most 32 characters)"),
        "{help}"
    );
    assert!(
        help.contains("--remote-system-id <REMOTE_SYSTEM_ID>"),
        "{help}"
    );
}

/// Debug logs show every request and answer, with credentials, cookies,
/// CSRF tokens and the LCM `q` (which carries the users' password) hidden.
#[test]
fn debug_logs_hide_every_secret() {
    let sim = Sim::start();
    let create = sim
        .migrate()
        .args([
            "-vv",
            "import-session",
            "create",
            "--name",
            "vv1",
            "--remote-system-id",
            "name:unity-src-01",
            "--source-resource-id",
            "sv_103",
        ])
        .output()
        .unwrap();
    let lcm = sim
        .migrate()
        .env("USERS_PASSWORD", "Sup3rS3cret!")
        .args([
            "-vv",
            "lcm",
            "import",
            "Snap1",
            "--import-users",
            "--user-password-env",
            "USERS_PASSWORD",
        ])
        .output()
        .unwrap();
    for output in [&create, &lcm] {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(
            stderr.contains("DEBUG") && stderr.contains("sending"),
            "no debug log: {stderr}"
        );
        assert!(!stderr.contains('\u{1b}'), "colour codes in a captured log");
        for secret in [PASSWORD, "Sup3rS3cret", "auth_cookie="] {
            assert!(!stderr.contains(secret), "{secret} in the log: {stderr}");
        }
    }
    let create_log = String::from_utf8_lossy(&create.stderr);
    assert!(
        create_log.contains("\"dell-emc-token\": \"***\""),
        "{create_log}"
    );
}
