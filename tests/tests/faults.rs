//! The fault matrix: every flow of the `migrate` binary against every fault a network or a
//! server can throw at it, each with the outcome it must have.
//!
//! Each case gets a simulator of its own (so request counts belong to it), prepares what the
//! flow needs through the generated clients, arms one fault at the request the flow is about
//! (the create, the action, the second page, the first status poll, the first page of LCM
//! messages), and runs the real binary with short timeouts. Every case checks: no panic, the
//! exit code and a fragment of the message, that the fault was actually hit, that nothing was
//! created twice (the simulator records what it answered), and that a wait that ended without
//! success printed its exact resume command on stdout. The table of expected outcomes is
//! written to `docs/reliability.md` (`MIGRATE_UPDATE_DOCS=1` rewrites it) and checked against
//! it, so the page cannot drift from what is tested. `MIGRATE_FAULT_CASE=<part of a name>`
//! runs only the matching cases, `MIGRATE_FAULT_SHOW=1` prints what each run printed.

mod common;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{block_on, check_doc_section, closed_port, migrate, run, sim, Run, PASSWORD};
use migrate_clients::ext::{powerstore as ps_ext, ConnectOptions};
use migrate_clients::powerstore::operations::{
    ImportSessionCreateParams, ImportSessionCreateResponse, ImportSessionCutoverParams,
};
use migrate_clients::powerstore::types::{ImportSessionCreate, ImportSessionTypeEnum};
use migrate_clients::powerstore::Client;
use migrate_sim::{Fault as SimFault, SimHandle};

/// The request timeout the cases run with, and a delay that outlasts it.
const TIMEOUT: &str = "0.3";
const SLOW: Duration = Duration::from_millis(700);
const LCM_VERSION: &str = "11.1.2.3.600";
/// Where the login-page redirect points.
const LOGIN_PAGE: &str = "https://login.example.test/oauth2/authorize?client_id=migrate&state=s1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Refused,
    ResetMidBody,
    SlowPastTimeout,
    Status500,
    Status503,
    Status503RetryAfter,
    SessionExpiry,
    ProxyHtmlPage,
    MalformedJson,
    TruncatedJson,
    LoginRedirect,
    Status416,
}

const FAULTS: [Fault; 12] = [
    Fault::Refused,
    Fault::ResetMidBody,
    Fault::SlowPastTimeout,
    Fault::Status500,
    Fault::Status503,
    Fault::Status503RetryAfter,
    Fault::SessionExpiry,
    Fault::ProxyHtmlPage,
    Fault::MalformedJson,
    Fault::TruncatedJson,
    Fault::LoginRedirect,
    Fault::Status416,
];

impl Fault {
    fn describe(self) -> &'static str {
        match self {
            Fault::Refused => "connection refused",
            Fault::ResetMidBody => "reset mid-body",
            Fault::SlowPastTimeout => "slow past the timeout",
            Fault::Status500 => "500",
            Fault::Status503 => "503",
            Fault::Status503RetryAfter => "503 + Retry-After: 1",
            Fault::SessionExpiry => "session expiry",
            Fault::ProxyHtmlPage => "HTML page from a proxy (502)",
            Fault::MalformedJson => "malformed JSON",
            Fault::TruncatedJson => "truncated JSON",
            Fault::LoginRedirect => "302 to a login page",
            Fault::Status416 => "416",
        }
    }

    /// The simulator rule, for every fault but `Refused` (which is a closed port).
    fn rule(self) -> Option<SimFault> {
        Some(match self {
            Fault::Refused => return None,
            Fault::ResetMidBody => SimFault::reset(),
            Fault::SlowPastTimeout => SimFault::delay(SLOW),
            Fault::Status500 => SimFault::status(500),
            Fault::Status503 => SimFault::status(503),
            Fault::Status503RetryAfter => SimFault::status(503).retry_after(1),
            Fault::SessionExpiry => SimFault::expire_sessions_on_request(),
            Fault::ProxyHtmlPage => SimFault::respond(
                502,
                &[("content-type", "text/html")],
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>",
            ),
            Fault::MalformedJson => SimFault::replace_body(r#"{"id": "x",, "state": }"#),
            Fault::TruncatedJson => SimFault::truncate(),
            Fault::LoginRedirect => SimFault::respond(302, &[("location", LOGIN_PAGE)], ""),
            Fault::Status416 => SimFault::status(416),
        })
    }
}

