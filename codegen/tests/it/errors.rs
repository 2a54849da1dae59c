//! What the generator says about bad input, pinned message by message: only input that
//! cannot be a spec at all is an error; a defect that leaves the rest usable is a
//! located warning with a fallback (and an error with `--strict`).

use migrate_codegen::{generate, Options, Source, WarningKind};

use crate::source;

fn error_of(spec: &Source) -> String {
    generate(spec, &[], &Options::default())
        .expect_err("the spec is not a spec")
        .to_string()
}

fn warnings_of(spec: &Source) -> Vec<String> {
    generate(spec, &[], &Options::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn strict() -> Options {
    Options {
        strict: true,
        ..Options::default()
    }
}

#[test]
fn input_that_cannot_be_a_spec_is_an_error() {
    let cases = [
        ("bad_json.json", "specs/fixtures/broken/bad_json.json:6:3: invalid JSON: expected `,` or `}`"),
        ("bad_yaml.yaml", "specs/fixtures/broken/bad_yaml.yaml:12:4: invalid YAML: did not find expected key, while parsing a block mapping"),
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
    let texts = [
        (
            "[1, 2]",
            "s.json#: a spec must be an object at the top level",
        ),
        (
            r#"{"openapi": "4.0.0"}"#,
            "s.json#/openapi: unsupported OpenAPI version \"4.0.0\"; 3.0, 3.1 and 3.2 are read",
        ),
        (
            r#"{"swagger": "1.2"}"#,
            "s.json#/swagger: unsupported Swagger version \"1.2\"; only 2.0 is read",
        ),
        (
            "openapi: 3.0.0\npaths: {}\n---\nopenapi: 3.0.0\n",
            "s.json:3:1: the file holds more than one YAML document; a spec is one document",
        ),
    ];
    for (text, expected) in texts {
        assert_eq!(error_of(&Source::new("s.json", text)), expected);
    }
    let bytes = Source::from_bytes(
        "s.yaml",
        b"openapi: 3.0.0\ninfo:\n  title: caf\xe9\n".to_vec(),
    );
    assert_eq!(
        bytes.unwrap_err().to_string(),
        "s.yaml:3:13: the file is not UTF-8 text: byte 0xe9 at offset 33 cannot start a character"
    );
}

/// The formerly fatal broken fixtures are usable specs with one defect each.
#[test]
fn broken_fixtures_are_warnings_at_the_deepest_node() {
    let cases = [
        (
            "dangling_ref.json",
            "warning[dangling_ref]: specs/fixtures/broken/dangling_ref.json#/definitions/foo/properties/bar/$ref: $ref target #/definitions/missing does not exist; using serde_json::Value",
        ),
        (
            "wrong_type.json",
            "warning[invalid_type]: specs/fixtures/broken/wrong_type.json#/definitions/foo/properties/bar/type: `type` must be a string such as \"object\" or \"string\", found 42; using serde_json::Value",
        ),
    ];
    for (file, expected) in cases {
        let spec = source(&format!("specs/fixtures/broken/{file}"));
        assert_eq!(warnings_of(&spec), [expected]);
        let warning = generate(&spec, &[], &Options::default())
            .unwrap()
            .warnings
            .remove(0);
        let e = generate(&spec, &[], &strict()).expect_err("strict");
        assert_eq!(e.location, warning.location);
        assert!(e.message.starts_with(&warning.message), "{e}");
        assert!(e.more.is_empty());
    }
}

/// Every lenient fallback of `specs/fixtures/lenient.json`, each at its pointer; in strict
/// mode the first is the error and the others are listed with it.
#[test]
fn lenient_fallbacks_are_located_and_strict_mode_refuses_them() {
    let spec = source("specs/fixtures/lenient.json");
    let generated = generate(&spec, &[], &Options::default()).expect("usable");
    let kinds: Vec<WarningKind> = generated.warnings.iter().map(|w| w.kind).collect();
    for kind in [
        WarningKind::DanglingRef,
        WarningKind::ExternalRef,
        WarningKind::NonStringRef,
        WarningKind::InvalidType,
        WarningKind::InvalidKeyword,
        WarningKind::MissingInfo,
        WarningKind::PathParamNotInPath,
        WarningKind::UndeclaredPathParam,
        WarningKind::DuplicateOperationId,
    ] {
        assert!(
            kinds.contains(&kind),
            "no {} warning: {kinds:?}",
            kind.name()
        );
    }
    assert_eq!(generated.operation_count, 3);
    assert!(generated
        .code
        .contains("pub fn op_3par_volumes_collection_query"));
    assert_eq!(
        migrate_codegen::summary(&generated.warnings),
        "1 dangling_ref, 1 external_ref, 1 non_string_ref, 1 invalid_type, 2 invalid_keyword, 1 missing_info, 1 path_param_not_in_path, 1 undeclared_path_param, 2 duplicate_operation_id, 1 name_taken"
    );

    let e = generate(&spec, &[], &strict()).expect_err("strict mode refuses defects");
    let text = e.to_string();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("specs/fixtures/lenient.json#/paths/~1items~1{id}/get/operationId: operationId \"getItem\" is used by 2 operations [duplicate_operation_id; --strict makes this and 11 more warnings errors]")
    );
    assert_eq!(lines.count(), 11, "{text}");
    assert_eq!(e.more.len(), 11);
}

#[test]
fn structural_defects_are_warnings_at_the_node() {
    let cases = [
        (
            r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": []}"#,
            "warning[invalid_keyword]: s.json#/paths: `paths` must be an object mapping paths to path items; no operations read",
        ),
        (
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a/{id}": {"get": {"responses": {}}}}}"#,
            "warning[undeclared_path_param]: s.json#/paths/~1a~1{id}/get: the path names {id} but no path parameter declares it; taken as a string",
        ),
        (
            r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/a"}}}}}}}}, "components": {"schemas": {"a": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/nope"}}}}}}"##,
            "warning[dangling_ref]: s.json#/components/schemas/a/properties/b/$ref: $ref target #/components/schemas/nope does not exist; using serde_json::Value",
        ),
        (
            r#"{"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}}"#,
            "warning[missing_info]: s.json#/info: `info` has no `version`; left empty",
        ),
        (
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "cookie", "schema": {"type": "string"}}], "responses": {}}}}}"#,
            "warning[unsupported]: s.json#/paths/~1a/get/parameters/0: cookie parameter \"x\" is not supported; left out",
        ),
        (
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": {"w": {}}}"#,
            "note[skipped]: s.json#/webhooks: webhooks are requests the service sends, not ones a client makes; skipped",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(
            warnings_of(&Source::new("s.json", text)),
            [expected],
            "{text}"
        );
    }
}

