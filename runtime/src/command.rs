//! What a command line needs from a generated client, without depending on a
//! command-line crate: each operation's description ([`Info`]), and the pieces a
//! generated `<Op>Command` (the `cli` feature) uses to build its request from flags and
//! a body file.
//!
//! A command line (the `migrate api` command, or any other built on a generated crate)
//! parses the generated clap types, calls their `request()`, and then sends it, pages
//! through it ([`Paging`]) or waits for what it started ([`ThenWait`]) as the
//! operation's [`Info`] says.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::waiter::Rule;
use crate::{Error, Request, ValidationError};

/// One operation, for a command line.
#[derive(Debug, Clone, Copy)]
pub struct Info {
    /// The client method's name (`import_session_create`).
    pub name: &'static str,
    /// The command's name (`import-session-create`).
    pub command: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path as the spec writes it.
    pub path: &'static str,
    /// The spec's summary (or the first sentence of its description).
    pub summary: &'static str,
    /// Whether its body is JSON (`--body FILE` is read as JSON or YAML); a command whose body
    /// is not JSON takes the `--body` file as bytes.
    pub body: bool,
    /// How it pages, if it does.
    pub paging: Option<Paging>,
    /// The waiters that poll this operation.
    pub waiters: &'static [&'static Rule],
    /// What to wait for after this operation answers, by status.
    pub then_wait: &'static [ThenWait],
}

/// How an operation's results come page by page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `offset`/`limit` with `Content-Range` (`crate::paging::content_range`).
    ContentRange {
        /// The largest page.
        max_page_size: u32,
    },
    /// Links to the next page (`crate::paging::next_link`).
    NextLink {
        /// The JSON pointer of the items.
        items: &'static str,
        /// The JSON pointer of the link.
        next: &'static str,
        /// The link's `rel` in a list of links.
        rel: &'static str,
    },
}

/// Work an answer starts, and the waiter that follows it (`x-migrate-wait`).
#[derive(Debug, Clone, Copy)]
pub struct ThenWait {
    /// The answer's status this applies to (`None`: any success).
    pub status: Option<u16>,
    /// The waiter.
    pub rule: &'static Rule,
    /// JSON pointer of the id to wait on in the answer; a `*` segment stands for each
    /// item of a list (`/task/*/id`: every task).
    pub id: &'static str,
    /// The request that polls one id.
    pub poll: fn(&str) -> Result<Request, Error<Value>>,
}

impl ThenWait {
    /// The ids to wait on in an answer.
    pub fn ids(&self, answer: &Value) -> Vec<String> {
        let mut found = vec![answer];
        for token in self.id.split('/').skip(1) {
            let key = token.replace("~1", "/").replace("~0", "~");
            found = found
                .into_iter()
                .flat_map(|v| match (key.as_str(), v) {
                    ("*", Value::Array(items)) => items.iter().collect::<Vec<_>>(),
                    (key, Value::Object(map)) => map.get(key).into_iter().collect(),
                    (key, Value::Array(items)) => key
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| items.get(i))
                        .into_iter()
                        .collect(),
                    _ => Vec::new(),
                })
                .collect();
        }
        found
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect()
    }
}

/// The body of a command: the `--body` file's object (or an empty one), with the values
/// of the body's flags set over it, read as `T`. A body that does not fit (a missing
/// required field, a value of the wrong type) is a validation error naming the field and
/// how to give it.
pub fn body<T: DeserializeOwned>(
    file: Option<Value>,
    flags: impl IntoIterator<Item = (&'static str, Option<Value>)>,
) -> Result<T, ValidationError> {
    let mut object = match file {
        None => Map::new(),
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(ValidationError {
                field: "--body".into(),
                message: format!("the body must be an object, found {}", kind(&other)),
            })
        }
    };
    for (name, value) in flags {
        if let Some(value) = value.filter(|v| !v.is_null()) {
            object.insert(name.to_string(), value);
        }
    }
    T::deserialize(crate::lenient::Lenient(Value::Object(object))).map_err(|e| {
        let text = e.to_string();
        let message = match text
            .strip_prefix("missing field `")
            .and_then(|r| r.split_once('`'))
        {
            Some((field, _)) => format!(
                "the body needs `{field}`: give --{} or put it in --body",
                field.replace('_', "-")
            ),
            None => text,
        };
        ValidationError {
            field: "--body".into(),
            message,
        }
    })
}

