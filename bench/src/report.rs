//! The one table a run prints: each figure of migrate beside its baseline or peer, measured in
//! the same run, the ratio between them and the target the issue sets for it.

use std::fmt::Write as _;

/// One line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    /// What is measured (`generation, wall (median of 3)`).
    pub figure: String,
    /// migrate's figure, shown.
    pub migrate: String,
    /// What it is compared with (`progenitor 0.15.1`).
    pub against: String,
    /// That baseline's or peer's figure, shown.
    pub baseline: String,
    /// migrate ÷ baseline, when both were measured.
    pub ratio: Option<f64>,
    /// The target, in words (`≤ 0.1×`), or empty.
    pub target: String,
    /// Whether the target is met, when there is one and both sides were measured.
    pub met: Option<bool>,
}

impl Row {
    /// A row comparing two measured values; `value` shows them in their unit.
    pub fn compare(
        figure: impl Into<String>,
        against: impl Into<String>,
        migrate: Result<f64, String>,
        baseline: Result<f64, String>,
        value: fn(f64) -> String,
    ) -> Self {
        let ratio = match (&migrate, &baseline) {
            (Ok(m), Ok(b)) if *b > 0.0 => Some(m / b),
            _ => None,
        };
        Row {
            figure: figure.into(),
            migrate: shown(&migrate, value),
            against: against.into(),
            baseline: shown(&baseline, value),
            ratio,
            target: String::new(),
            met: None,
        }
    }

    /// Sets a target on the ratio: met when the ratio is at most `most`.
    pub fn ratio_at_most(mut self, most: f64) -> Self {
        self.target = format!("≤ {most}×");
        self.met = self.ratio.map(|r| r <= most);
        self
    }

    /// Sets a target in words with whether it is met, decided by the caller.
    pub fn target(mut self, words: impl Into<String>, met: Option<bool>) -> Self {
        self.target = words.into();
        self.met = met;
        self
    }
}

fn shown(value: &Result<f64, String>, show: fn(f64) -> String) -> String {
    match value {
        Ok(v) => show(v.to_owned()),
        Err(why) => why.clone(),
    }
}

/// Seconds, to a precision that suits the size.
pub fn seconds(s: f64) -> String {
    if s < 0.1 {
        format!("{:.1} ms", s * 1000.0)
    } else if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// Megabytes (MiB), or gigabytes past 1024.
pub fn megabytes(mb: f64) -> String {
    if mb >= 1024.0 {
        format!("{:.2} GB", mb / 1024.0)
    } else {
        format!("{mb:.0} MB")
    }
}

/// Bytes as kB or MB.
pub fn bytes(b: f64) -> String {
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.0} kB", b / 1024.0)
    }
}

/// A count with thousands separated by commas.
pub fn count(n: f64) -> String {
    let digits = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The rows as a Markdown table (what docs/performance.md holds).
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::new();
    let header = [
        "figure", "migrate", "against", "baseline", "ratio", "target", "met",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.figure.clone(),
                r.migrate.clone(),
                r.against.clone(),
                r.baseline.clone(),
                r.ratio
                    .map(|x| format!("{x:.2}×"))
                    .unwrap_or_else(|| "–".into()),
                if r.target.is_empty() {
                    "–".into()
                } else {
                    r.target.clone()
                },
                match r.met {
                    Some(true) => "yes".into(),
                    Some(false) => "**no**".into(),
                    None => "–".into(),
                },
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut String, cells: &[String]| {
        out.push('|');
        for (cell, width) in cells.iter().zip(&widths) {
            let _ = write!(out, " {cell:<width$} |");
        }
        out.push('\n');
    };
    line(&mut out, &header.map(String::from));
    line(
        &mut out,
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    );
    for row in &cells {
        line(&mut out, row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_targets() {
        let row = Row::compare("wall", "peer", Ok(1.0), Ok(4.0), seconds).ratio_at_most(0.1);
        assert_eq!(row.ratio, Some(0.25));
        assert_eq!(row.met, Some(false));
        let missing = Row::compare(
            "wall",
            "peer",
            Ok(1.0),
            Err("not installed".into()),
            seconds,
        )
        .ratio_at_most(0.1);
        assert_eq!((missing.ratio, missing.met), (None, None));
        assert_eq!(missing.baseline, "not installed");
        let table = markdown(&[row, missing]);
        assert_eq!(table.lines().count(), 4);
        assert!(table.contains("| **no** |") || table.contains("**no**"));
    }

    #[test]
    fn units() {
        assert_eq!(seconds(0.0123), "12.3 ms");
        assert_eq!(seconds(3.681), "3.68 s");
        assert_eq!(seconds(73.84), "73.8 s");
        assert_eq!(megabytes(133.2), "133 MB");
        assert_eq!(megabytes(2969.6), "2.90 GB");
        assert_eq!(count(107030.0), "107,030");
        assert_eq!(count(999.0), "999");
        assert_eq!(bytes(4_504_642.0), "4.3 MB");
        assert_eq!(bytes(90_000.0), "88 kB");
    }
}
