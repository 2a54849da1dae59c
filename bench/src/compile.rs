//! Figure group 2: what the generated code costs to compile.
//!
//! Each crate is built from scratch (`cargo build`, debug) in a target directory of its own,
//! after its dependencies were downloaded (`cargo fetch`, not timed). The build runs under the
//! measuring wrapper with the process tree sampled (see [`crate::measure`]), and with
//! `--timings`, whose report gives each unit's duration: how long the generated
//! crate's own rustc took, apart from its dependencies.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::bench::Bench;
use crate::cargo;
use crate::generation::Generated;
use crate::measure::{Run, Usage};
use crate::report::{bytes, count, megabytes, seconds, Row};

/// One unit of a build, from cargo's `--timings` report.
#[derive(Clone, Debug, Deserialize)]
pub struct Unit {
    pub name: String,
    /// When it started, in seconds from the start of the build.
    pub start: f64,
    pub duration: f64,
}

/// A finished clean build.
pub struct Build {
    pub usage: Usage,
    pub succeeded: bool,
    pub units: Vec<Unit>,
    /// cargo's output, for the reader when the build failed.
    pub log: PathBuf,
}

impl Build {
    /// The summed durations of the units of package `name` (its build script, its lib).
    pub fn own_seconds(&self, name: &str) -> Option<f64> {
        let name = name.replace('-', "_");
        let own: Vec<&Unit> = self
            .units
            .iter()
            .filter(|u| u.name.replace('-', "_") == name)
            .collect();
        (!own.is_empty()).then(|| own.iter().map(|u| u.duration).sum())
    }

    /// When the first unit of package `name` started: how long the build spent on the
    /// dependencies before the package's own rustc could begin.
    pub fn own_start(&self, name: &str) -> Option<f64> {
        let name = name.replace('-', "_");
        self.units
            .iter()
            .filter(|u| u.name.replace('-', "_") == name)
            .map(|u| u.start)
            .reduce(f64::min)
    }

    /// The first error line of the build, for a row that says why it failed.
    pub fn first_error(&self) -> String {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("see the build log")
            .to_string()
    }
}

/// Builds the crate in `dir` from scratch in `target`, passing `args` to `cargo build`.
///
/// In smoke mode nothing is from scratch: the crate gets the workspace's `Cargo.lock` and
/// builds offline in the workspace's target directory with its dev profile, so it reuses the
/// dependencies the test suite built and only the generated crate itself is compiled (the
/// step is checked, its figures mean nothing).
pub fn clean_build(bench: &Bench, dir: &Path, target: &Path, args: &[&str]) -> Result<Build> {
    let shared_target;
    let target = if bench.smoke {
        if !dir.join("Cargo.lock").exists() {
            std::fs::copy(bench.root.join("Cargo.lock"), dir.join("Cargo.lock"))
                .context("copying the workspace's Cargo.lock")?;
        }
        shared_target = crate::target_dir(&bench.root);
        shared_target.as_path()
    } else {
        target
    };
    standalone(dir)?;
    if !bench.smoke {
        let status = cargo::command(dir)
            .args(["fetch", "--quiet"])
            .env("CARGO_TARGET_DIR", target)
            .status()
            .context("cargo fetch")?;
        if !status.success() {
            anyhow::bail!("cargo fetch failed in {}", dir.display());
        }
        let _ = std::fs::remove_dir_all(target);
    }
    let log = if bench.smoke {
        bench.work.join("smoke-build.log")
    } else {
        target.with_extension("log")
    };
    std::fs::create_dir_all(target)?;
    let mut build_args = vec!["build".to_string(), "--timings".into()];
    if bench.smoke {
        build_args.extend(SMOKE_ARGS.iter().map(|a| a.to_string()));
    }
    build_args.extend(args.iter().map(|a| a.to_string()));
    let program = cargo::program();
    let usage = Run::new(&program, build_args)
        .dir(dir)
        .env_remove(cargo::inherited_variables())
        .env("CARGO_TARGET_DIR", target.display().to_string())
        .env("CARGO_TERM_COLOR", "never")
        .tree()
        .stderr(&log)
        .measure(&bench.work)?;
    let units = read_timings(target).unwrap_or_default();
    if !bench.smoke {
        // Measured and its timings read: the build itself is not needed again (six of
        // them would hold gigabytes on a shared disk).
        let _ = std::fs::remove_dir_all(target);
    }
    Ok(Build {
        succeeded: usage.exit_code == Some(0),
        usage,
        units,
        log,
    })
}

