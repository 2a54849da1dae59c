//! OAuth 2.0 for LCM: a bearer token from `MIGRATE_TOKEN` or `--token-stdin` is sent instead
//! of Basic on every LCM request, is never shown (a dry run says `Bearer ***`), and a refused
//! one is named as the cause. `lcm status` shows the job id and says what the status means.

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use migrate_sim::SimConfig;

use crate::common::Sim;

/// The LCM requests the simulator logged since the last clear, with their auth scheme.
fn lcm_schemes(sim: &Sim) -> Vec<Option<String>> {
    sim.handle
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/interop/rest"))
        .map(|r| r.auth_scheme)
        .collect()
}

#[test]
fn a_bearer_token_replaces_basic_for_every_lcm_command() {
    let sim = Sim::start();
    let token = sim.handle.config().lcm_bearer_token.clone();
    let env = [("MIGRATE_TOKEN", token.as_str())];
    // No user and no password are needed with a token.
    let run = |args: &[&str]| {
        let out = sim
            .migrate()
            .env("MIGRATE_TOKEN", &token)
            .env_remove("MIGRATE_USER")
            .env_remove("MIGRATE_PASSWORD")
            .args(["-o", "json"])
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(!stdout.contains(&token) && !stderr.contains(&token));
        serde_json::from_str::<serde_json::Value>(&stdout)
            .unwrap_or_else(|e| panic!("{e}: {stdout}"))
    };
    sim.handle.clear_requests();
    let snapshots = run(&["lcm", "snapshots"]);
    assert!(snapshots.to_string().contains("Snap1"), "{snapshots}");
    let started = run(&["lcm", "import", "fail-Snap2"]);
    let job = started["job_id"]
        .as_i64()
        .expect("the job id, not only inside a URL");
    let job = job.to_string();
    run(&["lcm", "status", "fail-Snap2", &job]);
    run(&["lcm", "details", "fail-Snap2", &job, "--limit", "3"]);
    let done = run(&["lcm", "import", "Snap1", "--wait"]);
    assert_eq!(done["status"], 0, "{done}");
    let schemes = lcm_schemes(&sim);
    assert!(schemes.len() >= 5, "{schemes:?}");
    assert!(
        schemes.iter().all(|s| s.as_deref() == Some("Bearer")),
        "every LCM request carried the token: {schemes:?}"
    );

    // --token-stdin does the same.
    sim.handle.clear_requests();
    let mut child = sim
        .std_migrate()
        .env_remove("MIGRATE_PASSWORD")
        .args(["--token-stdin", "-o", "json", "lcm", "snapshots"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{token}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lcm_schemes(&sim), [Some("Bearer".to_string())]);

    // Without a token LCM gets Basic; PowerStore logs in with the password even with one.
    sim.handle.clear_requests();
    let (code, _, _) = sim.run(&["-o", "json", "lcm", "snapshots"]);
    assert_eq!(code, 0);
    assert_eq!(lcm_schemes(&sim), [Some("Basic".to_string())]);
    let (code, _, stderr) = sim.run_env(&["-o", "json", "remote-system", "list"], &env);
    assert_eq!(code, 0, "{stderr}");

    // A dry run says a bearer token goes, and never which.
    let (code, stdout, stderr) = sim.run_env(&["--dry-run", "lcm", "status", "Snap1", "1"], &env);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.lines().nth(1),
        Some("Authorization: Bearer ***"),
        "{stdout}"
    );
    assert!(!stdout.contains(&token));
}

#[test]
fn a_refused_token_is_named_as_the_cause() {
    let sim = Sim::start();
    let (code, stdout, stderr) = sim.run_env(
        &["lcm", "snapshots"],
        &[("MIGRATE_TOKEN", "expired-access-token-4711")],
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("401 Unauthorized"), "{stderr}");
    assert!(
        stderr.contains("hint: the service refused the bearer token (MIGRATE_TOKEN or --token-stdin): it may have expired"),
        "{stderr}"
    );
    assert!(!stderr.contains("expired-access-token-4711") && !stdout.contains("4711"));
    // A wrong password gets no token hint.
    let (code, _, stderr) = sim.run_env(&["lcm", "snapshots"], &[("MIGRATE_PASSWORD", "wrong")]);
    assert_eq!(code, 3);
    assert!(!stderr.contains("bearer"), "{stderr}");
}

#[test]
fn lcm_status_shows_the_job_id_and_what_the_status_means() {
    let sim = Sim::start();
    let started = sim.json(&["lcm", "import", "fail-Snap2"]);
    let job = started["job_id"].as_i64().unwrap();
    assert_eq!(started["snapshot"], "fail-Snap2");
    assert_eq!(started["meaning"], "-1: still running", "{started}");
    let job_text = job.to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        let status = sim.json(&["lcm", "status", "fail-Snap2", &job_text]);
        if status["status"] != -1 || std::time::Instant::now() > deadline {
            break status;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status["job_id"], job, "{status}");
    let code = status["status"].as_i64().unwrap();
    assert!(code > 0, "{status}");
    assert_eq!(
        status["meaning"],
        format!("{code}: failed (any positive status is a failure; lcm details shows why)")
    );
    let (_, table, _) = sim.run(&["-o", "table", "lcm", "status", "fail-Snap2", &job_text]);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("job_id") && l.ends_with(&job_text)),
        "{table}"
    );
    assert!(table.contains("failed (any positive status"), "{table}");
    // The wait's progress says "running" in words, not "-1" (a slow simulator, so there is
    // a poll while it runs).
    let slow = Sim::start_with(SimConfig::default().with_step(Duration::from_millis(300)));
    let (code, _, stderr) = slow.run(&["lcm", "import", "Snap1", "--wait"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("waiting for LCM import job 1 of snapshot Snap1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  running (status -1) after 0s"),
        "{stderr}"
    );
    assert!(!stderr.contains("  -1 "), "{stderr}");
}
