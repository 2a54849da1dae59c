//! Waiting for long-running work: PowerStore jobs and import sessions, LCM migrations, ViPR
//! tasks.
//!
//! Each vendor reports state differently, so the caller supplies `poll` (fetch the status)
//! and `classify` (is it pending, done or failed); this module supplies the loop: a gentle
//! backoff between polls, progress callbacks for the CLI, and an overall deadline that ends
//! in its own error so "it failed" and "we stopped waiting" are never confused.

use crate::Error;
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How patiently to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Pause after the first poll (default 2 s); it grows by half each time.
    pub interval: Duration,
    /// The longest pause between polls (default 15 s).
    pub max_interval: Duration,
    /// Give up after this long (default 1 h).
    pub timeout: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(15),
            timeout: Duration::from_secs(3600),
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
    /// A status request failed (after the transport's own retries).
    Poll(Error<E>),
    /// The deadline passed while the work was still pending; it may still be running.
    Timeout {
        /// The last progress seen.
        last: Progress,
    },
}

impl<E> std::fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Poll(e) => write!(f, "checking progress failed: {e}"),
            Self::Timeout { last } => write!(
                f,
                "stopped waiting; the work may still be running (last seen: {last})"
            ),
        }
    }
}

impl<E: std::fmt::Debug + 'static> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Poll(e) => Some(e),
            Self::Timeout { .. } => None,
        }
    }
}

impl<E> From<Error<E>> for WaitError<E> {
    fn from(e: Error<E>) -> Self {
        Self::Poll(e)
    }
}

/// Polls until `classify` says done or failed, or `options.timeout` passes.
///
/// `on_progress` sees every pending answer. The pause between polls starts at
/// `options.interval` and grows by half up to `options.max_interval`. The deadline is checked
/// after each pending answer, so one last poll is made when it arrives.
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
    let mut pause = options.interval;
    loop {
        let mut progress = match classify(poll().await?) {
            Poll::Done(value) => return Ok(Outcome::Done(value)),
            Poll::Failed(value) => return Ok(Outcome::Failed(value)),
            Poll::Pending(progress) => progress,
        };
        progress.elapsed = started.elapsed();
        on_progress(&progress);
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(WaitError::Timeout { last: progress });
        }
        tokio::time::sleep(pause.min(remaining)).await;
        pause = pause.mul_f64(1.5).min(options.max_interval);
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
            WaitError::Timeout { last } => {
                assert_eq!(last.state, "IN_PROGRESS");
                assert_eq!(last.elapsed, Duration::from_secs(60));
            }
            other => panic!("{other:?}"),
        }
        // 2, 3, 4.5, 6.75, 10.125, then 15 s pauses: polls at 0, 2, 5, 9.5, 16.25, 26.375,
        // 41.375, 56.375 and the last one at the 60 s deadline.
        assert_eq!(polls, 9);
    }

    #[tokio::test(start_paused = true)]
    async fn poll_errors_propagate() {
        let err = until(
            || {
                std::future::ready(Err::<&str, _>(Error::<()>::Timeout {
                    operation: "getJob".into(),
                    sent: true,
                }))
            },
            classify,
            WaitOptions::default(),
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, WaitError::Poll(Error::Timeout { .. })),
            "{err}"
        );
        assert!(err.to_string().contains("getJob: timed out"), "{err}");
    }

    #[test]
    fn progress_display() {
        let p = Progress::new("Copy_In_Progress")
            .with_percent(Some(42))
            .with_detail("imp-db01");
        assert_eq!(p.to_string(), "Copy_In_Progress 42% (imp-db01) after 0s");
    }
}
