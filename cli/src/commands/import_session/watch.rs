//! A live view of many import sessions: `migrate import-session watch` and
//! `import-session apply --wait`.
//!
//! Every poll is one collection query (paged through the generated `_stream`) for all the
//! sessions watched, not one request per session, so a hundred migrations cost the array one
//! request every few seconds. The poll loop is the runtime's `wait::until`, so the view rides
//! out failing polls, stops at `--wait-timeout` and on Ctrl-C like every other wait, and the
//! command that resumes it is printed.
//!
//! On a terminal each session has a line that is redrawn in place: its name, a bar, percent,
//! state, transfer rate and ETA, cut to the terminal's width (when there are more sessions than
//! lines, the unsettled ones are shown first and a last line counts the rest). Otherwise each
//! change of a session's state or percent is one line on stderr that starts with the session's
//! name. The view ends when every session is settled: ready for cutover, completed, waiting for
//! an operator, or in a failure state; any failure state (a cancelled session too: it did not
//! migrate) makes the exit code 4.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use migrate_clients::powerstore::operations::ImportSessionCollectionQueryParams;
use migrate_clients::powerstore::types::{ImportSessionInstance, ImportSessionStateEnum as State};
use migrate_clients::powerstore::Client;
use migrate_runtime::futures::TryStreamExt;
use migrate_runtime::wait::{self, Outcome, Poll, Progress};
use migrate_runtime::StringEnum;

use super::lifecycle::{self, SETTLED};
use super::{COLUMNS, WIDE};
use crate::commands::{filters, thousands, MAX_PAGE};
use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::input;
use crate::output::{cell, table};
use crate::service::POWERSTORE;
use crate::wait::Watch;

/// `migrate import-session watch` options.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Which sessions, as FIELD=OP.VALUE, e.g. name=ilike.db* or state=neq.Import_Completed;
    /// repeatable, ANDed (default: every session).
    #[arg(long, value_name = "EXPR", value_parser = input::text)]
    pub filter: Vec<String>,
}

/// Ids per `id=in.(…)` filter, so a long plan does not make one very long URL.
const IDS_PER_QUERY: usize = 50;

/// Runs `migrate import-session watch`.
pub async fn watch(ctx: &Context, args: WatchArgs) -> Result<(), Failure> {
    let filter = filters(&args.filter)?;
    let queries = vec![filter];
    // A dry run shows the first poll, as the generated `_stream` sends it.
    let mut first = poll_params(&queries[0]);
    first.order = Some("id".to_string());
    let request = Client::import_session_collection_query_request(&first)
        .map_err(input::flag_error(&[]))?
        .query("offset", 0)
        .query("limit", MAX_PAGE);
    ctx.send(&POWERSTORE, &request, async |client| {
        let mut resume = vec!["import-session", "watch"];
        for f in &args.filter {
            resume.extend(["--filter", f.as_str()]);
        }
        let what = match args.filter.as_slice() {
            [] => "every import session".to_string(),
            given => format!("the import sessions with {}", given.join(" and ")),
        };
        let watch = Watch::silent(ctx, what, &resume).id("filter", args.filter.clone());
        let sessions = view(ctx, client, &queries, &watch).await?;
        finish(ctx, &sessions)
    })
    .await
}

/// Watches the sessions with these ids until all are settled (`apply --wait`); `watch` is the
/// wait's record, with the command that resumes it.
pub async fn watch_ids(
    ctx: &Context,
    client: &Client,
    ids: &[String],
    watch: &Watch,
) -> Result<Vec<ImportSessionInstance>, Failure> {
    let queries: Vec<Vec<(String, String)>> = ids
        .chunks(IDS_PER_QUERY)
        .map(|chunk| vec![("id".to_string(), format!("in.({})", chunk.join(",")))])
        .collect();
    view(ctx, client, &queries, watch).await
}

/// Prints the settled sessions; exit code 4 when any is in a failure state.
pub fn finish(ctx: &Context, sessions: &[ImportSessionInstance]) -> Result<(), Failure> {
    ctx.printer.list(sessions, COLUMNS, WIDE)?;
    let failed: Vec<String> = sessions
        .iter()
        .filter(|s| s.state.as_ref().is_some_and(is_failed))
        .map(describe_failure)
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        Code::Failed,
        format!(
            "{} of {} import sessions failed:\n  {}",
            failed.len(),
            sessions.len(),
            failed.join("\n  ")
        ),
    ))
}

fn describe_failure(session: &ImportSessionInstance) -> String {
    let mut text = format!(
        "{}: {}",
        label(session),
        session.state.as_ref().map_or("?", StringEnum::as_wire)
    );
    if let Some(message) = session
        .error
        .as_ref()
        .and_then(|e| e.message_l10n.as_deref())
    {
        text.push_str(": ");
        text.push_str(message);
    }
    text
}

