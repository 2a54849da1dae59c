//! Shell completion: static scripts for six shells, and completion of ids and names from the
//! service.
//!
//! `migrate completions SHELL` prints a script that completes commands, flags and the values
//! clap knows (states, formats, files). Ids and names live on the service, so completing them
//! means a request: that is clap's dynamic completion (`source <(COMPLETE=bash migrate)`, the
//! shell asks `migrate` itself for candidates), and it asks the service only when switched on
//! with `MIGRATE_COMPLETE_FROM_SERVICE=1` or the profile's `complete_from_service = true`,
//! using the host, user and password from the environment and profile (never a prompt), with
//! a 3 s limit. A failure gives no candidates and no message: completion must not disturb the
//! command line being typed.

use std::ffi::OsStr;
use std::time::Duration;

use clap::{Args, Command, FromArgMatches, ValueEnum};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use migrate_clients::powerstore::operations::{
    ImportSessionCollectionQueryParams, JobCollectionQueryParams,
    RemoteSystemCollectionQueryParams, VolumeCollectionQueryParams,
    VolumeGroupCollectionQueryParams,
};
use migrate_clients::powerstore::Client;

use crate::cli::Global;
use crate::context::Context;
use crate::exit::Failure;
use crate::service::POWERSTORE;

/// The examples of `migrate completions`.
pub const EXAMPLES: &str = "\
Examples:
  migrate completions bash > ~/.local/share/bash-completion/completions/migrate
  migrate completions nushell | save -f ~/.config/nushell/migrate-completions.nu
  source <(COMPLETE=bash migrate)   # also completes ids and names, with MIGRATE_COMPLETE_FROM_SERVICE=1";

/// The shells `migrate completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Elvish.
    Elvish,
    /// Fish.
    Fish,
    /// Nushell.
    Nushell,
    /// PowerShell.
    Powershell,
    /// Zsh.
    Zsh,
}

/// The completion script for `shell`.
pub fn script(shell: Shell, cmd: &mut Command) -> Vec<u8> {
    use clap_complete::Shell as Builtin;
    // clap_complete panics when its writer fails; it writes to memory, `stdio` to stdout.
    let mut script = Vec::new();
    let builtin = match shell {
        Shell::Bash => Builtin::Bash,
        Shell::Elvish => Builtin::Elvish,
        Shell::Fish => Builtin::Fish,
        Shell::Powershell => Builtin::PowerShell,
        Shell::Zsh => Builtin::Zsh,
        Shell::Nushell => {
            clap_complete::generate(clap_complete_nushell::Nushell, cmd, "migrate", &mut script);
            return script;
        }
    };
    clap_complete::generate(builtin, cmd, "migrate", &mut script);
    script
}

/// Answers a dynamic completion request (`COMPLETE=<shell>` set by the shell) and exits; does
/// nothing otherwise.
pub fn answer_if_asked() {
    if std::env::var_os("COMPLETE").is_none_or(|v| v.is_empty() || v == "0") {
        return;
    }
    let args = std::env::args_os();
    let dir = std::env::current_dir().ok();
    match clap_complete::CompleteEnv::with_factory(crate::help::command)
        .try_complete(args, dir.as_deref())
    {
        Ok(true) | Err(_) => std::process::exit(0),
        Ok(false) => {}
    }
}

/// What a completer lists.
#[derive(Debug, Clone, Copy)]
enum Kind {
    ImportSession,
    RemoteSystem,
    Volume,
    VolumeGroup,
    Job,
}

fn completer(kind: Kind) -> ArgValueCompleter {
    ArgValueCompleter::new(move |current: &OsStr| candidates(kind, current))
}

/// Completes import session ids and `name:` names.
pub fn import_sessions() -> ArgValueCompleter {
    completer(Kind::ImportSession)
}

/// Completes remote system ids and `name:` names.
pub fn remote_systems() -> ArgValueCompleter {
    completer(Kind::RemoteSystem)
}

/// Completes volume ids and `name:` names.
pub fn volumes() -> ArgValueCompleter {
    completer(Kind::Volume)
}

/// Completes volume group ids and `name:` names.
pub fn volume_groups() -> ArgValueCompleter {
    completer(Kind::VolumeGroup)
}

/// Completes job ids.
pub fn jobs() -> ArgValueCompleter {
    completer(Kind::Job)
}

/// How many items a completion asks for.
const LIMIT: i32 = 200;

