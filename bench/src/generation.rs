//! Figure group 1: generating a client from the spec.
//!
//! migrate-codegen (its release binary, as users run it) against the floor, parsing the same
//! JSON with serde_json (in this process and as a process of its own), and against the peers
//! generating the same spec: progenitor (after swagger2openapi and the patches it needs,
//! listed by [`crate::patch`]) and openapi-generator's `rust` generator. Every peer gets the
//! spec with the same overlay applied that migrate reads (the query, paging and async options
//! the vendor leaves out), so all generate the same API.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use migrate_codegen::Source;

use crate::bench::Bench;
use crate::measure::{Run, Usage};
use crate::report::{megabytes, seconds, Row};

/// What later figure groups need from generation.
pub struct Generated {
    /// The crate migrate-codegen wrote.
    pub migrate: PathBuf,
    /// The crate progenitor wrote, or why there is none.
    pub progenitor: Result<PathBuf, String>,
    /// The crate openapi-generator wrote, or why there is none.
    pub openapi_generator: Result<PathBuf, String>,
}

/// Runs the generation figures and adds their rows.
pub fn run(bench: &mut Bench) -> Result<Generated> {
    let text = std::fs::read_to_string(&bench.spec)
        .with_context(|| format!("reading the spec {}", bench.spec.display()))?;
    let rounds = bench.rounds;

    // The floor, in this process.
    let floor_in_process = median_of(rounds.max(5), || {
        let started = Instant::now();
        let value: serde_json::Value = serde_json::from_str(&text)?;
        std::hint::black_box(&value);
        Ok(started.elapsed().as_secs_f64())
    })?;
    // migrate's whole pipeline, in this process (no files written).
    let overlay = Source::new(
        bench.overlay.display().to_string(),
        std::fs::read_to_string(&bench.overlay)?,
    );
    let spec_source = Source::new(bench.spec.display().to_string(), text.clone());
    let migrate_in_process = median_of(rounds, || {
        let started = Instant::now();
        let generated = migrate_codegen::generate(
            &spec_source,
            std::slice::from_ref(&overlay),
            &Default::default(),
        )?;
        std::hint::black_box(&generated);
        Ok(started.elapsed().as_secs_f64())
    })?;

    // The floor and migrate-codegen as processes, alternating.
    let me = std::env::current_exe()?;
    let migrate_out = bench.work.join("migrate-crate");
    let runtime_path = bench.root.join("runtime").display().to_string();
    let mut floor_runs = Vec::new();
    let mut migrate_runs = Vec::new();
    for _ in 0..rounds {
        floor_runs.push(checked(
            Run::new(
                &me,
                ["parse-json".to_string(), bench.spec.display().to_string()],
            )
            .measure(&bench.work)?,
            "parse-json",
        )?);
        let _ = std::fs::remove_dir_all(&migrate_out);
        migrate_runs.push(checked(
            Run::new(
                &bench.bins.codegen,
                [
                    "generate".to_string(),
                    "--spec".into(),
                    bench.spec.display().to_string(),
                    "--overlay".into(),
                    bench.overlay.display().to_string(),
                    "--out".into(),
                    migrate_out.display().to_string(),
                    "--name".into(),
                    "powerstore-migrate".into(),
                    "--runtime-path".into(),
                    runtime_path.clone(),
                ],
            )
            .stderr(&bench.work.join("migrate-codegen.stderr"))
            .measure(&bench.work)?,
            "migrate-codegen generate",
        )?);
    }
    let floor_process = Median::of(&floor_runs);
    let migrate = Median::of(&migrate_runs);

    // The peers.
    let overlaid = write_overlaid(bench, &spec_source, &overlay)?;
    let progenitor = progenitor(bench, &overlaid, rounds);
    let openapi_generator = openapi_generator(bench, &overlaid);

    let label = |name: &str| format!("{name} (median of {rounds})");
    let rows = &mut bench.rows;
    let progenitor_name = bench
        .peers
        .progenitor
        .as_ref()
        .map_or_else(|_| "progenitor".to_string(), |p| p.version.clone());
    rows.push(
        Row::compare(
            label("generation, wall"),
            &progenitor_name,
            Ok(migrate.wall),
            progenitor
                .as_ref()
                .map(|(m, _)| m.wall)
                .map_err(Clone::clone),
            seconds,
        )
        .ratio_at_most(0.1),
    );
    rows.push(
        Row::compare(
            label("generation, wall"),
            "serde_json parse of the spec, as a process",
            Ok(migrate.wall),
            Ok(floor_process.wall),
            seconds,
        )
        .ratio_at_most(10.0),
    );
    rows.push(Row::compare(
        label("generation, wall, in this process (no files)"),
        "serde_json::from_str of the spec, in this process",
        Ok(migrate_in_process),
        Ok(floor_in_process),
        seconds,
    ));
    let progenitor_memory = progenitor
        .as_ref()
        .map(|(m, _)| m.peak_mb)
        .map_err(Clone::clone);
    let memory_row = Row::compare(
        label("generation, peak memory (max RSS)"),
        &progenitor_name,
        Ok(migrate.peak_mb),
        progenitor_memory,
        megabytes,
    );
    let met = memory_row
        .ratio
        .map(|r| r <= 0.75 && migrate.peak_mb <= 100.0);
    rows.push(memory_row.target("≤ 0.75× and ≤ 100 MB", met));
    rows.push(Row::compare(
        label("generation, peak memory (max RSS)"),
        "serde_json parse of the spec, as a process",
        Ok(migrate.peak_mb),
        Ok(floor_process.peak_mb),
        megabytes,
    ));
    let oag_name = bench
        .peers
        .openapi_generator
        .as_ref()
        .map_or_else(|_| "openapi-generator".to_string(), |p| p.version.clone());
    rows.push(Row::compare(
        "generation, wall (one run)",
        format!("{oag_name}, rust generator"),
        Ok(migrate.wall),
        openapi_generator
            .as_ref()
            .map(|(u, _)| u.wall_s)
            .map_err(Clone::clone),
        seconds,
    ));
    rows.push(Row::compare(
        "generation, peak memory (one run)",
        format!("{oag_name}, rust generator"),
        Ok(migrate.peak_mb),
        openapi_generator
            .as_ref()
            .map(|(u, _)| u.max_rss_mb())
            .map_err(Clone::clone),
        megabytes,
    ));
    Ok(Generated {
        migrate: migrate_out,
        progenitor: progenitor.map(|(_, dir)| dir),
        openapi_generator: openapi_generator.map(|(_, dir)| dir),
    })
}

