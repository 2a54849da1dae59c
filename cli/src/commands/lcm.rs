//! `migrate lcm ...`: Oracle EPM LCM snapshot imports, their status and their messages.
//!
//! LCM reports a job's state as a number (`-1` running, `0` succeeded, any positive value
//! failed); every answer about a job shows the job id and that number in words beside it.
//! The users' password for `--import-users` comes from stdin or a named environment
//! variable, never from a flag value, and travels only inside the request. Every command
//! logs in with Basic (user and password), or with an OAuth 2.0 bearer token from
//! `MIGRATE_TOKEN` or `--token-stdin` when one is given (see `service.rs`).

use clap::{Args, Subcommand, ValueEnum};
use migrate_clients::ext::lcm::{self as ext, ImportError, Started};
use migrate_clients::lcm::operations::GetMigrationDetailsParams;
use migrate_clients::lcm::types::{
    ImportQuery, ImportQueryType, MessageType, MigrationDetailItem, MigrationJobResponse,
};
use migrate_clients::lcm::Client;
use migrate_runtime::futures::{StreamExt, TryStreamExt};
use migrate_runtime::{Secret, StringEnum};

use serde_json::{Map, Value};

use crate::commands::say_more;
use crate::context::{read_stdin_line, Context};
use crate::exit::{Code, Failure};
use crate::input::{self, flag_error};
use crate::service::LCM;
use crate::wait::Watch;

/// `migrate lcm ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import an uploaded snapshot.
    #[command(after_help = IMPORT_EXAMPLES)]
    Import {
        /// Snapshot name.
        #[arg(value_parser = input::text)]
        snapshot: String,
        /// Import the snapshot's users too.
        #[arg(long)]
        import_users: bool,
        /// Read the new users' password from standard input.
        #[arg(long, conflicts_with = "user_password_env", requires = "import_users")]
        user_password_stdin: bool,
        /// Read the new users' password from this environment variable.
        #[arg(long, value_name = "VAR", requires = "import_users", value_parser = input::text)]
        user_password_env: Option<String>,
        /// Whether imported users must change their password at first login.
        #[arg(long, value_name = "BOOL", requires = "import_users")]
        reset_password: Option<bool>,
        /// LCM REST API version.
        #[command(flatten)]
        version: ApiVersion,
        /// Wait for the import to finish; on failure print every error message.
        #[arg(long)]
        wait: bool,
    },
    /// Wait for an import job to finish; on failure print every error message.
    #[command(after_help = WAIT_EXAMPLES)]
    Wait {
        /// Snapshot name.
        #[arg(value_parser = input::text)]
        snapshot: String,
        /// Job id.
        #[arg(value_parser = input::integer(0i64, None))]
        job: i64,
        /// LCM REST API version.
        #[command(flatten)]
        version: ApiVersion,
    },
    /// Show the status of an import job (-1 running, 0 succeeded, positive failed).
    #[command(after_help = STATUS_EXAMPLES)]
    Status {
        /// Snapshot name.
        #[arg(value_parser = input::text)]
        snapshot: String,
        /// Job id.
        #[arg(value_parser = input::integer(0i64, None))]
        job: i64,
        /// LCM REST API version.
        #[command(flatten)]
        version: ApiVersion,
    },
    /// Show the messages of one task of an import job.
    #[command(after_help = DETAILS_EXAMPLES)]
    Details {
        /// Snapshot name.
        #[arg(value_parser = input::text)]
        snapshot: String,
        /// Job id.
        #[arg(value_parser = input::integer(0i64, None))]
        job: i64,
        /// Task index.
        #[arg(long, default_value_t = 0, value_parser = input::whole::<i32>())]
        task: i32,
        /// Only messages of this type.
        #[arg(long, value_enum)]
        msgtype: Option<MsgType>,
        /// Every page of messages, not just the first (with --limit: at most that many).
        #[arg(long)]
        all: bool,
        /// At most this many messages (default: the service's first page).
        #[arg(long, value_name = "N", value_parser = input::integer(1u64, None))]
        limit: Option<u64>,
        /// Messages per request when paging (default 100).
        #[arg(long, value_name = "N", value_parser = input::whole::<i32>())]
        page_size: Option<i32>,
        /// LCM REST API version.
        #[command(flatten)]
        version: ApiVersion,
    },
    /// List the snapshots on the service.
    #[command(after_help = SNAPSHOTS_EXAMPLES)]
    Snapshots {
        /// LCM REST API version.
        #[command(flatten)]
        version: ApiVersion,
    },
}