/// An error of any operation as an error with a JSON body, so that a command line can
/// handle every operation's errors alike.
pub fn any_body<E: serde::Serialize>(error: Error<E>) -> Error<Value> {
    error.map_body(|body| serde_json::to_value(body).unwrap_or_default())
}

/// A flag's value as JSON (`None` when the flag was not given).
pub fn flag<T: serde::Serialize>(value: &Option<T>) -> Option<Value> {
    value.as_ref().and_then(|v| serde_json::to_value(v).ok())
}

/// A repeatable flag's values as one JSON list, `None` when the flag was not given.
pub fn list_flag<T: serde::Serialize>(values: &[T]) -> Option<Value> {
    if values.is_empty() {
        return None;
    }
    serde_json::to_value(values).ok()
}

/// A flag that takes JSON text (a parameter of an object or union type), read as `T`.
pub fn json_flag<T: DeserializeOwned>(
    flag: &'static str,
    text: &Option<String>,
) -> Result<Option<T>, ValidationError> {
    let Some(text) = text else { return Ok(None) };
    serde_json::from_str::<Value>(text)
        .and_then(|value| T::deserialize(crate::lenient::Lenient(value)))
        .map(Some)
        .map_err(|e| ValidationError {
            field: format!("--{flag}"),
            message: format!("not JSON of the expected shape: {e}"),
        })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_found_also_in_lists() {
        #[allow(clippy::result_large_err)]
        fn poll(_: &str) -> Result<Request, Error<Value>> {
            Ok(Request::new(reqwest::Method::GET, "/x"))
        }
        static RULE: Rule = Rule {
            name: "t",
            operation: "t",
            state: &["/state"],
            success: &["ready"],
            failure: &[],
            pending: &[],
            unknown_is_failure: false,
            progress: None,
            detail: None,
            messages: None,
            interval: std::time::Duration::from_millis(1),
            max_interval: std::time::Duration::from_millis(1),
            timeout: std::time::Duration::from_secs(1),
        };
        let each = ThenWait {
            status: Some(202),
            rule: &RULE,
            id: "/task/*/id",
            poll,
        };
        assert_eq!(
            each.ids(&json!({"task": [{"id": "a"}, {"id": "b"}, {}]})),
            ["a", "b"]
        );
        let one = ThenWait { id: "/id", ..each };
        assert_eq!(one.ids(&json!({"id": 7})), ["7"]);
        assert!(one.ids(&json!({})).is_empty());
    }

    #[test]
    fn bodies_take_flags_over_the_file_and_say_what_is_missing() {
        #[derive(Debug)]
        struct Body {
            name: String,
        }
        impl<'de> serde::Deserialize<'de> for Body {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::object::read(d, |o| {
                    Some(Body {
                        name: o.required("name")?,
                    })
                })
            }
        }
        let b: Body = body(
            Some(json!({"name": "file"})),
            [("name", Some(json!("flag")))],
        )
        .unwrap();
        assert_eq!(b.name, "flag");
        let e = body::<Body>(None, [("name", None)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--body: the body needs `name`: give --name or put it in --body"
        );
        let e = body::<Body>(Some(json!([1])), vec![]).unwrap_err();
        assert!(e.to_string().contains("must be an object"), "{e}");
    }

    #[test]
    fn a_list_flag_not_given_is_absent() {
        assert_eq!(list_flag::<String>(&[]), None);
        assert_eq!(list_flag(&["a", "b"]), Some(json!(["a", "b"])));
    }
}
