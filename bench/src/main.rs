//! `migrate-bench`: one command that measures migrate beside its peers and baselines on this
//! machine, in one run, and prints one table of figures and ratios (issue 10).
//!
//! Why one run: figures taken on a shared 2-core machine at different times do not compare;
//! ratios of figures taken side by side do. So every figure of migrate has its baseline or
//! peer measured in the same run, and the table says which.
//!
//! - generation ([`generation`]): migrate-codegen on the full vendor spec against the serde_json
//!   parse floor, progenitor (installed by [`peers`], the spec patched by [`patch`]) and
//!   openapi-generator;
//! - compile cost ([`compile`]): clean debug builds of the generated crates, their peak memory
//!   and size, and migrate-clients with each service feature;
//! - run time ([`clients`]): paging through the simulator with the generated stream against a
//!   raw reqwest loop, `migrate import-session get` against curl, `migrate --help`.
//!
//! `cargo run -p migrate-bench --release` runs it all (about ten minutes on two cores once the
//! peers are installed); `--smoke` runs every step on the shipped PowerStore subset with one
//! round and no peers in seconds, which the test suite does so that the benchmark cannot rot.
//! The hidden subcommands are the processes the benchmark measures ([`children`], and the
//! measuring wrapper of [`measure`]).

mod bench;
mod cargo;
mod children;
mod clients;
mod compile;
mod generation;
mod machine;
mod measure;
mod patch;
mod peers;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::bench::{Bench, Bins};

/// Measures migrate beside progenitor, openapi-generator and its baselines, in one run.
#[derive(Parser)]
#[command(name = "migrate-bench")]
struct Cli {
    /// A tiny spec, one round, no peer installs: checks that every step still runs.
    #[arg(long)]
    smoke: bool,
    /// The spec to generate [default: $POWERSTORE_SPEC, else the vendor spec in
    /// ../shared/specs/; with --smoke the shipped PowerStore subset].
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The overlay migrate reads with it (also applied to the peers' input).
    #[arg(long, value_name = "FILE")]
    overlay: Option<PathBuf>,
    /// Runs of each short measurement to take the median of [default: 3; 1 with --smoke].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=20))]
    rounds: Option<u16>,
    /// Run only these figure groups (compile needs generation, which then runs too).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "GROUP")]
    only: Vec<Group>,
    /// Also write the report (header and table) to this Markdown file.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    #[command(subcommand)]
    child: Option<Child>,
}

/// The figure groups of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Group {
    Generation,
    Compile,
    RunTime,
}

