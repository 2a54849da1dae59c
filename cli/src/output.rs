//! Printing results: a table that fits the terminal, or complete JSON / YAML.
//!
//! JSON and YAML print the whole object as the service returned it (through the generated
//! types), so scripts get every field in a stable shape; tables show chosen columns.

use std::io::IsTerminal;

use clap::ValueEnum;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;
use serde_json::Value;

use crate::exit::Failure;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Columns that fit the terminal.
    Table,
    /// Pretty-printed JSON.
    Json,
    /// YAML.
    Yaml,
}

impl Format {
    /// Table on a terminal, JSON otherwise.
    pub fn detect() -> Self {
        if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        }
    }
}

/// Prints results in one format.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    format: Format,
}

impl Printer {
    /// A printer for `format`.
    pub fn new(format: Format) -> Self {
        Self { format }
    }

    /// A list of items; a table shows `columns` (or the fields of the first item when empty).
    pub fn list<T: Serialize>(&self, items: &[T], columns: &[&str]) -> Result<(), Failure> {
        match self.format {
            Format::Table => {
                let rows: Vec<Value> = items.iter().map(to_value).collect::<Result<_, _>>()?;
                let columns: Vec<String> = if columns.is_empty() {
                    rows.first()
                        .and_then(Value::as_object)
                        .map(|o| o.keys().cloned().collect())
                        .unwrap_or_default()
                } else {
                    columns.iter().map(|c| c.to_string()).collect()
                };
                let mut table = new_table();
                table.set_header(&columns);
                for row in &rows {
                    table.add_row(columns.iter().map(|c| cell(row.get(c))));
                }
                crate::outln!("{table}");
                Ok(())
            }
            _ => self.structured(&items),
        }
    }

    /// One object; a table shows a row per field.
    pub fn one<T: Serialize>(&self, item: &T) -> Result<(), Failure> {
        match self.format {
            Format::Table => {
                let value = to_value(item)?;
                let mut table = new_table();
                table.set_header(["field", "value"]);
                match &value {
                    Value::Object(fields) => {
                        for (name, v) in fields {
                            table.add_row([name.clone(), cell(Some(v))]);
                        }
                    }
                    other => {
                        table.add_row(["value".to_string(), cell(Some(other))]);
                    }
                }
                crate::outln!("{table}");
                Ok(())
            }
            _ => self.structured(item),
        }
    }

    fn structured<T: Serialize + ?Sized>(&self, item: &T) -> Result<(), Failure> {
        let text = match self.format {
            Format::Yaml => serde_yaml::to_string(item)
                .map_err(|e| Failure::usage(format!("cannot print YAML: {e}")))?,
            _ => {
                let mut text = serde_json::to_string_pretty(item)
                    .map_err(|e| Failure::usage(format!("cannot print JSON: {e}")))?;
                text.push('\n');
                text
            }
        };
        crate::out!("{text}");
        Ok(())
    }
}

fn to_value<T: Serialize>(item: &T) -> Result<Value, Failure> {
    serde_json::to_value(item).map_err(|e| Failure::usage(format!("cannot print: {e}")))
}

fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}

/// A cell's text: strings as they are, nothing for null or absent, JSON for the rest.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
