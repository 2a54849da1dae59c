//! Generates the clients from `specs/` into `OUT_DIR` on every build where a spec changed.
//!
//! `specs/shipped.yaml` lists the modules, each with its spec and overlays; a module is
//! generated when the cargo feature of its name is on, and `src/lib.rs` includes it. The
//! specs live inside this package, so the crate builds the same from a checkout, from a
//! `cargo package` tarball or from a registry.
//!
//! `MIGRATE_<MODULE>_SPEC=/absolute/path` (e.g. `MIGRATE_POWERSTORE_SPEC`) replaces a
//! module's spec with another file, such as the spec a user downloaded from their own array;
//! the module's overlays still apply, so the PowerStore query language, paging and `is_async`
//! reach every operation of that release.
//!
//! A spec error stops the build with the generator's message (file, JSON pointer, what is
//! wrong); generator warnings show as cargo warnings.

use std::path::{Path, PathBuf};

use migrate_codegen::{generate, Manifest, Source};

/// The manifest, relative to this package (build scripts run in the package directory).
const MANIFEST: &str = "specs/shipped.yaml";

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={MANIFEST}");
    let text = read_text(Path::new(MANIFEST));
    let manifest =
        Manifest::parse(&text, Path::new("specs"), MANIFEST).unwrap_or_else(|e| fail(&e));
    for module in &manifest.modules {
        let feature = format!("CARGO_FEATURE_{}", module.name.to_uppercase());
        let variable = format!("MIGRATE_{}_SPEC", module.name.to_uppercase());
        println!("cargo:rerun-if-env-changed={variable}");
        if std::env::var_os(&feature).is_none() {
            continue;
        }
        let spec = match std::env::var_os(&variable) {
            Some(path) => users_spec(&variable, PathBuf::from(path)),
            None => module.spec.clone(),
        };
        let spec_source = read(&spec);
        let overlays: Vec<Source> = module.overlays.iter().map(|o| read(o)).collect();
        let generated = generate(&spec_source, &overlays, &Default::default())
            .unwrap_or_else(|e| fail(&e.to_string()));
        for warning in &generated.warnings {
            println!("cargo:warning={warning}");
        }
        if spec != module.spec {
            println!(
                "cargo:warning={variable}: module {} generated from {} ({} {}): {} operations, {} types",
                module.name,
                spec.display(),
                generated.title,
                generated.version,
                generated.operation_count,
                generated.type_count
            );
        }
        let path = out.join(format!("{}.rs", module.name));
        if let Err(e) = std::fs::write(&path, generated.code) {
            fail(&format!("cannot write {}: {e}", path.display()));
        }
    }
}

/// The spec a `MIGRATE_<MODULE>_SPEC` variable names. It must be absolute: a build script
/// runs in this package's directory, not where cargo was started, so a relative path would
/// silently mean something else.
fn users_spec(variable: &str, path: PathBuf) -> PathBuf {
    if !path.is_absolute() {
        fail(&format!(
            "{variable}={}: give an absolute path (build scripts run in the migrate-clients package directory, not where cargo was started)",
            path.display()
        ));
    }
    if !path.is_file() {
        fail(&format!("{variable}={}: no such file", path.display()));
    }
    path
}

/// Reads a spec or overlay and asks cargo to rebuild when it changes.
fn read(path: &Path) -> Source {
    println!("cargo:rerun-if-changed={}", path.display());
    Source::new(path.display().to_string(), read_text(path))
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())))
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
