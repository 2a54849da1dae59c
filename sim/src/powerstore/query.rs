//! PowerStore collection query language: `select`, filters, `order`, and paging.
//!
//! Why separate: the rules (only `id` without `select`, `[not.]op.value` filters ANDed,
//! case-insensitive matching, limit 1..2000 with 206 + `Content-Range`, 416 past the end) are
//! the same for every resource, and they are where clients most often disagree with the server,
//! so they live in one place with their own unit tests. Resources are handled as JSON objects.

use std::cmp::Ordering;

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::error::PsError;

pub(crate) const DEFAULT_LIMIT: usize = 100;
pub(crate) const MAX_LIMIT: usize = 2000;

/// One entry of a `select` list: a plain field or an embedded resource with its own list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SelectItem {
    Field(String),
    Embedded(String, Vec<SelectItem>),
}

/// Resolves an embeddable field (`remote_system` of an import session, say) to the full JSON of
/// the related resource. `None` means the field cannot be embedded.
pub(crate) type Embedder<'a> = &'a dyn Fn(&str, &Value) -> Option<Value>;

/// A field name and the fields it may embed, describing one resource type.
pub(crate) struct Schema {
    pub(crate) name: &'static str,
    pub(crate) fields: &'static [&'static str],
    pub(crate) embeddable: &'static [&'static str],
}

impl Schema {
    fn knows(&self, field: &str) -> bool {
        self.fields.contains(&field) || self.embeddable.contains(&field)
    }

    fn unknown(&self, what: &str, field: &str) -> PsError {
        PsError::bad_request(format!(
            "Invalid {what} attribute '{field}' for resource type {}.",
            self.name
        ))
        .with_argument(field)
    }
}

/// Parses `a,b,c(d,e)` into select items, honouring nested parentheses.
pub(crate) fn parse_select(text: &str) -> Result<Vec<SelectItem>, PsError> {
    let mut items = Vec::new();
    for part in split_top_level(text)? {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match part.find('(') {
            None => items.push(SelectItem::Field(part.to_string())),
            Some(open) => {
                let inner = part[open + 1..].strip_suffix(')').ok_or_else(|| {
                    PsError::bad_request(format!("Malformed select entry '{part}'."))
                })?;
                items.push(SelectItem::Embedded(
                    part[..open].trim().to_string(),
                    parse_select(inner)?,
                ));
            }
        }
    }
    if items.is_empty() {
        return Err(PsError::bad_request("The select parameter is empty."));
    }
    Ok(items)
}

fn split_top_level(text: &str) -> Result<Vec<&str>, PsError> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(PsError::bad_request("Unbalanced parentheses in select."));
                }
            }
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(PsError::bad_request("Unbalanced parentheses in select."));
    }
    parts.push(&text[start..]);
    Ok(parts)
}

/// Checks select items against a schema before any object is rendered, so an unknown name is a
/// 400 even on an empty collection.
pub(crate) fn validate_select(items: &[SelectItem], schema: &Schema) -> Result<(), PsError> {
    for item in items {
        let name = match item {
            SelectItem::Field(n) | SelectItem::Embedded(n, _) => n,
        };
        if !schema.knows(name) {
            return Err(schema.unknown("select", name));
        }
        if matches!(item, SelectItem::Embedded(..)) && !schema.embeddable.contains(&name.as_str()) {
            return Err(PsError::bad_request(format!(
                "Attribute '{name}' of resource type {} cannot be embedded.",
                schema.name
            ))
            .with_argument(name.as_str()));
        }
    }
    Ok(())
}

/// Projects `obj` onto `select` (or onto `id` when there is none).
pub(crate) fn project(obj: &Value, select: Option<&[SelectItem]>, embed: Embedder<'_>) -> Value {
    let default = [SelectItem::Field("id".to_string())];
    let items = select.unwrap_or(&default);
    let mut out = Map::new();
    for item in items {
        match item {
            SelectItem::Field(name) => {
                let value = match obj.get(name) {
                    Some(v) => v.clone(),
                    None => embed(name, obj)
                        .map(|related| project_related(&related, None))
                        .unwrap_or(Value::Null),
                };
                out.insert(name.clone(), value);
            }
            SelectItem::Embedded(name, inner) => {
                let value = embed(name, obj)
                    .map(|related| project_related(&related, Some(inner)))
                    .unwrap_or(Value::Null);
                out.insert(name.clone(), value);
            }
        }
    }
    Value::Object(out)
}

