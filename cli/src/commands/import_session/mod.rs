//! `migrate import-session ...`: create, query, act on and wait for PowerStore import
//! sessions, and apply a bulk plan.

mod apply;
mod lifecycle;

use std::path::PathBuf;

use clap::{Args, Subcommand};
use migrate_clients::ext::powerstore as ext;
use migrate_clients::powerstore::operations::{
    ImportSessionCollectionQueryParams, ImportSessionCreateResponse,
    ImportSessionInstanceQueryParams,
};
use migrate_clients::powerstore::types::{
    ImportSessionCreate, ImportSessionInstance, ImportSessionStateEnum as State, JobResponse,
};
use migrate_clients::powerstore::{self as powerstore, operations, Client};
use migrate_runtime::StringEnum;

use crate::commands::job::wait_job;
use crate::commands::{list_items, ListArgs};
use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::input::{self, flag_error};
use crate::service::POWERSTORE;
use crate::wait::Watch;

use lifecycle::{Action, SETTLED};

/// `migrate import-session ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an import session.
    Create {
        /// The session's settings.
        #[command(flatten)]
        body: powerstore::cli::ImportSessionCreateArgs,
        /// Wait until the session is ready for cutover, completed, or waits for an operator.
        #[arg(long)]
        wait: bool,
        /// Run the create as a job (is_async=true) and print the job id; with --wait, wait for
        /// the job, then for the session.
        #[arg(long = "async")]
        is_async: bool,
    },
    /// List import sessions.
    List(ListArgs),
    /// Show one import session.
    Get {
        /// Session id, or name:NAME.
        #[arg(value_parser = input::id)]
        id: String,
    },
    /// Reschedule a session.
    Modify {
        /// Session id, or name:NAME.
        #[arg(value_parser = input::id)]
        id: String,
        /// The new schedule.
        #[command(flatten)]
        body: powerstore::cli::ImportSessionModifyArgs,
        /// Run the change as a job (is_async=true) and print the job id.
        #[arg(long = "async")]
        is_async: bool,
    },
    /// Delete the record of a finished session.
    Delete {
        /// Session id, or name:NAME.
        #[arg(value_parser = input::id)]
        id: String,
        /// Run the delete as a job (is_async=true) and print the job id.
        #[arg(long = "async")]
        is_async: bool,
    },
    /// Commit a session in Ready_For_Cutover.
    Cutover(ActionArgs),
    /// Cancel a session and roll it back.
    Cancel {
        /// The session.
        #[command(flatten)]
        action: ActionArgs,
        /// Cancel options.
        #[command(flatten)]
        body: powerstore::cli::ImportSessionCancelArgs,
    },
    /// Pause the background copy.
    Pause(ActionArgs),
    /// Resume a paused copy.
    Resume(ActionArgs),
    /// Start the copy of an agentless import.
    StartCopy(ActionArgs),
    /// Enable the destination volume of an agentless import.
    EnableDestinationVolume(ActionArgs),
    /// Clean up a session in Cleanup_Required.
    Cleanup(ActionArgs),
    /// Wait for a session to reach a state.
    Wait {
        /// Session id, or name:NAME.
        #[arg(value_parser = input::id)]
        id: String,
        /// States that end the wait (default: ready for cutover, completed, or waiting for an
        /// operator).
        #[arg(long, value_name = "STATE", value_parser = input::text)]
        until: Vec<String>,
    },
    /// Create the sessions of a plan (YAML list or CSV with a header), skipping names that
    /// already exist, so a rerun finishes the plan without duplicates. The whole plan is
    /// checked before the first session is created.
    Apply {
        /// PLAN.yaml or PLAN.csv.
        plan: PathBuf,
        /// Sessions created at the same time.
        #[arg(long, default_value_t = 4, value_parser = input::integer(1u16, Some(64)))]
        concurrency: u16,
        /// Wait for every created session.
        #[arg(long)]
        wait: bool,
    },
}

/// A session action.
#[derive(Debug, Args)]
pub struct ActionArgs {
    /// Session id, or name:NAME.
    #[arg(value_parser = input::id)]
    pub id: String,
    /// Wait until the action has taken effect.
    #[arg(long)]
    pub wait: bool,
    /// Run the action as a job (is_async=true) and print the job id; with --wait, wait for the
    /// job, then for the session.
    #[arg(long = "async")]
    pub is_async: bool,
}

/// Columns of the session table.
const COLUMNS: &[&str] = &["id", "name", "state", "progress_percentage", "type"];

