//! `migrate lcm ...`: Oracle EPM LCM snapshot imports, their status and their messages.
//!
//! The users' password for `--import-users` comes from stdin or a named environment
//! variable, never from a flag value, and travels only inside the request.

use migrate_clients::ext::lcm::{self as ext, ImportError};
use migrate_clients::lcm::operations::GetMigrationDetailsParams;
use migrate_clients::lcm::types::{ImportQuery, ImportQueryType, MessageType, MigrationDetailItem};
use migrate_clients::lcm::Client;
use migrate_runtime::{Secret, StringEnum};

use crate::cli::{Lcm, MsgType};
use crate::context::{read_stdin_line, Context, Service};
use crate::exit::{Code, Failure};
use crate::wait::{interruptible, Reporter};

/// Messages asked for per page with --all.
const PAGE: i32 = 100;

/// Runs one `lcm` command.
pub async fn run(ctx: &Context, command: Lcm) -> Result<(), Failure> {
    match command {
        Lcm::Import {
            snapshot,
            import_users,
            user_password_stdin,
            user_password_env,
            reset_password,
            version,
            wait,
        } => {
            let user_password = match (user_password_stdin, user_password_env) {
                (true, _) => Some(read_stdin_line("users' password")?),
                (false, Some(var)) => Some(Secret::new(std::env::var(&var).map_err(|_| {
                    Failure::usage(format!("environment variable {var} is not set"))
                })?)),
                (false, None) => None,
            };
            let query = ImportQuery {
                r#type: ImportQueryType::Import,
                import_users: import_users.then_some(true),
                user_password,
                reset_password,
            };
            let request = Client::import_snapshot_request(&version.api_version, &snapshot, &query)?;
            if ctx.dry_run(Service::Lcm, &request)? {
                return Ok(());
            }
            let client = ctx.lcm()?;
            if !wait {
                let mut started = client
                    .import_snapshot(&version.api_version, &snapshot, &query)
                    .await?
                    .into_body();
                // The self link echoes the query, which holds the users' password.
                for link in started.links.iter_mut().flatten() {
                    if let Some(href) = &mut link.href {
                        href.truncate(href.find('?').unwrap_or(href.len()));
                    }
                }
                return ctx.printer.one(&started);
            }
            let resume = ctx.resume_command(&["lcm", "status", &snapshot, "<JOB>"]);
            let mut reporter = Reporter::new(&format!("import of {snapshot}"));
            let waited = interruptible(
                ext::import_snapshot_and_wait(
                    &client,
                    &version.api_version,
                    &snapshot,
                    &query,
                    ctx.wait_options(),
                    |p| reporter.update(p),
                ),
                resume,
            )
            .await?;
            drop(reporter);
            match waited {
                Ok(done) => ctx.printer.one(&done),
                Err(ImportError::Failed(failure)) => {
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
                    Err(Failure::new(Code::Failed, failure.to_string()))
                }
                Err(ImportError::Start(e)) => Err(e.into()),
                Err(ImportError::Wait(e)) => Err(e.into()),
                Err(ImportError::Details { source, .. }) => Err(Failure::new(
                    Code::Failed,
                    format!("the import failed, and reading its messages failed: {source}"),
                )),
                Err(other) => Err(Failure::new(Code::Service, other.to_string())),
            }
        }
        Lcm::Status {
            snapshot,
            job,
            version,
        } => {
            let request =
                Client::get_migration_status_request(&version.api_version, &snapshot, job)?;
            if ctx.dry_run(Service::Lcm, &request)? {
                return Ok(());
            }
            let client = ctx.lcm()?;
            let status = client
                .get_migration_status(&version.api_version, &snapshot, job)
                .await?
                .into_body();
            ctx.printer.one(&status)
        }
        Lcm::Details {
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
            )?;
            if ctx.dry_run(Service::Lcm, &request)? {
                return Ok(());
            }
            let client = ctx.lcm()?;
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
        }
        Lcm::Snapshots { version } => {
            if ctx.dry_run(
                Service::Lcm,
                &Client::list_snapshots_request(&version.api_version)?,
            )? {
                return Ok(());
            }
            let client = ctx.lcm()?;
            let list = client
                .list_snapshots(&version.api_version)
                .await?
                .into_body();
            ctx.printer.list(
                &list.items.unwrap_or_default(),
                &["name", "type", "size", "lastmodifiedtime"],
            )
        }
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
