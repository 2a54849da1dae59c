//! Lenient, located reading of a spec document.
//!
//! Normalization reads the document through this view instead of through a typed model
//! of OpenAPI. Real specs break the typed models in small ways (a `type: bool`, a
//! non-string `$ref`, a missing `info.version`, a keyword of JSON Schema 2020-12 that
//! OpenAPI 3.0 lacks), and a typed parse turns each such defect into an error for the
//! whole spec, located at whatever node the parser was in when it gave up. Here every
//! node carries its own JSON pointer, every accessor accepts what it can, and a value
//! of the wrong shape becomes a warning at that node's pointer while the rest of the
//! spec is still read. One reader serves Swagger 2.0 (after [`crate::upgrade`]),
//! OpenAPI 3.0, 3.1 and 3.2: the dialects differ in a few keywords, which the schema
//! conversion asks about, not in how the document is walked.

use std::cell::RefCell;

use serde_json::{Map, Value};

use crate::error::{join_pointer, Error, Location, Warning, WarningKind};
use crate::load::Dialect;

/// The whole (upgraded) document, with the warnings found while reading it.
pub struct Spec<'a> {
    /// The file name for messages.
    pub file: &'a str,
    /// The dialect the user wrote.
    pub dialect: Dialect,
    /// The document after [`crate::upgrade`].
    pub root: &'a Value,
    warnings: RefCell<Vec<Warning>>,
}

/// A node of the document and where it is.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// The value.
    pub value: &'a Value,
    /// Its JSON pointer in the upgraded document.
    pub at: String,
}

/// What a `$ref` (if any) on a node says.
pub enum Reference<'a> {
    /// The node has no `$ref`.
    None,
    /// The node refers to the node given, found at its pointer.
    Found(Node<'a>),
    /// The `$ref` could not be followed; a warning has been recorded.
    Broken,
}

/// The longest chain of `$ref`s to `$ref`s that is followed.
const MAX_REF_CHAIN: usize = 64;

impl<'a> Spec<'a> {
    /// A reader over `root`.
    pub fn new(file: &'a str, dialect: Dialect, root: &'a Value) -> Self {
        Spec {
            file,
            dialect,
            root,
            warnings: RefCell::new(Vec::new()),
        }
    }

    /// The root node.
    pub fn root_node(&self) -> Node<'a> {
        Node {
            value: self.root,
            at: String::new(),
        }
    }

    /// The user's pointer for a pointer into the upgraded document.
    pub fn original(&self, pointer: &str) -> String {
        crate::upgrade::original_pointer(self.root, self.dialect, pointer)
    }

    /// The location of a pointer into the upgraded document, as the user sees it.
    pub fn location(&self, pointer: &str) -> Location {
        Location::pointer(self.file, self.original(pointer))
    }

    /// Records a warning at a pointer into the upgraded document.
    pub fn warn(&self, kind: WarningKind, pointer: &str, message: impl Into<String>) {
        let warning = Warning::new(kind, self.location(pointer), message);
        self.warnings.borrow_mut().push(warning);
    }

    /// Records an already located warning.
    pub fn push(&self, warning: Warning) {
        self.warnings.borrow_mut().push(warning);
    }

    /// An error at a pointer into the upgraded document.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::at(self.file, self.original(pointer), message)
    }

    /// The warnings recorded so far, leaving none behind.
    pub fn take_warnings(&self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings.borrow_mut())
    }

    /// A `$ref` as the user wrote it (Swagger's `#/definitions/` rather than the upgraded
    /// `#/components/schemas/`).
    pub fn shown_ref(&self, reference: &str) -> String {
        crate::upgrade::original_ref(self.dialect, reference)
    }

    /// Follows the `$ref` of `node`, if it has one. A chain of references is followed to
    /// its end. A reference that cannot be followed (dangling, into another file, not a
    /// string, a cycle of references) is a warning at the `$ref` itself.
    pub fn follow(&self, node: &Node<'a>) -> Reference<'a> {
        let mut current = node.clone();
        let mut followed = 0;
        let first_at = join_pointer(&node.at, "$ref");
        loop {
            let Some(reference) = current.value.get("$ref") else {
                return if followed == 0 {
                    Reference::None
                } else {
                    Reference::Found(current)
                };
            };
            let at = join_pointer(&current.at, "$ref");
            let Some(reference) = reference.as_str() else {
                self.warn(
                    WarningKind::NonStringRef,
                    &at,
                    format!(
                        "`$ref` must be a string, found {}; using serde_json::Value",
                        short(reference)
                    ),
                );
                return Reference::Broken;
            };
            followed += 1;
            if followed > MAX_REF_CHAIN {
                let first = node
                    .value
                    .get("$ref")
                    .and_then(Value::as_str)
                    .unwrap_or(reference);
                self.warn(
                    WarningKind::DanglingRef,
                    &first_at,
                    format!(
                        "$ref {} only leads to more references (a cycle); using serde_json::Value",
                        self.shown_ref(first)
                    ),
                );
                return Reference::Broken;
            }
            match self.resolve(reference) {
                Ok(target) => current = target,
                Err(problem) => {
                    let (kind, message) = match problem {
                        RefProblem::External => (
                            WarningKind::ExternalRef,
                            format!(
                                "$ref {reference:?} points outside this file; using serde_json::Value"
                            ),
                        ),
                        RefProblem::Dangling => (
                            WarningKind::DanglingRef,
                            format!(
                                "$ref target {} does not exist; using serde_json::Value",
                                self.shown_ref(reference)
                            ),
                        ),
                    };
                    self.warn(kind, &at, message);
                    return Reference::Broken;
                }
            }
        }
    }

    /// The node a local `$ref` names.
    fn resolve(&self, reference: &str) -> Result<Node<'a>, RefProblem> {
        let Some(fragment) = reference.strip_prefix('#') else {
            return Err(RefProblem::External);
        };
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            // `#foo` names an anchor (`$anchor`), which is not searched for.
            return Err(RefProblem::Dangling);
        }
        match self.root.pointer(&pointer) {
            Some(value) => Ok(Node { value, at: pointer }),
            None => Err(RefProblem::Dangling),
        }
    }
}

