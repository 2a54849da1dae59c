//! Bulk plans for `migrate import-session apply`: a YAML list of session bodies, or a CSV file
//! whose header names the body's fields.
//!
//! Both become the generated `ImportSessionCreate`, so a plan accepts exactly the fields the
//! spec defines. In CSV, list fields (`host_ids`, `host_group_ids`) separate values with `;`,
//! `automatic_cutover` takes true/false, and an empty cell leaves the field out. Cells cannot
//! contain commas.

use std::path::Path;

use migrate_clients::powerstore::types::ImportSessionCreate;
use serde_json::{Map, Value};

use crate::exit::Failure;

/// The sessions of the plan at `path` (`.csv` is CSV, anything else YAML).
pub fn read(path: &Path) -> Result<Vec<ImportSessionCreate>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let entries = if is_csv {
        from_csv(&text)
    } else {
        serde_yaml::from_str(&text).map_err(|e| e.to_string())
    };
    entries.map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

fn from_csv(text: &str) -> Result<Vec<ImportSessionCreate>, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines
        .next()
        .ok_or("the CSV file is empty")?
        .split(',')
        .map(str::trim)
        .collect();
    lines
        .enumerate()
        .map(|(i, line)| {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            if cells.len() != header.len() {
                return Err(format!(
                    "line {}: {} cells for {} columns",
                    i + 2,
                    cells.len(),
                    header.len()
                ));
            }
            let mut object = Map::new();
            for (column, cell) in header.iter().zip(cells) {
                if !cell.is_empty() {
                    object.insert(column.to_string(), cell_value(column, cell));
                }
            }
            serde_json::from_value(Value::Object(object))
                .map_err(|e| format!("line {}: {e}", i + 2))
        })
        .collect()
}

/// A CSV cell as the JSON value its column takes.
fn cell_value(column: &str, cell: &str) -> Value {
    match column {
        "host_ids" | "host_group_ids" => cell.split(';').map(|v| Value::from(v.trim())).collect(),
        "automatic_cutover" => match cell {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::from(other),
        },
        _ => Value::from(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_bodies() {
        let plan = "name,remote_system_id,source_resource_id,automatic_cutover,host_ids\n\
                    db01,rs1,sv_101,true,h1;h2\n\
                    db02,rs1,sv_102,,\n";
        let entries = from_csv(plan).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].automatic_cutover, Some(true));
        assert_eq!(
            entries[0].host_ids.as_deref(),
            Some(&["h1".to_string(), "h2".to_string()][..])
        );
        assert_eq!(entries[1].automatic_cutover, None);
        assert!(from_csv("name,remote_system_id\nx\n").is_err());
    }
}