/// The LCM API version segment.
#[derive(Debug, Args)]
pub struct ApiVersion {
    /// LCM REST API version.
    #[arg(long, default_value = "11.1.2.3.600", value_name = "V", value_parser = input::text)]
    pub api_version: String,
}

/// LCM message types.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MsgType {
    /// Errors.
    Error,
    /// Warnings.
    Warn,
    /// Information.
    Info,
}

/// What the generated builders call the values this module's flags and arguments give.
const NAMES: &[(&str, &str)] = &[
    ("applicationSnapshotName", "SNAPSHOT"),
    ("api_version", "--api-version"),
    ("jobId", "JOB"),
    ("taskIndex", "--task"),
    ("q", "the import options"),
];

/// Messages asked for per page when paging, unless --page-size says otherwise.
const PAGE: i32 = 100;

const IMPORT_EXAMPLES: &str = "\
Examples:
  migrate lcm import Snap1 --wait                   # on failure prints every error message
  MIGRATE_TOKEN=$(oci-token) migrate lcm import Snap1   # OAuth 2.0 instead of Basic
  migrate lcm import Snap1 --import-users --user-password-env USERS_PW --reset-password true";

const WAIT_EXAMPLES: &str = "\
Examples:
  migrate lcm wait Snap1 7
  migrate --wait-timeout 7200 lcm wait Snap1 7 --api-version 11.1.2.3.600";

const STATUS_EXAMPLES: &str = "\
Examples:
  migrate lcm status Snap1 7
  migrate lcm status Snap1 7 --query meaning";

const DETAILS_EXAMPLES: &str = "\
Examples:
  migrate lcm details Snap1 7 --msgtype error --all
  migrate lcm details Snap1 7 --task 1 --limit 10
  migrate lcm details Snap1 7 --all -o text | cut -f2 | sort | uniq -c   # errors per artifact";

const SNAPSHOTS_EXAMPLES: &str = "\
Examples:
  migrate lcm snapshots
  migrate lcm snapshots --query \"items[?type=='LCM'].name\"";

/// LCM's job status in words: `-1` (or none yet) running, `0` succeeded, positive failed.
pub fn status_words(status: Option<i32>) -> String {
    match status {
        None | Some(-1) => "-1: still running".to_string(),
        Some(0) => "0: completed successfully".to_string(),
        Some(n) if n > 0 => {
            format!("{n}: failed (any positive status is a failure; lcm details shows why)")
        }
        Some(n) => format!("{n}: not a status LCM documents"),
    }
}

/// A progress state of the LCM wait (the status number as text) in words.
fn progress_words(state: &str) -> String {
    match state.parse::<i32>() {
        Ok(-1) => "running (status -1)".to_string(),
        Ok(n) => format!("status {n}"),
        Err(_) => state.to_string(),
    }
}

/// An answer about job `job` of `snapshot` with the job id and its status in words first.
fn with_job(
    snapshot: &str,
    job: Option<i64>,
    answer: &MigrationJobResponse,
) -> Result<Value, Failure> {
    let mut out = Map::new();
    out.insert("snapshot".into(), snapshot.into());
    out.insert("job_id".into(), job.map_or(Value::Null, Value::from));
    out.insert(
        "status".into(),
        answer.status.map_or(Value::Null, Value::from),
    );
    out.insert("meaning".into(), status_words(answer.status).into());
    let rest =
        serde_json::to_value(answer).map_err(|e| Failure::usage(format!("cannot print: {e}")))?;
    for (key, value) in rest.as_object().into_iter().flatten() {
        if key != "status" {
            out.insert(key.clone(), value.clone());
        }
    }
    Ok(Value::Object(out))
}

