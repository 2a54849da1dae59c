//! Creates an import session on a PowerStore (or the simulator) and reads it back, using
//! migrate-clients with only its `powerstore` feature.
//!
//! `MIGRATE_PASSWORD=... migrate-consumer URL USER NAME` prints `created <id>` and
//! `state <state>` (the password comes from the environment, never the command line).

use migrate_clients::ext::powerstore::{connect, find_import_session_by_name};
use migrate_clients::ext::ConnectOptions;
use migrate_clients::powerstore::operations::{
    ImportSessionCreateParams, ImportSessionCreateResponse,
};
use migrate_clients::powerstore::types::ImportSessionCreate;
use std::process::ExitCode;

async fn run(url: &str, user: &str, password: &str, name: &str) -> Result<(), String> {
    let client = connect(url, user, password, &ConnectOptions::default()).map_err(|e| e.to_string())?;
    let body = ImportSessionCreate {
        name: name.to_owned(),
        remote_system_id: "name:unity-src-01".to_owned(),
        source_resource_id: "sv_102".to_owned(),
        ..ImportSessionCreate::default()
    };
    let answer = client
        .import_session_create(&body, &ImportSessionCreateParams::default())
        .await
        .map_err(|e| e.to_string())?;
    match answer.into_body() {
        ImportSessionCreateResponse::Created(created) => {
            println!("created {}", created.id.unwrap_or_default())
        }
        ImportSessionCreateResponse::Accepted(job) => {
            return Err(format!("expected 201, got job {:?}", job.id))
        }
    }
    let session = find_import_session_by_name(&client, name)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no session named {name} after creating it"))?;
    let state = session.state.map(|s| s.to_string()).unwrap_or_default();
    println!("state {state}");
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, user, name] = args.as_slice() else {
        eprintln!("usage: MIGRATE_PASSWORD=... migrate-consumer URL USER NAME");
        return ExitCode::from(2);
    };
    let Ok(password) = std::env::var("MIGRATE_PASSWORD") else {
        eprintln!("error: set MIGRATE_PASSWORD");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(url, user, &password, name)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
