//! Showing progress while waiting, and leaving cleanly on Ctrl-C.
//!
//! On a terminal a progress bar shows state, percent and elapsed time; otherwise each new
//! state is one plain line on stderr (stdout stays for the result). Ctrl-C stops waiting, not
//! the work: the server carries on, and the exact command to resume waiting is printed.

use std::future::Future;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use migrate_runtime::wait::Progress;

use crate::exit::{Code, Failure};

/// Shows the progress of one wait.
pub struct Reporter {
    bar: Option<ProgressBar>,
    last: Option<String>,
}

impl Reporter {
    /// A reporter for waiting on `what`.
    pub fn new(what: &str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(100);
            bar.set_style(
                ProgressStyle::with_template("{prefix} [{bar:30}] {pos:>3}% {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_prefix(what.to_string());
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        if bar.is_none() {
            crate::errln!("waiting for {what}");
        }
        Self { bar, last: None }
    }

    /// Shows one pending answer.
    pub fn update(&mut self, progress: &Progress) {
        match &self.bar {
            Some(bar) => {
                bar.set_position(u64::from(progress.percent.unwrap_or(0)));
                bar.set_message(progress.state.clone());
            }
            None => {
                let line = match progress.percent {
                    Some(p) => format!("{} {p}%", progress.state),
                    None => progress.state.clone(),
                };
                if self.last.as_deref() != Some(line.as_str()) {
                    crate::errln!("  {line} after {}s", progress.elapsed.as_secs());
                    self.last = Some(line);
                }
            }
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs `wait` until it ends or Ctrl-C; on Ctrl-C prints `resume` and fails with code 130.
pub async fn interruptible<T>(wait: impl Future<Output = T>, resume: String) -> Result<T, Failure> {
    tokio::select! {
        result = wait => Ok(result),
        _ = tokio::signal::ctrl_c() => Err(Failure::new(
            Code::Interrupted,
            format!("stopped waiting; the work goes on. Resume waiting with:\n  {resume}"),
        )),
    }
}
