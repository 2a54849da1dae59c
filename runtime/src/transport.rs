//! Sending requests: one configured HTTP client, the base URL, authentication and retries.
//!
//! `Transport` is the only place that talks to the network, so the safety rules live here:
//! TLS is verified unless explicitly switched off (and then a warning is logged), redirects are
//! never followed (a redirect could carry credentials to another host, and ViPR's 302 to
//! `/login` means "log in again"), every attempt has a time limit (60 s by default, so a server
//! that accepts and never answers cannot hang a caller), every exchange is logged at debug
//! level with credentials hidden, retries follow [`crate::retry`], and a failure is reported
//! with its URL and its classified [`Cause`].

use crate::auth::{AuthState, Credentials};
use crate::error::seconds;
use crate::redact;
use crate::request::Body;
use crate::retry::{self, Attempt, Decision};
use crate::{Auth, Cause, Error, RawResponse, Request, RetryPolicy};
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue};
use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// A configured connection to one server. Cloning is cheap and clones share the login session.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    base: Url,
    auth: AuthState,
    retry: RetryPolicy,
    timeout: Duration,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base.as_str())
            .field("auth", self.inner.auth.auth())
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Settings for a [`Transport`]; see [`Transport::builder`].
#[derive(Debug, Clone)]
pub struct TransportBuilder {
    base_url: String,
    auth: Auth,
    ca_certs: Vec<Vec<u8>>,
    insecure: bool,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
}

fn config_error(message: String) -> Error<Infallible> {
    Error::Config { message }
}

impl TransportBuilder {
    /// The request timeout unless [`TransportBuilder::timeout`] sets another.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    /// The connect timeout unless [`TransportBuilder::connect_timeout`] sets another.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The shortest timeout [`TransportBuilder::build`] accepts.
    pub const MIN_TIMEOUT: Duration = Duration::from_millis(10);
    /// The longest timeout [`TransportBuilder::build`] accepts.
    pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

    /// How to authenticate (default [`Auth::None`]).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Also trusts the CA certificates in this PEM (for arrays with their own CA). Cannot be
    /// combined with [`TransportBuilder::insecure`].
    pub fn ca_cert_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_certs.push(pem.into());
        self
    }

    /// Accepts any TLS certificate. Only for lab systems; a warning is logged when the
    /// transport is built.
    pub fn insecure(mut self, insecure: bool) -> Self {
        self.insecure = insecure;
        self
    }

    /// Limit for making a connection (default 10 s; [`Self::MIN_TIMEOUT`] to
    /// [`Self::MAX_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Limit for one attempt, from connecting to the end of the body (default 60 s;
    /// [`Self::MIN_TIMEOUT`] to [`Self::MAX_TIMEOUT`]). An idempotent request that runs out of
    /// time is retried like other transient failures; any other is reported as
    /// [`Error::Timeout`] with `sent: true`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The `User-Agent` header (default `migrate-runtime/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Checks the settings and builds the transport.
    pub fn build(self) -> Result<Transport, Error<Infallible>> {
        let base = Url::parse(&self.base_url)
            .map_err(|e| config_error(format!("base URL {:?} is not a URL: {e}", self.base_url)))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(config_error(format!(
                "base URL {base} is not http or https"
            )));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(config_error(
                "the base URL must not hold credentials; use .auth()".into(),
            ));
        }
        for (name, value) in [
            ("timeout", self.timeout),
            ("connect timeout", self.connect_timeout),
        ] {
            if !(Self::MIN_TIMEOUT..=Self::MAX_TIMEOUT).contains(&value) {
                return Err(config_error(format!(
                    "the {name} of {} is out of range: it must be from {} to {}",
                    seconds(value),
                    seconds(Self::MIN_TIMEOUT),
                    seconds(Self::MAX_TIMEOUT)
                )));
            }
        }
        if self.insecure && !self.ca_certs.is_empty() {
            return Err(config_error(
                "a CA certificate to trust and insecure mode (trust any certificate) exclude \
                 each other: give one of them"
                    .into(),
            ));
        }
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(self.user_agent);
        for pem in &self.ca_certs {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| config_error(format!("the CA certificate is not valid PEM: {e}")))?;
            if certs.is_empty() {
                return Err(config_error("the CA PEM holds no certificate".into()));
            }
            for cert in certs {
                client = client.add_root_certificate(cert);
            }
        }
        if self.insecure {
            tracing::warn!(base_url = %base, "TLS certificate verification is OFF for this server");
            client = client.danger_accept_invalid_certs(true);
        }
        let client = client
            .build()
            .map_err(|e| config_error(format!("cannot build the HTTP client: {e}")))?;
        Ok(Transport {
            inner: Arc::new(Inner {
                client,
                base,
                auth: AuthState::new(self.auth),
                retry: self.retry,
                timeout: self.timeout,
            }),
        })
    }
}

/// How one attempt ended without an answer.
struct Failure {
    attempt: Attempt,
    cause: Cause,
    source: reqwest::Error,
}

