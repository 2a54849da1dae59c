//! `migrate lcm ...`: Oracle EPM LCM snapshot imports, their status and their messages.
//!
//! The users' password for `--import-users` comes from stdin or a named environment
//! variable, never from a flag value, and travels only inside the request.

use clap::{Args, Subcommand, ValueEnum};
use migrate_clients::ext::lcm::{self as ext, ImportError, Started};
use migrate_clients::lcm::operations::GetMigrationDetailsParams;
use migrate_clients::lcm::types::{
    ImportQuery, ImportQueryType, MessageType, MigrationDetailItem, MigrationJobResponse,
};
use migrate_clients::lcm::Client;
use migrate_runtime::{Secret, StringEnum};

use crate::context::{read_stdin_line, Context};
use crate::exit::{Code, Failure};
use crate::input::{self, flag_error};
use crate::service::LCM;
use crate::wait::Watch;

/// `migrate lcm ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import an uploaded snapshot.
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
    /// Show the status of an import job.
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
        /// Every page of messages, not just the first.
        #[arg(long)]
        all: bool,
        /// LCM REST API version.
        #[command(flatten)]
        version: ApiVersion,
    },
    /// List the snapshots on the service.
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

/// Messages asked for per page with --all.
const PAGE: i32 = 100;

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
            if user_password_stdin && ctx.password_from_stdin() {
                return Err(Failure::usage(
                    "--password-stdin and --user-password-stdin both read standard input; give \
                     one of the passwords in an environment variable",
                ));
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
                ctx.printer.one(&done)
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
                ctx.printer.one(&status)
            })
            .await
        }
        Command::Details {
            snapshot,
            job,
            task,
            msgtype,
            all,
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
            let page_params = |offset| GetMigrationDetailsParams {
                limit: all.then_some(PAGE),
                offset: all.then_some(offset),
                msgtype: msgtype.clone(),
            };
            let request = Client::get_migration_details_request(
                &version.api_version,
                &snapshot,
                job,
                task,
                &page_params(0),
            )
            .map_err(flag_error(NAMES))?;
            ctx.send(&LCM, &request, async |client| {
                let mut messages: Vec<MigrationDetailItem> = Vec::new();
                let mut offset = 0;
                loop {
                    let params = page_params(offset);
                    let page = client
                        .get_migration_details(&version.api_version, &snapshot, job, task, &params)
                        .await?
                        .into_body();
                    let items = page.items.unwrap_or_default();
                    let count = items.len();
                    messages.extend(items);
                    if !all || count < PAGE as usize {
                        break;
                    }
                    offset += PAGE;
                }
                ctx.printer
                    .list(&messages, &["msgType", "artifact", "msgText"])
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
    let mut started = client
        .import_snapshot(api_version, snapshot, query)
        .await?
        .into_body();
    // The self link echoes the query, which holds the users' password.
    for link in started.links.iter_mut().flatten() {
        if let Some(href) = &mut link.href {
            href.truncate(href.find('?').unwrap_or(href.len()));
        }
    }
    ctx.printer.one(&started)
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
        Started::Finished(done) => return ctx.printer.one(&done),
        Started::Running { job_id, .. } => job_id,
    };
    let done = wait_import(ctx, client, api_version, snapshot, job).await?;
    ctx.printer.one(&done)
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
