//! `migrate-codegen diff`: the pairs of specs in `specs/fixtures/diff/` with known
//! changes (every kind of change at least once), their text reports as snapshots, their
//! JSON checked change by change, the command's exit codes, and the shipped PowerStore
//! subset against the full vendor spec.

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Instant;

use migrate_codegen::diff::{self, report, Change, ChangeKind, Report};
use migrate_codegen::{model, Options, Source};
use serde_json::Value;

use crate::{overlays_for, overlays_of, shipped_spec_paths, source, specs_in, vendor_spec};

const PAIRS: [&str; 4] = ["operations", "types", "waiters", "same"];

fn pair_files(pair: &str) -> (String, String) {
    let dir = crate::root().join("specs/fixtures/diff");
    let find = |side: &str| {
        ["yaml", "json"]
            .iter()
            .map(|ext| format!("specs/fixtures/diff/{pair}.{side}.{ext}"))
            .find(|f| dir.join(f.rsplit('/').next().unwrap_or(f)).exists())
            .unwrap_or_else(|| panic!("no {side} side for {pair}"))
    };
    (find("old"), find("new"))
}

fn report_between(old: &Source, new: &Source, overlays: &[Source]) -> Report {
    let options = Options::default();
    let (a, _) = model(old, overlays, &options).unwrap_or_else(|e| panic!("{e}"));
    let (b, _) = model(new, overlays, &options).unwrap_or_else(|e| panic!("{e}"));
    diff::diff(&a, &old.name, &b, &new.name)
}

fn pair(name: &str) -> Report {
    let (old, new) = pair_files(name);
    report_between(&source(&old), &source(&new), &[])
}

