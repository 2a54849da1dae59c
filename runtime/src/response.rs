//! Decoding what the server sent back.
//!
//! JSON goes through `serde_json::Value` first: real servers send objects with duplicate keys
//! (LCM detail messages repeat `msgCategory`), which serde's derived structs reject but a
//! `Value` accepts (the last one wins). Error bodies may come as XML even when JSON was asked
//! for (ViPR's auth filter writes `<error>…</error>`); a flat XML element is turned into a
//! JSON object before decoding.

use crate::error::{truncated, BoxError};
use crate::lenient::Lenient;
use crate::{Bytes, Error};
use http::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::ops::Deref;

/// A complete HTTP response, body read, not yet decoded.
#[derive(Debug, Clone)]
pub struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    operation: String,
}

/// A decoded response.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The body alone.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Converts the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

impl RawResponse {
    /// A response from its parts (the transport builds these; tests of generated code can too).
    pub fn new(status: u16, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers,
            body: body.into(),
            operation: "response".to_owned(),
        }
    }

    pub(crate) fn for_operation(mut self, operation: String) -> Self {
        self.operation = operation;
        self
    }

    /// HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The undecoded body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    fn into_response<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
        }
    }

    pub(crate) fn decode_error<E>(&self, source: BoxError) -> Error<E> {
        Error::Decode {
            operation: self.operation.clone(),
            status: self.status,
            raw: shown_body(&self.body),
            source,
        }
    }

    /// The body as JSON (duplicate keys allowed; an empty body reads as `null`).
    fn json_value(&self) -> Result<Value, BoxError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        Ok(serde_json::from_slice::<Value>(&self.body)?)
    }

    /// Decodes a JSON body (duplicate keys allowed; an empty body reads as `null`, which
    /// suits `Option<_>` and `()`).
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        self.decode_json(T::deserialize)
    }

    /// Decodes a JSON array body item by item (see [`crate::object::list`]).
    pub fn json_list<T: DeserializeOwned, E>(self) -> Result<Response<Vec<T>>, Error<E>> {
        self.decode_json(crate::object::read_list)
    }

    /// Decodes a JSON body as `T` and wraps it, e.g. into the variant of an operation's
    /// response enum that the status selects.
    pub fn json_into<T: DeserializeOwned, U, E>(
        self,
        wrap: fn(T) -> U,
    ) -> Result<Response<U>, Error<E>> {
        let Response {
            status,
            headers,
            body,
        } = self.decode_json(T::deserialize)?;
        Ok(Response {
            status,
            headers,
            body: wrap(body),
        })
    }

    /// What the JSON decoders share. Generated code meets it once per response type, so it is
    /// kept to the part that has to know `T`, with plain `match`es (combinators and their
    /// closures would be compiled per type too); reading the JSON and building errors are
    /// compiled once.
    fn decode_json<T, E>(
        self,
        decode: fn(Lenient) -> serde_json::Result<T>,
    ) -> Result<Response<T>, Error<E>> {
        let value = match self.json_value() {
            Ok(value) => value,
            Err(source) => return Err(self.decode_error(source)),
        };
        // Leniently (see `crate::lenient`), as every field and item below it.
        match decode(Lenient(value)) {
            Ok(body) => Ok(self.into_response(body)),
            Err(e) => Err(self.decode_error(e.into())),
        }
    }

    /// Ignores the body.
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        self.empty_as(())
    }

    /// Ignores the body; the result is `value` (a response enum's variant for this status).
    pub fn empty_as<T, E>(self, value: T) -> Result<Response<T>, Error<E>> {
        Ok(self.into_response(value))
    }

    /// The body as bytes.
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        self.bytes_into(std::convert::identity)
    }

    /// The body as bytes, wrapped.
    pub fn bytes_into<T, E>(self, wrap: fn(Bytes) -> T) -> Result<Response<T>, Error<E>> {
        let body = self.body.clone();
        Ok(self.into_response(wrap(body)))
    }

    /// The body as UTF-8 text.
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        self.text_into(std::convert::identity)
    }

    /// The body as UTF-8 text, wrapped.
    pub fn text_into<T, E>(self, wrap: fn(String) -> T) -> Result<Response<T>, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let text = text.to_owned();
                Ok(self.into_response(wrap(text)))
            }
            Err(e) => Err(self.decode_error(e.into())),
        }
    }

    /// The error an unexpected status stands for: [`Error::Service`] when the body decodes as
    /// `E` (from JSON, or from flat XML), else [`Error::UnexpectedResponse`] with the raw body.
    /// Either way the service's messages are read from the body (see [`crate::ServiceMessage`]),
    /// and a redirect keeps its `Location`.
    pub fn error<E: DeserializeOwned>(self) -> Error<E> {
        let raw = shown_body(&self.body);
        let text = String::from_utf8_lossy(&self.body);
        let (messages, _) = crate::messages::read(&text, flat_xml);
        let value = if text.trim_start().starts_with('<') {
            flat_xml(&text).map(Value::Object)
        } else {
            serde_json::from_str::<Value>(&text).ok()
        };
        let operation = self.operation;
        let status = self.status;
        match value.and_then(|v| E::deserialize(Lenient(v)).ok()) {
            Some(body) => Error::Service {
                operation,
                status,
                body,
                raw,
                messages,
            },
            None => Error::UnexpectedResponse {
                operation,
                status,
                raw,
                messages,
                location: (300..400)
                    .contains(&status)
                    .then(|| self.headers.get(http::header::LOCATION))
                    .flatten()
                    .and_then(|v| v.to_str().ok())
                    .map(shown_location),
            },
        }
    }
}

