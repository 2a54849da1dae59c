//! The programs in `examples/` run against a simulator of their own (a 20 ms step, so a whole
//! import takes well under a second), and what they did is checked on the simulator's side.

#[allow(dead_code)]
#[path = "../../../generated/examples/lcm_import.rs"]
mod lcm_import;
#[allow(dead_code)]
#[path = "../../../generated/examples/powerstore_import_session.rs"]
mod powerstore_import_session;
#[allow(dead_code)]
#[path = "../../../generated/examples/vipr_full_copy.rs"]
mod vipr_full_copy;

use migrate_clients::ext::lcm::ImportError;
use migrate_clients::ext::vipr::TaskOutcome;
use migrate_clients::powerstore::types::ImportSessionStateEnum;

use migrate_tests::{fast, sim, PASSWORD, USER};

#[tokio::test]
async fn powerstore_example_imports_a_volume_to_completion() {
    let sim = sim().await;
    let done = powerstore_import_session::run(&sim.base_url(), USER, PASSWORD, "ex-db01", fast())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.state, Some(ImportSessionStateEnum::ImportCompleted));
    assert_eq!(done.name.as_deref(), Some("ex-db01"));
    assert_eq!(
        sim.request_count("POST", "/api/rest/import_session"),
        2,
        "create and cutover"
    );
    let cutover = format!(
        "/api/rest/import_session/{}/cutover",
        done.id.expect("an id")
    );
    assert_eq!(sim.request_count("POST", &cutover), 1);
}

#[tokio::test]
async fn lcm_example_imports_and_reports_every_message_of_a_failed_import() {
    let sim = sim().await;
    let client = lcm_import::client(&sim.base_url(), &format!("exampleDomain.{USER}"), PASSWORD)
        .expect("a valid URL");
    let done = lcm_import::run(&client, "Snap1", fast())
        .await
        .expect("Snap1 imports");
    assert_eq!(done.status, Some(0));
    match lcm_import::run(&client, "fail-Snap2", fast()).await {
        Err(ImportError::Failed(failure)) => assert_eq!(failure.message_count(), 63),
        other => panic!("expected a failed import, got {other:?}"),
    }
}

#[tokio::test]
async fn vipr_example_copies_a_volume_group_and_waits_for_its_tasks() {
    let sim = sim().await;
    let seed = sim.seed();
    let group = seed["vipr"]["volume_groups"]
        .as_array()
        .expect("seeded groups")
        .iter()
        .find(|g| g["name"] == "app1")
        .and_then(|g| g["id"].as_str())
        .expect("the app1 group")
        .to_owned();
    let results = vipr_full_copy::run(&sim.base_url(), USER, PASSWORD, &group, "ex-copy", fast())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!results.is_empty());
    assert!(
        results.iter().all(|r| r.outcome == TaskOutcome::Ready),
        "{results:?}"
    );
    let path = format!("/volume-groups/block/{group}/protection/full-copies");
    assert_eq!(sim.request_count("POST", &path), 1);
}
