//! Tests of `migrate-clients` as a package: its examples run against the simulator, its
//! features match the manifest of shipped specs, and its build script builds each client
//! alone and from a user's own spec.

mod builds;
mod examples;
mod manifest;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generated/ sits in the workspace")
        .to_path_buf()
}

/// `cargo` for a build inside a test, in `target/nested` (shared with the other nested builds,
/// kept between runs), without the variables cargo sets for the test process itself: they
/// would reach the nested build's compilers and build scripts (`ring` tracks
/// `CARGO_MANIFEST_DIR`) and make it rebuild dependencies every time.
pub fn nested_cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_for_tests = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
            ]
            .contains(&name.as_ref());
        if set_for_tests {
            command.env_remove(name.as_ref());
        }
    }
    command.env("CARGO_TARGET_DIR", root().join("target/nested"));
    command
}
