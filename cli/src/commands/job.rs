//! `migrate job get|wait`: PowerStore jobs, which carry asynchronous (202) requests.

use migrate_clients::ext::powerstore::{self as ext, JobError, JobOutcome};
use migrate_clients::powerstore::operations::JobInstanceQueryParams;
use migrate_clients::powerstore::Client;

use crate::cli::Job;
use crate::context::{Context, Service};
use crate::exit::{Code, Failure};
use crate::wait::{interruptible, Reporter};

/// Runs one `job` command.
pub async fn run(ctx: &Context, command: Job) -> Result<(), Failure> {
    match command {
        Job::Get { id } => {
            let params = JobInstanceQueryParams::default();
            let request = Client::job_instance_query_request(&id, &params)?;
            if ctx.dry_run(Service::PowerStore, &request)? {
                return Ok(());
            }
            let client = ctx.powerstore()?;
            let job = client.job_instance_query(&id, &params).await?.into_body();
            ctx.printer.one(&job)
        }
        Job::Wait { id } => {
            let client = ctx.powerstore()?;
            let done = wait_job(ctx, &client, &id).await?;
            ctx.printer.one(&done.job)
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
