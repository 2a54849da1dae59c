//! `migrate-bench --smoke` in the test suite, so that the benchmark cannot rot: every step
//! (generation, the build of the generated crate, listing through the simulator, `get`
//! against curl, `--help`) runs on the shipped PowerStore subset with one round and no peers,
//! and the table it prints has a positive figure and a ratio on every row that has a
//! baseline measured in the run.

use std::process::Command;
use std::time::Instant;

/// One row of the Markdown table: figure, migrate, against, baseline, ratio, target, met.
struct Row {
    cells: Vec<String>,
}

impl Row {
    fn figure(&self) -> &str {
        &self.cells[0]
    }
    fn migrate(&self) -> &str {
        &self.cells[1]
    }
    fn baseline(&self) -> &str {
        &self.cells[3]
    }
    fn ratio(&self) -> &str {
        &self.cells[4]
    }
}

fn rows(markdown: &str) -> Vec<Row> {
    let mut lines = markdown.lines().skip_while(|l| !l.starts_with("| figure "));
    let header = lines.next().expect("the report has a table");
    assert!(header.contains("| ratio "), "{header}");
    lines
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| Row {
            cells: l
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect(),
        })
        .collect()
}

/// The number a shown figure starts with (`12.3 ms`, `1,024`, `88 kB`), if it does.
fn leading_number(shown: &str) -> Option<f64> {
    let digits: String = shown
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    digits.parse().ok()
}

#[test]
fn smoke_run_prints_a_full_table() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("smoke.md");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_migrate-bench"))
        .arg("--smoke")
        .arg("--markdown")
        .arg(&report)
        .env_remove("POWERSTORE_SPEC")
        .output()
        .expect("running migrate-bench --smoke");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "migrate-bench --smoke failed:\n{stderr}"
    );
    eprintln!(
        "migrate-bench --smoke took {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let markdown = std::fs::read_to_string(&report).expect("the Markdown report");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout, markdown,
        "the printed and the written report differ"
    );
    assert!(
        markdown.starts_with("# migrate-bench --smoke"),
        "{markdown}"
    );
    assert!(markdown.contains("load average"), "{markdown}");

    let rows = rows(&markdown);
    for family in [
        "generation, wall",
        "generation, peak memory",
        "clean debug build of the generated crate",
        "lines of generated Rust",
        "lines of generated Rust, without the `cli` feature's modules",
        "listing 60 import sessions",
        "listing peak memory",
        "migrate import-session get",
        "migrate --help start-up",
    ] {
        assert!(
            rows.iter().any(|r| r.figure().starts_with(family)),
            "no row for {family:?}:\n{markdown}"
        );
    }
    let mut with_ratio = 0;
    for row in &rows {
        let migrate = leading_number(row.migrate());
        // In smoke mode the dependencies are built already: the crate's rustc starts at once.
        let may_be_zero = row
            .figure()
            .starts_with("the generated crate's rustc starts after");
        assert!(
            migrate.is_some_and(|m| m > 0.0 || (may_be_zero && m == 0.0)),
            "row {:?}: migrate's figure {:?} is not positive",
            row.figure(),
            row.migrate()
        );
        if row.baseline().contains("skipped (smoke)") || row.baseline().contains("not installed") {
            // A peer: not installed in smoke mode (or curl missing on this machine), and the
            // row says so instead of a ratio.
            assert_eq!(row.ratio(), "–", "row {:?}", row.figure());
            continue;
        }
        assert!(
            leading_number(row.baseline()).is_some_and(|b| b > 0.0),
            "row {:?}: the baseline {:?} is not a positive figure",
            row.figure(),
            row.baseline()
        );
        let ratio = row
            .ratio()
            .strip_suffix('×')
            .and_then(|r| r.parse::<f64>().ok());
        assert!(
            ratio.is_some_and(|r| r > 0.0 && r.is_finite()),
            "row {:?}: ratio {:?}",
            row.figure(),
            row.ratio()
        );
        with_ratio += 1;
    }
    assert!(
        with_ratio >= 8,
        "only {with_ratio} rows with a ratio:\n{markdown}"
    );
    assert!(
        rows.iter()
            .any(|r| r.baseline().contains("skipped (smoke)")),
        "the peers' rows should say they were skipped:\n{markdown}"
    );
}
