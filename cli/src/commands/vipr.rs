//! `migrate vipr ...`: volume-group full copies and the tasks that carry them out.

use migrate_clients::ext::vipr::{self as ext, TaskOutcome, TaskResult};
use migrate_clients::vipr::types::Task;
use migrate_clients::vipr::Client;

use crate::cli::{FullCopy, Task as TaskCommand, Vipr};
use crate::context::{Context, Service};
use crate::exit::{Code, Failure};
use crate::wait::{interruptible, Reporter};

/// Columns of the task table.
const COLUMNS: &[&str] = &["id", "name", "state", "progress", "message"];

/// Runs one `vipr` command.
pub async fn run(ctx: &Context, command: Vipr) -> Result<(), Failure> {
    match command {
        Vipr::FullCopy(FullCopy::Create {
            volume_group_urn,
            body,
            wait,
        }) => {
            let body = body.into_body();
            let request = Client::create_volume_group_full_copy_request(&volume_group_urn, &body)?;
            if ctx.dry_run(Service::Vipr, &request)? {
                return Ok(());
            }
            let client = ctx.vipr()?;
            let tasks = client
                .create_volume_group_full_copy(&volume_group_urn, &body)
                .await?
                .into_body()
                .task
                .unwrap_or_default();
            if !wait {
                return ctx.printer.list(&tasks, COLUMNS);
            }
            let ids: Vec<String> = tasks.iter().filter_map(|t| t.id.clone()).collect();
            wait_tasks(ctx, &client, &ids).await
        }
        Vipr::Task(TaskCommand::Get { task_urn }) => {
            if ctx.dry_run(Service::Vipr, &Client::get_task_request(&task_urn)?)? {
                return Ok(());
            }
            let client = ctx.vipr()?;
            let task = client.get_task(&task_urn).await?.into_body();
            ctx.printer.one(&task)
        }
        Vipr::Task(TaskCommand::Wait { task_urn }) => {
            let client = ctx.vipr()?;
            wait_tasks(ctx, &client, &task_urn).await
        }
    }
}

/// Waits for every task, prints them, and fails with code 4 when any did not end ready.
async fn wait_tasks(ctx: &Context, client: &Client, ids: &[String]) -> Result<(), Failure> {
    let mut args = vec!["vipr", "task", "wait"];
    args.extend(ids.iter().map(String::as_str));
    let resume = ctx.resume_command(&args);
    let mut reporter = Reporter::new(&format!("{} task(s)", ids.len()));
    let waited = interruptible(
        ext::wait_for_tasks(client, ids, ctx.wait_options(), |p| reporter.update(p)),
        resume,
    )
    .await?;
    drop(reporter);
    let results = waited?;
    let tasks: Vec<&Task> = results.iter().map(|r| &r.task).collect();
    ctx.printer.list(&tasks, COLUMNS)?;
    let failed: Vec<String> = results.iter().filter_map(failure).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(Code::Failed, failed.join("\n")))
    }
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
