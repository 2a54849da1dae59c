//! Turns spec text into a JSON value and tells which dialect it is.
//!
//! This stage knows nothing about OpenAPI semantics. It exists so that syntax
//! errors are reported with a line and column, before any later stage can only
//! speak in JSON pointers. JSON and YAML are told apart by content, not by file
//! name: a document whose first significant character is `{` is JSON.

use serde_json::{Map, Value};

use crate::error::{Error, Location, Place};

/// A spec or overlay as the user gave it.
#[derive(Debug, Clone)]
pub struct Source {
    /// How to name the file in messages (usually its path).
    pub name: String,
    /// The text.
    pub text: String,
}

impl Source {
    /// A source from a name and its text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// The spec dialects the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi3,
}

/// Parses JSON or YAML text into a JSON value.
pub fn parse(source: &Source) -> Result<Value, Error> {
    let first = source
        .text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next();
    if first == Some('{') {
        serde_json::from_str(&source.text).map_err(|e| Error {
            location: Location {
                file: source.name.clone(),
                place: Place::LineColumn(e.line(), e.column()),
            },
            message: format!("invalid JSON: {}", strip_position(&e.to_string())),
        })
    } else {
        let yaml: serde_yaml::Value = serde_yaml::from_str(&source.text).map_err(|e| {
            let place = e
                .location()
                .map(|l| Place::LineColumn(l.line(), l.column()))
                .unwrap_or(Place::File);
            Error {
                location: Location {
                    file: source.name.clone(),
                    place,
                },
                message: format!("invalid YAML: {}", strip_position(&e.to_string())),
            }
        })?;
        yaml_to_json(yaml, "")
            .map_err(|(pointer, message)| Error::at(&source.name, pointer, message))
    }
}

/// Tells Swagger 2.0 from OpenAPI 3.0 by the version field.
pub fn dialect(file: &str, document: &Value) -> Result<Dialect, Error> {
    let Some(object) = document.as_object() else {
        return Err(Error::at(
            file,
            "",
            "a spec must be an object at the top level",
        ));
    };
    if let Some(version) = object.get("swagger") {
        return match version.as_str() {
            Some("2.0") => Ok(Dialect::Swagger2),
            _ => Err(Error::at(
                file,
                "/swagger",
                format!("unsupported Swagger version {version}; only 2.0 is read"),
            )),
        };
    }
    if let Some(version) = object.get("openapi") {
        return match version.as_str() {
            Some(v) if v.starts_with("3.0") => Ok(Dialect::OpenApi3),
            _ => Err(Error::at(
                file,
                "/openapi",
                format!("unsupported OpenAPI version {version}; only 3.0.x is read"),
            )),
        };
    }
    Err(Error::at(
        file,
        "",
        "not an OpenAPI document: neither a `swagger` nor an `openapi` field at the top level",
    ))
}

/// serde's messages say "at line L column C", which the location already says.
fn strip_position(message: &str) -> String {
    let mut out = message.to_string();
    let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    while let Some(start) = out.find(" at line ") {
        let rest = &out[start + " at line ".len()..];
        let line_end = digits(rest);
        let Some(column) = rest[line_end..].strip_prefix(" column ") else {
            break;
        };
        let end = start + " at line ".len() + line_end + " column ".len() + digits(column);
        out.replace_range(start..end, "");
    }
    out
}

/// YAML allows keys that JSON does not (numbers, booleans: `200:` in a
/// responses map); specs mean them as strings, so they become strings.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        (
                            pointer.to_string(),
                            format!("the number {n} has no JSON form"),
                        )
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    _ => {
                        return Err((
                            pointer.to_string(),
                            "a mapping key must be a scalar".to_string(),
                        ))
                    }
                };
                let child = crate::error::join_pointer(pointer, &key);
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Value, Error> {
        parse(&Source::new("t", text))
    }

    #[test]
    fn json_errors_have_line_and_column() {
        let e = load("{\n \"a\": 1\n \"b\": 2\n}").unwrap_err();
        assert_eq!(e.location.place, Place::LineColumn(3, 2));
        assert!(
            e.message.starts_with("invalid JSON: expected `,` or `}`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn yaml_errors_have_line_and_column() {
        let e = load("a: 1\n  b: 2\n").unwrap_err();
        assert!(matches!(e.location.place, Place::LineColumn(2, _)), "{e}");
        assert!(e.message.starts_with("invalid YAML:"), "{}", e.message);
    }

    #[test]
    fn yaml_number_keys_become_strings() {
        let v = load("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn dialects_are_told_apart() {
        assert_eq!(
            dialect("t", &load("{\"swagger\":\"2.0\"}").unwrap()).unwrap(),
            Dialect::Swagger2
        );
        assert_eq!(
            dialect("t", &load("openapi: 3.0.3").unwrap()).unwrap(),
            Dialect::OpenApi3
        );
        let e = dialect("t", &load("openapi: 3.1.0").unwrap()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t#/openapi: unsupported OpenAPI version \"3.1.0\"; only 3.0.x is read"
        );
        assert!(dialect("t", &load("{}").unwrap()).is_err());
    }
}
