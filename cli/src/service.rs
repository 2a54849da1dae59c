//! One descriptor per service: the profile key of its host, its base path, how it
//! authenticates and how to connect to it.
//!
//! `connect` and `--dry-run` both read the descriptor, so what a dry run says about the
//! credentials is written next to the code that sends them, and a host given with the base
//! path (`https://array/api/rest`) is understood the same way by both. A service that takes an
//! OAuth 2.0 bearer token (LCM) has a second way to connect; when the user gives a token it
//! is used instead of the user and password.

use std::convert::Infallible;

use migrate_clients::ext::{
    lcm as lcm_ext, powerstore as ps_ext, vipr as vipr_ext, ConnectOptions,
};
use migrate_clients::{lcm, powerstore, vipr};
use migrate_runtime::{Auth, Error, Secret, Transport, Url};

use crate::exit::Failure;

/// The user and password a command logs in with.
#[derive(Debug, Clone)]
pub struct Login {
    /// User name.
    pub user: String,
    /// Password (its `Debug` is `***`).
    pub password: Secret,
}

/// What a command proves who it is with.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A user and password.
    Password(Login),
    /// An OAuth 2.0 access token (its `Debug` is `***`).
    Token(Secret),
}

/// How a service authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// PowerStore: Basic on `GET /login_session`, then its `DELL-EMC-TOKEN` and session cookie.
    PowerStoreSession,
    /// HTTP Basic on every request (LCM).
    Basic,
    /// `Authorization: Bearer` on every request (LCM with an OAuth 2.0 token).
    Bearer,
    /// ViPR: Basic on `GET /login`, then the `X-SDS-AUTH-TOKEN` it answers with.
    ViprToken,
}

impl AuthKind {
    /// The credentials as `--dry-run` shows them: where they go, never their values.
    pub fn shown(self) -> &'static str {
        match self {
            AuthKind::PowerStoreSession => {
                "Authorization: Basic *** (then DELL-EMC-TOKEN and a session cookie)"
            }
            AuthKind::Basic => "Authorization: Basic ***",
            AuthKind::Bearer => "Authorization: Bearer ***",
            AuthKind::ViprToken => "X-SDS-AUTH-TOKEN: *** (from GET /login)",
        }
    }
}

type Connect<C, K> = fn(&str, K, &ConnectOptions) -> Result<C, Error<Infallible>>;

/// A service `migrate` talks to, and its client type `C`.
pub struct Service<C> {
    /// The name in messages.
    pub name: &'static str,
    /// The profile key holding the service's own host (else the profile's `host`).
    pub profile_key: &'static str,
    /// The path every operation's path is relative to.
    pub base_path: &'static str,
    /// How `connect` authenticates with a user and password.
    pub auth: AuthKind,
    connect: Connect<C, Login>,
    /// How it connects with a bearer token, if it takes one.
    connect_with_token: Option<Connect<C, Secret>>,
}

/// Dell PowerStore.
pub const POWERSTORE: Service<powerstore::Client> = Service {
    name: "PowerStore",
    profile_key: "powerstore_host",
    base_path: powerstore::Client::BASE_PATH,
    auth: AuthKind::PowerStoreSession,
    connect: |host, login, options| ps_ext::connect(host, login.user, login.password, options),
    connect_with_token: None,
};

/// Oracle EPM LCM.
pub const LCM: Service<lcm::Client> = Service {
    name: "LCM",
    profile_key: "lcm_host",
    base_path: lcm::Client::BASE_PATH,
    auth: AuthKind::Basic,
    connect: |host, login, options| {
        let credentials = lcm_ext::Credentials::Basic {
            user: login.user,
            password: login.password,
        };
        lcm_ext::connect(host, credentials, options)
    },
    connect_with_token: Some(|host, token, options| {
        lcm_ext::connect(host, lcm_ext::Credentials::Bearer(token), options)
    }),
};

/// EMC ViPR.
pub const VIPR: Service<vipr::Client> = Service {
    name: "ViPR",
    profile_key: "vipr_host",
    base_path: vipr::Client::BASE_PATH,
    auth: AuthKind::ViprToken,
    connect: |host, login, options| vipr_ext::connect(host, login.user, login.password, options),
    connect_with_token: None,
};

/// PowerStore's login operation itself (`GET /login_session`), as `migrate api` sends it:
/// with Basic credentials, as the session's own login does, not with the session.
pub const POWERSTORE_LOGIN: Service<Transport> = Service {
    name: "PowerStore",
    profile_key: "powerstore_host",
    base_path: powerstore::Client::BASE_PATH,
    auth: AuthKind::Basic,
    connect: |host, login, options| {
        let auth = Auth::Basic {
            user: login.user,
            password: login.password,
        };
        options.transport(host, powerstore::Client::BASE_PATH, auth)
    },
    connect_with_token: None,
};

/// ViPR's login operation itself (`GET /login`), with Basic credentials (see
/// [`POWERSTORE_LOGIN`]).
pub const VIPR_LOGIN: Service<Transport> = Service {
    name: "ViPR",
    profile_key: "vipr_host",
    base_path: vipr::Client::BASE_PATH,
    auth: AuthKind::Basic,
    connect: |host, login, options| {
        let auth = Auth::Basic {
            user: login.user,
            password: login.password,
        };
        options.transport(host, vipr::Client::BASE_PATH, auth)
    },
    connect_with_token: None,
};

