//! ViPR: connecting, and waiting for every task a request started.
//!
//! Why by hand: a partial full copy of a volume group answers with one task per array
//! replication group, and the controller says they cannot be monitored together, so each is
//! polled on its own until all of them have stopped. A task stops in one of three ways that a
//! caller must tell apart: `ready` (done), `error` (failed, with a `service_error`), or
//! `suspended_error` / `suspended_no_error` (a paused workflow that only an operator can resume
//! or roll back, so waiting longer would not help).

use super::ConnectOptions;
use crate::vipr::types::{ServiceError, Task, TaskState};
use crate::vipr::Client;
use migrate_runtime::wait::{self, Outcome, Poll, Progress, WaitError, WaitOptions};
use migrate_runtime::{Auth, Error, Secret, StringEnum};
use std::convert::Infallible;
use std::sync::{Mutex, PoisonError};

/// A client for the controller at `host_url` (`https://vip:4443`), logging in with
/// `GET /login` on first use and again when the token expires (401, or a 302 to `/login`).
pub fn connect(
    host_url: &str,
    user: impl Into<String>,
    password: impl Into<Secret>,
    options: &ConnectOptions,
) -> Result<Client, Error<Infallible>> {
    let auth = Auth::Vipr {
        user: user.into(),
        password: password.into(),
    };
    options
        .transport(host_url, Client::BASE_PATH, auth)
        .map(Client::new)
}

/// How one task stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskOutcome {
    /// `ready`.
    Ready,
    /// `error`, with the task's `service_error` (absent only if the server left it out).
    Failed(Option<ServiceErrorDetails>),
    /// `suspended_error` or `suspended_no_error`: an operator must resume or roll it back.
    NeedsOperator {
        /// `suspended_error` rather than `suspended_no_error`.
        with_error: bool,
    },
}

/// The fields of a `service_error`, owned and comparable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceErrorDetails {
    /// ViPR service code.
    pub code: Option<i32>,
    /// Short description.
    pub description: Option<String>,
    /// What went wrong in this task.
    pub details: Option<String>,
    /// Whether the same request may succeed later.
    pub retryable: Option<bool>,
}

impl From<&ServiceError> for ServiceErrorDetails {
    fn from(e: &ServiceError) -> Self {
        Self {
            code: e.code,
            description: e.description.clone(),
            details: e.details.clone(),
            retryable: e.retryable,
        }
    }
}

/// One task's end.
#[derive(Debug, Clone)]
pub struct TaskResult {
    /// The task URN that was waited for.
    pub id: String,
    /// How it stopped.
    pub outcome: TaskOutcome,
    /// The task as last seen.
    pub task: Task,
}

/// How a task stands, or `None` while it is still queued or running.
fn outcome(task: &Task) -> Option<TaskOutcome> {
    match task.state.as_ref()? {
        TaskState::Ready => Some(TaskOutcome::Ready),
        TaskState::Error => Some(TaskOutcome::Failed(
            task.service_error.as_ref().map(ServiceErrorDetails::from),
        )),
        TaskState::SuspendedError => Some(TaskOutcome::NeedsOperator { with_error: true }),
        TaskState::SuspendedNoError => Some(TaskOutcome::NeedsOperator { with_error: false }),
        TaskState::Queued | TaskState::Pending | TaskState::Unknown(_) => None,
    }
}

/// Polls every task in `task_ids` (`GET /vdc/tasks/{id}`) until each has stopped, and returns
/// one result per id, in the same order. A task that has stopped is not polled again.
///
/// Failed and suspended tasks are results, not errors: the `Err` cases are a failed poll and
/// the deadline. `on_progress` sees how many tasks have stopped, their mean progress, and the
/// state of the first task still running.
pub async fn wait_for_tasks(
    client: &Client,
    task_ids: &[String],
    options: WaitOptions,
    on_progress: impl FnMut(&Progress),
) -> Result<Vec<TaskResult>, WaitError<ServiceError>> {
    // The last answer for each task; shared by the polls, each of which skips stopped tasks.
    let latest: Mutex<Vec<Option<Task>>> = Mutex::new(vec![None; task_ids.len()]);
    let latest = &latest;
    let poll = || async move {
        let pending: Vec<usize> = {
            let seen = latest.lock().unwrap_or_else(PoisonError::into_inner);
            (0..task_ids.len())
                .filter(|&i| seen[i].as_ref().and_then(outcome).is_none())
                .collect()
        };
        for i in pending {
            let task = client.get_task(&task_ids[i]).await?.into_body();
            latest.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(task);
        }
        let seen = latest.lock().unwrap_or_else(PoisonError::into_inner);
        Ok::<_, Error<ServiceError>>(seen.clone())
    };
    let classify = |tasks: Vec<Option<Task>>| {
        let outcomes: Vec<Option<TaskOutcome>> =
            tasks.iter().map(|t| t.as_ref().and_then(outcome)).collect();
        if outcomes.iter().all(Option::is_some) {
            return Poll::Done(
                task_ids
                    .iter()
                    .zip(tasks.into_iter().flatten())
                    .zip(outcomes.into_iter().flatten())
                    .map(|((id, task), outcome)| TaskResult {
                        id: id.clone(),
                        outcome,
                        task,
                    })
                    .collect(),
            );
        }
        let running = tasks
            .iter()
            .zip(&outcomes)
            .find(|(_, o)| o.is_none())
            .and_then(|(t, _)| t.as_ref()?.state.as_ref())
            .map_or("unknown", |s| s.as_wire());
        let percent = tasks
            .iter()
            .flatten()
            .map(|t| i64::from(t.progress.unwrap_or_default()))
            .sum::<i64>()
            / tasks.len().max(1) as i64;
        let done = outcomes.iter().flatten().count();
        Poll::Pending(
            Progress::new(running)
                .with_percent(Some(percent))
                .with_detail(format!("{done} of {} tasks finished", tasks.len())),
        )
    };
    match wait::until(poll, classify, options, on_progress).await? {
        Outcome::Done(results) | Outcome::Failed(results) => Ok(results),
    }
}
