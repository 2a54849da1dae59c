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
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// A value broke a spec constraint; nothing was sent.
    #[error("invalid input: {0}")]
    Validation(#[from] ValidationError),
    /// The request could not be built (e.g. a body that does not serialize); nothing was sent.
    #[error("{operation}: invalid request: {message}")]
    InvalidRequest {
        /// The operation that was called.
        operation: String,
        /// What is wrong.
        message: String,
    },
    /// The transport could not be configured (bad base URL, bad CA certificate).
    #[error("invalid transport configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// No connection could be made; nothing was sent.
    #[error("{operation}: could not connect: {source}")]
    Connect {
        /// The operation that was called.
        operation: String,
        /// The underlying error (without its URL).
        #[source]
        source: reqwest::Error,
    },
    /// The call took too long. With `sent: true` the server may have carried it out.
    #[error("{operation}: timed out {}", if *.sent { "after the request was sent (the server may have carried it out)" } else { "before the request was sent" })]
    Timeout {
        /// The operation that was called.
        operation: String,
        /// Whether the request may have reached the server.
        sent: bool,
    },
    /// Any other HTTP-level failure (connection reset, broken body).
    #[error("{operation}: transport error: {source}")]
    Transport {
        /// The operation that was called.
        operation: String,
        /// The underlying error (without its URL).
        #[source]
        source: reqwest::Error,
    },
    /// Logging in failed, or the credentials cannot be sent.
    #[error("authentication failed: {message}")]
    Auth {
        /// The HTTP status of the failed login, if there was one.
        status: Option<u16>,
        /// What happened (never a credential).
        message: String,
    },
    /// The server answered with an error body of the documented type.
    #[error("{operation}: the service answered {status}: {raw}")]
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
    #[error("{operation}: unexpected response {status}: {raw}")]
    UnexpectedResponse {
        /// The operation that was called.
        operation: String,
        /// HTTP status.
        status: u16,
        /// The body as text, cut to 2 KiB.
        raw: String,
    },
    /// The body did not decode as the documented type.
    #[error("{operation}: could not decode the {status} response: {source}")]
    Decode {
        /// The operation that was called.
        operation: String,
        /// HTTP status.
        status: u16,
        /// The body as text, cut to 2 KiB.
        raw: String,
        /// Why decoding failed.
        #[source]
        source: BoxError,
    },
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
