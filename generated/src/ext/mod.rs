//! Hand-written workflows on top of the generated clients: only what spans several calls.
//!
//! The generated modules map each spec operation to one method, and what the specs declare
//! beyond that is generated too: waits (`x-migrate-waiter` gives `wait_until_<name>` and a
//! `waiters::<NAME>` rule, polled by `migrate_runtime::waiter` on `migrate_runtime::wait`,
//! transient poll failures included) and paging (`_stream` methods). What is left here is
//! what no single operation describes: logging in to a host (`connect`), turning a name into
//! an id, an LCM import followed by the collection of every failed task's messages (with a
//! status poll sent again as POST where a server wants that), and a ViPR full copy's tasks
//! waited for all at once. One file per service; each uses only the generated clients and
//! `migrate_runtime`.

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
    pub fn transport(
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
