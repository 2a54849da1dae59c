//! Hiding credentials in everything the runtime logs or prints.
//!
//! Headers and query parameters are shown by name, but the value of anything that can carry a
//! credential (Authorization, cookies, PowerStore's `DELL-EMC-TOKEN`, ViPR's
//! `X-SDS-AUTH-TOKEN`, anything named like a token or password, and LCM's `q` parameter when
//! it holds a password) is replaced by `***`.

use http::HeaderMap;
use std::fmt;
use url::Url;

const HIDDEN: &str = "***";

fn mentions_credential(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["token", "password", "secret"]
        .iter()
        .any(|word| lower.contains(word))
}

/// Whether a header or parameter of this name can carry a credential.
pub(crate) fn is_sensitive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || mentions_credential(&lower)
}

/// The value of a query parameter or header as it may be shown.
pub(crate) fn shown<'a>(name: &str, value: &'a str) -> &'a str {
    if is_sensitive(name) || mentions_credential(value) {
        HIDDEN
    } else {
        value
    }
}

/// Hides the values of password, token and secret fields anywhere in a JSON value.
pub(crate) fn json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if is_sensitive(name) {
                    *field = serde_json::Value::from(HIDDEN);
                } else {
                    json(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(json),
        _ => {}
    }
}

/// A query value as a preview shows it: JSON (LCM's `q`) with its credential fields hidden,
/// anything else as [`shown`] would.
pub(crate) fn query_preview(name: &str, value: &str) -> String {
    if !is_sensitive(name) {
        if let Ok(mut parsed @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) =
            serde_json::from_str(value)
        {
            json(&mut parsed);
            return parsed.to_string();
        }
    }
    shown(name, value).to_owned()
}

/// A URL as it may be logged.
pub(crate) fn url(url: &Url) -> String {
    let mut hidden = url.clone();
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.to_string(), shown(&k, &v).to_owned()))
            .collect();
        hidden.query_pairs_mut().clear().extend_pairs(pairs);
    }
    hidden.to_string()
}

/// `Debug` for a header map with credential values hidden.
pub(crate) struct Headers<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, value)| {
                let shown = if is_sensitive(name.as_str()) {
                    HIDDEN
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                (name.as_str(), shown)
            }))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_headers_are_hidden() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("authorization", "Basic abc"),
            ("cookie", "auth_cookie=c00k"),
            ("set-cookie", "auth_cookie=c00k; Path=/"),
            ("dell-emc-token", "t0k"),
            ("x-sds-auth-token", "t0k"),
            ("x-user-password", "pw"),
            ("accept", "application/json"),
        ] {
            headers.insert(http::HeaderName::from_static(name), value.parse().unwrap());
        }
        let shown = format!("{:?}", Headers(&headers));
        for secret in ["abc", "c00k", "t0k", "pw\""] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("application/json"));
    }

    #[test]
    fn json_credentials_are_hidden_at_any_depth() {
        let mut v = serde_json::json!({"name": "a", "userPassword": "pw1",
            "nested": [{"api_token": "t0k", "size": 1}]});
        json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"name": "a", "userPassword": "***",
                "nested": [{"api_token": "***", "size": 1}]})
        );
        assert_eq!(
            query_preview("q", r#"{"type":"import","userPassword":"pw1"}"#),
            r#"{"type":"import","userPassword":"***"}"#
        );
        assert_eq!(query_preview("token", r#"{"a":1}"#), "***");
        assert_eq!(query_preview("select", "id,name"), "id,name");
    }

    #[test]
    fn query_values_with_passwords_are_hidden() {
        let u = Url::parse(r#"https://h/x?q={"userPassword":"pw1"}&limit=25&token=abc"#).unwrap();
        let shown = url(&u);
        assert!(!shown.contains("pw1") && !shown.contains("abc"), "{shown}");
        assert!(shown.contains("limit=25"));
    }
}
