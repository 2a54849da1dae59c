//! What both benchmarks read: the full vendor spec and the PowerStore overlay that
//! `generated/specs/shipped.yaml` pairs with the shipped PowerStore spec.

use std::path::{Path, PathBuf};

use migrate_codegen::{Manifest, Source};

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The vendor spec (`$POWERSTORE_SPEC`, else `../shared/specs/`) and the shipped overlay; exits
/// with a message when the spec is not readable.
pub fn vendor_sources() -> (Source, Source) {
    let root = root();
    let spec_path = std::env::var_os("POWERSTORE_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/specs/powerstore-4.0.0.0.swagger.json"));
    let Ok(text) = std::fs::read_to_string(&spec_path) else {
        eprintln!(
            "the vendor spec {} is not readable; set POWERSTORE_SPEC",
            spec_path.display()
        );
        std::process::exit(1);
    };
    let manifest = "generated/specs/shipped.yaml";
    let manifest = Manifest::parse(
        &std::fs::read_to_string(root.join(manifest)).expect("the manifest"),
        Path::new("generated/specs"),
        manifest,
    )
    .expect("the manifest parses");
    let [overlay] = manifest
        .module("powerstore")
        .expect("a powerstore module")
        .overlays
        .as_slice()
    else {
        panic!("the benchmarks time the one PowerStore overlay");
    };
    let overlay_text = std::fs::read_to_string(root.join(overlay)).expect("overlay");
    (
        Source::new("powerstore-4.0.0.0.swagger.json", text),
        Source::new(overlay.display().to_string(), overlay_text),
    )
}
