//! Printing results: tables for people, JSON/YAML for programs, tab-separated text for `cut`.
//!
//! Every result goes the same way: to its JSON form (the generated types as the service sent
//! them), through `--query` when given ([`query`]), then into the chosen format. JSON and YAML
//! print that value whole, so scripts get every field in a stable shape. `table` shows a
//! list's chosen columns to fit the terminal ([`table`]) with readable cells ([`cell`]), `wide`
//! adds more columns and never cuts, `text` prints the same columns tab-separated without a
//! header and with raw values. After a `--query` the result's own shape decides: a list of
//! objects is a table of their fields, one object a column of fields, anything else its value.

pub mod cell;
pub mod query;
pub mod table;

use std::io::IsTerminal;

use clap::ValueEnum;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::exit::Failure;
pub use query::Query;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Chosen columns that fit the terminal, readable values.
    Table,
    /// More columns, nothing cut.
    Wide,
    /// Pretty-printed JSON, every field.
    Json,
    /// YAML, every field.
    Yaml,
    /// Tab-separated values without a header, raw (for cut and awk).
    Text,
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

    /// The names `--output` and the profile's `output` take.
    pub fn names() -> String {
        Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Prints results in one format.
#[derive(Debug, Clone)]
pub struct Printer {
    format: Format,
    query: Option<Query>,
    utc: bool,
    /// The width tables fit (see [`table::width`]).
    width: Option<usize>,
}

impl Printer {
    /// A printer for `format`, applying `query` to every result, times in UTC when `utc`.
    pub fn new(format: Format, query: Option<Query>, utc: bool) -> Self {
        Self {
            format,
            query,
            utc,
            width: table::width(),
        }
    }

    /// The format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// A list of items; a table shows `columns`, and with `-o wide` also `wide`.
    pub fn list<T: Serialize>(
        &self,
        items: &[T],
        columns: &[&str],
        wide: &[&str],
    ) -> Result<(), Failure> {
        let value = to_value(items)?;
        match &self.query {
            Some(query) => self.value(&apply(query, &value)?, None),
            None => {
                let mut shown: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
                if self.format == Format::Wide {
                    shown.extend(wide.iter().map(|c| c.to_string()));
                }
                self.value(&value, Some(shown))
            }
        }
    }

    /// One object (or any value).
    pub fn one<T: Serialize>(&self, item: &T) -> Result<(), Failure> {
        let value = to_value(item)?;
        match &self.query {
            Some(query) => self.value(&apply(query, &value)?, None),
            None => self.value(&value, None),
        }
    }

    /// A record of the CLI's own (a stopped wait), printed without `--query`: the query was
    /// written for the command's result, not for this.
    pub fn record<T: Serialize>(&self, item: &T) -> Result<(), Failure> {
        self.value(&to_value(item)?, None)
    }

    /// Prints `value`; a list of objects shows `columns` (else every field they have).
    fn value(&self, value: &Value, columns: Option<Vec<String>>) -> Result<(), Failure> {
        match self.format {
            Format::Json => {
                let text = serde_json::to_string_pretty(value)
                    .map_err(|e| Failure::usage(format!("cannot print JSON: {e}")))?;
                crate::outln!("{text}");
            }
            Format::Yaml => {
                let text = serde_yaml::to_string(value)
                    .map_err(|e| Failure::usage(format!("cannot print YAML: {e}")))?;
                crate::out!("{text}");
            }
            Format::Table | Format::Wide | Format::Text => self.tabular(value, columns),
        }
        Ok(())
    }

    fn tabular(&self, value: &Value, columns: Option<Vec<String>>) {
        match value {
            Value::Array(items) if items.iter().all(Value::is_object) => {
                let objects: Vec<&Map<String, Value>> =
                    items.iter().filter_map(Value::as_object).collect();
                let columns = columns.unwrap_or_else(|| keys(&objects));
                self.rows(&columns, &objects);
            }
            Value::Array(items) => {
                for item in items {
                    self.scalar_line(item);
                }
            }
            Value::Object(fields) => self.fields(fields),
            other => self.scalar_line(other),
        }
    }

    /// A list of objects, one per line.
    fn rows(&self, columns: &[String], objects: &[&Map<String, Value>]) {
        if objects.is_empty() {
            return;
        }
        if self.format == Format::Text {
            for object in objects {
                let cells: Vec<String> = columns
                    .iter()
                    .map(|c| cell::raw(lookup(object, c)))
                    .collect();
                crate::outln!("{}", cells.join("\t"));
            }
            return;
        }
        let rows: Vec<Vec<String>> = objects
            .iter()
            .map(|object| {
                columns
                    .iter()
                    .map(|c| cell::human(c, lookup(object, c), self.utc))
                    .collect()
            })
            .collect();
        let width = match self.format {
            Format::Wide => None,
            _ => self.width,
        };
        let laid = table::list(columns, &rows, width);
        crate::outln!("{}", laid.text);
        if let (false, Some(width)) = (laid.left_out.is_empty(), width) {
            let note = format!(
                "({} left out to fit {width} columns; -o wide shows every column)",
                laid.left_out.join(", ")
            );
            crate::errln!("{}", table::wrap(&note, width).join("\n"));
        }
    }

    /// One object: a line per field, nested objects as `outer.inner`.
    fn fields(&self, fields: &Map<String, Value>) {
        let mut flat = Vec::new();
        flatten("", fields, &mut flat);
        if self.format == Format::Text {
            for (key, value) in flat {
                crate::outln!("{key}\t{}", cell::raw(value));
            }
            return;
        }
        let rows: Vec<(String, String)> = flat
            .into_iter()
            .map(|(key, value)| {
                let field = key.rsplit('.').next().unwrap_or(&key).to_string();
                let text = cell::human(&field, value, self.utc);
                (key, text)
            })
            .collect();
        let width = match self.format {
            Format::Wide => None,
            _ => self.width,
        };
        crate::outln!("{}", table::pairs(&rows, width));
    }

    fn scalar_line(&self, value: &Value) {
        let text = match self.format {
            Format::Text => cell::raw(value),
            _ => cell::human("", value, self.utc),
        };
        if !value.is_null() {
            crate::outln!("{text}");
        }
    }
}

/// The fields of `objects` in the order they first appear.
fn keys(objects: &[&Map<String, Value>]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for object in objects {
        for key in object.keys() {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    keys
}

/// The value of column `name` (`a.b` reaches into a nested object).
fn lookup<'a>(object: &'a Map<String, Value>, name: &str) -> &'a Value {
    if let Some(value) = object.get(name) {
        return value;
    }
    let mut parts = name.split('.');
    let first = parts.next().and_then(|p| object.get(p));
    parts
        .try_fold(first, |value, part| Some(value?.get(part)))
        .flatten()
        .unwrap_or(&Value::Null)
}

/// `fields` with nested objects spread out as `outer.inner` (lists stay whole).
fn flatten<'a>(prefix: &str, fields: &'a Map<String, Value>, out: &mut Vec<(String, &'a Value)>) {
    for (key, value) in fields {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) if !inner.is_empty() => flatten(&name, inner, out),
            _ => out.push((name, value)),
        }
    }
}

