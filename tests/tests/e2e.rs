//! End to end: the generated clients, their generated waiters and streams, and the
//! hand-written `ext` workflows against the simulator, over real sockets. Each test starts its own simulator on a free port with a 20 ms
//! step, so a whole import lifecycle takes a fraction of a second and tests never share state.
//! What the server saw is checked through the simulator's request log, not assumed.

use migrate_clients::ext::ConnectOptions;
use migrate_runtime::wait::Progress;
use migrate_sim::{Fault, SimHandle};
use std::time::Duration;

use migrate_tests::{fast, sim, PASSWORD, USER};

/// Collects the state of every progress report.
fn record(states: &mut Vec<String>) -> impl FnMut(&Progress) + '_ {
    move |p: &Progress| states.push(p.state.clone())
}

mod powerstore {
    use super::*;
    use futures::TryStreamExt;
    use migrate_clients::ext::powerstore::{connect, find_import_session_by_name};
    use migrate_clients::powerstore::operations::{
        ImportSessionCollectionQueryParams, ImportSessionCreateParams, ImportSessionCreateResponse,
        ImportSessionCutoverParams, ImportSessionInstanceQueryParams, JobInstanceQueryParams,
    };
    use migrate_clients::powerstore::types::{
        BaseResponse, ImportSessionCreate, ImportSessionInstance, ImportSessionStateEnum as State,
        JobPhaseEnum,
    };
    use migrate_clients::powerstore::Client;
    use migrate_runtime::waiter::Finished;

    /// The answer a wait ended with, when the work is done.
    fn done<T: std::fmt::Debug>(finished: Finished<T>) -> T {
        match finished {
            Finished::Done(last) => last,
            Finished::Failed(failure) => panic!("the wait failed: {failure:?}"),
        }
    }

    /// The seven importable resources the simulator seeds, by remote system name.
    pub(crate) const SOURCES: [(&str, &str); 7] = [
        ("unity-src-01", "sv_101"),
        ("unity-src-01", "sv_102"),
        ("unity-src-01", "sv_103"),
        ("unity-src-01", "res_cg_7"),
        ("vnx-src-02", "vnx_lun_21"),
        ("vnx-src-02", "vnx_lun_22"),
        ("vnx-src-02", "vnx_cg_3"),
    ];

    pub(crate) fn client(sim: &SimHandle, options: &ConnectOptions) -> Client {
        connect(&sim.base_url(), USER, PASSWORD, options).expect("a valid base URL")
    }

    pub(crate) fn create_body(name: &str, remote: &str, source: &str) -> ImportSessionCreate {
        ImportSessionCreate {
            name: name.to_owned(),
            remote_system_id: format!("name:{remote}"),
            source_resource_id: source.to_owned(),
            ..ImportSessionCreate::default()
        }
    }