/// A body as errors keep it: cut to 2 KiB, and in JSON the values of credential fields and
/// the credentials in URL queries (LCM echoes its `q` in links) hidden.
pub(crate) fn shown_body(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(original) => {
            let mut value = original.clone();
            crate::redact::json(&mut value);
            hide_url_queries(&mut value);
            if value == original {
                truncated(body)
            } else {
                truncated(value.to_string().as_bytes())
            }
        }
        Err(_) => truncated(body),
    }
}

fn hide_url_queries(value: &mut Value) {
    match value {
        Value::String(text) if text.contains("://") && text.contains('?') => {
            if let Ok(url) = url::Url::parse(text) {
                *text = crate::redact::url(&url);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(hide_url_queries),
        Value::Object(fields) => fields.values_mut().for_each(hide_url_queries),
        _ => {}
    }
}

/// A redirect target as it may be shown: credentials in its query hidden.
fn shown_location(location: &str) -> String {
    match url::Url::parse(location) {
        Ok(url) => crate::redact::url(&url),
        Err(_) => match location.split_once('?') {
            Some((path, _)) => format!("{path}?…"),
            None => location.to_owned(),
        },
    }
}

/// Reads `<root><name>text</name>…</root>` (optionally after an `<?xml …?>` prolog) into an
/// object. `code` becomes a number and `retryable` a boolean, as in ViPR's
/// `ServiceErrorRestRep`; everything else stays a string. Nested elements give `None`.
pub(crate) fn flat_xml(text: &str) -> Option<Map<String, Value>> {
    let mut rest = text.trim();
    if rest.starts_with("<?") {
        rest = &rest[rest.find("?>")? + 2..];
    }
    let (root, _, mut rest) = open_tag(rest.trim_start())?;
    let mut map = Map::new();
    loop {
        rest = rest.trim_start();
        if let Some(close) = rest.strip_prefix("</") {
            return (close.strip_suffix('>')?.trim() == root).then_some(map);
        }
        let (name, self_closing, after) = open_tag(rest)?;
        let content = if self_closing {
            rest = after;
            String::new()
        } else {
            let end = after.find('<')?;
            rest = after[end..].strip_prefix(&format!("</{name}>"))?;
            unescape(&after[..end])
        };
        let value = match name {
            "code" => content
                .trim()
                .parse::<i64>()
                .map_or(Value::String(content), Value::from),
            "retryable" => Value::Bool(content.trim() == "true"),
            _ => Value::String(content),
        };
        map.insert(name.to_owned(), value);
    }
}

/// Parses `<name attr="…">` or `<name/>` at the start of `text`: the name, whether the tag
/// closes itself, and what follows it.
fn open_tag(text: &str) -> Option<(&str, bool, &str)> {
    let end = text.find('>')?;
    let inner = text.strip_prefix('<')?.get(..end - 1)?;
    let name = inner
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()?;
    if name.is_empty() || name.starts_with(['!', '?']) {
        return None;
    }
    Some((name, inner.ends_with('/'), &text[end + 1..]))
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';') else { break };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct ServiceError {
        code: i64,
        description: String,
        details: Option<String>,
        retryable: bool,
    }

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse::new(status, HeaderMap::new(), body.to_owned())
    }

    #[test]
    fn one_call_decodes_and_wraps() {
        let r = raw(202, r#"{"id":"j1"}"#)
            .json_into::<Value, _, ()>(Some)
            .unwrap();
        assert_eq!(
            (r.status, r.body),
            (202, Some(serde_json::json!({"id": "j1"})))
        );
        let r = raw(204, "").empty_as::<Option<Value>, ()>(None).unwrap();
        assert_eq!(r.body, None);
        let r = raw(200, "hi").text_into::<_, ()>(|t| t.len()).unwrap();
        assert_eq!(r.body, 2);
        let list = raw(200, "[1,2]").json_list::<u8, ()>().unwrap().into_body();
        assert_eq!(list, vec![1, 2]);
        match raw(200, r#"[1,"x"]"#).json_list::<u8, ()>() {
            Err(Error::Decode { source, .. }) => {
                assert!(source.to_string().starts_with("item 1: "), "{source}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn duplicate_keys_decode() {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Message {
            msg_category: String,
            msg_text: String,
        }
        let body = r#"{"msgCategory":"Info","msgCategory":"Error","msgText":"failed"}"#;
        assert!(
            serde_json::from_str::<Message>(body).is_err(),
            "serde alone rejects it"
        );
        let msg = raw(200, body).json::<Message, ()>().unwrap().into_body();
        assert_eq!(
            (msg.msg_category.as_str(), msg.msg_text.as_str()),
            ("Error", "failed")
        );
    }

    #[test]
    fn empty_bodies_decode_as_unit_and_none() {
        raw(204, "").json::<(), ()>().unwrap();
        assert_eq!(raw(200, " ").json::<Option<u8>, ()>().unwrap().body, None);
        let err = raw(200, "").json::<Vec<u8>, ()>().unwrap_err();
        assert!(matches!(err, Error::Decode { status: 200, .. }), "{err}");
    }

    #[test]
    fn response_accessors() {
        let r = raw(201, r#"{"id":"a"}"#).json::<Value, ()>().unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(r["id"], "a");
        assert_eq!(r.map(|v| v["id"].clone()).into_body(), "a");
        assert_eq!(raw(200, "hé").text::<()>().unwrap().body, "hé");
        assert_eq!(raw(200, "x").bytes::<()>().unwrap().body, Bytes::from("x"));
        assert!(matches!(
            RawResponse::new(200, HeaderMap::new(), vec![0xff]).text::<()>(),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn json_service_errors_decode() {
        let text = r#"{"code":1008,"description":"Parameter was provided but invalid","details":"bad name","retryable":false}"#;
        match raw(400, text).error::<ServiceError>() {
            Error::Service {
                status: 400,
                body,
                raw,
                ..
            } => {
                assert_eq!(body.code, 1008);
                assert_eq!(raw, text);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn xml_service_errors_decode() {
        let body = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <error><code>4000</code><description>Unauthorized &amp; denied</description>
            <details>token &lt;expired&gt;&#33;</details><retryable>false</retryable><extra/></error>"#;
        match raw(401, body).error::<ServiceError>() {
            Error::Service { body, .. } => assert_eq!(
                body,
                ServiceError {
                    code: 4000,
                    description: "Unauthorized & denied".into(),
                    details: Some("token <expired>!".into()),
                    retryable: false,
                }
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn undecodable_errors_keep_the_raw_body() {
        for body in [
            "<html><body><h1>Bad gateway</h1></body></html>",
            "oops",
            "<error><code>1",
        ] {
            match raw(502, body).error::<ServiceError>() {
                Error::UnexpectedResponse {
                    status: 502, raw, ..
                } => assert_eq!(raw, body),
                other => panic!("{other:?}"),
            }
        }
    }
}