/// Runs one `import-session` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Create {
            body,
            wait,
            is_async,
        } => create(ctx, body.into_body(), wait, is_async).await,
        Command::List(args) => list(ctx, args).await,
        Command::Get { id } => {
            let params = ImportSessionInstanceQueryParams::default();
            let request = Client::import_session_instance_query_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let session = get(client, &id).await?;
                ctx.printer.one(&session)
            })
            .await
        }
        Command::Modify { id, body, is_async } => {
            let body = body.into_body();
            input::some_change::<powerstore::cli::ImportSessionModifyArgs, _>(&body)?;
            let params = operations::ImportSessionModifyParams {
                is_async: is_async.then_some(true),
            };
            let request = Client::import_session_modify_request(&id, &body, &params).map_err(
                input::body_error::<powerstore::cli::ImportSessionModifyArgs, _>(),
            )?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let id = resolve(client, &id).await?;
                let job = client
                    .import_session_modify(&id, &body, &params)
                    .await?
                    .into_body();
                finish_action(ctx, client, &id, "modify", job, false, is_async, &[]).await
            })
            .await
        }
        Command::Delete { id, is_async } => {
            let params = operations::ImportSessionDeleteParams {
                is_async: is_async.then_some(true),
            };
            let request = Client::import_session_delete_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let id = resolve(client, &id).await?;
                let job = client
                    .import_session_delete(&id, &params)
                    .await?
                    .into_body();
                finish_action(ctx, client, &id, "delete", job, false, is_async, &[]).await
            })
            .await
        }
        Command::Cutover(args) => action(ctx, args, Action::Cutover).await,
        Command::Cancel { action: args, body } => {
            action(ctx, args, Action::Cancel(body.into_body())).await
        }
        Command::Pause(args) => action(ctx, args, Action::Pause).await,
        Command::Resume(args) => action(ctx, args, Action::Resume).await,
        Command::StartCopy(args) => action(ctx, args, Action::StartCopy).await,
        Command::EnableDestinationVolume(args) => {
            action(ctx, args, Action::EnableDestinationVolume).await
        }
        Command::Cleanup(args) => action(ctx, args, Action::Cleanup).await,
        Command::Wait { id, until } => {
            let targets: Vec<State> = if until.is_empty() {
                SETTLED.to_vec()
            } else {
                until.into_iter().map(State::from_wire).collect()
            };
            if let Some(unknown) = targets.iter().find(|s| !s.is_known()) {
                return Err(Failure::usage(format!(
                    "--until {unknown}: not a session state; states: {}",
                    State::VALUES.join(", ")
                )));
            }
            // A dry run shows the status poll.
            let params = ImportSessionInstanceQueryParams::default();
            let request = Client::import_session_instance_query_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let id = resolve(client, &id).await?;
                let session = wait_session(ctx, client, &id, &targets).await?;
                ctx.printer.one(&session)
            })
            .await
        }
        Command::Apply {
            plan,
            concurrency,
            wait,
        } => apply::apply(ctx, &plan, usize::from(concurrency), wait).await,
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
    let request =
        Client::import_session_create_request(&body, &params).map_err(input::body_error::<
            powerstore::cli::ImportSessionCreateArgs,
            _,
        >())?;
    ctx.send(&POWERSTORE, &request, async |client| {
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
        let id = create_one(ctx, client, &body, is_async).await?;
        if wait {
            let session = wait_session(ctx, client, &id, SETTLED).await?;
            return ctx.printer.one(&session);
        }
        ctx.printer.one(&serde_json::json!({ "id": id }))
    })
    .await
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
    let request =
        Client::import_session_collection_query_request(&params).map_err(flag_error(&[]))?;
    ctx.send(&POWERSTORE, &request, async |client| {
        let sessions: Vec<ImportSessionInstance> = list_items(
            args.all,
            || client.import_session_collection_query_stream(&params),
            || client.import_session_collection_query(&params),
        )
        .await?;
        ctx.printer.list(&sessions, &args.columns(COLUMNS))
    })
    .await
}

/// Query parameters from the list flags.
fn query_params(args: &ListArgs) -> Result<ImportSessionCollectionQueryParams, Failure> {
    Ok(ImportSessionCollectionQueryParams {
        select: args.select_param(),
        order: args.order.clone(),
        limit: args.limit,
        filter: args.filters()?,
        ..ImportSessionCollectionQueryParams::default()
    })
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

/// Runs `action` on the session of `args`: its request is shown by --dry-run; the real run
/// resolves a name, sends it and follows up as [`finish_action`] says.
async fn action(ctx: &Context, args: ActionArgs, action: Action) -> Result<(), Failure> {
    let request = action.request(&args.id, args.is_async)?;
    ctx.send(&POWERSTORE, &request, async |client| {
        let id = resolve(client, &args.id).await?;
        let job = action.send(client, &id, args.is_async).await?;
        finish_action(
            ctx,
            client,
            &id,
            action.name(),
            job,
            args.wait,
            args.is_async,
            action.reached(),
        )
        .await
    })
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

/// Waits for session `id` to reach one of `targets`, showing progress. A wait that ends
/// without success carries the command that resumes it.
pub async fn wait_session(
    ctx: &Context,
    client: &Client,
    id: &str,
    targets: &[State],
) -> Result<ImportSessionInstance, Failure> {
    let mut args = vec!["import-session", "wait", id];
    for target in targets {
        args.extend(["--until", target.as_wire()]);
    }
    let watch = Watch::new(ctx, format!("import session {id}"), &args).id("session_id", id);
    watch
        .run(async {
            ext::wait_for_import_session(client, id, targets, ctx.wait_options(), watch.progress())
                .await
                .map_err(|error| match error {
                    ext::SessionError::Failed(failure) => {
                        watch.keep(&failure.session);
                        Failure::new(Code::Failed, failure.to_string())
                    }
                    unreachable @ ext::SessionError::Unreachable(..) => {
                        Failure::new(Code::Failed, unreachable.to_string())
                    }
                    ext::SessionError::Wait(e) => e.into(),
                })
        })
        .await?;
    get(client, id).await
}