enum RefProblem {
    External,
    Dangling,
}

impl<'a> Node<'a> {
    /// The child at `key` of an object node.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).map(|value| Node {
            value,
            at: join_pointer(&self.at, key),
        })
    }

    /// The pointer of a child key, whether or not it exists.
    pub fn child_at(&self, key: &str) -> String {
        join_pointer(&self.at, key)
    }

    /// Whether the node is an object with `key`.
    pub fn has(&self, key: &str) -> bool {
        self.value.get(key).is_some()
    }

    /// The object's entries, or none when it is not an object.
    pub fn map(&self) -> Option<&'a Map<String, Value>> {
        self.value.as_object()
    }

    /// A string child; a present child of another type is a warning and reads as absent.
    pub fn str(&self, spec: &Spec<'_>, key: &str) -> Option<&'a str> {
        match self.value.get(key)? {
            Value::String(s) => Some(s),
            Value::Null => None,
            other => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &self.child_at(key),
                    format!("`{key}` must be a string, found {}; ignored", short(other)),
                );
                None
            }
        }
    }

    /// A boolean child; another type is a warning and reads as absent.
    pub fn bool(&self, spec: &Spec<'_>, key: &str) -> Option<bool> {
        match self.value.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            Value::String(s) if s == "true" || s == "false" => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &self.child_at(key),
                    format!("`{key}` must be a boolean, found the string {s:?}; read as {s}"),
                );
                Some(s == "true")
            }
            other => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &self.child_at(key),
                    format!("`{key}` must be a boolean, found {}; ignored", short(other)),
                );
                None
            }
        }
    }

    /// A number child; another type is a warning and reads as absent.
    pub fn number(&self, spec: &Spec<'_>, key: &str) -> Option<f64> {
        match self.value.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::Null => None,
            Value::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &self.child_at(key),
                    format!("`{key}` must be a number, found the string {s:?}; read as {s}"),
                );
                s.trim().parse().ok()
            }
            other => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &self.child_at(key),
                    format!("`{key}` must be a number, found {}; ignored", short(other)),
                );
                None
            }
        }
    }

    /// A non-negative integer child (a length or count).
    pub fn count(&self, spec: &Spec<'_>, key: &str) -> Option<u64> {
        let n = self.number(spec, key)?;
        if n >= 0.0 && n.fract() == 0.0 && n <= u64::MAX as f64 {
            Some(n as u64)
        } else {
            spec.warn(
                WarningKind::InvalidKeyword,
                &self.child_at(key),
                format!("`{key}` must be a non-negative integer, found {n}; ignored"),
            );
            None
        }
    }

    /// The entries of an object child, in document order; another type is a warning.
    pub fn entries(&self, spec: &Spec<'_>, key: &str) -> Vec<(&'a str, Node<'a>)> {
        let Some(child) = self.get(key) else {
            return Vec::new();
        };
        child.entries_here(spec, key)
    }

    /// The entries of this node, which should be an object (`what` names it in a warning).
    pub fn entries_here(&self, spec: &Spec<'_>, what: &str) -> Vec<(&'a str, Node<'a>)> {
        match self.value {
            Value::Object(map) => map
                .iter()
                .map(|(k, value)| {
                    (
                        k.as_str(),
                        Node {
                            value,
                            at: join_pointer(&self.at, k),
                        },
                    )
                })
                .collect(),
            Value::Null => Vec::new(),
            other => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &self.at,
                    format!(
                        "`{what}` must be an object, found {}; ignored",
                        short(other)
                    ),
                );
                Vec::new()
            }
        }
    }

    /// The items of an array child; another type is a warning.
    pub fn items(&self, spec: &Spec<'_>, key: &str) -> Vec<Node<'a>> {
        let Some(child) = self.get(key) else {
            return Vec::new();
        };
        match child.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, value)| Node {
                    value,
                    at: format!("{}/{i}", child.at),
                })
                .collect(),
            Value::Null => Vec::new(),
            // A single schema where a list was meant: read as a list of one.
            Value::Object(_) => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &child.at,
                    format!("`{key}` must be an array, found an object; read as an array of one"),
                );
                vec![child]
            }
            other => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &child.at,
                    format!("`{key}` must be an array, found {}; ignored", short(other)),
                );
                Vec::new()
            }
        }
    }

    /// The strings of an array-of-strings child (`required`, `produces`); other items
    /// are a warning.
    pub fn strings(&self, spec: &Spec<'_>, key: &str) -> Vec<&'a str> {
        self.items(spec, key)
            .into_iter()
            .filter_map(|item| match item.value {
                Value::String(s) => Some(s.as_str()),
                other => {
                    spec.warn(
                        WarningKind::InvalidKeyword,
                        &item.at,
                        format!("`{key}` must hold strings, found {}; ignored", short(other)),
                    );
                    None
                }
            })
            .collect()
    }

    /// The vendor extension `key` (`x-...`), as JSON.
    pub fn extension(&self, key: &str) -> Option<&'a Value> {
        self.value.get(key)
    }
}

