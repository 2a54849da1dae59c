//! Contract tests: every command that sends a request runs against Prism, a mock server that
//! validates each request against the shipped spec. A request the spec rejects (Prism logs a
//! violation and answers 422, or 401/404/405/415) fails the test.
//!
//! Prism comes from npm through `tests/contract/package.json` (`npm ci --prefix tests/contract`).
//! Without it the tests print a notice and pass, except under `CI=true`, where they fail.
//!
//! The mock's answers are static examples generated from the schemas, so the CLI may still exit
//! nonzero after a valid request (e.g. a job id "string" it cannot follow); the verdict comes
//! from what Prism says about each request, not from the exit code.

use std::fmt::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use std::collections::BTreeSet;

use migrate_codegen::{load, overlay, Source};
use migrate_runtime::command::Info;
use serde_json::{json, Map, Value};

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn contract_dir() -> PathBuf {
    root().join("tests/contract")
}

/// Prism's executable, or `None` (after a notice) when it is not installed outside CI.
fn prism() -> Option<PathBuf> {
    let bin = contract_dir().join("node_modules/.bin/prism");
    if bin.exists() {
        return Some(bin);
    }
    let message = format!(
        "{} is missing; install it with `npm ci --prefix tests/contract`",
        bin.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message} (CI=true: the contract tests must run)");
    }
    eprintln!("SKIPPED contract test: {message}");
    None
}

fn read(relative: &str) -> Source {
    let path = root().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Source::new(relative, text)
}

