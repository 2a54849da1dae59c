//! The one error type of every generated call, saying where the call failed.
//!
//! Callers mostly need to know two things: did the server possibly act on the request
//! ([`Error::is_sent`]; a timed-out POST may have created something), and what did the server
//! say ([`Error::Service`] with the decoded vendor error body). Messages carry the operation
//! name and never a secret: URLs are stripped from `reqwest` errors because query strings can
//! hold passwords (LCM's `q={"userPassword":…}`).

use crate::ValidationError;

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
    /// The transport could not be configured (bad base URL, bad CA certificate).
    Config {
        /// What is wrong.
        message: String,
    },
    /// No connection could be made; nothing was sent.
    Connect {
        /// The operation that was called.
        operation: String,
        /// The underlying error (without its URL).
        source: reqwest::Error,
    },
    /// The call took too long. With `sent: true` the server may have carried it out.
    Timeout {
        /// The operation that was called.
        operation: String,
        /// Whether the request may have reached the server.
        sent: bool,
    },
    /// Any other HTTP-level failure (connection reset, broken body).
    Transport {
        /// The operation that was called.
        operation: String,
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
    },
    /// The server answered with a status or body the spec does not describe.
    UnexpectedResponse {
        /// The operation that was called.
        operation: String,
        /// HTTP status.
        status: u16,
        /// The body as text, cut to 2 KiB.
        raw: String,
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
            Self::Connect { operation, source } => {
                write!(f, "{operation}: could not connect: {source}")
            }
            Self::Timeout { operation, sent } => {
                let when = if *sent {
                    "after the request was sent (the server may have carried it out)"
                } else {
                    "before the request was sent"
                };
                write!(f, "{operation}: timed out {when}")
            }
            Self::Transport { operation, source } => {
                write!(f, "{operation}: transport error: {source}")
            }
            Self::Auth { message, .. } => write!(f, "authentication failed: {message}"),
            Self::Service {
                operation,
                status,
                raw,
                ..
            } => write!(f, "{operation}: the service answered {status}: {raw}"),
            Self::UnexpectedResponse {
                operation,
                status,
                raw,
            } => write!(f, "{operation}: unexpected response {status}: {raw}"),
            Self::Decode {
                operation,
                status,
                source,
                ..
            } => write!(
                f,
                "{operation}: could not decode the {status} response: {source}"
            ),
        }
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
        let timeout: Error<()> = Error::Timeout {
            operation: "createImportSession".into(),
            sent: true,
        };
        assert!(timeout.is_sent());
        assert_eq!(timeout.status(), None);
        assert_eq!(
            timeout.to_string(),
            "createImportSession: timed out after the request was sent (the server may have carried it out)"
        );
        let service = Error::Service {
            operation: "op".into(),
            status: 422,
            body: 7u8,
            raw: "{}".into(),
        };
        assert_eq!(service.status(), Some(422));
        let invalid: Error<()> = ValidationError::new("name", "too long").into();
        assert!(!invalid.is_sent());
        assert_eq!(invalid.to_string(), "invalid input: name: too long");
    }
}
