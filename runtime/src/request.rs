//! The request a generated operation hands to the transport.
//!
//! `Request` is a plain, clonable description (method, path, query, headers, body) rather than
//! a `reqwest::RequestBuilder`, because the transport may have to send it more than once (a
//! retry, or a second try after logging in again) and paging sends variations of it.

use crate::redact;
use crate::{Bytes, Method};
use serde::Serialize;
use std::fmt::{self, Display, Write as _};
use url::Url;

/// A request relative to the transport's base URL.
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// `path` starts at the base URL's origin instead of its path (a followed href).
    from_origin: bool,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) accept: String,
    operation: Option<&'static str>,
    /// Why the request cannot be sent (e.g. the JSON body did not serialize).
    pub(crate) invalid: Option<String>,
}

/// What a request carries after its headers.
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Bytes { content_type: String, bytes: Bytes },
    Form(Vec<(String, String)>),
    Multipart(Multipart),
}

impl Request {
    /// A request for `path`, relative to the base URL, whose path parameters are already
    /// encoded with [`encode_path`].
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            from_origin: false,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            accept: "application/json".to_owned(),
            operation: None,
            invalid: None,
        }
    }

    /// A request for a link the server returned (LCM's `next`, `Job Status`).
    ///
    /// Only the href's path and query are kept: the request always goes to the transport's
    /// own origin, so credentials never follow a link to another host.
    pub fn from_href(method: Method, href: &str) -> Self {
        Self::new(method, "").with_href(href)
    }

    /// This request (headers, accept, operation) sent to `href` instead, as in
    /// [`Request::from_href`]; the old path and query are dropped.
    pub fn with_href(mut self, href: &str) -> Self {
        let absolute = Url::parse(href)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"));
        let (target, from_origin) = match &absolute {
            Some(url) => (&url[url::Position::BeforePath..], true),
            None => (href, href.starts_with('/')),
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        self.path = path.to_owned();
        self.from_origin = from_origin;
        self.query = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        self
    }

    /// The same request with another method (LCM's status poll, which some servers want as
    /// POST).
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: impl Display) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Display) -> Self {
        self.headers.push((name.to_owned(), value.to_string()));
        self
    }

    /// Sends `value` as an `application/json` body.
    pub fn json<T: Serialize + ?Sized>(self, value: &T) -> Self {
        self.json_bytes(serde_json::to_vec(value))
    }

    // The part of `json` that does not depend on the body's type, compiled once.
    fn json_bytes(mut self, bytes: serde_json::Result<Vec<u8>>) -> Self {
        match bytes {
            Ok(bytes) => {
                self.body = Body::Bytes {
                    content_type: "application/json".to_owned(),
                    bytes: bytes.into(),
                }
            }
            Err(e) => self.invalid = Some(format!("the JSON body does not serialize: {e}")),
        }
        self
    }

    /// Sends the fields as an `application/x-www-form-urlencoded` body.
    pub fn form(mut self, fields: Vec<(String, String)>) -> Self {
        self.body = Body::Form(fields);
        self
    }

    /// Sends a `multipart/form-data` body.
    pub fn multipart(mut self, parts: Multipart) -> Self {
        self.body = Body::Multipart(parts);
        self
    }

    /// Sends raw bytes with the given content type.
    pub fn body(mut self, content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        self.body = Body::Bytes {
            content_type: content_type.into(),
            bytes: bytes.into(),
        };
        self
    }

    /// Replaces the `Accept` header (default `application/json`).
    pub fn accept(mut self, media_type: &str) -> Self {
        self.accept = media_type.to_owned();
        self
    }

    /// Names the operation for logs and errors.
    pub fn operation(mut self, name: &'static str) -> Self {
        self.operation = Some(name);
        self
    }

    /// The operation's name, or `METHOD path` when none was given.
    pub(crate) fn operation_name(&self) -> String {
        match self.operation {
            Some(name) => name.to_owned(),
            None => format!("{} {}", self.method, self.path),
        }
    }

    /// What this request would send under `base` (the transport's base URL), for dry runs:
    /// `METHOD url` with the query decoded, then the headers it sets and its body, JSON
    /// pretty-printed. Whatever can carry a credential is shown as `***`: sensitive query
    /// parameters and headers, and password, token and secret fields of a JSON body or of a
    /// query parameter that holds JSON (LCM's `q`). Headers the transport adds (auth,
    /// `Accept`, the user agent) are not part of the request and not shown.
    pub fn preview(&self, base: &Url) -> String {
        let mut url = self.url(base);
        url.set_query(None);
        let mut out = format!("{} {url}", self.method);
        for (i, (name, value)) in self.query.iter().enumerate() {
            let separator = if i == 0 { '?' } else { '&' };
            let _ = write!(
                out,
                "{separator}{name}={}",
                redact::query_preview(name, value)
            );
        }
        for (name, value) in &self.headers {
            let _ = write!(out, "\n{name}: {}", redact::shown(name, value));
        }
        if let Some(message) = &self.invalid {
            let _ = write!(out, "\n(not sendable: {message})");
        }
        match &self.body {
            Body::Empty => {}
            Body::Bytes {
                content_type,
                bytes,
            } => match content_type
                .contains("json")
                .then(|| serde_json::from_slice::<serde_json::Value>(bytes))
            {
                Some(Ok(mut value)) => {
                    redact::json(&mut value);
                    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
                    let _ = write!(out, "\nContent-Type: {content_type}\n\n{text}");
                }
                _ => {
                    let _ = write!(
                        out,
                        "\nContent-Type: {content_type}\n\n({} bytes)",
                        bytes.len()
                    );
                }
            },
            Body::Form(fields) => {
                let _ = write!(out, "\nContent-Type: application/x-www-form-urlencoded\n");
                for (name, value) in fields {
                    let _ = write!(out, "\n{name}={}", redact::query_preview(name, value));
                }
            }
            Body::Multipart(parts) => {
                let _ = write!(out, "\nContent-Type: multipart/form-data\n\n{parts:?}");
            }
        }
        out
    }

    /// The full URL under `base`.
    pub(crate) fn url(&self, base: &Url) -> Url {
        let mut url = base.clone();
        if self.from_origin {
            url.set_path(&self.path);
        } else {
            let joined = format!(
                "{}/{}",
                base.path().trim_end_matches('/'),
                self.path.trim_start_matches('/')
            );
            url.set_path(&joined);
        }
        url.set_query(None);
        url.set_fragment(None);
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        url
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<_> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), redact::shown(k, v)))
            .collect();
        let headers: Vec<_> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), redact::shown(k, v)))
            .collect();
        let body = match &self.body {
            Body::Empty => "none".to_owned(),
            Body::Bytes {
                content_type,
                bytes,
            } => format!("{content_type}, {} bytes", bytes.len()),
            Body::Form(fields) => format!("form with {} fields", fields.len()),
            Body::Multipart(parts) => format!("{parts:?}"),
        };
        f.debug_struct("Request")
            .field("operation", &self.operation_name())
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body", &body)
            .finish()
    }
}

