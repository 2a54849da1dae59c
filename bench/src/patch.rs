//! What the vendor spec has to lose before progenitor generates it, done in code that says
//! what it changed.
//!
//! progenitor refuses the converted (OpenAPI 3.0) PowerStore spec as it comes. Each patch
//! below removes one thing it refuses, as little as needed, and returns one line per kind of
//! change with the count and the places, which the report prints. What progenitor then
//! generates is a little less than migrate generates from the unpatched spec (no multipart
//! operations, one error type per operation), so the comparison favours progenitor slightly.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::{Map, Value};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Applies every patch to `document` (OpenAPI 3.0) and says what each changed.
pub fn for_progenitor(document: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    changes.extend(drop_multipart(document));
    changes.extend(synthesize_operation_ids(document));
    changes.extend(one_success_type(document));
    changes.extend(one_error_schema(document));
    changes.extend(rename_snake_case_collisions(document));
    changes
}

/// `patch-for-progenitor IN OUT`: patches a file and prints each change.
pub fn file(input: &std::path::Path, output: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let mut document: Value = serde_json::from_slice(
        &std::fs::read(input).with_context(|| format!("reading {}", input.display()))?,
    )
    .with_context(|| format!("parsing {}", input.display()))?;
    for change in for_progenitor(&mut document) {
        println!("- {change}");
    }
    std::fs::write(output, serde_json::to_vec_pretty(&document)?)
        .with_context(|| format!("writing {}", output.display()))?;
    Ok(())
}

/// Every operation as (method, path, operation), in document order.
fn operations(document: &mut Value) -> Vec<(String, String, &mut Map<String, Value>)> {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            if let Some(operation) = operation.as_object_mut() {
                found.push((method.clone(), path.clone(), operation));
            }
        }
    }
    found
}

/// A list of places, the first few named.
fn places(items: &[String]) -> String {
    const SHOWN: usize = 6;
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(", and {} more", items.len() - SHOWN));
    }
    text
}

/// Operations whose request body is `multipart/form-data` are removed (progenitor has no
/// multipart support).
fn drop_multipart(document: &mut Value) -> Option<String> {
    let mut dropped = Vec::new();
    // Bodies shared through `#/components/requestBodies` (swagger2openapi puts a form body
    // that several operations use there).
    let shared: BTreeSet<String> = document
        .pointer("/components/requestBodies")
        .and_then(Value::as_object)
        .map(|bodies| {
            bodies
                .iter()
                .filter(|(_, body)| is_multipart(body))
                .map(|(name, _)| format!("#/components/requestBodies/{name}"))
                .collect()
        })
        .unwrap_or_default();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            item.retain(|method, operation| {
                let multipart = METHODS.contains(&method.as_str())
                    && operation.get("requestBody").is_some_and(|body| {
                        is_multipart(body)
                            || body
                                .get("$ref")
                                .and_then(Value::as_str)
                                .is_some_and(|r| shared.contains(r))
                    });
                if multipart {
                    dropped.push(format!("{} {path}", method.to_uppercase()));
                }
                !multipart
            });
        }
        paths.retain(|_, item| {
            item.as_object()
                .is_none_or(|i| i.keys().any(|k| METHODS.contains(&k.as_str())))
        });
    }
    (!dropped.is_empty()).then(|| {
        format!(
            "{} operations with a multipart/form-data body dropped: {}",
            dropped.len(),
            places(&dropped)
        )
    })
}

fn is_multipart(body: &Value) -> bool {
    body.get("content")
        .and_then(Value::as_object)
        .is_some_and(|c| c.contains_key("multipart/form-data"))
}

/// Operations without an `operationId` get `<method>_<path words>` (progenitor names its
/// methods after operationIds and requires them).
fn synthesize_operation_ids(document: &mut Value) -> Option<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for (_, _, operation) in operations(document) {
        if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
            taken.insert(id.to_string());
        }
    }
    let mut made = 0;
    let mut total = 0;
    let mut examples = Vec::new();
    for (method, path, operation) in operations(document) {
        total += 1;
        if operation.contains_key("operationId") {
            continue;
        }
        let words: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(param) => format!("by_{param}"),
                    None => s.to_string(),
                },
            )
            .collect();
        let base = format!("{method}_{}", words.join("_")).to_snake_case();
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        if examples.len() < 3 {
            examples.push(format!("{} {path} → {id}", method.to_uppercase()));
        }
        operation.insert("operationId".into(), Value::String(id));
        made += 1;
    }
    (made > 0).then(|| {
        format!(
            "operationId synthesized from method and path for {made} of {total} operations (e.g. {})",
            examples.join("; ")
        )
    })
}

/// The body a response carries, to compare responses by (`Null` for none).
fn body_of(response: &Value) -> Value {
    match response.get("content") {
        Some(content) if content.as_object().is_some_and(|c| !c.is_empty()) => content.clone(),
        _ => response.get("$ref").cloned().unwrap_or(Value::Null),
    }
}

