//! `migrate-clients` built the ways its users build it, by cargo itself: each client alone
//! (`--no-default-features --features X`), and the PowerStore client from a user's own spec
//! (`MIGRATE_POWERSTORE_SPEC`).

use std::path::{Path, PathBuf};
use std::process::Output;

use migrate_tests::{nested_cargo, root};

/// `cargo build -p migrate-clients` with `args`, in the shared nested target directory.
fn cargo_build(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = nested_cargo();
    command
        .args(["build", "-p", "migrate-clients", "--lib"])
        .args(args)
        .current_dir(root())
        .env_remove("MIGRATE_POWERSTORE_SPEC")
        .env_remove("MIGRATE_LCM_SPEC")
        .env_remove("MIGRATE_VIPR_SPEC");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("cargo runs")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn each_client_builds_alone() {
    for feature in ["powerstore", "lcm", "vipr"] {
        let output = cargo_build(&["--no-default-features", "--features", feature], &[]);
        let stderr = stderr_of(&output);
        assert!(
            output.status.success(),
            "--features {feature} alone:\n{stderr}"
        );
        assert!(
            !stderr.contains("warning"),
            "--features {feature}:\n{stderr}"
        );
    }
}

#[test]
fn migrate_powerstore_spec_builds_the_client_from_a_users_spec() {
    let Some(spec) = migrate_tests::vendor_spec() else {
        return;
    };
    // With `lcm` as well, so that this build is not the same cargo unit as the PowerStore-only
    // one above: each keeps its own artifacts instead of regenerating the other's.
    let args = [
        "--no-default-features",
        "--features",
        "powerstore,lcm",
        "--message-format",
        "json",
    ];
    let output = cargo_build(&args, &[("MIGRATE_POWERSTORE_SPEC", &spec)]);
    let stderr = stderr_of(&output);
    // With JSON messages, compiler errors are on stdout.
    assert!(
        output.status.success(),
        "{stderr}\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // The build script says what it did, as a cargo warning.
    assert!(
        stderr.contains("MIGRATE_POWERSTORE_SPEC: module powerstore generated from")
            && stderr.contains("600 operations"),
        "{stderr}"
    );
    // And the module it wrote (and the crate compiled) has every operation of the release:
    // one public request builder per operation.
    let out_dir = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "build-script-executed")
        .filter(|m| {
            m["package_id"]
                .as_str()
                .is_some_and(|p| p.contains("generated"))
        })
        .find_map(|m| m["out_dir"].as_str().map(PathBuf::from))
        .expect("cargo reports the build script's OUT_DIR");
    let code = std::fs::read_to_string(out_dir.join("powerstore.rs")).expect("powerstore.rs");
    let builders = code
        .lines()
        .filter(|l| l.trim_start().starts_with("pub fn ") && l.contains("_request("))
        .count();
    assert_eq!(builders, 600);
    assert!(
        code.contains("pub fn cluster_collection_query("),
        "an operation the subset lacks"
    );
}

#[test]
fn a_relative_or_missing_users_spec_stops_the_build_with_the_variable_named() {
    // Refused before anything is generated, so this build costs no more than the build
    // script.
    let output = cargo_build(
        &["--no-default-features", "--features", "powerstore,vipr"],
        &[("MIGRATE_POWERSTORE_SPEC", Path::new("spec.json"))],
    );
    let stderr = stderr_of(&output);
    assert!(!output.status.success());
    assert!(
        stderr.contains("MIGRATE_POWERSTORE_SPEC=spec.json: give an absolute path"),
        "{stderr}"
    );
    let missing = migrate_tests::nested_target().join("no-such-spec.json");
    let output = cargo_build(
        &["--no-default-features", "--features", "powerstore,vipr"],
        &[("MIGRATE_POWERSTORE_SPEC", &missing)],
    );
    let stderr = stderr_of(&output);
    assert!(!output.status.success());
    assert!(
        stderr.contains(&format!(
            "MIGRATE_POWERSTORE_SPEC={}: no such file",
            missing.display()
        )),
        "{stderr}"
    );
}
