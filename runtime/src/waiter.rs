//! Waiters declared in specs (`x-migrate-waiter`): where an operation's answer holds the
//! state of some work, and which values mean done, failed or still running.
//!
//! Generated code holds one [`Rule`] per declaration (a constant) and a
//! `wait_until_<name>` method that polls the declared operation through [`declared`].
//! Everything else is here, written once: reading the state and progress out of the
//! answer by JSON pointer, comparing values (ignoring case, as old and new spellings of
//! one state differ only in case), the failure's messages, and the loop itself
//! ([`crate::wait::until`], which also polls again after a transient failure).

use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::wait::{self, Outcome, Poll, Progress, WaitError, WaitOptions};
use crate::{Error, Response, ServiceMessage};

/// One declared waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The declaration's name (`wait_until_<name>`).
    pub name: &'static str,
    /// The operation it polls.
    pub operation: &'static str,
    /// JSON pointers to the state in the answer; the first one present is read.
    pub state: &'static [&'static str],
    /// Values that mean the work is done.
    pub success: &'static [&'static str],
    /// Values that mean it failed (or ended where it cannot go on by itself).
    pub failure: &'static [&'static str],
    /// Values that mean it is still running; empty when every other value does.
    pub pending: &'static [&'static str],
    /// Whether a value in none of the lists means failure (else it means pending).
    pub unknown_is_failure: bool,
    /// A JSON pointer to a percentage, if the answer has one.
    pub progress: Option<&'static str>,
    /// A JSON pointer to a text shown with the progress.
    pub detail: Option<&'static str>,
    /// A JSON pointer to the service's messages about a failure.
    pub messages: Option<&'static str>,
    /// The first pause between polls.
    pub interval: Duration,
    /// The longest pause.
    pub max_interval: Duration,
    /// How long to wait by default.
    pub timeout: Duration,
}

/// What one answer means under a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Still running.
    Pending(Progress),
    /// Done, in this state.
    Done(String),
    /// Failed, in this state, with the service's messages.
    Failed {
        /// The state.
        state: String,
        /// What the service said about it.
        messages: Vec<ServiceMessage>,
    },
}

/// How a declared wait ended, when it ended.
#[derive(Debug, Clone)]
pub enum Finished<T> {
    /// The work is done; the last answer.
    Done(T),
    /// The work failed.
    Failed(Failure<T>),
}

/// Work that failed: its state, the service's messages and the last answer.
#[derive(Debug, Clone)]
pub struct Failure<T> {
    /// The state it ended in.
    pub state: String,
    /// What the service said about it.
    pub messages: Vec<ServiceMessage>,
    /// The last answer.
    pub last: T,
}

impl Rule {
    /// The wait options the declaration gives (its pauses and deadline).
    pub fn options(&self) -> WaitOptions {
        WaitOptions {
            interval: self.interval,
            max_interval: self.max_interval,
            timeout: self.timeout,
            ..WaitOptions::default()
        }
    }

    /// The state in an answer, as text (numbers as written), if present.
    pub fn state_of(&self, answer: &Value) -> Option<String> {
        self.state
            .iter()
            .filter_map(|pointer| answer.pointer(pointer))
            .find(|v| !v.is_null())
            .map(text)
    }

    /// What `answer` means, with `success` as the values that mean done (the
    /// declaration's own [`Rule::success`], or the states a caller waits for).
    pub fn judge(&self, answer: &Value, success: &[&str]) -> Verdict {
        let Some(state) = self.state_of(answer) else {
            return Verdict::Pending(self.progress_of(answer, "unknown"));
        };
        let is = |values: &[&str]| values.iter().any(|v| v.eq_ignore_ascii_case(&state));
        if is(success) {
            return Verdict::Done(state);
        }
        let failed =
            is(self.failure) || (self.unknown_is_failure && !is(self.pending) && !is(self.success));
        if failed {
            let messages = self
                .messages
                .and_then(|pointer| answer.pointer(pointer))
                .map(crate::messages::of_value)
                .unwrap_or_default();
            return Verdict::Failed { state, messages };
        }
        Verdict::Pending(self.progress_of(answer, &state))
    }

    fn progress_of(&self, answer: &Value, state: &str) -> Progress {
        let percent = self
            .progress
            .and_then(|pointer| answer.pointer(pointer))
            .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)));
        let mut progress = Progress::new(state).with_percent(percent);
        if let Some(detail) = self
            .detail
            .and_then(|pointer| answer.pointer(pointer))
            .filter(|v| !v.is_null())
        {
            progress = progress.with_detail(text(detail));
        }
        progress
    }
}