/// Unions of primitives are enums now, with no warning.
#[test]
fn unions_of_primitives_are_enums() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf: [{type: string}, {type: integer}]
"#;
    let generated =
        generate(&Source::new("s.yaml", spec), &[], &Options::default()).expect("usable");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    assert!(
        generated.code.contains("pub enum GetAResponse200 {"),
        "{}",
        generated.code
    );
    assert!(generated.code.contains("String(String),") && generated.code.contains("Integer(i64),"));
}

/// Deterministic mutations of a real spec: every node in turn replaced by
/// values of other types. The generator may refuse a mutant, but must never
/// panic (a panic would surface as an "internal error").
#[test]
fn mutated_specs_never_panic() {
    let original: serde_json::Value =
        serde_json::from_str(&source("generated/specs/dellemc.swagger.json").text)
            .expect("valid JSON");
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
        let result = generate(
            &Source::new("mutant.json", mutant.to_string()),
            &[],
            &Options::default(),
        );
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
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/S"}}}}}},
        "definitions": {"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"},
                        "L": {"type": "array", "items": {"$ref": "#/definitions/L"}},
                        "S": {"type": "object", "properties": {"a": {"$ref": "#/definitions/A"}, "l": {"$ref": "#/definitions/L"}}}}}"##;
    let generated =
        generate(&Source::new("s.json", spec), &[], &Options::default()).expect("usable");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning[dangling_ref]: s.json#/definitions/S/properties/a/$ref: $ref #/definitions/A only leads to more references (a cycle); using serde_json::Value",
            "warning[not_modelled]: s.json#/definitions/L: L refers to itself only through aliases; using serde_json::Value",
        ]
    );
    assert!(
        generated.code.contains("pub type L = serde_json::Value;"),
        "{}",
        generated.code
    );
}
