//! TLS against a local server whose certificates are made in the test: a TLS front (as on a
//! real array) that forwards to the simulator, and the `migrate` binary against it.
//!
//! Refused by default with a hint naming `--ca-cert`, accepted with `--ca-cert`, accepted with
//! a warning under `--insecure`, the two together refused before anything is sent, and each
//! certificate problem (another CA, another name, expired) and each protocol mix-up (https to
//! an http port, http to a TLS port) told apart. The table of cases and outcomes is kept in
//! `docs/reliability.md` (`MIGRATE_UPDATE_DOCS=1` rewrites it).

mod common;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{block_on, check_doc_section, migrate, run, sim};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// A certificate authority made for the test.
struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl Ca {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().expect("a key");
        let cert = params.self_signed(&key).expect("a CA certificate");
        Self { cert, key }
    }

    /// A server certificate for `names`, valid now unless `expired`.
    fn issue(
        &self,
        names: &[&str],
        expired: bool,
    ) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).expect("server params");
        params
            .distinguished_name
            .push(DnType::CommonName, "array.test");
        if expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().expect("a key");
        let cert = params
            .signed_by(&key, &self.cert, &self.key)
            .expect("a server certificate");
        (
            cert.der().clone(),
            PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
    }

    fn write_pem(&self, dir: &Path, name: &str) -> String {
        let path = dir.join(name);
        std::fs::write(&path, self.cert.pem()).expect("the CA is written");
        path.display().to_string()
    }
}

/// A TLS front for `backend`: every connection that completes a handshake is forwarded.
/// Returns its address and a count of the TCP connections it accepted.
fn tls_front(
    cert: (CertificateDer<'static>, PrivateKeyDer<'static>),
    backend: SocketAddr,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert.0], cert.1)
        .expect("a server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = block_on(TcpListener::bind("127.0.0.1:0")).expect("a port");
    let addr = listener.local_addr().expect("an address");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    common::runtime().spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                if let Ok(mut plain) = TcpStream::connect(backend).await {
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                }
            });
        }
    });
    (addr, accepted)
}

/// One TLS case.
struct Case {
    name: &'static str,
    code: i32,
    /// Fragments of stderr.
    says: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "certificate of a private CA, no options",
        code: 6,
        says: &[
            "the server's TLS certificate is signed by an unknown authority",
            "hint: if the server has a certificate of its own CA, trust that CA with --ca-cert FILE",
        ],
    },
    Case {
        name: "--ca-cert with that CA",
        code: 0,
        says: &[],
    },
    Case {
        name: "--insecure",
        code: 0,
        says: &["TLS certificate verification is OFF"],
    },
    Case {
        name: "--ca-cert and --insecure together",
        code: 2,
        says: &["--ca-cert and --insecure (or the profile's ca_cert and insecure) exclude each other"],
    },
    Case {
        name: "--ca-cert with another CA",
        code: 6,
        says: &["is signed by an unknown authority", "--ca-cert FILE"],
    },
    Case {
        name: "certificate for another name, --ca-cert",
        code: 6,
        says: &["is for another name", "hint: use the host name the certificate was issued for in --host"],
    },
    Case {
        name: "expired certificate, --ca-cert",
        code: 6,
        says: &["the server's TLS certificate has expired", "hint: check the server's certificate and this machine's clock"],
    },
    Case {
        name: "https:// to an http port",
        code: 6,
        says: &["the port answered in plain HTTP, not TLS", "hint: this port speaks plain HTTP: use http:// in --host"],
    },
    Case {
        name: "http:// to a TLS port",
        code: 6,
        says: &["the port did not answer in HTTP", "hint: if this port expects TLS, use https:// in --host"],
    },
];

fn render() -> String {
    let mut text = String::from("| case | exit | says |\n|---|---|---|\n");
    for case in CASES {
        let says: Vec<String> = case.says.iter().map(|s| format!("`{s}`")).collect();
        let says = if says.is_empty() {
            "the command's result".to_string()
        } else {
            says.join("; ")
        };
        let _ = writeln!(text, "| {} | {} | {} |", case.name, case.code, says);
    }
    text
}

#[test]
fn tls_is_verified_and_each_problem_is_named() {
    check_doc_section("tls", &render());
    let sim = sim(Duration::from_millis(20));
    let dir = tempfile::tempdir().expect("a temp dir");
    let ca = Ca::new("migrate test CA");
    let other_ca = Ca::new("another CA");
    let ca_pem = ca.write_pem(dir.path(), "ca.pem");
    let other_pem = other_ca.write_pem(dir.path(), "other.pem");
    let (good, accepted) = tls_front(ca.issue(&["127.0.0.1", "localhost"], false), sim.addr());
    let (wrong_name, _) = tls_front(ca.issue(&["array.example.com"], false), sim.addr());
    let (expired, _) = tls_front(ca.issue(&["127.0.0.1"], true), sim.addr());
    let https = |addr: SocketAddr| format!("https://127.0.0.1:{}", addr.port());

    let runs: Vec<(&Case, String, Vec<&str>)> = vec![
        (&CASES[0], https(good), vec![]),
        (&CASES[1], https(good), vec!["--ca-cert", &ca_pem]),
        (&CASES[2], https(good), vec!["--insecure"]),
        (
            &CASES[3],
            https(good),
            vec!["--ca-cert", &ca_pem, "--insecure"],
        ),
        (&CASES[4], https(good), vec!["--ca-cert", &other_pem]),
        (&CASES[5], https(wrong_name), vec!["--ca-cert", &ca_pem]),
        (&CASES[6], https(expired), vec!["--ca-cert", &ca_pem]),
        (&CASES[7], format!("https://{}", sim.addr()), vec![]),
        (
            &CASES[8],
            format!("http://127.0.0.1:{}", good.port()),
            vec![],
        ),
    ];
    assert_eq!(runs.len(), CASES.len());
    let mut failures = Vec::new();
    for (case, host, flags) in runs {
        let before = accepted.load(Ordering::SeqCst);
        let mut cmd = migrate(&host);
        cmd.args(["-o", "json", "--timeout", "2"])
            .args(&flags)
            .args(["remote-system", "list"]);
        let out = run(cmd, Duration::from_secs(30));
        out.assert_no_panic(case.name);
        let mut problems = Vec::new();
        if out.code != case.code {
            problems.push(format!("exit {} instead of {}", out.code, case.code));
        }
        for fragment in case.says {
            if !out.stderr.contains(fragment) {
                problems.push(format!("does not say {fragment:?}"));
            }
        }
        if case.code == 0 && !out.stdout.contains("unity-src-01") {
            problems.push("no remote systems listed".into());
        }
        if case.code == 2 && accepted.load(Ordering::SeqCst) != before {
            problems.push("a refused combination still connected".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n--- stdout\n{}--- stderr\n{}",
                case.name,
                problems.join("; "),
                out.stdout,
                out.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
