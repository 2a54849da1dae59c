//! The one error type of every generated call, saying where the call failed.
//!
//! Callers mostly need to know three things: did the server possibly act on the request
//! ([`Error::is_sent`]; a POST that timed out may have created something), is it worth trying
//! again later ([`Error::is_transient`]), and what did the server say ([`Error::messages`]: the
//! service's own codes and texts, read from the body even when it does not decode as the
//! documented type). Messages name the operation, the URL (never its query, which can hold a
//! password: LCM's `q={"userPassword":…}`) and the cause, and never a secret. The raw body is
//! kept apart ([`Error::raw_body`]) for verbose output.

use crate::{Cause, Method, ServiceMessage, ValidationError};
use std::time::Duration;

/// Type-erased cause of a decode failure.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What went wrong in a call; `E` is the operation's decoded error body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// A value broke a spec constraint; nothing was sent.
    Validation(ValidationError),
    /// The request could not be built (e.g. a body that does not serialize); nothing was sent.
    InvalidRequest {
        /// The operation that was called.
        operation: String,
        /// What is wrong.
        message: String,
    },
    /// The transport could not be configured (bad base URL, bad CA certificate, a timeout out
    /// of range).
    Config {
        /// What is wrong.
        message: String,
    },
    /// No connection could be made; nothing was sent.
    Connect {
        /// The operation that was called.
        operation: String,
        /// The URL, without its query.
        url: String,
        /// Why (DNS, refused, TLS certificate, …).
        cause: Cause,
        /// Attempts made, the first included.
        attempts: u32,
        /// The underlying error (without its URL).
        source: reqwest::Error,
    },
    /// No complete answer came within the request timeout.
    Timeout {
        /// The operation that was called.
        operation: String,
        /// The request's method: a POST that was sent may have been carried out.
        method: Method,
        /// The URL, without its query.
        url: String,
        /// Whether the request may have reached the server.
        sent: bool,
        /// The request timeout of each attempt.
        after: Duration,
        /// Attempts made, the first included.
        attempts: u32,
    },
    /// The connection failed after the request was sent (reset, closed, a body cut short).
    Transport {
        /// The operation that was called.
        operation: String,
        /// The request's method: a POST that was sent may have been carried out.
        method: Method,
        /// The URL, without its query.
        url: String,
        /// Why.
        cause: Cause,
        /// Attempts made, the first included.
        attempts: u32,
        /// The underlying error (without its URL).
        source: reqwest::Error,
    },
    /// Logging in failed, or the credentials cannot be sent.
    Auth {
        /// The HTTP status of the failed login, if there was one.
        status: Option<u16>,
        /// What happened (never a credential).
        message: String,
    },
    /// The server answered with an error body of the documented type.
    Service {
        /// The operation that was called.
        operation: String,
        /// HTTP status.
        status: u16,
        /// The decoded error body.
        body: E,
        /// The body as text, cut to 2 KiB.
        raw: String,
        /// The service's messages, read from the body.
        messages: Vec<ServiceMessage>,
    },
    /// The server answered with a status or body the spec does not describe.
    UnexpectedResponse {
        /// The operation that was called.
        operation: String,
        /// HTTP status.
        status: u16,
        /// The body as text, cut to 2 KiB.
        raw: String,
        /// Any messages the body holds anyway.
        messages: Vec<ServiceMessage>,
        /// Where a redirect pointed (its query's credentials hidden); redirects are never
        /// followed.
        location: Option<String>,
    },
    /// The body did not decode as the documented type.
    Decode {
        /// The operation that was called.
        operation: String,
        /// HTTP status.
        status: u16,
        /// The body as text, cut to 2 KiB.
        raw: String,
        /// Why decoding failed.
        source: BoxError,
    },
}

