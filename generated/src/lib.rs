//! Typed async clients for the storage-migration APIs this project ships
//! specs for. The modules are generated from `specs/` by `build.rs` on every
//! build where a spec changed; do not edit them, edit the spec.
//!
//! - [`powerstore`]: Dell PowerStore import sessions, jobs and the resources a
//!   migration needs (`specs/dellemc.swagger.json` + `specs/powerstore.overlay.yaml`).
//! - [`lcm`]: Oracle EPM Lifecycle Management snapshot imports (`specs/lcm.yaml`).
//! - [`vipr`]: EMC ViPR volume-group full copies and tasks (`specs/vipr.yaml`).
//!
//! Each module has a `Client` (built from a `migrate_runtime::Transport`), a
//! `types` module with the spec's schemas and, where needed, an `operations`
//! module with per-operation inputs and response enums.
//!
//! ```no_run
//! use migrate_clients::powerstore::{operations::ImportSessionCreateResponse, types};
//! use migrate_clients::ext::{self, ConnectOptions};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ext::powerstore::connect("https://array.example", "admin", "secret", &ConnectOptions::default())?;
//! let body = types::ImportSessionCreate {
//!     name: "imp-db01".into(),
//!     remote_system_id: "name:my_remote".into(),
//!     source_resource_id: "vol-src-17".into(),
//!     ..Default::default()
//! };
//! match client.import_session_create(&body, &Default::default()).await?.into_body() {
//!     ImportSessionCreateResponse::Created(created) => println!("session {:?}", created.id),
//!     ImportSessionCreateResponse::Accepted(job) => println!("job {:?}", job.id),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Waits and paged lists the specs declare are generated (`wait_until_<name>`, `_stream`).
//! [`ext`] is written by hand: `connect` helpers and the workflows that span several calls
//! (name to id, LCM imports with every failed task's messages, ViPR full copies' tasks).

/// Dell PowerStore REST API (the migration subset), generated.
#[allow(deprecated)]
pub mod powerstore {
    include!(concat!(env!("OUT_DIR"), "/powerstore.rs"));
}

/// Oracle EPM Cloud LCM migration REST API, generated.
#[allow(deprecated)]
pub mod lcm {
    include!(concat!(env!("OUT_DIR"), "/lcm.rs"));
}

/// EMC ViPR Controller volume-group full copies and tasks, generated.
#[allow(deprecated)]
pub mod vipr {
    include!(concat!(env!("OUT_DIR"), "/vipr.rs"));
}

/// Hand-written workflows over the generated clients (connect, look up, fan out, collect errors).
pub mod ext;