impl Transport {
    /// Settings for a transport to `base_url` (`https://array/api/rest`, `https://vip:4443`).
    pub fn builder(base_url: impl Into<String>) -> TransportBuilder {
        TransportBuilder {
            base_url: base_url.into(),
            auth: Auth::None,
            ca_certs: Vec::new(),
            insecure: false,
            connect_timeout: TransportBuilder::DEFAULT_CONNECT_TIMEOUT,
            timeout: TransportBuilder::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: concat!("migrate-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// The base URL every request path is relative to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// Sends a request: authenticates (logging in again once if the session expired), retries
    /// what can be retried safely, and reads the whole body.
    pub async fn send<E>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        let operation = request.operation_name();
        if let Some(message) = &request.invalid {
            return Err(Error::InvalidRequest {
                operation,
                message: message.clone(),
            });
        }
        let url = request.url(&self.inner.base);
        let auth = &self.inner.auth;
        let credentials = auth.credentials(self).await?;
        let mut answer = self
            .attempts(&request, &url, &credentials, &operation)
            .await?;
        if auth.is_expired(&answer) {
            tracing::debug!(%operation, status = answer.status(), "session expired; logging in again");
            let renewed = auth.renew(self, &credentials).await?;
            answer = self.attempts(&request, &url, &renewed, &operation).await?;
        }
        Ok(answer.for_operation(operation))
    }

    /// Sends with the given credentials until an answer comes that must not be retried.
    pub(crate) async fn attempts<E>(
        &self,
        request: &Request,
        url: &Url,
        credentials: &Credentials,
        operation: &str,
    ) -> Result<RawResponse, Error<E>> {
        let policy = &self.inner.retry;
        let mut number = 1;
        loop {
            let outgoing = self.build(request, url, credentials, operation)?;
            tracing::debug!(
                operation,
                method = %request.method,
                url = %redact::url(url),
                attempt = number,
                headers = ?redact::Headers(outgoing.headers()),
                "sending"
            );
            let started = Instant::now();
            let result = self.exchange(outgoing).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let attempt = match &result {
                Ok(answer) => {
                    tracing::debug!(
                        operation,
                        method = %request.method,
                        url = %redact::url(url),
                        status = answer.status(),
                        elapsed_ms,
                        headers = ?redact::Headers(answer.headers()),
                        "answered"
                    );
                    Attempt::Answered {
                        status: answer.status(),
                        retry_after: retry::retry_after(answer.headers(), chrono::Utc::now()),
                    }
                }
                Err(failure) => {
                    tracing::debug!(operation, method = %request.method, url = %redact::url(url), elapsed_ms,
                        cause = %failure.cause, "failed");
                    failure.attempt
                }
            };
            let decision = retry::classify(&request.method, attempt);
            match decision {
                Decision::Retry { server_wait } if number < policy.max_attempts => {
                    let wait = policy.wait(number, server_wait);
                    tracing::debug!(
                        operation,
                        attempt = number,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    number += 1;
                }
                _ => {
                    return result.map_err(|failure| {
                        let operation = operation.to_owned();
                        let url = shown_url(url);
                        let method = request.method.clone();
                        match failure.attempt {
                            Attempt::NotSent { .. } => Error::Connect {
                                operation,
                                url,
                                cause: failure.cause,
                                attempts: number,
                                source: failure.source,
                            },
                            Attempt::TimedOutAfterSend => Error::Timeout {
                                operation,
                                method,
                                url,
                                sent: true,
                                after: self.inner.timeout,
                                attempts: number,
                            },
                            _ => Error::Transport {
                                operation,
                                method,
                                url,
                                cause: failure.cause,
                                attempts: number,
                                source: failure.source,
                            },
                        }
                    })
                }
            }
        }
    }

    /// One exchange, body included.
    async fn exchange(&self, outgoing: reqwest::Request) -> Result<RawResponse, Failure> {
        let classify = |source: reqwest::Error| {
            let cause = Cause::of(&source);
            let attempt = if source.is_connect() {
                Attempt::NotSent {
                    permanent: cause.is_permanent(),
                }
            } else if source.is_timeout() {
                Attempt::TimedOutAfterSend
            } else {
                Attempt::FailedAfterSend {
                    permanent: cause.is_permanent(),
                }
            };
            // The URL can carry credentials in its query, so errors never show it.
            Failure {
                attempt,
                cause,
                source: source.without_url(),
            }
        };
        let response = self
            .inner
            .client
            .execute(outgoing)
            .await
            .map_err(classify)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(classify)?;
        Ok(RawResponse::new(status, headers, body))
    }

    /// The reqwest request for one attempt.
    fn build<E>(
        &self,
        request: &Request,
        url: &Url,
        credentials: &Credentials,
        operation: &str,
    ) -> Result<reqwest::Request, Error<E>> {
        let invalid = |message: String| Error::InvalidRequest {
            operation: operation.to_owned(),
            message,
        };
        let mut headers = HeaderMap::new();
        let accept = HeaderValue::from_str(&request.accept).map_err(|_| {
            invalid(format!(
                "Accept {:?} is not a valid header value",
                request.accept
            ))
        })?;
        headers.insert(ACCEPT, accept);
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("{name:?} is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                invalid(format!(
                    "the value of header {name} is not a valid header value"
                ))
            })?;
            headers.append(name, value);
        }
        credentials.apply(&request.method, &mut headers);
        let builder = self
            .inner
            .client
            .request(request.method.clone(), url.clone())
            .headers(headers);
        let builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes {
                content_type,
                bytes,
            } => builder
                .header(CONTENT_TYPE, content_type)
                .body(bytes.clone()),
            Body::Form(fields) => builder.form(fields),
            Body::Multipart(parts) => builder.multipart(parts.to_form()),
        };
        builder
            .build()
            .map_err(|e| invalid(format!("cannot build the request: {}", e.without_url())))
    }
}

/// A URL as errors show it: without its query, which can hold credentials.
fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}