impl<E> Error<E> {
    /// The same error with the decoded error body turned into another type (the body of
    /// `Service` mapped by `f`, every other variant as it is): for code that handles the
    /// errors of operations with different error types alike, as a command line does.
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Validation(v) => Error::Validation(v),
            Error::InvalidRequest { operation, message } => {
                Error::InvalidRequest { operation, message }
            }
            Error::Config { message } => Error::Config { message },
            Error::Connect {
                operation,
                url,
                cause,
                attempts,
                source,
            } => Error::Connect {
                operation,
                url,
                cause,
                attempts,
                source,
            },
            Error::Timeout {
                operation,
                method,
                url,
                sent,
                after,
                attempts,
            } => Error::Timeout {
                operation,
                method,
                url,
                sent,
                after,
                attempts,
            },
            Error::Transport {
                operation,
                method,
                url,
                cause,
                attempts,
                source,
            } => Error::Transport {
                operation,
                method,
                url,
                cause,
                attempts,
                source,
            },
            Error::Auth { status, message } => Error::Auth { status, message },
            Error::Service {
                operation,
                status,
                body,
                raw,
                messages,
            } => Error::Service {
                operation,
                status,
                body: f(body),
                raw,
                messages,
            },
            Error::UnexpectedResponse {
                operation,
                status,
                raw,
                messages,
                location,
            } => Error::UnexpectedResponse {
                operation,
                status,
                raw,
                messages,
                location,
            },
            Error::Decode {
                operation,
                status,
                raw,
                source,
            } => Error::Decode {
                operation,
                status,
                raw,
                source,
            },
        }
    }
}

/// Whether repeating a request of this method has the effect of one call.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// `; it was sent, so …` for a failure after sending a request that is not idempotent.
fn may_have_acted(
    f: &mut std::fmt::Formatter<'_>,
    method: &Method,
    sent: bool,
) -> std::fmt::Result {
    if sent && !is_idempotent(method) {
        write!(
            f,
            "; the {method} was sent, so the server may have carried it out: check before trying again"
        )?;
    }
    Ok(())
}

fn attempts_note(f: &mut std::fmt::Formatter<'_>, attempts: u32) -> std::fmt::Result {
    if attempts > 1 {
        write!(f, " ({attempts} attempts)")?;
    }
    Ok(())
}

/// `404 Not Found`.
pub(crate) fn status_text(status: u16) -> String {
    match http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

fn write_messages(
    f: &mut std::fmt::Formatter<'_>,
    messages: &[ServiceMessage],
) -> std::fmt::Result {
    for (i, message) in messages.iter().enumerate() {
        f.write_str(if i == 0 { ": " } else { "; " })?;
        write!(f, "{message}")?;
    }
    Ok(())
}

// Written out rather than derived (thiserror): the runtime keeps proc macros out of the
// dependency graph of every generated crate, which shortens its build.
impl<E> std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Validation(e) => write!(f, "invalid input: {e}"),
            Self::InvalidRequest { operation, message } => {
                write!(f, "{operation}: invalid request: {message}")
            }
            Self::Config { message } => write!(f, "invalid transport configuration: {message}"),
            Self::Connect {
                operation,
                url,
                cause,
                attempts,
                ..
            } => {
                write!(f, "{operation}: cannot connect to {url}: {cause}")?;
                attempts_note(f, *attempts)?;
                f.write_str("; nothing was sent")
            }
            Self::Timeout {
                operation,
                method,
                url,
                sent,
                after,
                attempts,
            } => {
                write!(
                    f,
                    "{operation}: {method} {url}: no answer within {}",
                    seconds(*after)
                )?;
                attempts_note(f, *attempts)?;
                if !sent {
                    f.write_str("; nothing was sent")?;
                }
                may_have_acted(f, method, *sent)
            }
            Self::Transport {
                operation,
                method,
                url,
                cause,
                attempts,
                ..
            } => {
                write!(f, "{operation}: {method} {url}: {cause}")?;
                attempts_note(f, *attempts)?;
                may_have_acted(f, method, true)
            }
            Self::Auth { message, .. } => write!(f, "authentication failed: {message}"),
            Self::Service {
                operation,
                status,
                messages,
                ..
            } => {
                write!(
                    f,
                    "{operation}: the service answered {}",
                    status_text(*status)
                )?;
                if messages.is_empty() {
                    f.write_str(" with no message")?;
                }
                write_messages(f, messages)
            }
            Self::UnexpectedResponse {
                operation,
                status,
                raw,
                messages,
                location,
            } => {
                write!(
                    f,
                    "{operation}: the server answered {}",
                    status_text(*status)
                )?;
                if (200..300).contains(status) {
                    f.write_str(
                        ", a success this operation does not document (the server may have \
                         carried the request out)",
                    )?;
                }
                if let Some(location) = location {
                    write!(f, ", a redirect to {location} (redirects are not followed")?;
                    if looks_like_login(location) {
                        f.write_str(
                            "; a login page means a sign-on proxy stands in front of the API",
                        )?;
                    }
                    f.write_str(")")?;
                    return write_messages(f, messages);
                }
                if !messages.is_empty() {
                    return write_messages(f, messages);
                }
                match crate::messages::read(raw, |_| None).1 {
                    crate::messages::BodyKind::Empty => f.write_str(" with an empty body"),
                    crate::messages::BodyKind::BadJson => {
                        f.write_str(" with a body that is not valid JSON")
                    }
                    crate::messages::BodyKind::Html(title) => {
                        f.write_str(" with an HTML page")?;
                        if let Some(title) = title {
                            write!(f, " ({title:?})")?;
                        }
                        f.write_str(", not the service's answer (a proxy or load balancer?)")
                    }
                    _ => f.write_str(" with a body that holds no message"),
                }
            }
            Self::Decode {
                operation,
                status,
                source,
                ..
            } => {
                if (200..300).contains(status) {
                    write!(
                        f,
                        "{operation}: the server answered {} (it carried the request out), but \
                         the answer could not be read: {source}",
                        status_text(*status)
                    )
                } else {
                    write!(
                        f,
                        "{operation}: the {} answer could not be read: {source}",
                        status_text(*status)
                    )
                }
            }
        }
    }
}

