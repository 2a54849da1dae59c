//! Bulk plans for `migrate import-session apply`: a YAML list of session bodies, or a CSV file
//! whose header names the body's fields.
//!
//! Both become the generated `ImportSessionCreate`, so a plan takes exactly the fields the spec
//! defines, and the whole plan is checked before anything is sent: every unknown field (with a
//! "did you mean" for a near miss), every value the spec refuses, every name used twice and an
//! empty plan are reported together, each with the entry's number and its line, as
//! `PLAN:LINE: entry N (NAME): problem`. A plan with any problem sends nothing.
//!
//! In CSV, list fields separate values with `;`, boolean fields take true/false, an empty cell
//! leaves the field out, and a cell holding a comma is quoted (`"a,b"`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use migrate_clients::powerstore::types::{ImportSessionCreate, ImportSessionTypeEnum};
use migrate_runtime::{StringEnum, Validate};
use saphyr_parser::{Event, Parser};
use serde_json::{Map, Value};

use crate::exit::Failure;

/// The sessions of the plan at `path` (`.csv` is CSV, anything else YAML), checked whole.
pub fn read(path: &Path) -> Result<Vec<ImportSessionCreate>, Failure> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Failure::usage(format!("{shown}: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Failure::usage(format!("{shown}: not UTF-8 text ({e})")))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (entries, mut problems) = if is_csv {
        from_csv(&text)
    } else {
        from_yaml(&text).map_err(|e| Failure::usage(format!("{shown}: {e}")))?
    };
    let (sessions, checked) = check(&entries);
    problems.extend(checked);
    if !problems.is_empty() {
        problems.sort_by_key(|p| (p.line, p.entry));
        let lines: Vec<String> = problems.iter().map(|p| p.show(&shown)).collect();
        return Err(Failure::usage(format!(
            "{shown}: {} problem{}; nothing was sent:\n  {}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" },
            lines.join("\n  ")
        )));
    }
    Ok(sessions)
}

/// One entry of a plan as written: its fields, and where it and each field start.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// 1-based position in the plan.
    number: usize,
    /// The entry's first line, when known.
    line: Option<usize>,
    /// The fields; `None` when the entry is not a mapping.
    fields: Option<Map<String, Value>>,
    /// The line of each field's key.
    key_lines: HashMap<String, usize>,
}

impl Entry {
    fn line_of(&self, field: &str) -> Option<usize> {
        self.key_lines.get(field).copied().or(self.line)
    }

    fn name(&self) -> Option<&str> {
        self.fields.as_ref()?.get("name")?.as_str()
    }

    /// The name to show in messages (a blank one would only confuse).
    fn label(&self) -> Option<&str> {
        self.name().filter(|n| !n.trim().is_empty())
    }
}

/// Something wrong with a plan.
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    line: Option<usize>,
    /// The entry it is about (0: the plan as a whole).
    entry: usize,
    /// The entry's name, if it has one.
    name: Option<String>,
    message: String,
}

impl Problem {
    fn of(entry: &Entry, line: Option<usize>, message: String) -> Self {
        Self {
            line,
            entry: entry.number,
            name: entry.label().map(str::to_string),
            message,
        }
    }

    fn show(&self, file: &str) -> String {
        let at = match self.line {
            Some(line) => format!("{file}:{line}"),
            None => file.to_string(),
        };
        match (self.entry, &self.name) {
            (0, _) => format!("{at}: {}", self.message),
            (n, Some(name)) => format!("{at}: entry {n} ({name}): {}", self.message),
            (n, None) => format!("{at}: entry {n}: {}", self.message),
        }
    }
}

