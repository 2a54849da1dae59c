//! `migrate import-session ...`: create, query, act on and wait for PowerStore import
//! sessions, watch many at once, and apply a bulk plan.

mod apply;
mod lifecycle;
mod watch;

use std::path::PathBuf;

use clap::{Args, Subcommand};
use migrate_clients::powerstore::operations::{
    ImportSessionCollectionQueryParams, ImportSessionCreateResponse,
    ImportSessionInstanceQueryParams,
};
use migrate_clients::powerstore::types::{
    ImportSessionCreate, ImportSessionInstance, ImportSessionStateEnum as State, JobResponse,
};
use migrate_clients::powerstore::{self as powerstore, operations, Client};
use migrate_runtime::waiter::{self, Finished};
use migrate_runtime::StringEnum;

use crate::commands::job::wait_job;
use crate::commands::{list_items, resolve as resolve_name, say_more, ListArgs};
use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::input;
use crate::service::POWERSTORE;
use crate::wait::Watch;

use lifecycle::{Action, SETTLED};

/// `migrate import-session ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an import session.
    #[command(after_help = CREATE_EXAMPLES)]
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
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// Show one import session.
    #[command(after_help = GET_EXAMPLES)]
    Get {
        /// Session id, or name:NAME.
        #[arg(value_parser = input::id, add = crate::complete::import_sessions())]
        id: String,
    },
    /// Watch many sessions at once until all are settled (exit 4 if any failed).
    #[command(after_help = WATCH_EXAMPLES)]
    Watch(watch::WatchArgs),
    /// Reschedule a session.
    #[command(after_help = MODIFY_EXAMPLES)]
    Modify {
        /// Session id, or name:NAME.
        #[arg(value_parser = input::id, add = crate::complete::import_sessions())]
        id: String,
        /// The new schedule.
        #[command(flatten)]
        body: powerstore::cli::ImportSessionModifyArgs,
        /// Run the change as a job (is_async=true) and print the job id.
        #[arg(long = "async")]
        is_async: bool,
    },
    /// Delete the record of a finished session.
    #[command(after_help = DELETE_EXAMPLES)]
    Delete {
        /// Session id, or name:NAME.
        #[arg(value_parser = input::id, add = crate::complete::import_sessions())]
        id: String,
        /// Run the delete as a job (is_async=true) and print the job id.
        #[arg(long = "async")]
        is_async: bool,
    },
    /// Commit a session in Ready_For_Cutover.
    #[command(after_help = CUTOVER_EXAMPLES)]
    Cutover(ActionArgs),
    /// Cancel a session and roll it back.
    #[command(after_help = CANCEL_EXAMPLES)]
    Cancel {
        /// The session.
        #[command(flatten)]
        action: ActionArgs,
        /// Cancel options.
        #[command(flatten)]
        body: powerstore::cli::ImportSessionCancelArgs,
    },
    /// Pause the background copy.
    #[command(after_help = PAUSE_EXAMPLES)]
    Pause(ActionArgs),
    /// Resume a paused copy.
    #[command(after_help = RESUME_EXAMPLES)]
    Resume(ActionArgs),
    /// Start the copy of an agentless import.
    #[command(after_help = START_COPY_EXAMPLES)]
    StartCopy(ActionArgs),
    /// Enable the destination volume of an agentless import.
    #[command(after_help = ENABLE_EXAMPLES)]
    EnableDestinationVolume(ActionArgs),
    /// Clean up a session in Cleanup_Required.
    #[command(after_help = CLEANUP_EXAMPLES)]
    Cleanup(ActionArgs),
    /// Wait for a session to reach a state.
    #[command(after_help = WAIT_EXAMPLES)]
    Wait {
        /// Session id, or name:NAME.
        #[arg(value_parser = input::id, add = crate::complete::import_sessions())]
        id: String,
        /// States that end the wait (default: ready for cutover, completed, or waiting for an
        /// operator).
        #[arg(long, value_name = "STATE", value_parser = input::text)]
        until: Vec<String>,
    },
    /// Create the sessions of a plan (YAML list or CSV with a header), skipping names that
    /// already exist, so a rerun finishes the plan without duplicates. The whole plan is
    /// checked before the first session is created.
    #[command(after_help = APPLY_EXAMPLES)]
    Apply {
        /// PLAN.yaml or PLAN.csv.
        plan: PathBuf,
        /// Sessions created at the same time.
        #[arg(long, default_value_t = 4, value_parser = input::integer(1u16, Some(64)))]
        concurrency: u16,
        /// Wait until every session of the plan is settled, in the view of `watch`.
        #[arg(long)]
        wait: bool,
    },
}

