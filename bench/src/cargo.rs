//! Nested cargo: building the binaries the benchmark measures, and the generated crates.
//!
//! Why the environment is cleaned: cargo describes the running package to it in variables
//! (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, `OUT_DIR`, …) that some build scripts (ring's)
//! watch. Passed on to an inner build they would make it and the next outer build rebuild
//! each other's dependencies, and the timed clean builds would not be clean builds of the
//! generated crate alone.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// The cargo to run: the one that runs us, else the one on `PATH`.
pub fn program() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("cargo"))
}

/// The cargo variables of the current process that must not reach an inner cargo.
pub fn inherited_variables() -> Vec<String> {
    const KEPT: &[&str] = &[
        "CARGO_HOME",
        "CARGO_BUILD_",
        "CARGO_TERM_",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTR",
        "CARGO_UNSTABLE_",
    ];
    std::env::vars_os()
        .map(|(name, _)| name.to_string_lossy().into_owned())
        .filter(|name| {
            (name.starts_with("CARGO_") && !KEPT.iter().any(|k| name.starts_with(k)))
                || name == "OUT_DIR"
                || name == "RUSTC_WRAPPER"
                || name == "RUSTFLAGS"
        })
        .collect()
}

/// A cargo command in `dir` without the variables of [`inherited_variables`].
pub fn command(dir: &Path) -> Command {
    let mut cargo = Command::new(program());
    for name in inherited_variables() {
        cargo.env_remove(name);
    }
    cargo.current_dir(dir);
    cargo
}

/// Builds `bin` of `package` in the workspace at `root` with `profile` (`release` or `dev`)
/// and returns the executable's path, as cargo names it.
pub fn build_binary(root: &Path, package: &str, bin: &str, release: bool) -> Result<PathBuf> {
    let mut cargo = command(root);
    cargo
        .args(["build", "--quiet", "-p", package, "--bin", bin])
        .args(["--message-format", "json-render-diagnostics"])
        .stderr(Stdio::inherit());
    if release {
        cargo.arg("--release");
    }
    let out = cargo.output().context("running cargo")?;
    if !out.status.success() {
        bail!("cargo could not build {package} ({bin})");
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == bin)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .with_context(|| format!("cargo named no executable for {bin}"))
}
