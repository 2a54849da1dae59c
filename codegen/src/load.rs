//! Turns spec text into a JSON value and tells which dialect it is.
//!
//! This stage knows nothing about OpenAPI semantics. It exists so that syntax
//! errors are reported with a line and column, before any later stage can only
//! speak in JSON pointers. JSON and YAML are told apart by content, not by file
//! name: a document whose first significant character is `{` is JSON.

use serde_json::{Map, Value};

use crate::error::{Error, Location, Place, Warning, WarningKind};

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

    /// A source from the bytes of a file, which must be UTF-8 (a byte-order mark is
    /// allowed); the first byte that is not is reported with its line and column.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, Error> {
        let name = name.into();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source { name, text }),
            Err(e) => {
                let bytes = e.as_bytes();
                let at = e.utf8_error().valid_up_to();
                let before = String::from_utf8_lossy(&bytes[..at]);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                Err(Error::at_line(
                    &name,
                    line,
                    column,
                    format!(
                        "the file is not UTF-8 text: byte 0x{:02x} at offset {at} cannot start a character",
                        bytes[at]
                    ),
                ))
            }
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
    /// OpenAPI 3.1.x, whose schemas are JSON Schema 2020-12; also 3.2.x, which only
    /// adds to 3.1.
    OpenApi31,
}

impl Dialect {
    /// How the dialect is usually written.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Swagger2 => "Swagger 2.0",
            Dialect::OpenApi3 => "OpenAPI 3.0",
            Dialect::OpenApi31 => "OpenAPI 3.1",
        }
    }
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
        serde_json::from_str(source.text.trim_start_matches('\u{feff}')).map_err(|e| {
            Error::at_line(
                &source.name,
                e.line(),
                e.column(),
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            )
        })
    } else {
        if let Some(line) = second_document(&source.text) {
            return Err(Error::at_line(
                &source.name,
                line,
                1,
                "the file holds more than one YAML document; a spec is one document",
            ));
        }
        let yaml: FromYaml = serde_yaml::from_str(&source.text).map_err(|e| {
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
                more: Vec::new(),
            }
        })?;
        Ok(yaml.0)
    }
}

/// Tells the dialect by the version field. A version written as a number (YAML's
/// `openapi: 3.1` without quotes) is read as its text, with a warning.
pub fn dialect(
    file: &str,
    document: &Value,
    warnings: &mut Vec<Warning>,
) -> Result<Dialect, Error> {
    let Some(object) = document.as_object() else {
        return Err(Error::at(
            file,
            "",
            "a spec must be an object at the top level",
        ));
    };
    let mut text = |key: &str, version: &Value| -> Option<String> {
        match version {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => {
                warnings.push(Warning::new(
                    WarningKind::InvalidKeyword,
                    Location::pointer(file, format!("/{key}")),
                    format!("`{key}` must be a string; read the number {n} as \"{n}\""),
                ));
                Some(n.to_string())
            }
            _ => None,
        }
    };
    if let Some(version) = object.get("swagger") {
        return match text("swagger", version).as_deref() {
            Some("2.0" | "2") => Ok(Dialect::Swagger2),
            _ => Err(Error::at(
                file,
                "/swagger",
                format!("unsupported Swagger version {version}; only 2.0 is read"),
            )),
        };
    }
    if let Some(version) = object.get("openapi") {
        let shown = text("openapi", version);
        let mut parts = shown.as_deref().unwrap_or("").split('.');
        return match (parts.next(), parts.next()) {
            (Some("3"), Some("0")) => Ok(Dialect::OpenApi3),
            (Some("3"), Some("1" | "2")) => Ok(Dialect::OpenApi31),
            _ => Err(Error::at(
                file,
                "/openapi",
                format!("unsupported OpenAPI version {version}; 3.0, 3.1 and 3.2 are read"),
            )),
        };
    }
    Err(Error::at(
        file,
        "",
        "not an OpenAPI document: neither a `swagger` nor an `openapi` field at the top level",
    ))
}

