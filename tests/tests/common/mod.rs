//! What the CLI-level tests share: the `migrate` binary, simulators on one runtime, running
//! the binary with a time limit, and keeping a section of `docs/reliability.md` true.

#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use migrate_sim::{SimConfig, SimHandle};

/// The simulator's password.
pub const PASSWORD: &str = "Password123!";

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// The `migrate` binary, built (or found up to date) with cargo once per test process: it
/// belongs to another package, so cargo does not hand its path to these tests.
pub fn migrate_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| cargo_bin("migrate-cli", "migrate"))
}

/// The `migrate-codegen` binary, built (or found up to date) once per test process.
pub fn codegen_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| cargo_bin("migrate-codegen", "migrate-codegen"))
}

/// `cargo`, with the variables cargo set for this test taken out (see [`cargo_bin`]).
pub fn cargo() -> Command {
    let mut cargo = Command::new(env!("CARGO"));
    // Cargo describes this test to it in variables (CARGO_MANIFEST_DIR, CARGO_PKG_NAME,
    // OUT_DIR, …) that some build scripts (ring's) watch: passed on, they would make the
    // inner build and the next outer one rebuild each other's dependencies every time.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let kept = [
            "CARGO_HOME",
            "CARGO_TARGET_DIR",
            "CARGO_BUILD_",
            "CARGO_PROFILE_",
            "CARGO_TERM_",
            "CARGO_NET_",
            "CARGO_HTTP_",
            "CARGO_REGISTR",
            "CARGO_INCREMENTAL",
            "CARGO_UNSTABLE_",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix));
        if (name.starts_with("CARGO_") && !kept) || name == "OUT_DIR" {
            cargo.env_remove(&*name);
        }
    }
    cargo
}

/// Whether this test runs from a release build (the binaries it builds are built alike).
pub fn is_release() -> bool {
    std::env::current_exe()
        .ok()
        .is_some_and(|exe| exe.components().any(|c| c.as_os_str() == "release"))
}

/// Builds binary `bin` of workspace package `package` (or finds it up to date) and returns
/// its path.
fn cargo_bin(package: &str, bin: &str) -> PathBuf {
    let mut build = cargo();
    build
        .args(["build", "--quiet", "-p", package, "--bin", bin])
        .args(["--message-format", "json-render-diagnostics"])
        .current_dir(root())
        .stderr(Stdio::inherit());
    if is_release() {
        build.arg("--release");
    }
    let out = build.output().expect("cargo runs");
    assert!(out.status.success(), "building {bin} failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == bin)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo names the {bin} executable"))
}

/// One runtime for every simulator and helper server of a test process.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// Runs `future` on the shared runtime.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    runtime().handle().block_on(future)
}

/// A simulator with simulated steps of `step`.
pub fn sim(step: Duration) -> SimHandle {
    block_on(migrate_sim::start(
        "127.0.0.1:0".parse().expect("an address"),
        SimConfig::default().with_step(step),
    ))
    .expect("the simulator starts")
}

/// A local port nothing listens on.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// How one run of `migrate` ended.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// stdout parsed as one JSON value, if it is one.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.stdout).ok()
    }

    /// No panic, no crash: an exit code that `migrate` chose.
    pub fn assert_no_panic(&self, what: &str) {
        assert!(
            !self.stderr.contains("panicked") && self.code != 101 && self.code >= 0,
            "{what}: crashed with {}:\n{}",
            self.code,
            self.stderr
        );
    }
}

/// A `migrate` command for `host`, with the simulator's user and password and no config
/// file.
pub fn migrate(host: &str) -> Command {
    static CONFIG: OnceLock<tempfile::TempDir> = OnceLock::new();
    let config = CONFIG.get_or_init(|| tempfile::tempdir().expect("a temp dir"));
    let mut cmd = Command::new(migrate_bin());
    cmd.env("MIGRATE_HOST", host)
        .env("MIGRATE_USER", "admin")
        .env("MIGRATE_PASSWORD", PASSWORD)
        .env("MIGRATE_CONFIG", config.path().join("none.toml"))
        .env_remove("MIGRATE_PROFILE")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `cmd`, killing it after `limit` (a hang is a failure too).
pub fn run(mut cmd: Command, limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = cmd.spawn().expect("migrate starts");
    let pid = child.id();
    // Read the pipes on threads, so a full pipe cannot stall the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).ok();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "migrate (pid {pid}) still ran after {limit:?}: {:?}",
                cmd.get_args().collect::<Vec<_>>()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        elapsed: started.elapsed(),
    }
}

/// Checks that the part of `docs/reliability.md` between `<!-- NAME:begin -->` and
/// `<!-- NAME:end -->` is `text`; with `MIGRATE_UPDATE_DOCS=1` writes it there instead.
pub fn check_doc_section(name: &str, text: &str) {
    let path = root().join("docs/reliability.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let begin = format!("<!-- {name}:begin -->\n");
    let end = format!("<!-- {name}:end -->");
    let start = doc
        .find(&begin)
        .unwrap_or_else(|| panic!("{} has no {begin:?}", path.display()))
        + begin.len();
    let stop = doc[start..]
        .find(&end)
        .unwrap_or_else(|| panic!("{} has no {end:?}", path.display()))
        + start;
    if doc[start..stop] == *text {
        return;
    }
    if std::env::var_os("MIGRATE_UPDATE_DOCS").is_some() {
        let updated = format!("{}{text}{}", &doc[..start], &doc[stop..]);
        std::fs::write(&path, updated).expect("docs/reliability.md is writable");
        return;
    }
    panic!(
        "the {name} section of docs/reliability.md is out of date; rerun with \
         MIGRATE_UPDATE_DOCS=1 to rewrite it. It should read:\n{text}"
    );
}
