//! Oracle EPM LCM: connecting, importing a snapshot and waiting for the import, and collecting
//! every error message of a failed import.
//!
//! The status poll and its meaning are declared in `specs/lcm.yaml` (the `import_done` waiter:
//! status -1 while it runs, 0 when it succeeded, anything else failed) and the message pages
//! as next-link paging, so both are generated. What is written here spans several calls:
//! starting an import and taking the job id from the answer's `Job Status` link; sending a
//! status poll again as POST when a server answers GET with 405 (some Oracle servers want
//! POST); and, when the import failed, reading every page of every task's messages, with the
//! page options of the task's `Job Details` link (a report that showed only the first page
//! of the first task would hide most of what went wrong). Starting and waiting are two steps
//! ([`start_import`], [`wait_for_import`]): the job id is known before the wait, and a wait
//! cut short can be resumed from it alone.

use super::ConnectOptions;
use crate::lcm::operations::GetMigrationDetailsParams;
use crate::lcm::types::{
    ErrorResponse, ImportQuery, Link, MessageType, MigrationDetailItem, MigrationJobResponse,
};
use crate::lcm::{waiters, Client};
use migrate_runtime::futures::TryStreamExt;
use migrate_runtime::wait::{Progress, WaitError, WaitOptions};
use migrate_runtime::waiter::{self, Finished};
use migrate_runtime::{Auth, Error, Method, Response, Secret, StringEnum, Url};
use std::convert::Infallible;
use std::fmt;

/// How to authenticate to LCM.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// HTTP Basic; the user is `identitydomain.user` on classic tenants, `user` on OCI.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: Secret,
    },
    /// An OAuth 2 access token (OCI tenants).
    Bearer(Secret),
}

/// A client for the EPM service at `host_url` (`https://tenant.oraclecloud.com`).
pub fn connect(
    host_url: &str,
    credentials: Credentials,
    options: &ConnectOptions,
) -> Result<Client, Error<Infallible>> {
    let auth = match credentials {
        Credentials::Basic { user, password } => Auth::Basic { user, password },
        Credentials::Bearer(token) => Auth::Bearer(token),
    };
    options
        .transport(host_url, Client::BASE_PATH, auth)
        .map(Client::new)
}

/// The messages of one failed task, every page of them.
#[derive(Debug, Clone)]
pub struct FailedTask {
    /// Where the task read from.
    pub source: Option<String>,
    /// Where the task wrote to.
    pub destination: Option<String>,
    /// Task name, usually `Task Information`.
    pub name: Option<String>,
    /// All messages behind the task's `Job Details` link, in server order.
    pub messages: Vec<MigrationDetailItem>,
}

/// An import that ended with a positive status.
#[derive(Debug, Clone)]
pub struct ImportFailure {
    /// The job id from the `Job Status` link.
    pub job_id: i64,
    /// The final status (positive).
    pub status: i32,
    /// The job's `details` text, if any.
    pub details: Option<String>,
    /// Every task the job listed, with all its messages.
    pub tasks: Vec<FailedTask>,
}

impl ImportFailure {
    /// The number of messages over all tasks.
    pub fn message_count(&self) -> usize {
        self.tasks.iter().map(|t| t.messages.len()).sum()
    }
}

impl fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "import job {} failed with status {}",
            self.job_id, self.status
        )?;
        if let Some(details) = &self.details {
            write!(f, ": {details}")?;
        }
        write!(
            f,
            " ({} messages in {} tasks)",
            self.message_count(),
            self.tasks.len()
        )?;
        let first = self.tasks.iter().flat_map(|t| &t.messages).next();
        if let Some(text) = first.and_then(|m| m.msg_text.as_deref()) {
            write!(f, "; first: {text}")?;
        }
        Ok(())
    }
}

