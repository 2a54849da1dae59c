//! `migrate vipr ...`: volume-group full copies and the tasks that carry them out.

use clap::Subcommand;
use migrate_clients::ext::vipr::{self as ext, TaskOutcome, TaskResult};
use migrate_clients::vipr::types::Task;
use migrate_clients::vipr::{self, Client};

use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::input::{self, flag_error};
use crate::service::VIPR;
use crate::wait::Watch;

/// `migrate vipr ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Volume-group full copies.
    #[command(subcommand)]
    FullCopy(FullCopy),
    /// Tasks.
    #[command(subcommand)]
    Task(TaskCommand),
}

/// `migrate vipr full-copy ...`
#[derive(Debug, Subcommand)]
pub enum FullCopy {
    /// Create full copies of a volume group.
    #[command(
        after_help = CREATE_EXAMPLES,
        mut_arg("volumes", |a| a.visible_alias("volume")),
        mut_arg("subgroups", |a| a.visible_alias("subgroup")),
        mut_arg("varray_id", |a| a.visible_alias("varray")),
        mut_arg("vpool_id", |a| a.visible_alias("vpool")),
    )]
    Create {
        /// Volume group URN.
        #[arg(value_parser = input::text)]
        volume_group_urn: String,
        /// The copy's settings.
        #[command(flatten)]
        body: vipr::cli::CreateVolumeGroupFullCopyArgs,
        /// Wait for every task to stop.
        #[arg(long)]
        wait: bool,
    },
}

/// `migrate vipr task ...`
#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Show one task.
    #[command(after_help = TASK_GET_EXAMPLES)]
    Get {
        /// Task URN.
        #[arg(value_parser = input::text)]
        task_urn: String,
    },
    /// Wait for tasks to stop.
    #[command(after_help = TASK_WAIT_EXAMPLES)]
    Wait {
        /// Task URNs.
        #[arg(required = true, value_parser = input::text)]
        task_urn: Vec<String>,
    },
}

/// What the generated builders call the arguments of this module.
const NAMES: &[(&str, &str)] = &[("id", "the URN")];

/// Columns of the task table, and the ones `-o wide` adds.
const COLUMNS: &[&str] = &["id", "name", "state", "progress", "message"];
const WIDE: &[&str] = &["start_time", "end_time", "resource", "description"];

const CREATE_EXAMPLES: &str = "\
Examples:
  migrate vipr full-copy create urn:storageos:VolumeGroup:9d8c7b6a-5f4e-4d3c-8b2a-1a0f9e8d7c6b:vdc1 \\
    --name copy1 --wait
  migrate vipr full-copy create URN --name nightly --count 3 --create-inactive
  migrate vipr full-copy create URN --name copy1 --query \"[].id\" -o text   # the task URNs";

const TASK_GET_EXAMPLES: &str = "\
Examples:
  migrate vipr task get urn:storageos:Task:2b1c0d9e-8f7a-4b6c-9d5e-4f3a2b1c0d9e:vdc1
  migrate vipr task get URN --query \"{state: state, started: start_time}\"";

const TASK_WAIT_EXAMPLES: &str = "\
Examples:
  migrate vipr task wait URN1 URN2
  migrate vipr full-copy create URN --name c1 --query \"[].id\" -o text | xargs migrate vipr task wait";

/// Runs one `vipr` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::FullCopy(FullCopy::Create {
            volume_group_urn,
            body,
            wait,
        }) => {
            let body = body.into_body();
            let request = Client::create_volume_group_full_copy_request(&volume_group_urn, &body)
                .map_err(|e| match e {
                // The path's URN is not a flag.
                migrate_runtime::Error::Validation(v) if v.field == "id" => {
                    input::invalid_flag(&v, NAMES)
                }
                other => input::body_error::<vipr::cli::CreateVolumeGroupFullCopyArgs, _>()(other),
            })?;
            ctx.send(&VIPR, &request, async |client| {
                let tasks = client
                    .create_volume_group_full_copy(&volume_group_urn, &body)
                    .await?
                    .into_body()
                    .task
                    .unwrap_or_default();
                if !wait {
                    return ctx.printer.list(&tasks, COLUMNS, WIDE);
                }
                let ids: Vec<String> = tasks.iter().filter_map(|t| t.id.clone()).collect();
                wait_tasks(ctx, client, &ids).await
            })
            .await
        }
        Command::Task(TaskCommand::Get { task_urn }) => {
            let request = Client::get_task_request(&task_urn).map_err(flag_error(NAMES))?;
            ctx.send(&VIPR, &request, async |client| {
                let task = client.get_task(&task_urn).await?.into_body();
                ctx.printer.one(&task)
            })
            .await
        }
        Command::Task(TaskCommand::Wait { task_urn }) => {
            // Every URN is checked by the poll's builder before anything is sent; a dry run
            // shows each poll.
            let polls = task_urn
                .iter()
                .map(|urn| Client::get_task_request(urn).map_err(flag_error(NAMES)))
                .collect::<Result<Vec<_>, _>>()?;
            if ctx.is_dry_run() {
                for poll in &polls {
                    ctx.show(&VIPR, poll)?;
                }
                return Ok(());
            }
            let client = ctx.connect(&VIPR)?;
            wait_tasks(ctx, &client, &task_urn).await
        }
    }
}

/// Waits for every task and prints them; when any did not end ready, fails with code 4, and the
/// tasks go into the record of the wait instead. A wait that ends without success carries the
/// command that resumes it.
async fn wait_tasks(ctx: &Context, client: &Client, ids: &[String]) -> Result<(), Failure> {
    let mut args = vec!["vipr", "task", "wait"];
    args.extend(ids.iter().map(String::as_str));
    let what = match ids {
        [one] => format!("ViPR task {one}"),
        _ => format!("{} ViPR tasks", ids.len()),
    };
    let watch = Watch::new(ctx, what, &args).id("task_ids", ids);
    let results = watch
        .run(async {
            ext::wait_for_tasks(client, ids, ctx.wait_options(), watch.progress())
                .await
                .map_err(Failure::from)
        })
        .await?;
    let tasks: Vec<&Task> = results.iter().map(|r| &r.task).collect();
    let failed: Vec<String> = results.iter().filter_map(failure).collect();
    if failed.is_empty() {
        return ctx.printer.list(&tasks, COLUMNS, WIDE);
    }
    watch.keep(&tasks);
    Err(watch.stopped(Failure::new(Code::Failed, failed.join("\n"))))
}

/// Why a task did not end ready, or `None` when it did.
fn failure(result: &TaskResult) -> Option<String> {
    match &result.outcome {
        TaskOutcome::Ready => None,
        TaskOutcome::Failed(error) => {
            let why = error
                .as_ref()
                .map(|e| {
                    format!(
                        "{} (code {}): {}",
                        e.description.as_deref().unwrap_or("error"),
                        e.code.map_or("?".to_string(), |c| c.to_string()),
                        e.details.as_deref().unwrap_or("")
                    )
                })
                .unwrap_or_else(|| "no details".to_string());
            Some(format!("task {} failed: {why}", result.id))
        }
        TaskOutcome::NeedsOperator { with_error } => Some(format!(
            "task {} is suspended{} and needs an operator",
            result.id,
            if *with_error { " with an error" } else { "" }
        )),
    }
}
