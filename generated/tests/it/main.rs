//! Tests of `migrate-clients` as a package: its examples run against the simulator, its
//! features match the manifest of shipped specs, and its build script builds each client
//! alone and from a user's own spec.

mod builds;
mod examples;
mod manifest;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generated/ sits in the workspace")
        .to_path_buf()
}
