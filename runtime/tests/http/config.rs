use migrate_runtime::{Error, Transport};

#[test]
fn base_urls_must_be_http_without_credentials() {
    for bad in ["ftp://host/", "not a url", "https://admin:pw@host/api/rest"] {
        let err = Transport::builder(bad).build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{bad}: {err}");
        assert!(!err.to_string().contains(":pw@"), "{err}");
    }
    let t = Transport::builder("https://array.example/api/rest")
        .build()
        .unwrap();
    assert_eq!(t.base_url().as_str(), "https://array.example/api/rest");
}

#[test]
fn custom_cas_must_be_valid_pem() {
    let pem = include_bytes!("../fixtures/ca.pem");
    Transport::builder("https://array.example")
        .ca_cert_pem(&pem[..])
        .build()
        .unwrap();
    for bad in [
        &b"not a certificate"[..],
        b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
    ] {
        let err = Transport::builder("https://array.example")
            .ca_cert_pem(bad)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
    }
    Transport::builder("https://array.example")
        .insecure(true)
        .build()
        .unwrap();
}
