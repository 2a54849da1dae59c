//! The command-line grammar: global options and the command tree.
//!
//! Flags for request bodies come from the generated `cli` modules, so a field added to a spec
//! shows up here without a change to this file.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use migrate_clients::{powerstore, vipr};

use crate::output::Format;

/// Storage migrations from the command line: PowerStore import sessions, Oracle EPM LCM
/// snapshot imports and ViPR volume-group full copies.
#[derive(Debug, Parser)]
#[command(
    name = "migrate",
    version,
    propagate_version = true,
    args_override_self = true
)]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options for every command.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Service address, e.g. https://array.example.com (else the profile's host for the service).
    #[arg(
        long,
        global = true,
        env = "MIGRATE_HOST",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub host: Option<String>,
    /// User name (the password comes from MIGRATE_PASSWORD, --password-stdin or a prompt).
    #[arg(long, global = true, env = "MIGRATE_USER", hide_env_values = true)]
    pub user: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// Profile from the config file (see `migrate config show`).
    #[arg(
        long,
        global = true,
        env = "MIGRATE_PROFILE",
        hide_env_values = true,
        value_name = "NAME"
    )]
    pub profile: Option<String>,
    /// Accept any TLS certificate (lab systems with self-signed certificates only).
    #[arg(long, global = true)]
    pub insecure: bool,
    /// Trust this PEM CA certificate in addition to the system roots.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Timeout of each HTTP request, in seconds.
    #[arg(long, global = true, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// How long --wait (and `wait` commands) wait before giving up with exit code 5, in seconds.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 3600)]
    pub wait_timeout: u64,
    /// Pause between status polls while waiting, in seconds (it grows up to 15 s).
    #[arg(long, global = true, value_name = "SECS", default_value_t = 2.0)]
    pub poll_interval: f64,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, short = 'o', global = true, value_enum)]
    pub output: Option<Format>,
    /// More logging on stderr (-v: info, -vv: debug).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Print the request that would be sent (secrets redacted) and send nothing.
    #[arg(long, global = true)]
    pub dry_run: bool,
}

/// The command families.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// PowerStore import sessions.
    #[command(subcommand)]
    ImportSession(ImportSession),
    /// PowerStore remote (source) systems.
    #[command(subcommand)]
    RemoteSystem(RemoteSystem),
    /// PowerStore jobs.
    #[command(subcommand)]
    Job(Job),
    /// Oracle EPM LCM snapshot imports.
    #[command(subcommand)]
    Lcm(Lcm),
    /// EMC ViPR full copies and tasks.
    #[command(subcommand)]
    Vipr(Vipr),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Show or change profiles (passwords are never stored).
    #[command(subcommand)]
    Config(Config),
}

/// `migrate import-session ...`
#[derive(Debug, Subcommand)]
pub enum ImportSession {
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
        id: String,
    },
    /// Reschedule a session.
    Modify {
        /// Session id, or name:NAME.
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
        id: String,
        /// States that end the wait (default: ready for cutover, completed, or waiting for an
        /// operator).
        #[arg(long, value_name = "STATE")]
        until: Vec<String>,
    },
    /// Create the sessions of a plan (YAML list or CSV with a header), skipping names that
    /// already exist, so a rerun finishes the plan without duplicates.
    Apply {
        /// PLAN.yaml or PLAN.csv.
        plan: PathBuf,
        /// Sessions created at the same time.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
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
    pub id: String,
    /// Wait until the action has taken effect.
    #[arg(long)]
    pub wait: bool,
    /// Run the action as a job (is_async=true) and print the job id; with --wait, wait for the
    /// job, then for the session.
    #[arg(long = "async")]
    pub is_async: bool,
}

/// Options of a collection query.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Filter as FIELD=OP.VALUE, e.g. state=eq.Failed or name=ilike.db*; repeatable, ANDed.
    #[arg(long, value_name = "EXPR")]
    pub filter: Vec<String>,
    /// Fields to show, comma-separated.
    #[arg(long, value_name = "F,...", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Sort order: FIELD[.asc|.desc].
    #[arg(long, value_name = "F")]
    pub order: Option<String>,
    /// At most this many items (the server's default page otherwise).
    #[arg(long, value_name = "N", conflicts_with = "all", value_parser = clap::value_parser!(i32).range(1..=2000))]
    pub limit: Option<i32>,
    /// Every item, fetched page by page.
    #[arg(long)]
    pub all: bool,
}

