//! PowerStore: logging in to an array, waiting for jobs and import sessions, finding a session
//! by name.
//!
//! Why by hand: which job phases and session states are final, and which of them count as
//! failure, is vendor knowledge the spec only states in prose. Jobs are polled with the
//! generated `job_instance_query` and its default `select` (every plain field; the relations
//! `parent`, `children`, `root` and `leafs` are left out). A finished job's `response_body` is
//! the generated `BaseResponse` union, chosen by `response_type`: a `job_error_response` carries
//! the messages of a failure, a `job_create_response` the id a create made. Old arrays send only
//! the deprecated UPPER_CASE `state`, so it is read when `phase` is absent.

use super::ConnectOptions;
use crate::powerstore::operations::{
    ImportSessionCollectionQueryParams, ImportSessionInstanceQueryParams, JobInstanceQueryParams,
};
use crate::powerstore::types::{
    BaseResponse, ErrorInstance, ErrorMessage, ErrorResponse, ImportSessionInstance,
    ImportSessionStateEnum, JobInstance,
};
use crate::powerstore::Client;
use migrate_runtime::wait::{self, Outcome, Poll, Progress, WaitError, WaitOptions};
use migrate_runtime::{Auth, Error, Secret, StringEnum};
use std::convert::Infallible;
use std::fmt;

/// The session fields polled: the state, its progress and its error.
const SESSION_SELECT: &str =
    "id,name,state,progress_percentage,estimated_completion_timestamp,error,last_update_timestamp";

/// A client for the array at `host_url` (`https://array`), logging in with a PowerStore session
/// (`auth_cookie` plus `DELL-EMC-TOKEN`) on first use and again when the session expires.
pub fn connect(
    host_url: &str,
    user: impl Into<String>,
    password: impl Into<Secret>,
    options: &ConnectOptions,
) -> Result<Client, Error<Infallible>> {
    let auth = Auth::PowerStore {
        user: user.into(),
        password: password.into(),
    };
    options
        .transport(host_url, Client::BASE_PATH, auth)
        .map(Client::new)
}

/// How a job that did not fail ended.
#[derive(Debug, Clone)]
pub struct JobOutcome {
    /// The job as last seen.
    pub job: JobInstance,
    /// `Skipped` rather than `Completed`.
    pub skipped: bool,
    /// The id a create job made (its `job_create_response`), if any.
    pub created_id: Option<String>,
}

/// A job that ended in `Failed` or `Unrecoverable_Failed`.
#[derive(Debug, Clone)]
pub struct JobFailure {
    /// The job id.
    pub job_id: String,
    /// The final phase (or deprecated state), as sent.
    pub phase: String,
    /// `response_status`: the HTTP status the operation would have answered, e.g. `422`.
    pub response_status: Option<String>,
    /// The messages of the `job_error_response` (code, severity, message_l10n, arguments).
    pub messages: Vec<ErrorMessage>,
    /// The job as last seen.
    pub job: JobInstance,
}

impl fmt::Display for JobFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "job {} ended {}", self.job_id, self.phase)?;
        if let Some(status) = &self.response_status {
            write!(f, " (status {status})")?;
        }
        for message in &self.messages {
            f.write_str(": ")?;
            write_message(
                f,
                message.code.as_deref(),
                message.severity.as_ref().map(StringEnum::as_wire),
                message.message_l10n.as_deref(),
            )?;
        }
        Ok(())
    }
}

/// Why [`wait_for_job`] did not return a finished job.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The job failed; the server's messages are inside.
    #[error("{0}")]
    Failed(Box<JobFailure>),
    /// Polling failed or the deadline passed.
    #[error(transparent)]
    Wait(#[from] WaitError<ErrorResponse>),
}

/// Where a job stands.
enum JobPhase {
    Running(String),
    Succeeded { skipped: bool },
    Failed(String),
}

/// Reads `phase`, or the deprecated `state` when an older array sent only that.
#[allow(deprecated)]
fn job_phase(job: &JobInstance) -> JobPhase {
    let name = match (&job.phase, &job.state) {
        (Some(phase), _) => phase.as_wire().to_owned(),
        (None, Some(state)) => state.as_wire().to_owned(),
        (None, None) => return JobPhase::Running("unknown".to_owned()),
    };
    match name.to_ascii_uppercase().as_str() {
        "COMPLETED" => JobPhase::Succeeded { skipped: false },
        "SKIPPED" => JobPhase::Succeeded { skipped: true },
        "FAILED" | "UNRECOVERABLE_FAILED" => JobPhase::Failed(name),
        // Pending, Queued, In_Progress, and Failing (which still moves on to a failed phase).
        _ => JobPhase::Running(name),
    }
}

