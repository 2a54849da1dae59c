//! `tests/consumer/`, a crate outside the workspace that depends on `migrate-clients` by path
//! with only the `powerstore` feature, builds and creates an import session on the simulator.

use migrate_clients::powerstore::types::ImportSessionStateEnum;
use migrate_runtime::StringEnum;
use migrate_sim::SimConfig;
use migrate_tests::{nested_cargo, root};

#[tokio::test]
async fn a_crate_outside_the_workspace_creates_an_import_session_with_only_powerstore() {
    let consumer = root().join("tests/consumer");
    // The workspace's versions, so that the consumer's dependency builds are shared.
    std::fs::copy(root().join("Cargo.lock"), consumer.join("Cargo.lock")).expect("copy the lock");
    let build = tokio::task::spawn_blocking(move || {
        nested_cargo()
            .args(["build", "--manifest-path"])
            .arg(consumer.join("Cargo.toml"))
            .output()
            .expect("cargo runs")
    })
    .await
    .expect("cargo ran");
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    // Only the PowerStore module was generated and compiled.
    assert!(!stderr.contains("Compiling migrate-sim"), "{stderr}");

    let sim = migrate_sim::start(
        "127.0.0.1:0".parse().expect("address"),
        SimConfig::default(),
    )
    .await
    .expect("the simulator starts");
    let binary = migrate_tests::nested_target().join("debug/migrate-consumer");
    let url = sim.base_url();
    // Off the async runtime's thread: the simulator serves on it meanwhile.
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new(&binary)
            .args([&url, "admin", "consumer-db01"])
            .env("MIGRATE_PASSWORD", "Password123!")
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", binary.display()))
    })
    .await
    .expect("the consumer ran");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("created "))
        .unwrap_or_else(|| panic!("no id in {stdout:?}"));
    assert!(!id.is_empty());
    let state = stdout
        .lines()
        .find_map(|l| l.strip_prefix("state "))
        .unwrap_or_else(|| panic!("no state in {stdout:?}"));
    assert!(
        ImportSessionStateEnum::from_wire(state.to_owned()).is_known(),
        "{state}"
    );
    // The simulator saw exactly one create, for the seeded source volume.
    let creates: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/api/rest/import_session")
        .collect();
    assert_eq!(creates.len(), 1, "{creates:?}");
}
