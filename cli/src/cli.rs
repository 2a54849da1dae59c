//! The top of the command-line grammar: global options and the list of command families.
//!
//! Each family's own flags live beside its handler in `commands/<family>.rs`; flags for
//! request bodies come from the generated `cli` modules, so a field added to a spec shows up
//! without a change here. Every value is checked by a parser from [`input`](crate::input).
//! A new family is one variant of [`Command`] and one line in `main.rs`'s dispatch; the help
//! layout (global options shown once, examples) applies to it without more code
//! ([`help`](crate::help)).

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand};

use crate::commands::{api, config, import_session, job, lcm, remote_system, vipr, volume};
use crate::complete::Shell;
use crate::input;
use crate::output::{Format, Query};

/// Storage migrations from the command line: PowerStore import sessions, Oracle EPM LCM
/// snapshot imports and ViPR volume-group full copies.
#[derive(Debug, Parser)]
#[command(
    name = "migrate",
    version,
    args_override_self = true,
    disable_help_subcommand = true,
    after_help = crate::help::ROOT_EXAMPLES
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
        value_name = "URL",
        value_parser = input::text
    )]
    pub host: Option<String>,
    /// User name (the password comes from MIGRATE_PASSWORD, --password-stdin or a prompt).
    #[arg(
        long,
        global = true,
        env = "MIGRATE_USER",
        hide_env_values = true,
        value_parser = input::text
    )]
    pub user: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// Read an OAuth 2.0 access token for LCM from standard input (or set MIGRATE_TOKEN); LCM
    /// commands then send it instead of user and password.
    #[arg(long, global = true)]
    pub token_stdin: bool,
    /// Profile from the config file (see `migrate config show`).
    #[arg(
        long,
        global = true,
        env = "MIGRATE_PROFILE",
        hide_env_values = true,
        value_name = "NAME",
        value_parser = input::text
    )]
    pub profile: Option<String>,
    /// Accept any TLS certificate (lab systems with self-signed certificates only).
    #[arg(long, global = true)]
    pub insecure: bool,
    /// Trust this PEM CA certificate in addition to the system roots.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Timeout of each HTTP request attempt, in seconds (0.01 to 3600; default 60).
    #[arg(long, global = true, value_name = "SECS", allow_hyphen_values = true,
          value_parser = crate::seconds::request_timeout)]
    pub timeout: Option<Duration>,
    /// How long --wait (and `wait` commands) wait before giving up with exit code 5, in seconds.
    #[arg(long, global = true, value_name = "SECS", default_value = "3600",
          allow_hyphen_values = true, value_parser = crate::seconds::wait_timeout)]
    pub wait_timeout: Duration,
    /// Pause between status polls while waiting, in seconds (it grows up to 15 s).
    #[arg(long, global = true, value_name = "SECS", default_value = "2",
          allow_hyphen_values = true, value_parser = crate::seconds::poll_interval)]
    pub poll_interval: Duration,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, short = 'o', global = true, value_enum)]
    pub output: Option<Format>,
    /// A JMESPath expression applied to the JSON form of the result before it is printed,
    /// e.g. "[?state=='Failed'].name".
    #[arg(long, global = true, value_name = "EXPR", value_parser = Query::parse)]
    pub query: Option<Query>,
    /// Show times in tables in UTC (default: the local time zone).
    #[arg(long, global = true)]
    pub utc: bool,
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
    ImportSession(import_session::Command),
    /// PowerStore remote (source) systems.
    #[command(subcommand)]
    RemoteSystem(remote_system::Command),
    /// PowerStore volumes (import destinations).
    #[command(subcommand)]
    Volume(volume::Command),
    /// PowerStore volume groups.
    #[command(subcommand)]
    VolumeGroup(volume::GroupCommand),
    /// PowerStore jobs.
    #[command(subcommand)]
    Job(job::Command),
    /// Oracle EPM LCM snapshot imports.
    #[command(subcommand)]
    Lcm(lcm::Command),
    /// EMC ViPR full copies and tasks.
    #[command(subcommand)]
    Vipr(vipr::Command),
    /// Every operation of the shipped specs as a command (`migrate api SERVICE --list`).
    Api(api::Command),
    /// Show or change profiles (passwords and tokens are never stored).
    #[command(subcommand)]
    Config(config::Command),
    /// Print a shell completion script.
    #[command(after_help = crate::complete::EXAMPLES)]
    Completions {
        /// The shell.
        shell: Shell,
    },
    /// Write a man page for every command into a directory.
    #[command(after_help = crate::help::MAN_EXAMPLES)]
    Man {
        /// Where to write the pages (created if missing), e.g. ~/.local/share/man/man1.
        dir: PathBuf,
    },
    /// Help for a command, or `migrate help globals` for the options every command takes.
    #[command(after_help = crate::help::HELP_EXAMPLES)]
    Help {
        /// A command (`import-session list`), or `globals`.
        topic: Vec<String>,
    },
}
