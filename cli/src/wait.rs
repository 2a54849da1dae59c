//! Running a wait: progress while it lasts, and nothing lost when it ends without success.
//!
//! On a terminal a progress bar shows state, percent and elapsed time; otherwise each new
//! state is one plain line on stderr (stdout stays for the result). A wait can end without
//! success in several ways (the work failed, the deadline passed, Ctrl-C, polls kept failing),
//! and in all of them the ids of the work that is still going on must not be lost: the
//! [`Stopped`] record says what was waited for, its ids, how the wait ended and the exact
//! command that resumes it. It travels in the [`Failure`] up to `main`, which prints it on
//! stdout in the chosen output format (so a script reading JSON gets it), and the same resume
//! command ends the error message on stderr. Ctrl-C stops waiting, not the work.

use std::future::Future;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use migrate_runtime::wait::Progress;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::context::Context;
use crate::exit::{Code, Failure};

/// Shows the progress of one wait.
struct Reporter {
    bar: Option<ProgressBar>,
    /// The last state seen, and (without a bar) the last line printed.
    last: Mutex<(Option<String>, Option<String>)>,
    /// The words for a state (the service's own state names are not always words).
    describe: fn(&str) -> String,
}

impl Reporter {
    /// A reporter for waiting on `what`.
    fn new(what: &str) -> Self {
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
        Self {
            bar,
            last: Mutex::new((None, None)),
            describe: str::to_string,
        }
    }

    /// Shows one pending answer.
    fn update(&self, progress: &Progress) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        last.0 = Some(progress.to_string());
        let state = (self.describe)(&progress.state);
        match &self.bar {
            Some(bar) => {
                bar.set_position(u64::from(progress.percent.unwrap_or(0)));
                bar.set_message(state);
            }
            None => {
                let line = match progress.percent {
                    Some(p) => format!("{state} {p}%"),
                    None => state,
                };
                if last.1.as_deref() != Some(line.as_str()) {
                    crate::errln!("  {line} after {}s", progress.elapsed.as_secs());
                    last.1 = Some(line);
                }
            }
        }
    }

    fn last_state(&self) -> Option<String> {
        self.last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clone()
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.finish();
    }
}

/// One wait the CLI runs: what it waits for, the ids involved, the command that resumes it.
pub struct Watch {
    what: String,
    ids: Map<String, Value>,
    resume: String,
    /// Progress of a single wait; none when the caller shows progress itself.
    reporter: Option<Reporter>,
    /// The last full status, kept by the caller when the work failed.
    last: Mutex<Option<Value>>,
}

/// How a wait ended without success, printed on stdout so that nothing is lost.
#[derive(Debug, Clone, Serialize)]
pub struct Stopped {
    /// What was waited for, e.g. `job 1b6df699-…` or `import session db01`.
    pub stopped_waiting_for: String,
    /// The ids of the work (`job_id`, `session_id`, `task_ids`, `snapshot`, …).
    #[serde(flatten)]
    pub ids: Map<String, Value>,
    /// `failed`, `timed_out`, `interrupted` or `error` (polling failed).
    pub outcome: &'static str,
    /// The exit code.
    pub exit_code: u8,
    /// Why the wait ended.
    pub message: String,
    /// The last progress seen, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_state: Option<String>,
    /// The last status seen in full (ViPR: every task), when it says more than the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Value>,
    /// The exact command that resumes the wait.
    pub resume: String,
}

impl Watch {
    /// A wait for `what`, resumed with `migrate <resume…>` (global options added, see
    /// [`Context::resume_command`]).
    pub fn new(ctx: &Context, what: impl Into<String>, resume: &[&str]) -> Self {
        let what = what.into();
        Self {
            reporter: Some(Reporter::new(&what)),
            ..Self::silent(ctx, what, resume)
        }
    }

    /// A wait whose progress the caller shows itself (the view of many import sessions).
    pub fn silent(ctx: &Context, what: impl Into<String>, resume: &[&str]) -> Self {
        Self {
            reporter: None,
            what: what.into(),
            ids: Map::new(),
            resume: ctx.resume_command(resume),
            last: Mutex::new(None),
        }
    }

    /// Shows each state in words made by `describe` (LCM's `-1` is "running").
    pub fn describe(mut self, describe: fn(&str) -> String) -> Self {
        if let Some(reporter) = &mut self.reporter {
            reporter.describe = describe;
        }
        self
    }

    /// Resumes with `line` instead: several commands, one per piece of work, for a wait on
    /// work that no one command resumes (`migrate api` on several tasks).
    pub fn resume_line(mut self, line: String) -> Self {
        self.resume = line;
        self
    }

    /// Adds an id of the work to the record.
    pub fn id(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.ids.insert(name.to_owned(), value.into());
        self
    }

    /// The callback for the waiter's progress.
    pub fn progress(&self) -> impl FnMut(&Progress) + '_ {
        |progress| {
            if let Some(reporter) = &self.reporter {
                reporter.update(progress);
            }
        }
    }

    /// Keeps the last full status seen (a failed job, every ViPR task) for the record.
    pub fn keep(&self, last: &impl Serialize) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = serde_json::to_value(last).ok();
    }

    /// Runs `wait` until it ends or Ctrl-C. A failure (Ctrl-C included, code 130) comes back
    /// with the [`Stopped`] record and the resume command at the end of its message.
    pub async fn run<T>(
        &self,
        wait: impl Future<Output = Result<T, Failure>>,
    ) -> Result<T, Failure> {
        let result = tokio::select! {
            result = wait => result,
            _ = tokio::signal::ctrl_c() => Err(Failure::new(
                Code::Interrupted,
                "interrupted (Ctrl-C); the work goes on",
            )),
        };
        if let Some(reporter) = &self.reporter {
            reporter.finish();
        }
        result.map_err(|failure| self.stopped(failure))
    }

    /// The failure with the record of the wait that ended.
    pub fn stopped(&self, failure: Failure) -> Failure {
        let outcome = match failure.code {
            Code::Failed => "failed",
            Code::Timeout => "timed_out",
            Code::Interrupted => "interrupted",
            _ => "error",
        };
        let record = Stopped {
            stopped_waiting_for: self.what.clone(),
            ids: self.ids.clone(),
            outcome,
            exit_code: failure.code as u8,
            message: failure.message.clone(),
            last_state: self.reporter.as_ref().and_then(Reporter::last_state),
            last: self.last.lock().unwrap_or_else(|e| e.into_inner()).take(),
            resume: self.resume.clone(),
        };
        let message = format!(
            "{}\n  stopped waiting for {}; resume waiting with:\n  {}",
            failure.message, self.what, self.resume
        );
        Failure {
            message,
            stopped: Some(Box::new(record)),
            ..failure
        }
    }
}

/// Prints the record of a wait that ended without success, if `failure` carries one.
pub fn print_stopped(ctx: &Context, failure: &Failure) {
    if let Some(stopped) = &failure.stopped {
        // The exit code and stderr already say what happened; a closed stdout must not
        // hide that.
        let _ = ctx.printer.record(stopped);
    }
}

/// One word for a POSIX shell: as it is when it is plain, else in single quotes.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(
            shell_word("urn:storageos:Task:1-2:vdc1"),
            "urn:storageos:Task:1-2:vdc1"
        );
        assert_eq!(shell_word("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(shell_word("Snap 1"), "'Snap 1'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("$(rm -rf /)"), "'$(rm -rf /)'");
    }
}
