//! The generated waiters (`wait_until_<name>`, declared in the specs and the overlay) ride out
//! one 500, one connection reset and one expired session while they poll, against the
//! simulator. The clients here do not retry (`RetryPolicy::none()`), so each failed poll
//! reaches the waiter itself: what is tested is that the wait polls again, not that the
//! transport retried. (An expired session is renewed by the transport's login, which no
//! retry policy turns off.) Each fault is armed at the poll after the previous one was seen,
//! so all three hit polls of one wait.

use std::sync::Mutex;
use std::time::Duration;

use migrate_clients::ext::ConnectOptions;
use migrate_clients::{lcm, powerstore, vipr};
use migrate_runtime::wait::{Progress, WaitOptions};
use migrate_runtime::waiter::Finished;
use migrate_runtime::RetryPolicy;
use migrate_sim::{Fault, SimHandle};
use migrate_tests::{PASSWORD, USER};

/// A simulator whose work moves on every 100 ms: many polls per state.
async fn sim() -> SimHandle {
    migrate_tests::sim_with_step(Duration::from_millis(100)).await
}

fn no_retries() -> ConnectOptions {
    ConnectOptions {
        retry: Some(RetryPolicy::none()),
        ..ConnectOptions::default()
    }
}

fn fast() -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(10),
        timeout: Duration::from_secs(20),
        ..WaitOptions::default()
    }
}

/// Arms `faults` one at a time on GETs of `path`, each at the answer after the one before:
/// the progress callback of a wait.
struct Faults<'a> {
    sim: &'a SimHandle,
    path: String,
    left: Mutex<Vec<Fault>>,
}

impl<'a> Faults<'a> {
    fn new(sim: &'a SimHandle, path: &str, mut faults: Vec<Fault>) -> Self {
        faults.reverse();
        Self {
            sim,
            path: path.to_owned(),
            left: Mutex::new(faults),
        }
    }

    fn arm_next(&self, _: &Progress) {
        let armed = self
            .sim
            .faults()
            .iter()
            .any(|f| f.path_prefix.as_deref() == Some(&self.path));
        if armed {
            return;
        }
        if let Some(fault) = self.left.lock().unwrap().pop() {
            self.sim
                .add_fault(fault.method("GET").path_prefix(&self.path).times(1));
        }
    }

    /// Every fault was armed and hit.
    fn assert_all_hit(&self) {
        assert!(self.left.lock().unwrap().is_empty(), "faults never armed");
        let left: Vec<_> = self
            .sim
            .faults()
            .into_iter()
            .filter(|f| f.times.is_some())
            .collect();
        assert!(left.is_empty(), "faults never hit: {left:?}");
    }
}

fn three_faults() -> Vec<Fault> {
    vec![
        Fault::status(500),
        Fault::reset(),
        Fault::expire_sessions_on_request(),
    ]
}

/// How many answers to GETs of `path` had `status`.
fn answered(sim: &SimHandle, path: &str, status: u16) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == path && r.status == Some(status))
        .count()
}

#[tokio::test]
async fn an_import_session_wait_survives_a_500_a_reset_and_an_expired_session() {
    use powerstore::operations::{ImportSessionCreateParams, ImportSessionCreateResponse};
    let sim = sim().await;
    let client =
        migrate_clients::ext::powerstore::connect(&sim.base_url(), USER, PASSWORD, &no_retries())
            .unwrap();
    let body = powerstore::types::ImportSessionCreate {
        name: "faulty-01".into(),
        remote_system_id: "name:unity-src-01".into(),
        source_resource_id: "sv_101".into(),
        ..Default::default()
    };
    let ImportSessionCreateResponse::Created(created) = client
        .import_session_create(&body, &ImportSessionCreateParams::default())
        .await
        .unwrap()
        .into_body()
    else {
        panic!("a synchronous create");
    };
    let id = created.id.unwrap();
    let path = format!("/api/rest/import_session/{id}");
    let faults = Faults::new(&sim, &path, three_faults());
    let params = Default::default();
    let finished = client
        .wait_until_import_session_ready(&id, &params, Some(fast()), |p| faults.arm_next(p))
        .await
        .expect("the wait rides out every fault");
    let Finished::Done(ready) = finished else {
        panic!("{finished:?}");
    };
    assert_eq!(
        ready.state.as_ref().map(|s| s.to_string()).as_deref(),
        Some("Ready_For_Cutover")
    );
    faults.assert_all_hit();
    assert_eq!(answered(&sim, &path, 500), 1, "one 500, polled again");
    assert_eq!(
        sim.request_count("GET", "/api/rest/login_session"),
        2,
        "logged in again after the expiry"
    );
}