/// Turns the entries into bodies and finds everything wrong with them.
fn check(entries: &[Entry]) -> (Vec<ImportSessionCreate>, Vec<Problem>) {
    let mut problems = Vec::new();
    if entries.is_empty() {
        problems.push(Problem {
            line: None,
            entry: 0,
            name: None,
            message: "the plan has no sessions".to_string(),
        });
    }
    let fields = Fields::of_body();
    let mut sessions = Vec::new();
    let mut names: BTreeMap<&str, &Entry> = BTreeMap::new();
    for entry in entries {
        let Some(given) = &entry.fields else {
            problems.push(Problem::of(
                entry,
                entry.line,
                "not a mapping of field names to values".to_string(),
            ));
            continue;
        };
        let mut known = Map::new();
        for (field, value) in given {
            if fields.kinds.contains_key(field) {
                known.insert(field.clone(), value.clone());
                continue;
            }
            problems.push(Problem::of(
                entry,
                entry.line_of(field),
                format!("unknown field {field}{}", fields.hint(field)),
            ));
        }
        if let Some(name) = entry.name() {
            match names.get(name) {
                Some(first) => {
                    problems.push(Problem::of(
                        entry,
                        entry.line_of("name"),
                        format!(
                        "the name {name:?} is also the name of entry {}{}; names must be unique",
                        first.number,
                        first.line.map(|l| format!(" (line {l})")).unwrap_or_default()
                    ),
                    ))
                }
                None => {
                    names.insert(name, entry);
                }
            }
        }
        let session: ImportSessionCreate = match serde_json::from_value(Value::Object(known)) {
            Ok(session) => session,
            Err(e) => {
                let message = e.to_string();
                let line = field_in(&message).and_then(|f| entry.line_of(f));
                problems.push(Problem::of(entry, line.or(entry.line), message));
                continue;
            }
        };
        if let Err(e) = session.validate() {
            let top = e.field.split(['.', '[']).next().unwrap_or_default();
            problems.push(Problem::of(entry, entry.line_of(top), e.to_string()));
            continue;
        }
        sessions.push(session);
    }
    (sessions, problems)
}

/// The field a decoding message names (``field `x`: ...`` or ``missing field `x` ``).
fn field_in(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

/// What a body field holds, as far as a CSV cell is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Bool,
    /// A list of strings: `;`-separated in a cell.
    TextList,
    /// Anything else (lists of objects): not expressible in one cell.
    Nested,
}

/// The fields `ImportSessionCreate` has.
struct Fields {
    kinds: BTreeMap<String, Kind>,
}

impl Fields {
    /// The fields of the body, from a value with every field set. The struct literal names
    /// every field, so a field added to the spec fails to compile here until it is listed
    /// (and then the plan accepts it).
    fn of_body() -> Self {
        let every = ImportSessionCreate {
            remote_system_id: String::new(),
            source_resource_id: String::new(),
            name: String::new(),
            global_storage_discovery_address: Some(String::new()),
            description: Some(String::new()),
            r#type: Some(ImportSessionTypeEnum::from_wire(String::new())),
            host_ids: Some(vec![String::new()]),
            host_group_ids: Some(vec![String::new()]),
            consistency_group_member_host_ids: Some(vec![Default::default()]),
            consistency_group_member_host_group_ids: Some(vec![Default::default()]),
            volume_group_id: Some(String::new()),
            automatic_cutover: Some(false),
            protection_policy_id: Some(String::new()),
            scheduled_timestamp: Some(migrate_runtime::DateTime::default()),
        };
        let kinds = match serde_json::to_value(&every) {
            Ok(Value::Object(fields)) => fields
                .into_iter()
                .map(|(name, value)| {
                    let kind = match value {
                        Value::Bool(_) => Kind::Bool,
                        Value::Array(items) if items.iter().all(Value::is_string) => Kind::TextList,
                        Value::Array(_) | Value::Object(_) => Kind::Nested,
                        _ => Kind::Text,
                    };
                    (name, kind)
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        Self { kinds }
    }

    /// What to say after "unknown field X": the near miss, or every field.
    fn hint(&self, field: &str) -> String {
        match self.closest(field) {
            Some(known) => format!("; did you mean {known}?"),
            None => {
                let names: Vec<&str> = self.kinds.keys().map(String::as_str).collect();
                format!("; the fields are {}", names.join(", "))
            }
        }
    }

    /// The known field closest to `field`, if it is close enough to be a slip.
    fn closest(&self, field: &str) -> Option<&str> {
        self.kinds
            .keys()
            .map(|known| (strsim::jaro_winkler(field, known), known))
            .filter(|(score, _)| *score > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, known)| known.as_str())
    }
}

/// The entries of a YAML plan, with their lines. Syntax errors carry line and column.
fn from_yaml(text: &str) -> Result<(Vec<Entry>, Vec<Problem>), String> {
    let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    value.apply_merge().map_err(|e| e.to_string())?;
    let items = match value {
        serde_yaml::Value::Null => Vec::new(),
        serde_yaml::Value::Sequence(items) => items,
        _ => {
            return Err(
                "a plan is a list of sessions (each `- name: ...`), not a single \
                        mapping or value"
                    .to_string(),
            )
        }
    };
    let lines = yaml_lines(text);
    let entries = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let (line, key_lines) = lines
                .as_ref()
                .and_then(|l| l.get(i))
                .cloned()
                .unwrap_or_default();
            let fields = match serde_json::to_value(item) {
                Ok(Value::Object(fields)) => Some(fields),
                _ => None,
            };
            Entry {
                number: i + 1,
                line,
                fields,
                key_lines,
            }
        })
        .collect();
    Ok((entries, Vec::new()))
}

