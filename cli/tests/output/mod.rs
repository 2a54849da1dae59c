//! Output against the simulator: `--query` on lists and single objects, `text` for `cut`,
//! `wide`, and the readable cells of tables (times, sizes) beside the raw JSON.

use std::process::Command;

use serde_json::{json, Value};

use crate::common::{binary, Sim};

/// `migrate ARGS | PIPE` in bash (`set -o pipefail`); returns (status, stdout, stderr).
fn piped(sim: &Sim, args: &str, pipe: &str) -> (i32, String, String) {
    let script = format!("set -o pipefail; \"$0\" {args} | {pipe}");
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

fn create(sim: &Sim, name: &str, source: &str) -> String {
    let remote = sim.remote_system();
    let created = sim.json(&[
        "import-session",
        "create",
        "--name",
        name,
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        source,
        "--wait",
    ]);
    created["id"].as_str().unwrap().to_string()
}

/// Creates a session without waiting (one that fails would fail the wait).
fn create_only(sim: &Sim, name: &str, source: &str) {
    let remote = sim.remote_system();
    let (code, _, stderr) = sim.run(&[
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
    // Until it failed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sim.json(&["import-session", "get", &format!("name:{name}")])["state"] != "Failed" {
        assert!(std::time::Instant::now() < deadline, "{name} never failed");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn query_picks_fields_from_a_list_and_from_one_object() {
    let sim = Sim::start();
    create(&sim, "q1", "sv_101");
    create_only(&sim, "fail-q2", "sv_102");
    // A list: the query runs on the JSON array, before formatting.
    let names = sim.json(&[
        "import-session",
        "list",
        "--query",
        "[].name",
        "--order",
        "name",
    ]);
    assert_eq!(names, json!(["fail-q2", "q1"]));
    let failed = sim.json(&[
        "import-session",
        "list",
        "--query",
        "[?state=='Failed'].{name: name, why: error.message_l10n}",
    ]);
    assert_eq!(failed.as_array().map(Vec::len), Some(1), "{failed}");
    assert_eq!(failed[0]["name"], "fail-q2");
    assert!(
        failed[0]["why"]
            .as_str()
            .unwrap()
            .contains("stopped responding"),
        "{failed}"
    );
    // One object.
    let one = sim.json(&[
        "remote-system",
        "get",
        "name:unity-src-01",
        "--query",
        "{name: name, type: type, addresses: iscsi_addresses}",
    ]);
    assert_eq!(
        one,
        json!({"name": "unity-src-01", "type": "Unity", "addresses": ["10.20.30.141"]})
    );
    // A scalar result is printed as it is in text, as JSON with -o json.
    let (code, stdout, stderr) = sim.run(&[
        "-o",
        "text",
        "remote-system",
        "get",
        "name:vnx-src-02",
        "--query",
        "type",
    ]);
    assert_eq!((code, stdout.as_str()), (0, "VNX\n"), "{stderr}");
    let (code, stdout, _) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "list",
        "--query",
        "length(@)",
    ]);
    assert_eq!((code, stdout.trim()), (0, "2"));
    // A query the result cannot answer is a usage error after the request.
    let (code, _, stderr) = sim.run(&["import-session", "list", "--query", "nosuch(@)"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--query \"nosuch(@)\""), "{stderr}");
    // A table of a queried list shows the fields the query made (a JMESPath object has its
    // keys in sorted order).
    let (code, stdout, _) = sim.run(&[
        "-o",
        "table",
        "import-session",
        "list",
        "--order",
        "name",
        "--query",
        "[].{who: name, now: state}",
    ]);
    assert_eq!(code, 0);
    let lines: Vec<Vec<&str>> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        lines,
        [
            vec!["now", "who"],
            vec!["Failed", "fail-q2"],
            vec!["Ready_For_Cutover", "q1"]
        ],
        "{stdout}"
    );
}

#[test]
fn text_output_is_for_cut() {
    let sim = Sim::start();
    let (code, stdout, stderr) = piped(&sim, "-o text remote-system list --order name", "cut -f2");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "unity-src-01\nvnx-src-02\n");
    // No header, one line per item, as many tab-separated cells as columns.
    let (_, stdout, _) = sim.run(&["-o", "text", "remote-system", "list"]);
    for line in stdout.lines() {
        assert_eq!(line.split('\t').count(), 5, "{line:?}");
        assert!(!line.starts_with("id\t"), "{stdout}");
    }
    // --select chooses the columns, in its order.
    let (code, stdout, _) = piped(
        &sim,
        "-o text volume list --select name,size --order name --limit 2",
        "cut -f2",
    );
    assert_eq!(code, 0);
    assert_eq!(stdout, "8589934592\n17179869184\n", "raw bytes in text");
    // One object: field, tab, value.
    let (code, stdout, _) = piped(
        &sim,
        "-o text remote-system get name:unity-src-01",
        "awk -F'\\t' '$1 == \"state\" { print $2 }'",
    );
    assert_eq!((code, stdout.as_str()), (0, "OK\n"));
    // A query's list of scalars is one value per line.
    let (_, stdout, _) = sim.run(&[
        "-o",
        "text",
        "remote-system",
        "list",
        "--order",
        "name",
        "--query",
        "[].[name, type]",
    ]);
    assert_eq!(
        stdout,
        "[\"unity-src-01\",\"Unity\"]\n[\"vnx-src-02\",\"VNX\"]\n"
    );
}

