//! Bad input, as a table: each case is a command line (with its environment, standard input
//! or plan file) that `migrate` must refuse before it sends anything, with the exit code and a
//! fragment of the message that says what was wrong.
//!
//! One simulator serves every case, and it must have received no request at the end of each.
//! The table and what the CLI answered are rendered into `docs/reliability.md` (the section
//! between the `bad-input` markers); the test fails when the file differs, and
//! `MIGRATE_UPDATE_DOCS=1` rewrites the section.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::Stdio;

use crate::common::{Sim, PASSWORD};

/// A valid ViPR volume group URN (the spec's pattern); the cases fail on something else.
const GROUP: &str = "urn:storageos:VolumeGroup:9d8c7b6a-5f4e-4d3c-8b2a-1a0f9e8d7c6b:vdc1";

/// One bad input.
struct Case {
    /// What is wrong, in words.
    what: &'static str,
    /// The arguments; `{PLAN}` is the plan file, `{GROUP}` a valid volume group URN.
    args: &'static [&'static str],
    /// Environment changes: set to a value, or removed (`None`).
    env: &'static [(&'static str, Option<&'static str>)],
    /// Standard input (else none, as from /dev/null).
    stdin: Option<&'static str>,
    /// The plan file's name and text, for `{PLAN}`.
    plan: Option<(&'static str, &'static str)>,
    /// The expected exit code.
    code: i32,
    /// A fragment the message must contain.
    says: &'static str,
}