/// The line where a second YAML document starts, if the text holds more than one.
fn second_document(text: &str) -> Option<usize> {
    let mut seen_content = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            if seen_content {
                return Some(i + 1);
            }
            continue;
        }
        if trimmed == "..." {
            continue;
        }
        let content = trimmed.trim_start();
        if !content.is_empty() && !content.starts_with('#') && !content.starts_with('%') {
            seen_content = true;
        }
    }
    None
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

/// A JSON value read straight from YAML.
///
/// Read by a visitor of its own rather than through `serde_yaml::Value`, which cannot
/// hold integers beyond 64 bits (real specs write `minimum: -9223372036854776000`); such
/// numbers become floats, as JSON parsers read them. YAML also allows keys that JSON does
/// not (numbers and booleans: `200:` in a responses map); specs mean them as strings,
/// so they become strings. Tags are dropped, merge keys (`<<`) are applied.
struct FromYaml(Value);

impl<'de> serde::Deserialize<'de> for FromYaml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(FromYaml)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => self.visit_f64(v as f64),
        }
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => self.visit_f64(v as f64),
        }
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} has no JSON form")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(YamlVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(FromYaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error as _;
        let mut out = Map::new();
        let mut merged = Vec::new();
        while let Some(FromYaml(key)) = map.next_key()? {
            let FromYaml(value) = map.next_value()?;
            let key = match key {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_string(),
                _ => return Err(A::Error::custom("a mapping key must be a scalar")),
            };
            if key == "<<" {
                merged.push(value);
            } else {
                out.insert(key, value);
            }
        }
        for source in merged {
            let maps = match source {
                Value::Array(items) => items,
                other => vec![other],
            };
            for map in maps {
                if let Value::Object(entries) = map {
                    for (k, v) in entries {
                        out.entry(k).or_insert(v);
                    }
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        // A tagged value (`!Tag value`): the tag is dropped.
        let (_, variant): (FromYaml, _) = data.variant()?;
        variant.newtype_variant::<FromYaml>().map(|v| v.0)
    }
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
    fn yaml_big_integers_merges_and_tags_read() {
        let v = load("a: -9223372036854776000\nb: 18446744073709551616\nbase: &b {x: 1}\nc:\n  <<: *b\n  y: 2\nd: !custom 5\n").unwrap();
        assert_eq!(v["a"].as_f64(), Some(-9223372036854776000.0));
        assert!(v["b"].is_f64());
        assert_eq!(v["c"], serde_json::json!({"y": 2, "x": 1}));
        assert_eq!(v["d"], 5);
    }

    #[test]
    fn dialects_are_told_apart() {
        let of = |text: &str| dialect("t", &load(text).unwrap(), &mut Vec::new());
        assert_eq!(of("{\"swagger\":\"2.0\"}").unwrap(), Dialect::Swagger2);
        assert_eq!(of("openapi: 3.0.3").unwrap(), Dialect::OpenApi3);
        assert_eq!(of("openapi: 3.1.0").unwrap(), Dialect::OpenApi31);
        assert_eq!(of("openapi: 3.2.0").unwrap(), Dialect::OpenApi31);
        let mut warnings = Vec::new();
        assert_eq!(
            dialect("t", &load("openapi: 3.1").unwrap(), &mut warnings).unwrap(),
            Dialect::OpenApi31
        );
        assert_eq!(warnings.len(), 1);
        let e = of("openapi: 4.0.0").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t#/openapi: unsupported OpenAPI version \"4.0.0\"; 3.0, 3.1 and 3.2 are read"
        );
        assert!(of("{}").is_err());
    }

    #[test]
    fn several_yaml_documents_and_bad_bytes_are_located() {
        let e = load("openapi: 3.0.0\npaths: {}\n---\nopenapi: 3.0.0\n").unwrap_err();
        assert_eq!(e.location.place, Place::LineColumn(3, 1));
        assert!(load("---\nopenapi: 3.0.0\n").is_ok());
        let e = Source::from_bytes("t", b"openapi: 3.0.0\ninfo: caf\xe9\n".to_vec()).unwrap_err();
        assert_eq!(e.location.place, Place::LineColumn(2, 10));
        assert!(e.message.contains("0xe9"), "{e}");
    }
}
