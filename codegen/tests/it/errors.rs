//! Broken specs give the documented message, naming the file and where.

use migrate_codegen::{generate, Source};

use crate::source;

fn error_of(spec: &Source) -> String {
    generate(spec, &[])
        .expect_err("the spec is broken")
        .to_string()
}

#[test]
fn broken_fixtures_give_the_documented_messages() {
    let cases = [
        ("bad_json.json", "specs/fixtures/broken/bad_json.json:6:3: invalid JSON: expected `,` or `}`"),
        ("bad_yaml.yaml", "specs/fixtures/broken/bad_yaml.yaml:12:4: invalid YAML: did not find expected key, while parsing a block mapping"),
        (
            "dangling_ref.json",
            "specs/fixtures/broken/dangling_ref.json#/definitions/foo/properties/bar: $ref target #/definitions/missing does not exist",
        ),
        (
            "wrong_type.json",
            "specs/fixtures/broken/wrong_type.json#/definitions/foo/properties/bar/type: `type` must be a string such as \"object\" or \"string\", found 42",
        ),
        (
            "not_a_spec.json",
            "specs/fixtures/broken/not_a_spec.json#: not an OpenAPI document: neither a `swagger` nor an `openapi` field at the top level",
        ),
    ];
    for (file, expected) in cases {
        assert_eq!(
            error_of(&source(&format!("specs/fixtures/broken/{file}"))),
            expected
        );
    }
}

#[test]
fn structural_errors_point_at_the_node() {
    let cases = [
        (r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": []}"#, "s.json#/paths: `paths` must be an object mapping paths to path items"),
        (
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a/{id}": {"get": {"responses": {}}}}}"#,
            "s.json#/paths/~1a~1{id}/get: the path names {id} but no path parameter declares it",
        ),
        (
            r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"a": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/nope"}}}}}}"##,
            "s.json#/components/schemas/a/properties/b: $ref target #/components/schemas/nope does not exist",
        ),
        (r#"{"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}}"#, "s.json#/info: missing field `version`"),
    ];
    for (text, expected) in cases {
        assert_eq!(error_of(&Source::new("s.json", text)), expected);
    }
}

#[test]
fn unsupported_constructs_fall_back_with_a_warning() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf: [{type: string}, {type: integer}]
"#;
    let generated = generate(&Source::new("s.yaml", spec), &[]).expect("usable");
    assert_eq!(generated.warnings.len(), 1);
    assert_eq!(
        generated.warnings[0].to_string(),
        "warning: s.yaml#/paths/~1a/get/responses/200/content/application~1json/schema: oneOf/anyOf without a discriminator is not modelled; using serde_json::Value"
    );
    assert!(generated.code.contains("rt::Response<serde_json::Value>"));
}

/// Deterministic mutations of a real spec: every node in turn replaced by
/// values of other types. The generator may refuse a mutant, but must never
/// panic (a panic would surface as an "internal error").
#[test]
fn mutated_specs_never_panic() {
    let original: serde_json::Value =
        serde_json::from_str(&source("specs/dellemc.swagger.json").text).expect("valid JSON");
    let mut pointers = Vec::new();
    collect_pointers(&original, String::new(), &mut pointers);
    let replacements = [
        serde_json::json!(null),
        serde_json::json!(42),
        serde_json::json!("x"),
        serde_json::json!([]),
        serde_json::json!({}),
    ];
    let mut tried = 0;
    for (i, pointer) in pointers.iter().enumerate().step_by(7) {
        let mut mutant = original.clone();
        if let Some(node) = mutant.pointer_mut(pointer) {
            *node = replacements[i % replacements.len()].clone();
        }
        let result = generate(&Source::new("mutant.json", mutant.to_string()), &[]);
        if let Err(e) = result {
            assert!(!e.message.contains("internal error"), "{pointer}: {e}");
        }
        tried += 1;
    }
    assert!(tried > 200, "only {tried} mutants");
}

fn collect_pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(child.clone());
                collect_pointers(v, child, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let child = format!("{at}/{i}");
                out.push(child.clone());
                collect_pointers(v, child, out);
            }
        }
        _ => {}
    }
}

/// Aliases that only refer to themselves cannot be Rust type aliases; they
/// fall back to JSON values with a warning, and nothing loops forever.
#[test]
fn self_referring_aliases_fall_back_with_a_warning() {
    let spec = r##"{"swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/A"}}}}}},
        "definitions": {"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"},
                        "L": {"type": "array", "items": {"$ref": "#/definitions/L"}},
                        "S": {"type": "object", "properties": {"a": {"$ref": "#/definitions/A"}}}}}"##;
    let generated = generate(&Source::new("s.json", spec), &[]).expect("usable");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: s.json#/definitions/A: A refers to itself only through aliases; using serde_json::Value",
            "warning: s.json#/definitions/L: L refers to itself only through aliases; using serde_json::Value",
        ]
    );
    assert!(
        generated.code.contains("pub type A = serde_json::Value;"),
        "{}",
        generated.code
    );
    assert!(generated.code.contains("pub type B = A;"));
}