fn apply(query: &Query, value: &Value) -> Result<Value, Failure> {
    query.apply(value).map_err(Failure::usage)
}

fn to_value<T: Serialize + ?Sized>(item: &T) -> Result<Value, Failure> {
    serde_json::to_value(item).map_err(|e| Failure::usage(format!("cannot print: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flatten_and_lookup_reach_into_objects() {
        let value = json!({"id": "s1", "error": {"code": "x", "message_l10n": "m"}, "tags": []});
        let fields = value.as_object().unwrap();
        let mut flat = Vec::new();
        flatten("", fields, &mut flat);
        let names: Vec<&str> = flat.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["id", "error.code", "error.message_l10n", "tags"]);
        assert_eq!(lookup(fields, "error.code"), &json!("x"));
        assert_eq!(lookup(fields, "error.nothing"), &Value::Null);
        assert_eq!(lookup(fields, "nothing.at.all"), &Value::Null);
    }

    #[test]
    fn columns_of_a_queried_list_are_its_fields_in_order() {
        let a = json!({"name": "db01", "id": "a"});
        let b = json!({"name": "db02", "state": "Failed"});
        let objects = [a.as_object().unwrap(), b.as_object().unwrap()];
        assert_eq!(keys(&objects), ["name", "id", "state"]);
    }
}
