//! The operation naming rule, checked against the vendor's own table.

use migrate_codegen::normalize::operation_name;

use crate::root;

/// Rows (verb, path, operationId) of the seed's CRUD table.
fn seed_rows() -> Vec<(String, String, String)> {
    let path = root().join("../shared/seeds/powerstore-import-session.txt");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but {} is missing: {e}", path.display())
        }
        Err(e) => {
            eprintln!(
                "NOTICE: {} unreadable ({e}); checking the built-in rows only",
                path.display()
            );
            return Vec::new();
        }
    };
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // | Operation | Path | Verb | Description | OperationID |
            if cells.len() < 6 || !cells[2].starts_with('`') || cells[5].is_empty() {
                return None;
            }
            let path = cells[2].trim_matches('`').replace("%{", "{");
            Some((cells[3].to_ascii_uppercase(), path, cells[5].to_string()))
        })
        .collect()
}

#[test]
fn seed_operation_ids_are_reproduced() {
    let rows = seed_rows();
    if std::path::Path::new(&root().join("../shared/seeds")).exists() {
        assert_eq!(
            rows.len(),
            5,
            "the seed table has five named rows: {rows:?}"
        );
    }
    let extra = [
        (
            "POST",
            "/import_session/{id}/cutover",
            "import_session_cutover",
        ),
        (
            "POST",
            "/import_session/{id}/enable_destination_volume",
            "import_session_enable_destination_volume",
        ),
        ("GET", "/job/{id}", "job_instance_query"),
        ("POST", "/logout", "logout_create"),
    ];
    let all = rows
        .iter()
        .map(|(m, p, id)| (m.as_str(), p.as_str(), id.as_str()))
        .chain(extra);
    for (method, path, expected) in all {
        assert_eq!(operation_name(method, path), expected, "{method} {path}");
    }
}

#[test]
fn every_vendor_operation_gets_a_unique_name() {
    let Some(spec) = crate::vendor_spec() else {
        return;
    };
    let generated = migrate_codegen::generate(&spec, &[], &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.operation_count, 600);
    // The client's `pub fn`s: its constructor and accessor, one method and one `_request`
    // builder per operation, and the `_stream` twins of paged operations. None may collide.
    let client = generated
        .code
        .split("impl Client {")
        .nth(1)
        .expect("a Client impl");
    let client = &client[..client.find("\n}\n").expect("the impl ends")];
    let all: Vec<&str> = client
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub fn "))
        .map(|l| l.split(['(', '<']).next().unwrap_or(l))
        .filter(|name| !matches!(*name, "new" | "transport"))
        .collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "method names collide");
    let builders = all.iter().filter(|n| n.ends_with("_request")).count();
    assert_eq!(builders, 600, "one request builder per operation");
    let names: Vec<&str> = all
        .into_iter()
        .filter(|n| !n.ends_with("_request") && !n.ends_with("_stream"))
        .collect();
    assert_eq!(names.len(), 600);
    for expected in [
        "import_session_create",
        "import_session_collection_query",
        "import_session_cutover",
        "get_audit_logs",
    ] {
        assert!(names.contains(&expected), "{expected} missing");
    }
}

/// A spec without operationIds whose paths carry `/api` and a version (as Pure
/// Storage's do), named in both styles.
#[test]
fn version_prefixes_never_reach_names_in_either_style() {
    use migrate_codegen::normalize::{operation_names, NamingStyle};
    let operations = [
        ("GET", "/api/api_version"),
        ("POST", "/api/login"),
        ("GET", "/api/2.56/volumes"),
        ("POST", "/api/2.56/volumes"),
        ("PATCH", "/api/2.56/volumes"),
        ("DELETE", "/api/2.56/volumes"),
        ("GET", "/api/2.56/volumes/space"),
        ("GET", "/api/2.56/hosts/{name}"),
        ("PATCH", "/api/2.56/hosts/{name}"),
        ("POST", "/api/2.56/support/test"),
        ("GET", "/api/v1/arrays/{id}/ports"),
        ("POST", "/oauth2/1.0/token"),
        ("GET", "/rest/v2beta1/metrics"),
    ];
    let table = [
        ("api_version_collection_query", "get_api_version"),
        ("login_create", "post_login"),
        ("volumes_collection_query", "get_volumes"),
        ("volumes_create", "post_volumes"),
        ("volumes_modify", "patch_volumes"),
        ("volumes_delete", "delete_volumes"),
        ("volumes_space_collection_query", "get_volumes_space"),
        ("hosts_instance_query", "get_hosts_by_name"),
        ("hosts_modify", "patch_hosts_by_name"),
        ("support_test", "post_support_test"),
        ("arrays_ports", "get_arrays_ports"),
        ("oauth2_token", "post_oauth2_token"),
        ("metrics_collection_query", "get_metrics"),
    ];
    let resource = operation_names(NamingStyle::ResourceAction, &operations);
    let method = operation_names(NamingStyle::MethodPath, &operations);
    for (i, (m, p)) in operations.iter().enumerate() {
        assert_eq!(resource[i], table[i].0, "{m} {p} (resource-action)");
        assert_eq!(method[i], table[i].1, "{m} {p} (method-path)");
        for name in [&resource[i], &method[i]] {
            assert!(
                !name.split('_').any(migrate_codegen::normalize::is_version),
                "{name} holds a version"
            );
        }
    }
}

/// The same spec generated end to end: the names are the client's methods, and the
/// schema fragment names are clean type names.
#[test]
fn a_prefixed_spec_generates_in_both_styles() {
    let spec = crate::source("specs/fixtures/naming_prefix.yaml");
    let resource = migrate_codegen::generate(&spec, &[], &Default::default()).expect("generates");
    let method = migrate_codegen::generate(
        &spec,
        &[],
        &migrate_codegen::Options {
            naming: migrate_codegen::NamingStyle::MethodPath,
            ..Default::default()
        },
    )
    .expect("generates");
    for name in [
        "volumes_modify",
        "volumes_space_collection_query",
        "support_test",
    ] {
        assert!(resource.code.contains(&format!("pub fn {name}(")), "{name}");
    }
    for name in ["patch_volumes", "get_volumes_space", "post_support_test"] {
        assert!(method.code.contains(&format!("pub fn {name}(")), "{name}");
    }
    assert!(resource
        .code
        .contains("pub struct ContainerQosCeilingsPatch {"));
    assert!(!resource.code.contains("2_56"));
}