/// A `multipart/form-data` body: a clonable list of parts, turned into a
/// `reqwest::multipart::Form` each time it is sent.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone)]
enum Part {
    Text {
        name: String,
        value: String,
    },
    File {
        name: String,
        file_name: String,
        bytes: Bytes,
    },
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part::Text {
            name: name.into(),
            value: value.into(),
        });
        self
    }

    /// Adds a file (sent as `application/octet-stream`).
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part::File {
            name: name.into(),
            file_name: file_name.into(),
            bytes: bytes.into(),
        });
        self
    }

    /// The reqwest form for one send.
    pub(crate) fn to_form(&self) -> reqwest::multipart::Form {
        self.parts
            .iter()
            .fold(reqwest::multipart::Form::new(), |form, part| match part {
                Part::Text { name, value } => form.text(name.clone(), value.clone()),
                Part::File {
                    name,
                    file_name,
                    bytes,
                } => {
                    let file = reqwest::multipart::Part::stream_with_length(
                        reqwest::Body::from(bytes.clone()),
                        bytes.len() as u64,
                    )
                    .file_name(file_name.clone())
                    .mime_str("application/octet-stream")
                    .expect("a constant, valid MIME type");
                    form.part(name.clone(), file)
                }
            })
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Text values can be credentials, so only names and sizes are shown.
        f.debug_list()
            .entries(self.parts.iter().map(|part| match part {
                Part::Text { name, .. } => format!("{name} (text)"),
                Part::File {
                    name,
                    file_name,
                    bytes,
                } => {
                    format!("{name} ({file_name}, {} bytes)", bytes.len())
                }
            }))
            .finish()
    }
}

