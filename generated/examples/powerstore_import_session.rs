//! Imports a volume into PowerStore: creates an import session, waits until the copy is
//! ready for cutover, cuts over and waits until the import is complete.
//!
//! Against the simulator (`cargo run -p migrate-sim -- --port 8080`):
//!
//! ```sh
//! cargo run -p migrate-clients --example powerstore_import_session -- http://127.0.0.1:8080
//! ```
//!
//! The simulator seeds the source system `unity-src-01` with the volume `sv_101`; against an
//! array, name your own remote system and source volume.

use migrate_clients::ext::powerstore::connect;
use migrate_clients::ext::ConnectOptions;
use migrate_clients::powerstore::operations::{
    ImportSessionCreateParams, ImportSessionCreateResponse, ImportSessionCutoverParams,
    ImportSessionInstanceQueryParams,
};
use migrate_clients::powerstore::types::{ImportSessionCreate, ImportSessionInstance};
use migrate_runtime::wait::{Progress, WaitOptions};
use migrate_runtime::waiter::Finished;

/// Runs the whole import against `url` and returns the completed session.
pub async fn run(
    url: &str,
    user: &str,
    password: &str,
    session_name: &str,
    wait: WaitOptions,
) -> Result<ImportSessionInstance, Box<dyn std::error::Error>> {
    let client = connect(url, user, password, &ConnectOptions::default())?;
    let body = ImportSessionCreate {
        name: session_name.to_owned(),
        remote_system_id: "name:unity-src-01".to_owned(),
        source_resource_id: "sv_101".to_owned(),
        ..ImportSessionCreate::default()
    };
    let created = client
        .import_session_create(&body, &ImportSessionCreateParams::default())
        .await?
        .into_body();
    let id = match created {
        ImportSessionCreateResponse::Created(created) => created.id.ok_or("no session id")?,
        ImportSessionCreateResponse::Accepted(job) => {
            return Err(format!("asked for a synchronous create, got job {:?}", job.id).into())
        }
    };
    println!("created import session {id}");

    // The waits the overlay declares (`x-migrate-waiter`): ready for cutover, then completed.
    let report = |p: &Progress| println!("  {} ({:?}%)", p.state, p.percent);
    let params = ImportSessionInstanceQueryParams::default();
    let ready = client
        .wait_until_import_session_ready(&id, &params, Some(wait), report)
        .await?;
    if let Finished::Failed(failure) = ready {
        return Err(format!("import session {id} ended {}", failure.state).into());
    }
    client
        .import_session_cutover(&id, &ImportSessionCutoverParams::default())
        .await?;
    println!("cutover started");
    match client
        .wait_until_import_session_completed(&id, &params, Some(wait), report)
        .await?
    {
        Finished::Done(done) => {
            println!("import session {id} is {:?}", done.state);
            Ok(done)
        }
        Finished::Failed(failure) => {
            Err(format!("import session {id} ended {}", failure.state).into())
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    run(
        &url,
        "admin",
        "Password123!",
        "example-db01",
        WaitOptions::default(),
    )
    .await?;
    Ok(())
}
