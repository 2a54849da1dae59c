//! `migrate` on a terminal: the table and the live view of many sessions run under a
//! pseudo-terminal (portable-pty) of 40, 80 and 200 columns, and what the terminal shows is
//! read back with a terminal emulator (vt100) and checked row by row: no row wrapped, every
//! item there, nothing cut at 200, the live view drawn in place (one line per session, not one
//! per change).

use std::io::Read;
use std::num::NonZeroU16;
use std::time::Duration;

use migrate_sim::SimConfig;
use portable_pty::{CommandBuilder, PtySize};

use crate::common::{binary, Sim};

const ROWS: u16 = 60;
const WIDTHS: [u16; 3] = [40, 80, 200];

/// What a terminal of `cols` columns shows after `migrate args` ran in it, and the exit code.
struct Screen {
    code: u32,
    rows: Vec<String>,
    wrapped: Vec<usize>,
    raw: Vec<u8>,
}

fn run_in_terminal(sim: &Sim, args: &[&str], cols: u16) -> Screen {
    run_in_terminal_of(sim, args, cols, ROWS)
}

/// The same in a terminal of `rows` rows.
fn run_in_terminal_of(sim: &Sim, args: &[&str], cols: u16, rows: u16) -> Screen {
    let pty = portable_pty::native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(binary());
    cmd.env_clear();
    for (key, value) in sim.std_migrate().get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd.env("TERM", "xterm-256color");
    cmd.args(["--poll-interval", "0.05", "--wait-timeout", "30"]);
    cmd.args(args);
    let mut child = pair.slave.spawn_command(cmd).expect("migrate starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let output = std::thread::spawn(move || {
        let mut raw = Vec::new();
        let mut chunk = [0u8; 8192];
        // The read fails (EIO) once the child has exited and the terminal is closed.
        while let Ok(n) = reader.read(&mut chunk) {
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&chunk[..n]);
        }
        raw
    });
    let status = child.wait().expect("migrate ends");
    drop(pair.master);
    let raw = output.join().expect("the reader ends");
    let mut parser = vt100::Parser::new(
        NonZeroU16::new(ROWS).unwrap(),
        NonZeroU16::new(cols).unwrap(),
        0,
    );
    parser.process(&raw);
    let screen = parser.screen();
    let rows: Vec<String> = screen.rows(0, cols).collect();
    let wrapped = (0..ROWS)
        .filter(|&r| screen.row_wrapped(r))
        .map(usize::from)
        .collect();
    Screen {
        code: status.exit_code(),
        rows,
        wrapped,
        raw,
    }
}

impl Screen {
    fn text(&self) -> String {
        self.rows.join("\n")
    }

    fn rows_with(&self, needle: &str) -> usize {
        self.rows.iter().filter(|r| r.contains(needle)).count()
    }
}

