//! Credentials, header parsing and the session/token store shared by the services.
//!
//! Why one module: PowerStore cookies with their CSRF tokens and ViPR auth tokens all expire on
//! idle time and must be invalidated together by the `expire_sessions` fault, so they are kept
//! in one store with one notion of "stale".

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use base64::Engine;

/// A user name and password pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl Credentials {
    pub fn new(user: &str, password: &str) -> Self {
        Credentials {
            user: user.to_string(),
            password: password.to_string(),
        }
    }
}

/// The user and password of an `Authorization: Basic` header, if there is a well-formed one.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// The token of an `Authorization: Bearer` header.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The value of cookie `name` in any `Cookie` header.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A single header value as text.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// An unguessable opaque token.
pub(crate) fn random_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// One PowerStore login session: the `auth_cookie` value and its `DELL-EMC-TOKEN`.
#[derive(Clone, Debug)]
pub(crate) struct PsSession {
    pub(crate) id: String,
    pub(crate) user: String,
    pub(crate) cookie: String,
    pub(crate) csrf_token: String,
    last_used: Instant,
    revoked: bool,
}

/// What a presented `auth_cookie` turned out to be.
pub(crate) enum CookieCheck {
    /// A live session; its idle clock has been reset.
    Live(PsSession),
    /// A session that timed out or was revoked by a fault.
    Stale,
    /// Never issued, or logged out.
    Unknown,
}

#[derive(Debug)]
struct ViprToken {
    user: String,
    last_used: Instant,
    revoked: bool,
}

/// All live and stale sessions and tokens.
#[derive(Default)]
pub(crate) struct SessionStore {
    powerstore: HashMap<String, PsSession>,
    vipr: HashMap<String, ViprToken>,
    /// Every cookie, CSRF token and ViPR token ever handed out, for tests that check none of
    /// them leaks into a client's output.
    issued: Vec<String>,
}

impl SessionStore {
    /// Starts a PowerStore session for `user`.
    pub(crate) fn open_powerstore(&mut self, user: &str) -> PsSession {
        let session = PsSession {
            id: uuid::Uuid::new_v4().to_string(),
            user: user.to_string(),
            cookie: random_token(),
            csrf_token: random_token(),
            last_used: Instant::now(),
            revoked: false,
        };
        self.powerstore
            .insert(session.cookie.clone(), session.clone());
        self.issued
            .extend([session.cookie.clone(), session.csrf_token.clone()]);
        session
    }

    /// Looks up a PowerStore session by cookie and resets its idle clock when it is live.
    pub(crate) fn check_cookie(&mut self, cookie: &str, idle: Duration) -> CookieCheck {
        match self.powerstore.get_mut(cookie) {
            None => CookieCheck::Unknown,
            Some(s) if s.revoked || s.last_used.elapsed() > idle => {
                s.revoked = true;
                CookieCheck::Stale
            }
            Some(s) => {
                s.last_used = Instant::now();
                CookieCheck::Live(s.clone())
            }
        }
    }

    /// The live PowerStore session whose CSRF token is `token`.
    pub(crate) fn session_by_csrf(&mut self, token: &str, idle: Duration) -> Option<PsSession> {
        let session = self
            .powerstore
            .values_mut()
            .find(|s| s.csrf_token == token && !s.revoked && s.last_used.elapsed() <= idle)?;
        session.last_used = Instant::now();
        Some(session.clone())
    }

    /// Ends a PowerStore session (logout).
    pub(crate) fn close_powerstore(&mut self, cookie: &str) {
        self.powerstore.remove(cookie);
    }

    /// Issues a ViPR token for `user`.
    pub(crate) fn open_vipr(&mut self, user: &str) -> String {
        let token = random_token();
        self.issued.push(token.clone());
        self.vipr.insert(
            token.clone(),
            ViprToken {
                user: user.to_string(),
                last_used: Instant::now(),
                revoked: false,
            },
        );
        token
    }

    /// The user of a live ViPR token, resetting its idle clock.
    pub(crate) fn check_vipr(&mut self, token: &str, idle: Duration) -> Option<String> {
        let entry = self.vipr.get_mut(token)?;
        if entry.revoked || entry.last_used.elapsed() > idle {
            entry.revoked = true;
            return None;
        }
        entry.last_used = Instant::now();
        Some(entry.user.clone())
    }

    /// Ends a ViPR token (logout).
    pub(crate) fn close_vipr(&mut self, token: &str) {
        self.vipr.remove(token);
    }

    /// Every secret handed out so far, logged-out ones included.
    pub(crate) fn issued(&self) -> &[String] {
        &self.issued
    }

    /// Makes every issued PowerStore session and ViPR token stale at once.
    pub(crate) fn expire_all(&mut self) {
        self.powerstore.values_mut().for_each(|s| s.revoked = true);
        self.vipr.values_mut().for_each(|t| t.revoked = true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn parses_basic_and_cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            "authorization",
            HeaderValue::from_static("Basic YWRtaW46cHc6eA=="),
        );
        h.append("cookie", HeaderValue::from_static("a=1; auth_cookie=xyz"));
        assert_eq!(
            basic_credentials(&h),
            Some(("admin".to_string(), "pw:x".to_string()))
        );
        assert_eq!(cookie(&h, "auth_cookie").as_deref(), Some("xyz"));
        assert_eq!(cookie(&h, "missing"), None);
        assert_eq!(bearer_token(&h), None);
    }

    #[test]
    fn sessions_go_stale_on_idle_and_on_expire_all() {
        let mut store = SessionStore::default();
        let s = store.open_powerstore("admin");
        assert!(matches!(
            store.check_cookie(&s.cookie, Duration::from_secs(60)),
            CookieCheck::Live(_)
        ));
        assert!(matches!(
            store.check_cookie(&s.cookie, Duration::ZERO),
            CookieCheck::Stale
        ));
        let t = store.open_vipr("root");
        assert_eq!(
            store.check_vipr(&t, Duration::from_secs(60)).as_deref(),
            Some("root")
        );
        store.expire_all();
        assert_eq!(store.check_vipr(&t, Duration::from_secs(60)), None);
        assert!(matches!(
            store.check_cookie("nope", Duration::from_secs(60)),
            CookieCheck::Unknown
        ));
    }
}
