//! Laying out tables so they fit the terminal.
//!
//! A list is one line per item, columns two spaces apart, so it can be read and searched
//! line by line: when the columns do not fit the width, the widest cells are cut (with `…`)
//! first, no column gets narrower than a few characters, and columns that still do not fit
//! are left out from the right (the caller says which on stderr; `-o wide` shows them all).
//! One object is a column of field names beside their values, and long values wrap instead,
//! since there every character of an id or a message may matter.
//!
//! The width is `COLUMNS` when set, else the terminal's; it is never less than
//! [`MIN_WIDTH`] (a terminal that reports 0 columns or an absurd `COLUMNS` must not get one
//! character per line). Output that goes to a file or a pipe without `COLUMNS` has no limit.

use std::io::IsTerminal;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The narrowest width tables are laid out for.
pub const MIN_WIDTH: usize = 40;
/// The width when stdout is a terminal that does not say how wide it is.
pub const DEFAULT_WIDTH: usize = 80;
/// Spaces between columns.
const GAP: usize = 2;
/// No column is cut narrower than this (or its natural width, if smaller).
const MIN_COLUMN: usize = 8;

/// The width tables must fit, if any: see the module docs.
pub fn width() -> Option<usize> {
    let terminal = std::io::stdout()
        .is_terminal()
        .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)));
    width_from(std::env::var("COLUMNS").ok().as_deref(), terminal)
}

/// The width from `COLUMNS` and, when stdout is a terminal, the size it reports.
fn width_from(columns: Option<&str>, terminal: Option<Option<usize>>) -> Option<usize> {
    let given = columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    let width = match (given, terminal) {
        (Some(c), _) => c,
        (None, Some(reported)) => reported.filter(|&w| w > 0).unwrap_or(DEFAULT_WIDTH),
        (None, None) => return None,
    };
    Some(width.max(MIN_WIDTH))
}

/// A list laid out: its text, and the headers of the columns left out to fit.
#[derive(Debug, PartialEq, Eq)]
pub struct Laid {
    /// The lines, without a final line break.
    pub text: String,
    /// Columns that did not fit.
    pub left_out: Vec<String>,
}

/// Lays out a list with `header` and `rows` (cells without line breaks) to fit `width`.
pub fn list(header: &[String], rows: &[Vec<String>], width: Option<usize>) -> Laid {
    let content: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let natural: Vec<usize> = header
        .iter()
        .zip(&content)
        .map(|(h, &c)| h.width().max(c))
        .collect();
    let widths = match width {
        None => natural,
        Some(width) => fit(&natural, &content, width),
    };
    let keep = widths.len();
    let mut lines = Vec::with_capacity(rows.len() + 1);
    lines.push(line(&header[..keep], &widths));
    for row in rows {
        let cells: Vec<String> = (0..keep)
            .map(|i| row.get(i).cloned().unwrap_or_default())
            .collect();
        lines.push(line(&cells, &widths));
    }
    Laid {
        text: lines.join("\n"),
        left_out: header[keep..].to_vec(),
    }
}

/// Column widths within `width`, from the `natural` widths (header or widest cell) and the
/// `content` widths (widest cell). What is cut first: a header wider than its cells, then the
/// widest column but the first (which names the row), then the first; none below
/// [`MIN_COLUMN`]. As many columns from the left are kept as fit at that minimum.
fn fit(natural: &[usize], content: &[usize], width: usize) -> Vec<usize> {
    let floor: Vec<usize> = natural.iter().map(|&n| n.min(MIN_COLUMN)).collect();
    let total =
        |widths: &[usize]| widths.iter().sum::<usize>() + GAP * widths.len().saturating_sub(1);
    let mut keep = natural.len();
    while keep > 1 && total(&floor[..keep]) > width {
        keep -= 1;
    }
    let mut widths = natural[..keep].to_vec();
    if keep == 1 {
        widths[0] = widths[0].min(width);
        return widths;
    }
    let mut over = total(&widths).saturating_sub(width);
    for i in 0..keep {
        let target = content[i].max(floor[i]);
        let cut = over.min(widths[i].saturating_sub(target));
        widths[i] -= cut;
        over -= cut;
    }
    let mut shrink = |columns: std::ops::Range<usize>, over: &mut usize| {
        while *over > 0 {
            let widest = columns
                .clone()
                .filter(|&i| widths[i] > floor[i])
                .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
            let Some(i) = widest else { break };
            widths[i] -= 1;
            *over -= 1;
        }
    };
    shrink(1..keep, &mut over);
    shrink(0..1, &mut over);
    widths
}

/// One line: each cell cut or padded to its width, the last one not padded.
fn line(cells: &[String], widths: &[usize]) -> String {
    let mut out = String::new();
    for (i, (cell, &width)) in cells.iter().zip(widths).enumerate() {
        let last = i + 1 == cells.len();
        let cut = cut(cell, width);
        if last {
            out.push_str(&cut);
        } else {
            let pad = width.saturating_sub(cut.width());
            out.push_str(&cut);
            out.extend(std::iter::repeat_n(' ', pad + GAP));
        }
    }
    out.trim_end().to_string()
}

