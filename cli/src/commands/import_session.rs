//! `migrate import-session ...`: create, query, act on and wait for PowerStore import
//! sessions, and apply a bulk plan.

use std::path::Path;

use migrate_clients::ext::powerstore as ext;
use migrate_clients::powerstore::operations::{
    ImportSessionCollectionQueryParams, ImportSessionCreateResponse,
    ImportSessionInstanceQueryParams,
};
use migrate_clients::powerstore::types::{
    ImportSessionCreate, ImportSessionInstance, ImportSessionStateEnum as State, JobResponse,
};
use migrate_clients::powerstore::{operations, Client};
use migrate_runtime::futures::{stream, StreamExt};
use migrate_runtime::{StringEnum, Validate};
use serde::Serialize;

use crate::cli::{ActionArgs, ImportSession, ListArgs};
use crate::commands::job::wait_job;
use crate::commands::list_items;
use crate::context::{Context, Service};
use crate::exit::{Code, Failure};
use crate::wait::{interruptible, Reporter};

/// Columns of the session table.
const COLUMNS: &[&str] = &["id", "name", "state", "progress_percentage", "type"];

/// States where a session waits for an operator or is done.
const SETTLED: &[State] = &[
    State::ReadyForCutover,
    State::ImportCompleted,
    State::MirrorEnabled,
    State::ReadyToStartCopy,
    State::Paused,
];

/// Runs one `import-session` command.
pub async fn run(ctx: &Context, command: ImportSession) -> Result<(), Failure> {
    match command {
        ImportSession::Create {
            body,
            wait,
            is_async,
        } => create(ctx, body.into_body(), wait, is_async).await,
        ImportSession::List(args) => list(ctx, args).await,
        ImportSession::Get { id } => {
            let params = ImportSessionInstanceQueryParams::default();
            let request = Client::import_session_instance_query_request(&id, &params)?;
            if ctx.dry_run(Service::PowerStore, &request)? {
                return Ok(());
            }
            let client = ctx.powerstore()?;
            let session = get(&client, &id).await?;
            ctx.printer.one(&session)
        }
        ImportSession::Modify { id, body, is_async } => {
            let body = body.into_body();
            let params = operations::ImportSessionModifyParams {
                is_async: is_async.then_some(true),
            };
            let request = Client::import_session_modify_request(&id, &body, &params)?;
            if ctx.dry_run(Service::PowerStore, &request)? {
                return Ok(());
            }
            let client = ctx.powerstore()?;
            let id = resolve(&client, &id).await?;
            let job = client
                .import_session_modify(&id, &body, &params)
                .await?
                .into_body();
            finish_action(ctx, &client, &id, "modify", job, false, is_async, &[]).await
        }
        ImportSession::Delete { id, is_async } => {
            let params = operations::ImportSessionDeleteParams {
                is_async: is_async.then_some(true),
            };
            if ctx.dry_run(
                Service::PowerStore,
                &Client::import_session_delete_request(&id, &params)?,
            )? {
                return Ok(());
            }
            let client = ctx.powerstore()?;
            let id = resolve(&client, &id).await?;
            let job = client
                .import_session_delete(&id, &params)
                .await?
                .into_body();
            finish_action(ctx, &client, &id, "delete", job, false, is_async, &[]).await
        }
        ImportSession::Cutover(a) => action(ctx, a, "cutover", &[State::ImportCompleted]).await,
        ImportSession::Cancel { action: a, body } => {
            let body = body.into_body();
            let params = operations::ImportSessionCancelParams {
                is_async: a.is_async.then_some(true),
            };
            let request = Client::import_session_cancel_request(&a.id, &body, &params)?;
            if ctx.dry_run(Service::PowerStore, &request)? {
                return Ok(());
            }
            let client = ctx.powerstore()?;
            let id = resolve(&client, &a.id).await?;
            let job = client
                .import_session_cancel(&id, &body, &params)
                .await?
                .into_body();
            let targets = [State::Cancelled];
            finish_action(
                ctx, &client, &id, "cancel", job, a.wait, a.is_async, &targets,
            )
            .await
        }
        ImportSession::Pause(a) => action(ctx, a, "pause", &[State::Paused]).await,
        ImportSession::Resume(a) => {
            let targets = [
                State::CopyInProgress,
                State::ReadyForCutover,
                State::ImportCompleted,
            ];
            action(ctx, a, "resume", &targets).await
        }
        ImportSession::StartCopy(a) => {
            let targets = [State::ReadyForCutover, State::ImportCompleted];
            action(ctx, a, "start_copy", &targets).await
        }
        ImportSession::EnableDestinationVolume(a) => {
            action(
                ctx,
                a,
                "enable_destination_volume",
                &[State::ReadyToStartCopy],
            )
            .await
        }
        ImportSession::Cleanup(a) => action(ctx, a, "cleanup", &[State::Cancelled]).await,
        ImportSession::Wait { id, until } => {
            let targets: Vec<State> = if until.is_empty() {
                SETTLED.to_vec()
            } else {
                until.into_iter().map(State::from_wire).collect()
            };
            if let Some(unknown) = targets.iter().find(|s| !s.is_known()) {
                return Err(Failure::usage(format!(
                    "unknown state {unknown}; states: {}",
                    State::VALUES.join(", ")
                )));
            }
            let client = ctx.powerstore()?;
            let id = resolve(&client, &id).await?;
            let session = wait_session(ctx, &client, &id, &targets).await?;
            ctx.printer.one(&session)
        }
        ImportSession::Apply {
            plan,
            concurrency,
            wait,
        } => apply(ctx, &plan, usize::from(concurrency), wait).await,
    }
}

