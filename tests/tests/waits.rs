//! Waits of the `migrate` binary that end without success, one way each: what they print, that
//! the printed command really resumes them, and that numeric wait options are checked before
//! anything is sent.

mod common;

use std::time::Duration;

use common::{block_on, closed_port, migrate, run, sim, Run, PASSWORD};
use migrate_clients::ext::{powerstore as ps_ext, ConnectOptions};
use migrate_clients::powerstore::operations::{
    ImportSessionCreateParams, ImportSessionCreateResponse,
};
use migrate_clients::powerstore::types::ImportSessionCreate;
use migrate_sim::{Fault, SimHandle};
use serde_json::Value;

const LIMIT: Duration = Duration::from_secs(30);

fn session(sim: &SimHandle, name: &str) -> String {
    let client = ps_ext::connect(
        &sim.base_url(),
        "admin",
        PASSWORD,
        &ConnectOptions::default(),
    )
    .expect("a client");
    let body = ImportSessionCreate {
        name: name.to_owned(),
        remote_system_id: "name:unity-src-01".to_owned(),
        source_resource_id: "sv_101".to_owned(),
        ..Default::default()
    };
    match block_on(client.import_session_create(&body, &ImportSessionCreateParams::default()))
        .expect("created")
        .into_body()
    {
        ImportSessionCreateResponse::Created(c) => c.id.expect("an id"),
        ImportSessionCreateResponse::Accepted(_) => unreachable!("a synchronous create"),
    }
}

fn migrate_json(sim: &SimHandle, args: &[&str]) -> Run {
    let mut cmd = migrate(&sim.base_url());
    cmd.args(["-o", "json", "--poll-interval", "0.02", "--timeout", "2"])
        .args(args);
    let out = run(cmd, LIMIT);
    out.assert_no_panic(&args.join(" "));
    out
}

/// The record of a stopped wait on stdout.
fn record(out: &Run) -> Value {
    let value = out
        .json()
        .unwrap_or_else(|| panic!("no JSON on stdout:\n{}\n{}", out.stdout, out.stderr));
    assert!(value["stopped_waiting_for"].is_string(), "{value}");
    assert_eq!(value["exit_code"], out.code, "{value}");
    let resume = value["resume"].as_str().expect("a resume command");
    assert!(!resume.contains('<'), "no placeholder: {resume}");
    assert!(
        out.stderr.contains(resume),
        "stderr ends with the resume command too: {}",
        out.stderr
    );
    value
}

/// Runs a printed resume command (it starts with `migrate`), with a fast poll.
fn resume(sim: &SimHandle, command: &str) -> Run {
    let words: Vec<&str> = command.split(' ').collect();
    assert_eq!(words[0], "migrate", "{command}");
    let mut cmd = migrate(&sim.base_url());
    cmd.args(["-o", "json", "--poll-interval", "0.02"])
        .args(&words[1..]);
    run(cmd, LIMIT)
}

#[test]
fn a_wait_on_a_final_state_returns_at_once() {
    let sim = sim(Duration::from_millis(20));
    let id = session(&sim, "w-final");
    sim.force_import_session_state(&id, "Import_Completed")
        .unwrap();
    sim.clear_requests();
    let out = migrate_json(
        &sim,
        &["import-session", "wait", &id, "--until", "Cancelled"],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.elapsed < Duration::from_secs(2), "{:?}", out.elapsed);
    assert!(
        out.stderr
            .contains("is Import_Completed, a final state: it will not reach Cancelled"),
        "{}",
        out.stderr
    );
    let polls = sim.request_count("GET", &format!("/api/rest/import_session/{id}"));
    assert_eq!(polls, 1, "one poll, no spinning");
    let value = record(&out);
    assert_eq!(value["outcome"], "failed");
    assert_eq!(value["session_id"], id.as_str());
}

