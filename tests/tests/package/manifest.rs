//! The manifest of shipped specs, the crate's cargo features and its modules agree: every
//! module has a feature of its name that `default` turns on, and every service feature is a
//! module.

use migrate_codegen::Manifest;
use std::path::Path;

use migrate_tests::root;

#[test]
fn every_module_of_the_manifest_is_a_default_feature_and_nothing_else_is() {
    let specs = root().join("generated/specs");
    let text = std::fs::read_to_string(specs.join("shipped.yaml")).expect("the manifest");
    let manifest = Manifest::parse(&text, &specs, "shipped.yaml").unwrap_or_else(|e| panic!("{e}"));
    let modules: Vec<&str> = manifest.modules.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(modules, ["powerstore", "lcm", "vipr"]);
    for module in &manifest.modules {
        for file in module.files() {
            assert!(file.is_file(), "{} is missing", file.display());
        }
    }

    let cargo: toml::Table = std::fs::read_to_string(root().join("generated/Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("valid TOML");
    let features = cargo["features"].as_table().expect("[features]");
    let default: Vec<&str> = features["default"]
        .as_array()
        .expect("a default list")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(
        default, modules,
        "default features are the manifest's modules"
    );
    let mut services: Vec<&str> = features
        .keys()
        .map(String::as_str)
        .filter(|f| !["default", "cli"].contains(f))
        .collect();
    let mut expected = modules.clone();
    services.sort_unstable();
    expected.sort_unstable();
    assert_eq!(services, expected, "one feature per module, no other");

    let lib = std::fs::read_to_string(root().join("generated/src/lib.rs")).expect("lib.rs");
    for module in &modules {
        assert!(
            lib.contains(&format!("#[cfg(feature = \"{module}\")]"))
                && lib.contains(&format!("pub mod {module} {{"))
                && lib.contains(&format!("\"/{module}.rs\"")),
            "src/lib.rs includes {module} behind its feature"
        );
    }
    assert!(Path::new(&root().join("generated/README.md")).is_file());
}