/// The median wall time and the median peak memory of several runs.
#[derive(Clone, Copy, Debug)]
pub struct Median {
    pub wall: f64,
    pub peak_mb: f64,
}

impl Median {
    pub fn of(runs: &[Usage]) -> Self {
        Median {
            wall: median(runs.iter().map(|u| u.wall_s).collect()),
            peak_mb: median(runs.iter().map(Usage::peak_mb).collect()),
        }
    }
}

/// The median of some values (the lower middle one of an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values
        .get((values.len().max(1) - 1) / 2)
        .copied()
        .unwrap_or(f64::NAN)
}

fn median_of(rounds: usize, mut f: impl FnMut() -> Result<f64>) -> Result<f64> {
    let mut values = Vec::new();
    for _ in 0..rounds.max(1) {
        values.push(f()?);
    }
    Ok(median(values))
}

/// A usage whose command succeeded, else an error naming it.
pub fn checked(usage: Usage, what: &str) -> Result<Usage> {
    if usage.exit_code != Some(0) {
        bail!("{what} failed (exit {:?})", usage.exit_code);
    }
    Ok(usage)
}

/// The vendor spec with the overlay applied, as Swagger 2.0 JSON for the peers.
fn write_overlaid(bench: &Bench, spec: &Source, overlay: &Source) -> Result<PathBuf> {
    let mut document = migrate_codegen::load::parse(spec)?;
    migrate_codegen::overlay::apply(&mut document, overlay, &mut Vec::new())?;
    let path = bench.work.join("overlaid.swagger.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&document)?)?;
    Ok(path)
}

/// Converts and patches the spec, then generates it with progenitor `rounds` times.
fn progenitor(
    bench: &mut Bench,
    overlaid: &Path,
    rounds: usize,
) -> Result<(Median, PathBuf), String> {
    let progenitor = bench.peers.progenitor.clone()?;
    let converter = bench.peers.swagger2openapi.clone()?;
    let mut run = || -> Result<(Median, PathBuf)> {
        let converted = bench.work.join("converted.openapi.json");
        let conversion = checked(
            Run::new(
                &converter.program,
                [
                    overlaid.display().to_string(),
                    "-o".into(),
                    converted.display().to_string(),
                ],
            )
            .stderr(&bench.work.join("swagger2openapi.stderr"))
            .measure(&bench.work)?,
            "swagger2openapi",
        )?;
        let mut document: serde_json::Value = serde_json::from_slice(&std::fs::read(&converted)?)?;
        let patches = crate::patch::for_progenitor(&mut document);
        let patched = bench.work.join("progenitor.openapi.json");
        std::fs::write(&patched, serde_json::to_vec_pretty(&document)?)?;
        let out = bench.work.join("progenitor-crate");
        let mut runs = Vec::new();
        for _ in 0..rounds {
            let _ = std::fs::remove_dir_all(&out);
            let stderr = bench.work.join("progenitor.stderr");
            let usage = Run::new(
                &progenitor.program,
                [
                    "progenitor".to_string(),
                    "-i".into(),
                    patched.display().to_string(),
                    "-o".into(),
                    out.display().to_string(),
                    "-n".into(),
                    "powerstore-progenitor".into(),
                    "-v".into(),
                    "0.1.0".into(),
                ],
            )
            .stdout(&bench.work.join("progenitor.stdout"))
            .stderr(&stderr)
            .measure(&bench.work)?;
            if usage.exit_code != Some(0) {
                let why = std::fs::read_to_string(&stderr).unwrap_or_default();
                bail!("progenitor refused the patched spec: {}", message_of(&why));
            }
            runs.push(usage);
        }
        bench.notes.push(format!(
            "swagger2openapi converted the overlaid spec for progenitor in {}",
            seconds(conversion.wall_s)
        ));
        bench.patches = patches;
        Ok((Median::of(&runs), out))
    };
    run().map_err(|e| {
        eprintln!("bench: progenitor: {e:#}");
        format!("failed: {e:#}")
    })
}

/// The lines of a Rust program's stderr that say what went wrong: not the backtrace, not notes.
fn message_of(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with(' ') && !l.starts_with('\t'))
        .filter(|l| !l.starts_with("stack backtrace") && !l.starts_with("note:"))
        .collect();
    if lines.is_empty() {
        "no message".into()
    } else {
        lines.join(" ")
    }
}

