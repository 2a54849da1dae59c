//! Typed async clients for the storage-migration APIs this project ships specs for,
//! generated from `specs/` (inside this package) by `build.rs` on every build where a spec
//! changed; do not edit them, edit the spec.
//!
//! | module | cargo feature | service | spec |
//! |---|---|---|---|
//! | `powerstore` | `powerstore` | Dell PowerStore import sessions, jobs and the resources a migration needs | `specs/dellemc.swagger.json` + `specs/powerstore.overlay.yaml` |
//! | `lcm` | `lcm` | Oracle EPM Cloud Lifecycle Management snapshot imports | `specs/lcm.yaml` |
//! | `vipr` | `vipr` | EMC ViPR Controller volume-group full copies and tasks | `specs/vipr.yaml` |
//!
//! All three features are on by default; a program that talks to one service builds only
//! that client:
//!
//! ```toml
//! migrate-clients = { version = "0.1", default-features = false, features = ["powerstore"] }
//! ```
//!
//! Each module has a `Client` (built from a [`migrate_runtime::Transport`]), a `types` module
//! with the spec's schemas and an `operations` module with per-operation parameters and
//! response enums. Every operation is one method returning
//! `Result<migrate_runtime::Response<T>, migrate_runtime::Error<E>>`, where `E` is the spec's
//! error body; a `<operation>_request` builder shows the request without sending it. Waits
//! and paged lists the specs declare are generated (`wait_until_<name>`, `_stream`). The
//! `cli` feature adds `clap::Args` structs for the request bodies and a command for every
//! operation (`api`).
//!
//! [`ext`] is written by hand: `connect` helpers and the workflows that span several calls
//! (name to id, LCM imports with every failed task's messages, ViPR full copies' tasks).
//! Each module's page has a complete example; the `examples/` directory has the same flows
//! as programs to run against the simulator (`cargo run -p migrate-sim -- --port 8080`).
//!
//! `MIGRATE_POWERSTORE_SPEC=/absolute/path/to/spec.json` at build time generates the
//! PowerStore client from another release's spec (the one an array serves, say), with this
//! project's overlay applied; `MIGRATE_LCM_SPEC` and `MIGRATE_VIPR_SPEC` do the same for the
//! other modules. See the README.

/// Dell PowerStore REST API (the migration subset), generated.
///
/// Import a volume from a source system and cut over once the copy is done:
///
/// ```no_run
/// use migrate_clients::ext::powerstore::connect;
/// use migrate_clients::ext::ConnectOptions;
/// use migrate_clients::powerstore::operations::{
///     ImportSessionCreateParams, ImportSessionCreateResponse, ImportSessionCutoverParams,
///     ImportSessionInstanceQueryParams,
/// };
/// use migrate_clients::powerstore::types::ImportSessionCreate;
/// use migrate_runtime::waiter::Finished;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = connect("https://powerstore.example", "admin", "secret", &ConnectOptions::default())?;
/// let body = ImportSessionCreate {
///     name: "imp-db01".into(),
///     remote_system_id: "name:unity-src-01".into(),
///     source_resource_id: "sv_101".into(),
///     ..Default::default()
/// };
/// let id = match client.import_session_create(&body, &ImportSessionCreateParams::default()).await?.into_body() {
///     ImportSessionCreateResponse::Created(created) => created.id.ok_or("no id in the answer")?,
///     ImportSessionCreateResponse::Accepted(job) => return Err(format!("job {:?} started instead", job.id).into()),
/// };
/// let progress = |p: &migrate_runtime::wait::Progress| println!("{}", p.state);
/// let params = ImportSessionInstanceQueryParams::default();
/// // The waits the spec declares (`x-migrate-waiter` in the overlay), with their own pauses.
/// if let Finished::Failed(failure) = client.wait_until_import_session_ready(&id, &params, None, progress).await? {
///     return Err(format!("{id} ended {}", failure.state).into());
/// }
/// client.import_session_cutover(&id, &ImportSessionCutoverParams::default()).await?;
/// match client.wait_until_import_session_completed(&id, &params, None, progress).await? {
///     Finished::Done(done) => println!("{} is {:?}", id, done.state),
///     Finished::Failed(failure) => return Err(format!("{id} ended {}", failure.state).into()),
/// }
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "powerstore")]
#[allow(deprecated)]
pub mod powerstore {
    include!(concat!(env!("OUT_DIR"), "/powerstore.rs"));
}

/// Oracle EPM Cloud LCM migration REST API, generated.
///
/// Import an uploaded snapshot and wait for the job; a failed import comes back with every
/// error message of every task:
///
/// ```no_run
/// use migrate_clients::ext::lcm::{connect, import_snapshot_and_wait, Credentials, ImportError};
/// use migrate_clients::ext::ConnectOptions;
/// use migrate_clients::lcm::types::{ImportQuery, ImportQueryType};
/// use migrate_runtime::wait::WaitOptions;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let credentials = Credentials::Basic { user: "exampleDomain.admin".into(), password: "secret".into() };
/// let client = connect("https://tenant.example", credentials, &ConnectOptions::default())?;
/// let query = ImportQuery {
///     r#type: ImportQueryType::Import,
///     import_users: Some(false),
///     user_password: None,
///     reset_password: None,
/// };
/// match import_snapshot_and_wait(&client, "11.1.2.3.600", "Snap1", &query, WaitOptions::default(), |_| {}).await {
///     Ok(done) => println!("imported, status {:?}", done.status),
///     Err(ImportError::Failed(failure)) => {
///         for task in &failure.tasks {
///             for message in &task.messages {
///                 println!("{:?}: {:?}", task.name, message.msg_text);
///             }
///         }
///     }
///     Err(other) => return Err(other.into()),
/// }
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "lcm")]
#[allow(deprecated)]
pub mod lcm {
    include!(concat!(env!("OUT_DIR"), "/lcm.rs"));
}

/// EMC ViPR Controller volume-group full copies and tasks, generated.
///
/// Start a full copy of a volume group and wait for every task it started:
///
/// ```no_run
/// use migrate_clients::ext::vipr::{connect, wait_for_tasks, TaskOutcome};
/// use migrate_clients::ext::ConnectOptions;
/// use migrate_clients::vipr::types::VolumeGroupFullCopyCreate;
/// use migrate_runtime::wait::WaitOptions;
///
/// # async fn run(group: String) -> Result<(), Box<dyn std::error::Error>> {
/// let client = connect("https://vipr.example:4443", "root", "secret", &ConnectOptions::default())?;
/// let body = VolumeGroupFullCopyCreate { name: "nightly".into(), count: Some(1), ..Default::default() };
/// let tasks = client.create_volume_group_full_copy(&group, &body).await?.into_body();
/// let ids: Vec<String> = tasks.task.unwrap_or_default().into_iter().filter_map(|t| t.id).collect();
/// for result in wait_for_tasks(&client, &ids, WaitOptions::default(), |_| {}).await? {
///     match result.outcome {
///         TaskOutcome::Ready => println!("{} ready", result.id),
///         other => println!("{} stopped: {other:?}", result.id),
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "vipr")]
#[allow(deprecated)]
pub mod vipr {
    include!(concat!(env!("OUT_DIR"), "/vipr.rs"));
}

/// Hand-written workflows over the generated clients (connect, look up, fan out, collect errors).
pub mod ext;

// The README's example is compiled as a doc test.
#[cfg(all(doctest, feature = "powerstore"))]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