/// Percent-encodes one path segment (an id or name). Unreserved characters and `:` stay as
/// they are, so ViPR URNs (`urn:storageos:Task:…:vdc1`) remain readable; `/`, `?`, `#`, `%`
/// and spaces are encoded.
pub fn encode_path(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The text of a value that is not plain text or a number, for a query parameter, a
/// header or a form field: a string as it is, a number or boolean as written in JSON, a
/// list as its items joined by commas, anything else (an object) as JSON, and `null` as
/// nothing. Generated code uses it for unions, objects and free-form values.
pub fn text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    fn scalar(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    }
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Array(items)) => {
            items.iter().map(scalar).collect::<Vec<_>>().join(",")
        }
        Ok(other) => scalar(&other),
        Err(_) => String::new(),
    }
}

/// The (name, value) pairs a value becomes in a query or a form body, for objects and
/// lists of objects: with `deep` (OpenAPI's `style: deepObject`, also how Stripe-like
/// form bodies nest) `name[key]=value`, nested and indexed (`name[0][key]`); without it
/// (`style: form, explode: true`, the default) an object's properties become pairs of
/// their own and a list repeats `name`. Scalars are one pair, `null` none.
pub fn pairs<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    deep: bool,
) -> Vec<(String, String)> {
    fn walk(
        name: &str,
        value: &serde_json::Value,
        deep: bool,
        top: bool,
        out: &mut Vec<(String, String)>,
    ) {
        use serde_json::Value;
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (key, item) in map {
                    let child = if deep {
                        format!("{name}[{key}]")
                    } else if top {
                        key.clone()
                    } else {
                        format!("{name}.{key}")
                    };
                    walk(&child, item, deep, false, out);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let child = if deep && (item.is_object() || item.is_array()) {
                        format!("{name}[{index}]")
                    } else if deep {
                        format!("{name}[]")
                    } else {
                        name.to_string()
                    };
                    walk(&child, item, deep, false, out);
                }
            }
            Value::String(s) => out.push((name.to_string(), s.clone())),
            other => out.push((name.to_string(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(value) {
        walk(name, &value, deep, true, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_become_pairs() {
        use serde_json::json;
        let value = json!({"a": "x", "tags": {"k": "v"}, "items": [{"p": 1}], "ids": [1, 2]});
        // Object keys come in the order serde_json keeps (sorted unless `preserve_order`).
        let sorted = |mut p: Vec<(String, String)>| {
            p.sort();
            p
        };
        assert_eq!(
            sorted(pairs("m", &value, true)),
            sorted(vec![
                ("m[a]".to_string(), "x".to_string()),
                ("m[tags][k]".into(), "v".into()),
                ("m[items][0][p]".into(), "1".into()),
                ("m[ids][]".into(), "1".into()),
                ("m[ids][]".into(), "2".into()),
            ])
        );
        assert_eq!(
            pairs("m", &json!({"a": "x", "b": 2}), false),
            [("a".to_string(), "x".to_string()), ("b".into(), "2".into())]
        );
        assert_eq!(pairs("m", &json!(["a", "b"]), false).len(), 2);
        assert!(pairs("m", &json!(null), true).is_empty());
    }

    #[test]
    fn values_become_parameter_text() {
        use serde_json::json;
        assert_eq!(text(&json!("running")), "running");
        assert_eq!(text(&json!(3)), "3");
        assert_eq!(text(&json!(["a", 1, true])), "a,1,true");
        assert_eq!(text(&json!({"k": "v"})), "{\"k\":\"v\"}");
        assert_eq!(text(&json!(null)), "");
    }

    fn base() -> Url {
        Url::parse("https://array.example/api/rest/").unwrap()
    }

    #[test]
    fn previews_show_what_is_sent_without_credentials() {
        #[derive(serde::Serialize)]
        struct Body {
            name: &'static str,
            password: &'static str,
        }
        let r = Request::new(Method::POST, "/import_session")
            .query("select", "id,name")
            .query("q", r#"{"type":"import","userPassword":"pw1"}"#)
            .header("X-Api-Token", "t0k")
            .json(&Body {
                name: "db01",
                password: "pw2",
            });
        let shown = r.preview(&base());
        assert_eq!(
            shown,
            "POST https://array.example/api/rest/import_session?select=id,name\
             &q={\"type\":\"import\",\"userPassword\":\"***\"}\n\
             X-Api-Token: ***\n\
             Content-Type: application/json\n\n\
             {\n  \"name\": \"db01\",\n  \"password\": \"***\"\n}"
        );
    }

    #[test]
    fn encode_path_keeps_urns_and_escapes_separators() {
        assert_eq!(
            encode_path("urn:storageos:Task:3f9a:vdc1"),
            "urn:storageos:Task:3f9a:vdc1"
        );
        assert_eq!(encode_path("a b/c?d#e%"), "a%20b%2Fc%3Fd%23e%25");
        assert_eq!(encode_path("é"), "%C3%A9");
    }

    #[test]
    fn paths_join_the_base_and_queries_are_encoded() {
        let req = Request::new(Method::GET, "/import_session/x%2Fy")
            .query("select", "id,name")
            .query("name", "ilike.*a b*");
        assert_eq!(
            req.url(&base()).as_str(),
            "https://array.example/api/rest/import_session/x%2Fy?select=id%2Cname&name=ilike.*a+b*"
        );
    }

    #[test]
    fn hrefs_keep_only_path_and_query() {
        let req = Request::new(Method::GET, "details")
            .header("X-Test", "1")
            .with_href(
                "https://elsewhere.example:8443/interop/rest/v2/x/details?limit=25&offset=25",
            );
        assert_eq!(
            req.url(&base()).as_str(),
            "https://array.example/interop/rest/v2/x/details?limit=25&offset=25"
        );
        assert_eq!(req.headers, vec![("X-Test".to_owned(), "1".to_owned())]);
        let relative = Request::from_href(Method::GET, "next?offset=2");
        assert_eq!(
            relative.url(&base()).as_str(),
            "https://array.example/api/rest/next?offset=2"
        );
    }

    #[test]
    fn debug_hides_credentials_and_bodies() {
        let req = Request::new(Method::POST, "login")
            .query("q", r#"{"userPassword":"pw1"}"#)
            .header("X-Auth-Token", "tok1")
            .json(&serde_json::json!({"password": "pw2"}))
            .multipart(
                Multipart::new()
                    .text("password", "pw3")
                    .file("f", "a.zip", vec![1, 2]),
            );
        let shown = format!("{req:?}");
        for secret in ["pw1", "tok1", "pw2", "pw3"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("a.zip, 2 bytes"), "{shown}");
    }

    #[test]
    fn unserializable_json_marks_the_request_invalid() {
        let map = std::collections::HashMap::from([((1, 2), 3)]);
        assert!(Request::new(Method::POST, "x").json(&map).invalid.is_some());
    }
}