    /// Creates a session synchronously (201) and returns its id.
    pub(crate) async fn create(client: &Client, body: &ImportSessionCreate) -> String {
        let answer = client
            .import_session_create(body, &ImportSessionCreateParams::default())
            .await
            .expect("the session is created")
            .into_body();
        match answer {
            ImportSessionCreateResponse::Created(created) => created.id.expect("an id"),
            other => panic!("expected 201, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn import_session_is_created_listed_in_pages_cut_over_and_completed() {
        let sim = sim().await;
        let client = client(&sim, &ConnectOptions::default());
        let mut ids = Vec::new();
        for (i, (remote, source)) in SOURCES.iter().enumerate() {
            let name = format!("imp-{i:02}");
            ids.push(create(&client, &create_body(&name, remote, source)).await);
        }

        let found = find_import_session_by_name(&client, "IMP-03")
            .await
            .unwrap()
            .expect("found ignoring case");
        assert_eq!(found.id.as_deref(), Some(ids[3].as_str()));
        assert_eq!(found.source_resource_id.as_deref(), Some("res_cg_7"));
        assert!(find_import_session_by_name(&client, "imp-99")
            .await
            .unwrap()
            .is_none());

        // Four pages of two: 0-1, 2-3, 4-5 and 6-6 of 7, each a 206; `limit` is the page size.
        let params_with_limit_2 = ImportSessionCollectionQueryParams {
            order: Some("name".into()),
            limit: Some(2),
            ..ImportSessionCollectionQueryParams::default()
        };
        let listed: Vec<ImportSessionInstance> = client
            .import_session_collection_query_stream(&params_with_limit_2)
            .try_collect()
            .await
            .unwrap();
        let names: Vec<_> = listed.iter().filter_map(|s| s.name.clone()).collect();
        let expected: Vec<_> = (0..7).map(|i| format!("imp-{i:02}")).collect();
        assert_eq!(names, expected);
        assert!(
            listed.iter().all(|s| s.remote_system_id.is_some()),
            "the default select fills every plain field"
        );
        let pages: Vec<String> = sim
            .requests()
            .into_iter()
            .filter(|r| r.method == "GET" && r.path == "/api/rest/import_session")
            .filter_map(|r| r.query)
            .filter(|q| q.contains("offset="))
            .collect();
        assert_eq!(pages.len(), 4, "{pages:?}");
        for (page, offset) in pages.iter().zip([0, 2, 4, 6]) {
            assert!(page.contains(&format!("offset={offset}&limit=2")), "{page}");
        }

        let id = &ids[0];
        let mut states = Vec::new();
        let params = ImportSessionInstanceQueryParams::default();
        let ready = done(
            client
                .wait_until_import_session_ready(id, &params, Some(fast()), record(&mut states))
                .await
                .unwrap(),
        );
        assert_eq!(ready.state, Some(State::ReadyForCutover));
        assert_eq!(ready.progress_percentage, Some(100));
        assert!(states.iter().any(|s| s == "Copy_In_Progress"), "{states:?}");

        client
            .import_session_cutover(id, &ImportSessionCutoverParams::default())
            .await
            .unwrap();
        let completed = done(
            client
                .wait_until_import_session_completed(id, &params, Some(fast()), |_| {})
                .await
                .unwrap(),
        );
        assert_eq!(completed.state, Some(State::ImportCompleted));
        assert_eq!(completed.name.as_deref(), Some("imp-00"));
        assert_eq!(completed.progress_percentage, None, "cleared after cutover");
    }

    /// A PATCH body tells "leave it" (`None`) from "clear it" (`Some(None)`, sent as `null`):
    /// after an import the destination volume's protection policy is set, kept while the
    /// volume is renamed, then removed.
    #[tokio::test]
    async fn a_volume_policy_is_set_kept_and_cleared_with_null() {
        use migrate_clients::powerstore::operations::{
            VolumeCollectionQueryParams, VolumeInstanceQueryParams, VolumeModifyParams,
        };
        use migrate_clients::powerstore::types::VolumeModify;
        let sim = sim().await;
        let client = client(&sim, &ConnectOptions::default());
        let volumes = client
            .volume_collection_query(&VolumeCollectionQueryParams::default())
            .await
            .unwrap()
            .into_body();
        let id = volumes[0].id.clone().expect("an id");
        let fetch = || async {
            client
                .volume_instance_query(&id, &VolumeInstanceQueryParams::default())
                .await
                .unwrap()
                .into_body()
        };
        let modify = |body: VolumeModify| {
            let client = &client;
            let id = id.clone();
            async move {
                client
                    .volume_modify(&id, &body, &VolumeModifyParams::default())
                    .await
                    .unwrap()
            }
        };

        modify(VolumeModify {
            protection_policy_id: Some(Some("pp-gold".into())),
            ..VolumeModify::default()
        })
        .await;
        assert_eq!(
            fetch().await.protection_policy_id.as_deref(),
            Some("pp-gold")
        );

        modify(VolumeModify {
            name: Some("imported-data-01".into()),
            ..VolumeModify::default()
        })
        .await;
        let volume = fetch().await;
        assert_eq!(volume.name.as_deref(), Some("imported-data-01"));
        assert_eq!(volume.protection_policy_id.as_deref(), Some("pp-gold"));

        modify(VolumeModify {
            protection_policy_id: Some(None),
            ..VolumeModify::default()
        })
        .await;
        assert_eq!(fetch().await.protection_policy_id, None);
        // The clearing body itself, as the client serializes it.
        let clear = VolumeModify {
            protection_policy_id: Some(None),
            ..VolumeModify::default()
        };
        assert_eq!(
            serde_json::to_value(&clear).unwrap(),
            serde_json::json!({"protection_policy_id": null})
        );
    }

    /// Every query with its generated default `select` (every plain field of the model) is
    /// answered, and the fields come back filled in.
    #[tokio::test]
    async fn default_selects_of_every_query_are_accepted() {
        use migrate_clients::powerstore::operations::{
            JobCollectionQueryParams, JobInstanceQueryParams, LoginSessionCollectionQueryParams,
            RemoteSystemCollectionQueryParams, RemoteSystemInstanceQueryParams,
            VolumeCollectionQueryParams, VolumeGroupCollectionQueryParams,
            VolumeGroupInstanceQueryParams, VolumeInstanceQueryParams,
        };
        let sim = sim().await;
        let client = client(&sim, &ConnectOptions::default());
        let id = create(
            &client,
            &create_body("imp-defaults", "unity-src-01", "sv_102"),
        )
        .await;
        let session = client
            .import_session_instance_query(&id, &ImportSessionInstanceQueryParams::default())
            .await
            .unwrap()
            .into_body();
        assert_eq!(session.name.as_deref(), Some("imp-defaults"));

        let systems = client
            .remote_system_collection_query(&RemoteSystemCollectionQueryParams::default())
            .await
            .unwrap()
            .into_body();
        assert!(!systems.is_empty());
        let system_id = systems[0].id.clone().expect("an id");
        let system = client
            .remote_system_instance_query(&system_id, &RemoteSystemInstanceQueryParams::default())
            .await
            .unwrap()
            .into_body();
        assert!(system.data_connection_type.is_some());

        let volumes = client
            .volume_collection_query(&VolumeCollectionQueryParams::default())
            .await
            .unwrap()
            .into_body();
        let volume_id = volumes[0].id.clone().expect("an id");
        let volume = client
            .volume_instance_query(&volume_id, &VolumeInstanceQueryParams::default())
            .await
            .unwrap()
            .into_body();
        assert!(volume.nsid.is_some());

        let groups = client
            .volume_group_collection_query(&VolumeGroupCollectionQueryParams::default())
            .await
            .unwrap()
            .into_body();
        let group_id = groups[0].id.clone().expect("an id");
        let group = client
            .volume_group_instance_query(&group_id, &VolumeGroupInstanceQueryParams::default())
            .await
            .unwrap()
            .into_body();
        assert!(group.placement_rule.is_some());

        let jobs = client
            .job_collection_query(&JobCollectionQueryParams::default())
            .await
            .unwrap()
            .into_body();
        let job_id = jobs[0].id.clone().expect("an id");
        let job = client
            .job_instance_query(&job_id, &JobInstanceQueryParams::default())
            .await
            .unwrap()
            .into_body();
        assert!(job.phase.is_some() && job.response_status.is_some());

        let login = client
            .login_session_collection_query(&LoginSessionCollectionQueryParams::default())
            .await
            .unwrap()
            .into_body();
        assert_eq!(login[0].user.as_deref(), Some(USER));
    }

    #[tokio::test]
    async fn async_create_job_completes_with_the_new_id() {
        let sim = sim().await;
        let client = client(&sim, &ConnectOptions::default());
        let params = ImportSessionCreateParams {
            is_async: Some(true),
        };
        let answer = client
            .import_session_create(&create_body("imp-job", "vnx-src-02", "vnx_lun_21"), &params)
            .await
            .unwrap()
            .into_body();
        let ImportSessionCreateResponse::Accepted(job) = answer else {
            panic!("expected 202, got {answer:?}");
        };
        let job_id = job.id.expect("a job id");
        let mut phases = Vec::new();
        let params = JobInstanceQueryParams::default();
        let job = done(
            client
                .wait_until_job_done(&job_id, &params, Some(fast()), record(&mut phases))
                .await
                .unwrap(),
        );
        assert_eq!(job.phase, Some(JobPhaseEnum::Completed));
        assert!(phases.iter().all(|p| p != "Completed"), "{phases:?}");
        let Some(BaseResponse::JobCreateResponse(created)) = job.response_body else {
            panic!("the job names the new session: {:?}", job.response_body);
        };
        let created = created.id.expect("an id");
        let session = client
            .import_session_instance_query(
                &created,
                &ImportSessionInstanceQueryParams {
                    select: Some("id,name".into()),
                },
            )
            .await
            .unwrap()
            .into_body();
        assert_eq!(session.name.as_deref(), Some("imp-job"));
    }

    #[tokio::test]
    async fn failed_job_surfaces_its_error_body() {
        let sim = sim().await;
        let client = client(&sim, &ConnectOptions::default());
        let id = create(&client, &create_body("imp-fail", "unity-src-01", "sv_101")).await;
        sim.force_import_session_state(&id, "Ready_For_Cutover")
            .unwrap();
        sim.add_fault(Fault::fail_next_job());
        let job = client
            .import_session_cutover(
                &id,
                &ImportSessionCutoverParams {
                    is_async: Some(true),
                },
            )
            .await
            .unwrap()
            .into_body()
            .expect("202 with a job");
        let job_id = job.id.expect("a job id");

        let params = JobInstanceQueryParams::default();
        let finished = client
            .wait_until_job_done(&job_id, &params, Some(fast()), |_| {})
            .await
            .unwrap();
        let Finished::Failed(failure) = &finished else {
            panic!("expected a failed job, got {finished:?}");
        };
        assert_eq!(failure.last.id.as_deref(), Some(job_id.as_str()));
        assert_eq!(failure.state, "Failed");
        assert_eq!(
            failure.last.response_status.as_ref().map(|s| s.to_string()),
            Some("422".to_string())
        );
        assert_eq!(failure.messages.len(), 1);
        let message = &failure.messages[0];
        assert_eq!(message.code.as_deref(), Some("0xE0301001000C"));
        assert_eq!(message.severity.as_deref(), Some("Error"));
        assert!(message
            .text
            .as_deref()
            .is_some_and(|m| m.contains("fail_next_job")));
        let shown = message.to_string();
        assert!(
            shown.starts_with("[0xE0301001000C] Error: The job failed"),
            "{shown}"
        );

        // The failed cutover did nothing.
        let session = client
            .import_session_instance_query(
                &id,
                &ImportSessionInstanceQueryParams {
                    select: Some("state".into()),
                },
            )
            .await
            .unwrap()
            .into_body();
        assert_eq!(session.state, Some(State::ReadyForCutover));
    }

    #[tokio::test]
    async fn session_expiry_during_a_wait_is_healed_by_logging_in_again() {
        let sim = sim().await;
        let client = client(&sim, &ConnectOptions::default());
        let id = create(
            &client,
            &create_body("imp-expiry", "unity-src-01", "sv_102"),
        )
        .await;
        let mut expired = 0;
        let params = ImportSessionInstanceQueryParams::default();
        let ready = done(
            client
                .wait_until_import_session_ready(&id, &params, Some(fast()), |_| {
                    if expired == 0 {
                        sim.add_fault(Fault::expire_sessions());
                    }
                    expired += 1;
                })
                .await
                .unwrap(),
        );
        assert!(expired > 1, "the wait went on after the expiry");
        assert_eq!(ready.state, Some(State::ReadyForCutover));
        assert_eq!(sim.request_count("GET", "/api/rest/login_session"), 2);
    }
}

mod lcm {
    use super::*;
    use migrate_clients::ext::lcm::{connect, import_snapshot_and_wait, Credentials, ImportError};
    use migrate_clients::lcm::types::{ImportQuery, ImportQueryType};
    use migrate_clients::lcm::Client;
    use std::collections::BTreeSet;

    const VERSION: &str = "11.1.2.3.600";

    fn client(sim: &SimHandle) -> Client {
        let credentials = Credentials::Basic {
            user: format!("exampleDomain.{USER}"),
            password: PASSWORD.into(),
        };
        connect(&sim.base_url(), credentials, &ConnectOptions::default()).expect("a valid URL")
    }

    fn import() -> ImportQuery {
        ImportQuery {
            r#type: ImportQueryType::Import,
            import_users: Some(false),
            user_password: None,
            reset_password: None,
        }
    }

    #[tokio::test]
    async fn failed_import_collects_every_page_of_every_task() {
        let sim = sim().await;
        let client = client(&sim);
        let mut states = Vec::new();
        let err = import_snapshot_and_wait(
            &client,
            VERSION,
            "fail-Snap2",
            &import(),
            fast(),
            record(&mut states),
        )
        .await
        .unwrap_err();
        assert!(
            !states.is_empty() && states.iter().all(|s| s == "-1"),
            "{states:?}"
        );
        let ImportError::Failed(failure) = &err else {
            panic!("expected a failed import, got {err}");
        };
        assert_eq!(failure.status, 1);
        assert_eq!(failure.job_id, 1);
        assert_eq!(failure.tasks.len(), 2);
        let first = &failure.tasks[0];
        assert_eq!(first.messages.len(), 60);
        assert!(first
            .messages
            .iter()
            .all(|m| m.msg_type.as_deref() == Some("error")));
        let distinct: BTreeSet<_> = first.messages.iter().map(|m| &m.msg_text).collect();
        assert_eq!(distinct.len(), 60, "no page fetched twice or skipped");
        assert!(first.messages[59]
            .msg_text
            .as_deref()
            .is_some_and(|t| t.contains("user0060")));
        assert_eq!(failure.tasks[1].messages.len(), 3);
        assert_eq!(failure.message_count(), 63);

        let details =
            format!("/interop/rest/{VERSION}/applicationsnapshots/fail-Snap2/migration/1");
        assert_eq!(sim.request_count("GET", &format!("{details}/0/details")), 3);
        assert_eq!(sim.request_count("GET", &format!("{details}/1/details")), 1);
        let offsets: Vec<_> = sim
            .requests()
            .into_iter()
            .filter(|r| r.path == format!("{details}/0/details"))
            .filter_map(|r| r.query)
            .collect();
        assert!(offsets[2].contains("offset=50"), "{offsets:?}");
        assert!(err.to_string().contains("63 messages in 2 tasks"), "{err}");
    }

    #[tokio::test]
    async fn import_succeeds_and_a_405_status_poll_is_retried_as_post() {
        let sim = sim().await;
        let client = client(&sim);
        let status_path = format!("/interop/rest/{VERSION}/applicationsnapshots/Snap1/migration/1");
        sim.add_fault(
            Fault::status(405)
                .method("GET")
                .path_prefix(&status_path)
                .times(1),
        );
        // The simulator documents GET only; stand in for a server that wants POST.
        sim.add_fault(Fault {
            kind: migrate_sim::FaultKind::Status {
                status: 200,
                retry_after: None,
                body: Some(
                    serde_json::json!({"status": -1, "details": null, "items": null, "links": []}),
                ),
            },
            ..Fault::status(200)
                .method("POST")
                .path_prefix(&status_path)
                .times(1)
        });
        let done = import_snapshot_and_wait(&client, VERSION, "Snap1", &import(), fast(), |_| {})
            .await
            .unwrap_or_else(|e| panic!("{e}: {:#?}", sim.requests()));
        assert_eq!(done.status, Some(0));
        assert_eq!(sim.request_count("POST", &status_path), 1);
        assert!(sim.request_count("GET", &status_path) >= 2);
    }
}

mod vipr {
    use super::*;
    use migrate_clients::ext::vipr::{connect, wait_for_tasks, TaskOutcome};
    use migrate_clients::vipr::types::VolumeGroupFullCopyCreate;
    use migrate_clients::vipr::Client;
    use serde_json::Value;

    fn client(sim: &SimHandle) -> Client {
        connect(&sim.base_url(), USER, PASSWORD, &ConnectOptions::default()).expect("a valid URL")
    }

    /// The seeded volume group `name`: its id and its volumes' ids by name.
    fn group(sim: &SimHandle, name: &str) -> (String, Vec<(String, String)>) {
        let seed = sim.seed();
        let groups = seed["vipr"]["volume_groups"].as_array().expect("groups");
        let group = groups
            .iter()
            .find(|g| g["name"] == name)
            .expect("seeded group");
        let volumes = group["volumes"]
            .as_array()
            .expect("volumes")
            .iter()
            .map(|v| (text(&v["name"]), text(&v["id"])))
            .collect();
        (text(&group["id"]), volumes)
    }

    fn text(v: &Value) -> String {
        v.as_str().expect("a string").to_owned()
    }

    fn volume(volumes: &[(String, String)], name: &str) -> String {
        volumes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.clone())
            .expect("seeded volume")
    }

    /// Starts a full copy and returns its task ids.
    async fn full_copy(
        client: &Client,
        group: &str,
        body: &VolumeGroupFullCopyCreate,
    ) -> Vec<String> {
        client
            .create_volume_group_full_copy(&group.to_owned(), body)
            .await
            .unwrap()
            .into_body()
            .task
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.id.expect("a task URN"))
            .collect()
    }

