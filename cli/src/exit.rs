//! Exit codes, and the one error type every command returns.
//!
//! Scripts branch on the exit code, so each kind of failure has its own:
//!
//! | code | meaning |
//! |------|---------|
//! | 0    | success |
//! | 2    | usage or validation error: bad flags, a value the spec does not allow; nothing was sent |
//! | 3    | the service refused or failed the request (an HTTP error answer, failed login) |
//! | 4    | a job, import or task ran and ended in failure |
//! | 5    | stopped waiting at `--wait-timeout`; the work may still be running |
//! | 6    | could not reach the service (connection refused, TLS, DNS, request timeout, a connection broken after sending) |
//! | 130  | interrupted with Ctrl-C while waiting; the work goes on and the resume command is printed |
//!
//! A runtime error's message is the runtime's (operation, URL, cause, the service's messages),
//! plus a hint in terms of this command's flags where one helps (`--ca-cert` for a certificate
//! signed by an unknown authority, `http://` for a port that speaks plain HTTP). The raw body
//! of an error answer is logged at `-v`, the error's whole `source()` chain at `-vv`.

use std::fmt;

use migrate_runtime::wait::WaitError;
use migrate_runtime::{Cause, CertificateProblem, Error};

use crate::wait::Stopped;

/// Why the command did not succeed, and the exit code that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// 2: usage or validation error; nothing was sent.
    Usage = 2,
    /// 3: the service answered with an error.
    Service = 3,
    /// 4: the job, import or task failed.
    Failed = 4,
    /// 5: stopped waiting at the deadline.
    Timeout = 5,
    /// 6: the service could not be reached.
    Connection = 6,
    /// 130: interrupted while waiting.
    Interrupted = 130,
}

/// A failed command: its exit code and a message for stderr (never holding a secret).
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: Code,
    /// What went wrong.
    pub message: String,
    /// When a wait ended without success: what it waited for, its ids and the command that
    /// resumes it (printed on stdout by `main`).
    pub stopped: Option<Box<Stopped>>,
    /// The HTTP status of the answer that made the command fail, if one did (a 401 to a
    /// bearer token gets its own hint).
    pub status: Option<u16>,
}

impl Failure {
    /// A failure with `code`.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            stopped: None,
            status: None,
        }
    }

    /// Adds `hint` to the message, as the hints for flags are added.
    pub fn with_hint(mut self, hint: &str) -> Self {
        self.message = format!("{}\n  hint: {hint}", self.message);
        self
    }

    /// A usage or validation error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Code::Usage, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The exit code for a runtime error: validation is usage, unreachable is connection, the
/// rest is the service's answer.
pub fn code_of<E>(error: &Error<E>) -> Code {
    match error {
        Error::Validation(_) | Error::InvalidRequest { .. } | Error::Config { .. } => Code::Usage,
        Error::Connect { .. } | Error::Timeout { .. } | Error::Transport { .. } => Code::Connection,
        _ => Code::Service,
    }
}

impl<E> From<Error<E>> for Failure {
    fn from(error: Error<E>) -> Self {
        log_details(&error);
        Self {
            status: error.status(),
            ..Self::new(code_of(&error), with_hint(error.to_string(), &error))
        }
    }
}

/// The message with a hint in terms of the CLI's flags, when one helps.
fn with_hint<E>(message: String, error: &Error<E>) -> String {
    match hint(error) {
        Some(hint) => format!("{message}\n  hint: {hint}"),
        None => message,
    }
}

fn hint<E>(error: &Error<E>) -> Option<&'static str> {
    if let Error::UnexpectedResponse {
        location: Some(_), ..
    } = error
    {
        return Some(
            "--host must point at the service's API itself, not at a sign-on page or proxy",
        );
    }
    Some(match error.cause()? {
        Cause::Certificate(CertificateProblem::UnknownIssuer) => {
            "if the server has a certificate of its own CA, trust that CA with --ca-cert FILE \
             (PEM); --insecure skips the check, for lab systems only"
        }
        Cause::Certificate(CertificateProblem::WrongName(_)) => {
            "use the host name the certificate was issued for in --host"
        }
        Cause::Certificate(CertificateProblem::Expired | CertificateProblem::NotValidYet) => {
            "check the server's certificate and this machine's clock"
        }
        Cause::Certificate(_) | Cause::Tls(_) => {
            "--ca-cert FILE trusts a private CA; --insecure skips the check, for lab systems only"
        }
        Cause::NotTls => "this port speaks plain HTTP: use http:// in --host",
        Cause::NotHttp => "if this port expects TLS, use https:// in --host",
        Cause::Dns(_) => "check the host name in --host (or the profile's host)",
        Cause::Refused => "check the host and port in --host, and that the service is running",
        Cause::ConnectTimeout => "check the host in --host and the network path to it",
        Cause::Timeout => "a slow server may need a longer --timeout SECS (default 60)",
        _ => return None,
    })
}

/// `-v` logs the raw body of an error answer, `-vv` the error's `source()` chain.
fn log_details<E>(error: &Error<E>) {
    if let Some(body) = error.raw_body().filter(|b| !b.is_empty()) {
        tracing::info!("the answer's body: {body}");
    }
    // The chain below the runtime's error (its own `source()` needs `E: Debug`).
    let mut source: Option<&(dyn std::error::Error + 'static)> = match error {
        Error::Connect { source, .. } | Error::Transport { source, .. } => Some(source),
        Error::Decode { source, .. } => Some(&**source),
        Error::Validation(e) => Some(e),
        _ => None,
    };
    let mut depth = 0;
    while let Some(cause) = source {
        depth += 1;
        tracing::debug!("cause {depth}: {cause} ({cause:?})");
        source = cause.source();
    }
}

impl From<migrate_runtime::ValidationError> for Failure {
    fn from(error: migrate_runtime::ValidationError) -> Self {
        Self::usage(format!("invalid input: {error}"))
    }
}

impl<E> From<WaitError<E>> for Failure {
    fn from(error: WaitError<E>) -> Self {
        let message = error.to_string();
        match &error {
            WaitError::Poll { error: last, .. } => {
                log_details(last);
                Self {
                    status: last.status(),
                    ..Self::new(code_of(last), with_hint(message, last))
                }
            }
            WaitError::Timeout { last_error, .. } => {
                if let Some(last) = last_error {
                    log_details(last);
                }
                Self::new(Code::Timeout, message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_is_usage_and_timeouts_are_connection() {
        let v: Error<()> = migrate_runtime::ValidationError {
            field: "name".into(),
            message: "too long".into(),
        }
        .into();
        assert_eq!(code_of(&v), Code::Usage);
        let t: Error<()> = Error::Timeout {
            operation: "x".into(),
            method: migrate_runtime::Method::GET,
            url: "https://array/api/rest/job/1".into(),
            sent: true,
            after: std::time::Duration::from_secs(60),
            attempts: 4,
        };
        assert_eq!(code_of(&t), Code::Connection);
        let failure = Failure::from(t);
        assert!(
            failure
                .message
                .ends_with("hint: a slow server may need a longer --timeout SECS (default 60)"),
            "{}",
            failure.message
        );
        let a: Error<()> = Error::Auth {
            status: Some(401),
            message: "no".into(),
        };
        assert_eq!(code_of(&a), Code::Service);
    }
}