/// Gives the crate in `dir` an empty `[workspace]` table when it has none: the peers write
/// crates without one, and under `target/` cargo would take this workspace for theirs.
fn standalone(dir: &Path) -> Result<()> {
    let path = dir.join("Cargo.toml");
    let manifest =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    if !manifest.lines().any(|l| l.trim() == "[workspace]") {
        std::fs::write(&path, format!("{manifest}\n[workspace]\n"))?;
    }
    Ok(())
}

/// Smoke builds: offline, with the workspace's dev profile (`Cargo.toml`'s `[profile.dev]`) so
/// that a crate outside the workspace shares its dependency builds.
const SMOKE_ARGS: [&str; 5] = [
    "--offline",
    "--config",
    "profile.dev.debug=\"line-tables-only\"",
    "--config",
    "profile.dev.package.\"*\".debug=false",
];

/// The units of the last `--timings` report in `target`.
fn read_timings(target: &Path) -> Result<Vec<Unit>> {
    let html = std::fs::read_to_string(target.join("cargo-timings/cargo-timing.html"))?;
    let start = html
        .find("const UNIT_DATA = ")
        .context("no UNIT_DATA in the timings report")?
        + "const UNIT_DATA = ".len();
    let mut stream = serde_json::Deserializer::from_str(&html[start..]).into_iter::<Vec<Unit>>();
    Ok(stream.next().context("UNIT_DATA is not a list")??)
}

/// The text of every Rust file under `dir/src`.
fn rust_sources(dir: &Path) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    let mut todo = vec![dir.join("src")];
    while let Some(dir) = todo.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                texts.push(std::fs::read_to_string(&path)?);
            }
        }
    }
    Ok(texts)
}

/// Lines and bytes of the Rust files under `dir/src`.
pub fn code_size(dir: &Path) -> Result<(usize, usize)> {
    let texts = rust_sources(dir)?;
    Ok((
        texts.iter().map(|t| t.lines().count()).sum(),
        texts.iter().map(String::len).sum(),
    ))
}

/// Lines of the Rust files under `dir/src` that only the cargo feature `feature` compiles:
/// each top-level item right after a `#[cfg(feature = "..")]` line, to its closing brace.
pub fn feature_lines(dir: &Path, feature: &str) -> Result<usize> {
    let gate = format!("#[cfg(feature = \"{feature}\")]");
    let mut count = 0;
    for text in rust_sources(dir)? {
        let mut inside = false;
        for line in text.lines() {
            if inside {
                count += 1;
                // The item ends at its closing brace, or at its own line's `;`
                // (`pub mod tag;`): both at the top level, not indented.
                let top = !line.starts_with(char::is_whitespace);
                inside = !(top && (line == "}" || line.ends_with(';')));
            } else if line == gate {
                count += 1;
                inside = true;
            }
        }
    }
    Ok(count)
}