async fn create(
    ctx: &Context,
    body: ImportSessionCreate,
    wait: bool,
    is_async: bool,
) -> Result<(), Failure> {
    let params = operations::ImportSessionCreateParams {
        is_async: is_async.then_some(true),
    };
    if ctx.dry_run(
        Service::PowerStore,
        &Client::import_session_create_request(&body, &params)?,
    )? {
        return Ok(());
    }
    let client = ctx.powerstore()?;
    if is_async && !wait {
        return match client
            .import_session_create(&body, &params)
            .await?
            .into_body()
        {
            ImportSessionCreateResponse::Accepted(job) => {
                ctx.printer.one(&serde_json::json!({ "job_id": job.id }))
            }
            // An array that ignores is_async answers 201 with the session.
            ImportSessionCreateResponse::Created(created) => {
                ctx.printer.one(&serde_json::json!({ "id": created.id }))
            }
        };
    }
    let id = create_one(ctx, &client, &body, is_async).await?;
    if wait {
        let session = wait_session(ctx, &client, &id, SETTLED).await?;
        return ctx.printer.one(&session);
    }
    ctx.printer.one(&serde_json::json!({ "id": id }))
}

/// Creates a session and returns its id (waiting for the job when the array answers 202).
async fn create_one(
    ctx: &Context,
    client: &Client,
    body: &ImportSessionCreate,
    is_async: bool,
) -> Result<String, Failure> {
    let params = operations::ImportSessionCreateParams {
        is_async: is_async.then_some(true),
    };
    match client
        .import_session_create(body, &params)
        .await?
        .into_body()
    {
        ImportSessionCreateResponse::Created(created) => created
            .id
            .ok_or_else(|| Failure::new(Code::Service, "the array did not name the new session")),
        ImportSessionCreateResponse::Accepted(job) => {
            let job_id = job.id.unwrap_or_default();
            let done = wait_job(ctx, client, &job_id).await?;
            done.created_id.ok_or_else(|| {
                Failure::new(
                    Code::Service,
                    format!("job {job_id} did not name the new session"),
                )
            })
        }
    }
}

async fn list(ctx: &Context, args: ListArgs) -> Result<(), Failure> {
    let params = query_params(&args)?;
    let request = Client::import_session_collection_query_request(&params)?;
    if ctx.dry_run(Service::PowerStore, &request)? {
        return Ok(());
    }
    let client = ctx.powerstore()?;
    let sessions: Vec<ImportSessionInstance> = list_items(
        args.all,
        || client.import_session_collection_query_stream(&params),
        || client.import_session_collection_query(&params),
    )
    .await?;
    ctx.printer.list(&sessions, &args.columns(COLUMNS))
}