/// A session action.
#[derive(Debug, Args)]
pub struct ActionArgs {
    /// Session id, or name:NAME.
    #[arg(value_parser = input::id, add = crate::complete::import_sessions())]
    pub id: String,
    /// Wait until the action has taken effect.
    #[arg(long)]
    pub wait: bool,
    /// Run the action as a job (is_async=true) and print the job id; with --wait, wait for the
    /// job, then for the session.
    #[arg(long = "async")]
    pub is_async: bool,
}

/// Columns of the session table, and the ones `-o wide` adds.
const COLUMNS: &[&str] = &["id", "name", "state", "progress_percentage"];
const WIDE: &[&str] = &[
    "type",
    "current_transfer_rate",
    "estimated_completion_timestamp",
    "remote_system_id",
    "source_resource_id",
    "last_update_timestamp",
];

const CREATE_EXAMPLES: &str = "\
Examples:
  migrate import-session create --name db01 --remote-system-id name:unity-src-01 \\
    --source-resource-id sv_101 --wait
  migrate import-session create --name db02 --remote-system-id name:unity-src-01 \\
    --source-resource-id sv_102 --automatic-cutover --scheduled-timestamp 2030-01-01T22:00:00Z
  migrate --dry-run import-session create --name db03 --remote-system-id rs1 --source-resource-id sv_103";

const LIST_EXAMPLES: &str = "\
Examples:
  migrate import-session list --filter state=eq.Failed --order name
  migrate import-session list --all --query \"[?progress_percentage < `50`].name\"
  migrate import-session list -o text | cut -f2,3        # name and state, tab-separated";

const GET_EXAMPLES: &str = "\
Examples:
  migrate import-session get name:db01
  migrate import-session get name:db01 --query \"{state: state, error: error.message_l10n}\"";

const WATCH_EXAMPLES: &str = "\
Examples:
  migrate import-session watch                                   # every session
  migrate import-session watch --filter name=ilike.db*
  migrate import-session watch --filter state=neq.Import_Completed 2>watch.log";

const MODIFY_EXAMPLES: &str = "\
Examples:
  migrate import-session modify name:db02 --scheduled-timestamp 2030-01-02T22:00:00Z
  migrate import-session modify name:db02 --scheduled-timestamp 2030-01-02T22:00:00Z --async";

const DELETE_EXAMPLES: &str = "\
Examples:
  migrate import-session delete name:db01
  migrate import-session delete name:db01 --async";

const CUTOVER_EXAMPLES: &str = "\
Examples:
  migrate import-session cutover name:db01 --wait
  migrate import-session cutover name:db01 --async        # prints the job id";

const CANCEL_EXAMPLES: &str = "\
Examples:
  migrate import-session cancel name:db01 --wait
  migrate import-session cancel name:db01 --force";

const PAUSE_EXAMPLES: &str = "\
Examples:
  migrate import-session pause name:db01 --wait
  migrate import-session list --filter state=eq.Paused";

const RESUME_EXAMPLES: &str = "\
Examples:
  migrate import-session resume name:db01 --wait";

const START_COPY_EXAMPLES: &str = "\
Examples:
  migrate import-session start-copy name:agentless01 --wait";

