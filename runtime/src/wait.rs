//! Waiting for long-running work: PowerStore jobs and import sessions, LCM migrations, ViPR
//! tasks.
//!
//! Each vendor reports state differently, so the caller supplies `poll` (fetch the status)
//! and `classify` (is it pending, done or failed); this module supplies the loop: a gentle
//! backoff between polls, progress callbacks for the CLI, and an overall deadline that ends
//! in its own error so "it failed" and "we stopped waiting" are never confused.
//!
//! A wait can last an hour, and one hiccup must not end it: a poll that fails transiently
//! (see [`crate::Error::is_transient`]: a 5xx, a reset, a timeout; also a body that did not
//! decode, which a proxy can garble) is logged and polled again at the next pause, within the
//! deadline, until [`WaitOptions::max_failed_polls`] fail in a row. (The transport has
//! already retried what it safely could, and logged in again on an expired session.) Any other
//! failure ends the wait at once. A status that is final on the first poll ends the wait
//! without a pause.

use crate::Error;
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How patiently to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Pause after the first poll (default 2 s); it grows by half each time. A zero pause is
    /// taken as 1 ms.
    pub interval: Duration,
    /// The longest pause between polls (default 15 s).
    pub max_interval: Duration,
    /// Give up after this long (default 1 h).
    pub timeout: Duration,
    /// Polls in a row that may fail transiently before the wait gives up (default 5; at
    /// least 1).
    pub max_failed_polls: u32,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(15),
            timeout: Duration::from_secs(3600),
            max_failed_polls: 5,
        }
    }
}

/// Where pending work stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The vendor's state name, e.g. `Copy_In_Progress`, `pending`, `-1`.
    pub state: String,
    /// Percent complete, when the server says.
    pub percent: Option<u8>,
    /// Time since waiting started (filled in by [`until`]).
    pub elapsed: Duration,
    /// Anything else worth showing.
    pub detail: Option<String>,
}

impl Progress {
    /// Progress in `state`, with no percentage or detail.
    pub fn new(state: impl Into<String>) -> Self {
        Self {
            state: state.into(),
            percent: None,
            elapsed: Duration::ZERO,
            detail: None,
        }
    }

    /// Sets the percentage, clamped to 0..=100.
    pub fn with_percent(mut self, percent: Option<i64>) -> Self {
        self.percent = percent.map(|p| p.clamp(0, 100) as u8);
        self
    }

    /// Sets the detail text.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.state)?;
        if let Some(percent) = self.percent {
            write!(f, " {percent}%")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        write!(f, " after {}s", self.elapsed.as_secs())
    }
}

/// What one status answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll<T> {
    /// Still running.
    Pending(Progress),
    /// Finished successfully.
    Done(T),
    /// Finished unsuccessfully; `T` says why.
    Failed(T),
}

/// How the work ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// Finished successfully.
    Done(T),
    /// Finished unsuccessfully.
    Failed(T),
}

/// Why waiting stopped before the work ended.
#[derive(Debug)]
pub enum WaitError<E> {
    /// A status poll failed for a reason polling again would not fix, or `failures`
    /// transient failures came in a row ([`WaitOptions::max_failed_polls`]).
    Poll {
        /// The last failure.
        error: Error<E>,
        /// Failed polls in a row, the last one included.
        failures: u32,
    },
    /// The deadline passed while the work was still pending (or while polls were failing);
    /// it may still be running.
    Timeout {
        /// The last progress seen, if any poll answered.
        last: Option<Progress>,
        /// The failure of the last poll, when the last poll failed.
        last_error: Option<Error<E>>,
    },
}

impl<E> std::fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Poll { error, failures } if *failures > 1 => write!(
                f,
                "checking progress failed {failures} times in a row; the last time: {error}"
            ),
            Self::Poll { error, .. } => write!(f, "checking progress failed: {error}"),
            Self::Timeout { last, last_error } => {
                f.write_str("stopped waiting at the deadline; the work may still be running")?;
                match last {
                    Some(last) => write!(f, " (last seen: {last})")?,
                    None => f.write_str(" (no status was seen)")?,
                }
                if let Some(error) = last_error {
                    write!(f, "; the last poll failed: {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl<E: std::fmt::Debug + 'static> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Poll { error, .. } => Some(error),
            Self::Timeout { last_error, .. } => last_error
                .as_ref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
        }
    }
}

impl<E> From<Error<E>> for WaitError<E> {
    /// A poll that failed once.
    fn from(error: Error<E>) -> Self {
        Self::Poll { error, failures: 1 }
    }
}