/// Query parameters from the list flags.
pub fn query_params(args: &ListArgs) -> Result<ImportSessionCollectionQueryParams, Failure> {
    Ok(ImportSessionCollectionQueryParams {
        select: args.select_param(),
        order: args.order.clone(),
        limit: args.limit,
        filter: filters(&args.filter)?,
        ..ImportSessionCollectionQueryParams::default()
    })
}

/// `FIELD=OP.VALUE` expressions as query pairs.
pub fn filters(exprs: &[String]) -> Result<Vec<(String, String)>, Failure> {
    exprs
        .iter()
        .map(|e| match e.split_once('=') {
            Some((field, value)) if !field.is_empty() && value.contains('.') => {
                Ok((field.to_string(), value.to_string()))
            }
            _ => Err(Failure::usage(format!(
                "filter {e:?} is not FIELD=OP.VALUE (e.g. state=eq.Failed)"
            ))),
        })
        .collect()
}

/// An id, or the id of the session named by `name:NAME`.
async fn resolve(client: &Client, id: &str) -> Result<String, Failure> {
    let Some(name) = id.strip_prefix("name:") else {
        return Ok(id.to_string());
    };
    match ext::find_import_session_by_name(client, name).await? {
        Some(ImportSessionInstance { id: Some(id), .. }) => Ok(id),
        _ => Err(Failure::new(
            Code::Service,
            format!("no import session is named {name:?}"),
        )),
    }
}

async fn get(client: &Client, id: &str) -> Result<ImportSessionInstance, Failure> {
    let id = resolve(client, id).await?;
    let params = ImportSessionInstanceQueryParams::default();
    Ok(client
        .import_session_instance_query(&id, &params)
        .await?
        .into_body())
}

async fn action(
    ctx: &Context,
    args: ActionArgs,
    action: &'static str,
    targets: &[State],
) -> Result<(), Failure> {
    let is_async = args.is_async.then_some(true);
    // Builds the action's request (shown by --dry-run), then resolves a name and calls it.
    macro_rules! run {
        ($method:ident, $builder:ident, $params:ident $(, $body:expr)?) => {{
            let params = operations::$params { is_async };
            let request = Client::$builder(&args.id, $($body,)? &params)?;
            if ctx.dry_run(Service::PowerStore, &request)? {
                return Ok(());
            }
            let client = ctx.powerstore()?;
            let id = resolve(&client, &args.id).await?;
            let job = client.$method(&id, $($body,)? &params).await?.into_body();
            (client, id, job)
        }};
    }
    let (client, id, job) = match action {
        "cutover" => run!(
            import_session_cutover,
            import_session_cutover_request,
            ImportSessionCutoverParams
        ),
        "pause" => run!(
            import_session_pause,
            import_session_pause_request,
            ImportSessionPauseParams
        ),
        "resume" => run!(
            import_session_resume,
            import_session_resume_request,
            ImportSessionResumeParams
        ),
        "start_copy" => run!(
            import_session_start_copy,
            import_session_start_copy_request,
            ImportSessionStartCopyParams
        ),
        "cleanup" => run!(
            import_session_cleanup,
            import_session_cleanup_request,
            ImportSessionCleanupParams
        ),
        _ => run!(
            import_session_enable_destination_volume,
            import_session_enable_destination_volume_request,
            ImportSessionEnableDestinationVolumeParams,
            &serde_json::json!({})
        ),
    };
    finish_action(
        ctx,
        &client,
        &id,
        action,
        job,
        args.wait,
        args.is_async,
        targets,
    )
    .await
}

