//! `migrate config show|list|get|set|unset`: profiles in the config file. Passwords and
//! tokens are never stored.

use clap::Subcommand;
use serde::Serialize;

use crate::context::Context;
use crate::exit::Failure;
use crate::profile::{ConfigFile, PROFILE_KEYS};

/// `migrate config ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the config file's path and the selected profile.
    #[command(after_help = SHOW_EXAMPLES)]
    Show,
    /// List every key of every profile (the selected one is marked).
    #[command(after_help = LIST_EXAMPLES)]
    List,
    /// Print one key of the selected profile (exit 2 when it is not set).
    #[command(after_help = GET_EXAMPLES)]
    Get {
        /// The key (see `migrate config set --help`).
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(PROFILE_KEYS))]
        key: String,
    },
    /// Set a key of the selected profile (--profile, else `default`), creating the profile.
    #[command(after_help = SET_EXAMPLES)]
    Set {
        /// host, powerstore_host, lcm_host, vipr_host, user, insecure, ca_cert, output or
        /// complete_from_service.
        key: String,
        /// The value (checked as the command line checks the same option).
        value: String,
    },
    /// Remove a key from the selected profile.
    #[command(after_help = UNSET_EXAMPLES)]
    Unset {
        /// The key.
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(PROFILE_KEYS))]
        key: String,
    },
}

const SHOW_EXAMPLES: &str = "\
Examples:
  migrate config show
  migrate --profile lab config show";

const LIST_EXAMPLES: &str = "\
Examples:
  migrate config list
  migrate config list -o text | grep lcm_host";

const GET_EXAMPLES: &str = "\
Examples:
  migrate config get powerstore_host
  migrate --profile lab config get user";

const SET_EXAMPLES: &str = "\
Examples:
  migrate --profile lab config set powerstore_host https://powerstore.lab   # creates \"lab\"
  migrate --profile lab config set lcm_host https://tenant.oraclecloud.com
  migrate config set output wide";

const UNSET_EXAMPLES: &str = "\
Examples:
  migrate config unset insecure
  migrate --profile lab config unset ca_cert";

/// One line of `config list`.
#[derive(Debug, Serialize)]
struct Entry {
    profile: String,
    selected: bool,
    key: &'static str,
    value: String,
}

/// Runs one `config` command.
pub fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Show => {
            let file = ConfigFile::load()?;
            let path = ConfigFile::path()?;
            ctx.printer.one(&serde_json::json!({
                "path": path.display().to_string(),
                "profile": ctx.profile_name(),
                "settings": file.profiles.get(ctx.profile_name()),
            }))
        }
        Command::List => {
            let file = ConfigFile::load()?;
            let entries: Vec<Entry> = file
                .profiles
                .iter()
                .flat_map(|(name, profile)| {
                    profile
                        .entries()
                        .into_iter()
                        .map(move |(key, value)| Entry {
                            profile: name.clone(),
                            selected: name == ctx.profile_name(),
                            key,
                            value,
                        })
                })
                .collect();
            if entries.is_empty() {
                crate::errln!(
                    "no settings in {}; `migrate config set KEY VALUE` makes some",
                    ConfigFile::path()?.display()
                );
            }
            ctx.printer
                .list(&entries, &["profile", "selected", "key", "value"], &[])
        }
        Command::Get { key } => {
            let file = ConfigFile::load()?;
            let value = match file.profiles.get(ctx.profile_name()) {
                Some(profile) => profile.get(&key)?,
                None => None,
            };
            match value {
                Some(value) => ctx.printer.one(&value),
                None => Err(Failure::usage(format!(
                    "{key} is not set in profile {} ({})",
                    ctx.profile_name(),
                    ConfigFile::path()?.display()
                ))),
            }
        }
        Command::Set { key, value } => {
            let mut file = ConfigFile::load()?;
            file.profiles
                .entry(ctx.profile_name().to_string())
                .or_default()
                .set(&key, &value)?;
            if ctx.is_dry_run() {
                // Checked as a real run checks it; the file stays as it is.
                crate::outln!(
                    "would set {key} in profile {} ({})",
                    ctx.profile_name(),
                    ConfigFile::path()?.display()
                );
                return Ok(());
            }
            let path = file.save()?;
            crate::errln!(
                "set {key} in profile {} ({})",
                ctx.profile_name(),
                path.display()
            );
            Ok(())
        }
        Command::Unset { key } => {
            let mut file = ConfigFile::load()?;
            let path = ConfigFile::path()?;
            let was = match file.profiles.get_mut(ctx.profile_name()) {
                Some(profile) => profile.unset(&key)?,
                None => false,
            };
            if !was {
                crate::errln!(
                    "{key} was not set in profile {} ({})",
                    ctx.profile_name(),
                    path.display()
                );
                return Ok(());
            }
            if ctx.is_dry_run() {
                crate::outln!(
                    "would unset {key} in profile {} ({})",
                    ctx.profile_name(),
                    path.display()
                );
                return Ok(());
            }
            file.save()?;
            crate::errln!(
                "unset {key} in profile {} ({})",
                ctx.profile_name(),
                path.display()
            );
            Ok(())
        }
    }
}