/// A JSON value as text: strings as they are, other scalars as written.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Polls `poll` (the declared operation) until the rule says done or failed, or the
/// deadline in `options` passes; `on_progress` sees each pending answer.
pub async fn declared<T, E, Fut>(
    rule: &Rule,
    poll: impl FnMut() -> Fut,
    options: WaitOptions,
    on_progress: impl FnMut(&Progress),
) -> Result<Finished<T>, WaitError<E>>
where
    T: Serialize,
    Fut: Future<Output = Result<Response<T>, Error<E>>>,
{
    declared_until(rule, rule.success, poll, options, on_progress).await
}

/// [`declared`], with the values that mean done given by the caller (a CLI's
/// `wait --until STATE`).
pub async fn declared_until<T, E, Fut>(
    rule: &Rule,
    success: &[&str],
    mut poll: impl FnMut() -> Fut,
    options: WaitOptions,
    on_progress: impl FnMut(&Progress),
) -> Result<Finished<T>, WaitError<E>>
where
    T: Serialize,
    Fut: Future<Output = Result<Response<T>, Error<E>>>,
{
    let poll = move || {
        let answer = poll();
        async move { answer.await.map(Response::into_body) }
    };
    let classify = |answer: T| {
        let value = serde_json::to_value(&answer).unwrap_or(Value::Null);
        match rule.judge(&value, success) {
            Verdict::Pending(progress) => Poll::Pending(progress),
            Verdict::Done(_) => Poll::Done(Finished::Done(answer)),
            Verdict::Failed { state, messages } => Poll::Failed(Finished::Failed(Failure {
                state,
                messages,
                last: answer,
            })),
        }
    };
    match wait::until(poll, classify, options, on_progress).await? {
        Outcome::Done(finished) | Outcome::Failed(finished) => Ok(finished),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const JOB: Rule = Rule {
        name: "job_done",
        operation: "job_instance_query",
        state: &["/phase", "/state"],
        success: &["Completed", "Skipped"],
        failure: &["Failed", "Unrecoverable_Failed"],
        pending: &[],
        unknown_is_failure: false,
        progress: Some("/progress_percentage"),
        detail: Some("/description_l10n"),
        messages: Some("/response_body"),
        interval: Duration::from_millis(1),
        max_interval: Duration::from_millis(1),
        timeout: Duration::from_secs(1),
    };

    #[test]
    fn states_are_read_in_order_and_compared_ignoring_case() {
        assert_eq!(
            JOB.judge(&json!({"phase": "Completed"}), JOB.success),
            Verdict::Done("Completed".into())
        );
        // Old arrays send only the deprecated UPPER_CASE `state`.
        assert_eq!(
            JOB.judge(&json!({"state": "COMPLETED"}), JOB.success),
            Verdict::Done("COMPLETED".into())
        );
        match JOB.judge(
            &json!({"phase": "In_Progress", "progress_percentage": 40, "description_l10n": "Copy"}),
            JOB.success,
        ) {
            Verdict::Pending(p) => {
                assert_eq!(
                    (p.state.as_str(), p.percent, p.detail.as_deref()),
                    ("In_Progress", Some(40), Some("Copy"))
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(JOB.judge(&json!({}), JOB.success), Verdict::Pending(p) if p.state == "unknown")
        );
    }

    #[test]
    fn failures_carry_the_service_messages() {
        let failed = JOB.judge(
            &json!({"phase": "Failed", "response_body": {"messages": [{"code": "0xE1", "message_l10n": "No room."}]}}),
            JOB.success,
        );
        match failed {
            Verdict::Failed { state, messages } => {
                assert_eq!(state, "Failed");
                assert_eq!(messages[0].to_string(), "[0xE1] No room.");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_values_follow_the_declaration_and_numbers_are_text() {
        let lcm = Rule {
            state: &["/status"],
            success: &["0"],
            failure: &[],
            pending: &["-1"],
            unknown_is_failure: true,
            messages: Some("/details"),
            ..JOB
        };
        assert!(matches!(
            lcm.judge(&json!({"status": -1}), lcm.success),
            Verdict::Pending(_)
        ));
        assert_eq!(
            lcm.judge(&json!({"status": 0}), lcm.success),
            Verdict::Done("0".into())
        );
        match lcm.judge(
            &json!({"status": 3, "details": "Import failed."}),
            lcm.success,
        ) {
            Verdict::Failed { state, messages } => {
                assert_eq!(
                    (state.as_str(), messages[0].to_string()),
                    ("3", "Import failed.".into())
                )
            }
            other => panic!("{other:?}"),
        }
        // A caller's own targets.
        assert!(matches!(
            JOB.judge(&json!({"phase": "Queued"}), &["queued"]),
            Verdict::Done(_)
        ));
    }
}