/// Generates the spec once with openapi-generator's `rust` generator.
fn openapi_generator(bench: &mut Bench, overlaid: &Path) -> Result<(Usage, PathBuf), String> {
    let peer = bench.peers.openapi_generator.clone()?;
    let out = bench.work.join("openapi-generator-crate");
    let _ = std::fs::remove_dir_all(&out);
    let run = || -> Result<Usage> {
        Run::new(
            &peer.program,
            [
                "generate".to_string(),
                "-g".into(),
                "rust".into(),
                "-i".into(),
                overlaid.display().to_string(),
                "-o".into(),
                out.display().to_string(),
                "--package-name".into(),
                "powerstore_openapi_generator".into(),
                // Its default is the spec's info.version, "4.0.0.0", which cargo refuses.
                "--additional-properties=packageVersion=0.1.0".into(),
            ],
        )
        .stdout(&bench.work.join("openapi-generator.stdout"))
        .stderr(&bench.work.join("openapi-generator.stderr"))
        .measure(&bench.work)
    };
    match run() {
        Ok(usage) if usage.exit_code == Some(0) => {
            let note = "openapi-generator runs with packageVersion=0.1.0 (its default, the spec's \
                 4.0.0.0, is no cargo version); the peers' crates get an empty [workspace] \
                 table so that cargo builds them on their own";
            if !bench.notes.iter().any(|n| n == note) {
                bench.notes.push(note.into());
            }
            Ok((usage, out))
        }
        Ok(usage) => Err(format!(
            "failed (exit {:?}; see {})",
            usage.exit_code,
            bench.work.join("openapi-generator.stdout").display()
        )),
        Err(e) => Err(format!("failed: {e:#}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_messages() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.0);
        assert!(median(Vec::new()).is_nan());
        let panic = "\nthread 'main' (25651) panicked at src/method.rs:1220:9:\nassertion failed: response_types.len() <= 1\nstack backtrace:\n   0: anyhow\n             at ./x.rs:1\nnote: Some details are omitted\n";
        assert_eq!(
            message_of(panic),
            "thread 'main' (25651) panicked at src/method.rs:1220:9: assertion failed: response_types.len() <= 1"
        );
    }
}