/// `text` cut to `width` columns, ending in `…` when cut.
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Lays out the fields of one object: names in a column, values beside them, wrapped to fit
/// `width`.
pub fn pairs(rows: &[(String, String)], width: Option<usize>) -> String {
    let longest = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let key_width = match width {
        Some(width) => longest.min(width / 2),
        None => longest,
    };
    let value_width = width.map(|w| w.saturating_sub(key_width + GAP).max(1));
    let indent = " ".repeat(key_width + GAP);
    let mut lines = Vec::new();
    for (key, value) in rows {
        let key = cut(key, key_width);
        let pad = " ".repeat(key_width - key.width() + GAP);
        let wrapped = match value_width {
            Some(w) => wrap(value, w),
            None => value.lines().map(str::to_string).collect(),
        };
        let mut wrapped = wrapped.into_iter();
        let first = wrapped.next().unwrap_or_default();
        lines.push(format!("{key}{pad}{first}").trim_end().to_string());
        for more in wrapped {
            lines.push(format!("{indent}{more}"));
        }
    }
    lines.join("\n")
}

/// `text` broken into lines of at most `width` columns, at spaces where it can be.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut current = String::new();
        for word in paragraph.split(' ') {
            let needed = if current.is_empty() {
                word.width()
            } else {
                current.width() + 1 + word.width()
            };
            if needed <= width {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // A word longer than the line is broken where the line ends.
            let mut rest = word;
            while rest.width() > width {
                let mut used = 0;
                let split = rest
                    .char_indices()
                    .find(|&(_, c)| {
                        used += c.width().unwrap_or(0);
                        used > width
                    })
                    .map_or(rest.len(), |(i, _)| i);
                lines.push(rest[..split].to_string());
                rest = &rest[split..];
            }
            current.push_str(rest);
        }
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn the_width_has_a_sensible_minimum() {
        assert_eq!(width_from(Some("120"), None), Some(120));
        assert_eq!(width_from(Some("10"), None), Some(MIN_WIDTH));
        // A terminal that reports 0 columns is a terminal of unknown width.
        assert_eq!(width_from(None, Some(Some(0))), Some(DEFAULT_WIDTH));
        assert_eq!(width_from(Some("0"), Some(Some(0))), Some(DEFAULT_WIDTH));
        assert_eq!(width_from(Some("x"), Some(Some(132))), Some(132));
        assert_eq!(width_from(None, Some(None)), Some(DEFAULT_WIDTH));
        // A pipe or a file without COLUMNS: no limit.
        assert_eq!(width_from(None, None), None);
    }

    #[test]
    fn lists_fit_by_cutting_the_widest_cells_then_leaving_out_columns() {
        let header = strings(&["id", "name", "state", "type"]);
        let rows = vec![
            strings(&[
                "2a3a0f0e-4c1f-4bb5-9b5e-1d7a1b2c3d4e",
                "db01",
                "Copy_In_Progress",
                "Non_Disruptive",
            ]),
            strings(&["b", "a-much-longer-session-name", "Failed", "Agentless"]),
        ];
        let wide = list(&header, &rows, None);
        assert!(wide.text.lines().all(|l| l.width() > 40), "{}", wide.text);
        for width in [40, 60, 80] {
            let laid = list(&header, &rows, Some(width));
            assert_eq!(laid.text.lines().count(), 3, "{}", laid.text);
            for l in laid.text.lines() {
                assert!(l.width() <= width, "{width}: {l:?}");
            }
        }
        let at_80 = list(&header, &rows, Some(80));
        assert!(at_80.left_out.is_empty());
        assert!(
            at_80.text.contains("2a3a0f0e-4c1f-4bb5-9b5e-1d7a1b2c3d4e"),
            "{}",
            at_80.text
        );
        let at_40 = list(&header, &rows, Some(40));
        assert!(at_40.text.contains('…'), "{}", at_40.text);
        assert!(at_40.text.starts_with("id "), "{}", at_40.text);
        // Every kept column is at least MIN_COLUMN wide, so nothing is one letter wide.
        assert!(at_40.text.contains("Copy_In…") || at_40.left_out.contains(&"state".to_string()));
    }

    #[test]
    fn values_of_one_object_wrap() {
        let rows = vec![
            ("id".to_string(), "s1".to_string()),
            (
                "resume".to_string(),
                "migrate --host http://127.0.0.1:8080 import-session wait 2a3a0f0e-4c1f-4bb5-9b5e-1d7a1b2c3d4e --until Import_Completed".to_string(),
            ),
        ];
        let text = pairs(&rows, Some(40));
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert!(text.lines().count() > 3, "{text}");
        let joined: String = text.split_whitespace().collect();
        assert!(
            joined.contains("2a3a0f0e-4c1f-4bb5-9b5e-1d7a1b2c3d4e"),
            "{text}"
        );
        assert_eq!(pairs(&rows[..1], None), "id  s1");
    }

    #[test]
    fn cut_marks_what_it_cut() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
        assert_eq!(cut("日本語テキスト", 5), "日本…");
    }
}
