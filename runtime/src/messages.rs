//! The messages of an error answer, read from whatever the body holds.
//!
//! A person looking at a failed call wants the service's own words, not its JSON. The three
//! services put them in different places (PowerStore: `messages[]` with `code`, `severity`,
//! `message_l10n`; ViPR: `code`, `description`, `details`; LCM: `status` and `details`), and
//! real bodies drift from their specs: `messages` arrives as a string holding an escaped array,
//! a 404 comes as plain text, a body has only a `code`, a proxy answers with an HTML page. The
//! typed error body `E` may not decode at all then, so the messages are read here from the raw
//! body with one set of field-name conventions, and never fail: the worst case is a short
//! description of what the body is.

use serde_json::{Map, Value};
use std::fmt;

/// At most this many messages are kept from one body.
const MAX_MESSAGES: usize = 10;
/// Text taken from a plain-text body, in characters.
const MAX_TEXT: usize = 300;

/// One message of a service's error answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceMessage {
    /// The service's code (`0xE04040010006`, `1008`, an LCM status).
    pub code: Option<String>,
    /// `Error`, `Warning`, `Info`, when the service says.
    pub severity: Option<String>,
    /// What the service said.
    pub text: Option<String>,
}

impl fmt::Display for ServiceMessage {
    /// `[code] severity: text`, leaving out what is absent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = &self.code {
            write!(f, "[{code}]")?;
            if self.severity.is_some() || self.text.is_some() {
                f.write_str(" ")?;
            }
        }
        if let Some(severity) = &self.severity {
            write!(f, "{severity}: ")?;
        }
        match (&self.text, &self.code) {
            (Some(text), _) => f.write_str(text),
            (None, None) => f.write_str("(no message)"),
            (None, Some(_)) => Ok(()),
        }
    }
}

/// What an error body turned out to be, for a message when it holds no service message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Empty,
    /// An HTML page, with its title.
    Html(Option<String>),
    /// JSON or XML without any message field.
    Structured,
    /// Starts like JSON but does not parse (cut short, or garbled).
    BadJson,
    Text,
}

/// Reads the messages out of an error body; `xml` turns a flat XML document into an object.
pub(crate) fn read(
    body: &str,
    xml: impl Fn(&str) -> Option<Map<String, Value>>,
) -> (Vec<ServiceMessage>, BodyKind) {
    let text = body.trim();
    if text.is_empty() {
        return (Vec::new(), BodyKind::Empty);
    }
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        let mut found = Vec::new();
        collect(&value, &mut found, 0);
        return (found, BodyKind::Structured);
    }
    if text.starts_with(['{', '[']) {
        return (Vec::new(), BodyKind::BadJson);
    }
    if text.starts_with('<') {
        if let Some(object) = xml(text) {
            let mut found = Vec::new();
            collect(&Value::Object(object), &mut found, 0);
            return (found, BodyKind::Structured);
        }
        if looks_like_html(text) {
            return (Vec::new(), BodyKind::Html(html_title(text)));
        }
    }
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(text);
    let message = ServiceMessage {
        text: Some(cut(line)),
        ..ServiceMessage::default()
    };
    (vec![message], BodyKind::Text)
}

/// The messages in a JSON value (a waiter's failure detail: a job's `response_body`, a
/// session's `error`, a task's `service_error`).
pub(crate) fn of_value(value: &Value) -> Vec<ServiceMessage> {
    let mut found = Vec::new();
    collect(value, &mut found, 0);
    found
}

/// The messages in `value`: a `messages` (or `errors`) list, an `error` object, or the object
/// itself when it has a code or a text field.
fn collect(value: &Value, found: &mut Vec<ServiceMessage>, depth: usize) {
    if depth > 3 || found.len() >= MAX_MESSAGES {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, found, depth + 1);
            }
        }
        // A list serialized into a string (`"messages": "[{\"code\": …}]"`).
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(inner @ (Value::Array(_) | Value::Object(_))) => collect(&inner, found, depth + 1),
            _ if !text.trim().is_empty() => found.push(ServiceMessage {
                text: Some(cut(text.trim())),
                ..ServiceMessage::default()
            }),
            _ => {}
        },
        Value::Object(object) => {
            let mut nested = false;
            for key in ["messages", "errors", "error"] {
                if let Some(inner @ (Value::Array(_) | Value::Object(_) | Value::String(_))) =
                    object.get(key)
                {
                    if key == "error" && matches!(inner, Value::String(_)) {
                        continue;
                    }
                    nested = true;
                    collect(inner, found, depth + 1);
                }
            }
            if !nested {
                if let Some(message) = from_object(object) {
                    found.push(message);
                }
            }
        }
        _ => {}
    }
}

/// Field names that hold a message's text, most specific first.
const TEXT_FIELDS: &[&str] = &[
    "message_l10n",
    "message",
    "msgText",
    "error_description",
    "detail",
    "title",
    "error",
];

