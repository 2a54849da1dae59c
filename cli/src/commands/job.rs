//! `migrate job get|wait`: PowerStore jobs, which carry asynchronous (202) requests.

use clap::Subcommand;
use migrate_clients::ext::powerstore::{self as ext, JobError, JobOutcome};
use migrate_clients::powerstore::operations::JobInstanceQueryParams;
use migrate_clients::powerstore::Client;

use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::input;
use crate::service::POWERSTORE;
use crate::wait::{interruptible, Reporter};

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
/// job's messages.
pub async fn wait_job(ctx: &Context, client: &Client, id: &str) -> Result<JobOutcome, Failure> {
    let resume = ctx.resume_command(&["job", "wait", id]);
    let mut reporter = Reporter::new(&format!("job {id}"));
    let waited = interruptible(
        ext::wait_for_job(client, id, ctx.wait_options(), |p| reporter.update(p)),
        resume,
    )
    .await?;
    drop(reporter);
    match waited {
        Ok(done) => Ok(done),
        Err(JobError::Failed(failure)) => Err(Failure::new(Code::Failed, failure.to_string())),
        Err(JobError::Wait(e)) => Err(e.into()),
    }
}
