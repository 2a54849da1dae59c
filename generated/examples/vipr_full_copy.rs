//! Starts a full copy of a ViPR volume group and waits for every task it started (a partial
//! copy starts one per array replication group).
//!
//! Against the simulator (`cargo run -p migrate-sim -- --port 8080`), with a volume group id
//! from its seed (`curl -s http://127.0.0.1:8080/_sim/seed`):
//!
//! ```sh
//! cargo run -p migrate-clients --example vipr_full_copy -- http://127.0.0.1:8080 urn:storageos:VolumeGroup:...
//! ```

use migrate_clients::ext::vipr::{connect, wait_for_tasks, TaskOutcome, TaskResult};
use migrate_clients::ext::ConnectOptions;
use migrate_clients::vipr::types::VolumeGroupFullCopyCreate;
use migrate_runtime::wait::WaitOptions;

/// Copies the volume group `group` on `url` as `copy_name` and waits for its tasks.
pub async fn run(
    url: &str,
    user: &str,
    password: &str,
    group: &str,
    copy_name: &str,
    wait: WaitOptions,
) -> Result<Vec<TaskResult>, Box<dyn std::error::Error>> {
    let client = connect(url, user, password, &ConnectOptions::default())?;
    let body = VolumeGroupFullCopyCreate {
        name: copy_name.to_owned(),
        count: Some(1),
        ..VolumeGroupFullCopyCreate::default()
    };
    let tasks = client
        .create_volume_group_full_copy(&group.to_owned(), &body)
        .await?
        .into_body();
    let ids: Vec<String> = tasks
        .task
        .unwrap_or_default()
        .into_iter()
        .filter_map(|task| task.id)
        .collect();
    println!("started {} task(s)", ids.len());
    let results = wait_for_tasks(&client, &ids, wait, |p| {
        println!("  {} {}", p.state, p.detail.as_deref().unwrap_or(""))
    })
    .await?;
    for result in &results {
        match &result.outcome {
            TaskOutcome::Ready => println!("{} ready", result.id),
            other => println!("{} stopped: {other:?}", result.id),
        }
    }
    Ok(results)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let group = args
        .next()
        .ok_or("give the volume group's URN as the second argument")?;
    run(
        &url,
        "admin",
        "Password123!",
        &group,
        "example-copy",
        WaitOptions::default(),
    )
    .await?;
    Ok(())
}
