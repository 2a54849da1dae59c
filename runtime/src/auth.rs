//! Credentials and login sessions.
//!
//! LCM takes Basic or Bearer on every request, so those are static headers. PowerStore and
//! ViPR want a login first and a session credential afterwards (PowerStore: the `auth_cookie`
//! cookie plus the `DELL-EMC-TOKEN` CSRF header on non-GET requests; ViPR: the
//! `X-SDS-AUTH-TOKEN` header). Sessions expire, so when the server says so (PowerStore 401 or
//! 403; ViPR 401 or a 302 to `/login`) the transport logs in again and resends once. The
//! session lives behind one lock shared by all clones of a transport, and a generation number
//! makes many requests that see the same expiry share one new login.

use crate::error::status_text;
use crate::{Error, Method, RawResponse, Request, Secret, Transport};
use base64::Engine as _;
use http::header::{AUTHORIZATION, COOKIE, LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderName, HeaderValue};
use tokio::sync::Mutex;

/// How the transport authenticates. `Debug` shows user names but never passwords or tokens.
#[derive(Debug, Clone, Default)]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// HTTP Basic on every request (Oracle EPM LCM).
    Basic {
        /// User name (for LCM, `identitydomain.user` or `user`).
        user: String,
        /// Password.
        password: Secret,
    },
    /// `Authorization: Bearer` on every request (LCM with OAuth 2 on OCI).
    Bearer(Secret),
    /// PowerStore session: `GET {base}/login_session` with Basic, then the `auth_cookie`
    /// cookie on every request and `DELL-EMC-TOKEN` on every non-GET.
    PowerStore {
        /// User name.
        user: String,
        /// Password.
        password: Secret,
    },
    /// ViPR / CoprHD session: `GET {base}/login` with Basic, then `X-SDS-AUTH-TOKEN`.
    Vipr {
        /// User name.
        user: String,
        /// Password.
        password: Secret,
    },
}

const DELL_EMC_TOKEN: &str = "dell-emc-token";
const SDS_AUTH_TOKEN: &str = "x-sds-auth-token";

/// The headers that authenticate one request.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    /// The login this came from (0 for static credentials).
    generation: u64,
    every: Vec<(HeaderName, HeaderValue)>,
    /// Sent on every method but GET (PowerStore's CSRF token).
    non_get: Vec<(HeaderName, HeaderValue)>,
}

impl Credentials {
    pub(crate) fn basic(user: &str, password: &Secret) -> Self {
        let pair = format!("{user}:{}", password.expose());
        let value = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        );
        Self {
            every: vec![(
                AUTHORIZATION,
                sensitive(&value).expect("base64 is a valid header value"),
            )],
            ..Self::default()
        }
    }

    /// Adds these credentials to a request's headers.
    pub(crate) fn apply(&self, method: &Method, headers: &mut HeaderMap) {
        let extra = if *method == Method::GET {
            &[][..]
        } else {
            &self.non_get[..]
        };
        for (name, value) in self.every.iter().chain(extra) {
            headers.insert(name.clone(), value.clone());
        }
    }
}

/// A header value marked sensitive (hidden from `Debug`, never HPACK-indexed).
fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The current login session, shared by all clones of a transport.
#[derive(Default)]
struct Session {
    generation: u64,
    current: Option<Credentials>,
}

/// An [`Auth`] with its session state.
pub(crate) struct AuthState {
    auth: Auth,
    session: Mutex<Session>,
}

impl AuthState {
    pub(crate) fn new(auth: Auth) -> Self {
        Self {
            auth,
            session: Mutex::default(),
        }
    }

    pub(crate) fn auth(&self) -> &Auth {
        &self.auth
    }

    /// For session kinds, how to log in; `None` for static credentials.
    fn login(&self) -> Option<Login<'_>> {
        let (kind, user, password) = match &self.auth {
            Auth::PowerStore { user, password } => (SessionKind::PowerStore, user, password),
            Auth::Vipr { user, password } => (SessionKind::Vipr, user, password),
            Auth::None | Auth::Basic { .. } | Auth::Bearer(_) => return None,
        };
        Some(Login {
            kind,
            user,
            password,
        })
    }

    fn static_credentials<E>(&self) -> Result<Credentials, Error<E>> {
        Ok(match &self.auth {
            Auth::Basic { user, password } => Credentials::basic(user, password),
            Auth::Bearer(token) => {
                let value = sensitive(&format!("Bearer {}", token.expose())).ok_or_else(|| {
                    Error::Auth {
                        status: None,
                        message: "the bearer token has characters that cannot be sent in a header"
                            .into(),
                    }
                })?;
                Credentials {
                    every: vec![(AUTHORIZATION, value)],
                    ..Credentials::default()
                }
            }
            _ => Credentials::default(),
        })
    }

    /// The credentials for the next request, logging in first if there is no session yet.
    pub(crate) async fn credentials<E>(
        &self,
        transport: &Transport,
    ) -> Result<Credentials, Error<E>> {
        let Some(login) = self.login() else {
            return self.static_credentials();
        };
        let mut session = self.session.lock().await;
        match &session.current {
            Some(current) => Ok(current.clone()),
            None => login.run(transport, &mut session).await,
        }
    }

    /// Replaces credentials the server rejected. When another request already logged in
    /// again since `stale` was handed out, its session is reused.
    pub(crate) async fn renew<E>(
        &self,
        transport: &Transport,
        stale: &Credentials,
    ) -> Result<Credentials, Error<E>> {
        let Some(login) = self.login() else {
            return self.static_credentials();
        };
        let mut session = self.session.lock().await;
        if let Some(current) = &session.current {
            if current.generation != stale.generation {
                return Ok(current.clone());
            }
        }
        session.current = None;
        login.run(transport, &mut session).await
    }

    /// Whether the server says the session is gone.
    pub(crate) fn is_expired(&self, response: &RawResponse) -> bool {
        match (&self.auth, response.status()) {
            (Auth::PowerStore { .. }, 401 | 403) | (Auth::Vipr { .. }, 401) => true,
            (Auth::Vipr { .. }, 302) => response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(redirects_to_login),
            _ => false,
        }
    }
}

