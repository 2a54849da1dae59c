//! `migrate job get|wait`: PowerStore jobs, which carry asynchronous (202) requests.

use clap::Subcommand;
use migrate_clients::ext::powerstore::{self as ext, JobError, JobOutcome};
use migrate_clients::powerstore::operations::JobInstanceQueryParams;
use migrate_clients::powerstore::Client;

use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::input;
use crate::service::POWERSTORE;
use crate::wait::Watch;

/// `migrate job ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show one job.
    Get {
        /// Job id.
        #[arg(value_parser = input::text)]
        id: String,
    },
    /// Wait for a job to finish.
    Wait {
        /// Job id.
        #[arg(value_parser = input::text)]
        id: String,
    },
}

/// Runs one `job` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    let params = JobInstanceQueryParams::default();
    match command {
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

/// Waits for job `id` to finish, showing progress; a failed job is exit code 4 with the
/// job's messages. A wait that ends without success carries the command that resumes it.
pub async fn wait_job(ctx: &Context, client: &Client, id: &str) -> Result<JobOutcome, Failure> {
    let watch = Watch::new(ctx, format!("job {id}"), &["job", "wait", id]).id("job_id", id);
    watch
        .run(async {
            ext::wait_for_job(client, id, ctx.wait_options(), watch.progress())
                .await
                .map_err(|error| match error {
                    JobError::Failed(failure) => {
                        watch.keep(&failure.job);
                        Failure::new(Code::Failed, failure.to_string())
                    }
                    JobError::Wait(e) => e.into(),
                })
        })
        .await
}
