//! The library crates can be packaged for crates.io: `migrate-runtime` passes
//! `cargo publish --dry-run` (metadata, readme, no path-only dependencies, and the packaged
//! sources build on their own), and the `migrate-clients` package holds every spec and overlay
//! its build script reads and packages with the crates it depends on.

use migrate_codegen::Manifest;
use migrate_tests::{nested_cargo, root, WORKSPACE_PROFILE};
use std::process::Output;

fn cargo(args: &[&str]) -> Output {
    nested_cargo()
        .args(args)
        .current_dir(root())
        .output()
        .expect("cargo runs")
}

fn listed(package: &str) -> Vec<String> {
    let output = cargo(&["package", "--list", "--allow-dirty", "-p", package]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn migrate_runtime_passes_a_publish_dry_run() {
    let mut args = vec![
        "publish",
        "--dry-run",
        "--allow-dirty",
        "-p",
        "migrate-runtime",
    ];
    // The package is verified as a workspace of its own; with this workspace's profile it
    // reuses the nested builds' dependencies.
    args.extend(WORKSPACE_PROFILE);
    let output = cargo(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("Verifying migrate-runtime"), "{stderr}");
    assert!(
        stderr.contains("aborting upload due to dry run"),
        "{stderr}"
    );
    for file in ["README.md", "Cargo.toml", "src/lib.rs", "src/lenient.rs"] {
        assert!(
            listed("migrate-runtime").iter().any(|f| f == file),
            "{file} is not packaged"
        );
    }
}

#[test]
fn the_migrate_clients_package_holds_every_spec_its_build_reads() {
    let files = listed("migrate-clients");
    let specs = root().join("generated/specs");
    let text = std::fs::read_to_string(specs.join("shipped.yaml")).expect("the manifest");
    let manifest = Manifest::parse(&text, "specs".as_ref(), "shipped.yaml").expect("parses");
    let mut needed: Vec<String> = vec![
        "build.rs".into(),
        "specs/shipped.yaml".into(),
        "README.md".into(),
        "src/lib.rs".into(),
    ];
    for module in &manifest.modules {
        needed.extend(module.files().map(|f| f.display().to_string()));
        needed.push(format!(
            "examples/{}.rs",
            match module.name.as_str() {
                "powerstore" => "powerstore_import_session",
                "lcm" => "lcm_import",
                _ => "vipr_full_copy",
            }
        ));
    }
    for file in &needed {
        assert!(
            files.contains(file),
            "{file} is not in the package: {files:?}"
        );
    }
    assert!(
        !files.iter().any(|f| f.ends_with(".py")),
        "the subset check stays out: {files:?}"
    );
    // Metadata, and every dependency with a version. Packaged together with the two crates it
    // depends on, as they would be published (cargo resolves them from the packages it just
    // made); building from the tarballs takes minutes and is the README's release check.
    let output = cargo(&[
        "package",
        "--no-verify",
        "--allow-dirty",
        "-p",
        "migrate-runtime",
        "-p",
        "migrate-codegen",
        "-p",
        "migrate-clients",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("Packaging migrate-clients"), "{stderr}");
}