/// Runs the compile figures and adds their rows.
pub fn run(bench: &mut Bench, generated: &Generated) -> Result<()> {
    let builds = bench.work.join("builds");
    std::fs::create_dir_all(&builds)?;
    let migrate = clean_build(bench, &generated.migrate, &builds.join("migrate"), &[])?;
    if !migrate.succeeded {
        anyhow::bail!(
            "the crate migrate generated does not build: {} (log: {})",
            migrate.first_error(),
            migrate.log.display()
        );
    }
    let progenitor = match &generated.progenitor {
        Ok(dir) => clean_build(bench, dir, &builds.join("progenitor"), &[])
            .map_err(|e| format!("failed: {e:#}"))
            .and_then(|b| {
                if b.succeeded {
                    Ok(b)
                } else {
                    Err(format!("does not build: {}", b.first_error()))
                }
            }),
        Err(why) => Err(why.clone()),
    };
    let peer = bench
        .peers
        .progenitor
        .as_ref()
        .map_or_else(|_| "progenitor".to_string(), |p| p.version.clone());
    let against = format!("{peer}'s crate, same spec");
    let of = |f: fn(&Build) -> f64| progenitor.as_ref().map(f).map_err(Clone::clone);
    let rows = &mut bench.rows;
    rows.push(
        Row::compare(
            "clean debug build of the generated crate, wall",
            &against,
            Ok(migrate.usage.wall_s),
            of(|b| b.usage.wall_s),
            seconds,
        )
        .ratio_at_most(0.35),
    );
    rows.push(
        Row::compare(
            "peak memory of that build (process tree, summed PSS)",
            &against,
            Ok(migrate.usage.peak_mb()),
            of(|b| b.usage.peak_mb()),
            megabytes,
        )
        .ratio_at_most(0.3),
    );
    rows.push(Row::compare(
        "largest single process of that build (max RSS)",
        &against,
        Ok(migrate.usage.max_rss_mb()),
        of(|b| b.usage.max_rss_mb()),
        megabytes,
    ));
    rows.push(Row::compare(
        "CPU time of that build (user + system)",
        &against,
        Ok(migrate.usage.cpu_s),
        of(|b| b.usage.cpu_s),
        seconds,
    ));
    // A figure of each crate's own units, from its --timings report.
    let timing = |figure: fn(&Build, &str) -> Option<f64>| {
        let no_timings = || "no timings".to_string();
        (
            figure(&migrate, "powerstore-migrate").ok_or_else(no_timings),
            progenitor
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|b| figure(b, "powerstore-progenitor").ok_or_else(no_timings)),
        )
    };
    let (own, peer_own) = timing(Build::own_seconds);
    rows.push(Row::compare(
        "rustc of the generated crate itself (--timings)",
        &against,
        own,
        peer_own,
        seconds,
    ));
    let (start, peer_start) = timing(Build::own_start);
    rows.push(Row::compare(
        "the generated crate's rustc starts after (its dependencies, --timings)",
        &against,
        start,
        peer_start,
        seconds,
    ));
    let (migrate_lines, migrate_bytes) = code_size(&generated.migrate)?;
    let peer_size = generated
        .progenitor
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|dir| code_size(dir).map_err(|e| format!("{e:#}")));
    rows.push(
        Row::compare(
            "lines of generated Rust",
            &against,
            Ok(migrate_lines as f64),
            peer_size.as_ref().map(|s| s.0 as f64).map_err(Clone::clone),
            count,
        )
        .ratio_at_most(0.8),
    );
    let cli_lines = feature_lines(&generated.migrate, "cli")?;
    rows.push(
        Row::compare(
            "lines of generated Rust, without the `cli` feature's modules",
            &against,
            Ok(migrate_lines.saturating_sub(cli_lines) as f64),
            peer_size.as_ref().map(|s| s.0 as f64).map_err(Clone::clone),
            count,
        )
        .ratio_at_most(0.8),
    );
    rows.push(Row::compare(
        "bytes of generated Rust",
        &against,
        Ok(migrate_bytes as f64),
        peer_size.as_ref().map(|s| s.1 as f64).map_err(Clone::clone),
        bytes,
    ));
    openapi_generator(bench, generated, &builds, migrate_lines, &migrate)?;
    features(bench, &builds, &migrate)?;
    Ok(())
}