/// What the faulted request is, as far as outcomes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A POST that creates or changes something: never sent twice.
    Write,
    /// A POST whose answer has no body (204): nothing to cut short.
    WriteNoBody,
    /// A GET of a list page.
    Page,
    /// A status poll inside a wait.
    Poll,
    /// A GET of LCM's messages after the import failed, outside the poll loop.
    Details,
}

/// How a case must end.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    code: i32,
    /// A fragment of stdout + stderr.
    says: &'static str,
    /// A wait ended without success: its record and resume command must be on stdout.
    resumable: bool,
}

const fn ends(code: i32, says: &'static str, resumable: bool) -> Outcome {
    Outcome {
        code,
        says,
        resumable,
    }
}

/// One flow of the CLI.
struct Flow {
    name: &'static str,
    target: Target,
    /// Whether the command starts with the wait (`job wait`), so even a refused connection
    /// is a wait that ends.
    starts_waiting: bool,
    /// The simulated step (long where states must stay put).
    step: Duration,
    /// The outcome without a fault.
    normal: Outcome,
    setup: fn(&SimHandle) -> Prepared,
}

/// A flow made ready on one simulator.
struct Prepared {
    args: Vec<String>,
    method: &'static str,
    /// Path prefix of the faulted request.
    path: String,
    /// Matching requests let through first (the first page of a list).
    skip: u32,
    /// Path prefix of the request that must be carried out at most once.
    creates: Option<String>,
    /// The resume command after `migrate --host HOST `, or its start when ids are not
    /// known in advance (`…` at the end).
    resume: Option<String>,
}

/// The outcome of `flow` under `fault`: the rules this project keeps.
fn expected(flow: &Flow, fault: Fault) -> Outcome {
    use Fault::*;
    use Target::*;
    let recovers = flow.normal.clone();
    match (flow.target, fault) {
        (_, Refused) if flow.starts_waiting => ends(5, "stopped waiting at the deadline", true),
        (_, Refused) => ends(6, "connection refused", false),
        (_, SessionExpiry) => recovers,
        (_, LoginRedirect) if matches!(flow.target, Poll) => ends(3, "a redirect to https://login.example.test/oauth2/authorize", true),
        (_, LoginRedirect) if matches!(flow.target, Details) => ends(4, "reading its messages failed", true),
        (_, LoginRedirect) => ends(3, "a redirect to https://login.example.test/oauth2/authorize", false),
        // Writes are sent once: whatever happens after sending is reported, not retried.
        (WriteNoBody, ResetMidBody) => recovers,
        (Write, ResetMidBody) => ends(6, "the connection ended in the middle of the answer; the POST was sent, so the server may have carried it out", false),
        (Write | WriteNoBody, SlowPastTimeout) => ends(6, "no answer within 300 ms; the POST was sent, so the server may have carried it out", false),
        (Write | WriteNoBody, Status500) => ends(3, "500 Internal Server Error", false),
        (Write | WriteNoBody, Status503 | Status503RetryAfter) => ends(3, "503 Service Unavailable", false),
        (Write | WriteNoBody, ProxyHtmlPage) => ends(3, "with an HTML page (\"502 Bad Gateway\")", false),
        (Write, MalformedJson) => ends(3, "(it carried the request out), but the answer could not be read", false),
        (Write, TruncatedJson) => ends(3, "(it carried the request out), but the answer could not be read", false),
        // An action answers 204: there is no body to spoil.
        (WriteNoBody, MalformedJson | TruncatedJson) => recovers,
        (Write | WriteNoBody, Status416) => ends(3, "416 Range Not Satisfiable", false),
        // Reads retry what is transient; a page past the end ends the list.
        (Page | Poll | Details, ResetMidBody | SlowPastTimeout | Status500 | Status503 | Status503RetryAfter | ProxyHtmlPage) => recovers,
        (Page, MalformedJson | TruncatedJson) => ends(3, "could not be read", false),
        (Page, Status416) => ends(0, "the collection shrank while it was read page by page", false),
        // A wait polls again after a garbled answer; a 416 is not transient.
        (Poll, MalformedJson | TruncatedJson) => recovers,
        (Poll, Status416) => ends(3, "416 Range Not Satisfiable", true),
        (Details, MalformedJson | TruncatedJson | Status416) => ends(4, "reading its messages failed", true),
    }
}

