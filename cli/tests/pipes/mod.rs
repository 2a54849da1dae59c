//! A closed pipe is a normal end: `migrate ... | head -1` exits 0 without a stack trace, on
//! stdout (completions, a long table) and on stderr (messages, progress), and the work the
//! command was doing is not undone.

use std::process::{Command, Stdio};

use crate::common::{binary, Sim};

/// `bash -c 'set -o pipefail; migrate ARGS | head -1'`: the pipeline's status is migrate's.
fn piped_into_head(sim: &Sim, args: &str) -> (i32, String, String) {
    let script = format!("set -o pipefail; \"$0\" {args} | head -1");
    let template = sim.std_migrate();
    let mut cmd = Command::new("bash");
    for (key, value) in template.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    let out = cmd.args(["-c", &script]).arg(binary()).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `migrate args` with stdout (and, if `close_stderr`, stderr) closed before it writes
/// anything, so every write meets a closed pipe; returns the exit code and stderr.
fn with_closed_output(sim: &Sim, args: &[&str], close_stderr: bool) -> (i32, String) {
    let mut child = sim
        .std_migrate()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    if close_stderr {
        drop(child.stderr.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn completions_and_a_long_table_end_quietly_on_a_closed_pipe() {
    let sim = Sim::start();
    let (code, stdout, stderr) = piped_into_head(&sim, "completions bash");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
    let (code, stderr) = with_closed_output(&sim, &["completions", "bash"], false);
    assert_eq!((code, stderr.as_str()), (0, ""));

    // A long table: the 60 error messages of the simulator's failing LCM import.
    let started = sim.json(&["lcm", "import", "fail-Snap2"]);
    let job = started["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["href"].as_str())
        .find_map(|h| h.rsplit_once("/migration/").map(|(_, job)| job.to_string()))
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sim.json(&["lcm", "status", "fail-Snap2", &job])["status"] == -1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the import never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let table = format!("-o table lcm details fail-Snap2 {job} --all --msgtype error");
    let (code, stdout, stderr) = piped_into_head(&sim, &table);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
    let args: Vec<&str> = table.split(' ').collect();
    let (code, stderr) = with_closed_output(&sim, &args, false);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (code, full, _) = sim.run(&args);
    assert_eq!(code, 0);
    assert!(full.lines().count() > 60, "{full}");
}

#[test]
fn a_closed_stderr_neither_panics_nor_stops_the_work() {
    let sim = Sim::start();
    // An error message to a closed stderr: the exit code still says what happened.
    let (code, _) = with_closed_output(&sim, &["job", "get", ""], true);
    assert_eq!(code, 2);
    // A wait writes progress to stderr and the result to stdout, both closed: the session is
    // still created and waited for, and the command ends quietly.
    let remote = sim.remote_system();
    let create = [
        "import-session",
        "create",
        "--name",
        "piped01",
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        "sv_101",
        "--wait",
    ];
    let (code, _) = with_closed_output(&sim, &create, true);
    assert_eq!(code, 0);
    let session = sim.json(&["import-session", "get", "name:piped01"]);
    assert_eq!(session["state"], "Ready_For_Cutover", "{session}");
}