/// openapi-generator's crate: its size and whether it builds.
fn openapi_generator(
    bench: &mut Bench,
    generated: &Generated,
    builds: &Path,
    migrate_lines: usize,
    migrate: &Build,
) -> Result<()> {
    let peer = bench
        .peers
        .openapi_generator
        .as_ref()
        .map_or_else(|_| "openapi-generator".to_string(), |p| p.version.clone());
    let against = format!("{peer} rust crate, same spec");
    let (size, build) = match &generated.openapi_generator {
        Ok(dir) => (
            code_size(dir).map_err(|e| format!("{e:#}")),
            clean_build(bench, dir, &builds.join("openapi-generator"), &[])
                .map_err(|e| format!("failed: {e:#}")),
        ),
        Err(why) => (Err(why.clone()), Err(why.clone())),
    };
    bench.rows.push(Row::compare(
        "lines of generated Rust",
        &against,
        Ok(migrate_lines as f64),
        size.map(|s| s.0 as f64),
        count,
    ));
    let (compiles, wall) = match &build {
        Ok(b) if b.succeeded => ("yes".to_string(), Ok(b.usage.wall_s)),
        Ok(b) => (format!("no: {}", b.first_error()), Ok(b.usage.wall_s)),
        Err(why) => (why.clone(), Err(why.clone())),
    };
    let mut row = Row::compare(
        "clean debug build of the generated crate, wall",
        &against,
        Ok(migrate.usage.wall_s),
        wall,
        seconds,
    );
    row.baseline = match &build {
        Ok(b) => format!("{} (compiles: {compiles})", seconds(b.usage.wall_s)),
        Err(_) => compiles,
    };
    if !matches!(&build, Ok(b) if b.succeeded) {
        row.ratio = None;
    }
    bench.rows.push(row);
    if let Ok(b) = &build {
        bench.rows.push(Row::compare(
            "peak memory of that build (process tree, summed PSS)",
            &against,
            Ok(migrate.usage.peak_mb()),
            Ok(b.usage.peak_mb()),
            megabytes,
        ));
    }
    Ok(())
}

/// The shipped `migrate-clients` with each single service feature, if it has them.
fn features(bench: &mut Bench, builds: &Path, migrate: &Build) -> Result<()> {
    let manifest = std::fs::read_to_string(bench.root.join("generated/Cargo.toml"))?;
    let services = service_features(&manifest);
    if services.is_empty() {
        bench.notes.push(
            "migrate-clients has no per-service features on this checkout; no feature rows".into(),
        );
        return Ok(());
    }
    if bench.smoke {
        bench
            .notes
            .push("smoke mode: the per-feature builds of migrate-clients are skipped".into());
        return Ok(());
    }
    for feature in services {
        let build = clean_build(
            bench,
            &bench.root.clone(),
            &builds.join(format!("clients-{feature}")),
            &[
                "-p",
                "migrate-clients",
                "--lib",
                "--no-default-features",
                "--features",
                &feature,
            ],
        )?;
        let wall = if build.succeeded {
            Ok(build.usage.wall_s)
        } else {
            Err(format!("does not build: {}", build.first_error()))
        };
        let own = build
            .own_seconds("migrate-clients")
            .map_or_else(|| "no timings".to_string(), seconds);
        let mut row = Row::compare(
            format!("clean debug build of migrate-clients --features {feature}"),
            "the full-spec crate's clean build",
            wall,
            Ok(migrate.usage.wall_s),
            seconds,
        );
        row.migrate = format!(
            "{} (its own units {own}, peak {})",
            row.migrate,
            megabytes(build.usage.peak_mb())
        );
        bench.rows.push(row);
    }
    Ok(())
}

/// The features of `generated/Cargo.toml` that switch one service on (not `default`, `cli`).
pub fn service_features(manifest: &str) -> Vec<String> {
    let Ok(manifest) = manifest.parse::<toml::Table>() else {
        return Vec::new();
    };
    manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .map(|features| {
            features
                .keys()
                .filter(|name| *name != "default" && *name != "cli")
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_features_skip_default_and_cli() {
        let manifest = "[package]\nname = \"x\"\n[features]\n# all\ndefault = [\"a\", \"b\"]\na = []\nb = []\ncli = [\"dep:clap\"]\n[dependencies]\nserde = \"1\"\n";
        assert_eq!(service_features(manifest), ["a", "b"]);
        assert!(service_features("[features]\ncli = []\n").is_empty());
    }

    #[test]
    fn feature_lines_counts_the_gated_top_level_items() {
        let dir = std::env::temp_dir().join(format!("bench-feature-lines-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let lib =
            "pub mod types {\n}\n#[cfg(feature = \"cli\")]\npub mod cli {\n    use x;\n    fn f() {}\n}\n\
                   #[cfg(feature = \"cli\")]\npub use cli::f;\npub struct Client;\n";
        std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
        let counted = feature_lines(&dir, "cli").unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(counted, 7);
    }
}