/// Whether a session needs nothing more to happen by itself: settled, or in a state where
/// the waiters end as failed.
fn is_settled(state: &State) -> bool {
    SETTLED.contains(state) || is_failed(state)
}

fn is_failed(state: &State) -> bool {
    lifecycle::is_failure(state.as_wire())
}

/// Every field of each session (for the result), filtered by `filter`.
fn poll_params(filter: &[(String, String)]) -> ImportSessionCollectionQueryParams {
    ImportSessionCollectionQueryParams {
        filter: filter.to_vec(),
        ..ImportSessionCollectionQueryParams::default()
    }
}

/// Polls the sessions of `queries` until every one is settled, showing them as it goes.
async fn view(
    ctx: &Context,
    client: &Client,
    queries: &[Vec<(String, String)>],
    watch: &Watch,
) -> Result<Vec<ImportSessionInstance>, Failure> {
    let display = Display::new();
    let poll = || async {
        let mut all = Vec::new();
        for filter in queries {
            let sessions: Vec<ImportSessionInstance> = client
                .import_session_collection_query_stream(&poll_params(filter))
                .try_collect()
                .await?;
            all.extend(sessions);
        }
        all.sort_by(|a, b| label(a).cmp(label(b)));
        Ok(all)
    };
    let classify = |sessions: Vec<ImportSessionInstance>| {
        display.show(&sessions);
        let settled = sessions
            .iter()
            .filter(|s| s.state.as_ref().is_some_and(is_settled))
            .count();
        if settled == sessions.len() {
            Poll::Done(sessions)
        } else {
            Poll::Pending(Progress::new(format!(
                "{settled} of {} settled",
                sessions.len()
            )))
        }
    };
    let result = watch
        .run(async {
            match wait::until(poll, classify, ctx.wait_options(), |_| {}).await {
                Ok(Outcome::Done(sessions) | Outcome::Failed(sessions)) => Ok(sessions),
                Err(e) => Err(Failure::from(e)),
            }
        })
        .await;
    display.end(result.as_deref().ok());
    result
}

fn label(session: &ImportSessionInstance) -> &str {
    session
        .name
        .as_deref()
        .or(session.id.as_deref())
        .unwrap_or("?")
}

/// Where a session stands, in words: state, percent, rate and time left.
struct Standing {
    state: String,
    percent: Option<i32>,
    rate: Option<String>,
    eta: Option<String>,
}

impl Standing {
    fn of(session: &ImportSessionInstance) -> Self {
        // Rate and time left are about a copy that still runs.
        let moving = !session.state.as_ref().is_some_and(is_settled);
        let rate = session
            .current_transfer_rate
            .filter(|_| moving)
            .map(|r| cell::human("current_transfer_rate", &r.into(), true));
        let eta = session
            .estimated_completion_timestamp
            .filter(|_| moving)
            .map(|at| {
                let left = (at - chrono::Utc::now()).num_seconds().max(0);
                format!("ETA {}", duration(left))
            });
        Self {
            state: session
                .state
                .as_ref()
                .map_or("unknown", StringEnum::as_wire)
                .to_string(),
            percent: session.progress_percentage,
            rate,
            eta,
        }
    }

    /// What must change for a plain line to be printed.
    fn key(&self) -> (String, Option<i32>) {
        (self.state.clone(), self.percent)
    }

    /// `Copy_In_Progress 45% 12.0 MiB/s ETA 1m10s`.
    fn line(&self) -> String {
        let mut parts = vec![self.state.clone()];
        if let Some(p) = self.percent {
            parts.push(format!("{p}%"));
        }
        parts.extend(self.rate.clone());
        parts.extend(self.eta.clone());
        parts.join(" ")
    }
}

