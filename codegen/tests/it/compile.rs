//! The generated code compiles without a rustc or clippy warning: every fixture spec,
//! every shipped spec, the full vendor spec and every third-party spec of the corpus
//! (`../shared/specs/corpus/`) are generated into one standalone crate (one module
//! each, to build the dependencies once) and checked with `cargo clippy`, with the
//! `cli` feature. Warnings are counted from the output lines, not read off the exit
//! code.

use std::process::Command;
use std::time::Instant;

use migrate_codegen::{crate_files, generate, RuntimeDependency};

use crate::{
    corpus_specs, overlays_for, overlays_of, root, shipped_spec_paths, source, specs_in,
    vendor_spec,
};

#[test]
fn generated_crate_checks_without_warnings() {
    let mut modules = Vec::new();
    for spec in specs_in("specs/fixtures")
        .into_iter()
        .chain(shipped_spec_paths())
    {
        let generated = generate(&source(&spec), &overlays_for(&spec), &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let file = spec.rsplit('/').next().unwrap_or(&spec);
        let module = file.split('.').next().unwrap_or(file).replace('-', "_");
        let module = if spec.starts_with("specs/fixtures") {
            format!("fixture_{module}")
        } else {
            module
        };
        modules.push((module, generated));
    }
    if let Some(vendor) = vendor_spec() {
        let started = Instant::now();
        let generated = generate(&vendor, &overlays_of("powerstore"), &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "vendor spec: {} operations, {} types, {} lines, generated in {} ms",
            generated.operation_count,
            generated.type_count,
            generated.code.lines().count(),
            started.elapsed().as_millis()
        );
        assert_eq!(generated.operation_count, 600);
        assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
        modules.push(("powerstore_vendor".to_string(), generated));
    }
    for (module, spec) in corpus_specs() {
        let started = Instant::now();
        let generated = generate(&spec, &[], &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "{}: {} operations, {} types, {} warnings and notes, generated in {} ms",
            spec.name,
            generated.operation_count,
            generated.type_count,
            generated.warnings.len(),
            started.elapsed().as_millis()
        );
        assert!(
            generated.operation_count > 0,
            "{}: no operations",
            spec.name
        );
        modules.push((module, generated));
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = RuntimeDependency {
        version: "0.1.0".into(),
        path: Some(root().join("runtime").display().to_string()),
    };
    for (relative, contents) in crate_files("generated-check", &modules, &runtime) {
        let path = dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }
    let started = Instant::now();
    let output = Command::new(env!("CARGO"))
        // With the `cli` feature, so the clap flags generated for request bodies are
        // checked too.
        .args([
            "clippy",
            "--quiet",
            "--message-format",
            "short",
            "--features",
            "cli",
        ])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "cargo clippy of {} modules took {:.1} s",
        modules.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(output.status.success(), "cargo clippy failed:\n{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning") || l.contains("error"))
        .collect();
    assert!(
        warnings.is_empty(),
        "{} warnings:\n{}",
        warnings.len(),
        warnings.join("\n")
    );
}