#[test]
fn polls_that_keep_failing_end_the_wait_after_five_with_the_resume_command() {
    let sim = sim(Duration::from_millis(20));
    let id = session(&sim, "w-failing");
    sim.add_fault(
        Fault::status(404)
            .method("GET")
            .path_prefix(&format!("/api/rest/import_session/{id}"))
            .times(1),
    );
    // A 404 is not transient: one poll, and the wait ends.
    let out = migrate_json(&sim, &["import-session", "wait", &id]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("checking progress failed: import_session_instance_query: the service answered 404 Not Found: ["), "{}", out.stderr);
    record(&out);

    // A garbled answer is polled again, up to five in a row.
    sim.add_fault(
        Fault::replace_body("{\"state\":")
            .method("GET")
            .path_prefix(&format!("/api/rest/import_session/{id}")),
    );
    sim.clear_requests();
    let out = migrate_json(&sim, &["import-session", "wait", &id]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("checking progress failed 5 times in a row; the last time: import_session_instance_query: the server answered 200 OK (it carried the request out), but the answer could not be read"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("polling again").count(),
        4,
        "each retried failure is shown: {}",
        out.stderr
    );
    assert_eq!(
        sim.request_count("GET", &format!("/api/rest/import_session/{id}")),
        5
    );
    let value = record(&out);
    assert_eq!(value["outcome"], "error");

    // Once the server is well again, the printed command resumes the wait.
    sim.clear();
    let resumed = resume(&sim, value["resume"].as_str().unwrap());
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(resumed.json().unwrap()["state"], "Ready_For_Cutover");
}

#[test]
fn a_wait_that_times_out_prints_its_last_state_and_resumes() {
    // Nothing moves on its own.
    let sim = sim(Duration::from_secs(3600));
    let id = session(&sim, "w-timeout");
    sim.force_import_session_state(&id, "Copy_In_Progress")
        .unwrap();
    let out = migrate_json(
        &sim,
        &[
            "--wait-timeout",
            "0.3",
            "import-session",
            "wait",
            &id,
            "--until",
            "Import_Completed",
        ],
    );
    assert_eq!(out.code, 5, "{}", out.stderr);
    let value = record(&out);
    assert_eq!(value["outcome"], "timed_out");
    assert!(
        value["last_state"]
            .as_str()
            .is_some_and(|s| s.starts_with("Copy_In_Progress")),
        "{value}"
    );
    assert_eq!(
        value["resume"],
        format!(
            "migrate --host {} import-session wait {id} --until Import_Completed",
            sim.base_url()
        )
    );
    // Table output carries the same record.
    let mut cmd = migrate(&sim.base_url());
    cmd.args([
        "-o",
        "table",
        "--wait-timeout",
        "0.1",
        "--poll-interval",
        "0.02",
    ])
    .args(["import-session", "wait", &id]);
    let table = run(cmd, LIMIT);
    assert_eq!(table.code, 5);
    assert!(
        table.stdout.contains("resume")
            && table.stdout.contains(&format!("import-session wait {id}")),
        "{}",
        table.stdout
    );
}

#[test]
fn ctrl_c_during_an_lcm_import_prints_the_job_to_resume() {
    let sim = sim(Duration::from_millis(200));
    let mut cmd = migrate(&sim.base_url());
    cmd.args(["-o", "json", "--poll-interval", "0.02"]).args([
        "lcm",
        "import",
        "fail-Snap2",
        "--wait",
    ]);
    let child = cmd.spawn().expect("migrate starts");
    std::thread::sleep(Duration::from_millis(400));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let out = child.wait_with_output().expect("migrate ends");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: Duration::ZERO,
    };
    run.assert_no_panic("Ctrl-C");
    assert_eq!(run.code, 130, "{}", run.stderr);
    let value = record(&run);
    assert_eq!(value["outcome"], "interrupted");
    assert_eq!(value["job_id"], 1);
    assert_eq!(value["snapshot"], "fail-Snap2");
    assert_eq!(
        value["resume"],
        format!(
            "migrate --host {} lcm wait fail-Snap2 1 --api-version 11.1.2.3.600",
            sim.base_url()
        )
    );
    // The import went on; the printed command waits for it to its end (it fails, with its
    // messages).
    let resumed = resume(&sim, value["resume"].as_str().unwrap());
    assert_eq!(resumed.code, 4, "{}", resumed.stderr);
    assert!(
        resumed.stderr.contains("63 messages in 2 tasks"),
        "{}",
        resumed.stderr
    );
}

