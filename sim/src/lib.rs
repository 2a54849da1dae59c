//! `migrate-sim`: one local HTTP server that behaves like the three storage-migration services
//! the project talks to (Dell PowerStore, Oracle EPM LCM migration, EMC ViPR/CoprHD).
//!
//! Why it exists: the project's tests and the README quick start need something stateful to run
//! against without real arrays. Every service keeps its objects in memory and moves long-running
//! work (import sessions, jobs, tasks) forward one state per configurable time step, so a test
//! with a 20 ms step sees a whole import lifecycle in well under a second.
//!
//! All three services share one port and are told apart by path prefix: PowerStore under
//! `/api/rest`, LCM under `/interop/rest`, ViPR at the root (as on port 4443), and the
//! unauthenticated admin/fault API under `/_sim`.

mod auth;
mod faults;
mod lcm;
mod powerstore;
mod vipr;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use auth::Credentials;
pub use faults::{Fault, FaultKind, RequestRecord};

/// Everything that can be tuned when starting a simulator.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Basic-auth user accepted by the PowerStore API.
    pub powerstore_user: Credentials,
    /// Basic-auth user accepted by the LCM API (also as `<identity_domain>.<user>`).
    pub lcm_user: Credentials,
    /// Basic-auth user accepted by ViPR `GET /login`.
    pub vipr_user: Credentials,
    /// Identity domain accepted as a prefix of the LCM user name.
    pub lcm_identity_domain: String,
    /// OAuth access token accepted by LCM as `Authorization: Bearer <token>`.
    pub lcm_bearer_token: String,
    /// Duration of one simulated state step.
    pub step: Duration,
    /// PowerStore session idle timeout; a cookie unused for longer is answered with 403.
    pub powerstore_idle_timeout: Duration,
    /// ViPR token idle timeout; an idle token is treated like a missing one.
    pub vipr_token_idle_timeout: Duration,
    /// Seed data options.
    pub seed: SeedOptions,
}

/// Seed data options.
#[derive(Clone, Debug)]
pub struct SeedOptions {
    /// Number of ordinary PowerStore volumes seeded in addition to the fixed ones.
    pub powerstore_extra_volumes: usize,
    /// LCM snapshots whose import job fails (status 1) have a name starting with this prefix.
    pub lcm_fail_prefix: String,
    /// Number of error messages reported for the first task of a failing LCM import.
    pub lcm_task0_errors: usize,
    /// Additional LCM snapshot names (type `LCM`) besides the fixed seed.
    pub lcm_extra_snapshots: Vec<String>,
    /// Number of finished PowerStore import sessions seeded (`hist-00001`, … in
    /// `Import_Completed`), so lists have more than one page.
    pub powerstore_import_sessions: usize,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            powerstore_extra_volumes: 6,
            lcm_fail_prefix: "fail".to_string(),
            lcm_task0_errors: 60,
            lcm_extra_snapshots: Vec::new(),
            powerstore_import_sessions: 0,
        }
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        let admin = Credentials::new("admin", "Password123!");
        SimConfig {
            powerstore_user: admin.clone(),
            lcm_user: admin.clone(),
            vipr_user: admin,
            lcm_identity_domain: "exampleDomain".to_string(),
            lcm_bearer_token: "sim-oauth-access-token".to_string(),
            step: Duration::from_secs(2),
            powerstore_idle_timeout: Duration::from_secs(3600),
            vipr_token_idle_timeout: Duration::from_secs(2 * 3600),
            seed: SeedOptions::default(),
        }
    }
}

impl SimConfig {
    /// Uses the same user and password for all three services.
    pub fn with_shared_user(mut self, user: &str, password: &str) -> Self {
        let creds = Credentials::new(user, password);
        self.powerstore_user = creds.clone();
        self.lcm_user = creds.clone();
        self.vipr_user = creds;
        self
    }

    /// Sets the duration of one simulated state step.
    pub fn with_step(mut self, step: Duration) -> Self {
        self.step = step;
        self
    }

    /// Seeds `count` finished import sessions (see [`SeedOptions::powerstore_import_sessions`]).
    pub fn with_import_sessions(mut self, count: usize) -> Self {
        self.seed.powerstore_import_sessions = count;
        self
    }
}

/// State shared by every request handler and the step ticker.
pub(crate) struct Shared {
    pub(crate) config: SimConfig,
    pub(crate) sessions: Mutex<auth::SessionStore>,
    pub(crate) powerstore: Mutex<powerstore::store::PsStore>,
    pub(crate) lcm: Mutex<lcm::LcmStore>,
    pub(crate) vipr: Mutex<vipr::ViprStore>,
    pub(crate) faults: Mutex<faults::FaultStore>,
}

