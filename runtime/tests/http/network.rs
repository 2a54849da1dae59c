//! Network failures from small local servers that misbehave on purpose, one way each: the
//! error names the URL and the cause, idempotent requests are retried and others are sent
//! exactly once, and only a request that is not idempotent "may have been carried out".

use super::*;
use migrate_runtime::{Cause, Error, Method, Request};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How a raw server treats each connection after reading the request.
#[derive(Debug, Clone, Copy)]
enum Misbehaviour {
    /// Never answers.
    Silent,
    /// Closes without a byte.
    Close,
    /// Resets the connection.
    Reset,
    /// Sends headers promising 100 bytes, then 6 of them, then closes.
    CutBody,
    /// Answers with bytes that are not HTTP.
    NotHttp,
}

/// A server on a free port; the counter sees every request it read.
async fn raw_server(how: Misbehaviour) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    tokio::spawn(async move {
        let mut silent = Vec::new();
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = [0u8; 8192];
            if !matches!(stream.read(&mut buffer).await, Ok(n) if n > 0) {
                continue;
            }
            seen.fetch_add(1, Ordering::SeqCst);
            match how {
                Misbehaviour::Silent => silent.push(stream),
                Misbehaviour::Close => drop(stream),
                Misbehaviour::Reset => reset(stream),
                Misbehaviour::CutBody => {
                    let _ = stream
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\":")
                        .await;
                    drop(stream);
                }
                Misbehaviour::NotHttp => {
                    let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n").await;
                    drop(stream);
                }
            }
        }
    });
    (addr, requests)
}

/// Closes with an RST instead of a FIN.
#[allow(deprecated)] // set_linger blocks on drop only for a non-zero linger
fn reset(stream: TcpStream) {
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

struct Case {
    how: Misbehaviour,
    cause: Cause,
    /// `Error::Timeout` rather than `Error::Transport`.
    timeout: bool,
}

#[tokio::test]
async fn each_failure_after_sending_is_named_and_retried_only_when_idempotent() {
    let cases = [
        Case {
            how: Misbehaviour::Silent,
            cause: Cause::Timeout,
            timeout: true,
        },
        Case {
            how: Misbehaviour::Close,
            cause: Cause::Closed,
            timeout: false,
        },
        Case {
            how: Misbehaviour::Reset,
            cause: Cause::Reset,
            timeout: false,
        },
        Case {
            how: Misbehaviour::CutBody,
            cause: Cause::BodyCut,
            timeout: false,
        },
        Case {
            how: Misbehaviour::NotHttp,
            cause: Cause::NotHttp,
            timeout: false,
        },
    ];
    for case in cases {
        for (method, idempotent) in [(Method::GET, true), (Method::POST, false)] {
            let (addr, requests) = raw_server(case.how).await;
            let err = transport(format!("http://{addr}/api/rest"), Auth::None)
                .send::<()>(
                    Request::new(method.clone(), "import_session")
                        .query("select", "id")
                        .operation("op"),
                )
                .await
                .unwrap_err();
            let what = format!("{:?} {method}", case.how);
            let text = err.to_string();
            assert_eq!(err.cause(), Some(&case.cause), "{what}: {text}");
            assert_eq!(
                matches!(err, Error::Timeout { .. }),
                case.timeout,
                "{what}: {text}"
            );
            assert!(err.is_sent(), "{what}");
            let url = format!("http://{addr}/api/rest/import_session");
            assert!(
                text.starts_with(&format!("op: {method} {url}: ")),
                "{what}: {text}"
            );
            assert!(!text.contains("select"), "no query in messages: {text}");
            let retried = idempotent && !case.cause.is_permanent();
            let expected = if retried { 3 } else { 1 };
            assert_eq!(requests.load(Ordering::SeqCst), expected, "{what}: {text}");
            assert_eq!(
                text.contains("the server may have carried it out"),
                !idempotent,
                "{what}: {text}"
            );
        }
    }
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_dns_error_and_not_retried() {
    // A label longer than 63 characters: the resolver refuses it without asking a server.
    let host = format!("{}.invalid", "n".repeat(70));
    let err = transport(format!("http://{host}:8080/api/rest"), Auth::None)
        .send::<()>(Request::new(Method::GET, "job").operation("op"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Connect {
                cause: Cause::Dns(_),
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_transient());
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "op: cannot connect to http://{host}:8080/api/rest/job: the host name does not resolve (DNS: "
        )),
        "{text}"
    );
    assert!(text.ends_with("nothing was sent"), "{text}");
}

#[tokio::test]
async fn a_server_that_accepts_and_never_answers_cannot_hang_a_caller() {
    let (addr, _) = raw_server(Misbehaviour::Silent).await;
    let t = Transport::builder(format!("http://{addr}"))
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = t
        .send::<()>(Request::new(Method::GET, "x"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn the_default_timeout_is_at_most_120_seconds_and_timeouts_are_checked() {
    assert!(TransportBuilder::DEFAULT_TIMEOUT <= Duration::from_secs(120));
    assert!(TransportBuilder::DEFAULT_TIMEOUT >= TransportBuilder::MIN_TIMEOUT);
    for bad in [
        Duration::ZERO,
        Duration::from_millis(9),
        Duration::from_secs(3601),
    ] {
        for err in [
            Transport::builder("http://127.0.0.1:1")
                .timeout(bad)
                .build(),
            Transport::builder("http://127.0.0.1:1")
                .connect_timeout(bad)
                .build(),
        ]
        .into_iter()
        .map(Result::unwrap_err)
        {
            let text = err.to_string();
            assert!(matches!(err, Error::Config { .. }), "{text}");
            assert!(text.contains("must be from 10 ms to 3600 s"), "{text}");
        }
    }
}