#[test]
fn a_failed_vipr_task_ends_the_wait_with_every_task_in_the_record() {
    let sim = sim(Duration::from_millis(20));
    let seed = sim.seed();
    let group = seed["vipr"]["volume_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "app-mixed")
        .expect("the mixed group");
    let volume = |name: &str| {
        group["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .and_then(|v| v["id"].as_str())
            .unwrap()
            .to_owned()
    };
    let (ok, bad) = (volume("mixed-vol-1"), volume("fail-vol-1"));
    let out = migrate_json(
        &sim,
        &[
            "vipr",
            "full-copy",
            "create",
            group["id"].as_str().unwrap(),
            "--name",
            "w-copy",
            "--partial",
            "--volume",
            &ok,
            "--volume",
            &bad,
            "--wait",
        ],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("(code 12000)"), "{}", out.stderr);
    let value = record(&out);
    let ids = value["task_ids"].as_array().expect("the task URNs");
    assert_eq!(ids.len(), 2, "{value}");
    let tasks = value["last"].as_array().expect("every task as last seen");
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0]["state"], "ready");
    assert_eq!(tasks[1]["state"], "error");
    let resume_cmd = value["resume"].as_str().unwrap();
    for id in ids {
        assert!(resume_cmd.contains(id.as_str().unwrap()), "{resume_cmd}");
    }
}

#[test]
fn a_refused_connection_during_a_wait_is_polled_again_until_the_deadline() {
    let host = format!("http://127.0.0.1:{}", closed_port());
    let mut cmd = migrate(&host);
    cmd.args([
        "-o",
        "json",
        "--poll-interval",
        "0.02",
        "--wait-timeout",
        "1",
    ])
    .args(["job", "wait", "j-1"]);
    let out = run(cmd, LIMIT);
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("polling again: login: cannot connect to"),
        "{}",
        out.stderr
    );
    let value = record(&out);
    assert_eq!(
        value["resume"],
        format!("migrate --host {host} job wait j-1")
    );
    assert!(
        value["message"]
            .as_str()
            .unwrap()
            .contains("the last poll failed: login: cannot connect"),
        "{value}"
    );
}

#[test]
fn numeric_wait_and_timeout_options_are_checked_before_anything_is_sent() {
    let sim = sim(Duration::from_millis(20));
    for (flag, ranges) in [
        ("--poll-interval", "from 0.01 to 3600"),
        ("--wait-timeout", "from 0.01 to 2592000"),
        ("--timeout", "from 0.01 to 3600"),
    ] {
        for bad in ["NaN", "inf", "-inf", "-1", "0", "1e12", "soon", ""] {
            let mut cmd = migrate(&sim.base_url());
            cmd.args([flag, bad, "job", "wait", "j-1"]);
            let out = run(cmd, LIMIT);
            out.assert_no_panic(flag);
            assert_eq!(out.code, 2, "{flag} {bad}: {}", out.stderr);
            assert!(
                out.stderr.contains(&format!("for '{flag} <SECS>'")) && out.stderr.contains(ranges),
                "{flag} {bad}: {}",
                out.stderr
            );
        }
    }
    assert!(
        sim.requests().is_empty(),
        "nothing sent: {:?}",
        sim.requests()
    );
}

#[test]
fn error_bodies_show_at_v_and_the_cause_chain_at_vv() {
    let sim = sim(Duration::from_millis(20));
    let body = r#"{"messages":[{"code":"0xE0A0800100AA","severity":"Error","message_l10n":"Busy."}],"trace":"t-123"}"#;
    for verbose in [None, Some("-v"), Some("-vv")] {
        sim.add_fault(
            Fault::respond(422, &[("content-type", "application/json")], body)
                .method("POST")
                .times(1),
        );
        let mut cmd = migrate(&sim.base_url());
        cmd.args(verbose).args([
            "import-session",
            "create",
            "--name",
            "w-verbose",
            "--remote-system-id",
            "name:unity-src-01",
            "--source-resource-id",
            "sv_101",
        ]);
        let out = run(cmd, LIMIT);
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert!(
            out.stderr.contains("import_session_create: the service answered 422 Unprocessable Entity: [0xE0A0800100AA] Error: Busy."),
            "{}",
            out.stderr
        );
        assert_eq!(
            out.stderr.contains("t-123"),
            verbose.is_some(),
            "raw body only with -v: {}",
            out.stderr
        );
        assert!(!out.stderr.contains(PASSWORD));
    }
    let host = format!("http://127.0.0.1:{}", closed_port());
    let mut cmd = migrate(&host);
    cmd.args(["-vv", "--timeout", "0.5", "remote-system", "list"]);
    let out = run(cmd, LIMIT);
    assert_eq!(out.code, 6);
    assert!(
        out.stderr.contains("cause 1: error sending request")
            && out.stderr.contains("Connection refused"),
        "{}",
        out.stderr
    );
}
