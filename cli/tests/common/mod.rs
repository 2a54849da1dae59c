//! Runs the real `migrate` binary against an in-process simulator.

use std::time::Duration;

use assert_cmd::Command;
use migrate_sim::{SimConfig, SimHandle};

/// The simulator's password; tests check that it never shows up.
pub const PASSWORD: &str = "Password123!";

/// A simulator with a 20 ms step and an empty config directory.
pub struct Sim {
    pub handle: SimHandle,
    pub config: tempfile::TempDir,
    // Dropped last: the simulator's tasks run on it.
    _runtime: tokio::runtime::Runtime,
}

impl Sim {
    /// Fails when the simulator received any request (input refused before sending).
    pub fn assert_nothing_sent(&self, what: &str) {
        let requests = self.handle.requests();
        assert!(requests.is_empty(), "{what} sends nothing: {requests:?}");
    }

    pub fn start() -> Self {
        Self::start_with(SimConfig::default().with_step(Duration::from_millis(20)))
    }

    /// A simulator with `config` and an empty config directory.
    pub fn start_with(config: SimConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let handle = runtime
            .block_on(migrate_sim::start(
                "127.0.0.1:0".parse().expect("address"),
                config,
            ))
            .expect("simulator starts");
        Self {
            handle,
            config: tempfile::tempdir().expect("temp dir"),
            _runtime: runtime,
        }
    }

    /// `migrate` with host, user, password and a fast poll interval set.
    pub fn migrate(&self) -> Command {
        Command::from_std(self.std_migrate())
    }

    /// The same as a plain process, for tests that signal it.
    pub fn std_migrate(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(binary());
        cmd.env("MIGRATE_HOST", self.handle.base_url())
            .env("MIGRATE_USER", "admin")
            .env("MIGRATE_PASSWORD", PASSWORD)
            .env("MIGRATE_CONFIG", self.config.path().join("config.toml"))
            .env_remove("MIGRATE_PROFILE")
            .env_remove("MIGRATE_TOKEN")
            .env_remove("MIGRATE_COMPLETE_FROM_SERVICE")
            .env_remove("COMPLETE")
            .env_remove("RUST_LOG")
            // Tables as a pipe gets them (no width limit), times in UTC.
            .env_remove("COLUMNS")
            .env("TZ", "UTC")
            .args(["--poll-interval", "0.02", "--wait-timeout", "30"]);
        cmd
    }

    /// Runs `migrate args` and returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.migrate().args(args).output().expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs `migrate args` with `env` set; returns (exit code, stdout, stderr).
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
        let mut cmd = self.migrate();
        for (key, value) in env {
            cmd.env(key, value);
        }
        let out = cmd.args(args).output().expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs `migrate args`, expects success and parses stdout as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let (code, stdout, stderr) = self.run(&[&["-o", "json"], args].concat());
        assert_eq!(code, 0, "migrate {args:?} failed: {stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    }

    /// The first seeded remote system's id.
    pub fn remote_system(&self) -> String {
        self.handle.seed()["powerstore"]["remote_systems"][0]["id"]
            .as_str()
            .expect("seeded remote system")
            .to_string()
    }
}

/// The `migrate` binary under test: this build's, or `MIGRATE_TEST_BIN` (to measure an older
/// build against the same tables, e.g. how many bad inputs it let through).
pub fn binary() -> std::path::PathBuf {
    match std::env::var_os("MIGRATE_TEST_BIN") {
        Some(path) => path.into(),
        None => assert_cmd::cargo::cargo_bin!("migrate").to_path_buf(),
    }
}