/// The candidates for `current`, or none when completion from the service is off or fails.
fn candidates(kind: Kind, current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let Some(ctx) = context() else {
        return Vec::new();
    };
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    // `name:db` asks the service for names that start with `db`; anything else for the
    // first items.
    let filter = match current.strip_prefix("name:") {
        Some(start) if !matches!(kind, Kind::Job) => {
            vec![("name".to_string(), format!("ilike.{start}*"))]
        }
        _ => Vec::new(),
    };
    let found = runtime.block_on(async {
        let client = ctx.connect(&POWERSTORE)?;
        fetch(&client, kind, filter).await
    });
    let mut out = Vec::new();
    for (id, name, help) in found.unwrap_or_default() {
        if let Some(name) = name {
            let value = format!("name:{name}");
            if value.starts_with(current.as_ref()) {
                out.push(CompletionCandidate::new(value).help(Some(id.clone().into())));
            }
        }
        if id.starts_with(current.as_ref()) {
            out.push(CompletionCandidate::new(id).help(help.map(Into::into)));
        }
    }
    out
}

/// The context completion runs in: the options from the environment and the profile, a
/// short timeout, no prompts; `None` when completion from the service is off.
fn context() -> Option<Context> {
    let matches = Global::augment_args(Command::new("migrate"))
        .try_get_matches_from(["migrate"])
        .ok()?;
    let mut global = Global::from_arg_matches(&matches).ok()?;
    global.timeout = Some(Duration::from_secs(3));
    global.dry_run = false;
    let ctx = Context::new(global, false).ok()?.without_prompts();
    let switched_on = std::env::var("MIGRATE_COMPLETE_FROM_SERVICE").is_ok_and(|v| v == "1")
        || ctx.profile().complete_from_service == Some(true);
    switched_on.then_some(ctx)
}

/// (id, name, help) of each item of `kind`.
async fn fetch(
    client: &Client,
    kind: Kind,
    filter: Vec<(String, String)>,
) -> Result<Vec<(String, Option<String>, Option<String>)>, Failure> {
    let select = |fields: &str| Some(fields.to_string());
    Ok(match kind {
        Kind::ImportSession => {
            let params = ImportSessionCollectionQueryParams {
                select: select("id,name,state"),
                limit: Some(LIMIT),
                filter: filter.clone(),
                ..Default::default()
            };
            let found = client.import_session_collection_query(&params).await?;
            found
                .into_body()
                .into_iter()
                .filter_map(|s| {
                    let help = s
                        .state
                        .as_ref()
                        .map(|st| format!("{} ({st})", s.name.as_deref().unwrap_or("")));
                    Some((s.id?, s.name, help))
                })
                .collect()
        }
        Kind::RemoteSystem => {
            let params = RemoteSystemCollectionQueryParams {
                select: select("id,name"),
                limit: Some(LIMIT),
                filter: filter.clone(),
                ..Default::default()
            };
            named(
                client
                    .remote_system_collection_query(&params)
                    .await?
                    .into_body(),
            )
        }
        Kind::Volume => {
            let params = VolumeCollectionQueryParams {
                select: select("id,name"),
                limit: Some(LIMIT),
                filter: filter.clone(),
                ..Default::default()
            };
            named(client.volume_collection_query(&params).await?.into_body())
        }
        Kind::VolumeGroup => {
            let params = VolumeGroupCollectionQueryParams {
                select: select("id,name"),
                limit: Some(LIMIT),
                filter: filter.clone(),
                ..Default::default()
            };
            named(
                client
                    .volume_group_collection_query(&params)
                    .await?
                    .into_body(),
            )
        }
        Kind::Job => {
            let params = JobCollectionQueryParams {
                select: select("id,resource_action,resource_name,phase"),
                order: select("start_time.desc"),
                limit: Some(LIMIT),
                filter: filter.clone(),
                ..Default::default()
            };
            let found = client.job_collection_query(&params).await?;
            found
                .into_body()
                .into_iter()
                .filter_map(|j| {
                    let help = format!(
                        "{} {} ({})",
                        j.resource_action
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        j.resource_name.as_deref().unwrap_or(""),
                        j.phase
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default()
                    );
                    Some((j.id?, None, Some(help)))
                })
                .collect()
        }
    })
}

fn named<T: crate::commands::Named>(
    items: Vec<T>,
) -> Vec<(String, Option<String>, Option<String>)> {
    items
        .iter()
        .filter_map(|i| {
            let id = i.id()?.to_string();
            let name = i.name().map(str::to_string);
            Some((id, name.clone(), name))
        })
        .collect()
}