// --- the flows ---------------------------------------------------------------------------

fn client(sim: &SimHandle) -> Client {
    ps_ext::connect(
        &sim.base_url(),
        "admin",
        PASSWORD,
        &ConnectOptions::default(),
    )
    .expect("a client")
}

fn remote_system(sim: &SimHandle) -> String {
    sim.seed()["powerstore"]["remote_systems"][0]["id"]
        .as_str()
        .expect("a seeded remote system")
        .to_owned()
}

/// Creates a session (synchronously) and returns its id.
fn create_session(sim: &SimHandle, name: &str, source: &str, agentless: bool) -> String {
    let body = ImportSessionCreate {
        name: name.to_owned(),
        remote_system_id: remote_system(sim),
        source_resource_id: source.to_owned(),
        r#type: agentless.then_some(ImportSessionTypeEnum::Agentless),
        ..Default::default()
    };
    let created =
        block_on(client(sim).import_session_create(&body, &ImportSessionCreateParams::default()))
            .expect("the session is created")
            .into_body();
    match created {
        ImportSessionCreateResponse::Created(c) => c.id.expect("an id"),
        ImportSessionCreateResponse::Accepted(_) => panic!("asked for a synchronous create"),
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

fn create(sim: &SimHandle) -> Prepared {
    let remote = remote_system(sim);
    Prepared {
        args: strings(&[
            "import-session",
            "create",
            "--name",
            "m-create",
            "--remote-system-id",
            &remote,
            "--source-resource-id",
            "sv_101",
        ]),
        method: "POST",
        path: "/api/rest/import_session".into(),
        skip: 0,
        creates: Some("/api/rest/import_session".into()),
        resume: None,
    }
}

fn list(sim: &SimHandle) -> Prepared {
    for (i, source) in ["sv_101", "sv_102", "sv_103", "res_cg_7"]
        .iter()
        .enumerate()
    {
        create_session(sim, &format!("m-list-{i}"), source, false);
    }
    sim.add_fault(SimFault::page_limit(2).path_prefix("/api/rest/import_session"));
    Prepared {
        args: strings(&["import-session", "list", "--all", "--select", "id,name"]),
        method: "GET",
        path: "/api/rest/import_session".into(),
        skip: 1,
        creates: None,
        resume: None,
    }
}

/// An action on a session put in `state` first.
fn action(sim: &SimHandle, action: &str, path: &str, state: &str, agentless: bool) -> Prepared {
    let id = create_session(sim, "m-action", "sv_102", agentless);
    sim.force_import_session_state(&id, state)
        .expect("the state is forced");
    let path = format!("/api/rest/import_session/{id}/{path}");
    Prepared {
        args: strings(&["import-session", action, &id]),
        method: "POST",
        creates: Some(path.clone()),
        path,
        skip: 0,
        resume: None,
    }
}

fn cutover(sim: &SimHandle) -> Prepared {
    action(sim, "cutover", "cutover", "Ready_For_Cutover", false)
}
fn cancel(sim: &SimHandle) -> Prepared {
    action(sim, "cancel", "cancel", "Copy_In_Progress", false)
}
fn pause(sim: &SimHandle) -> Prepared {
    action(sim, "pause", "pause", "Copy_In_Progress", false)
}
fn resume(sim: &SimHandle) -> Prepared {
    action(sim, "resume", "resume", "Paused", false)
}
fn start_copy(sim: &SimHandle) -> Prepared {
    action(sim, "start-copy", "start_copy", "Ready_To_Start_Copy", true)
}
fn enable_destination_volume(sim: &SimHandle) -> Prepared {
    action(
        sim,
        "enable-destination-volume",
        "enable_destination_volume",
        "Mirror_Enabled",
        true,
    )
}
fn cleanup(sim: &SimHandle) -> Prepared {
    action(sim, "cleanup", "cleanup", "Cleanup_Required", false)
}

fn job_wait(sim: &SimHandle) -> Prepared {
    let id = create_session(sim, "m-job", "sv_103", false);
    sim.force_import_session_state(&id, "Ready_For_Cutover")
        .expect("the state is forced");
    let params = ImportSessionCutoverParams {
        is_async: Some(true),
    };
    let job = block_on(client(sim).import_session_cutover(&id, &params))
        .expect("the cutover is queued")
        .into_body()
        .and_then(|j| j.id)
        .expect("a job id");
    Prepared {
        args: strings(&["job", "wait", &job]),
        method: "GET",
        path: "/api/rest/job/".into(),
        skip: 0,
        creates: None,
        resume: Some(format!("job wait {job}")),
    }
}

fn session_wait(sim: &SimHandle) -> Prepared {
    let id = create_session(sim, "m-wait", "sv_101", false);
    Prepared {
        args: strings(&[
            "import-session",
            "wait",
            &id,
            "--until",
            "Ready_For_Cutover",
        ]),
        method: "GET",
        path: format!("/api/rest/import_session/{id}"),
        skip: 0,
        creates: None,
        resume: Some(format!(
            "import-session wait {id} --until Ready_For_Cutover"
        )),
    }
}

fn lcm_paths(snapshot: &str) -> String {
    format!("/interop/rest/{LCM_VERSION}/applicationsnapshots/{snapshot}/migration")
}

fn lcm_start(_: &SimHandle) -> Prepared {
    let path = lcm_paths("Snap1");
    Prepared {
        args: strings(&["lcm", "import", "Snap1", "--wait"]),
        method: "POST",
        creates: Some(path.clone()),
        path,
        skip: 0,
        resume: None,
    }
}

fn lcm_failing(path: String) -> Prepared {
    Prepared {
        args: strings(&["lcm", "import", "fail-Snap2", "--wait"]),
        method: "GET",
        path,
        skip: 0,
        creates: Some(lcm_paths("fail-Snap2")),
        resume: Some(format!("lcm wait fail-Snap2 1 --api-version {LCM_VERSION}")),
    }
}

fn lcm_poll(_: &SimHandle) -> Prepared {
    lcm_failing(format!("{}/1", lcm_paths("fail-Snap2")))
}

fn lcm_details(_: &SimHandle) -> Prepared {
    lcm_failing(format!("{}/1/", lcm_paths("fail-Snap2")))
}

fn vipr_group(sim: &SimHandle) -> String {
    sim.seed()["vipr"]["volume_groups"][0]["id"]
        .as_str()
        .expect("a seeded volume group")
        .to_owned()
}

fn vipr_create(sim: &SimHandle) -> Prepared {
    let group = vipr_group(sim);
    let path = format!("/volume-groups/block/{group}/protection/full-copies");
    Prepared {
        args: strings(&[
            "vipr",
            "full-copy",
            "create",
            &group,
            "--name",
            "m-copy",
            "--wait",
        ]),
        method: "POST",
        creates: Some(path.clone()),
        path,
        skip: 0,
        resume: None,
    }
}

fn vipr_poll(sim: &SimHandle) -> Prepared {
    Prepared {
        method: "GET",
        path: "/vdc/tasks/".into(),
        resume: Some("vipr task wait urn:storageos:Task:…".into()),
        ..vipr_create(sim)
    }
}

const QUICK: Duration = Duration::from_millis(20);
/// Long enough that a session stays in the state it was put in.
const STILL: Duration = Duration::from_secs(3600);

const fn write(
    name: &'static str,
    setup: fn(&SimHandle) -> Prepared,
    target: Target,
    normal: Outcome,
) -> Flow {
    Flow {
        name,
        target,
        starts_waiting: false,
        step: STILL,
        normal,
        setup,
    }
}

const ACTION_OK: Outcome = ends(0, "\"action\"", false);

const FLOWS: &[Flow] = &[
    write(
        "import-session create",
        create,
        Target::Write,
        ends(0, "\"id\"", false),
    ),
    Flow {
        name: "import-session list --all (2 a page)",
        target: Target::Page,
        starts_waiting: false,
        step: STILL,
        normal: ends(0, "m-list-3", false),
        setup: list,
    },
    write(
        "import-session cutover",
        cutover,
        Target::WriteNoBody,
        ACTION_OK,
    ),
    write(
        "import-session cancel",
        cancel,
        Target::WriteNoBody,
        ACTION_OK,
    ),
    write(
        "import-session pause",
        pause,
        Target::WriteNoBody,
        ACTION_OK,
    ),
    write(
        "import-session resume",
        resume,
        Target::WriteNoBody,
        ACTION_OK,
    ),
    write(
        "import-session start-copy",
        start_copy,
        Target::WriteNoBody,
        ACTION_OK,
    ),
    write(
        "import-session enable-destination-volume",
        enable_destination_volume,
        Target::WriteNoBody,
        ACTION_OK,
    ),
    write(
        "import-session cleanup",
        cleanup,
        Target::WriteNoBody,
        ACTION_OK,
    ),
    Flow {
        name: "job wait",
        target: Target::Poll,
        starts_waiting: true,
        step: QUICK,
        normal: ends(0, "Completed", false),
        setup: job_wait,
    },
    Flow {
        name: "import-session wait",
        target: Target::Poll,
        starts_waiting: true,
        step: QUICK,
        normal: ends(0, "Ready_For_Cutover", false),
        setup: session_wait,
    },
    Flow {
        name: "lcm import --wait (fault on the import)",
        target: Target::Write,
        starts_waiting: false,
        step: QUICK,
        normal: ends(0, "\"status\": 0", false),
        setup: lcm_start,
    },
    Flow {
        name: "lcm import --wait, failing (fault on a status poll)",
        target: Target::Poll,
        starts_waiting: false,
        step: QUICK,
        normal: ends(4, "63 messages in 2 tasks", true),
        setup: lcm_poll,
    },
    Flow {
        name: "lcm import --wait, failing (fault on the messages)",
        target: Target::Details,
        starts_waiting: false,
        step: QUICK,
        normal: ends(4, "63 messages in 2 tasks", true),
        setup: lcm_details,
    },
    Flow {
        name: "vipr full-copy create --wait (fault on the create)",
        target: Target::Write,
        starts_waiting: false,
        step: QUICK,
        normal: ends(0, "\"ready\"", false),
        setup: vipr_create,
    },
    Flow {
        name: "vipr full-copy create --wait (fault on a task poll)",
        target: Target::Poll,
        starts_waiting: false,
        step: QUICK,
        normal: ends(0, "\"ready\"", false),
        setup: vipr_poll,
    },
];

// --- running the matrix ------------------------------------------------------------------

/// Runs one case; returns what went wrong, if anything.
fn run_case(flow: &Flow, fault: Fault) -> Result<Duration, String> {
    let sim = sim(flow.step);
    let prepared = (flow.setup)(&sim);
    let expected = expected(flow, fault);
    let host = match fault {
        Fault::Refused => format!("http://127.0.0.1:{}", closed_port()),
        _ => sim.base_url(),
    };
    if let Some(rule) = fault.rule() {
        sim.add_fault(
            rule.method(prepared.method)
                .path_prefix(&prepared.path)
                .skip(prepared.skip)
                .times(1),
        );
    }
    sim.clear_requests();
    let mut cmd = migrate(&host);
    cmd.args(["-o", "json", "--timeout", TIMEOUT])
        .args(["--poll-interval", "0.02", "--wait-timeout", "3"])
        .args(&prepared.args);
    let out = run(cmd, Duration::from_secs(30));
    let what = format!("{} × {}", flow.name, fault.describe());
    out.assert_no_panic(&what);
    let all = format!("{}{}", out.stdout, out.stderr);
    let mut problems = Vec::new();
    if out.code != expected.code {
        problems.push(format!("exit {} instead of {}", out.code, expected.code));
    }
    if !all.contains(expected.says) {
        problems.push(format!("does not say {:?}", expected.says));
    }
    // The fault was hit (a rule with `times` goes when used up).
    let left: Vec<_> = sim
        .faults()
        .into_iter()
        .filter(|f| f.times.is_some())
        .collect();
    if !left.is_empty() {
        problems.push(format!("the fault was never hit: {left:?}"));
    }
    if let Some(creates) = &prepared.creates {
        let carried_out = sim.carried_out("POST", creates);
        if carried_out > 1 {
            problems.push(format!("carried out {carried_out} times"));
        }
    }
    check_resume(&out, &host, &prepared, &expected, &mut problems);
    if std::env::var_os("MIGRATE_FAULT_SHOW").is_some() {
        eprintln!(
            "=== {what}: exit {} in {:.2} s\n--- stdout\n{}--- stderr\n{}",
            out.code,
            out.elapsed.as_secs_f64(),
            out.stdout,
            out.stderr
        );
    }
    if problems.is_empty() {
        Ok(out.elapsed)
    } else {
        Err(format!(
            "{what}: {}\n--- stdout\n{}--- stderr\n{}",
            problems.join("; "),
            out.stdout,
            out.stderr
        ))
    }
}

/// A wait that ended without success printed its record, with the exact resume command, on
/// stdout; no other run did.
fn check_resume(
    out: &Run,
    host: &str,
    prepared: &Prepared,
    expected: &Outcome,
    problems: &mut Vec<String>,
) {
    let record = out
        .json()
        .filter(|v| v.get("stopped_waiting_for").is_some());
    match (&record, expected.resumable) {
        (None, false) => {}
        (None, true) => problems.push("no record of the stopped wait on stdout".into()),
        (Some(_), false) => problems.push("a stopped-wait record where no wait ended".into()),
        (Some(record), true) => {
            let resume = record["resume"].as_str().unwrap_or_default();
            let wanted = format!(
                "migrate --host {host} {}",
                prepared.resume.as_deref().unwrap_or("?")
            );
            let matches = match wanted.strip_suffix('…') {
                Some(start) => resume.starts_with(start),
                None => resume == wanted,
            };
            if !matches || resume.contains('<') {
                problems.push(format!("resume {resume:?}, wanted {wanted:?}"));
            }
            if record["exit_code"] != out.code {
                problems.push(format!("the record says exit {}", record["exit_code"]));
            }
            if !out.stderr.contains(resume) {
                problems.push("stderr lacks the resume command".into());
            }
        }
    }
}

/// The table of cases and outcomes, as docs/reliability.md shows it.
fn render() -> String {
    let mut text =
        String::from("| flow | fault | exit | says | resume printed |\n|---|---|---|---|---|\n");
    for flow in FLOWS {
        for fault in FAULTS {
            let outcome = expected(flow, fault);
            let says = if outcome == flow.normal && fault != Fault::Refused {
                format!("recovers: `{}`", outcome.says)
            } else {
                format!("`{}`", outcome.says)
            };
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} | {} |",
                flow.name,
                fault.describe(),
                outcome.code,
                says.replace('|', "\\|"),
                if outcome.resumable { "yes" } else { "no" }
            );
        }
    }
    text
}