    #[tokio::test]
    async fn partial_full_copy_waits_for_both_tasks_ready_and_error() {
        let sim = sim().await;
        let client = client(&sim);
        let (group, volumes) = group(&sim, "app-mixed");
        let body = VolumeGroupFullCopyCreate {
            name: "nightly".into(),
            count: Some(1),
            partial: Some(true),
            volumes: Some(vec![
                volume(&volumes, "mixed-vol-1"),
                volume(&volumes, "fail-vol-1"),
            ]),
            ..VolumeGroupFullCopyCreate::default()
        };
        let tasks = full_copy(&client, &group, &body).await;
        assert_eq!(tasks.len(), 2, "one task per array replication group");

        let mut reports = Vec::new();
        let results = wait_for_tasks(&client, &tasks, fast(), |p| reports.push(p.clone()))
            .await
            .unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].id, tasks[0]);
        assert_eq!(results[0].outcome, TaskOutcome::Ready);
        assert!(results[0]
            .task
            .associated_resources
            .as_ref()
            .is_some_and(|r| r.len() == 2));
        assert_eq!(results[1].id, tasks[1]);
        let TaskOutcome::Failed(Some(error)) = &results[1].outcome else {
            panic!("expected a failed task, got {:?}", results[1].outcome);
        };
        assert_eq!(error.code, Some(12000));
        assert_eq!(
            error.description.as_deref(),
            Some("An error occurred while executing the job")
        );
        assert!(error
            .details
            .as_deref()
            .is_some_and(|d| d.contains("fail-vol-1")));
        assert_eq!(error.retryable, Some(false));
        assert!(reports
            .iter()
            .any(|p| p.detail.as_deref() == Some("0 of 2 tasks finished")));
        // The failed task stops first (half-way), and is not polled again after that.
        let polls_of_failed = sim.request_count("GET", &format!("/vdc/tasks/{}", tasks[1]));
        let polls_of_ready = sim.request_count("GET", &format!("/vdc/tasks/{}", tasks[0]));
        assert!(
            polls_of_failed < polls_of_ready,
            "{polls_of_failed} vs {polls_of_ready}"
        );
    }

    #[tokio::test]
    async fn expired_token_redirect_to_login_is_followed_by_a_new_login() {
        let sim = sim().await;
        let client = client(&sim);
        let (group, _) = group(&sim, "app1");
        let body = VolumeGroupFullCopyCreate {
            name: "weekly".into(),
            ..VolumeGroupFullCopyCreate::default()
        };
        let tasks = full_copy(&client, &group, &body).await;
        assert_eq!(tasks.len(), 2);
        let mut first = true;
        let results = wait_for_tasks(&client, &tasks, fast(), |_| {
            if std::mem::take(&mut first) {
                sim.add_fault(Fault::expire_sessions());
            }
        })
        .await
        .unwrap();
        assert!(results.iter().all(|r| r.outcome == TaskOutcome::Ready));
        assert_eq!(sim.request_count("GET", "/login"), 2);
    }
}

