//! `migrate-codegen inspect`: what specs hold and what generating them gives.
//!
//! Each spec is measured in a process of its own (this binary, run again with
//! `--measure`), so that its peak memory is its own and not the largest one so far.
//! The figures come back as one JSON line and are printed as a table, plain or as
//! Markdown (docs/corpus.md is this table for the corpus).

use std::time::Instant;

use migrate_codegen::{generate, Options, WarningKind};
use serde_json::{json, Value};

use crate::Loaded;

/// Measures one spec here and prints its figures as a JSON line.
pub fn measure(loaded: &[Loaded], options: &Options) -> Result<(), String> {
    let [one] = loaded else {
        return Err("--measure takes one --spec".into());
    };
    let started = Instant::now();
    let generated = generate(&one.spec, &one.overlays, options).map_err(|e| e.to_string())?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let warnings: serde_json::Map<String, Value> = WarningKind::ALL
        .iter()
        .filter_map(|kind| {
            let n = generated
                .warnings
                .iter()
                .filter(|w| w.kind == *kind)
                .count();
            (n > 0).then(|| (kind.name().to_string(), json!(n)))
        })
        .collect();
    let fallbacks = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("using serde_json::Value"))
        .count();
    let s = generated.stats;
    let line = json!({
        "file": one.spec.name.rsplit('/').next().unwrap_or(&one.spec.name),
        "dialect": generated.dialect.name(),
        "operations": generated.operation_count,
        "types": generated.type_count,
        "structs": s.structs,
        "enums": s.enums,
        "tagged_unions": s.tagged_unions,
        "untagged_unions": s.untagged_unions,
        "aliases": s.aliases,
        "value_places": s.value_places,
        "value_fallbacks": fallbacks,
        "warnings": warnings,
        "lines": generated.code.lines().count(),
        "ms": (ms * 10.0).round() / 10.0,
        "peak_kb": peak_kb(),
    });
    println!("{line}");
    Ok(())
}

/// Measures each spec in a child process and prints the table.
pub fn run(
    specs: &[String],
    overlays: &[String],
    flags: &[String],
    markdown: bool,
) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let mut rows = Vec::new();
    for spec in specs {
        let (module, _) = crate::split_named(spec);
        let mut command = std::process::Command::new(&exe);
        command
            .args(["inspect", "--measure", "--spec", spec])
            .args(flags);
        for overlay in overlays {
            let (target, _) = crate::split_named(overlay);
            if !overlay.contains('=') || target == module {
                let path = overlay.split_once('=').map_or(overlay.as_str(), |(_, p)| p);
                command.args(["--overlay", path]);
            }
        }
        let output = command
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let row = match serde_json::from_str::<Value>(text.trim()) {
            Ok(row) if output.status.success() => row,
            _ => json!({
                "file": spec,
                "error": String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("failed").to_string(),
            }),
        };
        rows.push(row);
    }
    print!("{}", table(&rows, markdown));
    Ok(())
}

const COLUMNS: [(&str, &str); 13] = [
    ("file", "spec"),
    ("dialect", "dialect"),
    ("operations", "operations"),
    ("types", "types"),
    ("structs", "structs"),
    ("enums", "enums"),
    ("tagged_unions", "tagged unions"),
    ("untagged_unions", "other unions"),
    ("value_places", "`Value` places"),
    ("value_fallbacks", "`Value` fallbacks"),
    ("warnings", "warnings and notes by kind"),
    ("ms", "generation ms"),
    ("peak_kb", "peak MB"),
];

fn table(rows: &[Value], markdown: bool) -> String {
    let cell = |row: &Value, key: &str| -> String {
        if let Some(error) = row.get("error").and_then(Value::as_str) {
            return if key == "file" {
                row["file"].as_str().unwrap_or("").to_string()
            } else if key == "dialect" {
                format!("error: {error}")
            } else {
                String::new()
            };
        }
        match (key, row.get(key)) {
            ("warnings", Some(Value::Object(kinds))) if kinds.is_empty() => "none".into(),
            ("warnings", Some(Value::Object(kinds))) => kinds
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", "),
            ("peak_kb", Some(Value::Number(n))) => {
                format!("{:.0}", n.as_f64().unwrap_or(0.0) / 1024.0)
            }
            (_, Some(Value::String(s))) => s.clone(),
            (_, Some(Value::Number(n))) => n.to_string(),
            _ => "n/a".into(),
        }
    };
    let mut out = String::new();
    if markdown {
        let heads: Vec<&str> = COLUMNS.iter().map(|(_, h)| *h).collect();
        out.push_str(&format!("| {} |\n", heads.join(" | ")));
        out.push_str(&format!("|{}\n", "---|".repeat(COLUMNS.len())));
        for row in rows {
            let cells: Vec<String> = COLUMNS.iter().map(|(k, _)| cell(row, k)).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    } else {
        for row in rows {
            for (key, head) in COLUMNS {
                out.push_str(&format!("{head:>20}: {}\n", cell(row, key)));
            }
            out.push('\n');
        }
    }
    out
}

/// The process's peak resident memory in KiB (Linux), if known.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