/// Locks a mutex, recovering the data if a handler panicked while holding it: the simulator's
/// state stays usable for the rest of a test run.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    fn new(config: SimConfig) -> Self {
        Shared {
            sessions: Mutex::new(auth::SessionStore::default()),
            powerstore: Mutex::new(powerstore::store::PsStore::seeded(&config.seed)),
            lcm: Mutex::new(lcm::LcmStore::seeded(&config.seed)),
            vipr: Mutex::new(vipr::ViprStore::seeded()),
            faults: Mutex::new(faults::FaultStore::default()),
            config,
        }
    }

    /// Advances every simulated long-running operation by one step.
    fn tick(&self) {
        lock(&self.powerstore).tick(self.config.step);
        lock(&self.lcm).tick();
        lock(&self.vipr).tick();
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(powerstore::router(shared.clone()))
        .merge(lcm::router(shared.clone()))
        .merge(vipr::router(shared.clone()))
        .merge(faults::admin_router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            faults::middleware,
        ))
        .with_state(shared)
}

/// An error response in the error shape of whichever service owns `path`.
pub(crate) fn error_for_path(path: &str, status: StatusCode, message: &str) -> Response {
    if path.starts_with("/api/rest") {
        powerstore::PowerStoreError::new(status, powerstore::CODE_GENERIC_FAULT, message)
            .into_response()
    } else if path.starts_with("/interop/rest") {
        lcm::envelope_error(status, message)
    } else {
        vipr::ServiceError::new(status, message).json_response()
    }
}

async fn not_found(uri: Uri) -> Response {
    error_for_path(
        uri.path(),
        StatusCode::NOT_FOUND,
        &format!("No resource at {}.", uri.path()),
    )
}

/// The ids of everything seeded, so users and tests can find them without guessing.
pub(crate) fn seed_summary(shared: &Shared) -> serde_json::Value {
    serde_json::json!({
        "powerstore": powerstore::seed_summary(&lock(&shared.powerstore)),
        "lcm": lcm::seed_summary(&lock(&shared.lcm)),
        "vipr": vipr::seed_summary(&lock(&shared.vipr)),
    })
}

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    ticker: JoinHandle<()>,
}

/// Binds `addr` (port 0 picks a free port), seeds the services and starts serving.
pub async fn start(addr: SocketAddr, config: SimConfig) -> anyhow::Result<SimHandle> {
    anyhow::ensure!(
        !config.step.is_zero(),
        "the simulation step must be positive"
    );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared::new(config));

    let ticker = {
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(shared.config.step);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            interval.tick().await;
            loop {
                interval.tick().await;
                shared.tick();
            }
        })
    };

    let (stop, stopped) = oneshot::channel::<()>();
    let app = router(shared.clone());
    let server = tokio::spawn(async move {
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(err) = result {
            tracing::error!("simulator server failed: {err}");
        }
    });

    Ok(SimHandle {
        addr,
        shared,
        stop: Some(stop),
        server: Some(server),
        ticker,
    })
}

impl SimHandle {
    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`: the ViPR base URL and the root of the other two.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Base URL of the PowerStore API.
    pub fn powerstore_url(&self) -> String {
        format!("{}/api/rest", self.base_url())
    }

    /// Base URL of the LCM API (without a version segment).
    pub fn lcm_url(&self) -> String {
        format!("{}/interop/rest", self.base_url())
    }

    /// Base URL of the ViPR API.
    pub fn vipr_url(&self) -> String {
        self.base_url()
    }

    /// The configuration the simulator runs with.
    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// Registers a fault, exactly like `POST /_sim/faults`.
    pub fn add_fault(&self, fault: Fault) {
        faults::apply_fault(&self.shared, fault);
    }

    /// Number of logged requests with this method whose path starts with `path_prefix`.
    pub fn request_count(&self, method: &str, path_prefix: &str) -> usize {
        lock(&self.shared.faults).count(method, path_prefix)
    }

    /// A copy of the request log, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.faults).requests().to_vec()
    }

    /// Logged requests with this method whose path starts with `path_prefix` and that the
    /// simulator answered with a 2xx status: the ones it carried out.
    pub fn carried_out(&self, method: &str, path_prefix: &str) -> usize {
        lock(&self.shared.faults)
            .requests()
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path.starts_with(path_prefix))
            .filter(|r| r.status.is_some_and(|s| (200..300).contains(&s)))
            .count()
    }

    /// The fault rules still active (a rule limited by `times` goes when it is used up).
    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.shared.faults).rules().to_vec()
    }

    /// Empties the request log, like `DELETE /_sim/requests` (fault rules stay).
    pub fn clear_requests(&self) {
        lock(&self.shared.faults).clear_log();
    }

    /// Removes every fault rule and empties the request log.
    pub fn clear(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Every session cookie, CSRF token and ViPR token the simulator has handed out (logged-out
    /// ones included): the values a client must never print.
    pub fn issued_secrets(&self) -> Vec<String> {
        lock(&self.shared.sessions).issued().to_vec()
    }

    /// The ids of all seeded objects (the same JSON as `GET /_sim/seed`).
    pub fn seed(&self) -> serde_json::Value {
        seed_summary(&self.shared)
    }

    /// Forces an import session into `state` (a `ImportSessionStateEnum` value).
    pub fn force_import_session_state(&self, id: &str, state: &str) -> anyhow::Result<()> {
        lock(&self.shared.powerstore)
            .force_state(id, state)
            .map_err(|e| anyhow::anyhow!(e.message))
    }

    /// Stops the server and waits for open connections to finish.
    pub async fn shutdown(mut self) {
        self.ticker.abort();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.ticker.abort();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