impl<E> WaitError<E> {
    /// The last progress seen, when the wait timed out after seeing some.
    pub fn last_progress(&self) -> Option<&Progress> {
        match self {
            Self::Timeout { last, .. } => last.as_ref(),
            Self::Poll { .. } => None,
        }
    }
}

/// Whether a failed poll is worth repeating: a transient failure, or a body that did not
/// decode (a proxy can garble or cut one answer; a server that always sends something else
/// ends the wait after [`WaitOptions::max_failed_polls`] polls).
fn poll_again<E>(error: &Error<E>) -> bool {
    error.is_transient() || matches!(error, Error::Decode { .. })
}

/// Polls until `classify` says done or failed, or `options.timeout` passes.
///
/// `on_progress` sees every pending answer. The pause between polls starts at
/// `options.interval` and grows by half up to `options.max_interval`. The deadline is checked
/// after each answer or failed poll, so one last poll is made when it arrives. A poll that
/// fails transiently is polled again after the pause, up to `options.max_failed_polls` in a
/// row; see the module docs.
pub async fn until<S, T, E, Fut>(
    mut poll: impl FnMut() -> Fut,
    classify: impl Fn(S) -> Poll<T>,
    options: WaitOptions,
    mut on_progress: impl FnMut(&Progress),
) -> Result<Outcome<T>, WaitError<E>>
where
    Fut: Future<Output = Result<S, Error<E>>>,
{
    let started = Instant::now();
    let deadline = started + options.timeout;
    let mut pause = options.interval.max(Duration::from_millis(1));
    let max_failures = options.max_failed_polls.max(1);
    let mut last: Option<Progress> = None;
    let mut failures = 0u32;
    loop {
        let last_error = match poll().await {
            Ok(status) => {
                failures = 0;
                let mut progress = match classify(status) {
                    Poll::Done(value) => return Ok(Outcome::Done(value)),
                    Poll::Failed(value) => return Ok(Outcome::Failed(value)),
                    Poll::Pending(progress) => progress,
                };
                progress.elapsed = started.elapsed();
                on_progress(&progress);
                last = Some(progress);
                None
            }
            Err(error) if poll_again(&error) && failures + 1 < max_failures => {
                failures += 1;
                tracing::warn!(
                    "checking progress failed ({failures} of at most {max_failures} in a row); \
                     polling again: {error}"
                );
                Some(error)
            }
            Err(error) => {
                return Err(WaitError::Poll {
                    error,
                    failures: failures + 1,
                })
            }
        };
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            if let Some(last) = &mut last {
                last.elapsed = started.elapsed();
            }
            return Err(WaitError::Timeout { last, last_error });
        }
        tokio::time::sleep(pause.min(remaining)).await;
        pause = pause.mul_f64(1.5).min(options.max_interval.max(pause));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A job that reports `states` in turn, then stays at the last one.
    fn job(
        states: &'static [&'static str],
    ) -> impl FnMut() -> std::future::Ready<Result<&'static str, Error<()>>> {
        let calls = Cell::new(0);
        move || {
            let i = calls.get();
            calls.set(i + 1);
            std::future::ready(Ok(states[i.min(states.len() - 1)]))
        }
    }

    fn classify(state: &'static str) -> Poll<&'static str> {
        match state {
            "COMPLETED" => Poll::Done(state),
            "FAILED" => Poll::Failed(state),
            _ => Poll::Pending(Progress::new(state).with_percent(Some(150))),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn reaches_done_with_growing_pauses() {
        let started = Instant::now();
        let mut seen = Vec::new();
        let outcome = until(
            job(&["QUEUED", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED"]),
            classify,
            WaitOptions::default(),
            |p| seen.push((p.state.clone(), p.percent, p.elapsed)),
        )
        .await
        .unwrap();
        assert_eq!(outcome, Outcome::Done("COMPLETED"));
        let elapsed: Vec<u64> = seen.iter().map(|s| s.2.as_millis() as u64).collect();
        assert_eq!(elapsed, [0, 2000, 5000], "pauses of 2 s then 3 s");
        assert_eq!(seen[0].1, Some(100));
        assert_eq!(started.elapsed(), Duration::from_millis(9500));
    }

    #[tokio::test(start_paused = true)]
    async fn reports_failure_as_an_outcome() {
        let outcome = until(
            job(&["IN_PROGRESS", "FAILED"]),
            classify,
            WaitOptions::default(),
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(outcome, Outcome::Failed("FAILED"));
    }

    #[tokio::test(start_paused = true)]
    async fn times_out_with_the_last_progress() {
        let options = WaitOptions {
            timeout: Duration::from_secs(60),
            ..WaitOptions::default()
        };
        let mut polls = 0;
        let err = until(job(&["IN_PROGRESS"]), classify, options, |_| polls += 1)
            .await
            .unwrap_err();
        match err {
            WaitError::Timeout {
                last: Some(last),
                last_error: None,
            } => {
                assert_eq!(last.state, "IN_PROGRESS");
                assert_eq!(last.elapsed, Duration::from_secs(60));
            }
            other => panic!("{other:?}"),
        }
        // 2, 3, 4.5, 6.75, 10.125, then 15 s pauses: polls at 0, 2, 5, 9.5, 16.25, 26.375,
        // 41.375, 56.375 and the last one at the 60 s deadline.
        assert_eq!(polls, 9);
    }

    fn timeout() -> Error<()> {
        Error::Timeout {
            operation: "getJob".into(),
            method: crate::Method::GET,
            url: "https://array/api/rest/job/1".into(),
            sent: true,
            after: Duration::from_secs(30),
            attempts: 4,
        }
    }

    fn refused() -> Error<()> {
        Error::UnexpectedResponse {
            operation: "getJob".into(),
            status: 404,
            raw: String::new(),
            messages: Vec::new(),
            location: None,
        }
    }

    /// One scripted poll: a state, or a function making the poll's error.
    type Step = Result<&'static str, fn() -> Error<()>>;

    /// Polls that answer from `script` in turn (then stay at the last).
    fn script(
        script: Vec<Step>,
    ) -> impl FnMut() -> std::future::Ready<Result<&'static str, Error<()>>> {
        let calls = Cell::new(0);
        move || {
            let i = calls.get().min(script.len() - 1);
            calls.set(calls.get() + 1);
            std::future::ready(script[i].map_err(|make| make()))
        }
    }

    #[tokio::test(start_paused = true)]
    async fn transient_poll_failures_are_polled_again() {
        let outcome = until(
            script(vec![
                Ok("IN_PROGRESS"),
                Err(timeout),
                Err(timeout),
                Ok("IN_PROGRESS"),
                Err(timeout),
                Ok("COMPLETED"),
            ]),
            classify,
            WaitOptions::default(),
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(outcome, Outcome::Done("COMPLETED"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_transient_failure_on_the_first_poll_does_not_end_the_wait() {
        let outcome = until(
            script(vec![Err(timeout), Ok("COMPLETED")]),
            classify,
            WaitOptions::default(),
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(outcome, Outcome::Done("COMPLETED"));
    }

    #[tokio::test(start_paused = true)]
    async fn too_many_failures_in_a_row_end_the_wait() {
        let options = WaitOptions {
            max_failed_polls: 3,
            ..WaitOptions::default()
        };
        let err = until(
            script(vec![Ok("IN_PROGRESS"), Err(timeout)]),
            classify,
            options,
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                err,
                WaitError::Poll {
                    failures: 3,
                    error: Error::Timeout { .. }
                }
            ),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("checking progress failed 3 times in a row; the last time: getJob:"),
            "{err}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn other_poll_errors_end_the_wait_at_once() {
        let started = Instant::now();
        let err = until(
            script(vec![Err(refused)]),
            classify,
            WaitOptions::default(),
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, WaitError::Poll { failures: 1, .. }),
            "{err:?}"
        );
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert!(
            err.to_string()
                .starts_with("checking progress failed: getJob: the server answered 404"),
            "{err}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_ends_a_streak_of_failures() {
        let options = WaitOptions {
            timeout: Duration::from_secs(10),
            max_failed_polls: 100,
            ..WaitOptions::default()
        };
        let err = until(
            script(vec![Ok("IN_PROGRESS"), Err(timeout)]),
            classify,
            options,
            |_| {},
        )
        .await
        .unwrap_err();
        match &err {
            WaitError::Timeout {
                last: Some(last),
                last_error: Some(Error::Timeout { .. }),
            } => assert_eq!(last.state, "IN_PROGRESS"),
            other => panic!("{other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.contains("(last seen: IN_PROGRESS 100% after 10s); the last poll failed: getJob"),
            "{text}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_final_state_on_the_first_poll_returns_at_once() {
        let started = Instant::now();
        let outcome = until(job(&["FAILED"]), classify, WaitOptions::default(), |_| {})
            .await
            .unwrap();
        assert_eq!(outcome, Outcome::Failed("FAILED"));
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[test]
    fn progress_display() {
        let p = Progress::new("Copy_In_Progress")
            .with_percent(Some(42))
            .with_detail("imp-db01");
        assert_eq!(p.to_string(), "Copy_In_Progress 42% (imp-db01) after 0s");
    }
}