/// Polls `GET /job/{id}` until the job reaches a final phase.
///
/// `Completed` and `Skipped` are success; `Failed` and `Unrecoverable_Failed` give
/// [`JobError::Failed`] with the messages of the job's `response_body`. `Failing` is not final.
/// `on_progress` sees the phase and `progress_percentage` of every pending answer.
pub async fn wait_for_job(
    client: &Client,
    job_id: &str,
    options: WaitOptions,
    on_progress: impl FnMut(&Progress),
) -> Result<JobOutcome, JobError> {
    let params = JobInstanceQueryParams::default();
    let poll = || async {
        client
            .job_instance_query(job_id, &params)
            .await
            .map(|r| r.into_body())
    };
    let classify = |job: JobInstance| match job_phase(&job) {
        JobPhase::Running(name) => {
            let mut progress =
                Progress::new(name).with_percent(job.progress_percentage.map(i64::from));
            if let Some(description) = &job.description_l10n {
                progress = progress.with_detail(description.clone());
            }
            Poll::Pending(progress)
        }
        JobPhase::Succeeded { skipped } => Poll::Done(Ok(JobOutcome {
            created_id: match &job.response_body {
                Some(BaseResponse::JobCreateResponse(created)) => created.id.clone(),
                _ => None,
            },
            job,
            skipped,
        })),
        JobPhase::Failed(phase) => Poll::Failed(Err(Box::new(JobFailure {
            job_id: job.id.clone().unwrap_or_else(|| job_id.to_owned()),
            phase,
            response_status: job.response_status.as_ref().map(|s| s.to_string()),
            messages: match &job.response_body {
                Some(BaseResponse::JobErrorResponse(error)) => {
                    error.messages.clone().unwrap_or_default()
                }
                _ => Vec::new(),
            },
            job,
        }))),
    };
    match wait::until(poll, classify, options, on_progress).await? {
        Outcome::Done(done) | Outcome::Failed(done) => done.map_err(JobError::Failed),
    }
}

/// An import session that reached a failure state instead of a target.
#[derive(Debug, Clone)]
pub struct SessionFailure {
    /// The session id.
    pub id: String,
    /// The session name, if the server sent it.
    pub name: Option<String>,
    /// The failure state reached.
    pub state: ImportSessionStateEnum,
    /// The session's `error` (code, message_l10n, arguments), if it has one.
    pub error: Option<ErrorInstance>,
    /// The session as last seen.
    pub session: ImportSessionInstance,
}

impl fmt::Display for SessionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "import session {}",
            self.name.as_deref().unwrap_or(&self.id)
        )?;
        write!(f, " is {}", self.state)?;
        if let Some(error) = &self.error {
            f.write_str(": ")?;
            write_message(
                f,
                error.code.as_deref(),
                None,
                error.message_l10n.as_deref(),
            )?;
        }
        Ok(())
    }
}

/// Why [`wait_for_import_session`] did not reach a target state.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The session reached a failure state.
    #[error("{0}")]
    Failed(Box<SessionFailure>),
    /// The session is in a final state that is not one of the targets (e.g. `Import_Completed`
    /// while waiting for `Cancelled`): it will never reach them.
    #[error("import session {} is {}, a final state: it will not reach {}", .0.name.as_deref().unwrap_or(&.0.id), .0.state, .1.join(" or "))]
    Unreachable(Box<SessionFailure>, Vec<String>),
    /// Polling failed or the deadline passed.
    #[error(transparent)]
    Wait(#[from] WaitError<ErrorResponse>),
}

/// States from which an import session does not reach a success state without help:
/// failed, cancelled, or waiting for an operator's cancel or cleanup.
pub const SESSION_FAILURE_STATES: &[ImportSessionStateEnum] = &[
    ImportSessionStateEnum::Failed,
    ImportSessionStateEnum::Cancelled,
    ImportSessionStateEnum::CancelFailed,
    ImportSessionStateEnum::CleanupFailed,
    ImportSessionStateEnum::Invalid,
    ImportSessionStateEnum::ImportCompletedWithErrors,
    ImportSessionStateEnum::CancelRequired,
    ImportSessionStateEnum::CleanupRequired,
];