#[test]
fn every_flow_survives_every_fault_as_documented() {
    check_doc_section("fault-matrix", &render());
    common::migrate_bin();
    let cases: Vec<(&Flow, Fault)> = FLOWS
        .iter()
        .flat_map(|flow| FAULTS.iter().map(move |fault| (flow, *fault)))
        .collect();
    let only = std::env::var("MIGRATE_FAULT_CASE").ok();
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|(flow, fault)| {
            only.as_deref()
                .is_none_or(|o| format!("{} × {}", flow.name, fault.describe()).contains(o))
        })
        .collect();
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let slowest = Mutex::new((Duration::ZERO, String::new()));
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((flow, fault)) = cases.get(i) else {
                    return;
                };
                match run_case(flow, *fault) {
                    Ok(took) => {
                        let mut slowest = slowest.lock().unwrap();
                        if took > slowest.0 {
                            *slowest = (took, format!("{} × {}", flow.name, fault.describe()));
                        }
                    }
                    Err(problem) => failures.lock().unwrap().push(problem),
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    let (took, which) = slowest.into_inner().unwrap();
    eprintln!(
        "fault matrix: {} cases in {:.1} s, {} failed; slowest {which} ({:.1} s)",
        cases.len(),
        started.elapsed().as_secs_f64(),
        failures.len(),
        took.as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