/// The changes of `report` as `(kind, breaking, operation, type, field)`.
fn rows(report: &Report) -> Vec<(String, bool, String, String, String)> {
    report
        .changes
        .iter()
        .map(|c| {
            (
                c.kind.name().to_string(),
                c.breaking,
                c.operation.clone().unwrap_or_default(),
                c.type_name.clone().unwrap_or_default(),
                c.field.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn has(report: &Report, kind: &str, breaking: bool, operation: &str, ty: &str, field: &str) {
    let row = (
        kind.to_string(),
        breaking,
        operation.to_string(),
        ty.to_string(),
        field.to_string(),
    );
    assert!(
        rows(report).contains(&row),
        "{}: no change {row:?}; the changes are:\n{}",
        report.new.file,
        rows(report)
            .iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn text_reports_of_the_fixture_pairs() {
    for name in PAIRS {
        insta::assert_snapshot!(format!("diff_{name}"), report::text(&pair(name)));
    }
}

#[test]
fn markdown_report_of_the_operations_pair() {
    insta::assert_snapshot!(
        "diff_operations_markdown",
        report::markdown(&pair("operations"))
    );
}

#[test]
fn the_fixture_pairs_hold_every_kind_of_change() {
    let mut seen = BTreeSet::new();
    for name in PAIRS {
        seen.extend(pair(name).changes.iter().map(|c| c.kind));
    }
    let missing: Vec<&str> = ChangeKind::ALL
        .iter()
        .filter(|k| !seen.contains(k))
        .map(|k| k.name())
        .collect();
    assert!(missing.is_empty(), "no fixture pair shows {missing:?}");
}

#[test]
fn every_json_change_names_its_kind_breaking_and_what_it_concerns() {
    for name in PAIRS {
        let report = pair(name);
        let json = report::json(&report);
        let changes = json["changes"].as_array().expect("changes is an array");
        assert_eq!(changes.len(), report.changes.len());
        assert_eq!(json["summary"]["changes"], report.changes.len());
        assert_eq!(json["summary"]["breaking"], report.breaking());
        for change in changes {
            let kind = change["kind"].as_str().expect("kind is a string");
            assert!(
                ChangeKind::ALL.iter().any(|k| k.name() == kind),
                "{kind} is not a kind"
            );
            assert!(change["breaking"].is_boolean(), "{change}");
            let concerns = change["operation"].is_string()
                || (change["type"].is_string() && change["field"].is_string());
            assert!(
                concerns,
                "{name}: says neither operation nor type and field: {change}"
            );
            assert!(
                change["path"].is_array() && change["at"].is_string(),
                "{change}"
            );
            assert!(
                change["detail"].as_str().is_some_and(|d| !d.is_empty()),
                "{change}"
            );
        }
        let by_kind = json["summary"]["by_kind"].as_object().expect("by_kind");
        let counted: u64 = by_kind
            .values()
            .map(|v| v["all"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(counted as usize, report.changes.len());
    }
}

#[test]
fn operations_pair_json() {
    let report = pair("operations");
    let json = report::json(&report);
    let find = |kind: &str, operation: &str| -> &Value {
        json["changes"]
            .as_array()
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c["kind"] == kind && c["operation"] == operation)
            })
            .unwrap_or_else(|| panic!("no {kind} of {operation}"))
    };
    // A derived name that changes is a rename, found by method and path.
    let renamed = find("operation_renamed", "list_hosts");
    assert_eq!(renamed["breaking"], true);
    assert_eq!(renamed["old"], "host_collection_query");
    assert_eq!(renamed["new"], "list_hosts");
    // Path parameter names do not matter for matching: `/volume/{id}` is `/volume/{volume_id}`.
    let renamed = find("operation_renamed", "volume_remove");
    assert_eq!(renamed["old"], "volume_delete");
    assert!(json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["kind"] != "operation_removed" || c["operation"] == "volume_clone"));
    let moved = find("operation_moved", "volume_refresh");
    assert_eq!(moved["breaking"], false);
    assert_eq!(moved["new"], "POST /volume/{id}/resync");
    let order = find("parameter_order_changed", "host_attach");
    assert_eq!(order["old"], "id, volume_id, lun");
    assert_eq!(order["new"], "id, lun, volume_id");
    assert_eq!(
        find("error_type_changed", "host_detach")["new"],
        "rt::Error<HostError>"
    );

    let expected = [
        (
            "operation_added",
            false,
            "snapshot_collection_query",
            "",
            "",
        ),
        ("operation_removed", true, "volume_clone", "", ""),
        (
            "deprecation_changed",
            false,
            "volume_instance_query",
            "",
            "",
        ),
        ("parameter_added", true, "volume_remove", "", "force"),
        ("parameter_added", false, "volume_remove", "", "dry_run"),
        (
            "parameter_added",
            false,
            "volume_collection_query",
            "",
            "order",
        ),
        (
            "parameter_removed",
            true,
            "volume_collection_query",
            "",
            "select",
        ),
        (
            "parameter_type_changed",
            true,
            "volume_collection_query",
            "",
            "offset",
        ),
        (
            "parameter_requiredness_changed",
            true,
            "host_attach",
            "",
            "mode",
        ),
        ("parameter_renamed", false, "volume_modify", "", "volume_id"),
        (
            "parameter_wire_changed",
            false,
            "volume_create",
            "",
            "request_id",
        ),
        (
            "params_struct_changed",
            true,
            "volume_remove",
            "",
            "VolumeRemoveParams",
        ),
        (
            "params_struct_changed",
            true,
            "host_attach",
            "",
            "HostAttachParams",
        ),
        (
            "params_struct_changed",
            true,
            "list_hosts",
            "",
            "ListHostsParams",
        ),
        ("body_added", true, "volume_refresh", "", ""),
        ("body_removed", true, "host_detach", "", ""),
        ("body_changed", true, "volume_modify", "", ""),
        ("body_changed", false, "volume_image_upload", "", ""),
        (
            "field_added",
            true,
            "host_certificate_upload",
            "HostCertificateUploadForm",
            "label",
        ),
        (
            "field_removed",
            true,
            "host_certificate_upload",
            "HostCertificateUploadForm",
            "comment",
        ),
        (
            "field_requiredness_changed",
            true,
            "host_certificate_upload",
            "HostCertificateUploadForm",
            "password",
        ),
        ("success_status_added", false, "volume_create", "", "200"),
        (
            "success_status_added",
            true,
            "host_attach",
            "HostAttachResponse",
            "201",
        ),
        ("success_status_removed", false, "list_hosts", "", "206"),
        ("success_type_changed", true, "volume_refresh", "", ""),
        (
            "success_type_changed",
            true,
            "host_detach",
            "HostDetachResponse",
            "200",
        ),
        ("error_type_changed", true, "host_detach", "", ""),
        (
            "constraint_tightened",
            true,
            "volume_collection_query",
            "",
            "limit",
        ),
        (
            "paging_added",
            false,
            "host_initiator_collection_query",
            "",
            "",
        ),
        ("paging_removed", true, "list_hosts", "", ""),
        ("paging_changed", false, "volume_collection_query", "", ""),
        ("base_path_changed", false, "", "Client", "BASE_PATH"),
    ];
    for (kind, breaking, operation, ty, field) in expected {
        has(&report, kind, breaking, operation, ty, field);
    }
}

#[test]
fn types_pair_json() {
    let report = pair("types");
    let json = report::json(&report);
    // A change three types deep is reported at its type, with the path a caller takes.
    let hours = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Window" && c["field"] == "hours")
        .expect("Window.hours");
    assert_eq!(hours["kind"], "field_type_changed");
    assert_eq!(hours["breaking"], true);
    assert_eq!(
        hours["at"],
        "session_create body → schedule → window → hours"
    );
    assert_eq!(hours["old"], "Option<i64>");
    assert_eq!(hours["new"], "Option<String>");
    // A type reached from several operations lists them all.
    let owner = report
        .changes
        .iter()
        .find(|c| c.field.as_deref() == Some("owner"))
        .expect("Session.owner");
    assert_eq!(
        owner.operations,
        ["session_collection_query", "session_create"]
    );

    let expected = [
        // Requests: what a caller must now write differently.
        (
            "field_added",
            true,
            "session_create",
            "SessionCreate",
            "remote_system_id",
        ),
        (
            "field_added",
            false,
            "session_create",
            "SessionCreate",
            "mode",
        ),
        ("field_added", true, "session_create", "Options", "codec"),
        ("default_changed", true, "session_create", "Options", ""),
        (
            "field_removed",
            true,
            "session_create",
            "SessionCreate",
            "description",
        ),
        (
            "field_requiredness_changed",
            true,
            "session_create",
            "SessionCreate",
            "source_id",
        ),
        (
            "field_nullability_changed",
            true,
            "session_modify",
            "SessionModify",
            "description",
        ),
        (
            "field_nullability_changed",
            true,
            "session_modify",
            "SessionModify",
            "name",
        ),
        (
            "constraint_tightened",
            true,
            "session_create",
            "SessionCreate",
            "name",
        ),
        (
            "constraint_tightened",
            true,
            "session_create",
            "SessionCreate",
            "tags",
        ),
        (
            "constraint_loosened",
            false,
            "session_create",
            "SessionCreate",
            "tags",
        ),
        (
            "constraint_tightened",
            true,
            "session_create",
            "SessionCreate",
            "retries",
        ),
        (
            "constraint_loosened",
            false,
            "session_create",
            "SessionCreate",
            "retries",
        ),
        (
            "constraint_tightened",
            true,
            "session_create",
            "SessionCreate",
            "code",
        ),
        (
            "enum_value_added",
            false,
            "session_create",
            "Priority",
            "urgent",
        ),
        (
            "enum_value_removed",
            true,
            "session_create",
            "Priority",
            "low",
        ),
        ("type_changed", true, "session_modify", "Limits", ""),
        // Responses: what a reader now gets.
        (
            "field_added",
            false,
            "session_collection_query",
            "Session",
            "node",
        ),
        (
            "field_added",
            false,
            "session_collection_query",
            "Session",
            "finished",
        ),
        (
            "field_removed",
            true,
            "session_collection_query",
            "Session",
            "owner",
        ),
        (
            "field_type_changed",
            true,
            "session_collection_query",
            "Session",
            "progress",
        ),
        (
            "field_requiredness_changed",
            true,
            "session_collection_query",
            "Session",
            "name",
        ),
        (
            "field_requiredness_changed",
            false,
            "session_collection_query",
            "Session",
            "size",
        ),
        (
            "field_wire_name_changed",
            false,
            "session_collection_query",
            "Session",
            "parent_id",
        ),
        (
            "deprecation_changed",
            false,
            "session_collection_query",
            "Session",
            "created",
        ),
        (
            "fields_constant_changed",
            true,
            "session_collection_query",
            "Session",
            "FIELDS",
        ),
        (
            "enum_value_added",
            false,
            "session_collection_query",
            "State",
            "cancelled",
        ),
        (
            "enum_value_removed",
            true,
            "session_collection_query",
            "State",
            "paused",
        ),
        ("type_changed", true, "session_collection_query", "Kind", ""),
        (
            "union_variant_added",
            false,
            "event_collection_query",
            "Event",
            "Snapshot",
        ),
        (
            "union_variant_removed",
            true,
            "event_collection_query",
            "Event",
            "Host",
        ),
        (
            "union_variant_changed",
            true,
            "event_collection_query",
            "Event",
            "Volume",
        ),
        (
            "union_tag_changed",
            false,
            "alert_collection_query",
            "Alert",
            "Warn",
        ),
    ];
    for (kind, breaking, operation, ty, field) in expected {
        has(&report, kind, breaking, operation, ty, field);
    }
    // Not reported: what leaves the Rust API as it was.
    let fields: Vec<(&str, &str)> = report
        .changes
        .iter()
        .map(|c| {
            (
                c.type_name.as_deref().unwrap_or(""),
                c.field.as_deref().unwrap_or(""),
            )
        })
        .collect();
    for (ty, field) in [
        // `Tags = Vec<String>` written out as `Vec<String>`: a `pub type` is the same type.
        ("SessionCreate", "labels"),
        // A response is not checked against constraints.
        ("Session", "id"),
        // Optional and nullable, or optional: `Option<String>` in a response either way.
        ("Session", "error_code"),
    ] {
        assert!(!fields.contains(&(ty, field)), "{ty}.{field} is reported");
    }
}

#[test]
fn waiters_pair_json() {
    let report = pair("waiters");
    let expected = [
        // Completed was success and still is, Skipped no longer: a wait may not end well.
        ("waiter_changed", true, "job_instance_query", "", "job_done"),
        // Only the deadline.
        (
            "waiter_changed",
            false,
            "job_instance_query",
            "",
            "job_done",
        ),
        (
            "waiter_removed",
            true,
            "job_instance_query",
            "",
            "job_started",
        ),
        (
            "waiter_added",
            false,
            "task_instance_query",
            "",
            "task_done",
        ),
        ("then_wait_changed", false, "volume_create", "", ""),
        ("paging_changed", false, "message_collection_query", "", ""),
    ];
    for (kind, breaking, operation, ty, field) in expected {
        has(&report, kind, breaking, operation, ty, field);
    }
    assert_eq!(
        report.changes.len(),
        expected.len(),
        "{}",
        report::text(&report)
    );
    let removed = report
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::WaiterRemoved)
        .expect("waiter_removed");
    assert_eq!(
        removed.old.as_deref(),
        Some("wait_until_job_started (waiters::JOB_STARTED)")
    );
}

#[test]
fn the_same_api_in_other_words_has_no_changes() {
    let report = pair("same");
    assert!(report.changes.is_empty(), "{}", report::text(&report));
}

#[test]
fn every_spec_against_itself_has_no_changes() {
    let mut specs = shipped_spec_paths();
    specs.extend(specs_in("specs/fixtures"));
    for spec in specs {
        let source = source(&spec);
        let overlays = overlays_for(&spec);
        let report = report_between(&source, &source, &overlays);
        assert!(
            report.changes.is_empty(),
            "{spec}: {}",
            report::text(&report)
        );
    }
}

/// Specs that have nothing to do with each other still compare: every fixture against
/// the next one (and the shipped specs among themselves), both ways, every change
/// naming what it concerns.
#[test]
fn unrelated_specs_compare() {
    let mut specs = specs_in("specs/fixtures");
    specs.extend(shipped_spec_paths());
    let sources: Vec<(Source, Vec<Source>)> =
        specs.iter().map(|s| (source(s), overlays_for(s))).collect();
    let mut compared = 0;
    for (i, (a, a_overlays)) in sources.iter().enumerate() {
        let (b, _) = &sources[(i + 1) % sources.len()];
        for (old, new) in [(a, b), (b, a)] {
            let report = report_between(old, new, a_overlays);
            for change in &report.changes {
                assert!(
                    change.operation.is_some() || change.type_name.is_some(),
                    "{} → {}: {change:?}",
                    old.name,
                    new.name
                );
            }
            compared += 1;
        }
    }
    assert!(compared >= 40, "{compared}");
}

/// What is added one way is removed the other way, and a rename is renamed back.
#[test]
fn reversed_pairs_mirror_each_other() {
    let mirror = [
        ("operation_added", "operation_removed"),
        ("field_added", "field_removed"),
        ("enum_value_added", "enum_value_removed"),
        ("union_variant_added", "union_variant_removed"),
        ("body_added", "body_removed"),
        ("paging_added", "paging_removed"),
        ("waiter_added", "waiter_removed"),
        ("constraint_tightened", "constraint_loosened"),
        ("operation_renamed", "operation_renamed"),
        ("parameter_order_changed", "parameter_order_changed"),
    ];
    for name in ["operations", "types", "waiters"] {
        let (old, new) = pair_files(name);
        let forward = report_between(&source(&old), &source(&new), &[]);
        let backward = report_between(&source(&new), &source(&old), &[]);
        let count =
            |r: &Report, kind: &str| r.changes.iter().filter(|c| c.kind.name() == kind).count();
        for (a, b) in mirror {
            // A constraint that appears tightens, and going it loosens, except a new
            // minimum of 0 (which tightens nothing): those are compared as a sum.
            if a.starts_with("constraint") {
                let both = |r: &Report| count(r, a) + count(r, b);
                assert_eq!(both(&forward), both(&backward), "{name}: {a} and {b}");
                continue;
            }
            assert_eq!(
                count(&forward, a),
                count(&backward, b),
                "{name}: {a} forward, {b} backward"
            );
        }
    }
}

fn codegen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_migrate-codegen"))
        .current_dir(crate::root())
        .args(args)
        .output()
        .expect("migrate-codegen runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_and_formats_of_the_command() {
    let (old, new) = pair_files("operations");
    let (same_old, same_new) = pair_files("same");

    let (code, stdout, _) = codegen(&["diff", &old, &new]);
    assert_eq!(code, 0, "breaking changes without --fail-on exit 0");
    assert!(stdout.contains("Breaking changes (23):"), "{stdout}");

    let (code, _, _) = codegen(&["diff", &old, &new, "--fail-on", "breaking"]);
    assert_eq!(code, 1, "--fail-on breaking with breaking changes");

    let (code, stdout, _) = codegen(&["diff", &same_old, &same_new, "--fail-on", "breaking"]);
    assert_eq!(code, 0, "no breaking change: {stdout}");

    // Only additions: nothing breaks.
    let (code, _, _) = codegen(&[
        "diff",
        "specs/fixtures/diff/operations.old.yaml",
        "specs/fixtures/diff/operations.old.yaml",
        "--fail-on",
        "breaking",
    ]);
    assert_eq!(code, 0);

    let (code, stdout, _) = codegen(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&stdout).expect("--format json prints JSON");
    assert_eq!(json["summary"]["breaking"], 23);
    assert_eq!(json["old"]["file"], old.as_str());

    let (code, stdout, _) = codegen(&["diff", &old, &new, "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("## Rust API changes"), "{stdout}");
    assert!(
        stdout.contains("| `operation_renamed` | 2 | 2 |"),
        "{stdout}"
    );
}

#[test]
fn specs_that_cannot_be_read_exit_2_with_the_located_message() {
    let (old, _) = pair_files("operations");
    let (code, stdout, stderr) = codegen(&["diff", &old, "specs/fixtures/broken/bad_json.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "no report: {stdout}");
    assert!(
        stderr.contains("error: specs/fixtures/broken/bad_json.json:6:3: invalid JSON"),
        "{stderr}"
    );

    let (code, _, stderr) = codegen(&["diff", "specs/fixtures/broken/not_a_spec.json", &old]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("specs/fixtures/broken/not_a_spec.json#: not an OpenAPI document"),
        "{stderr}"
    );

    let (code, _, stderr) = codegen(&["diff", &old, "specs/fixtures/diff/missing.yaml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("specs/fixtures/diff/missing.yaml: cannot read"),
        "{stderr}"
    );

    let (code, _, stderr) = codegen(&[
        "diff",
        &old,
        &old,
        "--overlay",
        "specs/missing.overlay.yaml",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--overlay specs/missing.overlay.yaml: cannot read"),
        "{stderr}"
    );
}

/// The shipped PowerStore subset against the full vendor spec, the overlay applied to
/// both: the subset is cut from the vendor spec, so nothing may break and every vendor
/// operation the subset leaves out is an added one.
#[test]
fn shipped_subset_against_the_vendor_spec() {
    let Some(vendor) = vendor_spec() else { return };
    let subset = source("generated/specs/dellemc.swagger.json");
    let overlays = overlays_of("powerstore");
    let started = Instant::now();
    let options = Options::default();
    let (old, _) = model(&subset, &overlays, &options).unwrap_or_else(|e| panic!("{e}"));
    let (new, _) = model(&vendor, &overlays, &options).unwrap_or_else(|e| panic!("{e}"));
    let modelled = started.elapsed();
    let report = diff::diff(&old, &subset.name, &new, &vendor.name);
    let compared = started.elapsed() - modelled;
    // The vendor spec against itself compares all of its 889 types.
    let started = Instant::now();
    let itself = diff::diff(&new, &vendor.name, &new, &vendor.name);
    let whole = started.elapsed();
    assert!(itself.changes.is_empty(), "{}", report::text(&itself));
    eprintln!(
        "subset → vendor: {} changes ({}); models {} ms, diff {} ms; vendor against itself: diff {} ms",
        report.changes.len(),
        diff::summary(&report),
        modelled.as_millis(),
        compared.as_millis(),
        whole.as_millis()
    );
    let breaking: Vec<&Change> = report.changes.iter().filter(|c| c.breaking).collect();
    assert!(breaking.is_empty(), "breaking: {breaking:#?}");
    let added = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::OperationAdded)
        .count();
    assert_eq!(added, report.new.operations - report.old.operations);
    assert!(report.new.operations >= 600, "{}", report.new.operations);
    has(
        &report,
        "operation_added",
        false,
        "appliance_collection_query",
        "",
        "",
    );
}