/// After an action: waits for its job (202) unless --async was given without --wait, and with
/// --wait for the session to reach one of `targets`.
#[allow(clippy::too_many_arguments)]
async fn finish_action(
    ctx: &Context,
    client: &Client,
    id: &str,
    action: &str,
    job: Option<JobResponse>,
    wait: bool,
    is_async: bool,
    targets: &[State],
) -> Result<(), Failure> {
    let job_id = job.and_then(|j| j.id);
    if let Some(job_id) = &job_id {
        if wait || !is_async {
            wait_job(ctx, client, job_id).await?;
        }
    }
    if wait {
        let session = wait_session(ctx, client, id, targets).await?;
        ctx.printer.one(&session)
    } else {
        ctx.printer.one(&serde_json::json!({
            "id": id,
            "action": action,
            "job_id": job_id,
        }))
    }
}

/// Waits for session `id` to reach one of `targets`, showing progress.
pub async fn wait_session(
    ctx: &Context,
    client: &Client,
    id: &str,
    targets: &[State],
) -> Result<ImportSessionInstance, Failure> {
    let mut until: Vec<&str> = Vec::new();
    for target in targets {
        until.extend(["--until", target.as_wire()]);
    }
    let mut args = vec!["import-session", "wait", id];
    args.extend(until);
    let resume = ctx.resume_command(&args);
    let mut reporter = Reporter::new(&format!("import session {id}"));
    let waited = interruptible(
        ext::wait_for_import_session(client, id, targets, ctx.wait_options(), |p| {
            reporter.update(p)
        }),
        resume,
    )
    .await?;
    drop(reporter);
    match waited {
        Ok(_) => get(client, id).await,
        Err(ext::SessionError::Failed(failure)) => {
            Err(Failure::new(Code::Failed, failure.to_string()))
        }
        Err(ext::SessionError::Wait(e)) => Err(e.into()),
    }
}

/// One line of a plan's summary.
#[derive(Debug, Serialize)]
struct PlanResult {
    name: String,
    id: Option<String>,
    result: String,
    state: Option<String>,
}

async fn apply(ctx: &Context, plan: &Path, concurrency: usize, wait: bool) -> Result<(), Failure> {
    let entries = crate::plan::read(plan)?;
    for (i, entry) in entries.iter().enumerate() {
        entry
            .validate()
            .map_err(|e| Failure::usage(format!("plan entry {} ({}): {e}", i + 1, entry.name)))?;
    }
    if ctx.is_dry_run() {
        let params = operations::ImportSessionCreateParams::default();
        for entry in &entries {
            ctx.dry_run(
                Service::PowerStore,
                &Client::import_session_create_request(entry, &params)?,
            )?;
        }
        return Ok(());
    }
    let client = ctx.powerstore()?;
    let results: Vec<PlanResult> = stream::iter(entries)
        .map(|entry| apply_one(ctx, &client, entry, wait))
        .buffered(concurrency)
        .collect()
        .await;
    ctx.printer
        .list(&results, &["name", "id", "result", "state"])?;
    let failed = results
        .iter()
        .filter(|r| r.result.starts_with("failed"))
        .count();
    if failed > 0 {
        return Err(Failure::new(
            Code::Failed,
            format!("{failed} of {} plan entries failed", results.len()),
        ));
    }
    Ok(())
}

async fn apply_one(
    ctx: &Context,
    client: &Client,
    entry: ImportSessionCreate,
    wait: bool,
) -> PlanResult {
    let name = entry.name.clone();
    let outcome = async {
        if let Some(existing) = ext::find_import_session_by_name(client, &name).await? {
            let state = existing.state.as_ref().map(|s| s.as_wire().to_string());
            return Ok::<_, Failure>((existing.id, "exists".to_string(), state));
        }
        let id = create_one(ctx, client, &entry, false).await?;
        if wait {
            let session = wait_session(ctx, client, &id, SETTLED).await?;
            let state = session.state.as_ref().map(|s| s.as_wire().to_string());
            return Ok((Some(id), "created".to_string(), state));
        }
        Ok((Some(id), "created".to_string(), None))
    }
    .await;
    match outcome {
        Ok((id, result, state)) => PlanResult {
            name,
            id,
            result,
            state,
        },
        Err(failure) => PlanResult {
            name,
            id: None,
            result: format!("failed: {failure}"),
            state: None,
        },
    }
}
