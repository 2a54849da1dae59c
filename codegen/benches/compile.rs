//! Clean debug build time of the crate generated from the full vendor spec,
//! against a baseline built in the same run: an empty crate with the same
//! dependencies (the runtime, serde, serde_json). The difference is what the
//! generated code itself costs.
//!
//! Run with `cargo bench -p migrate-codegen --bench compile` (about two to
//! three minutes on two cores; needs the vendor spec in `../shared/specs/` or
//! `$POWERSTORE_SPEC`).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use migrate_codegen::{crate_files, generate, Generated, RuntimeDependency};

mod common;

fn main() {
    let root = common::root();
    let (spec, overlay) = common::vendor_sources();
    let generated =
        generate(&spec, &[overlay], &Default::default()).expect("the vendor spec generates");
    let runtime = RuntimeDependency {
        version: "0.1.0".into(),
        path: Some(root.join("runtime").display().to_string()),
    };
    let work = std::env::temp_dir().join(format!("migrate-compile-bench-{}", std::process::id()));

    let empty = Generated {
        code: String::new(),
        warnings: Vec::new(),
        operation_count: 0,
        type_count: 0,
        ..generated.clone()
    };
    let baseline = clean_build(
        &work.join("baseline"),
        &[("baseline".into(), empty)],
        &runtime,
    );
    let full = clean_build(
        &work.join("vendor"),
        &[("vendor".into(), generated.clone())],
        &runtime,
    );
    let _ = std::fs::remove_dir_all(&work);

    println!(
        "generated crate: {} lines, {} operations, {} types",
        generated.code.lines().count(),
        generated.operation_count,
        generated.type_count
    );
    println!(
        "baseline (same dependencies, no generated code): {:>6.1} s",
        baseline.as_secs_f64()
    );
    println!(
        "generated crate, clean debug build:              {:>6.1} s",
        full.as_secs_f64()
    );
    println!(
        "ratio: {:.2} × baseline; the generated code itself adds {:.1} s",
        full.as_secs_f64() / baseline.as_secs_f64(),
        (full - baseline.min(full)).as_secs_f64()
    );
}

/// Writes the crate and builds it from scratch in its own target directory.
fn clean_build(
    dir: &Path,
    modules: &[(String, Generated)],
    runtime: &RuntimeDependency,
) -> Duration {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("bench")
        .to_string();
    for (relative, contents) in crate_files(&format!("bench-{name}"), modules, runtime) {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }
    let started = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the build of {} failed", dir.display());
    started.elapsed()
}