fn from_object(object: &Map<String, Value>) -> Option<ServiceMessage> {
    let scalar = |key: &str| match object.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    // ViPR: `description` is the kind of error and `details` what went wrong here; LCM's
    // envelope has only `details`.
    let text = match (scalar("description"), scalar("details")) {
        (Some(description), Some(details)) if description != details => {
            Some(format!("{description}: {details}"))
        }
        (description, details) => TEXT_FIELDS
            .iter()
            .find_map(|key| scalar(key))
            .or(details)
            .or(description),
    };
    // LCM's envelope carries its status where the others have a code.
    let code = scalar("code").or_else(|| text.as_ref().and(scalar("status")));
    let severity = scalar("severity");
    (code.is_some() || text.is_some()).then(|| ServiceMessage {
        code,
        severity,
        text: text.map(|t| cut(&t)),
    })
}

fn looks_like_html(text: &str) -> bool {
    let start: String = text
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.contains("<html") || start.contains("<head")
}

/// The text of the page's `<title>` (or first `<h1>`), tags stripped.
fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    for tag in ["title", "h1"] {
        let Some(open) = lower.find(&format!("<{tag}")) else {
            continue;
        };
        let Some(start) = lower[open..].find('>').map(|i| open + i + 1) else {
            continue;
        };
        let Some(end) = lower[start..].find(&format!("</{tag}")).map(|i| start + i) else {
            continue;
        };
        let title = text[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !title.is_empty() {
            return Some(cut(&title));
        }
    }
    None
}

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_TEXT {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(MAX_TEXT).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(body: &str) -> Vec<String> {
        read(body, |_| None)
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn powerstore_messages() {
        let body = r#"{"messages":[{"code":"0xE04040010006","severity":"Error","message_l10n":"Name db01 is in use.","arguments":["db01"]},
                      {"code":"0xE0A08001000E","severity":"Warning","message_l10n":"Second."}]}"#;
        assert_eq!(
            messages(body),
            [
                "[0xE04040010006] Error: Name db01 is in use.",
                "[0xE0A08001000E] Warning: Second."
            ]
        );
    }

    #[test]
    fn drifted_bodies_still_give_messages() {
        // `messages` as a string that holds an escaped array.
        let body = r#"{"messages":"[{\"code\":\"0xE1\",\"severity\":\"Error\",\"message_l10n\":\"Bad format.\"}]"}"#;
        assert_eq!(messages(body), ["[0xE1] Error: Bad format."]);
        // only a code
        assert_eq!(messages(r#"{"messages":[{"code":"0xE2"}]}"#), ["[0xE2]"]);
        // plain text
        let (found, kind) = read("404 page not found\n", |_| None);
        assert_eq!(kind, BodyKind::Text);
        assert_eq!(found[0].to_string(), "404 page not found");
        // a string that is neither
        assert_eq!(messages(r#"{"messages":"busy"}"#), ["busy"]);
        assert_eq!(read("  ", |_| None), (Vec::new(), BodyKind::Empty));
        assert_eq!(read("{}", |_| None), (Vec::new(), BodyKind::Structured));
        assert_eq!(read("[1, null]", |_| None).0, Vec::new());
        assert_eq!(
            read(r#"{"id": "x",, }"#, |_| None),
            (Vec::new(), BodyKind::BadJson)
        );
    }

    #[test]
    fn vipr_and_lcm_bodies() {
        let vipr = r#"{"code":1008,"description":"Parameter was provided but invalid","details":"Invalid name","retryable":false}"#;
        assert_eq!(
            messages(vipr),
            ["[1008] Parameter was provided but invalid: Invalid name"]
        );
        let lcm =
            r#"{"status":4,"details":"Invalid input. Please check it","items":null,"links":[]}"#;
        assert_eq!(messages(lcm), ["[4] Invalid input. Please check it"]);
        assert_eq!(
            messages(r#"{"status":-1,"items":null}"#),
            Vec::<String>::new()
        );
        let nested = r#"{"error":{"code":"E1","message":"nested"}}"#;
        assert_eq!(messages(nested), ["[E1] nested"]);
    }

    #[test]
    fn html_pages_give_their_title() {
        let page = "<!DOCTYPE html>\n<html><head><title>502 Bad\n Gateway</title></head><body><h1>nginx</h1></body></html>";
        assert_eq!(
            read(page, |_| None),
            (Vec::new(), BodyKind::Html(Some("502 Bad Gateway".into())))
        );
        assert_eq!(
            read("<html><body>oops</body></html>", |_| None).1,
            BodyKind::Html(None)
        );
    }

    #[test]
    fn long_text_is_cut() {
        let long = "x".repeat(1000);
        let text = read(&long, |_| None).0[0].text.clone().unwrap();
        assert_eq!(text.chars().count(), MAX_TEXT + 1);
        let many: Vec<Value> = (0..50).map(|i| serde_json::json!({"code": i})).collect();
        let body = serde_json::json!({ "messages": many }).to_string();
        assert_eq!(read(&body, |_| None).0.len(), MAX_MESSAGES);
    }
}