fn create(sim: &Sim, name: &str, source: &str, wait: bool) {
    let remote = sim.remote_system();
    let mut args = vec![
        "-o",
        "json",
        "import-session",
        "create",
        "--name",
        name,
        "--remote-system-id",
        &remote,
        "--source-resource-id",
        source,
    ];
    if wait {
        args.push("--wait");
    }
    let (code, _, stderr) = sim.run(&args);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn the_table_fits_a_terminal_of_40_80_and_200_columns() {
    let sim = Sim::start();
    let names = [
        "tbl-oracle-prod-finance-01",
        "tbl-sql-warehouse-02",
        "fail-tbl-exchange-03",
    ];
    for (name, source) in names.iter().zip(["sv_101", "sv_102", "sv_103"]) {
        create(&sim, name, source, false);
    }
    let ids: Vec<String> = sim
        .json(&["import-session", "list", "--order", "name"])
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    for cols in WIDTHS {
        let screen = run_in_terminal(&sim, &["import-session", "list", "--order", "name"], cols);
        let text = screen.text();
        assert_eq!(screen.code, 0, "{cols}: {text}");
        assert!(
            screen.wrapped.is_empty(),
            "{cols}: rows {:?} wrapped:\n{text}",
            screen.wrapped
        );
        let table: Vec<&String> = screen
            .rows
            .iter()
            .filter(|r| !r.trim().is_empty())
            .collect();
        assert!(
            table[0].starts_with("id "),
            "{cols}: a header first:\n{text}"
        );
        for row in &table {
            assert!(row.chars().count() <= usize::from(cols), "{cols}: {row:?}");
        }
        // One row per session, in order, each starting with (the start of) its id.
        let body: Vec<&&String> = table
            .iter()
            .skip(1)
            .filter(|r| !r.starts_with('('))
            .collect();
        assert_eq!(body.len(), 3, "{cols}:\n{text}");
        for (row, id) in body.iter().zip(&ids) {
            assert!(row.starts_with(&id[..7]), "{cols}: {row:?} for {id}");
        }
        match cols {
            // Every character of every cell.
            200 => {
                assert!(!text.contains('…'), "{text}");
                for (id, name) in ids.iter().zip([
                    "fail-tbl-exchange-03",
                    "tbl-oracle-prod-finance-01",
                    "tbl-sql-warehouse-02",
                ]) {
                    assert!(
                        screen.rows_with(id) == 1 && screen.rows_with(name) == 1,
                        "{text}"
                    );
                }
            }
            // Ids whole; what is cut is marked.
            80 => {
                for id in &ids {
                    assert_eq!(screen.rows_with(id), 1, "{text}");
                }
                assert!(
                    table[0].contains("state") && table[0].contains("progres"),
                    "{text}"
                );
            }
            // Cut, never one character per line.
            _ => {
                assert!(text.contains('…'), "{text}");
                assert!(
                    body.iter().all(|r| r.split_whitespace().count() >= 2),
                    "{text}"
                );
            }
        }
    }
}

#[test]
fn the_live_view_redraws_one_line_per_session_at_40_80_and_200_columns() {
    // Slow steps, so the view draws several times while the sessions copy.
    let sim = Sim::start_with(SimConfig::default().with_step(Duration::from_millis(150)));
    let names = ["live-a", "live-b", "fail-live-c"];
    for cols in WIDTHS {
        let suffix = format!("-{cols}");
        for (name, source) in names.iter().zip(["sv_101", "sv_102", "sv_103"]) {
            create(&sim, &format!("{name}{suffix}"), source, false);
        }
        let filter = format!("name=ilike.*{suffix}");
        let screen = run_in_terminal(
            &sim,
            &["import-session", "watch", "--filter", &filter],
            cols,
        );
        let text = screen.text();
        if std::env::var_os("MIGRATE_SHOW_RAW").is_some() {
            eprintln!(
                "=== {cols}\n{text}\n{:?}",
                String::from_utf8_lossy(&screen.raw)
            );
            continue;
        }
        assert_eq!(screen.code, 4, "{cols}: one session failed:\n{text}");
        // indicatif pads every bar line to the full width and lets the terminal move on to
        // the next row, so the terminal marks bar rows as wrapped; what must hold is that no
        // line runs into the next row: each bar row holds one whole bar, each table row
        // starts with an id, and only the error message at the end (prose) wraps.
        let error = screen
            .rows
            .iter()
            .position(|r| r.starts_with("error: "))
            .unwrap_or_else(|| panic!("{cols}: no error message:\n{text}"));
        let shown: Vec<String> = names
            .iter()
            .map(|n| shown_name(&format!("{n}{suffix}"), cols))
            .collect();
        for (i, row) in screen.rows[..error].iter().enumerate() {
            let row = row.trim_end();
            if row.is_empty() {
                continue;
            }
            let bar = shown.iter().any(|s| row.starts_with(s.as_str()));
            let table = row.starts_with("id ")
                || row.chars().take(8).all(|c| c.is_ascii_hexdigit())
                || row.starts_with('(');
            assert!(
                bar || table,
                "{cols}: row {i} {row:?} is not a whole line:\n{text}"
            );
            if bar {
                assert_eq!(
                    (row.matches('[').count(), row.matches(']').count()),
                    (1, 1),
                    "{cols}: {row:?}"
                );
            } else {
                assert!(
                    !screen.wrapped.contains(&i),
                    "{cols}: row {i} wrapped:\n{text}"
                );
            }
            assert!(row.chars().count() <= usize::from(cols), "{cols}: {row:?}");
        }
        // Drawn in place: the cursor went back up to redraw.
        let raw = String::from_utf8_lossy(&screen.raw);
        assert!(
            raw.contains("\u{1b}[1A") || raw.contains("\u{1b}[2A"),
            "{cols}: no redraw"
        );
        for name in names {
            let name = format!("{name}{suffix}");
            let shown = shown_name(&name, cols);
            // One bar line per session, plus its row in the result table.
            let bars: Vec<&String> = screen
                .rows
                .iter()
                .filter(|r| r.starts_with(&shown) && r.contains('['))
                .collect();
            assert_eq!(bars.len(), 1, "{cols}: {name}:\n{text}");
            let state = if name.contains("fail") {
                "Failed"
            } else {
                "Ready_For_C"
            };
            assert!(bars[0].contains(state), "{cols}: {}\n{text}", bars[0]);
        }
        assert!(
            screen.rows[error].starts_with("error: 1 of 3 import sessions failed"),
            "{text}"
        );
    }
}

/// A session name as the live view shows it in a terminal of `cols` columns.
fn shown_name(name: &str, cols: u16) -> String {
    let width = (usize::from(cols) / 4).max(10);
    if name.chars().count() <= width {
        name.to_string()
    } else {
        let cut: String = name.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

#[test]
fn more_sessions_than_rows_end_in_a_line_that_counts_the_rest() {
    let sim = Sim::start_with(
        SimConfig::default()
            .with_step(Duration::from_millis(20))
            .with_import_sessions(120),
    );
    let screen = run_in_terminal_of(
        &sim,
        &[
            "import-session",
            "watch",
            "--query",
            "length(@)",
            "-o",
            "json",
            "--utc",
        ],
        80,
        20,
    );
    let text = screen.text();
    assert_eq!(screen.code, 0, "{text}");
    let bars: Vec<&String> = screen
        .rows
        .iter()
        .filter(|r| r.starts_with("hist-"))
        .collect();
    // Twenty rows: seventeen sessions, the line that counts the rest, the result, the prompt.
    assert_eq!(bars.len(), 17, "{text}");
    assert!(
        bars.iter().all(|b| b.contains("Import_Completed")),
        "{text}"
    );
    let summary = screen
        .rows
        .iter()
        .find(|r| r.starts_with('…'))
        .unwrap_or_else(|| panic!("no line for the rest:\n{text}"));
    assert!(
        summary.starts_with("… 103 more; 120 of 120 import sessions settled: 120 Import_Completed"),
        "{summary}"
    );
    assert!(screen.rows.iter().any(|r| r.trim() == "120"), "{text}");
}