/// Whether a redirect target looks like a sign-on page.
fn looks_like_login(location: &str) -> bool {
    let path = location
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ["login", "signin", "sign-in", "sso", "auth"]
        .iter()
        .any(|word| path.contains(word))
}

/// `30 s`, `1.5 s`, `250 ms`.
pub(crate) fn seconds(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

impl<E: std::fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Validation(e) => Some(e),
            Self::Connect { source, .. } | Self::Transport { source, .. } => Some(source),
            Self::Decode { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(e: ValidationError) -> Self {
        Self::Validation(e)
    }
}

impl<E> Error<E> {
    /// The HTTP status involved, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Service { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::Decode { status, .. } => Some(*status),
            Self::Auth { status, .. } => *status,
            Self::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// Whether the server may have received (and acted on) the request.
    ///
    /// `false` means it certainly did not, so sending again cannot do the work twice.
    pub fn is_sent(&self) -> bool {
        match self {
            Self::Validation(_)
            | Self::InvalidRequest { .. }
            | Self::Config { .. }
            | Self::Connect { .. }
            | Self::Auth { .. } => false,
            Self::Timeout { sent, .. } => *sent,
            _ => true,
        }
    }

    /// Whether the same call may well succeed later: the network failed (but not for a
    /// reason that stays, like a refused certificate), the server was busy or failing (408,
    /// 429, 5xx), or a login failed that way. This says nothing about whether sending again
    /// is safe; see [`Error::is_sent`].
    pub fn is_transient(&self) -> bool {
        let busy = |status: u16| matches!(status, 408 | 429 | 500..=599);
        match self {
            Self::Connect { cause, .. } => !cause.is_permanent(),
            Self::Timeout { .. } => true,
            Self::Transport { cause, .. } => !cause.is_permanent(),
            Self::Auth { status, .. } => status.is_some_and(busy),
            Self::Service { status, .. } | Self::UnexpectedResponse { status, .. } => busy(*status),
            Self::Decode { status, .. } => busy(*status),
            _ => false,
        }
    }

    /// Why the network failed, for connection, timeout and transport errors.
    pub fn cause(&self) -> Option<&Cause> {
        match self {
            Self::Connect { cause, .. } | Self::Transport { cause, .. } => Some(cause),
            Self::Timeout { .. } => Some(&Cause::Timeout),
            _ => None,
        }
    }

    /// The service's messages, when the server answered with an error.
    pub fn messages(&self) -> &[ServiceMessage] {
        match self {
            Self::Service { messages, .. } | Self::UnexpectedResponse { messages, .. } => messages,
            _ => &[],
        }
    }

    /// The answer's body as text (cut to 2 KiB), when there was one: for verbose output,
    /// not for the message.
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Self::Service { raw, .. }
            | Self::UnexpectedResponse { raw, .. }
            | Self::Decode { raw, .. } => Some(raw),
            _ => None,
        }
    }
}