/// States an import session never leaves: waiting for anything else from one of them is
/// pointless.
pub const SESSION_FINAL_STATES: &[ImportSessionStateEnum] = &[
    ImportSessionStateEnum::ImportCompleted,
    ImportSessionStateEnum::ImportCompletedWithErrors,
    ImportSessionStateEnum::Cancelled,
    ImportSessionStateEnum::Failed,
    ImportSessionStateEnum::Invalid,
];

/// Polls `GET /import_session/{id}` until its state is one of `targets` (e.g.
/// `Ready_For_Cutover` or `Import_Completed`), which is success, or one of
/// [`SESSION_FAILURE_STATES`], which gives [`SessionError::Failed`] with the session's `error`.
/// Targets are checked first, so a failure state may be waited for on purpose. A session in
/// one of the [`SESSION_FINAL_STATES`] that is not a target ends the wait at once
/// ([`SessionError::Unreachable`]), on the first poll if it is there already.
pub async fn wait_for_import_session(
    client: &Client,
    id: &str,
    targets: &[ImportSessionStateEnum],
    options: WaitOptions,
    on_progress: impl FnMut(&Progress),
) -> Result<ImportSessionInstance, SessionError> {
    let params = ImportSessionInstanceQueryParams {
        select: Some(SESSION_SELECT.to_owned()),
    };
    let poll = || async {
        client
            .import_session_instance_query(id, &params)
            .await
            .map(|r| r.into_body())
    };
    let classify = |session: ImportSessionInstance| {
        let Some(state) = session.state.clone() else {
            return Poll::Pending(Progress::new("unknown"));
        };
        let failure = |session: ImportSessionInstance, state| {
            Box::new(SessionFailure {
                id: session.id.clone().unwrap_or_else(|| id.to_owned()),
                name: session.name.clone(),
                error: session.error.clone(),
                state,
                session,
            })
        };
        if targets.contains(&state) {
            Poll::Done(Ok(session))
        } else if SESSION_FAILURE_STATES.contains(&state) {
            Poll::Failed(Err(SessionError::Failed(failure(session, state))))
        } else if SESSION_FINAL_STATES.contains(&state) {
            let wanted = targets.iter().map(|t| t.as_wire().to_owned()).collect();
            Poll::Failed(Err(SessionError::Unreachable(
                failure(session, state),
                wanted,
            )))
        } else {
            let mut progress = Progress::new(state.as_wire())
                .with_percent(session.progress_percentage.map(i64::from));
            if let Some(name) = &session.name {
                progress = progress.with_detail(name.clone());
            }
            Poll::Pending(progress)
        }
    };
    match wait::until(poll, classify, options, on_progress).await? {
        Outcome::Done(done) | Outcome::Failed(done) => done,
    }
}

/// The import session named `name`, if there is one (`GET /import_session?name=eq.<name>`).
///
/// The server compares names ignoring case; an exact match is preferred over one that differs
/// only in case.
pub async fn find_import_session_by_name(
    client: &Client,
    name: &str,
) -> Result<Option<ImportSessionInstance>, Error<serde_json::Value>> {
    let params = ImportSessionCollectionQueryParams {
        select: Some(format!(
            "{SESSION_SELECT},type,remote_system_id,source_resource_id"
        )),
        filter: vec![("name".to_owned(), format!("eq.{name}"))],
        ..ImportSessionCollectionQueryParams::default()
    };
    let mut found = client
        .import_session_collection_query(&params)
        .await?
        .into_body();
    let exact = found.iter().position(|s| s.name.as_deref() == Some(name));
    Ok(match exact {
        Some(i) => Some(found.swap_remove(i)),
        None => found.into_iter().next(),
    })
}

/// `[code] severity: text` for one PowerStore message.
fn write_message(
    f: &mut fmt::Formatter<'_>,
    code: Option<&str>,
    severity: Option<&str>,
    text: Option<&str>,
) -> fmt::Result {
    if let Some(code) = code {
        write!(f, "[{code}] ")?;
    }
    if let Some(severity) = severity {
        write!(f, "{severity}: ")?;
    }
    f.write_str(text.unwrap_or("(no message)"))
}
