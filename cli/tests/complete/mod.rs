//! Completion: static scripts for six shells (nushell among them), and ids and names from the
//! service through clap's dynamic completion, only when switched on.

use crate::common::{binary, Sim};

/// What `migrate` answers when fish asks it to complete `words` (the last one being typed).
fn complete(sim: &Sim, words: &[&str], from_service: bool) -> Vec<(String, String)> {
    // The environment of the tests' migrate, without the options they add to the words.
    let template = sim.std_migrate();
    let mut cmd = std::process::Command::new(binary());
    for (key, value) in template.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    cmd.env("COMPLETE", "fish");
    if from_service {
        cmd.env("MIGRATE_COMPLETE_FROM_SERVICE", "1");
    }
    let out = cmd.arg("--").arg("migrate").args(words).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let (value, help) = l.split_once('\t').unwrap_or((l, ""));
            (value.to_string(), help.to_string())
        })
        .collect()
}

#[test]
fn scripts_for_six_shells_and_ids_from_the_service_when_asked() {
    let sim = Sim::start();
    for shell in ["bash", "elvish", "fish", "nushell", "powershell", "zsh"] {
        let (code, stdout, stderr) = sim.run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains("import-session"), "{shell}");
    }
    let (_, nu, _) = sim.run(&["completions", "nushell"]);
    assert!(
        nu.contains("export extern \"migrate import-session watch\""),
        "{nu}"
    );

    // Off by default: commands complete, ids do not, and nothing is sent.
    sim.handle.clear_requests();
    let words = complete(&sim, &["import-session", "li"], false);
    assert!(words.iter().any(|(w, _)| w == "list"), "{words:?}");
    let ids = complete(&sim, &["remote-system", "get", ""], false);
    assert!(ids.iter().all(|(w, _)| w.starts_with('-')), "{ids:?}");
    sim.assert_nothing_sent("completion, off by default,");

    // Switched on: names as name:NAME (the id as help) and ids (the name as help).
    let remote = sim.remote_system();
    let ids = complete(&sim, &["remote-system", "get", ""], true);
    assert!(
        ids.contains(&("name:unity-src-01".to_string(), remote.clone())),
        "{ids:?}"
    );
    assert!(
        ids.contains(&(remote.clone(), "unity-src-01".to_string())),
        "{ids:?}"
    );
    let (code, _, stderr) = sim.run(&[
        "import-session",
        "create",
        "--name",
        "done-db",
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        "sv_101",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let typed = complete(&sim, &["import-session", "cutover", "name:do"], true);
    let values: Vec<&str> = typed.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(values, ["name:done-db"], "{typed:?}");
    let groups = complete(&sim, &["volume-group", "get", "name:vg-s"], true);
    assert_eq!(
        groups.first().map(|(w, _)| w.as_str()),
        Some("name:vg-sql"),
        "{groups:?}"
    );
    // A service that cannot be reached gives no candidates and no noise.
    let out = std::process::Command::new(binary())
        .env("COMPLETE", "fish")
        .env("MIGRATE_COMPLETE_FROM_SERVICE", "1")
        .env("MIGRATE_HOST", "http://127.0.0.1:1")
        .env("MIGRATE_USER", "admin")
        .env("MIGRATE_PASSWORD", "x")
        .env("MIGRATE_CONFIG", sim.config.path().join("config.toml"))
        .args(["--", "migrate", "job", "get", ""])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