impl AuthKind {
    /// The operation (method and path below the base path) that logs in, for a service whose
    /// session starts with one; it takes Basic credentials itself.
    pub fn login(self) -> Option<(&'static str, &'static str)> {
        match self {
            AuthKind::PowerStoreSession => Some(("GET", "/login_session")),
            AuthKind::ViprToken => Some(("GET", "/login")),
            AuthKind::Basic | AuthKind::Bearer => None,
        }
    }
}

impl<C> Service<C> {
    /// Whether the service takes a bearer token.
    pub fn takes_token(&self) -> bool {
        self.connect_with_token.is_some()
    }

    /// How the service authenticates, given whether the user gave a token.
    pub fn auth(&self, token: bool) -> AuthKind {
        if token && self.takes_token() {
            AuthKind::Bearer
        } else {
            self.auth
        }
    }

    /// A client for the service at `host` (checked by [`Service::root`]); a token goes to a
    /// service that takes one, and is refused by one that does not.
    pub fn connect(
        &self,
        host: &Host,
        credentials: Credentials,
        options: &ConnectOptions,
    ) -> Result<C, Failure> {
        let root = self.root(host)?;
        let root = root.as_str().trim_end_matches('/');
        Ok(match (credentials, self.connect_with_token) {
            (Credentials::Password(login), _) => (self.connect)(root, login, options)?,
            (Credentials::Token(token), Some(connect)) => connect(root, token, options)?,
            (Credentials::Token(_), None) => {
                return Err(Failure::usage(format!(
                    "{} does not take a bearer token; it logs in with --user and a password",
                    self.name
                )))
            }
        })
    }

    /// The URL every operation's path is appended to: the host's root and the base path.
    pub fn base_url(&self, host: &Host) -> Result<Url, Failure> {
        let root = self.root(host)?;
        let base = format!("{}{}", root.as_str().trim_end_matches('/'), self.base_path);
        Url::parse(&base).map_err(|e| host.refuse(&format!("not a URL with the base path: {e}")))
    }

    /// The host as a URL without a path. A host that ends in the service's base path
    /// (`https://array/api/rest` for PowerStore) means the same host; any other path, a query,
    /// credentials or a scheme other than http(s) is refused, so nothing goes to a URL the user
    /// did not mean.
    pub fn root(&self, host: &Host) -> Result<Url, Failure> {
        let mut url = Url::parse(host.value.trim()).map_err(|e| {
            host.refuse(&format!(
                "not a URL ({e}); give the address with its scheme, e.g. https://array.example.com"
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(host.refuse("the scheme must be https (or http)"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(host.refuse(
                "credentials do not belong in the address; give --user, and the password in \
                 MIGRATE_PASSWORD or --password-stdin",
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(host.refuse("it names no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(host.refuse("an address has no query or fragment"));
        }
        let path = url.path().trim_end_matches('/');
        if !path.is_empty() && path != self.base_path {
            let hint = if self.base_path.is_empty() {
                format!("the {} paths are added to it", self.name)
            } else {
                format!(
                    "the {} base path {} is added to it",
                    self.name, self.base_path
                )
            };
            return Err(host.refuse(&format!(
                "an address has no path here ({path}); give only scheme, host and port: {hint}"
            )));
        }
        url.set_path("/");
        Ok(url)
    }
}

/// A host as the user gave it, and where it was given (for messages).
#[derive(Debug, Clone)]
pub struct Host {
    /// The text.
    pub value: String,
    /// Where it came from: `--host`, `MIGRATE_HOST` or a profile key.
    pub source: String,
}

impl Host {
    fn refuse(&self, why: &str) -> Failure {
        Failure::usage(format!("{} {}: {why}", self.source, shown_url(&self.value)))
    }
}

/// A URL as it may be shown: anything before an `@` (user info, which may hold a password)
/// replaced by `***`, so a password typed into the address never reaches a message.
fn shown_url(text: &str) -> String {
    let text = text.trim();
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), text),
    };
    match rest.rsplit_once('@') {
        Some((_, after)) => format!("{scheme}***@{after}"),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: &str) -> Host {
        Host {
            value: value.to_string(),
            source: "--host".to_string(),
        }
    }

    #[test]
    fn the_base_path_is_understood_and_other_paths_refused() {
        for given in [
            "https://array",
            "https://array/",
            "https://array/api/rest",
            "https://array/api/rest/",
        ] {
            let base = POWERSTORE.base_url(&host(given)).unwrap();
            assert_eq!(base.as_str(), "https://array/api/rest", "{given}");
        }
        let base = POWERSTORE.base_url(&host("http://127.0.0.1:8080")).unwrap();
        assert_eq!(base.as_str(), "http://127.0.0.1:8080/api/rest");
        let e = POWERSTORE.root(&host("https://array/api")).unwrap_err();
        assert!(e.message.contains("no path here (/api)"), "{e}");
        assert!(e.message.contains("/api/rest is added"), "{e}");
        let e = LCM.root(&host("https://tenant/interop/rest")).unwrap_err();
        assert!(e.message.contains("no path"), "{e}");
    }

    #[test]
    fn bad_hosts_are_refused_without_showing_a_password() {
        for (given, why) in [
            ("array.example.com", "not a URL"),
            ("ftp://array", "scheme"),
            ("https://array?x=1", "no query"),
            ("https://admin:S3cret@array", "credentials"),
            ("https://:S3cret@array", "credentials"),
        ] {
            let e = VIPR.root(&host(given)).unwrap_err();
            assert!(e.message.contains(why), "{given}: {e}");
            assert!(!e.message.contains("S3cret"), "{e}");
        }
        assert_eq!(shown_url("admin:S3cret@array"), "***@array");
        assert_eq!(shown_url("https://a:b@array/x"), "https://***@array/x");
    }
}
