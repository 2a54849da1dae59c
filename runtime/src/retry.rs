//! When a failed attempt may be sent again, and how long to wait first.
//!
//! The rule is that a retry must never do the work twice. A request that never left (no
//! connection) can always be resent, unless the cause will not pass by itself (a name that
//! does not resolve, a refused certificate). After the request was sent, only idempotent
//! methods are resent: on a timeout, a reset or a body cut short, and on the answers that say
//! "busy or failing, try later" (408, 429, 500, 502, 503, 504, with the server's
//! `Retry-After`). A POST that timed out may already have created an import session, so it is
//! reported as `Error::Timeout { sent: true }` instead. Deciding *whether* ([`classify`]) is
//! kept apart from deciding *how long* ([`RetryPolicy::wait`]).

use crate::error::is_idempotent;
use crate::Method;
use chrono::{DateTime, Utc};
use http::HeaderMap;
use std::time::Duration;

/// How often and how patiently the transport retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (default 4; 1 disables retries).
    pub max_attempts: u32,
    /// Upper bound of the first backoff (default 500 ms); it doubles with each attempt.
    pub base_delay: Duration,
    /// No wait is longer than this, `Retry-After` included (default 30 s).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait after attempt number `attempt` (1-based) failed: the server's `Retry-After`
    /// if it gave one, else exponential backoff with full jitter; never over `max_delay`.
    pub(crate) fn wait(&self, attempt: u32, server_wait: Option<Duration>) -> Duration {
        let wait = server_wait.unwrap_or_else(|| {
            let doubling = 2u32.saturating_pow(attempt.saturating_sub(1));
            let ceiling = self.base_delay.saturating_mul(doubling).min(self.max_delay);
            ceiling.mul_f64(fastrand::f64())
        });
        wait.min(self.max_delay)
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// No connection was made; nothing reached the server. `permanent`: the cause will not
    /// pass by itself (DNS, certificate, wrong protocol).
    NotSent { permanent: bool },
    /// The request went out but no answer came in time.
    TimedOutAfterSend,
    /// Any other failure after sending (connection reset, broken body); `permanent` as for
    /// `NotSent` (a port that does not speak HTTP).
    FailedAfterSend { permanent: bool },
    /// The server answered.
    Answered {
        /// HTTP status.
        status: u16,
        /// What its `Retry-After` header asked for.
        retry_after: Option<Duration>,
    },
}

/// Whether to send again, and the wait the server asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Stop,
    Retry { server_wait: Option<Duration> },
}

/// Decides whether an attempt may be repeated without risking duplicate work.
pub(crate) fn classify(method: &Method, attempt: Attempt) -> Decision {
    let retry = Decision::Retry { server_wait: None };
    match attempt {
        Attempt::NotSent { permanent: false } => retry,
        Attempt::NotSent { permanent: true } | Attempt::FailedAfterSend { permanent: true } => {
            Decision::Stop
        }
        _ if !is_idempotent(method) => Decision::Stop,
        Attempt::TimedOutAfterSend | Attempt::FailedAfterSend { permanent: false } => retry,
        Attempt::Answered {
            status: 408 | 429 | 500 | 502 | 503 | 504,
            retry_after,
        } => Decision::Retry {
            server_wait: retry_after,
        },
        Attempt::Answered { .. } => Decision::Stop,
    }
}

/// `Retry-After` as a wait from `now`: delta-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16) -> Attempt {
        Attempt::Answered {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn only_safe_retries_are_allowed() {
        let retry = Decision::Retry { server_wait: None };
        let not_sent = Attempt::NotSent { permanent: false };
        assert_eq!(classify(&Method::POST, not_sent), retry);
        assert_eq!(
            classify(&Method::GET, Attempt::NotSent { permanent: true }),
            Decision::Stop
        );
        assert_eq!(
            classify(&Method::GET, Attempt::FailedAfterSend { permanent: true }),
            Decision::Stop
        );
        for after_send in [
            Attempt::TimedOutAfterSend,
            Attempt::FailedAfterSend { permanent: false },
        ] {
            assert_eq!(classify(&Method::POST, after_send), Decision::Stop);
            assert_eq!(classify(&Method::PATCH, after_send), Decision::Stop);
            assert_eq!(classify(&Method::GET, after_send), retry);
            assert_eq!(classify(&Method::DELETE, after_send), retry);
        }
        for status in [408, 429, 500, 502, 503, 504] {
            assert_eq!(classify(&Method::GET, answered(status)), retry, "{status}");
            assert_eq!(classify(&Method::PUT, answered(status)), retry, "{status}");
            assert_eq!(
                classify(&Method::POST, answered(status)),
                Decision::Stop,
                "{status}"
            );
            assert_eq!(
                classify(&Method::PATCH, answered(status)),
                Decision::Stop,
                "{status}"
            );
        }
        for status in [200, 201, 302, 400, 401, 404, 416, 422, 501] {
            assert_eq!(
                classify(&Method::GET, answered(status)),
                Decision::Stop,
                "{status}"
            );
        }
        let wait = Some(Duration::from_secs(3));
        assert_eq!(
            classify(
                &Method::GET,
                Attempt::Answered {
                    status: 503,
                    retry_after: wait
                }
            ),
            Decision::Retry { server_wait: wait }
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
            .unwrap()
            .to_utc();
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, now), None);
        headers.insert("retry-after", "30".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:05 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(5)));
        headers.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:27:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn waits_grow_with_jitter_and_are_capped() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        for attempt in 1..=8 {
            let ceiling = Duration::from_millis((100u64 << (attempt - 1)).min(1000));
            for _ in 0..50 {
                assert!(policy.wait(attempt, None) <= ceiling);
            }
        }
        let waits: Vec<_> = (0..20).map(|_| policy.wait(3, None)).collect();
        assert!(
            waits.iter().any(|w| *w != waits[0]),
            "jitter varies the wait"
        );
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(30))),
            Duration::from_secs(1)
        );
        assert_eq!(
            policy.wait(1, Some(Duration::from_millis(20))),
            Duration::from_millis(20)
        );
    }
}
