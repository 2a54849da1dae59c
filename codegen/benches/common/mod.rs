//! What both benchmarks read: the full vendor spec and the shipped PowerStore overlay.

use std::path::PathBuf;

use migrate_codegen::Source;

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
    let overlay =
        std::fs::read_to_string(root.join("specs/powerstore.overlay.yaml")).expect("overlay");
    (
        Source::new("powerstore-4.0.0.0.swagger.json", text),
        Source::new("specs/powerstore.overlay.yaml", overlay),
    )
}
