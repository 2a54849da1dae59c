//! Lists against the simulator: the line that says there is more (and its absence), how
//! `--limit`, `--all` and `--page-size` combine, `name:` lookups of every kind, `job list` with
//! its filters, and the `config` commands.

use std::time::Duration;

use migrate_sim::SimConfig;

use crate::common::Sim;

const HISTORY: usize = 2261;

fn many() -> Sim {
    Sim::start_with(
        SimConfig::default()
            .with_step(Duration::from_millis(20))
            .with_import_sessions(HISTORY),
    )
}

fn count(stdout: &str) -> usize {
    let value: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    value.as_array().map_or(0, Vec::len)
}

#[test]
fn lists_say_when_there_is_more() {
    let sim = many();
    let (code, stdout, stderr) = sim.run(&["-o", "json", "import-session", "list"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&stdout), 100);
    assert_eq!(
        stderr.trim(),
        "showing 100 of 2,261 import sessions; --all for every one, --limit N for more"
    );
    let (_, stdout, stderr) = sim.run(&["-o", "json", "import-session", "list", "--limit", "5"]);
    assert_eq!(count(&stdout), 5);
    assert!(stderr.contains("showing 5 of 2,261"), "{stderr}");
    // --all: every one, nothing to say.
    let (_, stdout, stderr) = sim.run(&["-o", "json", "import-session", "list", "--all"]);
    assert_eq!(count(&stdout), HISTORY);
    assert!(stderr.is_empty(), "{stderr}");
    // --all --limit N: at most N; more than there are is all of them.
    let (_, stdout, stderr) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "list",
        "--all",
        "--limit",
        "5000",
    ]);
    assert_eq!(count(&stdout), HISTORY);
    assert!(stderr.is_empty(), "{stderr}");
    sim.handle.clear_requests();
    let (_, stdout, stderr) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "list",
        "--all",
        "--limit",
        "2100",
        "--page-size",
        "500",
    ]);
    assert_eq!(count(&stdout), 2100);
    assert!(stderr.contains("showing 2,100 of 2,261"), "{stderr}");
    // Five pages of 500 through the generated stream, then one item to count them all.
    let pages: Vec<String> = sim
        .handle
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/rest/import_session")
        .map(|r| r.query.unwrap_or_default())
        .collect();
    assert_eq!(pages.len(), 6, "{pages:#?}");
    assert!(
        pages[..5].iter().all(|q| q.contains("limit=500")),
        "{pages:#?}"
    );
    assert!(pages[4].contains("offset=2000"), "{pages:#?}");
    assert!(pages[5].contains("limit=1"), "{pages:#?}");
    // A filter that matches all on one page: no line.
    let (_, stdout, stderr) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "list",
        "--filter",
        "name=ilike.hist-0000*",
    ]);
    assert_eq!(count(&stdout), 9);
    assert!(stderr.is_empty(), "{stderr}");
    // Nothing matches: a table says so on stderr, JSON is an empty list.
    let (_, stdout, stderr) = sim.run(&[
        "-o",
        "table",
        "import-session",
        "list",
        "--filter",
        "name=eq.none",
    ]);
    assert_eq!((stdout.as_str(), stderr.trim()), ("", "no import sessions"));
    let (_, stdout, _) = sim.run(&[
        "-o",
        "json",
        "import-session",
        "list",
        "--filter",
        "name=eq.none",
    ]);
    assert_eq!(stdout.trim(), "[]");
}

