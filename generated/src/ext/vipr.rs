//! ViPR: connecting, and waiting for every task a request started.
//!
//! One task is waited for by the spec's `task_done` waiter (generated:
//! `Client::wait_until_task_done`). What spans several calls is here: a partial full copy of a
//! volume group answers with one task per array replication group, and the controller says
//! they cannot be monitored together, so each runs its own wait, all at once, until every one
//! has stopped; progress is reported over all of them. A task stops in one of three ways that
//! a caller must tell apart: `ready` (done), `error` (failed, with a `service_error`), or
//! `suspended_error` / `suspended_no_error` (a paused workflow that only an operator can resume
//! or roll back, so waiting longer would not help).

use super::ConnectOptions;
use crate::vipr::types::{ServiceError, Task, TaskState};
use crate::vipr::Client;
use migrate_runtime::futures::future;
use migrate_runtime::wait::{Progress, WaitError, WaitOptions};
use migrate_runtime::waiter::Finished;
use migrate_runtime::{Auth, Error, Secret};
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

/// How a task the `task_done` waiter finished with stopped.
fn outcome(finished: &Finished<Task>) -> TaskOutcome {
    let failure = match finished {
        Finished::Done(_) => return TaskOutcome::Ready,
        Finished::Failed(failure) => failure,
    };
    match failure.last.state {
        Some(TaskState::SuspendedError) => TaskOutcome::NeedsOperator { with_error: true },
        Some(TaskState::SuspendedNoError) => TaskOutcome::NeedsOperator { with_error: false },
        _ => TaskOutcome::Failed(
            failure
                .last
                .service_error
                .as_ref()
                .map(ServiceErrorDetails::from),
        ),
    }
}

/// Where every task stands, for one progress report over all of them.
struct Fleet<F> {
    /// The last progress of each task still running, `None` before its first answer.
    running: Vec<Option<Progress>>,
    /// The last percentage of each task (a stopped one keeps its own).
    percent: Vec<i64>,
    finished: Vec<bool>,
    report: F,
}

impl<F: FnMut(&Progress)> Fleet<F> {
    /// Reports how many tasks have stopped, their mean progress, and the state of the first
    /// task still running (as of the task whose answer came in: `latest`).
    fn report(&mut self, latest: &Progress) {
        let done = self.finished.iter().filter(|f| **f).count();
        let total = self.finished.len();
        let state = self
            .running
            .iter()
            .zip(&self.finished)
            .find(|(_, finished)| !**finished)
            .and_then(|(p, _)| p.as_ref())
            .map_or("unknown", |p| p.state.as_str());
        let mut progress = Progress::new(state)
            .with_percent(Some(self.percent.iter().sum::<i64>() / total.max(1) as i64))
            .with_detail(format!("{done} of {total} tasks finished"));
        progress.elapsed = latest.elapsed;
        (self.report)(&progress);
    }
}

/// Waits for every task in `task_ids` with the spec's `task_done` waiter
/// ([`Client::wait_until_task_done`]), all at once, and returns one result per id, in the same
/// order. A task that has stopped is not polled again.
///
/// Failed and suspended tasks are results, not errors: the `Err` cases are a failed poll and
/// the deadline (either ends the whole wait). `on_progress` sees how many tasks have stopped,
/// their mean progress, and the state of the first task still running.
pub async fn wait_for_tasks(
    client: &Client,
    task_ids: &[String],
    options: WaitOptions,
    on_progress: impl FnMut(&Progress),
) -> Result<Vec<TaskResult>, WaitError<ServiceError>> {
    let fleet = Mutex::new(Fleet {
        running: vec![None; task_ids.len()],
        percent: vec![0; task_ids.len()],
        finished: vec![false; task_ids.len()],
        report: on_progress,
    });
    let fleet = &fleet;
    let lock = || fleet.lock().unwrap_or_else(PoisonError::into_inner);
    let waits = task_ids.iter().enumerate().map(|(i, id)| async move {
        let seen = move |progress: &Progress| {
            let mut fleet = lock();
            fleet.percent[i] = progress.percent.map_or(0, i64::from);
            fleet.running[i] = Some(progress.clone());
            fleet.report(progress);
        };
        let finished = client.wait_until_task_done(id, Some(options), seen).await?;
        let task = match &finished {
            Finished::Done(task) => task.clone(),
            Finished::Failed(failure) => failure.last.clone(),
        };
        let mut fleet = lock();
        fleet.finished[i] = true;
        fleet.percent[i] = task.progress.map_or(0, i64::from);
        Ok(TaskResult {
            id: id.clone(),
            outcome: outcome(&finished),
            task,
        })
    });
    future::try_join_all(waits).await
}
