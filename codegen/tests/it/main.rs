//! Integration tests of the generator: one binary, one module per area.

mod compile;
mod contract;
mod diff;
mod errors;
mod fuzz;
mod naming;
mod roundtrip;
mod snapshots;

use std::path::{Path, PathBuf};

use migrate_codegen::{Manifest, Source};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ is in the workspace")
        .to_path_buf()
}

/// A file of the workspace as a generator source, named by its relative path.
pub fn source(relative: &str) -> Source {
    let text = std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    Source::new(relative, text)
}

/// The spec files directly in `dir` (relative to the root), sorted.
pub fn specs_in(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            (name.ends_with(".json") || name.ends_with(".yaml")) && !name.contains("overlay")
        })
        .map(|name| format!("{dir}/{name}"))
        .collect();
    files.sort();
    files
}

/// The manifest of the specs the project ships (`generated/specs/shipped.yaml`), with paths
/// relative to the root.
pub fn shipped() -> Manifest {
    let manifest = "generated/specs/shipped.yaml";
    Manifest::parse(
        &source(manifest).text,
        Path::new("generated/specs"),
        manifest,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The shipped specs, relative to the root, in the manifest's order.
pub fn shipped_spec_paths() -> Vec<String> {
    shipped()
        .modules
        .iter()
        .map(|m| m.spec.display().to_string())
        .collect()
}

/// The overlays the project applies to a spec: the manifest's for a shipped spec, none for
/// the others.
pub fn overlays_for(spec: &str) -> Vec<Source> {
    shipped()
        .modules
        .iter()
        .filter(|m| m.spec == Path::new(spec))
        .flat_map(|m| &m.overlays)
        .map(|o| source(&o.display().to_string()))
        .collect()
}

/// The overlays of the shipped module `name`.
pub fn overlays_of(name: &str) -> Vec<Source> {
    let manifest = shipped();
    let module = manifest
        .module(name)
        .unwrap_or_else(|| panic!("no module {name} in the manifest"));
    module
        .overlays
        .iter()
        .map(|o| source(&o.display().to_string()))
        .collect()
}

/// The third-party specs of `../shared/specs/corpus/` (or `$MIGRATE_CORPUS`), with a
/// module name each. The three named below must be there: outside CI a missing one is
/// skipped with a notice, with `CI=true` it fails the test. Any further spec in the
/// directory is included too.
pub fn corpus_specs() -> Vec<(String, migrate_codegen::Source)> {
    const EXPECTED: [&str; 3] = [
        "docker-engine.swagger.yaml",
        "purestorage-flashblade-2.28.oas3.yaml",
        "mistral.oas31.yaml",
    ];
    let dir = std::env::var_os("MIGRATE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/specs/corpus"));
    let ci = std::env::var("CI").as_deref() == Ok("true");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json") || n.ends_with(".yaml") || n.ends_with(".yml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for expected in EXPECTED {
        if !files.iter().any(|f| f == expected) {
            let message = format!("corpus spec {} is missing", dir.join(expected).display());
            if ci {
                panic!("CI=true but {message}");
            }
            eprintln!("NOTICE: {message}; skipped");
        }
    }
    files
        .into_iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(dir.join(&file)).ok()?;
            let module = format!(
                "corpus_{}",
                file.split('.').next().unwrap_or(&file).replace('-', "_")
            );
            Some((module, migrate_codegen::Source::new(file, text)))
        })
        .collect()
}

/// The full vendor spec, from `$POWERSTORE_SPEC` or `../shared/specs/`.
///
/// Outside CI a missing spec skips the test with a notice; with `CI=true` it
/// fails it, so CI cannot pass without having run the test.
pub fn vendor_spec() -> Option<Source> {
    let path = std::env::var_os("POWERSTORE_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/specs/powerstore-4.0.0.0.swagger.json"));
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(Source::new("powerstore-4.0.0.0.swagger.json", text)),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "CI=true but the vendor spec {} cannot be read: {e}",
                path.display()
            )
        }
        Err(e) => {
            eprintln!(
                "NOTICE: skipping the full vendor spec ({}: {e}); set POWERSTORE_SPEC to run it",
                path.display()
            );
            None
        }
    }
}