mod transport {
    use super::powerstore::{client, create_body};
    use super::*;
    use migrate_clients::powerstore::operations::{
        ImportSessionCreateParams, VolumeCollectionQueryParams,
    };
    use migrate_runtime::{Error, RetryPolicy};
    use std::time::Instant;

    #[tokio::test]
    async fn a_503_with_retry_after_is_waited_out_on_a_get() {
        let sim = sim().await;
        let client = client(&sim, &ConnectOptions::default());
        sim.add_fault(
            Fault::status(503)
                .retry_after(1)
                .method("GET")
                .path_prefix("/api/rest/volume")
                .times(1),
        );
        let started = Instant::now();
        let volumes = client
            .volume_collection_query(&VolumeCollectionQueryParams {
                select: Some("id,name".into()),
                ..VolumeCollectionQueryParams::default()
            })
            .await
            .unwrap()
            .into_body();
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
        assert_eq!(volumes.len(), 10, "4 fixed and 6 extra seeded volumes");
        assert_eq!(sim.request_count("GET", "/api/rest/volume"), 2);
    }

    #[tokio::test]
    async fn a_post_that_times_out_is_not_sent_again() {
        let sim = sim().await;
        let options = ConnectOptions {
            timeout: Some(Duration::from_millis(300)),
            retry: Some(RetryPolicy::default()),
            ..ConnectOptions::default()
        };
        let client = client(&sim, &options);
        sim.add_fault(
            Fault::delay(Duration::from_millis(1500))
                .method("POST")
                .path_prefix("/api/rest/import_session")
                .times(1),
        );
        let err = client
            .import_session_create(
                &create_body("imp-slow", "unity-src-01", "sv_101"),
                &ImportSessionCreateParams::default(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Timeout { sent: true, operation, .. } if operation == "import_session_create"),
            "{err:?}"
        );
        assert!(err.is_sent());
        assert_eq!(sim.request_count("POST", "/api/rest/import_session"), 1);
    }

    #[tokio::test]
    async fn an_invalid_name_is_rejected_before_anything_is_sent() {
        let sim = sim().await;
        let client = client(&sim, &ConnectOptions::default());
        let name = "n".repeat(130);
        let err = client
            .import_session_create(
                &create_body(&name, "unity-src-01", "sv_101"),
                &ImportSessionCreateParams::default(),
            )
            .await
            .unwrap_err();
        let Error::Validation(invalid) = &err else {
            panic!("expected a validation error, got {err:?}");
        };
        assert_eq!(invalid.field, "name");
        assert!(invalid.message.contains("130"), "{invalid}");
        assert!(!err.is_sent());
        assert_eq!(sim.request_count("POST", "/api/rest/import_session"), 0);
        assert!(
            sim.requests().is_empty(),
            "not even a login: {:?}",
            sim.requests()
        );
    }
}
