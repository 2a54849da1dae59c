//! Regenerates the clients from `specs/` on every build where a spec changed.
//!
//! Each spec (with its overlays) becomes one module, written to `OUT_DIR` and
//! included by `src/lib.rs`. A spec error stops the build with the generator's
//! message (file, JSON pointer, what is wrong); generator warnings show as
//! cargo warnings.

use std::path::{Path, PathBuf};

use migrate_codegen::{generate, Source};

/// (module, spec, overlays), relative to the workspace root.
const SPECS: &[(&str, &str, &[&str])] = &[
    (
        "powerstore",
        "specs/dellemc.swagger.json",
        &["specs/powerstore.overlay.yaml"],
    ),
    ("lcm", "specs/lcm.yaml", &[]),
    ("vipr", "specs/vipr.yaml", &[]),
];

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let root = manifest
        .parent()
        .expect("generated/ sits in the workspace")
        .to_path_buf();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (module, spec, overlays) in SPECS {
        let spec_source = read(&root, spec);
        let overlay_sources: Vec<Source> = overlays.iter().map(|o| read(&root, o)).collect();
        match generate(&spec_source, &overlay_sources, &Default::default()) {
            Ok(generated) => {
                for warning in &generated.warnings {
                    println!("cargo:warning={warning}");
                }
                let path = out.join(format!("{module}.rs"));
                if let Err(e) = std::fs::write(&path, generated.code) {
                    fail(&format!("cannot write {}: {e}", path.display()));
                }
            }
            Err(error) => fail(&error.to_string()),
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// Reads a file named relative to the workspace root and asks cargo to
/// rebuild when it changes.
fn read(root: &Path, relative: &str) -> Source {
    let path = root.join(relative);
    println!("cargo:rerun-if-changed={}", path.display());
    match std::fs::read_to_string(&path) {
        Ok(text) => Source::new(relative, text),
        Err(e) => fail(&format!("cannot read {relative}: {e}")),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
