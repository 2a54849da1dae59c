//! Runtime for the API clients that `migrate-codegen` generates for PowerStore, Oracle EPM
//! LCM and ViPR.
//!
//! Generated code is thin: it builds a [`Request`], hands it to a [`Transport`] and decodes
//! the [`RawResponse`]. Everything that is the same for every operation lives here, written
//! once by hand: authentication and login sessions, safe retries, logging with credentials
//! hidden, error bodies, paging and waiting for jobs. `docs/runtime-contract.md` lists the API
//! that generated code may use.

#![deny(missing_docs)]

mod auth;
mod call;
mod cause;
pub mod check;
pub mod command;
mod error;
pub mod lenient;
mod messages;
mod model;
pub mod object;
pub mod paging;
mod redact;
mod request;
mod response;
mod retry;
mod secret;
pub mod string_enum;
mod transport;
pub mod union;
mod validate;
pub mod wait;
pub mod waiter;

pub use auth::Auth;
pub use call::{call, Decode};
pub use cause::{Cause, CertificateProblem};
pub use error::{BoxError, Error};
pub use messages::ServiceMessage;
pub use request::{encode_path, pairs, text, Multipart, Request};
pub use response::{RawResponse, Response};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use string_enum::StringEnum;
pub use transport::{Transport, TransportBuilder};
pub use validate::{Validate, ValidationError};

pub use bytes::Bytes;
pub use chrono;
pub use futures_util as futures;
pub use futures_util::stream::BoxStream;
pub use http::HeaderMap;
pub use reqwest::Method;
pub use serde_json;

// For the macros in `model`: the generated crate's own `serde` may be renamed.
#[doc(hidden)]
pub use serde as __serde;
pub use url::Url;

// The README's example is compiled as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;

/// A UTC timestamp (RFC 3339 in JSON).
pub type DateTime = chrono::DateTime<chrono::Utc>;
