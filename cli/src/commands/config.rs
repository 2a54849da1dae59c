//! `migrate config show|set`: profiles in the config file. Passwords are never stored.

use clap::Subcommand;

use crate::context::Context;
use crate::exit::Failure;
use crate::profile::ConfigFile;

/// `migrate config ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the config file's path and the selected profile.
    Show,
    /// Set a key of a profile (--profile, else `default`).
    Set {
        /// host, powerstore_host, lcm_host, vipr_host, user, insecure, ca_cert or output.
        key: String,
        /// The value (checked as the command line checks the same option).
        value: String,
    },
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
    }
}