fn parse(relative: &str) -> Value {
    load::parse(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// A shipped module of `generated/specs/shipped.yaml` (paths relative to the root).
fn shipped(name: &str) -> migrate_codegen::manifest::Module {
    let manifest = "generated/specs/shipped.yaml";
    let manifest = migrate_codegen::Manifest::parse(
        &read(manifest).text,
        Path::new("generated/specs"),
        manifest,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    manifest
        .module(name)
        .unwrap_or_else(|| panic!("no module {name} in the manifest"))
        .clone()
}

/// A shipped module's spec with its overlays applied.
fn shipped_spec(name: &str) -> Value {
    let module = shipped(name);
    let mut doc = parse(&module.spec.display().to_string());
    for overlay in &module.overlays {
        overlay::apply(
            &mut doc,
            &read(&overlay.display().to_string()),
            &mut Vec::new(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", overlay.display()));
    }
    doc
}

/// Replaces each `$ref` to a schema that holds no `$ref` itself with a copy of that schema (the
/// reference's sibling keys kept). Prism's parser shares the objects of a schema referenced from
/// several places and turns the shared `enum` arrays into references, which its validator cannot
/// compile; it then skips validating those bodies. Inlined copies are not shared.
fn inline_leaf_refs(document: &mut Value) {
    fn has_ref(value: &Value) -> bool {
        match value {
            Value::Object(map) => map.contains_key("$ref") || map.values().any(has_ref),
            Value::Array(items) => items.iter().any(has_ref),
            _ => false,
        }
    }
    fn walk(value: &mut Value, original: &Value) {
        match value {
            Value::Object(map) => {
                let target = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                    .and_then(|pointer| original.pointer(pointer))
                    .filter(|t| t.is_object() && !has_ref(t));
                if let Some(Value::Object(target)) = target {
                    let mut inlined = target.clone();
                    for (key, sibling) in map.iter() {
                        if key != "$ref" {
                            inlined.insert(key.clone(), sibling.clone());
                        }
                    }
                    *map = inlined;
                } else {
                    map.values_mut().for_each(|v| walk(v, original));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, original)),
            _ => {}
        }
    }
    let original = document.clone();
    walk(document, &original);
}

/// The PowerStore spec as Prism must serve it for the CLI's URLs.
fn powerstore_spec() -> Value {
    let mut doc = shipped_spec("powerstore");

    // Prism serves Swagger 2.0 paths without basePath; the CLI sends /api/rest/...
    let object = doc.as_object_mut().expect("spec object");
    let base = object
        .remove("basePath")
        .and_then(|b| b.as_str().map(|s| s.trim_end_matches('/').to_string()))
        .unwrap_or_default();
    let paths = object
        .remove("paths")
        .and_then(|p| match p {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .expect("paths");
    let prefixed: Map<String, Value> = paths
        .into_iter()
        .map(|(path, item)| (format!("{base}{path}"), item))
        .collect();
    object.insert("paths".into(), Value::Object(prefixed));

    // Sessions: the spec (its security description) says Basic, then the auth_cookie cookie from
    // GET /login_session, and DELL-EMC-TOKEN on every non-GET. Swagger 2.0 has no cookie scheme,
    // so the copy declares the cookie as an API key in the Cookie header: Prism then checks that
    // every request carries Basic or the session cookie, and every non-GET the token.
    object["securityDefinitions"]["session_cookie"] =
        json!({"type": "apiKey", "in": "header", "name": "Cookie"});
    object["securityDefinitions"]["csrf_token"] =
        json!({"type": "apiKey", "in": "header", "name": "DELL-EMC-TOKEN"});
    object["security"] = json!([{"basic": []}, {"session_cookie": []}]);
    for item in object["paths"].as_object_mut().expect("paths").values_mut() {
        for (method, operation) in item.as_object_mut().expect("path item") {
            if ["post", "patch", "put", "delete"].contains(&method.as_str()) {
                operation["security"] = json!([
                    {"basic": [], "csrf_token": []},
                    {"session_cookie": [], "csrf_token": []}
                ]);
            }
        }
    }
    // What login reads from the answer. The vendor spec declares no response headers; in a
    // Swagger 2.0 header Prism's static mode answers the `default`.
    let login = &mut object["paths"][format!("{base}/login_session")]["get"];
    login["security"] = json!([{"basic": []}]);
    login["responses"]["200"]["headers"] = json!({
        "Set-Cookie": {"type": "string", "default": "auth_cookie=contract-test; Path=/; Secure; HttpOnly"},
        "DELL-EMC-TOKEN": {"type": "string", "default": "contract-test-token"}
    });
    inline_leaf_refs(&mut doc);
    doc
}

fn lcm_spec() -> Value {
    let mut doc = shipped_spec("lcm");
    inline_leaf_refs(&mut doc);
    doc
}

fn vipr_spec() -> Value {
    let mut doc = shipped_spec("vipr");
    // The spec declares the login token header; give Prism a value to send.
    doc["paths"]["/login"]["get"]["responses"]["200"]["headers"]["X-SDS-AUTH-TOKEN"]["example"] =
        json!("contract-test-token");
    inline_leaf_refs(&mut doc);
    doc
}

/// A running `prism mock`, killed on drop.
struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
    errors: PathBuf,
    dir: tempfile::TempDir,
}

impl Prism {
    /// Writes `spec` to a temporary file, checks that Prism can compile its request schemas and
    /// starts the mock on a free port.
    fn start(bin: &Path, name: &str, spec: &Value) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, serde_json::to_vec_pretty(spec).expect("json")).expect("write");

        let check = Command::new("node")
            .arg(contract_dir().join("check-schemas.js"))
            .arg(&file)
            .output()
            .expect("node runs");
        assert!(
            check.status.success(),
            "Prism would not validate some requests of {name} (schemas it cannot compile):\n{}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );

        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let log = dir.path().join("prism.log");
        let errors = dir.path().join("prism.err");
        let child = Command::new(bin)
            .args(["mock", "--host", "127.0.0.1", "-p", &port.to_string()])
            .arg(&file)
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).expect("log file"))
            .stderr(std::fs::File::create(&errors).expect("log file"))
            .spawn()
            .expect("prism starts");
        let mut prism = Self {
            child,
            port,
            log,
            errors,
            dir,
        };
        prism.wait_until_listening(name);
        prism
    }

    fn wait_until_listening(&mut self, name: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "prism mock for {name} exited ({status}):\n{}",
                    self.output()
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "prism mock for {name} did not listen within 60 s:\n{}",
                    self.output()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn output(&self) -> String {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        format!("{}{}", read(&self.log), read(&self.errors))
    }

    fn log_len(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .map(|s| s.len())
            .unwrap_or(0)
    }

    /// The log written after `from`, once Prism has stopped writing (it logs asynchronously).
    fn log_since(&self, from: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut last = self.log_len();
        let mut stable_since = Instant::now();
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.log_len();
            if now != last {
                last = now;
                stable_since = Instant::now();
            } else if stable_since.elapsed() >= Duration::from_millis(250) {
                break;
            }
        }
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.get(from..).unwrap_or_default().to_string()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = &self.dir;
    }
}

/// One request as Prism logged it.
struct Logged {
    request: String,
    lines: Vec<String>,
}

impl Logged {
    /// Why Prism refused the request, if it did.
    fn refusal(&self) -> Option<String> {
        let refused = self.lines.iter().any(|l| {
            l.contains('✖')
                || l.contains("Request did not pass the validation rules")
                || l.contains("Violation:")
                || l.contains("Request terminated with error")
        }) || self.status().is_some_and(|s| s >= 400);
        refused.then(|| self.lines.join("\n"))
    }

    /// The status Prism answered with, when it logged one.
    fn status(&self) -> Option<u16> {
        self.lines.iter().rev().find_map(|l| {
            let rest = l.split("Responding with \"").nth(1)?;
            rest.split('"').next()?.parse().ok()
        })
    }
}

/// Splits Prism's log into requests ("[HTTP SERVER] get /path ... Request received" starts one).
fn requests(log: &str) -> Vec<Logged> {
    let mut out: Vec<Logged> = Vec::new();
    for line in log.lines() {
        if line.contains("[HTTP SERVER]") && line.contains("Request received") {
            let request = line
                .split("[HTTP SERVER]")
                .nth(1)
                .and_then(|r| r.split(" ℹ").next())
                .unwrap_or(line)
                .trim()
                .to_string();
            out.push(Logged {
                request,
                lines: vec![line.to_string()],
            });
        } else if let Some(current) = out.last_mut() {
            current.lines.push(line.to_string());
        }
    }
    out
}

/// Runs commands against one mock and collects the failures.
struct Contract {
    prism: Prism,
    config: tempfile::TempDir,
    failures: Vec<String>,
    checked: usize,
}

impl Contract {
    fn start(name: &str, spec: &Value) -> Option<Self> {
        let bin = prism()?;
        let started = Instant::now();
        let prism = Prism::start(&bin, name, spec);
        eprintln!(
            "prism mock for {name} listening on port {} after {:.1} s",
            prism.port,
            started.elapsed().as_secs_f64()
        );
        Some(Self {
            prism,
            config: tempfile::tempdir().expect("temp dir"),
            failures: Vec::new(),
            checked: 0,
        })
    }

    /// Runs `migrate args` against the mock (with `env` set) and checks every request it sent.
    fn run(&mut self, args: &[&str], env: &[(&str, &str)]) {
        let host = format!("http://127.0.0.1:{}", self.prism.port);
        let from = self.prism.log_len();
        let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("migrate"));
        cmd.env("MIGRATE_USER", "admin")
            .env("MIGRATE_PASSWORD", "Password123!")
            .env("MIGRATE_CONFIG", self.config.path().join("config.toml"))
            .env_remove("MIGRATE_HOST")
            .env_remove("MIGRATE_PROFILE")
            .env_remove("RUST_LOG")
            // Actions run as jobs the CLI then follows; the mock's job never finishes, so the
            // wait stops after 2 s (exit 5) once the requests are made.
            .args(["--host", &host, "-o", "json", "--timeout", "20"])
            .args(["--wait-timeout", "2", "--poll-interval", "0.5"])
            .args(args)
            .timeout(Duration::from_secs(60));
        for (key, value) in env {
            cmd.env(key, value);
        }
        let out = cmd.output().expect("migrate runs");
        let code = out.status.code().unwrap_or(-1);
        let log = self.prism.log_since(from);
        let logged = requests(&log);
        let cli = format!(
            "migrate {}: exit {code}\nstdout: {}\nstderr: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
        self.checked += 1;
        let mut failure = String::new();
        if logged.is_empty() {
            let _ = writeln!(failure, "sent no request to the mock");
        }
        // 2: refused by the CLI before sending; 6: could not reach the mock; -1: killed.
        if code == 2 || code == 6 || code == -1 {
            let _ = writeln!(
                failure,
                "the CLI failed before or while sending (exit {code})"
            );
        }
        for request in &logged {
            if let Some(why) = request.refusal() {
                let _ = writeln!(failure, "the spec rejects {}:\n{why}", request.request);
            }
        }
        let requests: Vec<String> = logged
            .iter()
            .map(|r| match r.status() {
                Some(s) => format!("{} -> {s}", r.request),
                None => r.request.clone(),
            })
            .collect();
        eprintln!(
            "{} migrate {}: exit {code}; {}",
            if failure.is_empty() { "ok  " } else { "FAIL" },
            args.join(" "),
            requests.join(", ")
        );
        if !failure.is_empty() {
            self.failures.push(format!("{failure}{cli}"));
        }
    }

    fn finish(self, name: &str) {
        assert!(
            self.failures.is_empty(),
            "{} of {} {name} commands sent requests the spec rejects:\n\n{}",
            self.failures.len(),
            self.checked,
            self.failures.join("\n\n")
        );
    }
}

/// Runs `migrate api SERVICE ...` for each of `commands` and checks that together they run
/// every operation the generated module has (`operations`), so an operation added to a spec
/// without a contract case fails here.
fn run_api(contract: &mut Contract, service: &str, operations: &[Info], commands: &[&[&str]]) {
    let run: BTreeSet<&str> = commands.iter().map(|c| c[0]).collect();
    let all: BTreeSet<&str> = operations.iter().map(|o| o.command).collect();
    let missing: Vec<&&str> = all.difference(&run).collect();
    assert!(
        missing.is_empty(),
        "no contract case runs `migrate api {service}` for {missing:?}"
    );
    for command in commands {
        contract.run(&[&["api", service], *command].concat(), &[]);
    }
}

const SESSION: &str = "2a3a0f0e-4c1f-4bb5-9b5e-1d7a1b2c3d4e";
const REMOTE: &str = "00a10000-5e1d-4000-8000-000000000001";

#[test]
fn powerstore_commands_send_requests_the_spec_accepts() {
    let Some(mut contract) = Contract::start("powerstore", &powerstore_spec()) else {
        return;
    };
    let no_env: &[(&str, &str)] = &[];
    let commands: &[&[&str]] = &[
        &[
            "import-session",
            "create",
            "--name",
            "db01",
            "--remote-system-id",
            REMOTE,
            "--source-resource-id",
            "sv_101",
        ],
        &[
            "import-session",
            "create",
            "--name",
            "db02",
            "--remote-system-id",
            REMOTE,
            "--source-resource-id",
            "sv_102",
            "--description",
            "contract test",
            "--type",
            "Agentless",
            "--host-ids",
            "h1",
            "--host-ids",
            "h2",
            "--host-group-ids",
            "hg1",
            "--volume-group-id",
            "vg1",
            "--automatic-cutover",
            "--protection-policy-id",
            "pp1",
            "--global-storage-discovery-address",
            "192.0.2.10",
            "--scheduled-timestamp",
            "2030-01-01T00:00:00Z",
        ],
        &["import-session", "list"],
        &[
            "import-session",
            "list",
            "--filter",
            "state=eq.Failed",
            "--filter",
            "name=ilike.db*",
            "--select",
            "id,name,state",
            "--order",
            "name.desc",
            "--limit",
            "10",
        ],
        &["import-session", "list", "--all"],
        &["import-session", "get", SESSION],
        &["import-session", "get", "name:db01"],
        &[
            "import-session",
            "modify",
            SESSION,
            "--scheduled-timestamp",
            "2030-01-01T00:00:00Z",
        ],
        &["import-session", "delete", SESSION],
        &["import-session", "cutover", SESSION],
        &["import-session", "cancel", SESSION],
        &["import-session", "cancel", SESSION, "--force"],
        &["import-session", "pause", SESSION],
        &["import-session", "resume", SESSION],
        &["import-session", "start-copy", SESSION],
        &["import-session", "enable-destination-volume", SESSION],
        &["import-session", "cleanup", SESSION],
        &["remote-system", "list"],
        &[
            "remote-system",
            "list",
            "--filter",
            "name=eq.unity-src-01",
            "--select",
            "id,name",
            "--order",
            "name",
            "--limit",
            "5",
        ],
        &["remote-system", "get", REMOTE],
        &["remote-system", "get", "name:unity-src-01"],
        &["job", "get", "3b0e6c8e-1111-4222-8333-944455556666"],
        &["job", "list"],
        &[
            "job",
            "list",
            "--phase",
            "Failed",
            "--phase",
            "Completed",
            "--resource-type",
            "import_session",
            "--resource-id",
            SESSION,
        ],
        &["volume", "list", "--all", "--limit", "10"],
        &["volume", "get", "name:db01-dest"],
        &["volume-group", "list", "--page-size", "50"],
        &["volume-group", "get", "name:vg-oracle"],
        &[
            "import-session",
            "list",
            "--limit",
            "2500",
            "--page-size",
            "1000",
        ],
        &["import-session", "watch", "--filter", "name=ilike.db*"],
    ];
    for args in commands {
        contract.run(args, no_env);
    }
    let body = contract.config.path().join("modify.yaml");
    std::fs::write(&body, "scheduled_timestamp: 2030-01-01T00:00:00Z\n").expect("write");
    let body = body.to_str().expect("a UTF-8 path").to_string();
    const VOLUME: &str = "00b20000-5e1d-4000-8000-000000000001";
    const GROUP: &str = "00c30000-5e1d-4000-8000-000000000001";
    const JOB: &str = "3b0e6c8e-1111-4222-8333-944455556666";
    let api: &[&[&str]] = &[
        &["import-session-collection-query"],
        &[
            "import-session-collection-query",
            "--select",
            "id,name,state",
            "--filter",
            "state=eq.Failed",
            "--order",
            "name.desc",
            "--limit",
            "10",
            "--offset",
            "10",
        ],
        &["import-session-collection-query", "--all"],
        &[
            "import-session-create",
            "--name",
            "db03",
            "--remote-system-id",
            REMOTE,
            "--source-resource-id",
            "sv_103",
            "--host-ids",
            "h1",
            "--automatic-cutover",
            "true",
        ],
        &[
            "import-session-instance-query",
            SESSION,
            "--select",
            "id,state",
        ],
        &["import-session-delete", SESSION, "--is-async", "true"],
        &["import-session-modify", SESSION, "--body", &body],
        &["import-session-cutover", SESSION],
        &["import-session-cancel", SESSION, "--force", "true"],
        &["import-session-pause", SESSION],
        &["import-session-resume", SESSION],
        &["import-session-start-copy", SESSION],
        &["import-session-enable-destination-volume", SESSION],
        &["import-session-cleanup", SESSION],
        &[
            "remote-system-collection-query",
            "--filter",
            "name=eq.unity-src-01",
        ],
        &["remote-system-instance-query", REMOTE],
        &["volume-collection-query", "--select", "id,name", "--all"],
        &["volume-instance-query", VOLUME],
        &[
            "volume-modify",
            VOLUME,
            "--name",
            "renamed",
            "--description",
            "contract",
        ],
        &["volume-group-collection-query"],
        &["volume-group-instance-query", GROUP],
        &["job-collection-query", "--order", "start_time.desc"],
        &["job-instance-query", JOB],
        &["login-session-collection-query"],
        &["logout-create"],
    ];
    run_api(
        &mut contract,
        "powerstore",
        migrate_clients::powerstore::api::OPERATIONS,
        api,
    );
    contract.finish("PowerStore");
}

#[test]
fn lcm_commands_send_requests_the_spec_accepts() {
    let Some(mut contract) = Contract::start("lcm", &lcm_spec()) else {
        return;
    };
    let no_env: &[(&str, &str)] = &[];
    contract.run(&["lcm", "snapshots"], no_env);
    contract.run(&["lcm", "import", "Artifact Snapshot"], no_env);
    contract.run(
        &[
            "lcm",
            "import",
            "Snap1",
            "--import-users",
            "--user-password-env",
            "CONTRACT_USER_PASSWORD",
            "--reset-password",
            "true",
        ],
        &[("CONTRACT_USER_PASSWORD", "Welcome-123!")],
    );
    contract.run(&["lcm", "status", "Snap1", "1510"], no_env);
    let token: &[(&str, &str)] = &[("MIGRATE_TOKEN", "contract-access-token")];
    contract.run(&["lcm", "snapshots"], token);
    contract.run(&["lcm", "status", "Snap1", "1510"], token);
    contract.run(&["lcm", "details", "Snap1", "1510", "--limit", "30"], token);
    contract.run(&["lcm", "details", "Snap1", "1510"], no_env);
    contract.run(
        &[
            "lcm",
            "details",
            "Snap1",
            "1510",
            "--task",
            "2",
            "--msgtype",
            "error",
        ],
        no_env,
    );
    let api: &[&[&str]] = &[
        &["list-api-versions"],
        &["list-snapshots", "11.1.2.3.600"],
        &[
            "import-snapshot",
            "11.1.2.3.600",
            "Snap1",
            "--q",
            r#"{"type":"import","importUsers":false}"#,
        ],
        &["get-migration-status", "11.1.2.3.600", "Snap1", "1510"],
        &[
            "get-migration-details",
            "11.1.2.3.600",
            "Snap1",
            "1510",
            "0",
        ],
        &[
            "get-migration-details",
            "11.1.2.3.600",
            "Snap1",
            "1510",
            "1",
            "--limit",
            "25",
            "--offset",
            "25",
            "--msgtype",
            "warn",
        ],
    ];
    run_api(
        &mut contract,
        "lcm",
        migrate_clients::lcm::api::OPERATIONS,
        api,
    );
    contract.finish("LCM");
}

#[test]
fn vipr_commands_send_requests_the_spec_accepts() {
    let Some(mut contract) = Contract::start("vipr", &vipr_spec()) else {
        return;
    };
    let no_env: &[(&str, &str)] = &[];
    let group = "urn:storageos:VolumeGroup:5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b:";
    contract.run(
        &["vipr", "full-copy", "create", group, "--name", "copy1"],
        no_env,
    );
    contract.run(
        &[
            "vipr",
            "full-copy",
            "create",
            group,
            "--name",
            "copy2",
            "--count",
            "2",
            "--create-inactive",
            "--type",
            "full_copy",
            "--varray",
            "urn:storageos:VirtualArray:1a2b3c4d-0000-4000-8000-000000000001:vdc1",
            "--vpool",
            "urn:storageos:VirtualPool:1a2b3c4d-0000-4000-8000-000000000002:vdc1",
            "--partial",
            "--volume",
            "urn:storageos:Volume:1a2b3c4d-0000-4000-8000-000000000003:vdc1",
        ],
        no_env,
    );
    contract.run(
        &[
            "vipr",
            "full-copy",
            "create",
            group,
            "--name",
            "copy3",
            "--subgroup",
            "rg1",
        ],
        no_env,
    );
    contract.run(
        &[
            "vipr",
            "task",
            "get",
            "urn:storageos:Task:9f8e7d6c-5b4a-4321-8765-0a1b2c3d4e5f:vdc1",
        ],
        no_env,
    );
    let body = contract.config.path().join("copy.json");
    std::fs::write(
        &body,
        r#"{"name": "copy4", "count": 1, "create_inactive": true}"#,
    )
    .expect("write");
    let body = body.to_str().expect("a UTF-8 path").to_string();
    let api: &[&[&str]] = &[
        &["login"],
        &["logout"],
        &[
            "create-volume-group-full-copy",
            group,
            "--name",
            "copy5",
            "--count",
            "2",
        ],
        &["create-volume-group-full-copy", group, "--body", &body],
        &[
            "get-task",
            "urn:storageos:Task:9f8e7d6c-5b4a-4321-8765-0a1b2c3d4e5f:vdc1",
        ],
    ];
    run_api(
        &mut contract,
        "vipr",
        migrate_clients::vipr::api::OPERATIONS,
        api,
    );
    contract.finish("ViPR");
}