const ENABLE_EXAMPLES: &str = "\
Examples:
  migrate import-session enable-destination-volume name:agentless01 --wait
  migrate import-session start-copy name:agentless01 --wait";

const CLEANUP_EXAMPLES: &str = "\
Examples:
  migrate import-session list --filter state=eq.Cleanup_Required
  migrate import-session cleanup name:db01 --wait";

const WAIT_EXAMPLES: &str = "\
Examples:
  migrate import-session wait name:db01
  migrate import-session wait name:db01 --until Import_Completed
  migrate --wait-timeout 7200 import-session wait name:db01 --until Ready_For_Cutover";

const APPLY_EXAMPLES: &str = "\
Examples:
  migrate --dry-run import-session apply plan.yaml       # check the whole plan, send nothing
  migrate import-session apply plan.yaml --concurrency 8
  migrate import-session apply plan.csv --wait           # a rerun skips what exists";

/// Runs one `import-session` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Create {
            body,
            wait,
            is_async,
        } => create(ctx, body.into_body(), wait, is_async).await,
        Command::List(args) => list(ctx, args).await,
        Command::Watch(args) => watch::watch(ctx, args).await,
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
    let params = ImportSessionCollectionQueryParams {
        select: args.select_param(),
        order: args.order.clone(),
        filter: args.filters()?,
        ..ImportSessionCollectionQueryParams::default()
    };
    let request = args.first_request(&params, Client::import_session_collection_query_request)?;
    ctx.send(&POWERSTORE, &request, async |client| {
        let listed = list_items(
            &args,
            |limit| {
                let params = ImportSessionCollectionQueryParams {
                    limit,
                    ..params.clone()
                };
                async move { client.import_session_collection_query(&params).await }
            },
            |page_size| {
                let params = ImportSessionCollectionQueryParams {
                    limit: Some(page_size),
                    ..params.clone()
                };
                client.import_session_collection_query_stream(&params)
            },
        )
        .await?;
        ctx.printer
            .list(&listed.items, &args.columns(COLUMNS), args.wide(WIDE))?;
        say_more(
            ctx,
            listed.items.len(),
            listed.total,
            false,
            "import sessions",
        );
        Ok(())
    })
    .await
}

/// An id, or the id of the session named by `name:NAME`.
async fn resolve(client: &Client, id: &str) -> Result<String, Failure> {
    resolve_name(id, "import session", async |filter| {
        let params = ImportSessionCollectionQueryParams {
            select: Some("id,name".to_string()),
            filter,
            ..ImportSessionCollectionQueryParams::default()
        };
        client.import_session_collection_query(&params).await
    })
    .await
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

/// Waits for session `id` to reach one of `targets` (see [`lifecycle::until_rule`]), showing
/// progress. A wait that ends without success carries the command that resumes it.
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
    let success: Vec<&str> = targets.iter().map(State::as_wire).collect();
    let params = ImportSessionInstanceQueryParams::default();
    let poll = || client.import_session_instance_query(id, &params);
    let finished = watch
        .run(async {
            let rule = lifecycle::until_rule();
            waiter::declared_until(rule, &success, poll, ctx.wait_options(), watch.progress())
                .await
                .map_err(Failure::from)
        })
        .await?;
    let failure = match finished {
        Finished::Done(session) => return Ok(session),
        Finished::Failed(failure) => failure,
    };
    let name = failure.last.name.as_deref().unwrap_or(id);
    let message = if lifecycle::is_failure(&failure.state) {
        let mut text = format!("import session {name} is {}", failure.state);
        for message in &failure.messages {
            text.push_str(&format!(": {message}"));
        }
        watch.keep(&failure.last);
        text
    } else {
        format!(
            "import session {name} is {}, a final state: it will not reach {}",
            failure.state,
            success.join(" or ")
        )
    };
    Err(watch.stopped(Failure::new(Code::Failed, message)))
}