/// Where an entry starts, and where each of its keys is.
type Lines = (Option<usize>, HashMap<String, usize>);

/// For each item of a YAML document's top-level list: its first line and the line of each key
/// of its mapping. `None` when the text does not parse as one (the caller has the values from
/// serde_yaml and its error messages; lines are a help, not a need).
fn yaml_lines(text: &str) -> Option<Vec<Lines>> {
    let mut items: Vec<Lines> = Vec::new();
    let mut depth = 0usize;
    let mut root_is_list = false;
    // Inside an item's mapping (depth 2): whether the next node is a key.
    let mut key_next = false;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        let line = span.start.line();
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        );
        if is_node {
            match depth {
                0 => root_is_list = matches!(event, Event::SequenceStart(..)),
                1 if root_is_list => {
                    items.push((Some(line), HashMap::new()));
                    key_next = matches!(event, Event::MappingStart(..));
                }
                2 if root_is_list => {
                    if key_next {
                        if let (Event::Scalar(key, ..), Some(item)) = (&event, items.last_mut()) {
                            item.1.entry(key.to_string()).or_insert(line);
                        }
                    }
                    key_next = !key_next;
                }
                _ => {}
            }
        }
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    Some(items)
}

/// The entries of a CSV plan (one per row after the header), and the problems of its shape:
/// unknown or repeated columns, rows with the wrong number of cells, cells that cannot hold
/// their field.
fn from_csv(text: &str) -> (Vec<Entry>, Vec<Problem>) {
    let whole = |line: Option<usize>, message: String| Problem {
        line,
        entry: 0,
        name: None,
        message,
    };
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(str::to_string).collect(),
        Err(e) => return (Vec::new(), vec![whole(Some(1), e.to_string())]),
    };
    if header.iter().all(String::is_empty) {
        return (
            Vec::new(),
            vec![whole(None, "the CSV file is empty".into())],
        );
    }
    let fields = Fields::of_body();
    // Which columns become fields: known, not nested, first of their name.
    let mut usable = Vec::with_capacity(header.len());
    for (i, column) in header.iter().enumerate() {
        let problem = if header[..i].contains(column) {
            Some(format!("column {column} appears twice"))
        } else {
            match fields.kinds.get(column) {
                None => Some(format!("unknown column {column}{}", fields.hint(column))),
                Some(Kind::Nested) => Some(format!(
                    "column {column}: this field holds objects, which a CSV cell cannot; use a \
                     YAML plan"
                )),
                Some(_) => None,
            }
        };
        usable.push(problem.is_none());
        problems.extend(problem.map(|p| whole(Some(1), p)));
    }
    let mut entries = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let number = i + 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                problems.push(whole(line, format!("row {number}: {e}")));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize);
        if record.len() != header.len() {
            problems.push(whole(
                line,
                format!(
                    "row {number} has {} cells for {} columns",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let mut object = Map::new();
        let mut key_lines = HashMap::new();
        for ((column, cell), usable) in header.iter().zip(record.iter()).zip(&usable) {
            if cell.is_empty() || !usable {
                continue;
            }
            let kind = fields.kinds.get(column).copied().unwrap_or(Kind::Text);
            object.insert(column.clone(), cell_value(kind, cell));
            if let Some(line) = line {
                key_lines.insert(column.clone(), line);
            }
        }
        entries.push(Entry {
            number,
            line,
            fields: Some(object),
            key_lines,
        });
    }
    (entries, problems)
}

/// A CSV cell as the JSON value its field takes.
fn cell_value(kind: Kind, cell: &str) -> Value {
    match kind {
        Kind::TextList => cell.split(';').map(|v| Value::from(v.trim())).collect(),
        Kind::Bool if cell.eq_ignore_ascii_case("true") => Value::Bool(true),
        Kind::Bool if cell.eq_ignore_ascii_case("false") => Value::Bool(false),
        _ => Value::from(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str, csv: bool) -> Vec<String> {
        let (entries, mut found) = if csv {
            from_csv(text)
        } else {
            from_yaml(text).unwrap()
        };
        found.extend(check(&entries).1);
        found.sort_by_key(|p| (p.line, p.entry));
        found.iter().map(|p| p.show("plan")).collect()
    }

    #[test]
    fn csv_rows_become_bodies() {
        let plan = "name,remote_system_id,source_resource_id,automatic_cutover,host_ids\n\
                    db01,rs1,sv_101,TRUE,h1;h2\n\
                    db02,rs1,sv_102,,\n";
        let (entries, shape) = from_csv(plan);
        assert!(shape.is_empty(), "{shape:?}");
        let (sessions, found) = check(&entries);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions[0].automatic_cutover, Some(true));
        assert_eq!(
            sessions[0].host_ids.as_deref(),
            Some(&["h1".to_string(), "h2".to_string()][..])
        );
        assert_eq!(sessions[1].automatic_cutover, None);
        assert_eq!(
            problems("name,remote_system_id\nx\n", true),
            [
                "plan: the plan has no sessions",
                "plan:2: row 1 has 1 cells for 2 columns"
            ]
        );
    }

    #[test]
    fn every_problem_of_a_yaml_plan_is_reported_with_its_line() {
        let plan = "\
- name: db01
  remote_system_id: rs1
  source_resource_id: sv_101
  automatic_cutovr: true
- name: db01
  remote_system_id: rs1
  source_resource_id: sv_102
- name: ''
  remote_system_id: rs1
  source_resource_id: sv_103
- name: db04
  remote_system_id: rs1
  source_resource_id: sv_104
  automatic_cutover: soon
- just a string
";
        assert_eq!(
            problems(plan, false),
            [
                "plan:4: entry 1 (db01): unknown field automatic_cutovr; did you mean automatic_cutover?",
                "plan:5: entry 2 (db01): the name \"db01\" is also the name of entry 1 (line 1); names must be unique",
                "plan:8: entry 3: name: length 0 is under the minimum of 1",
                "plan:14: entry 4 (db04): field `automatic_cutover`: invalid type: string \"soon\", expected a boolean",
                "plan:15: entry 5: not a mapping of field names to values",
            ]
        );
    }

    #[test]
    fn empty_and_wrongly_shaped_plans() {
        assert_eq!(problems("", false), ["plan: the plan has no sessions"]);
        assert_eq!(problems("[]", false), ["plan: the plan has no sessions"]);
        assert!(from_yaml("name: db01\n")
            .unwrap_err()
            .contains("a plan is a list"));
        assert!(from_yaml("- name: [\n").unwrap_err().contains("line"));
        let far = problems(
            "- nme: x\n  remote_system_id: r\n  source_resource_id: s\n",
            false,
        );
        assert!(
            far[0].contains("unknown field nme; did you mean name?"),
            "{far:?}"
        );
        let unrelated = problems(
            "- name: x\n  remote_system_id: r\n  source_resource_id: s\n  colour: red\n",
            false,
        );
        assert!(
            unrelated[0].contains("unknown field colour; the fields are automatic_cutover, "),
            "{unrelated:?}"
        );
    }

    #[test]
    fn csv_shape_problems() {
        let found = problems(
            "name,name,remote_system_id,source_resource_id,consistency_group_member_host_ids,\
             automatic_cutovr\nx,x,r,s,,true\n",
            true,
        );
        assert_eq!(
            found,
            [
                "plan:1: column name appears twice",
                "plan:1: column consistency_group_member_host_ids: this field holds objects, \
                 which a CSV cell cannot; use a YAML plan",
                "plan:1: unknown column automatic_cutovr; did you mean automatic_cutover?",
            ]
        );
    }
}