/// Where an operation's success responses differ in their bodies (a JSON 200 beside an empty
/// 204 in the vendor spec; the overlay's 202 job answer beside a 201 or a 204), the ones unlike
/// the first success response are removed: progenitor wants one success type. The first is the
/// lowest code, 202 counted last: it is what `is_async=true` answers, not the usual answer.
fn one_success_type(document: &mut Value) -> Vec<String> {
    // The removed codes → the operations they were removed from.
    let mut removed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (method, path, operation) in operations(document) {
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let mut success: Vec<&String> = responses.keys().filter(|c| c.starts_with('2')).collect();
        success.sort_by_key(|c| (c.as_str() == "202", c.as_str()));
        let Some(first) = success.first().map(|c| body_of(&responses[c.as_str()])) else {
            continue;
        };
        let unlike: Vec<String> = success
            .into_iter()
            .filter(|c| body_of(&responses[c.as_str()]) != first)
            .cloned()
            .collect();
        if unlike.is_empty() {
            continue;
        }
        for code in &unlike {
            responses.remove(code);
        }
        removed
            .entry(unlike.join(", "))
            .or_default()
            .push(format!("{} {path}", method.to_uppercase()));
    }
    removed
        .into_iter()
        .map(|(codes, operations)| {
            format!(
                "one success type: {codes} removed from {} operations whose usual success response has another body: {}",
                operations.len(),
                places(&operations)
            )
        })
        .collect()
}

/// Where an operation's error responses carry different schemas, only those with the schema
/// of the first one stay (progenitor wants one error type).
fn one_error_schema(document: &mut Value) -> Option<String> {
    let mut changed = Vec::new();
    for (method, path, operation) in operations(document) {
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let error = |code: &String| !code.starts_with('2');
        let schemas: BTreeMap<String, Value> = responses
            .iter()
            .filter(|(c, _)| error(c))
            .map(|(c, r)| (c.clone(), body_of(r)))
            .collect();
        let Some(first) = schemas.values().next().cloned() else {
            continue;
        };
        let other: Vec<String> = schemas
            .iter()
            .filter(|(_, s)| **s != first)
            .map(|(c, _)| c.clone())
            .collect();
        if !other.is_empty() {
            for code in &other {
                responses.remove(code);
            }
            changed.push(format!(
                "{} {path} ({})",
                method.to_uppercase(),
                other.join(", ")
            ));
        }
    }
    (!changed.is_empty()).then(|| {
        format!(
            "{} operations have error responses with differing schemas: all but the first schema's removed: {}",
            changed.len(),
            places(&changed)
        )
    })
}

/// Properties of one schema whose names are equal in snake_case (`fooBar` and `foo_bar`)
/// would become one Rust field; the later ones are renamed with a `_2` suffix (the wire
/// name changes, which a benchmark can live with).
fn rename_snake_case_collisions(document: &mut Value) -> Option<String> {
    let mut renamed = Vec::new();
    rename_in(document, "#", &mut renamed);
    (!renamed.is_empty()).then(|| {
        format!(
            "{} properties renamed where two names of one schema are equal in snake_case: {}",
            renamed.len(),
            places(&renamed)
        )
    })
}

fn rename_in(value: &mut Value, pointer: &str, renamed: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let mut renames = Vec::new();
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                let mut seen: BTreeSet<String> = BTreeSet::new();
                let keys: Vec<String> = properties.keys().cloned().collect();
                for key in keys {
                    if seen.insert(key.to_snake_case()) {
                        continue;
                    }
                    let mut n = 2;
                    let mut new = format!("{key}_{n}");
                    while seen.contains(&new.to_snake_case()) || properties.contains_key(&new) {
                        n += 1;
                        new = format!("{key}_{n}");
                    }
                    seen.insert(new.to_snake_case());
                    if let Some(schema) = properties.remove(&key) {
                        properties.insert(new.clone(), schema);
                    }
                    renames.push((key, new));
                }
            }
            for (old, new) in renames {
                if let Some(Value::Array(required)) = map.get_mut("required") {
                    for name in required.iter_mut() {
                        if name.as_str() == Some(old.as_str()) {
                            *name = Value::String(new.clone());
                        }
                    }
                }
                renamed.push(format!("{pointer}/properties/{old} → {new}"));
            }
            for (key, child) in map.iter_mut() {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                rename_in(child, &format!("{pointer}/{escaped}"), renamed);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                rename_in(child, &format!("{pointer}/{i}"), renamed);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_patch_changes_what_progenitor_refuses_and_says_so() {
        let mut document = json!({
            "openapi": "3.0.0",
            "paths": {
                "/volume": {
                    "get": {"responses": {
                        "200": {"content": {"application/json": {"schema": {"type": "array"}}}},
                        "206": {"content": {"application/json": {"schema": {"type": "array"}}}},
                        "204": {"description": "nothing"},
                        "400": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}}}},
                        "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/F"}}}}
                    }},
                    "post": {"operationId": "get_volume", "responses": {"201": {"description": "made"}}}
                },
                "/upload": {"post": {"requestBody": {"content": {"multipart/form-data": {}}}}}
            },
            "components": {"schemas": {"V": {
                "properties": {"fooBar": {"type": "string"}, "foo_bar": {"type": "string"}},
                "required": ["foo_bar"]
            }}}
        });
        let changes = for_progenitor(&mut document);
        assert_eq!(changes.len(), 5, "{changes:#?}");
        assert!(document.pointer("/paths/~1upload").is_none());
        // The synthesized name does not take the one the spec already uses.
        assert_eq!(
            document["paths"]["/volume"]["get"]["operationId"],
            "get_volume_2"
        );
        let responses = &document["paths"]["/volume"]["get"]["responses"];
        assert!(responses.get("204").is_none() && responses.get("200").is_some());
        assert!(responses.get("404").is_none() && responses.get("400").is_some());
        let schema = &document["components"]["schemas"]["V"];
        assert!(schema["properties"].get("foo_bar_2").is_some());
        assert_eq!(schema["required"], json!(["foo_bar_2"]));
        assert!(changes[4].contains("#/components/schemas/V/properties/foo_bar → foo_bar_2"));
        // A second pass finds nothing left to change.
        assert!(for_progenitor(&mut document).is_empty());
    }
}
