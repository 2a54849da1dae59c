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
//! | 6    | could not reach the service (connection refused, TLS, DNS, request timeout) |
//! | 130  | interrupted with Ctrl-C while waiting; the work goes on and the resume command is printed |

use std::fmt;

use migrate_runtime::Error;

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
}

impl Failure {
    /// A failure with `code`.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
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
        Self::new(code_of(&error), error.to_string())
    }
}

impl From<migrate_runtime::ValidationError> for Failure {
    fn from(error: migrate_runtime::ValidationError) -> Self {
        Self::usage(format!("invalid input: {error}"))
    }
}

impl<E> From<migrate_runtime::wait::WaitError<E>> for Failure {
    fn from(error: migrate_runtime::wait::WaitError<E>) -> Self {
        match error {
            migrate_runtime::wait::WaitError::Poll(e) => e.into(),
            timeout @ migrate_runtime::wait::WaitError::Timeout { .. } => {
                Self::new(Code::Timeout, timeout.to_string())
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
            sent: true,
        };
        assert_eq!(code_of(&t), Code::Connection);
        let a: Error<()> = Error::Auth {
            status: Some(401),
            message: "no".into(),
        };
        assert_eq!(code_of(&a), Code::Service);
    }
}