#[tokio::test]
async fn a_job_wait_survives_a_500_a_reset_and_an_expired_session() {
    use powerstore::operations::{ImportSessionCreateParams, ImportSessionCreateResponse};
    let sim = sim().await;
    let client =
        migrate_clients::ext::powerstore::connect(&sim.base_url(), USER, PASSWORD, &no_retries())
            .unwrap();
    let body = powerstore::types::ImportSessionCreate {
        name: "faulty-job".into(),
        remote_system_id: "name:vnx-src-02".into(),
        source_resource_id: "vnx_lun_21".into(),
        ..Default::default()
    };
    let params = ImportSessionCreateParams {
        is_async: Some(true),
    };
    let ImportSessionCreateResponse::Accepted(job) = client
        .import_session_create(&body, &params)
        .await
        .unwrap()
        .into_body()
    else {
        panic!("a job");
    };
    let job_id = job.id.unwrap();
    let path = format!("/api/rest/job/{job_id}");
    let faults = Faults::new(&sim, &path, three_faults());
    let params = Default::default();
    let finished = client
        .wait_until_job_done(&job_id, &params, Some(fast()), |p| faults.arm_next(p))
        .await
        .expect("the wait rides out every fault");
    assert!(matches!(finished, Finished::Done(_)), "{finished:?}");
    faults.assert_all_hit();
    assert_eq!(answered(&sim, &path, 500), 1);
    assert_eq!(sim.request_count("GET", "/api/rest/login_session"), 2);
}

#[tokio::test]
async fn a_task_wait_survives_a_500_a_reset_and_an_expired_token() {
    let sim = sim().await;
    let client =
        migrate_clients::ext::vipr::connect(&sim.base_url(), USER, PASSWORD, &no_retries())
            .unwrap();
    let group = sim.seed()["vipr"]["volume_groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = vipr::types::VolumeGroupFullCopyCreate {
        name: "faulty-copy".into(),
        ..Default::default()
    };
    let tasks = client
        .create_volume_group_full_copy(&group, &body)
        .await
        .unwrap()
        .into_body()
        .task
        .unwrap_or_default();
    let task = tasks[0].id.clone().unwrap();
    let path = format!("/vdc/tasks/{task}");
    let faults = Faults::new(&sim, &path, three_faults());
    let finished = client
        .wait_until_task_done(&task, Some(fast()), |p| faults.arm_next(p))
        .await
        .expect("the wait rides out every fault");
    let Finished::Done(done) = finished else {
        panic!("{finished:?}");
    };
    assert_eq!(done.progress, Some(100));
    faults.assert_all_hit();
    assert_eq!(answered(&sim, &path, 500), 1);
    assert_eq!(sim.request_count("GET", "/login"), 2);
}

#[tokio::test]
async fn an_lcm_import_wait_survives_a_500_and_a_reset() {
    use lcm::types::{ImportQuery, ImportQueryType};
    let sim = sim().await;
    let credentials = migrate_clients::ext::lcm::Credentials::Basic {
        user: format!("exampleDomain.{USER}"),
        password: PASSWORD.into(),
    };
    let client =
        migrate_clients::ext::lcm::connect(&sim.base_url(), credentials, &no_retries()).unwrap();
    let query = ImportQuery {
        r#type: ImportQueryType::Import,
        import_users: None,
        user_password: None,
        reset_password: None,
    };
    let version = "11.1.2.3.600";
    client
        .import_snapshot(version, "Snap1", &query)
        .await
        .unwrap();
    let path = format!("/interop/rest/{version}/applicationsnapshots/Snap1/migration/1");
    // LCM takes Basic on every request: there is no session to expire.
    let faults = Faults::new(&sim, &path, vec![Fault::status(500), Fault::reset()]);
    let finished = client
        .wait_until_import_done(version, "Snap1", 1, Some(fast()), |p| faults.arm_next(p))
        .await
        .expect("the wait rides out every fault");
    let Finished::Done(done) = finished else {
        panic!("{finished:?}");
    };
    assert_eq!(done.status, Some(0));
    faults.assert_all_hit();
    assert_eq!(answered(&sim, &path, 500), 1);
}