/// Why [`start_import`], [`wait_for_import`] or [`import_snapshot_and_wait`] did not end in a
/// successful import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The import POST failed.
    #[error("starting the import failed: {0}")]
    Start(Error<ErrorResponse>),
    /// The server refused the import outright (positive status, no job).
    #[error("the import was refused with status {status}: {}", details.as_deref().unwrap_or("no details"))]
    Refused {
        /// The status (positive).
        status: i32,
        /// The server's explanation.
        details: Option<String>,
    },
    /// The import answer had no usable `Job Status` link.
    #[error("the import answer has no Job Status link ending in a job id")]
    NoJobStatus,
    /// The import ran and failed; every task's messages are inside.
    #[error("{0}")]
    Failed(Box<ImportFailure>),
    /// The import failed, and fetching its messages failed too.
    #[error("import job {job_id} failed with status {status}, and reading its messages failed: {source}")]
    Details {
        /// The job id.
        job_id: i64,
        /// The final status (positive).
        status: i32,
        /// Why the messages could not be read.
        source: Error<ErrorResponse>,
    },
    /// Polling failed or the deadline passed.
    #[error(transparent)]
    Wait(#[from] WaitError<ErrorResponse>),
}

/// How starting an import went.
#[derive(Debug, Clone)]
pub enum Started {
    /// The import runs as job `job_id`; wait for it with [`wait_for_import`].
    Running {
        /// The job id from the answer's `Job Status` link.
        job_id: i64,
        /// The answer to the import POST.
        answer: MigrationJobResponse,
    },
    /// The server finished the import at once (status 0).
    Finished(MigrationJobResponse),
}

/// Starts importing `snapshot` (already uploaded): one POST, so the job id is known before
/// any waiting starts (and can be shown if the wait is cut short).
pub async fn start_import(
    client: &Client,
    api_version: &str,
    snapshot: &str,
    query: &ImportQuery,
) -> Result<Started, ImportError> {
    let answer = client
        .import_snapshot(api_version, snapshot, query)
        .await
        .map_err(ImportError::Start)?
        .into_body();
    match answer.status {
        Some(status) if status > 0 => Err(ImportError::Refused {
            status,
            details: answer.details,
        }),
        Some(0) => Ok(Started::Finished(answer)),
        _ => {
            let job_id = find_link(answer.links.as_deref(), "Job Status")
                .and_then(job_id)
                .ok_or(ImportError::NoJobStatus)?;
            Ok(Started::Running { job_id, answer })
        }
    }
}

/// Starts importing `snapshot` (already uploaded) and waits for the job to finish: the same as
/// [`start_import`] then [`wait_for_import`].
pub async fn import_snapshot_and_wait(
    client: &Client,
    api_version: &str,
    snapshot: &str,
    query: &ImportQuery,
    options: WaitOptions,
    on_progress: impl FnMut(&Progress),
) -> Result<MigrationJobResponse, ImportError> {
    match start_import(client, api_version, snapshot, query).await? {
        Started::Finished(answer) => Ok(answer),
        Started::Running { job_id, .. } => {
            wait_for_import(client, api_version, snapshot, job_id, options, on_progress).await
        }
    }
}

