//! Hand-written conveniences on top of the generated clients.
//!
//! The generated modules map each spec operation to one method and nothing more; what a caller
//! actually wants is usually a small workflow across several calls: log in to a host, start
//! something, wait until it is really finished, and get every error message the server kept
//! when it is not. Those workflows depend on vendor behaviour no spec can express (which job
//! phases are final, that LCM error details are paged behind links, that a ViPR full copy
//! returns several tasks that must all be watched), so they are written here by hand, one file
//! per service, and use only the generated clients and `migrate_runtime`. Waiting always goes
//! through [`migrate_runtime::wait::until`], so timeouts and progress reporting behave the same
//! for every service.

#[cfg(feature = "lcm")]
pub mod lcm;
#[cfg(feature = "powerstore")]
pub mod powerstore;
#[cfg(feature = "vipr")]
pub mod vipr;

use migrate_runtime::{Auth, Error, RetryPolicy, Transport, TransportBuilder};
use std::convert::Infallible;
use std::time::Duration;

/// Transport settings shared by every `connect` helper; the defaults are the runtime's.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// Limit for one attempt of a request (runtime default 60 s, see
    /// [`TransportBuilder::DEFAULT_TIMEOUT`]).
    pub timeout: Option<Duration>,
    /// Limit for making a connection (runtime default 10 s).
    pub connect_timeout: Option<Duration>,
    /// Retry policy (runtime default: 4 attempts).
    pub retry: Option<RetryPolicy>,
    /// Extra CA certificates (PEM) to trust, for servers with their own CA.
    pub ca_cert_pem: Option<Vec<u8>>,
    /// Accept any TLS certificate (lab systems only).
    pub insecure: bool,
}

impl ConnectOptions {
    /// Builds a transport for `host_url` followed by `base_path`, authenticating with `auth`.
    fn transport(
        &self,
        host_url: &str,
        base_path: &str,
        auth: Auth,
    ) -> Result<Transport, Error<Infallible>> {
        let base = format!("{}{base_path}", host_url.trim_end_matches('/'));
        let mut builder: TransportBuilder =
            Transport::builder(base).auth(auth).insecure(self.insecure);
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(retry) = &self.retry {
            builder = builder.retry(retry.clone());
        }
        if let Some(pem) = &self.ca_cert_pem {
            builder = builder.ca_cert_pem(pem.clone());
        }
        builder.build()
    }
}