/// Seconds as `45s`, `3m05s`, `2h10m`.
fn duration(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// The view: lines redrawn in place on a terminal, one line per change otherwise.
enum Display {
    Bars(Mutex<Bars>),
    Lines(Mutex<Lines>),
}

struct Bars {
    multi: MultiProgress,
    slots: Vec<ProgressBar>,
    summary: Option<ProgressBar>,
    name_width: usize,
    bar_width: usize,
    rows: usize,
}

#[derive(Default)]
struct Lines {
    started: bool,
    last: HashMap<String, (String, Option<i32>)>,
}

impl Display {
    fn new() -> Self {
        if std::io::stderr().is_terminal() {
            let (width, height) = terminal_size::terminal_size_of(std::io::stderr())
                .map(|(w, h)| (usize::from(w.0), usize::from(h.0)))
                .unwrap_or((table::DEFAULT_WIDTH, 24));
            let width = width.max(table::MIN_WIDTH);
            Display::Bars(Mutex::new(Bars {
                multi: MultiProgress::new(),
                slots: Vec::new(),
                summary: None,
                name_width: (width / 4).max(10),
                bar_width: (width / 5).clamp(10, 40),
                // Leave room for the summary line and the prompt.
                rows: height.saturating_sub(3).max(3),
            }))
        } else {
            Display::Lines(Mutex::new(Lines::default()))
        }
    }

    fn show(&self, sessions: &[ImportSessionInstance]) {
        match self {
            Display::Bars(bars) => lock(bars).show(sessions),
            Display::Lines(lines) => lock(lines).show(sessions),
        }
    }

    /// Leaves the last picture on the screen, or says how it ended.
    fn end(&self, sessions: Option<&[ImportSessionInstance]>) {
        match self {
            Display::Bars(bars) => lock(bars).end(),
            Display::Lines(lines) => {
                let lines = lock(lines);
                if let (Some(sessions), true) = (sessions, lines.started) {
                    crate::errln!("{}", summary(sessions));
                }
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// `3 settled of 3: 2 Ready_For_Cutover, 1 Failed`.
fn summary(sessions: &[ImportSessionInstance]) -> String {
    if sessions.is_empty() {
        return "no import session matches; nothing to watch".to_string();
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut settled = 0;
    for session in sessions {
        let state = session
            .state
            .as_ref()
            .map_or("unknown", StringEnum::as_wire);
        if session.state.as_ref().is_some_and(is_settled) {
            settled += 1;
        }
        match counts.iter_mut().find(|(s, _)| s == state) {
            Some((_, n)) => *n += 1,
            None => counts.push((state.to_string(), 1)),
        }
    }
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    format!(
        "{} of {} import sessions settled: {}",
        thousands(settled as u64),
        thousands(sessions.len() as u64),
        counts.join(", ")
    )
}

impl Lines {
    fn show(&mut self, sessions: &[ImportSessionInstance]) {
        if !self.started {
            self.started = true;
            crate::errln!(
                "watching {} import sessions",
                thousands(sessions.len() as u64)
            );
        }
        for session in sessions {
            let standing = Standing::of(session);
            let id = session.id.clone().unwrap_or_default();
            if self.last.get(&id) != Some(&standing.key()) {
                crate::errln!("{}: {}", label(session), standing.line());
                self.last.insert(id, standing.key());
            }
        }
    }
}

impl Bars {
    fn style(&self) -> ProgressStyle {
        let template = format!(
            "{{prefix:{}}} [{{bar:{}}}] {{wide_msg}}",
            self.name_width, self.bar_width
        );
        ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ")
    }

    fn show(&mut self, sessions: &[ImportSessionInstance]) {
        // In name order; when they do not all fit, unsettled sessions first, so what still
        // moves is on screen.
        let mut order: Vec<&ImportSessionInstance> = sessions.iter().collect();
        if order.len() > self.rows {
            order.sort_by_key(|s| s.state.as_ref().is_some_and(is_settled));
        }
        let shown = order.len().min(self.rows);
        if self.slots.len() < shown {
            // New lines are added out of sight and drawn together.
            self.multi.set_draw_target(ProgressDrawTarget::hidden());
            while self.slots.len() < shown {
                let bar = self
                    .multi
                    .add(ProgressBar::new(100).with_style(self.style()));
                self.slots.push(bar);
            }
            self.multi.set_draw_target(ProgressDrawTarget::stderr());
        }
        for (slot, session) in self.slots.iter().zip(&order) {
            let standing = Standing::of(session);
            let percent = standing
                .percent
                .map_or("   ".to_string(), |p| format!("{p:>3}%"));
            let mut message = format!("{percent} {}", standing.state);
            for extra in standing.rate.iter().chain(&standing.eta) {
                message.push(' ');
                message.push_str(extra);
            }
            slot.set_prefix(table::cut(label(session), self.name_width));
            slot.set_position(standing.percent.unwrap_or(0).clamp(0, 100) as u64);
            slot.set_message(message);
        }
        let hidden = order.len() - shown;
        if hidden > 0 {
            let summary = self.summary.get_or_insert_with(|| {
                let style = ProgressStyle::with_template("{wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                self.multi.add(ProgressBar::new(1).with_style(style))
            });
            summary.set_message(format!(
                "… {} more; {}",
                thousands(hidden as u64),
                self::summary(sessions)
            ));
        }
    }

    fn end(&mut self) {
        for slot in self.slots.iter().chain(&self.summary) {
            slot.abandon();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_time_left() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(59), "59s");
        assert_eq!(duration(65), "1m05s");
        assert_eq!(duration(7800), "2h10m");
    }

    #[test]
    fn settled_and_failed_states() {
        assert!(is_settled(&State::ReadyForCutover));
        assert!(is_settled(&State::Failed));
        assert!(is_settled(&State::Cancelled));
        assert!(!is_settled(&State::CopyInProgress));
        assert!(!is_settled(&State::Queued));
        assert!(is_failed(&State::Failed));
        assert!(is_failed(&State::Cancelled));
        assert!(!is_failed(&State::ImportCompleted));
        assert!(!is_failed(&State::Paused));
    }
}