/// The processes the benchmark starts (not for direct use).
#[derive(Subcommand)]
enum Child {
    /// Run a command as the only child and write what it cost to a JSON report.
    #[command(hide = true)]
    Measure {
        #[arg(long)]
        report: PathBuf,
        #[arg(long)]
        tree: bool,
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
    /// Parse a JSON file with serde_json (the generation floor).
    #[command(hide = true)]
    ParseJson { file: PathBuf },
    /// Patch an OpenAPI 3.0 file as the benchmark does for progenitor, printing each change.
    PatchForProgenitor { input: PathBuf, output: PathBuf },
    /// List every PowerStore import session with one client.
    #[command(hide = true)]
    List {
        #[arg(long, value_enum)]
        client: children::ListClient,
        #[arg(long)]
        host: String,
        #[arg(long)]
        user: String,
        #[arg(long, env = "MIGRATE_BENCH_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        page_size: u32,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.child {
        Some(Child::Measure {
            report,
            tree,
            command,
        }) => match measure::wrapper_main(&report, tree, &command) {
            Ok(status) => return ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8),
            Err(e) => Err(e),
        },
        Some(Child::ParseJson { file }) => children::parse_json(&file),
        Some(Child::PatchForProgenitor { input, output }) => patch::file(&input, &output),
        Some(Child::List {
            client,
            host,
            user,
            password,
            page_size,
        }) => children::list(
            client,
            &children::Listing {
                host: &host,
                user: &user,
                password: &password,
                page_size,
            },
        ),
        None => run(
            cli.smoke,
            cli.spec,
            cli.overlay,
            cli.rounds,
            &cli.only,
            cli.markdown.as_deref(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("migrate-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root this binary was built from.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ sits in the workspace")
        .to_path_buf()
}

/// The workspace's target directory.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Whether this binary is a release build (its binaries are then measured in release too).
fn is_release() -> bool {
    std::env::current_exe()
        .ok()
        .is_some_and(|exe| exe.components().any(|c| c.as_os_str() == "release"))
}

fn run(
    smoke: bool,
    spec: Option<PathBuf>,
    overlay: Option<PathBuf>,
    rounds: Option<u16>,
    only: &[Group],
    markdown: Option<&Path>,
) -> Result<()> {
    let wanted = |group: Group| only.is_empty() || only.contains(&group);
    let started = Instant::now();
    let load_at_start = machine::load_average();
    let root = root();
    let target = target_dir(&root);
    let work = target.join(if smoke { "bench-smoke" } else { "bench" });
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let spec = match spec {
        Some(spec) => spec,
        None if smoke => root.join("generated/specs/dellemc.swagger.json"),
        None => std::env::var_os("POWERSTORE_SPEC")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/specs/powerstore-4.0.0.0.swagger.json")),
    };
    if !spec.is_file() {
        anyhow::bail!(
            "the spec {} is not readable; pass --spec FILE or set POWERSTORE_SPEC",
            spec.display()
        );
    }
    let overlay = overlay.unwrap_or_else(|| root.join("generated/specs/powerstore.overlay.yaml"));
    let release = is_release();
    eprintln!(
        "bench: building migrate-codegen and migrate ({})",
        if release { "release" } else { "debug" }
    );
    let bins = Bins {
        codegen: cargo::build_binary(&root, "migrate-codegen", "migrate-codegen", release)?,
        migrate: cargo::build_binary(&root, "migrate-cli", "migrate", release)?,
    };
    let peers = if smoke || !(wanted(Group::Generation) || wanted(Group::Compile)) {
        Bench::no_peers("skipped (smoke)")
    } else {
        peers::install(&target.join("bench-tools"), &root.join("bench"))
    };
    let mut bench = Bench {
        root: root.clone(),
        work,
        smoke,
        rounds: rounds.map_or(if smoke { 1 } else { 3 }, usize::from),
        spec,
        overlay,
        bins,
        peers,
        rows: Vec::new(),
        patches: Vec::new(),
        notes: Vec::new(),
    };
    let measured = Instant::now();
    if wanted(Group::Generation) || wanted(Group::Compile) {
        eprintln!("bench: generation");
        let generated = generation::run(&mut bench)?;
        if wanted(Group::Compile) {
            eprintln!("bench: compile cost (clean builds)");
            compile::run(&mut bench, &generated)?;
        }
    }
    if wanted(Group::RunTime) {
        eprintln!("bench: run time (simulator, CLI)");
        clients::run(&mut bench)?;
    }
    let report = render(
        &bench,
        release,
        load_at_start,
        measured.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
    print!("{report}");
    if let Some(path) = markdown {
        std::fs::write(path, &report).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The header, the table, the patches and the notes.
fn render(
    bench: &Bench,
    release: bool,
    load_at_start: [f64; 3],
    measured: f64,
    total: f64,
) -> String {
    use std::fmt::Write as _;
    let m = machine::Machine::read();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# migrate-bench{}\n",
        if bench.smoke { " --smoke" } else { "" }
    );
    let _ = writeln!(
        out,
        "- machine: {} cores ({}), {:.1} GB memory, Linux {}",
        m.cores, m.cpu, m.memory_gb, m.kernel
    );
    let _ = writeln!(
        out,
        "- load average (1/5/15 min): {} at start, {} at end",
        machine::show_load(load_at_start),
        machine::show_load(machine::load_average())
    );
    let _ = writeln!(
        out,
        "- migrate {} ({} build), {}, {}",
        machine::commit_of(&bench.root),
        if release { "release" } else { "debug" },
        machine::version_of(cargo::program(), &["--version"]),
        machine::version_of("rustc", &["--version"]),
    );
    let peer = |p: &Result<peers::Peer, String>| match p {
        Ok(p) => p.version.clone(),
        Err(why) => why.clone(),
    };
    let _ = writeln!(
        out,
        "- peers: {}; {} (node {}); {} ({}); {}",
        peer(&bench.peers.progenitor),
        peer(&bench.peers.swagger2openapi),
        machine::version_of("node", &["--version"]),
        peer(&bench.peers.openapi_generator),
        machine::version_of("java", &["-version"]),
        machine::version_of("curl", &["--version"]),
    );
    let size = std::fs::metadata(&bench.spec).map_or(0, |m| m.len());
    let _ = writeln!(
        out,
        "- spec: {} ({:.1} MB) with {}",
        bench.spec.display(),
        size as f64 / 1024.0 / 1024.0,
        bench.overlay.display()
    );
    for (name, secs) in &bench.peers.installed {
        let _ = writeln!(
            out,
            "- installed {name} in this run: {}",
            report::seconds(*secs)
        );
    }
    let _ = writeln!(
        out,
        "- measuring took {}, the whole run {}",
        report::seconds(measured),
        report::seconds(total)
    );
    let _ = writeln!(out);
    out.push_str(&report::markdown(&bench.rows));
    if !bench.patches.is_empty() {
        let _ = writeln!(
            out,
            "\nPatches applied to the converted spec for progenitor:\n"
        );
        for patch in &bench.patches {
            let _ = writeln!(out, "- {patch}");
        }
    }
    if !bench.notes.is_empty() {
        let _ = writeln!(out, "\nNotes:\n");
        for note in &bench.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}