fn project_related(related: &Value, select: Option<&[SelectItem]>) -> Value {
    let no_embedding: Embedder<'_> = &|_, _| None;
    match related {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| project(v, select, no_embedding))
                .collect(),
        ),
        Value::Null => Value::Null,
        other => project(other, select, no_embedding),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Eq(String),
    Neq(String),
    Gt(String),
    Gte(String),
    Lt(String),
    Lte(String),
    Ilike(String),
    In(Vec<String>),
    IsNull,
    IsBool(bool),
}

/// One `<field>=[not.]<op>.<value>` filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Filter {
    field: String,
    negate: bool,
    op: Op,
}

impl Filter {
    fn parse(field: &str, text: &str) -> Result<Filter, PsError> {
        let bad = || {
            PsError::bad_request(format!("Invalid filter '{field}={text}'.")).with_argument(field)
        };
        let (negate, rest) = match text.strip_prefix("not.") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (op, value) = rest.split_once('.').ok_or_else(bad)?;
        let value = value.to_string();
        let op = match op {
            "eq" => Op::Eq(value),
            "neq" => Op::Neq(value),
            "gt" => Op::Gt(value),
            "gte" => Op::Gte(value),
            "lt" => Op::Lt(value),
            "lte" => Op::Lte(value),
            "ilike" => Op::Ilike(value),
            "in" => {
                let inner = value
                    .strip_prefix('(')
                    .and_then(|v| v.strip_suffix(')'))
                    .ok_or_else(bad)?;
                Op::In(inner.split(',').map(|s| s.trim().to_string()).collect())
            }
            "is" => match value.to_ascii_lowercase().as_str() {
                "null" => Op::IsNull,
                "true" => Op::IsBool(true),
                "false" => Op::IsBool(false),
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        };
        Ok(Filter {
            field: field.to_string(),
            negate,
            op,
        })
    }

    fn matches(&self, obj: &Value) -> bool {
        let value = obj.get(&self.field).unwrap_or(&Value::Null);
        let eq = |lit: &str| compare(value, lit) == Some(Ordering::Equal);
        let result = match &self.op {
            Op::Eq(lit) => eq(lit),
            Op::Neq(lit) => !value.is_null() && !eq(lit),
            Op::Gt(lit) => compare(value, lit) == Some(Ordering::Greater),
            Op::Gte(lit) => matches!(
                compare(value, lit),
                Some(Ordering::Greater | Ordering::Equal)
            ),
            Op::Lt(lit) => compare(value, lit) == Some(Ordering::Less),
            Op::Lte(lit) => matches!(compare(value, lit), Some(Ordering::Less | Ordering::Equal)),
            Op::Ilike(pattern) => scalar_text(value).is_some_and(|t| glob_match(pattern, &t)),
            Op::In(list) => list.iter().any(|lit| eq(lit)),
            Op::IsNull => value.is_null(),
            Op::IsBool(b) => value.as_bool() == Some(*b),
        };
        result != self.negate
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Compares a JSON value with a literal from the URL, using the value's own type.
fn compare(value: &Value, lit: &str) -> Option<Ordering> {
    match value {
        Value::Number(n) => n.as_f64()?.partial_cmp(&lit.parse::<f64>().ok()?),
        Value::Bool(b) => Some(b.cmp(&lit.parse::<bool>().ok()?)),
        Value::String(s) => {
            let as_time = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
            match (as_time(s), as_time(lit)) {
                (Some(a), Some(b)) => Some(a.cmp(&b)),
                _ => Some(s.to_lowercase().cmp(&lit.to_lowercase())),
            }
        }
        _ => None,
    }
}

/// Case-insensitive match where `*` stands for any run of characters.
fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            backtrack = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star, matched)) = backtrack {
            p = star + 1;
            t = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// Orders two JSON values: nulls last, text case-insensitively.
fn order_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::String(x), Value::String(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// A parsed collection query.
#[derive(Debug, Clone)]
pub(crate) struct CollectionQuery {
    pub(crate) select: Option<Vec<SelectItem>>,
    filters: Vec<Filter>,
    order: Vec<(String, bool)>,
    limit: usize,
    offset: usize,
}

/// Query keys that are not filters.
const RESERVED: &[&str] = &["select", "order", "limit", "offset", "is_async"];

/// Parses `select` only (instance queries).
pub(crate) fn parse_instance_select(
    pairs: &[(String, String)],
    schema: &Schema,
) -> Result<Option<Vec<SelectItem>>, PsError> {
    match pairs.iter().find(|(k, _)| k == "select") {
        None => Ok(None),
        Some((_, text)) => {
            let items = parse_select(text)?;
            validate_select(&items, schema)?;
            Ok(Some(items))
        }
    }
}

fn parse_number(name: &str, text: &str) -> Result<i64, PsError> {
    text.trim().parse::<i64>().map_err(|_| {
        PsError::bad_request(format!(
            "The {name} parameter must be an integer, got '{text}'."
        ))
        .with_argument(name)
    })
}

impl CollectionQuery {
    /// Parses the query pairs and the optional `Range` header for a collection of `schema`.
    pub(crate) fn parse(
        pairs: &[(String, String)],
        range: Option<&str>,
        schema: &Schema,
    ) -> Result<Self, PsError> {
        let select = parse_instance_select(pairs, schema)?;
        let mut filters = Vec::new();
        let mut order = Vec::new();
        let mut limit = None;
        let mut offset = None;
        for (key, value) in pairs {
            match key.as_str() {
                "order" => {
                    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        let (field, desc) = match part.rsplit_once('.') {
                            Some((f, "desc")) => (f, true),
                            Some((f, "asc")) => (f, false),
                            _ => (part, false),
                        };
                        if !schema.fields.contains(&field) {
                            return Err(schema.unknown("order", field));
                        }
                        order.push((field.to_string(), desc));
                    }
                }
                "limit" => {
                    let n = parse_number("limit", value)?;
                    if n <= 0 {
                        return Err(PsError::range(format!(
                            "The limit must be between 1 and {MAX_LIMIT}, got {n}."
                        )));
                    }
                    limit = Some((n as usize).min(MAX_LIMIT));
                }
                "offset" => {
                    let n = parse_number("offset", value)?;
                    if n < 0 {
                        return Err(PsError::bad_request(format!(
                            "The offset must not be negative, got {n}."
                        )));
                    }
                    offset = Some(n as usize);
                }
                k if RESERVED.contains(&k) => {}
                "and" | "or" => {
                    return Err(PsError::bad_request(format!(
                        "Grouped filters ({key}=...) are not supported by the simulator."
                    )))
                }
                field => {
                    if !schema.fields.contains(&field) {
                        return Err(schema.unknown("filter", field));
                    }
                    filters.push(Filter::parse(field, value)?);
                }
            }
        }
        if let (Some(range), None, None) = (range, limit, offset) {
            let (first, last) = range
                .trim()
                .split_once('-')
                .and_then(|(a, b)| {
                    Some((
                        a.trim().parse::<usize>().ok()?,
                        b.trim().parse::<usize>().ok()?,
                    ))
                })
                .filter(|(a, b)| a <= b)
                .ok_or_else(|| PsError::range(format!("Invalid Range header '{range}'.")))?;
            offset = Some(first);
            limit = Some((last - first + 1).min(MAX_LIMIT));
        }
        Ok(CollectionQuery {
            select,
            filters,
            order,
            limit: limit.unwrap_or(DEFAULT_LIMIT),
            offset: offset.unwrap_or(0),
        })
    }

    /// Filters, orders, pages and projects `objects`.
    pub(crate) fn run(&self, objects: Vec<Value>, embed: Embedder<'_>) -> Result<Page, PsError> {
        let mut rows: Vec<Value> = objects
            .into_iter()
            .filter(|o| self.filters.iter().all(|f| f.matches(o)))
            .collect();
        if !self.order.is_empty() {
            rows.sort_by(|a, b| {
                self.order
                    .iter()
                    .map(|(field, desc)| {
                        let ord = order_values(
                            a.get(field).unwrap_or(&Value::Null),
                            b.get(field).unwrap_or(&Value::Null),
                        );
                        if *desc {
                            ord.reverse()
                        } else {
                            ord
                        }
                    })
                    .find(|o| *o != Ordering::Equal)
                    .unwrap_or(Ordering::Equal)
            });
        }
        let total = rows.len();
        if self.offset >= total && !(total == 0 && self.offset == 0) {
            return Err(PsError::range(format!(
                "The offset {} is beyond the end of the {total} matching items.",
                self.offset
            )));
        }
        let end = (self.offset + self.limit).min(total);
        let partial = self.offset > 0 || end < total;
        let items = rows[self.offset..end]
            .iter()
            .map(|o| project(o, self.select.as_deref(), embed))
            .collect();
        Ok(Page {
            items,
            content_range: partial.then(|| format!("{}-{}/{}", self.offset, end - 1, total)),
        })
    }
}

/// One page of a collection answer.
#[derive(Debug)]
pub(crate) struct Page {
    pub(crate) items: Vec<Value>,
    /// `first-last/total` when the page is partial (answered with 206).
    pub(crate) content_range: Option<String>,
}

impl Page {
    pub(crate) fn status(&self) -> StatusCode {
        if self.content_range.is_some() {
            StatusCode::PARTIAL_CONTENT
        } else {
            StatusCode::OK
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SCHEMA: Schema = Schema {
        name: "thing",
        fields: &["id", "name", "size", "flag", "when", "note"],
        embeddable: &["owner"],
    };

    fn rows() -> Vec<Value> {
        (0..5)
            .map(|i| {
                json!({"id": format!("id{i}"), "name": format!("Name-{}", 4 - i), "size": i * 10,
                       "flag": i % 2 == 0, "when": format!("2024-01-0{}T00:00:00.000+00:00", i + 1),
                       "note": if i == 3 { Value::Null } else { json!("x") }})
            })
            .collect()
    }

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn ids(q: &[(&str, &str)]) -> Vec<String> {
        let query = CollectionQuery::parse(&pairs(q), None, &SCHEMA).unwrap();
        let page = query.run(rows(), &|_, _| None).unwrap();
        page.items
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn filters_and_order() {
        assert_eq!(ids(&[("size", "gt.20")]), ["id3", "id4"]);
        assert_eq!(ids(&[("size", "not.gte.10")]), ["id0"]);
        assert_eq!(ids(&[("name", "ilike.*name-4*")]), ["id0"]);
        assert_eq!(ids(&[("name", "eq.NAME-1")]), ["id3"]);
        assert_eq!(ids(&[("id", "in.(id1,id2)"), ("flag", "is.true")]), ["id2"]);
        assert_eq!(ids(&[("note", "is.null")]), ["id3"]);
        assert_eq!(
            ids(&[("when", "lt.2024-01-02T12:00:00+00:00")]),
            ["id0", "id1"]
        );
        assert_eq!(
            ids(&[("order", "name")]),
            ["id4", "id3", "id2", "id1", "id0"]
        );
        assert_eq!(
            ids(&[("order", "flag.desc,size.desc")]),
            ["id4", "id2", "id0", "id3", "id1"]
        );
    }

    #[test]
    fn rejects_unknown_fields_and_ops() {
        for q in [
            ("bogus", "eq.1"),
            ("size", "like.1"),
            ("order", "nope"),
            ("select", "id,nope"),
        ] {
            let err = CollectionQuery::parse(&pairs(&[q]), None, &SCHEMA).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{q:?}");
        }
    }

    #[test]
    fn paging_rules() {
        let run = |q: &[(&str, &str)], range: Option<&str>| {
            CollectionQuery::parse(&pairs(q), range, &SCHEMA)
                .and_then(|c| c.run(rows(), &|_, _| None))
        };
        let full = run(&[], None).unwrap();
        assert_eq!((full.status(), full.items.len()), (StatusCode::OK, 5));
        let page = run(&[("limit", "2"), ("offset", "2")], None).unwrap();
        assert_eq!(page.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(page.content_range.as_deref(), Some("2-3/5"));
        assert_eq!(page.items, vec![json!({"id": "id2"}), json!({"id": "id3"})]);
        let ranged = run(&[], Some("4-10")).unwrap();
        assert_eq!(ranged.content_range.as_deref(), Some("4-4/5"));
        assert_eq!(
            run(&[("limit", "0")], None).unwrap_err().status,
            StatusCode::RANGE_NOT_SATISFIABLE
        );
        assert_eq!(
            run(&[("offset", "5")], None).unwrap_err().status,
            StatusCode::RANGE_NOT_SATISFIABLE
        );
        let clamped = CollectionQuery::parse(&pairs(&[("limit", "5000")]), None, &SCHEMA).unwrap();
        assert_eq!(clamped.limit, MAX_LIMIT);
    }

    #[test]
    fn select_projects_and_embeds() {
        let items = parse_select("id,owner(id,name),size").unwrap();
        validate_select(&items, &SCHEMA).unwrap();
        let obj = json!({"id": "a", "size": 3, "name": "n"});
        let embed = |name: &str, _: &Value| {
            (name == "owner").then(|| json!({"id": "o1", "name": "Owner", "extra": 1}))
        };
        assert_eq!(
            project(&obj, Some(&items), &embed),
            json!({"id": "a", "owner": {"id": "o1", "name": "Owner"}, "size": 3})
        );
        assert_eq!(project(&obj, None, &embed), json!({"id": "a"}));
        assert!(validate_select(&parse_select("size(id)").unwrap(), &SCHEMA).is_err());
        assert!(parse_select("owner(id").is_err());
    }
}