/// Waits for import job `job_id` of `snapshot` to finish (it may have been started by another
/// process: only the job id is needed), by the spec's `import_done` waiter
/// ([`waiters::IMPORT_DONE`]) over a status poll that falls back to POST.
///
/// Returns the final status answer (status 0) on success. On failure, every task's messages
/// are fetched page by page ([`Client::get_migration_details_stream`], with the options of the
/// task's `Job Details` link) and returned in [`ImportError::Failed`].
pub async fn wait_for_import(
    client: &Client,
    api_version: &str,
    snapshot: &str,
    job_id: i64,
    options: WaitOptions,
    on_progress: impl FnMut(&Progress),
) -> Result<MigrationJobResponse, ImportError> {
    let poll = || poll_status(client, api_version, snapshot, job_id);
    let failed = match waiter::declared(&waiters::IMPORT_DONE, poll, options, on_progress).await? {
        Finished::Done(answer) => return Ok(answer),
        Finished::Failed(failure) => failure.last,
    };
    let status = failed.status.unwrap_or_default();
    let mut tasks = Vec::new();
    for (index, item) in failed.items.unwrap_or_default().into_iter().enumerate() {
        let messages = match find_link(item.links.as_deref(), "Job Details") {
            Some(href) => {
                let task = i32::try_from(index).unwrap_or(i32::MAX);
                let params = details_params(href);
                client
                    .get_migration_details_stream(api_version, snapshot, job_id, task, &params)
                    .try_collect()
                    .await
                    .map_err(|source| ImportError::Details {
                        job_id,
                        status,
                        source,
                    })?
            }
            None => Vec::new(),
        };
        tasks.push(FailedTask {
            source: item.source,
            destination: item.destination,
            name: item.name,
            messages,
        });
    }
    Err(ImportError::Failed(Box::new(ImportFailure {
        job_id,
        status,
        details: failed.details,
        tasks,
    })))
}

/// One status poll: GET as documented, and the same request as POST if GET gets 405.
async fn poll_status(
    client: &Client,
    api_version: &str,
    snapshot: &str,
    job_id: i64,
) -> Result<Response<MigrationJobResponse>, Error<ErrorResponse>> {
    match client
        .get_migration_status(api_version, snapshot, job_id)
        .await
    {
        Err(error) if error.status() == Some(405) => {
            let request = Client::get_migration_status_request(api_version, snapshot, job_id)?
                .with_method(Method::POST);
            let raw = client.transport().send::<ErrorResponse>(request).await?;
            match raw.status() {
                200 => raw.json::<MigrationJobResponse, ErrorResponse>(),
                _ => Err(raw.error()),
            }
        }
        answer => answer,
    }
}

/// The page options of a `Job Details` link (its `limit`, `offset` and `msgtype`), so the
/// messages are read as the server linked them.
fn details_params(href: &str) -> GetMigrationDetailsParams {
    let mut params = GetMigrationDetailsParams::default();
    let Ok(url) = Url::parse("http://link.invalid/").and_then(|base| base.join(href)) else {
        return params;
    };
    for (name, value) in url.query_pairs() {
        match name.as_ref() {
            "limit" => params.limit = value.parse().ok(),
            "offset" => params.offset = value.parse().ok(),
            "msgtype" => params.msgtype = Some(MessageType::from_wire(value.into_owned())),
            _ => {}
        }
    }
    params
}

/// The href of the first link with relation `rel` (relations contain spaces and are compared
/// ignoring case).
fn find_link<'a>(links: Option<&'a [Link]>, rel: &str) -> Option<&'a str> {
    links?
        .iter()
        .find(|l| {
            l.rel
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(rel))
        })?
        .href
        .as_deref()
}

/// The job id: the last path segment of the `Job Status` href.
fn job_id(href: &str) -> Option<i64> {
    let path = href.split(['?', '#']).next()?;
    path.trim_end_matches('/').rsplit('/').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_ids_come_from_the_last_segment() {
        let base = "https://h/interop/rest/11.1.2.3.600/applicationsnapshots/Snap1/migration";
        assert_eq!(job_id(&format!("{base}/9")), Some(9));
        assert_eq!(job_id(&format!("{base}/1234/?x=1")), Some(1234));
        assert_eq!(job_id(base), None);
    }

    #[test]
    fn details_links_give_their_page_options() {
        let href = "https://h/interop/rest/11.1.2.3.600/applicationsnapshots/S/migration/9/0/details?limit=25&msgtype=error&offset=50";
        let params = details_params(href);
        assert_eq!((params.limit, params.offset), (Some(25), Some(50)));
        assert_eq!(params.msgtype, Some(MessageType::from_wire("error".into())));
        let relative = details_params("/x/details?limit=10");
        assert_eq!((relative.limit, relative.offset), (Some(10), None));
    }
}
