//! PowerStore's `error_response` body and the status/code pairs the simulator answers with.
//!
//! Why: every PowerStore failure (auth, validation, wrong state, paging) must come back in the
//! same `{"messages":[{code, severity, message_l10n, arguments}]}` shape so clients can parse
//! them uniformly; the hex codes themselves are the simulator's own (the real catalogue is not
//! public), only their format follows the vendor's.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub(crate) const CODE_UNAUTHENTICATED: &str = "0xE09010010001";
pub(crate) const CODE_FORBIDDEN: &str = "0xE09010010013";
pub(crate) const CODE_BAD_REQUEST: &str = "0xE04040010004";
pub(crate) const CODE_NOT_FOUND: &str = "0xE04040010005";
pub(crate) const CODE_RANGE: &str = "0xE04040010006";
pub(crate) const CODE_DUPLICATE_NAME: &str = "0xE0301001000B";
pub(crate) const CODE_INVALID_STATE: &str = "0xE0301001000A";
pub(crate) const CODE_INJECTED_JOB_FAILURE: &str = "0xE0301001000C";
pub(crate) const CODE_GENERIC_FAULT: &str = "0xE0A0F0010001";

/// One PowerStore error: an HTTP status plus a single `error_message`.
#[derive(Debug, Clone)]
pub(crate) struct PsError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) arguments: Vec<String>,
}

impl PsError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        PsError {
            status,
            code,
            message: message.into(),
            arguments: Vec::new(),
        }
    }

    pub(crate) fn with_argument(mut self, argument: impl Into<String>) -> Self {
        self.arguments.push(argument.into());
        self
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, CODE_BAD_REQUEST, message)
    }

    pub(crate) fn not_found(kind: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            CODE_NOT_FOUND,
            format!("The {kind} with id {id} was not found."),
        )
        .with_argument(id)
    }

    pub(crate) fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            CODE_INVALID_STATE,
            message,
        )
    }

    pub(crate) fn range(message: impl Into<String>) -> Self {
        Self::new(StatusCode::RANGE_NOT_SATISFIABLE, CODE_RANGE, message)
    }

    /// The `error_response` body.
    pub(crate) fn body(&self) -> Value {
        json!({"messages": [{
            "code": self.code,
            "severity": "Error",
            "message_l10n": self.message,
            "arguments": self.arguments,
        }]})
    }
}

impl IntoResponse for PsError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}
