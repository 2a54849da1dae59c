//! `migrate job list|get|wait`: PowerStore jobs, which carry asynchronous (202) requests.

use clap::builder::PossibleValuesParser;
use clap::{Args, Subcommand};
use migrate_clients::powerstore::operations::{JobCollectionQueryParams, JobInstanceQueryParams};
use migrate_clients::powerstore::types::{
    BaseResponse, JobInstance, JobPhaseEnum, ResourceTypeEnum,
};
use migrate_clients::powerstore::Client;
use migrate_runtime::waiter::{self, Finished};
use migrate_runtime::StringEnum;

use crate::commands::{list_items, say_more, ListArgs};
use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::input;
use crate::service::POWERSTORE;
use crate::wait::Watch;

/// `migrate job ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List jobs, newest first.
    #[command(after_help = LIST_EXAMPLES)]
    List(JobListArgs),
    /// Show one job.
    #[command(after_help = GET_EXAMPLES)]
    Get {
        /// Job id.
        #[arg(value_parser = input::text, add = crate::complete::jobs())]
        id: String,
    },
    /// Wait for a job to finish.
    #[command(after_help = WAIT_EXAMPLES)]
    Wait {
        /// Job id.
        #[arg(value_parser = input::text, add = crate::complete::jobs())]
        id: String,
    },
}

/// `migrate job list` options: a few filters by name, and the collection query flags.
#[derive(Debug, Args)]
pub struct JobListArgs {
    /// Only jobs in this phase (repeatable: any of them).
    #[arg(long, value_name = "PHASE", value_parser = PossibleValuesParser::new(JobPhaseEnum::VALUES))]
    pub phase: Vec<String>,
    /// Only jobs on this kind of resource, e.g. import_session.
    #[arg(long, value_name = "TYPE", value_parser = PossibleValuesParser::new(ResourceTypeEnum::VALUES), hide_possible_values = true)]
    pub resource_type: Option<String>,
    /// Only jobs on the resource with this id (e.g. an import session's).
    #[arg(long, value_name = "ID", value_parser = input::text)]
    pub resource_id: Option<String>,
    /// The collection query flags.
    #[command(flatten)]
    pub list: ListArgs,
}

const LIST_EXAMPLES: &str = "\
Examples:
  migrate job list --phase Failed
  migrate job list --resource-type import_session --phase In_Progress --phase Queued
  migrate job list --resource-id 2a3a0f0e-4c1f-4bb5-9b5e-1d7a1b2c3d4e --query \"[].[id,resource_action,phase]\"";

const GET_EXAMPLES: &str = "\
Examples:
  migrate job get 1b6df699-8a3e-4c5b-9d7e-0f1a2b3c4d5e
  migrate job get 1b6df699-8a3e-4c5b-9d7e-0f1a2b3c4d5e --query response_body.messages";

const WAIT_EXAMPLES: &str = "\
Examples:
  migrate job wait 1b6df699-8a3e-4c5b-9d7e-0f1a2b3c4d5e
  migrate --wait-timeout 600 job wait 1b6df699-8a3e-4c5b-9d7e-0f1a2b3c4d5e";

/// Columns of the job table, and the ones `-o wide` adds.
const COLUMNS: &[&str] = &[
    "id",
    "resource_type",
    "resource_action",
    "resource_name",
    "phase",
    "progress_percentage",
    "start_time",
];
const WIDE: &[&str] = &["end_time", "user", "resource_id", "response_status"];

/// Runs one `job` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    let params = JobInstanceQueryParams::default();
    match command {
        Command::List(args) => list(ctx, args).await,
        Command::Get { id } => {
            let request = Client::job_instance_query_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let job = client.job_instance_query(&id, &params).await?.into_body();
                ctx.printer.one(&job)
            })
            .await
        }
        Command::Wait { id } => {
            // A dry run shows the status poll.
            let request = Client::job_instance_query_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let done = wait_job(ctx, client, &id).await?;
                ctx.printer.one(&done.job)
            })
            .await
        }
    }
}

async fn list(ctx: &Context, args: JobListArgs) -> Result<(), Failure> {
    let mut filter = args.list.filters()?;
    match args.phase.as_slice() {
        [] => {}
        [one] => filter.push(("phase".to_string(), format!("eq.{one}"))),
        many => filter.push(("phase".to_string(), format!("in.({})", many.join(",")))),
    }
    if let Some(kind) = &args.resource_type {
        filter.push(("resource_type".to_string(), format!("eq.{kind}")));
    }
    if let Some(id) = &args.resource_id {
        filter.push(("resource_id".to_string(), format!("eq.{id}")));
    }
    let params = JobCollectionQueryParams {
        select: args.list.select_param(),
        order: Some(
            args.list
                .order
                .clone()
                .unwrap_or_else(|| "start_time.desc".to_string()),
        ),
        filter,
        ..JobCollectionQueryParams::default()
    };
    let request = args
        .list
        .first_request(&params, Client::job_collection_query_request)?;
    ctx.send(&POWERSTORE, &request, async |client| {
        let listed = list_items(
            &args.list,
            |limit| {
                let params = JobCollectionQueryParams {
                    limit,
                    ..params.clone()
                };
                async move { client.job_collection_query(&params).await }
            },
            |page_size| {
                let params = JobCollectionQueryParams {
                    limit: Some(page_size),
                    ..params.clone()
                };
                client.job_collection_query_stream(&params)
            },
        )
        .await?;
        ctx.printer.list(
            &listed.items,
            &args.list.columns(COLUMNS),
            args.list.wide(WIDE),
        )?;
        say_more(ctx, listed.items.len(), listed.total, false, "jobs");
        Ok(())
    })
    .await
}

/// How a job that did not fail ended.
pub struct JobDone {
    /// The job as last seen.
    pub job: JobInstance,
    /// The id a create job made (its `job_create_response`), if any.
    pub created_id: Option<String>,
}

/// Waits for job `id` to finish with the spec's `job_done` waiter, showing progress; a failed
/// job is exit code 4 with the job's messages. A wait that ends without success carries the
/// command that resumes it.
pub async fn wait_job(ctx: &Context, client: &Client, id: &str) -> Result<JobDone, Failure> {
    let watch = Watch::new(ctx, format!("job {id}"), &["job", "wait", id]).id("job_id", id);
    let params = JobInstanceQueryParams::default();
    let finished = watch
        .run(async {
            client
                .wait_until_job_done(id, &params, Some(ctx.wait_options()), watch.progress())
                .await
                .map_err(Failure::from)
        })
        .await?;
    match finished {
        Finished::Done(job) => Ok(JobDone {
            created_id: match &job.response_body {
                Some(BaseResponse::JobCreateResponse(created)) => created.id.clone(),
                _ => None,
            },
            job,
        }),
        Finished::Failed(failure) => {
            watch.keep(&failure.last);
            Err(watch.stopped(Failure::new(Code::Failed, job_failed(id, &failure))))
        }
    }
}

/// `job ID ended PHASE (status 422): [code] severity: message`.
fn job_failed(id: &str, failure: &waiter::Failure<JobInstance>) -> String {
    let mut text = format!(
        "job {} ended {}",
        failure.last.id.as_deref().unwrap_or(id),
        failure.state
    );
    if let Some(status) = &failure.last.response_status {
        text.push_str(&format!(" (status {status})"));
    }
    for message in &failure.messages {
        text.push_str(&format!(": {message}"));
    }
    text
}