/// Runs one `lcm` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Import {
            snapshot,
            import_users,
            user_password_stdin,
            user_password_env,
            reset_password,
            version,
            wait,
        } => {
            if let Some(flag) = ctx.stdin_taken().filter(|_| user_password_stdin) {
                return Err(Failure::usage(format!(
                    "{flag} and --user-password-stdin both read standard input; give one of \
                     them in an environment variable"
                )));
            }
            let user_password = match (user_password_stdin, user_password_env) {
                (true, _) => Some(read_stdin_line("users' password")?),
                (false, Some(var)) => Some(users_password_from(&var)?),
                (false, None) => None,
            };
            let query = ImportQuery {
                r#type: ImportQueryType::Import,
                import_users: import_users.then_some(true),
                user_password,
                reset_password,
            };
            let request = Client::import_snapshot_request(&version.api_version, &snapshot, &query)
                .map_err(flag_error(NAMES))?;
            ctx.send(&LCM, &request, async |client| {
                if wait {
                    import_and_wait(ctx, client, &version.api_version, &snapshot, &query).await
                } else {
                    import(ctx, client, &version.api_version, &snapshot, &query).await
                }
            })
            .await
        }
        Command::Wait {
            snapshot,
            job,
            version,
        } => {
            // A dry run shows the status poll.
            let request =
                Client::get_migration_status_request(&version.api_version, &snapshot, job)
                    .map_err(flag_error(NAMES))?;
            ctx.send(&LCM, &request, async |client| {
                let done = wait_import(ctx, client, &version.api_version, &snapshot, job).await?;
                ctx.printer.one(&with_job(&snapshot, Some(job), &done)?)
            })
            .await
        }
        Command::Status {
            snapshot,
            job,
            version,
        } => {
            let request =
                Client::get_migration_status_request(&version.api_version, &snapshot, job)
                    .map_err(flag_error(NAMES))?;
            ctx.send(&LCM, &request, async |client| {
                let status = client
                    .get_migration_status(&version.api_version, &snapshot, job)
                    .await?
                    .into_body();
                ctx.printer.one(&with_job(&snapshot, Some(job), &status)?)
            })
            .await
        }
        Command::Details {
            snapshot,
            job,
            task,
            msgtype,
            all,
            limit,
            page_size,
            version,
        } => {
            let msgtype = msgtype.map(|m| {
                MessageType::from_wire(
                    match m {
                        MsgType::Error => "error",
                        MsgType::Warn => "warn",
                        MsgType::Info => "info",
                    }
                    .to_string(),
                )
            });
            // One page (the service's, or --page-size), or pages until --limit or the end.
            let paging = all || limit.is_some();
            let page = page_size.or(paging.then_some(PAGE));
            let page_params = |offset: i32| GetMigrationDetailsParams {
                limit: page,
                offset: page.map(|_| offset),
                msgtype: msgtype.clone(),
            };
            let renames = [NAMES, &[("limit", "--page-size")]].concat();
            let request = Client::get_migration_details_request(
                &version.api_version,
                &snapshot,
                job,
                task,
                &page_params(0),
            )
            .map_err(flag_error(&renames))?;
            ctx.send(&LCM, &request, async |client| {
                let (messages, more) = if paging {
                    // Page by page through the generated stream, which follows `next` links.
                    let stream = client.get_migration_details_stream(
                        &version.api_version,
                        &snapshot,
                        job,
                        task,
                        &page_params(0),
                    );
                    match limit.map(|n| n as usize) {
                        // One more than asked for says whether there are more.
                        Some(n) => {
                            let mut items: Vec<MigrationDetailItem> =
                                stream.take(n + 1).try_collect().await?;
                            let more = items.len() > n;
                            items.truncate(n);
                            (items, more)
                        }
                        None => (stream.try_collect().await?, false),
                    }
                } else {
                    let page = client
                        .get_migration_details(
                            &version.api_version,
                            &snapshot,
                            job,
                            task,
                            &page_params(0),
                        )
                        .await?
                        .into_body();
                    let more = page.links.iter().flatten().any(|l| {
                        l.rel
                            .as_deref()
                            .is_some_and(|r| r.eq_ignore_ascii_case("next"))
                    });
                    (page.items.unwrap_or_default(), more)
                };
                ctx.printer.list(
                    &messages,
                    &["msgType", "artifact", "msgText"],
                    &["msgCategory"],
                )?;
                say_more(ctx, messages.len(), None, more, "messages");
                Ok(())
            })
            .await
        }
        Command::Snapshots { version } => {
            let request =
                Client::list_snapshots_request(&version.api_version).map_err(flag_error(NAMES))?;
            ctx.send(&LCM, &request, async |client| {
                let list = client
                    .list_snapshots(&version.api_version)
                    .await?
                    .into_body();
                ctx.printer.list(
                    &list.items.unwrap_or_default(),
                    &["name", "type", "size", "lastmodifiedtime"],
                    &[],
                )
            })
            .await
        }
    }
}