/// At most 2 KiB of a body as text, cut on a character boundary.
pub(crate) fn truncated(body: &[u8]) -> String {
    const LIMIT: usize = 2048;
    let text = String::from_utf8_lossy(body);
    if text.len() <= LIMIT {
        return text.into_owned();
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unexpected(status: u16, raw: &str, location: Option<&str>) -> String {
        Error::<()>::UnexpectedResponse {
            operation: "op".into(),
            status,
            raw: raw.into(),
            messages: crate::messages::read(raw, |_| None).0,
            location: location.map(Into::into),
        }
        .to_string()
    }

    #[test]
    fn unexpected_answers_say_what_came() {
        assert_eq!(
            unexpected(
                502,
                "<html><head><title>502 Bad Gateway</title></head></html>",
                None
            ),
            "op: the server answered 502 Bad Gateway with an HTML page (\"502 Bad Gateway\"), \
             not the service's answer (a proxy or load balancer?)"
        );
        assert_eq!(
            unexpected(404, "404 page not found", None),
            "op: the server answered 404 Not Found: 404 page not found"
        );
        assert_eq!(
            unexpected(500, "", None),
            "op: the server answered 500 Internal Server Error with an empty body"
        );
        assert_eq!(
            unexpected(200, r#"{"id": "x",, "#, None),
            "op: the server answered 200 OK, a success this operation does not document (the \
             server may have carried the request out) with a body that is not valid JSON"
        );
        assert!(
            unexpected(302, "", Some("https://sso.example/login")).starts_with(
                "op: the server answered 302 Found, a redirect to https://sso.example/login"
            )
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(seconds(Duration::from_millis(250)), "250 ms");
        assert_eq!(seconds(Duration::from_secs(60)), "60 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
    }

    #[test]
    fn long_bodies_are_cut_on_a_char_boundary() {
        let body = "é".repeat(3000);
        let cut = truncated(body.as_bytes());
        assert!(cut.starts_with("éé"));
        assert!(cut.ends_with("(6000 bytes in all)"));
        assert!(cut.len() < 2100);
        assert_eq!(truncated(b"short"), "short");
    }

    #[test]
    fn sent_and_status() {
        let timeout = |method: Method| Error::<()>::Timeout {
            operation: "createImportSession".into(),
            method,
            url: "https://array/api/rest/import_session".into(),
            sent: true,
            after: Duration::from_secs(30),
            attempts: 1,
        };
        assert!(timeout(Method::POST).is_sent());
        assert!(timeout(Method::POST).is_transient());
        assert_eq!(timeout(Method::POST).status(), None);
        assert_eq!(
            timeout(Method::POST).to_string(),
            "createImportSession: POST https://array/api/rest/import_session: no answer within 30 s; \
             the POST was sent, so the server may have carried it out: check before trying again"
        );
        assert_eq!(
            timeout(Method::GET).to_string(),
            "createImportSession: GET https://array/api/rest/import_session: no answer within 30 s"
        );
        let service = Error::Service {
            operation: "op".into(),
            status: 422,
            body: 7u8,
            raw: "{}".into(),
            messages: vec![ServiceMessage {
                code: Some("0xE1".into()),
                severity: Some("Error".into()),
                text: Some("In use.".into()),
            }],
        };
        assert_eq!(
            service.to_string(),
            "op: the service answered 422 Unprocessable Entity: [0xE1] Error: In use."
        );
        assert!(!service.is_transient());
        assert_eq!(service.raw_body(), Some("{}"));
        assert_eq!(service.status(), Some(422));
        let invalid: Error<()> = ValidationError::new("name", "too long").into();
        assert!(!invalid.is_sent());
        assert_eq!(invalid.to_string(), "invalid input: name: too long");
    }
}