#[test]
fn a_list_shown_whole_says_nothing_more() {
    let sim = Sim::start();
    for args in [
        vec!["remote-system", "list"],
        vec!["volume", "list"],
        vec!["volume-group", "list"],
        vec!["job", "list"],
        vec!["import-session", "list"],
    ] {
        let (code, _, stderr) = sim.run(&[&["-o", "json"], &args[..]].concat());
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
    // Cut at --limit: one page of 2 out of the seeded volumes.
    let (_, _, stderr) = sim.run(&["-o", "json", "volume", "list", "--limit", "2"]);
    assert!(stderr.contains("showing 2 of 10 volumes"), "{stderr}");
}

#[test]
fn name_lookups_work_wherever_an_id_is_taken() {
    let sim = Sim::start();
    let seed = sim.handle.seed();
    let remote = sim.json(&["remote-system", "get", "name:unity-src-01"]);
    assert_eq!(remote["id"], seed["powerstore"]["remote_systems"][0]["id"]);
    let volume = sim.json(&["volume", "get", "name:app-data-01"]);
    assert_eq!(volume["id"], seed["powerstore"]["volume_ids"][0]);
    let group = sim.json(&["volume-group", "get", "name:vg-oracle"]);
    assert_eq!(group["id"], seed["powerstore"]["volume_group_ids"][0]);
    // Names ignore case on the server; the exact one is taken.
    let upper = sim.json(&["volume-group", "get", "name:VG-SQL"]);
    assert_eq!(upper["name"], "vg-sql");
    // A name that does not exist is the service's answer (exit 3), said in words.
    for (kind, args) in [
        ("remote system", ["remote-system", "get", "name:nope"]),
        ("volume", ["volume", "get", "name:nope"]),
        ("volume group", ["volume-group", "get", "name:nope"]),
        ("import session", ["import-session", "get", "name:nope"]),
    ] {
        let (code, _, stderr) = sim.run(&args);
        assert_eq!(code, 3, "{stderr}");
        assert!(
            stderr.contains(&format!("no {kind} is named \"nope\"")),
            "{stderr}"
        );
    }
    // In a create body, names go to the array, which resolves them.
    let created = sim.json(&[
        "import-session",
        "create",
        "--name",
        "vg01",
        "--remote-system-id",
        "name:unity-src-01",
        "--source-resource-id",
        "sv_101",
        "--volume-group-id",
        "name:vg-oracle",
    ]);
    let session = sim.json(&["import-session", "get", created["id"].as_str().unwrap()]);
    assert_eq!(session["volume_group_id"], group["id"], "{session}");
    // A dry run keeps name: in the path, as given.
    let (code, stdout, _) = sim.run(&["--dry-run", "volume", "get", "name:app-data-01"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("/api/rest/volume/name:app-data-01?"),
        "{stdout}"
    );
}

#[test]
fn job_list_filters_by_phase_resource_and_type() {
    let sim = Sim::start();
    let remote = sim.remote_system();
    let created = sim.json(&[
        "import-session",
        "create",
        "--name",
        "jobs01",
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        "sv_101",
        "--wait",
    ]);
    let id = created["id"].as_str().unwrap().to_string();
    let started = sim.json(&["import-session", "cutover", &id, "--async"]);
    let job = started["job_id"].as_str().unwrap().to_string();
    sim.json(&["job", "wait", &job]);

    // The three seeded jobs and the cutover, newest first.
    let all = sim.json(&["job", "list"]);
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|j| j["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 4, "{all}");
    assert_eq!(ids[0], job, "newest first: {all}");
    let mine = sim.json(&["job", "list", "--resource-type", "import_session"]);
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(mine[0]["resource_action"], "cutover");
    let by_resource = sim.json(&["job", "list", "--resource-id", &id]);
    assert_eq!(by_resource[0]["id"], job.as_str(), "{by_resource}");
    let failed = sim.json(&["job", "list", "--phase", "Failed"]);
    assert_eq!(failed.as_array().map(Vec::len), Some(1), "{failed}");
    assert_eq!(failed[0]["resource_name"], "old-scratch");
    let done = sim.json(&["job", "list", "--phase", "Completed", "--phase", "Failed"]);
    assert_eq!(done.as_array().map(Vec::len), Some(4), "{done}");
    let (code, stdout, _) = sim.run(&[
        "--dry-run",
        "job",
        "list",
        "--phase",
        "Completed",
        "--phase",
        "Failed",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("phase=in.(Completed,Failed)"), "{stdout}");
    assert!(stdout.contains("order=start_time.desc"), "{stdout}");
    let got = sim.json(&["job", "get", &job]);
    assert_eq!(got["phase"], "Completed");
}

#[test]
fn config_list_get_set_unset() {
    let sim = Sim::start();
    let (code, stdout, stderr) = sim.run(&["-o", "json", "config", "list"]);
    assert_eq!((code, stdout.trim()), (0, "[]"), "{stderr}");
    assert!(stderr.contains("no settings"), "{stderr}");
    for (key, value) in [("user", "ops"), ("lcm_host", "https://tenant.example.com")] {
        let (code, _, stderr) = sim.run(&["config", "set", key, value]);
        assert_eq!(code, 0, "{stderr}");
    }
    let (code, _, stderr) = sim.run(&["--profile", "lab", "config", "set", "output", "wide"]);
    assert_eq!(code, 0, "{stderr}");
    let listed = sim.json(&["config", "list"]);
    let rows: Vec<(String, String, bool)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["profile"].as_str().unwrap().to_string(),
                e["key"].as_str().unwrap().to_string(),
                e["selected"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("default".to_string(), "lcm_host".to_string(), true),
            ("default".to_string(), "user".to_string(), true),
            ("lab".to_string(), "output".to_string(), false),
        ]
        .iter()
        .map(|(p, k, s)| (p.clone(), k.clone(), *s))
        .collect::<Vec<_>>()
    );
    // get prints the bare value in text; an unset key is exit 2.
    let (code, stdout, _) = sim.run(&["-o", "text", "config", "get", "user"]);
    assert_eq!((code, stdout.as_str()), (0, "ops\n"));
    let (code, stdout, _) = sim.run(&["-o", "json", "config", "get", "lcm_host"]);
    assert_eq!((code, stdout.trim()), (0, "\"https://tenant.example.com\""));
    let (code, _, stderr) = sim.run(&["config", "get", "vipr_host"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("vipr_host is not set in profile default"),
        "{stderr}"
    );
    // unset: a dry run changes nothing; then it is gone; a second time says so.
    let (code, stdout, _) = sim.run(&["--dry-run", "config", "unset", "user"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("would unset user in profile default"),
        "{stdout}"
    );
    let (code, _, _) = sim.run(&["config", "get", "user"]);
    assert_eq!(code, 0, "the dry run left it");
    let (code, _, stderr) = sim.run(&["config", "unset", "user"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("unset user in profile default"), "{stderr}");
    let (code, _, _) = sim.run(&["config", "get", "user"]);
    assert_eq!(code, 2);
    let (code, _, stderr) = sim.run(&["config", "unset", "user"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("user was not set"), "{stderr}");
    // The profile's output format is used.
    let (code, stdout, _) = sim.run(&["--profile", "lab", "remote-system", "list"]);
    assert_eq!(code, 0);
    assert!(
        stdout
            .lines()
            .next()
            .unwrap_or_default()
            .contains("serial_number"),
        "{stdout}"
    );
    let file = std::fs::read_to_string(sim.config.path().join("config.toml")).unwrap();
    assert!(!file.contains("user"), "{file}");
}
