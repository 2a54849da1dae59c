//! This crate holds integration tests (`tests/tests/`): the generated clients and the runtime
//! against the simulator over real sockets, real response bodies with their quirks, and the
//! crates as other projects use them (`package/`: publishing, features, the build script, the
//! consumer crate in `tests/consumer/`, the examples). Snapshots of generated code and the
//! full vendor spec check live with the generator, in `codegen/tests/it/`.
//!
//! The library holds what the test files share: the simulator and its credentials, wait
//! settings for its fast steps, and running cargo inside a test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use migrate_runtime::wait::WaitOptions;
use migrate_sim::{SimConfig, SimHandle};

/// The simulator's user and password.
pub const USER: &str = "admin";
pub const PASSWORD: &str = "Password123!";

/// A simulator of all three services on a free local port, its work moving on every `step`.
pub async fn sim_with_step(step: Duration) -> SimHandle {
    let config = SimConfig::default().with_step(step);
    migrate_sim::start("127.0.0.1:0".parse().expect("address"), config)
        .await
        .expect("the simulator starts")
}

/// A simulator with a 20 ms step.
pub async fn sim() -> SimHandle {
    sim_with_step(Duration::from_millis(20)).await
}

/// Polls often enough for the 20 ms step, and gives up well before a test would hang.
pub fn fast() -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(40),
        timeout: Duration::from_secs(20),
        ..WaitOptions::default()
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The target directory every build inside a test uses: `target/nested`, kept between runs
/// and shared, so that dependencies are built once for all of them.
pub fn nested_target() -> PathBuf {
    root().join("target/nested")
}

/// `cargo` for a build inside a test, in [`nested_target`] with this workspace's dev profile
/// (so that crates outside the workspace, such as a package being verified or the consumer
/// crate, reuse the same dependency builds), and without the variables cargo sets for the test
/// process itself: they would reach the nested build's compilers and build scripts (`ring`
/// tracks `CARGO_MANIFEST_DIR`) and make it rebuild its dependencies every time.
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
    command.env("CARGO_TARGET_DIR", nested_target());
    command
}

/// `--config` arguments that give a crate outside this workspace the workspace's dev profile
/// (`Cargo.toml`'s `[profile.dev]`), so that its dependencies are the same builds.
pub const WORKSPACE_PROFILE: [&str; 4] = [
    "--config",
    "profile.dev.debug=\"line-tables-only\"",
    "--config",
    "profile.dev.package.\"*\".debug=false",
];

/// The full vendor spec (`$POWERSTORE_SPEC`, else `../shared/specs/`), as an absolute path.
/// Outside CI a missing spec skips the calling test with a notice; with `CI=true` it fails it.
pub fn vendor_spec() -> Option<PathBuf> {
    let path = std::env::var_os("POWERSTORE_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/specs/powerstore-4.0.0.0.swagger.json"));
    if path.is_file() {
        return Some(std::fs::canonicalize(&path).expect("an absolute path"));
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the vendor spec {} is missing", path.display());
    }
    eprintln!(
        "NOTICE: skipping what needs the full vendor spec ({} is missing); set POWERSTORE_SPEC",
        path.display()
    );
    None
}