impl ListArgs {
    /// The `select` query parameter: the --select fields comma-separated, if any.
    pub fn select_param(&self) -> Option<String> {
        (!self.select.is_empty()).then(|| self.select.join(","))
    }

    /// The table columns: the --select fields, else `default`.
    pub fn columns<'a>(&'a self, default: &[&'a str]) -> Vec<&'a str> {
        if self.select.is_empty() {
            default.to_vec()
        } else {
            self.select.iter().map(String::as_str).collect()
        }
    }
}

/// `migrate remote-system ...`
#[derive(Debug, Subcommand)]
pub enum RemoteSystem {
    /// List remote systems.
    List(ListArgs),
    /// Show one remote system.
    Get {
        /// Remote system id.
        id: String,
    },
}

/// `migrate job ...`
#[derive(Debug, Subcommand)]
pub enum Job {
    /// Show one job.
    Get {
        /// Job id.
        id: String,
    },
    /// Wait for a job to finish.
    Wait {
        /// Job id.
        id: String,
    },
}

/// `migrate lcm ...`
#[derive(Debug, Subcommand)]
pub enum Lcm {
    /// Import an uploaded snapshot.
    Import {
        /// Snapshot name.
        snapshot: String,
        /// Import the snapshot's users too.
        #[arg(long)]
        import_users: bool,
        /// Read the new users' password from standard input.
        #[arg(long, conflicts_with = "user_password_env", requires = "import_users")]
        user_password_stdin: bool,
        /// Read the new users' password from this environment variable.
        #[arg(long, value_name = "VAR", requires = "import_users")]
        user_password_env: Option<String>,
        /// Whether imported users must change their password at first login.
        #[arg(long, value_name = "BOOL")]
        reset_password: Option<bool>,
        /// LCM REST API version.
        #[command(flatten)]
        version: ApiVersion,
        /// Wait for the import to finish; on failure print every error message.
        #[arg(long)]
        wait: bool,
    },
    /// Show the status of an import job.
    Status {
        /// Snapshot name.
        snapshot: String,
        /// Job id.
        job: i64,
        /// LCM REST API version.
        #[command(flatten)]
        version: ApiVersion,
    },
    /// Show the messages of one task of an import job.
    Details {
        /// Snapshot name.
        snapshot: String,
        /// Job id.
        job: i64,
        /// Task index.
        #[arg(long, default_value_t = 0)]
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
    #[arg(long, default_value = "11.1.2.3.600", value_name = "V")]
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

/// `migrate vipr ...`
#[derive(Debug, Subcommand)]
pub enum Vipr {
    /// Volume-group full copies.
    #[command(subcommand)]
    FullCopy(FullCopy),
    /// Tasks.
    #[command(subcommand)]
    Task(Task),
}

/// `migrate vipr full-copy ...`
#[derive(Debug, Subcommand)]
pub enum FullCopy {
    /// Create full copies of a volume group.
    #[command(
        mut_arg("volumes", |a| a.visible_alias("volume")),
        mut_arg("subgroups", |a| a.visible_alias("subgroup")),
        mut_arg("varray_id", |a| a.visible_alias("varray")),
        mut_arg("vpool_id", |a| a.visible_alias("vpool")),
    )]
    Create {
        /// Volume group URN.
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
pub enum Task {
    /// Show one task.
    Get {
        /// Task URN.
        task_urn: String,
    },
    /// Wait for tasks to stop.
    Wait {
        /// Task URNs.
        #[arg(required = true)]
        task_urn: Vec<String>,
    },
}

/// `migrate config ...`
#[derive(Debug, Subcommand)]
pub enum Config {
    /// Print the config file's path and the selected profile.
    Show,
    /// Set a key of a profile (--profile, else `default`).
    Set {
        /// host, powerstore_host, lcm_host, vipr_host, user, insecure, ca_cert or output.
        key: String,
        /// The value.
        value: String,
    },
}
