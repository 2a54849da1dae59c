//! Why an exchange with a server failed below HTTP: the cause, told apart.
//!
//! `reqwest` reports every network failure as "error sending request", and the part a person
//! needs (the name did not resolve, nothing listens on the port, the certificate is signed by
//! an unknown authority, the port speaks plain HTTP) is several `source()` levels down, inside
//! `hyper`, `std::io` and `rustls` errors. [`Cause::of`] walks that chain once, so messages,
//! retry decisions and the CLI's hints all read the same classification.

use std::error::Error as StdError;
use std::fmt;
use std::io;

/// What went wrong on the way to an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// The host name did not resolve (the resolver's words).
    Dns(String),
    /// Nothing accepted the connection on that address and port.
    Refused,
    /// No connection was made within the connect timeout.
    ConnectTimeout,
    /// The server's certificate was not accepted.
    Certificate(CertificateProblem),
    /// The TLS handshake failed for another reason (the TLS library's words).
    Tls(String),
    /// `https` to a port that answered in plain HTTP.
    NotTls,
    /// Plain `http` to a port that did not answer in HTTP (often a TLS port).
    NotHttp,
    /// The connection was reset.
    Reset,
    /// The server closed the connection before an answer began.
    Closed,
    /// The connection ended in the middle of the answer's body.
    BodyCut,
    /// No answer (or no complete body) came within the request timeout.
    Timeout,
    /// Anything else (the innermost error's words).
    Other(String),
}

/// Why a server's certificate was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateProblem {
    /// Signed by an authority that is not trusted (self-signed, or a private CA).
    UnknownIssuer,
    /// Not issued for the host name or address that was used (the TLS library's words).
    WrongName(String),
    /// Expired.
    Expired,
    /// Not valid yet.
    NotValidYet,
    /// Revoked.
    Revoked,
    /// Another problem (the TLS library's words).
    Other(String),
}

impl Cause {
    /// Classifies a `reqwest` error by walking its `source()` chain, looking inside the
    /// `io::Error`s that wrap TLS errors.
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        let chain = chain(error);
        if let Some(tls) = chain.iter().find_map(|e| e.downcast_ref::<rustls::Error>()) {
            return Self::from_tls(tls);
        }
        // hyper_util's connector names DNS failures only in its message.
        if let Some(position) = chain.iter().position(|e| e.to_string() == "dns error") {
            let detail = chain
                .get(position + 1..)
                .and_then(<[_]>::last)
                .map_or_else(|| "no address".to_owned(), |e| e.to_string());
            return Self::Dns(detail);
        }
        if error.is_timeout() {
            return if error.is_connect() {
                Self::ConnectTimeout
            } else {
                Self::Timeout
            };
        }
        for e in &chain {
            if let Some(io) = e.downcast_ref::<io::Error>() {
                match io.kind() {
                    io::ErrorKind::ConnectionRefused => return Self::Refused,
                    io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                        return Self::Reset
                    }
                    io::ErrorKind::UnexpectedEof => return Self::BodyCut,
                    io::ErrorKind::TimedOut => return Self::Timeout,
                    _ => {}
                }
            }
            if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
                if hyper.is_incomplete_message() {
                    return Self::Closed;
                }
                if hyper.is_parse() || hyper.is_parse_status() {
                    return Self::NotHttp;
                }
            }
        }
        Self::Other(
            chain
                .last()
                .map_or_else(|| error.to_string(), |e| e.to_string()),
        )
    }

    fn from_tls(error: &rustls::Error) -> Self {
        use rustls::CertificateError as C;
        match error {
            rustls::Error::InvalidCertificate(problem) => Self::Certificate(match problem {
                C::UnknownIssuer => CertificateProblem::UnknownIssuer,
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    CertificateProblem::WrongName(error.to_string())
                }
                C::Expired | C::ExpiredContext { .. } => CertificateProblem::Expired,
                C::NotValidYet | C::NotValidYetContext { .. } => CertificateProblem::NotValidYet,
                C::Revoked => CertificateProblem::Revoked,
                _ => CertificateProblem::Other(error.to_string()),
            }),
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => {
                Self::NotTls
            }
            _ => Self::Tls(error.to_string()),
        }
    }

    /// Whether sending again cannot help: a name that does not resolve, a certificate that is
    /// refused, a port that speaks another protocol.
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            Self::Dns(_) | Self::Certificate(_) | Self::Tls(_) | Self::NotTls | Self::NotHttp
        )
    }
}

/// The error and its sources, looking through `io::Error`s at the error they wrap (their
/// `source()` skips it, and that is where `rustls` errors sit).
fn chain<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        out.push(e);
        next = match e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    out
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns(detail) => write!(f, "the host name does not resolve (DNS: {detail})"),
            Self::Refused => f.write_str("connection refused (nothing listens on that port)"),
            Self::ConnectTimeout => f.write_str("no connection within the connect timeout"),
            Self::Certificate(problem) => write!(f, "the server's TLS certificate {problem}"),
            Self::Tls(detail) => write!(f, "the TLS handshake failed: {detail}"),
            Self::NotTls => {
                f.write_str("the port answered in plain HTTP, not TLS (use http:// for it)")
            }
            Self::NotHttp => f.write_str(
                "the port did not answer in HTTP (if it expects TLS, use https:// for it)",
            ),
            Self::Reset => f.write_str("the connection was reset"),
            Self::Closed => f.write_str("the server closed the connection without answering"),
            Self::BodyCut => f.write_str("the connection ended in the middle of the answer"),
            Self::Timeout => f.write_str("no answer within the request timeout"),
            Self::Other(detail) => f.write_str(detail),
        }
    }
}

impl fmt::Display for CertificateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownIssuer => f.write_str(
                "is signed by an unknown authority (self-signed, or a CA that is not trusted)",
            ),
            Self::WrongName(detail) => write!(f, "is for another name ({detail})"),
            Self::Expired => f.write_str("has expired"),
            Self::NotValidYet => f.write_str("is not valid yet"),
            Self::Revoked => f.write_str("has been revoked"),
            Self::Other(detail) => write!(f, "was refused ({detail})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_errors_are_told_apart() {
        use rustls::CertificateError as C;
        let cert = |c| Cause::from_tls(&rustls::Error::InvalidCertificate(c));
        assert_eq!(
            cert(C::UnknownIssuer),
            Cause::Certificate(CertificateProblem::UnknownIssuer)
        );
        assert_eq!(
            cert(C::Expired),
            Cause::Certificate(CertificateProblem::Expired)
        );
        assert!(matches!(
            cert(C::NotValidForName),
            Cause::Certificate(CertificateProblem::WrongName(_))
        ));
        assert_eq!(
            Cause::from_tls(&rustls::Error::InvalidMessage(
                rustls::InvalidMessage::InvalidContentType
            )),
            Cause::NotTls
        );
        assert!(matches!(
            Cause::from_tls(&rustls::Error::HandshakeNotComplete),
            Cause::Tls(_)
        ));
        assert!(cert(C::UnknownIssuer).is_permanent());
        assert!(!Cause::Refused.is_permanent());
    }

    #[test]
    fn the_chain_looks_inside_io_errors() {
        let inner = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        let outer = io::Error::other(inner);
        let found = chain(&outer)
            .iter()
            .any(|e| e.downcast_ref::<rustls::Error>().is_some());
        assert!(found);
    }
}