#[test]
fn tables_show_readable_times_sizes_and_fit_the_width() {
    let sim = Sim::start();
    // Sizes: readable in tables, raw bytes in JSON.
    let (code, table, _) = sim.run(&[
        "-o", "table", "volume", "list", "--order", "name", "--limit", "1",
    ]);
    assert_eq!(code, 0);
    assert!(table.contains("8.0 GiB"), "{table}");
    let json = sim.json(&["volume", "list", "--order", "name", "--limit", "1"]);
    assert_eq!(json[0]["size"], 8_589_934_592u64, "{json}");
    // PowerStore's RFC 3339 times, in UTC and in the user's zone.
    let (_, utc, _) = sim.run(&["-o", "table", "--utc", "job", "list"]);
    assert!(utc.contains("2024-03-01T09:33:00Z"), "{utc}");
    let (_, tokyo, _) = sim.run_env(&["-o", "table", "job", "list"], &[("TZ", "Asia/Tokyo")]);
    assert!(tokyo.contains("2024-03-01T18:33:00+09:00"), "{tokyo}");
    // ViPR's epoch milliseconds.
    let group = sim.handle.seed()["vipr"]["volume_groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tasks = sim.json(&[
        "vipr",
        "full-copy",
        "create",
        &group,
        "--name",
        "t1",
        "--wait",
    ]);
    let task = tasks[0]["id"].as_str().unwrap().to_string();
    let started: i64 = tasks[0]["start_time"].as_i64().expect("epoch ms in JSON");
    let (_, table, _) = sim.run(&["-o", "table", "--utc", "vipr", "task", "get", &task]);
    let shown = chrono_like(started);
    assert!(table.contains(&shown), "{shown} in {table}");
    // -o wide adds columns and cuts nothing.
    let (_, wide, _) = sim.run_env(
        &["-o", "wide", "remote-system", "list"],
        &[("COLUMNS", "60")],
    );
    let header = wide.lines().next().unwrap();
    assert!(
        header.contains("version") && header.contains("serial_number"),
        "{header}"
    );
    assert!(!wide.contains('…'), "{wide}");
    // COLUMNS is honoured; a narrow one leaves columns out and says so.
    let (code, narrow, stderr) = sim.run_env(&["-o", "table", "job", "list"], &[("COLUMNS", "40")]);
    assert_eq!(code, 0);
    assert!(narrow.lines().all(|l| l.chars().count() <= 40), "{narrow}");
    let said = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        said.contains("left out to fit 40 columns; -o wide shows every column"),
        "{stderr}"
    );
    assert!(stderr.lines().all(|l| l.chars().count() <= 40), "{stderr}");
    // Absurd widths get the minimum of 40, not one character per line.
    let (_, tiny, _) = sim.run_env(&["-o", "table", "job", "list"], &[("COLUMNS", "3")]);
    assert_eq!(tiny, narrow);
    let value: Value = sim.json(&["job", "list"]);
    assert_eq!(
        value.as_array().map(Vec::len),
        Some(tiny.lines().count() - 1)
    );
}

/// Epoch milliseconds as the table shows them in UTC, to the second.
fn chrono_like(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
