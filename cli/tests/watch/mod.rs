//! The view of many import sessions in its plain-line mode (stderr not a terminal): one line
//! per change, each naming its session; the end when all are settled, exit 4 when one failed;
//! `apply --wait` in the same view; a wait cut short prints the command that resumes it.

use std::collections::HashMap;
use std::time::Duration;

use migrate_sim::SimConfig;

use crate::common::Sim;

/// A simulator slow enough that polls see each state (a step of 100 ms).
fn slow() -> Sim {
    Sim::start_with(SimConfig::default().with_step(Duration::from_millis(100)))
}

fn create(sim: &Sim, name: &str, source: &str) {
    let remote = sim.remote_system();
    let (code, _, stderr) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "create",
        "--name",
        name,
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        source,
    ]);
    assert_eq!(code, 0, "{stderr}");
}

/// The lines of a watch's stderr between its first line and its summary, as (session, text).
fn changes<'a>(stderr: &'a str, names: &[&str]) -> Vec<(&'a str, &'a str)> {
    let mut lines = stderr.lines();
    let first = lines.next().unwrap_or_default();
    assert!(first.starts_with("watching "), "{stderr}");
    lines
        .take_while(|l| !l.contains(" import sessions settled: "))
        .map(|line| {
            let (name, text) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("a line without a session: {line:?}\n{stderr}"));
            assert!(names.contains(&name), "{name:?} is not watched: {stderr}");
            (name, text)
        })
        .collect()
}

#[test]
fn the_plain_view_names_the_session_on_every_line_and_fails_when_one_failed() {
    let sim = slow();
    let names = ["w-a", "w-b", "w-c", "fail-w-d"];
    for (name, source) in names.iter().zip(["sv_101", "sv_102", "sv_103", "res_cg_7"]) {
        create(&sim, name, source);
    }
    let (code, stdout, stderr) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "watch",
        "--filter",
        "name=ilike.*w-*",
    ]);
    assert_eq!(code, 4, "one session failed: {stderr}");
    assert!(
        stderr.starts_with("watching 4 import sessions\n"),
        "{stderr}"
    );
    let seen = changes(&stderr, &names);
    // Every session is seen, and each line is a change for its session.
    let mut last: HashMap<&str, &str> = HashMap::new();
    for (name, text) in &seen {
        let state = text.split(' ').take(2).collect::<Vec<_>>().join(" ");
        if let Some(before) = last.insert(name, text) {
            let before_state = before.split(' ').take(2).collect::<Vec<_>>().join(" ");
            assert_ne!(before_state, state, "{name}: the same line twice\n{stderr}");
        }
    }
    assert_eq!(last.len(), 4, "{stderr}");
    assert!(last["fail-w-d"].starts_with("Failed"), "{stderr}");
    for name in ["w-a", "w-b", "w-c"] {
        assert!(
            last[name].starts_with("Ready_For_Cutover"),
            "{name}: {stderr}"
        );
    }
    assert!(
        seen.iter()
            .any(|(_, t)| t.starts_with("Copy_In_Progress") && t.contains("MiB/s")),
        "the rate shows while copying: {stderr}"
    );
    assert!(
        stderr.contains("4 of 4 import sessions settled: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 4 import sessions failed:\n  fail-w-d: Failed: Copy of source resource res_cg_7 failed"),
        "{stderr}"
    );
    // stdout: every session as it ended.
    let sessions: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let states: Vec<&str> = sessions
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.len(), 4, "{stdout}");
    assert_eq!(states.iter().filter(|s| **s == "Failed").count(), 1);

    // The same sessions again: all settled at once, one line each.
    let (code, _, stderr) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "watch",
        "--filter",
        "name=ilike.w-*",
    ]);
    assert_eq!(code, 0, "none of these failed: {stderr}");
    assert_eq!(changes(&stderr, &names).len(), 3, "{stderr}");
}

#[test]
fn apply_wait_watches_the_plan_in_the_same_view() {
    let sim = slow();
    let remote = sim.remote_system();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        format!(
            "- {{name: p-a, remote_system_id: {remote}, source_resource_id: sv_101}}\n\
             - {{name: p-b, remote_system_id: {remote}, source_resource_id: sv_102}}\n\
             - {{name: fail-p-c, remote_system_id: {remote}, source_resource_id: sv_103}}\n"
        ),
    )
    .unwrap();
    let plan = plan.to_str().unwrap();
    let (code, stdout, stderr) =
        sim.run(&["-o", "json", "import-session", "apply", plan, "--wait"]);
    assert_eq!(code, 4, "{stderr}");
    let names = ["p-a", "p-b", "fail-p-c"];
    let changes = changes(&stderr, &names);
    assert!(changes.len() >= 6, "{stderr}");
    let results: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let states: Vec<(&str, &str, &str)> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["result"].as_str().unwrap(),
                r["state"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("p-a", "created", "Ready_For_Cutover"),
            ("p-b", "created", "Ready_For_Cutover"),
            ("fail-p-c", "created", "Failed")
        ]
    );
    assert!(stderr.contains("1 of 3 plan entries failed"), "{stderr}");
    // A rerun creates nothing and watches the same sessions, now settled.
    let (code, stdout, stderr) =
        sim.run(&["-o", "json", "import-session", "apply", plan, "--wait"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stdout.matches("\"exists\"").count() == 3, "{stdout}");
}

#[test]
fn a_watch_cut_short_prints_how_to_resume_it() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    // A session scheduled far ahead never settles.
    let (code, _, stderr) = sim.run(&[
        "import-session",
        "create",
        "--name",
        "later-w",
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        "sv_101",
        "--scheduled-timestamp",
        "2099-01-01T00:00:00Z",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = sim.run(&[
        "-o",
        "json",
        "--wait-timeout",
        "0.3",
        "import-session",
        "watch",
        "--filter",
        "name=eq.later-w",
    ]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("later-w: Scheduled"), "{stderr}");
    let record: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let resume = format!(
        "migrate --host {} import-session watch --filter name=eq.later-w",
        sim.handle.base_url()
    );
    assert_eq!(record["resume"], resume, "{record}");
    assert_eq!(record["filter"], serde_json::json!(["name=eq.later-w"]));
    assert!(stderr.trim_end().ends_with(&resume), "{stderr}");
    // Ctrl-C stops watching (not the sessions) and says how to resume.
    let child = sim
        .std_migrate()
        .args(["import-session", "watch", "--filter", "name=eq.later-w"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted (Ctrl-C); the work goes on"),
        "{stderr}"
    );
    assert!(stderr.trim_end().ends_with(&resume), "{stderr}");
    // Nothing matches: nothing to watch.
    let (code, stdout, stderr) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "watch",
        "--filter",
        "name=eq.none",
    ]);
    assert_eq!((code, stdout.trim()), (0, "[]"), "{stderr}");
}
