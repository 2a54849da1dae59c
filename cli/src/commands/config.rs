//! `migrate config show|set`: profiles in the config file. Passwords are never stored.

use crate::cli::Config;
use crate::context::{ConfigFile, Context};
use crate::exit::Failure;

/// Runs one `config` command.
pub fn run(ctx: &Context, command: Config) -> Result<(), Failure> {
    match command {
        Config::Show => {
            let file = ConfigFile::load()?;
            let path = ConfigFile::path()?;
            ctx.printer.one(&serde_json::json!({
                "path": path.display().to_string(),
                "profile": ctx.profile_name(),
                "settings": file.profiles.get(ctx.profile_name()),
            }))
        }
        Config::Set { key, value } => {
            let mut file = ConfigFile::load()?;
            file.profiles
                .entry(ctx.profile_name().to_string())
                .or_default()
                .set(&key, &value)?;
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