/// A value as a short text for messages: scalars as written, containers by kind.
pub fn short(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "an array".into(),
        Value::String(s) if s.chars().count() > 40 => {
            format!("{:?}…", s.chars().take(40).collect::<String>())
        }
        other => other.to_string(),
    }
}

/// `%xx` escapes in a URI fragment decoded (`#/components/schemas/My%20Type`).
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_followed_and_broken_ones_warned_at_the_ref() {
        let doc = json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "C": {"$ref": "#/components/schemas/Missing"},
                "D": {"$ref": 42},
                "E": {"$ref": "other.yaml#/X"},
                "F": {"$ref": "#/components/schemas/G"},
                "G": {"$ref": "#/components/schemas/F"},
                "My Type": {"type": "integer"},
                "H": {"$ref": "#/components/schemas/My%20Type"}
            }}
        });
        let spec = Spec::new("t.yaml", Dialect::OpenApi3, &doc);
        let node = |name: &str| {
            spec.root_node()
                .get("components")
                .unwrap()
                .get("schemas")
                .unwrap()
                .get(name)
                .unwrap()
        };
        match spec.follow(&node("A")) {
            Reference::Found(n) => assert_eq!(n.at, "/components/schemas/B"),
            _ => panic!("A resolves"),
        }
        match spec.follow(&node("H")) {
            Reference::Found(n) => assert_eq!(n.value["type"], "integer"),
            _ => panic!("H resolves"),
        }
        assert!(matches!(spec.follow(&node("B")), Reference::None));
        for name in ["C", "D", "E", "F"] {
            assert!(
                matches!(spec.follow(&node(name)), Reference::Broken),
                "{name}"
            );
        }
        let warnings = spec.take_warnings();
        let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            shown,
            [
                "warning[dangling_ref]: t.yaml#/components/schemas/C/$ref: $ref target #/components/schemas/Missing does not exist; using serde_json::Value",
                "warning[non_string_ref]: t.yaml#/components/schemas/D/$ref: `$ref` must be a string, found 42; using serde_json::Value",
                "warning[external_ref]: t.yaml#/components/schemas/E/$ref: $ref \"other.yaml#/X\" points outside this file; using serde_json::Value",
                "warning[dangling_ref]: t.yaml#/components/schemas/F/$ref: $ref #/components/schemas/G only leads to more references (a cycle); using serde_json::Value",
            ]
        );
    }

    #[test]
    fn wrong_shapes_are_warned_where_they_are() {
        let doc = json!({"required": "name", "properties": [], "maxLength": "12", "items": {"type": "string"}});
        let spec = Spec::new("t.json", Dialect::OpenApi3, &doc);
        let root = spec.root_node();
        assert!(root.strings(&spec, "required").is_empty());
        assert!(root.entries(&spec, "properties").is_empty());
        assert_eq!(root.count(&spec, "maxLength"), Some(12));
        assert_eq!(root.items(&spec, "items").len(), 1);
        let pointers: Vec<String> = spec
            .take_warnings()
            .iter()
            .map(|w| w.location.to_string())
            .collect();
        assert_eq!(
            pointers,
            [
                "t.json#/required",
                "t.json#/properties",
                "t.json#/maxLength",
                "t.json#/items"
            ]
        );
    }
}