/// Starts an import and prints the answer (without the echoed query).
async fn import(
    ctx: &Context,
    client: &Client,
    api_version: &str,
    snapshot: &str,
    query: &ImportQuery,
) -> Result<(), Failure> {
    let (job, mut answer) = match ext::start_import(client, api_version, snapshot, query)
        .await
        .map_err(import_failure)?
    {
        Started::Running { job_id, answer } => (Some(job_id), answer),
        Started::Finished(answer) => (None, answer),
    };
    // The self link echoes the query, which holds the users' password.
    for link in answer.links.iter_mut().flatten() {
        if let Some(href) = &mut link.href {
            href.truncate(href.find('?').unwrap_or(href.len()));
        }
    }
    ctx.printer.one(&with_job(snapshot, job, &answer)?)
}

/// Starts an import and waits for it; on failure prints every message of every failed task.
async fn import_and_wait(
    ctx: &Context,
    client: &Client,
    api_version: &str,
    snapshot: &str,
    query: &ImportQuery,
) -> Result<(), Failure> {
    let job = match ext::start_import(client, api_version, snapshot, query)
        .await
        .map_err(import_failure)?
    {
        Started::Finished(done) => return ctx.printer.one(&with_job(snapshot, None, &done)?),
        Started::Running { job_id, .. } => job_id,
    };
    let done = wait_import(ctx, client, api_version, snapshot, job).await?;
    ctx.printer.one(&with_job(snapshot, Some(job), &done)?)
}

/// Waits for import job `job` of `snapshot`; on failure prints every message of every task
/// on stderr. A wait that ends without success carries the command that resumes it.
async fn wait_import(
    ctx: &Context,
    client: &Client,
    api_version: &str,
    snapshot: &str,
    job: i64,
) -> Result<MigrationJobResponse, Failure> {
    let job_text = job.to_string();
    let resume = [
        "lcm",
        "wait",
        snapshot,
        &job_text,
        "--api-version",
        api_version,
    ];
    let what = format!("LCM import job {job} of snapshot {snapshot}");
    let watch = Watch::new(ctx, what, &resume)
        .describe(progress_words)
        .id("snapshot", snapshot)
        .id("job_id", job);
    watch
        .run(async {
            ext::wait_for_import(
                client,
                api_version,
                snapshot,
                job,
                ctx.wait_options(),
                watch.progress(),
            )
            .await
            .map_err(import_failure)
        })
        .await
}

/// The exit code and message for an import that did not succeed; a failed import's messages
/// go to stderr, task by task.
fn import_failure(error: ImportError) -> Failure {
    match error {
        ImportError::Failed(failure) => {
            for task in &failure.tasks {
                crate::errln!(
                    "task {}: {} message(s)",
                    task.name.as_deref().unwrap_or("?"),
                    task.messages.len()
                );
                for message in &task.messages {
                    crate::errln!("  {}", describe(message));
                }
            }
            Failure::new(Code::Failed, failure.to_string())
        }
        ImportError::Start(e) => e.into(),
        ImportError::Wait(e) => e.into(),
        details @ ImportError::Details { .. } => Failure::new(Code::Failed, details.to_string()),
        other => Failure::new(Code::Service, other.to_string()),
    }
}

/// The users' password from the environment variable `var`: set and not empty.
fn users_password_from(var: &str) -> Result<Secret, Failure> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Ok(Secret::new(value)),
        Ok(_) => Err(Failure::usage(format!(
            "--user-password-env {var}: the variable is empty"
        ))),
        Err(_) => Err(Failure::usage(format!(
            "--user-password-env {var}: the variable is not set"
        ))),
    }
}

/// `[type] artifact: text` for one message.
fn describe(message: &MigrationDetailItem) -> String {
    format!(
        "[{}] {}: {}",
        message.msg_type.as_deref().unwrap_or("?"),
        message.artifact.as_deref().unwrap_or("-"),
        message.msg_text.as_deref().unwrap_or("")
    )
}