/// The session protocols.
#[derive(Clone, Copy)]
enum SessionKind {
    PowerStore,
    Vipr,
}

/// What a session login needs.
struct Login<'a> {
    kind: SessionKind,
    user: &'a str,
    password: &'a Secret,
}

impl Login<'_> {
    /// Logs in with Basic and stores the new session credentials.
    async fn run<E>(
        &self,
        transport: &Transport,
        session: &mut Session,
    ) -> Result<Credentials, Error<E>> {
        let path = match self.kind {
            SessionKind::PowerStore => "login_session",
            SessionKind::Vipr => "login",
        };
        let request = Request::new(Method::GET, path).operation("login");
        let url = request.url(transport.base_url());
        let basic = Credentials::basic(self.user, self.password);
        let answer = transport
            .attempts::<E>(&request, &url, &basic, "login")
            .await?;
        let failed = |message: String| Error::Auth {
            status: Some(answer.status()),
            message,
        };
        if !(200..300).contains(&answer.status()) {
            let mut message = format!("GET {path} answered {}", status_text(answer.status()));
            let body = String::from_utf8_lossy(answer.body());
            for (i, said) in crate::messages::read(&body, crate::response::flat_xml)
                .0
                .iter()
                .enumerate()
            {
                message.push_str(if i == 0 { ": " } else { "; " });
                message.push_str(&said.to_string());
            }
            return Err(failed(message));
        }
        let header = |name: &str| answer.headers().get(name).cloned();
        let mut credentials = match self.kind {
            SessionKind::PowerStore => {
                let cookie = answer
                    .headers()
                    .get_all(SET_COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(|v| v.split(';').next()?.trim().strip_prefix("auth_cookie="))
                    .and_then(|c| sensitive(&format!("auth_cookie={c}")))
                    .ok_or_else(|| failed(format!("GET {path} set no auth_cookie")))?;
                Credentials {
                    every: vec![(COOKIE, cookie)],
                    non_get: header(DELL_EMC_TOKEN)
                        .map(|token| vec![(HeaderName::from_static(DELL_EMC_TOKEN), token)])
                        .unwrap_or_default(),
                    ..Credentials::default()
                }
            }
            SessionKind::Vipr => {
                let token = header(SDS_AUTH_TOKEN)
                    .ok_or_else(|| failed(format!("GET {path} sent no X-SDS-AUTH-TOKEN")))?;
                Credentials {
                    every: vec![(HeaderName::from_static(SDS_AUTH_TOKEN), token)],
                    ..Credentials::default()
                }
            }
        };
        for (_, value) in credentials
            .every
            .iter_mut()
            .chain(credentials.non_get.iter_mut())
        {
            value.set_sensitive(true);
        }
        session.generation += 1;
        credentials.generation = session.generation;
        session.current = Some(credentials.clone());
        tracing::debug!(generation = session.generation, "logged in");
        Ok(credentials)
    }
}

/// Whether a `Location` points at a login page (ViPR's answer to an expired token).
fn redirects_to_login(location: &str) -> bool {
    let path = match url::Url::parse(location) {
        Ok(url) => url.path().to_owned(),
        Err(_) => location
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    path.trim_end_matches('/').ends_with("/login")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_redirects_are_recognised() {
        assert!(redirects_to_login(
            "https://vip:4443/login?service=https://vip:4443/vdc/tasks/x"
        ));
        assert!(redirects_to_login("/login?service=/block/volumes"));
        assert!(!redirects_to_login(
            "https://vip:4443/vdc/tasks/x?next=/login"
        ));
        assert!(!redirects_to_login("/loginx"));
    }

    #[test]
    fn debug_hides_passwords() {
        let auths = [
            Auth::Basic {
                user: "admin".into(),
                password: "pw-basic".into(),
            },
            Auth::Bearer("tok-bearer".into()),
            Auth::PowerStore {
                user: "admin".into(),
                password: "pw-ps".into(),
            },
            Auth::Vipr {
                user: "root".into(),
                password: "pw-vipr".into(),
            },
        ];
        let shown = format!("{auths:?}");
        for secret in ["pw-basic", "tok-bearer", "pw-ps", "pw-vipr"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("admin"));
    }

    #[test]
    fn the_csrf_token_goes_only_on_non_get() {
        let creds = Credentials {
            generation: 1,
            every: vec![(COOKIE, sensitive("auth_cookie=c").unwrap())],
            non_get: vec![(
                HeaderName::from_static(DELL_EMC_TOKEN),
                sensitive("t").unwrap(),
            )],
        };
        let mut get = HeaderMap::new();
        creds.apply(&Method::GET, &mut get);
        assert!(get.contains_key(COOKIE) && !get.contains_key(DELL_EMC_TOKEN));
        let mut post = HeaderMap::new();
        creds.apply(&Method::POST, &mut post);
        assert!(post.contains_key(COOKIE) && post.contains_key(DELL_EMC_TOKEN));
    }
}
