//! Applies OpenAPI Overlay 1.0 documents to a spec before it is read.
//!
//! Vendors leave things out of their specs (PowerStore declares none of the
//! query language every real client needs). Instead of special-casing a vendor
//! in the generator, the project describes the missing parts in an overlay and
//! the generator applies it to whichever spec it is given. Targets are RFC 9535
//! JSONPath expressions (`$.paths[?@.get.responses['206']].get`). Updates merge
//! as the Overlay specification says: objects recursively, arrays by appending,
//! anything else by replacement; `remove: true` deletes the target.

use serde_json::Value;

use crate::error::{Error, Warning};
use crate::load::Source;

/// Applies every action of `overlay` to `document`, in order.
///
/// A target that matches nothing is not an error (an overlay written for a
/// full vendor spec may be applied to a subset) but is reported as a warning.
pub fn apply(
    document: &mut Value,
    overlay: &Source,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let file = overlay.name.as_str();
    let parsed = crate::load::parse(overlay)?;
    match parsed.get("overlay").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.") => {}
        Some(v) => {
            return Err(Error::at(
                file,
                "/overlay",
                format!("unsupported overlay version {v:?}; only 1.x is read"),
            ))
        }
        None => {
            return Err(Error::at(
                file,
                "",
                "not an overlay document: no `overlay` version field",
            ))
        }
    }
    let Some(actions) = parsed.get("actions").and_then(Value::as_array) else {
        return Err(Error::at(
            file,
            "/actions",
            "an overlay needs an `actions` array",
        ));
    };
    for (index, action) in actions.iter().enumerate() {
        let at = format!("/actions/{index}");
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            return Err(Error::at(
                file,
                format!("{at}/target"),
                "an action needs a `target` string",
            ));
        };
        let path = serde_json_path::JsonPath::parse(target).map_err(|e| {
            Error::at(
                file,
                format!("{at}/target"),
                format!("invalid JSONPath {target:?}: {e}"),
            )
        })?;
        let pointers: Vec<String> = path
            .query_located(document)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            warnings.push(Warning::new(
                crate::error::WarningKind::Extension,
                crate::error::Location::pointer(file, format!("{at}/target")),
                format!("target {target:?} matches nothing in the spec"),
            ));
        }
        let remove = action
            .get("remove")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        // Removing from the end keeps the remaining array indexes valid.
        for pointer in pointers.iter().rev() {
            if remove {
                remove_at(document, pointer);
            } else if let Some(update) = action.get("update") {
                if let Some(node) = document.pointer_mut(pointer) {
                    merge(node, update);
                }
            } else {
                return Err(Error::at(
                    file,
                    at,
                    "an action needs `update` or `remove: true`",
                ));
            }
        }
    }
    Ok(())
}

/// Merges `update` into `target` with the Overlay 1.0 rules.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (key, value) in u {
                match t.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        t.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
        (Value::Array(t), u) => t.push(u.clone()),
        (t, u) => *t = u.clone(),
    }
}

fn remove_at(document: &mut Value, pointer: &str) {
    let Some(split) = pointer.rfind('/') else {
        return;
    };
    let (parent, last) = (&pointer[..split], &pointer[split + 1..]);
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(mut doc: Value, overlay: &str) -> (Value, Vec<Warning>) {
        let mut warnings = Vec::new();
        apply(&mut doc, &Source::new("o.yaml", overlay), &mut warnings).unwrap();
        (doc, warnings)
    }

    #[test]
    fn filters_select_operations_and_arrays_append() {
        let doc = json!({"paths": {
            "/a": {"get": {"parameters": [{"name": "x"}], "responses": {"206": {}}}},
            "/a/{id}": {"get": {"responses": {"200": {}}}}
        }});
        let overlay = "overlay: 1.0.0\nactions:\n- target: \"$.paths[?@.get.responses['206']].get\"\n  update:\n    parameters: [{name: limit}]\n    x-paged: true\n";
        let (doc, warnings) = run(doc, overlay);
        assert!(warnings.is_empty());
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"],
            json!([{"name": "x"}, {"name": "limit"}])
        );
        assert_eq!(doc["paths"]["/a"]["get"]["x-paged"], json!(true));
        assert!(doc["paths"]["/a/{id}"]["get"].get("x-paged").is_none());
    }

    #[test]
    fn remove_deletes_and_unmatched_targets_warn() {
        let doc = json!({"paths": {"/a": {"get": {}, "post": {}}}});
        let overlay = "overlay: 1.0.0\nactions:\n- target: $.paths['/a'].post\n  remove: true\n- target: $.nothing\n  update: {}\n";
        let (doc, warnings) = run(doc, overlay);
        assert_eq!(doc, json!({"paths": {"/a": {"get": {}}}}));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].location.to_string(), "o.yaml#/actions/1/target");
    }

    #[test]
    fn bad_jsonpath_is_an_error_with_a_pointer() {
        let mut doc = json!({});
        let e = apply(
            &mut doc,
            &Source::new(
                "o.yaml",
                "overlay: 1.0.0\nactions:\n- target: \"$[\"\n  update: {}\n",
            ),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("o.yaml#/actions/0/target: invalid JSONPath"),
            "{e}"
        );
    }
}
