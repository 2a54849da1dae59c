//! The peers the benchmark runs beside migrate, installed into its own directory.
//!
//! Nothing goes anywhere global: progenitor is `cargo install`ed with `--root` (its version
//! and its own `Cargo.lock` pinned with `--locked`), swagger2openapi is `npm ci`ed from the
//! `package.json` and `package-lock.json` next to this crate, and openapi-generator's Python
//! wrapper (which carries the jar; Java runs it) goes into a virtual environment from the
//! pinned `requirements-openapi-generator.txt`. A peer already installed at the pinned version
//! is kept, so only the first run pays for the installs (their times are printed).
//! A peer that cannot be installed is reported as such and its rows say why.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::cargo;

/// The progenitor release the issue measured against.
pub const PROGENITOR_VERSION: &str = "0.15.1";

/// An installed peer: where its executable is and what it says its version is.
#[derive(Clone, Debug)]
pub struct Peer {
    pub program: PathBuf,
    pub version: String,
}

/// The outcome of installing every peer.
pub struct Peers {
    pub progenitor: Result<Peer, String>,
    pub swagger2openapi: Result<Peer, String>,
    pub openapi_generator: Result<Peer, String>,
    /// What was installed in this run and how long it took.
    pub installed: Vec<(String, f64)>,
}

/// Installs what is missing under `tools` (`bench_dir` holds the pinning files).
pub fn install(tools: &Path, bench_dir: &Path) -> Peers {
    let mut installed = Vec::new();
    let mut timed = |name: &str, f: &dyn Fn() -> Result<(Peer, bool)>| -> Result<Peer, String> {
        let started = Instant::now();
        match f() {
            Ok((peer, fresh)) => {
                if fresh {
                    installed.push((name.to_string(), started.elapsed().as_secs_f64()));
                }
                Ok(peer)
            }
            Err(e) => {
                eprintln!("bench: {name} is not available: {e:#}");
                Err(format!("{e:#}"))
            }
        }
    };
    let progenitor = timed("progenitor", &|| progenitor(tools));
    let swagger2openapi = timed("swagger2openapi", &|| swagger2openapi(tools, bench_dir));
    let openapi_generator = timed("openapi-generator", &|| openapi_generator(tools, bench_dir));
    Peers {
        progenitor,
        swagger2openapi,
        openapi_generator,
        installed,
    }
}

/// `cargo install cargo-progenitor` at the pinned version; `true` when installed now.
fn progenitor(tools: &Path) -> Result<(Peer, bool)> {
    let root = tools.join("progenitor");
    let program = root.join("bin/cargo-progenitor");
    let pinned = format!("cargo-progenitor {PROGENITOR_VERSION}");
    let recorded = std::fs::read_to_string(root.join(".crates.toml")).unwrap_or_default();
    let fresh = !(program.exists() && recorded.contains(&pinned));
    if fresh {
        eprintln!(
            "bench: installing progenitor {PROGENITOR_VERSION} into {}",
            root.display()
        );
        let status = cargo::command(tools)
            .args(["install", "cargo-progenitor", "--locked", "--quiet"])
            .args(["--version", PROGENITOR_VERSION])
            .arg("--root")
            .arg(&root)
            .arg("--target-dir")
            .arg(tools.join("cargo-install-build"))
            .status()
            .context("running cargo install")?;
        if !status.success() {
            bail!("cargo install cargo-progenitor {PROGENITOR_VERSION} failed");
        }
    }
    Ok((
        Peer {
            program,
            version: pinned,
        },
        fresh,
    ))
}

/// `npm ci` of the pinned swagger2openapi; `true` when installed now.
fn swagger2openapi(tools: &Path, bench_dir: &Path) -> Result<(Peer, bool)> {
    let prefix = tools.join("swagger2openapi");
    std::fs::create_dir_all(&prefix)?;
    let lock = std::fs::read(bench_dir.join("package-lock.json"))
        .context("reading bench/package-lock.json")?;
    let program = prefix.join("node_modules/.bin/swagger2openapi");
    let installed_lock = std::fs::read(prefix.join("package-lock.json")).unwrap_or_default();
    let fresh = !(program.exists() && installed_lock == lock);
    if fresh {
        eprintln!(
            "bench: installing swagger2openapi into {}",
            prefix.display()
        );
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(bench_dir.join(file), prefix.join(file))
                .with_context(|| format!("copying bench/{file}"))?;
        }
        let status = Command::new("npm")
            .args([
                "ci",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&prefix)
            .status()
            .context("running npm (is Node.js installed?)")?;
        if !status.success() {
            bail!("npm ci of swagger2openapi failed");
        }
    }
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(prefix.join("node_modules/swagger2openapi/package.json"))
            .context("reading swagger2openapi's package.json")?,
    )?;
    let version = format!(
        "swagger2openapi {}",
        manifest["version"].as_str().unwrap_or("?")
    );
    Ok((Peer { program, version }, fresh))
}

/// A virtual environment with the pinned `openapi-generator-cli`; `true` when installed now.
fn openapi_generator(tools: &Path, bench_dir: &Path) -> Result<(Peer, bool)> {
    let java = crate::machine::version_of("java", &["-version"]);
    if java.starts_with("not available") {
        bail!("openapi-generator needs Java, and `java` is {java}");
    }
    let venv = tools.join("openapi-generator");
    let program = venv.join("bin/openapi-generator-cli");
    let requirements = bench_dir.join("requirements-openapi-generator.txt");
    let pinned = std::fs::read_to_string(&requirements)
        .context("reading bench/requirements-openapi-generator.txt")?;
    let stamp = venv.join("installed-requirements.txt");
    let fresh = !(program.exists() && std::fs::read_to_string(&stamp).ok() == Some(pinned.clone()));
    if fresh {
        eprintln!(
            "bench: installing openapi-generator-cli into {}",
            venv.display()
        );
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .context("running python3 -m venv")?;
        if !status.success() {
            bail!("python3 -m venv failed");
        }
        let status = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements)
            .status()
            .context("running pip")?;
        if !status.success() {
            bail!("pip install -r {} failed", requirements.display());
        }
        std::fs::write(&stamp, &pinned)?;
    }
    let version = format!(
        "openapi-generator {}",
        crate::machine::version_of(&program, &["version"])
    );
    Ok((Peer { program, version }, fresh))
}
