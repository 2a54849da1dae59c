//! Generated unions and 3.1 types read what a server sends and write it back the same:
//! the `unions` and `oas31` fixtures are generated into a small crate whose own test
//! decodes JSON samples, checks the variant each lands in, and serializes them again.
//! It runs with `cargo test` in the compile test's target directory, so its
//! dependencies are built once.

use std::process::Command;

use migrate_codegen::{crate_files, generate, RuntimeDependency};

use crate::{root, source};

const CHECKS: &str = r#"
use roundtrip_check::{oas31, unions};
use serde_json::{json, Value};

fn round<T: serde::Serialize + serde::de::DeserializeOwned>(value: Value) -> (T, Value) {
    let decoded: T = serde_json::from_value(value).expect("decodes");
    let again = serde_json::to_value(&decoded).expect("encodes");
    (decoded, again)
}

#[test]
fn tagged_unions_pick_by_discriminator_and_mapping() {
    use unions::types::Shape;
    let (shape, again) = round::<Shape>(json!({"kind": "round", "radius": 2.0}));
    assert!(matches!(shape, Shape::Circle(_)), "{shape:?}");
    assert_eq!(again, json!({"kind": "round", "radius": 2.0}));
    let (shape, _) = round::<Shape>(json!({"kind": "square", "side": 1.0}));
    assert!(matches!(shape, Shape::Square(_)));
    // An unknown tag is kept as it came.
    let (shape, again) = round::<Shape>(json!({"kind": "hexagon", "sides": 6}));
    assert!(matches!(shape, Shape::Other(_)));
    assert_eq!(again, json!({"kind": "hexagon", "sides": 6}));
    // Without its tag, the shape decides, and the tag is written back.
    let (shape, again) = round::<Shape>(json!({"side": 3.0}));
    assert!(matches!(shape, Shape::Square(_)), "{shape:?}");
    assert_eq!(again, json!({"kind": "square", "side": 3.0}));
}

#[test]
fn untagged_unions_pick_by_shape() {
    use unions::types::{Setting, Target};
    for (value, want) in [
        (json!("fast"), "String"),
        (json!(3), "Integer"),
        (json!(2.5), "Number"),
        (json!(true), "Boolean"),
        (json!(["a", "b"]), "List"),
        (json!({"k": "v"}), "Map"),
    ] {
        let (setting, again) = round::<Setting>(value.clone());
        let got = format!("{setting:?}");
        assert!(got.starts_with(want), "{value} went to {got}");
        assert_eq!(again, value);
    }
    let (target, _) = round::<Target>(json!({"group_id": "g1"}));
    assert!(matches!(target, Target::GroupTarget(_)), "{target:?}");
    let (target, _) = round::<Target>(json!({"host_id": "h1", "lun": 4}));
    assert!(matches!(target, Target::HostTarget(_)), "{target:?}");
    // Nothing fits: kept, not an error.
    let (setting, again) = round::<Setting>(json!(null));
    assert!(matches!(setting, Setting::Other(_)));
    assert_eq!(again, json!(null));
}

#[test]
fn constants_enums_and_nullables() {
    use unions::types::Level;
    let (level, again) = round::<Level>(json!("urgent"));
    assert_eq!(level, Level::Urgent);
    assert_eq!(again, json!("urgent"));
    let body = oas31::types::VolumeCreate { name: "v1".into(), ..Default::default() };
    let written = serde_json::to_value(&body).unwrap();
    assert_eq!(written, json!({"name": "v1", "kind": "volume"}));
    let clear = oas31::types::VolumeCreate { owner: Some(None), ..body };
    assert_eq!(serde_json::to_value(&clear).unwrap()["owner"], Value::Null);
    let (volume, again) = round::<oas31::types::Volume>(json!({
        "id": "a", "name": "n", "size": 1, "kind": "volume", "description": null,
        "range": [0, 9], "labels": null
    }));
    assert_eq!(volume.range, Some((0, 9)));
    assert_eq!(again["range"], json!([0, 9]));
}

#[test]
fn limits_are_checked_before_sending() {
    use migrate_runtime::Validate;
    let bad = oas31::types::VolumeCreate { name: String::new(), ..Default::default() };
    let e = bad.validate().unwrap_err();
    assert_eq!(e.to_string(), "name: length 0 is under the minimum of 1");
    let too_long = unions::types::Setting::String("x".repeat(65));
    assert!(too_long.validate().is_err());
}
"#;

#[test]
fn generated_unions_round_trip() {
    let mut modules = Vec::new();
    for (module, spec) in [
        ("unions", "specs/fixtures/unions.yaml"),
        ("oas31", "specs/fixtures/oas31.yaml"),
    ] {
        let generated =
            generate(&source(spec), &[], &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        modules.push((module.to_string(), generated));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = RuntimeDependency {
        version: "0.1.0".into(),
        path: Some(root().join("runtime").display().to_string()),
    };
    for (relative, contents) in crate_files("roundtrip-check", &modules, &runtime) {
        let path = dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }
    let manifest = dir.path().join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("manifest");
    text = text.replace(
        "[dependencies]",
        "[dev-dependencies]\nserde = \"1\"\n\n[dependencies]",
    );
    std::fs::write(&manifest, text).expect("manifest");
    std::fs::create_dir_all(dir.path().join("tests")).expect("tests dir");
    std::fs::write(dir.path().join("tests/roundtrip.rs"), CHECKS).expect("checks");
    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--message-format", "short"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the generated round trips failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("4 passed"), "{stdout}");
}
