//! Secrets never reach the user's screen: every command runs at `-vv` against the simulator
//! three times (for real, with `--dry-run`, and with a wrong password so every login fails),
//! every LCM command three more times with a bearer token (the right one from `MIGRATE_TOKEN`,
//! the right one from `--token-stdin`, a refused one), and none of the known secret values may
//! appear in stdout or stderr: the passwords, their `Authorization: Basic` forms, the LCM
//! users' password, both tokens, and every session cookie, CSRF token and ViPR token the
//! simulator handed out during the run.

use base64::Engine;

use crate::common::{Sim, PASSWORD};

const WRONG_PASSWORD: &str = "Wr0ng-Passw0rd!";
const USERS_PASSWORD: &str = "Us3rs-Secr3t!";
const WRONG_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.expired-0xDEADBEEF";

/// Runs `migrate -vv args` with `password`; returns stdout and stderr together.
fn run(sim: &Sim, args: &[String], password: &str) -> (i32, String) {
    let out = sim
        .std_migrate()
        .env("MIGRATE_PASSWORD", password)
        .env("USERS_PW", USERS_PASSWORD)
        .arg("-vv")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Runs `migrate -vv args` with a bearer token (in MIGRATE_TOKEN, or on stdin with
/// `--token-stdin`) and no password; returns stdout and stderr together.
fn run_with_token(sim: &Sim, args: &[String], token: &str, stdin: bool) -> (i32, String) {
    use std::io::Write;
    let mut cmd = sim.std_migrate();
    cmd.env_remove("MIGRATE_PASSWORD")
        .env("USERS_PW", USERS_PASSWORD)
        .arg("-vv");
    if stdin {
        cmd.arg("--token-stdin").stdin(std::process::Stdio::piped());
    } else {
        cmd.env("MIGRATE_TOKEN", token)
            .stdin(std::process::Stdio::null());
    }
    let mut child = cmd
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(mut input) = child.stdin.take() {
        let _ = writeln!(input, "{token}");
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn json(text: &str) -> serde_json::Value {
    // stdout comes first; the JSON document ends where the log starts.
    let start = text.find(['{', '[']).unwrap_or(0);
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter();
    stream
        .next()
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("no JSON in {text}"))
}

#[test]
fn no_command_shows_a_secret_at_vv_in_dry_runs_or_failed_logins() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let group = sim.handle.seed()["vipr"]["volume_groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        format!("- name: sec-plan\n  remote_system_id: {remote}\n  source_resource_id: sv_103\n"),
    )
    .unwrap();
    let mut outputs = Vec::new();

    // Ids to act on, made by real runs (whose output is checked as well).
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let create = s(&[
        "-o",
        "json",
        "import-session",
        "create",
        "--name",
        "sec-ready",
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        "sv_101",
        "--wait",
    ]);
    let (code, text) = run(&sim, &create, PASSWORD);
    assert_eq!(code, 0, "{text}");
    let session = json(&text)["id"].as_str().unwrap().to_string();
    outputs.push(text);
    let create_async = s(&[
        "-o",
        "json",
        "import-session",
        "create",
        "--name",
        "sec-later",
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        "res_cg_7",
        "--scheduled-timestamp",
        "2099-01-01T00:00:00Z",
        "--async",
    ]);
    let (code, text) = run(&sim, &create_async, PASSWORD);
    assert_eq!(code, 0, "{text}");
    let job = json(&text)["job_id"].as_str().unwrap().to_string();
    outputs.push(text);
    let (code, text) = run(
        &sim,
        &s(&["-o", "json", "lcm", "import", "fail-Snap2"]),
        PASSWORD,
    );
    assert_eq!(code, 0, "{text}");
    let started = json(&text);
    let lcm_job = started["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["href"].as_str())
        .find(|h| h.contains("/migration/"))
        .and_then(|h| h.rsplit('/').next())
        .unwrap()
        .to_string();
    outputs.push(text);
    let copy = s(&[
        "-o",
        "json",
        "vipr",
        "full-copy",
        "create",
        &group,
        "--name",
        "sec-copy",
    ]);
    let (code, text) = run(&sim, &copy, PASSWORD);
    assert_eq!(code, 0, "{text}");
    let task = json(&text)[0]["id"].as_str().unwrap().to_string();
    outputs.push(text);

    let plan = plan.to_str().unwrap().to_string();
    let commands: Vec<Vec<String>> = vec![
        s(&[
            "import-session",
            "create",
            "--name",
            "sec-new",
            "--remote-system-id",
            &remote,
            "--source-resource-id",
            "sv_102",
            "--description",
            "secret check",
        ]),
        s(&["import-session", "list", "--all"]),
        s(&["import-session", "get", "name:sec-ready"]),
        s(&[
            "import-session",
            "modify",
            "name:sec-later",
            "--scheduled-timestamp",
            "2099-06-01T00:00:00Z",
        ]),
        s(&[
            "import-session",
            "wait",
            &session,
            "--until",
            "Ready_For_Cutover",
        ]),
        s(&["import-session", "pause", &session]),
        s(&["import-session", "resume", &session]),
        s(&["import-session", "start-copy", &session]),
        s(&["import-session", "enable-destination-volume", &session]),
        s(&["import-session", "cleanup", &session]),
        s(&["import-session", "cutover", &session, "--wait"]),
        s(&["import-session", "cancel", "name:sec-later", "--force"]),
        s(&["import-session", "delete", &session]),
        s(&["import-session", "apply", &plan]),
        s(&["remote-system", "list"]),
        s(&["remote-system", "get", &remote]),
        s(&["job", "get", &job]),
        s(&["job", "wait", &job]),
        s(&[
            "lcm",
            "import",
            "Snap1",
            "--import-users",
            "--user-password-env",
            "USERS_PW",
            "--wait",
        ]),
        s(&["lcm", "status", "fail-Snap2", &lcm_job]),
        s(&[
            "lcm",
            "details",
            "fail-Snap2",
            &lcm_job,
            "--all",
            "--msgtype",
            "error",
        ]),
        s(&["lcm", "snapshots"]),
        s(&[
            "vipr",
            "full-copy",
            "create",
            &group,
            "--name",
            "sec-copy2",
            "--wait",
        ]),
        s(&["vipr", "task", "get", &task]),
        s(&["vipr", "task", "wait", &task]),
        s(&["import-session", "watch", "--filter", "name=eq.sec-ready"]),
        s(&["import-session", "list", "--query", "[].name", "-o", "text"]),
        s(&["remote-system", "get", "name:unity-src-01"]),
        s(&["volume", "list", "--limit", "3"]),
        s(&["volume", "get", "name:app-data-01"]),
        s(&["volume-group", "list"]),
        s(&["volume-group", "get", "name:vg-oracle"]),
        s(&["job", "list", "--phase", "Completed", "-o", "wide"]),
        s(&["config", "set", "user", "admin"]),
        s(&["config", "show"]),
        s(&["config", "list"]),
        s(&["config", "get", "user"]),
    ];
    let mut dry_runs = 0;
    let mut succeeded = 0;
    for command in &commands {
        let (code, text) = run(&sim, command, PASSWORD);
        assert!(!text.contains("panicked"), "{command:?}: {text}");
        if code == 0 {
            succeeded += 1;
        }
        outputs.push(text);
        let mut dry = vec!["--dry-run".to_string()];
        dry.extend(command.iter().cloned());
        let (code, text) = run(&sim, &dry, PASSWORD);
        if command[0] != "config" {
            assert_eq!(code, 0, "{dry:?}: {text}");
            if command[0] == "lcm" {
                assert!(text.contains("Authorization: Basic ***"), "{text}");
            }
            assert!(
                text.contains("***"),
                "a dry run shows where credentials go: {text}"
            );
            dry_runs += 1;
        }
        outputs.push(text);
        let (code, text) = run(&sim, command, WRONG_PASSWORD);
        if command[0] != "config" {
            assert_eq!(
                code, 3,
                "a failed login is the service's refusal: {command:?}: {text}"
            );
        }
        outputs.push(text);
    }

    // Every LCM command with a bearer token: from MIGRATE_TOKEN, from --token-stdin, refused;
    // and a dry run with it.
    let token = sim.handle.config().lcm_bearer_token.clone();
    let mut token_runs = 0;
    for command in commands.iter().filter(|c| c[0] == "lcm") {
        let (code, text) = run_with_token(&sim, command, &token, false);
        assert_eq!(code, 0, "{command:?}: {text}");
        outputs.push(text);
        let (code, text) = run_with_token(&sim, command, &token, true);
        assert_eq!(code, 0, "--token-stdin {command:?}: {text}");
        outputs.push(text);
        let mut dry = vec!["--dry-run".to_string()];
        dry.extend(command.iter().cloned());
        let (code, text) = run_with_token(&sim, &dry, &token, false);
        assert_eq!(code, 0, "{dry:?}: {text}");
        assert!(text.contains("Authorization: Bearer ***"), "{text}");
        outputs.push(text);
        let (code, text) = run_with_token(&sim, command, WRONG_TOKEN, false);
        assert_eq!(code, 3, "a refused token: {command:?}: {text}");
        assert!(text.contains("refused the bearer token"), "{text}");
        outputs.push(text);
        token_runs += 1;
    }
    assert_eq!(token_runs, 4);

    let basic = |password: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!("admin:{password}"))
    };
    let issued = sim.handle.issued_secrets();
    assert!(
        issued.len() >= 6,
        "the runs logged in to PowerStore and ViPR: {issued:?}"
    );
    let mut secrets = vec![
        PASSWORD.to_string(),
        WRONG_PASSWORD.to_string(),
        USERS_PASSWORD.to_string(),
        basic(PASSWORD),
        basic(WRONG_PASSWORD),
        sim.handle.config().lcm_bearer_token.clone(),
        WRONG_TOKEN.to_string(),
        format!("Bearer {token}"),
    ];
    secrets.extend(issued);
    let mut leaks = Vec::new();
    for output in &outputs {
        for secret in &secrets {
            if output.contains(secret.as_str()) {
                leaks.push(format!("{secret:?} in:\n{output}"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks in {} outputs:\n{}",
        leaks.len(),
        outputs.len(),
        leaks.join("\n\n")
    );
    // The logs were really at debug level, so the check saw the requests and answers.
    assert!(outputs.iter().any(|o| o.contains("DEBUG")));
    assert_eq!(
        dry_runs,
        commands.iter().filter(|c| c[0] != "config").count()
    );
    // Most real runs succeed (some actions do not fit the session's state; their error answers
    // are checked for secrets too).
    assert!(
        succeeded * 3 >= commands.len() * 2,
        "{succeeded} of {}",
        commands.len()
    );
}