const fn case(what: &'static str, args: &'static [&'static str], says: &'static str) -> Case {
    Case {
        what,
        args,
        env: &[],
        stdin: None,
        plan: None,
        code: 2,
        says,
    }
}

impl Case {
    const fn env(mut self, env: &'static [(&'static str, Option<&'static str>)]) -> Self {
        self.env = env;
        self
    }
    const fn stdin(mut self, stdin: &'static str) -> Self {
        self.stdin = Some(stdin);
        self
    }
    const fn plan(mut self, name: &'static str, text: &'static str) -> Self {
        self.plan = Some((name, text));
        self
    }
}

/// The table.
fn cases() -> Vec<Case> {
    vec![
        // Numbers: finite, in range, the range in the message; negative numbers are values.
        case("poll interval NaN", &["--poll-interval", "NaN", "job", "wait", "j1"], "--poll-interval <SECS>': not a finite number; give a number of seconds from 0.01 to 3600"),
        case("poll interval infinite", &["--poll-interval", "inf", "job", "wait", "j1"], "not a finite number"),
        case("poll interval negative", &["--poll-interval", "-1", "job", "wait", "j1"], "out of range; give a number of seconds from 0.01 to 3600"),
        case("poll interval zero", &["--poll-interval", "0", "job", "wait", "j1"], "out of range"),
        case("request timeout zero", &["--timeout", "0", "remote-system", "list"], "--timeout <SECS>': out of range"),
        case("request timeout not a number", &["--timeout", "soon", "remote-system", "list"], "not a number"),
        case("wait timeout negative", &["--wait-timeout", "-5", "job", "wait", "j1"], "--wait-timeout <SECS>': out of range"),
        case("wait timeout too long", &["--wait-timeout", "1e12", "job", "wait", "j1"], "from 0.01 to 2592000"),
        case("copy count negative", &["vipr", "full-copy", "create", "{GROUP}", "--name", "c1", "--count", "-1"], "--count: -1 is under the minimum of 1"),
        case("copy count zero", &["vipr", "full-copy", "create", "{GROUP}", "--name", "c1", "--count", "0"], "--count: 0 is under the minimum of 1"),
        case("copy count over the limit", &["vipr", "full-copy", "create", "{GROUP}", "--name", "c1", "--count", "100000"], "--count: 100000 is over the maximum of 31"),
        case("copy count not whole", &["vipr", "full-copy", "create", "{GROUP}", "--name", "c1", "--count", "1.5"], "--count <COUNT>'"),
        case("copy count beyond 32 bits", &["vipr", "full-copy", "create", "{GROUP}", "--name", "c1", "--count", "99999999999"], "--count <COUNT>'"),
        case("list limit zero", &["import-session", "list", "--limit", "0"], "'--limit <N>': out of range; give a whole number of at least 1"),
        case("list limit negative", &["import-session", "list", "--limit", "-3"], "'--limit <N>': out of range; give a whole number of at least 1"),
        case("list limit not a number", &["import-session", "list", "--limit", "ten"], "--limit <N>': not a whole number"),
        case("page size over the page maximum", &["remote-system", "list", "--page-size", "2001"], "'--page-size <N>': out of range; give a whole number from 1 to 2000"),
        case("page size zero", &["job", "list", "--all", "--page-size", "0"], "'--page-size <N>': out of range; give a whole number from 1 to 2000"),
        case("LCM message limit zero", &["lcm", "details", "Snap1", "1", "--limit", "0"], "'--limit <N>': out of range"),
        case("LCM page size zero", &["lcm", "details", "Snap1", "1", "--page-size", "0"], "--page-size: 0 is under the minimum of 1"),
        case("concurrency zero", &["import-session", "apply", "plan.yaml", "--concurrency", "0"], "out of range; give a whole number from 1 to 64"),
        case("concurrency too high", &["import-session", "apply", "plan.yaml", "--concurrency", "65"], "from 1 to 64"),
        case("LCM job negative", &["lcm", "status", "Snap1", "-1"], "out of range; give a whole number of at least 0"),
        case("LCM job not a number", &["lcm", "status", "Snap1", "nine"], "not a whole number"),
        case("LCM task index not a number", &["lcm", "details", "Snap1", "1", "--task", "first"], "--task <TASK>': not a whole number"),
        case("LCM task index negative", &["lcm", "details", "Snap1", "1", "--task", "-1"], "--task: -1 is under the minimum of 0"),
        // Empty, blank and control characters where a value becomes a path or a name.
        case("empty session id", &["import-session", "get", ""], "'<ID>': empty"),
        case("blank session id", &["import-session", "get", "   "], "only white space"),
        case("empty name after name:", &["import-session", "get", "name:"], "the name after name: is empty"),
        case("control character in an id", &["import-session", "delete", "s1\u{1}"], "control character"),
        case("empty id for an action", &["import-session", "cutover", ""], "empty"),
        case("blank id for a wait", &["import-session", "wait", "\t"], "only white space"),
        case("empty job id", &["job", "get", ""], "empty"),
        case("blank job id to wait for", &["job", "wait", " "], "only white space"),
        case("empty remote system id", &["remote-system", "get", ""], "empty"),
        case("empty remote system name", &["remote-system", "get", "name:"], "the name after name: is empty"),
        case("blank volume id", &["volume", "get", " "], "only white space"),
        case("control character in a volume group name", &["volume-group", "get", "name:vg\u{7}"], "control character"),
        case("empty task URN", &["vipr", "task", "get", ""], "empty"),
        case("empty task URN to wait for", &["vipr", "task", "wait", "urn:storageos:Task:9d8c7b6a-5f4e-4d3c-8b2a-1a0f9e8d7c6b:vdc1", ""], "empty"),
        case("empty volume group URN", &["vipr", "full-copy", "create", "", "--name", "c1"], "empty"),
        case("empty snapshot name", &["lcm", "import", ""], "empty"),
        case("blank snapshot name", &["lcm", "status", " ", "1"], "only white space"),
        case("empty API version", &["lcm", "snapshots", "--api-version", ""], "empty"),
        case("empty session name", &["import-session", "create", "--name", "", "--remote-system-id", "rs1", "--source-resource-id", "sv_101"], "--name: length 0 is under the minimum of 1"),
        case("white space in a session name", &["import-session", "create", "--name", "db 01", "--remote-system-id", "rs1", "--source-resource-id", "sv_101"], "no white space"),
        case("tab in a session name", &["import-session", "create", "--name", "db\t01", "--remote-system-id", "rs1", "--source-resource-id", "sv_101"], "--name: \"db\\t01\" does not match"),
        case("session name too long", &["import-session", "create", "--name", "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "--remote-system-id", "rs1", "--source-resource-id", "sv_101"], "--name: length 129 is over the maximum of 128"),
        case("empty description", &["import-session", "create", "--name", "db01", "--remote-system-id", "rs1", "--source-resource-id", "sv_101", "--description", ""], "--description: length 0 is under the minimum of 1"),
        case("line break in a description", &["import-session", "create", "--name", "db01", "--remote-system-id", "rs1", "--source-resource-id", "sv_101", "--description", "two\nlines"], "printable characters"),
        case("unknown import type", &["import-session", "create", "--name", "db01", "--remote-system-id", "rs1", "--source-resource-id", "sv_101", "--type", "Teleport"], "[possible values: Non_Disruptive, Agentless]"),
        case("required flag missing", &["import-session", "create", "--name", "db01"], "--remote-system-id <REMOTE_SYSTEM_ID>"),
        case("scheduled time not a time", &["import-session", "create", "--name", "db01", "--remote-system-id", "rs1", "--source-resource-id", "sv_101", "--scheduled-timestamp", "tomorrow"], "--scheduled-timestamp"),
        case("empty copy name", &["vipr", "full-copy", "create", "{GROUP}", "--name", ""], "--name: length 0 is under the minimum of 1"),
        case("blank copy name", &["vipr", "full-copy", "create", "{GROUP}", "--name", "   "], "--name: \"   \" does not match the pattern \\S"),
        case("filter without an operator", &["import-session", "list", "--filter", "nonsense"], "--filter \"nonsense\" is not FIELD=OP.VALUE"),
        case("filter without a field", &["import-session", "list", "--filter", "=eq.x"], "is not FIELD=OP.VALUE"),
        case("filter without OP.", &["remote-system", "list", "--filter", "state=Failed"], "is not FIELD=OP.VALUE"),
        case("watch filter without an operator", &["import-session", "watch", "--filter", "name"], "--filter \"name\" is not FIELD=OP.VALUE"),
        case("unknown job phase", &["job", "list", "--phase", "Done"], "[possible values: Pending, Queued, In_Progress, Completed, Skipped, Failing, Unrecoverable_Failed, Failed]"),
        case("unknown job resource type", &["job", "list", "--resource-type", "session"], "invalid value 'session' for '--resource-type <TYPE>'"),
        case("empty query", &["--query", "", "import-session", "list"], "'--query <EXPR>': empty; give a JMESPath expression"),
        case("query that does not parse", &["import-session", "list", "--query", "[?state=='Failed'"], "'--query <EXPR>': not a JMESPath expression: Parse error"),
        case("query with an unclosed string", &["remote-system", "get", "r1", "--query", "name == 'x"], "not a JMESPath expression"),
        case("empty select", &["import-session", "list", "--select", ""], "--select <F,...>': empty"),
        case("empty field in select", &["import-session", "list", "--select", "id,,name"], "empty"),
        case("empty order", &["import-session", "list", "--order", ""], "--order <F>': empty"),
        case("unknown state to wait for", &["import-session", "wait", "s1", "--until", "Done"], "--until Done: not a session state"),
        // A change that changes nothing.
        case("modify without a change", &["import-session", "modify", "s1"], "nothing to change: give --scheduled-timestamp"),
        case("modify with only --async", &["import-session", "modify", "name:db01", "--async"], "nothing to change"),
        // Addresses.
        case("host with a path that is not the base path", &["--host", "https://array.example.com/api", "remote-system", "list"], "--host https://array.example.com/api: an address has no path here (/api)"),
        case("host with an operation path", &["--host", "https://array.example.com/api/rest/import_session", "import-session", "list"], "the PowerStore base path /api/rest is added to it"),
        case("host with a path for LCM", &["--host", "https://tenant.example.com/interop/rest", "lcm", "snapshots"], "an address has no path here"),
        case("host without a scheme", &["--host", "array.example.com", "remote-system", "list"], "not a URL"),
        case("host with another scheme", &["--host", "ftp://array.example.com", "remote-system", "list"], "the scheme must be https"),
        case("credentials in the host", &["--host", "https://admin:Leak3d!@array.example.com", "remote-system", "list"], "--host https://***@array.example.com: credentials do not belong in the address"),
        case("host with a query", &["--host", "https://array.example.com?debug=1", "job", "get", "j1"], "no query"),
        case("empty host", &["--host", "", "remote-system", "list"], "--host <URL>': empty"),
        case("empty host in the environment", &["remote-system", "list"], "--host <URL>': empty").env(&[("MIGRATE_HOST", Some(""))]),
        // Credentials.
        case("empty MIGRATE_PASSWORD", &["remote-system", "list"], "MIGRATE_PASSWORD is set but empty").env(&[("MIGRATE_PASSWORD", Some(""))]),
        case("two password sources", &["--password-stdin", "remote-system", "list"], "both MIGRATE_PASSWORD and --password-stdin give the password").stdin("x\n"),
        case("no password at all", &["remote-system", "list"], "no password: set MIGRATE_PASSWORD or use --password-stdin").env(&[("MIGRATE_PASSWORD", None)]),
        case("empty password on stdin", &["--password-stdin", "job", "get", "j1"], "the password on stdin is empty").env(&[("MIGRATE_PASSWORD", None)]).stdin("\n"),
        case("empty user", &["--user", "", "remote-system", "list"], "--user <USER>': empty"),
        case("blank user", &["--user", "  ", "remote-system", "list"], "only white space"),
        case("empty user in the environment", &["remote-system", "list"], "--user <USER>': empty").env(&[("MIGRATE_USER", Some(""))]),
        case("empty MIGRATE_TOKEN", &["lcm", "snapshots"], "MIGRATE_TOKEN is set but empty").env(&[("MIGRATE_TOKEN", Some(""))]),
        case("white space in the token", &["lcm", "snapshots"], "the bearer token holds white space or control characters; give the access token alone").env(&[("MIGRATE_TOKEN", Some("Bearer abc.def"))]),
        case("two token sources", &["--token-stdin", "lcm", "snapshots"], "both MIGRATE_TOKEN and --token-stdin give the token").env(&[("MIGRATE_TOKEN", Some("t0ken"))]).stdin("t0ken\n"),
        case("empty token on stdin", &["--token-stdin", "lcm", "status", "Snap1", "1"], "the token on stdin is empty").stdin("\n"),
        case("token and password both from stdin", &["--token-stdin", "--password-stdin", "lcm", "snapshots"], "--token-stdin and --password-stdin both read standard input").stdin("a\nb\n"),
        case("token from stdin and the users' password from stdin", &["--token-stdin", "lcm", "import", "Snap1", "--import-users", "--user-password-stdin"], "--token-stdin and --user-password-stdin both read standard input").stdin("a\nb\n"),
        case("empty profile", &["--profile", "", "remote-system", "list"], "--profile <NAME>': empty"),
        case("unknown profile", &["--profile", "nope", "remote-system", "list"], "no profile \"nope\""),
        case("CA file missing", &["--ca-cert", "/nonexistent/ca.pem", "remote-system", "list"], "/nonexistent/ca.pem"),
        // LCM options.
        case("users' password variable unset", &["lcm", "import", "Snap1", "--import-users", "--user-password-env", "NO_SUCH_VARIABLE_SET"], "--user-password-env NO_SUCH_VARIABLE_SET: the variable is not set"),
        case("users' password variable empty", &["lcm", "import", "Snap1", "--import-users", "--user-password-env", "EMPTY_USERS_PW"], "the variable is empty").env(&[("EMPTY_USERS_PW", Some(""))]),
        case("users' password without --import-users", &["lcm", "import", "Snap1", "--user-password-env", "X"], "--import-users"),
        case("reset password without --import-users", &["lcm", "import", "Snap1", "--reset-password", "true"], "--import-users"),
        case("two passwords from stdin", &["--password-stdin", "lcm", "import", "Snap1", "--import-users", "--user-password-stdin"], "both read standard input").env(&[("MIGRATE_PASSWORD", None)]).stdin("a\nb\n"),
        case("unknown message type", &["lcm", "details", "Snap1", "1", "--msgtype", "fatal"], "[possible values: error, warn, info]"),
        // Plans: checked whole before the first request.
        case("typo in a plan field", &["import-session", "apply", "{PLAN}"], "plan.yaml:4: entry 1 (db01): unknown field automatic_cutovr; did you mean automatic_cutover?")
            .plan("plan.yaml", "- name: db01\n  remote_system_id: rs1\n  source_resource_id: sv_101\n  automatic_cutovr: true\n"),
        case("two entries with one name", &["import-session", "apply", "{PLAN}"], "plan.yaml:4: entry 2 (db01): the name \"db01\" is also the name of entry 1 (line 1)")
            .plan("plan.yaml", "- name: db01\n  remote_system_id: rs1\n  source_resource_id: sv_101\n- name: db01\n  remote_system_id: rs1\n  source_resource_id: sv_102\n"),
        case("bad entry after good ones", &["import-session", "apply", "{PLAN}"], "plan.yaml:7: entry 3 (db03): type: \"Teleport\" is not one of Non_Disruptive, Agentless")
            .plan("plan.yaml", "- name: db01\n  remote_system_id: rs1\n  source_resource_id: sv_101\n- {name: db02, remote_system_id: rs1, source_resource_id: sv_102}\n- name: db03\n  remote_system_id: rs1\n  type: Teleport\n  source_resource_id: sv_103\n"),
        case("several problems at once", &["import-session", "apply", "{PLAN}"], "plan.yaml: 3 problems; nothing was sent")
            .plan("plan.yaml", "- name: ''\n  remote_system_id: rs1\n  source_resource_id: sv_101\n- name: db02\n  remote_system_id: rs1\n- name: db03\n  remote_system_id: rs1\n  source_resource_id: sv_103\n  automatic_cutover: maybe\n"),
        case("empty plan", &["import-session", "apply", "{PLAN}"], "the plan has no sessions").plan("plan.yaml", "# nothing yet\n"),
        case("plan that is not a list", &["import-session", "apply", "{PLAN}"], "a plan is a list of sessions").plan("plan.yaml", "name: db01\nremote_system_id: rs1\n"),
        case("plan entry that is not a mapping", &["import-session", "apply", "{PLAN}"], "plan.yaml:1: entry 1: not a mapping").plan("plan.yaml", "- db01\n"),
        case("plan with a syntax error", &["import-session", "apply", "{PLAN}"], "line 2").plan("plan.yaml", "- name: db01\n remote_system_id: [rs1\n"),
        case("plan file missing", &["import-session", "apply", "/nonexistent/plan.yaml"], "/nonexistent/plan.yaml"),
        case("CSV plan with an unknown column", &["import-session", "apply", "{PLAN}"], "plan.csv:1: unknown column source_resource; did you mean source_resource_id?")
            .plan("plan.csv", "name,remote_system_id,source_resource\ndb01,rs1,sv_101\n"),
        case("CSV row with a missing cell", &["import-session", "apply", "{PLAN}"], "plan.csv:3: row 2 has 2 cells for 3 columns")
            .plan("plan.csv", "name,remote_system_id,source_resource_id\ndb01,rs1,sv_101\ndb02,rs1\n"),
        case("CSV with an empty name", &["import-session", "apply", "{PLAN}"], "plan.csv:2: entry 1: missing field `name`")
            .plan("plan.csv", "name,remote_system_id,source_resource_id\n,rs1,sv_101\n"),
        // Profiles: a value is checked as the same command-line option is.
        case("profile host with a path", &["config", "set", "powerstore_host", "https://array.example.com/ui"], "powerstore_host https://array.example.com/ui: an address has no path here"),
        case("profile host for every service with the PowerStore path", &["config", "set", "host", "https://array.example.com/api/rest"], "the LCM paths are added to it"),
        case("empty profile value", &["config", "set", "user", ""], "user: the value is empty"),
        case("profile flag not a boolean", &["config", "set", "insecure", "maybe"], "insecure takes true or false"),
        case("password in a profile", &["config", "set", "password", PASSWORD], "passwords and tokens are never stored"),
        case("unknown output format in a profile", &["config", "set", "output", "xml"], "output takes table, wide, json, yaml, text, not \"xml\""),
        case("unknown key to get", &["config", "get", "password"], "invalid value 'password' for '<KEY>'"),
        case("unknown key to unset", &["config", "unset", "colour"], "[possible values: host, powerstore_host, lcm_host, vipr_host, user, insecure, ca_cert, output, complete_from_service]"),
        // Other options.
        case("unknown output format", &["-o", "xml", "remote-system", "list"], "[possible values: table, wide, json, yaml, text]"),
        case("unknown shell", &["completions", "tcsh"], "[possible values: bash, elvish, fish, nushell, powershell, zsh]"),
        case("help for a command that does not exist", &["help", "import-session", "lst"], "`migrate import-session` has no command \"lst\"; it has: create, list"),
        case("man pages without a directory", &["man"], "<DIR>"),
    ]
}

/// Runs every case against one simulator; collects what went wrong and renders the table.
#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let plan_path = case.plan.map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        });
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| {
                let a = a.replace("{GROUP}", GROUP);
                match &plan_path {
                    Some(path) => a.replace("{PLAN}", path.to_str().unwrap()),
                    None => a,
                }
            })
            .collect();
        let before = sim.handle.requests().len();
        let mut cmd = sim.std_migrate();
        cmd.args(&args)
            .env("MIGRATE_CONFIG", dir.path().join("config.toml"))
            .stdin(if case.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in case.env {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(input) = case.stdin {
            let mut stdin = child.stdin.take().unwrap();
            let _ = stdin.write_all(input.as_bytes());
        }
        let out = child.wait_with_output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let sent = sim.handle.requests().len() - before;
        let mut wrong = Vec::new();
        if code != case.code {
            wrong.push(format!("exit {code}, expected {}", case.code));
        }
        if sent > 0 {
            wrong.push(format!("the simulator received {sent} request(s)"));
        }
        if stderr.contains("panicked") {
            wrong.push("panicked".to_string());
        }
        if !stderr.contains(case.says) {
            wrong.push(format!("the message lacks {:?}", case.says));
        }
        if stderr.contains(PASSWORD) || stderr.contains("Leak3d") {
            wrong.push("a password is in the message".to_string());
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{}. {}: {}\n   migrate {}\n   {}",
                n + 1,
                case.what,
                wrong.join("; "),
                args.join(" "),
                stderr.trim().replace('\n', "\n   ")
            ));
        }
        rows.push(row(n + 1, case, code, &said(&stderr, &sim, dir.path())));
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad inputs were not refused as expected:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    check_docs(&rows, cases.len());
}

/// What the CLI said, as the docs show it: every line but clap's usage hints, with the
/// simulator's address and the temporary directory replaced by stable names.
fn said(stderr: &str, sim: &Sim, dir: &Path) -> String {
    let dir = format!("{}/", dir.display());
    stderr
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("For more information") && !l.starts_with("Usage:")
        })
        .map(|l| {
            l.replace(&sim.handle.base_url(), "http://SIM")
                .replace(&dir, "")
        })
        // A control character the user typed is echoed; the docs show it escaped.
        .map(|l| {
            l.chars()
                .map(|c| match c.is_control() {
                    true => c.escape_debug().to_string(),
                    false => c.to_string(),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// One row of the docs table.
fn row(n: usize, case: &Case, code: i32, said: &str) -> String {
    let mut setup = Vec::new();
    for (key, value) in case.env {
        setup.push(match value {
            Some(value) => format!("`{key}={value:?}`"),
            None => format!("no `{key}`"),
        });
    }
    if let Some(input) = case.stdin {
        setup.push(format!("stdin `{}`", input.escape_debug()));
    }
    if let Some((name, text)) = case.plan {
        setup.push(format!("{name}: `{}`", text.escape_debug()));
    }
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c.is_control()) {
                format!("{:?}", a)
            } else {
                a.replace("{PLAN}", case.plan.map_or("PLAN", |(name, _)| name))
                    .replace("{GROUP}", "URN")
            }
        })
        .collect();
    let cell = |text: &str| text.replace('|', "\\|");
    format!(
        "| {n} | {} | `migrate {}` | {} | {code} | {} |",
        cell(case.what),
        cell(&args.join(" ")).replace('`', "'"),
        cell(&setup.join("; ")),
        cell(said)
    )
}

const BEGIN: &str = "<!-- bad-input table: begin (generated by cli/tests/bad_input; MIGRATE_UPDATE_DOCS=1 rewrites it) -->";
const END: &str = "<!-- bad-input table: end -->";

/// Compares the rendered table with docs/reliability.md, or rewrites it.
fn check_docs(rows: &[String], cases: usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/reliability.md");
    let mut table = String::new();
    let _ = writeln!(
        table,
        "{cases} bad inputs; each exits with the code shown, says what the last column says \
         (stderr, every line), and sends nothing (the simulator counts requests).\n"
    );
    table.push_str("| # | what is wrong | command | setup | exit | what `migrate` says |\n");
    table.push_str("|---|---|---|---|---|---|\n");
    for row in rows {
        table.push_str(row);
        table.push('\n');
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let (Some(start), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        panic!("{} has no {BEGIN} ... {END} section", path.display());
    };
    let current = &text[start + BEGIN.len()..end];
    let wanted = format!("\n{table}");
    if current == wanted {
        return;
    }
    if std::env::var_os("MIGRATE_UPDATE_DOCS").is_some() {
        let updated = format!("{}{BEGIN}{wanted}{}", &text[..start], &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "{} is out of date with the bad-input table; run with MIGRATE_UPDATE_DOCS=1 to rewrite \
         it. Wanted:\n{wanted}",
        path.display()
    );
}
