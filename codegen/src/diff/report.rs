//! A [`Report`] written for people (text, Markdown) or programs (JSON).
//!
//! Text and Markdown list the breaking changes first, then the others, each with where a
//! caller meets it, what it was and is, and why it breaks or not; a summary counts the
//! changes by kind. JSON has every field of every [`Change`](super::Change).

use serde_json::{json, Value};

use super::{Change, Report};

/// At most this many operations are named after a change inside a type (JSON names all).
const OPERATIONS_SHOWN: usize = 5;

/// The report as plain text.
pub fn text(report: &Report) -> String {
    let mut out = header(report);
    out.push('\n');
    for (title, breaking) in [("Breaking changes", true), ("Other changes", false)] {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.breaking == breaking)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title} ({}):\n", changes.len()));
        for change in changes {
            out.push_str(&format!(
                "\n  {}: {}\n",
                change.kind.name(),
                subject(change)
            ));
            out.push_str(&format!("    {}\n", what(change)));
            if let Some(reached) = reached(change) {
                out.push_str(&format!("    {reached}\n"));
            }
        }
    }
    if !report.changes.is_empty() {
        out.push_str("\nBy kind (all, breaking):\n");
        for (kind, all, breaking) in report.by_kind() {
            out.push_str(&format!("  {:<32} {all:>5} {breaking:>5}\n", kind.name()));
        }
    }
    out
}

/// The report as Markdown: a summary table and one table of changes per group.
pub fn markdown(report: &Report) -> String {
    let (from, to, verdict) = header_parts(report);
    let mut out = format!("## Rust API changes\n\nFrom {from}\nto {to}.\n\n{verdict}\n");
    if !report.changes.is_empty() {
        out.push_str("\n| kind | all | breaking |\n|---|---:|---:|\n");
        for (kind, all, breaking) in report.by_kind() {
            out.push_str(&format!("| `{}` | {all} | {breaking} |\n", kind.name()));
        }
    }
    for (title, breaking) in [("Breaking changes", true), ("Other changes", false)] {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.breaking == breaking)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n### {title} ({})\n\n| kind | where | change |\n|---|---|---|\n",
            changes.len()
        ));
        for change in changes {
            let mut what = what(change);
            if let Some(reached) = reached(change) {
                what.push_str(&format!("; {reached}"));
            }
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                change.kind.name(),
                cell(&subject(change)),
                cell(&what)
            ));
        }
    }
    out
}

/// The report as JSON: both sides, counts by kind, and every change.
pub fn json(report: &Report) -> Value {
    let by_kind: serde_json::Map<String, Value> = report
        .by_kind()
        .into_iter()
        .map(|(kind, all, breaking)| {
            (
                kind.name().to_string(),
                json!({ "all": all, "breaking": breaking }),
            )
        })
        .collect();
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|c| {
            let mut value = serde_json::to_value(c).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut value {
                map.insert("at".into(), Value::String(c.path_text()));
            }
            value
        })
        .collect();
    json!({
        "old": report.old,
        "new": report.new,
        "summary": {
            "changes": report.changes.len(),
            "breaking": report.breaking(),
            "by_kind": by_kind,
        },
        "changes": changes,
    })
}

fn header(report: &Report) -> String {
    let (from, to, verdict) = header_parts(report);
    format!("Rust API changes from {from}\n  to {to}\n{verdict}\n")
}

/// The two sides and the verdict (`3 changes, 1 breaking.`).
fn header_parts(report: &Report) -> (String, String, String) {
    let side = |s: &super::Side| {
        format!(
            "{} ({} {}, {} operations, {} types)",
            s.file, s.title, s.version, s.operations, s.types
        )
    };
    let n = report.changes.len();
    let verdict = if n == 0 {
        "No changes: the generated client's API is the same.".to_string()
    } else {
        format!(
            "{n} change{}, {} breaking.",
            if n == 1 { "" } else { "s" },
            report.breaking()
        )
    };
    (side(&report.old), side(&report.new), verdict)
}

/// What the change is about: `ImportSessionCreate.name at import_session_create body →
/// name`, or the operation's path for an operation-level change.
fn subject(change: &Change) -> String {
    let at = change.path_text();
    let at = if at.is_empty() {
        String::new()
    } else {
        format!(" (at {at})")
    };
    match (&change.type_name, &change.field) {
        (Some(ty), Some(field)) => format!("{ty}.{field}{at}"),
        (Some(ty), None) => format!("{ty}{at}"),
        _ => change.path_text(),
    }
}

/// Old → new, then why.
fn what(change: &Change) -> String {
    let values = match (&change.old, &change.new) {
        (Some(o), Some(n)) => format!("`{o}` → `{n}`: "),
        (Some(o), None) => format!("was `{o}`: "),
        (None, Some(n)) => format!("`{n}`: "),
        (None, None) => String::new(),
    };
    format!("{values}{}", change.detail)
}

/// The operations that reach a type, when there are others than the one in the path.
fn reached(change: &Change) -> Option<String> {
    if change.operations.len() < 2 {
        return None;
    }
    let shown: Vec<&str> = change
        .operations
        .iter()
        .take(OPERATIONS_SHOWN)
        .map(String::as_str)
        .collect();
    let more = change.operations.len().saturating_sub(OPERATIONS_SHOWN);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Some(format!(
        "reached from {} operations: {}{tail}",
        change.operations.len(),
        shown.join(", ")
    ))
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
