//! Imports an Oracle EPM LCM application snapshot and waits for the job; when the import
//! fails, prints every error message of every task (all pages of them).
//!
//! Against the simulator (`cargo run -p migrate-sim -- --port 8080`):
//!
//! ```sh
//! cargo run -p migrate-clients --example lcm_import -- http://127.0.0.1:8080 Snap1
//! ```
//!
//! The simulator's snapshots whose names start with `fail` fail their import, so
//! `fail-Snap2` shows the error report.

use migrate_clients::ext::lcm::{connect, import_snapshot_and_wait, Credentials, ImportError};
use migrate_clients::ext::ConnectOptions;
use migrate_clients::lcm::types::{ImportQuery, ImportQueryType, MigrationJobResponse};
use migrate_clients::lcm::Client;
use migrate_runtime::wait::WaitOptions;
use migrate_runtime::Error;
use std::convert::Infallible;

/// The LCM REST API version the simulator serves (and classic EPM tenants).
const API_VERSION: &str = "11.1.2.3.600";

/// A client for the LCM service at `url`, with HTTP Basic credentials.
pub fn client(url: &str, user: &str, password: &str) -> Result<Client, Error<Infallible>> {
    let credentials = Credentials::Basic {
        user: user.to_owned(),
        password: password.into(),
    };
    connect(url, credentials, &ConnectOptions::default())
}

/// Imports `snapshot` (already uploaded) and waits for the job to end.
pub async fn run(
    client: &Client,
    snapshot: &str,
    wait: WaitOptions,
) -> Result<MigrationJobResponse, ImportError> {
    let query = ImportQuery {
        r#type: ImportQueryType::Import,
        import_users: Some(false),
        user_password: None,
        reset_password: None,
    };
    import_snapshot_and_wait(client, API_VERSION, snapshot, &query, wait, |p| {
        println!("  status {}", p.state)
    })
    .await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let snapshot = args.next().unwrap_or_else(|| "Snap1".into());
    // Classic tenants take `identitydomain.user`; the simulator's domain is `exampleDomain`.
    let client = client(&url, "exampleDomain.admin", "Password123!")?;
    match run(&client, &snapshot, WaitOptions::default()).await {
        Ok(done) => println!("{snapshot} imported (status {:?})", done.status),
        Err(ImportError::Failed(failure)) => {
            println!("{snapshot} failed: {} messages", failure.message_count());
            for task in &failure.tasks {
                for message in &task.messages {
                    println!(
                        "  {:?}: {}",
                        task.name,
                        message.msg_text.as_deref().unwrap_or("")
                    );
                }
            }
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
