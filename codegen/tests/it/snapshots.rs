//! Snapshots of the generated code for every spec the project ships and every
//! fixture spec. Review changes with `cargo insta review`.
//!
//! The full vendor spec is deliberately not snapshotted: its output repeats
//! the vendor's prose, which must not be committed. It is compiled instead
//! (see `compile.rs`).

use migrate_codegen::generate;

use crate::{overlays_for, shipped_spec_paths, source, specs_in};

fn snapshot_of(spec: &str) -> String {
    let generated = generate(&source(spec), &overlays_for(spec), &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    for warning in &generated.warnings {
        text.push_str(&format!("// {warning}\n"));
    }
    text.push_str(&generated.code);
    text
}

fn snapshot_name(spec: &str) -> String {
    let file = spec.rsplit('/').next().unwrap_or(spec);
    file.split('.').next().unwrap_or(file).to_string()
}

#[test]
fn shipped_specs() {
    let specs = shipped_spec_paths();
    assert_eq!(specs.len(), 3, "shipped specs went missing: {specs:?}");
    for spec in specs {
        insta::assert_snapshot!(format!("spec_{}", snapshot_name(&spec)), snapshot_of(&spec));
    }
}

#[test]
fn fixture_specs() {
    let fixtures = specs_in("specs/fixtures");
    assert!(fixtures.len() >= 15, "fixtures went missing: {fixtures:?}");
    for spec in fixtures {
        insta::assert_snapshot!(
            format!("fixture_{}", snapshot_name(&spec)),
            snapshot_of(&spec)
        );
    }
}

#[test]
fn output_is_deterministic() {
    for spec in [
        "generated/specs/dellemc.swagger.json",
        "specs/fixtures/collisions.yaml",
    ] {
        assert_eq!(snapshot_of(spec), snapshot_of(spec), "{spec}");
    }
}

/// `generate` emits and formats the module's parts on threads of their own; the text must be
/// exactly that of formatting the whole module at once.
#[test]
fn parts_formatted_apart_join_into_the_whole_module() {
    use migrate_codegen::{emit, format, load, normalize, overlay, spec::Spec, upgrade};
    for spec in shipped_spec_paths() {
        let source = source(&spec);
        let mut document = load::parse(&source).unwrap();
        for o in overlays_for(&spec) {
            overlay::apply(&mut document, &o, &mut Vec::new()).unwrap();
        }
        let dialect = load::dialect(&source.name, &document, &mut Vec::new()).unwrap();
        let upgraded = upgrade::upgrade(&source.name, dialect, document, &mut Vec::new());
        let reader = Spec::new(&source.name, dialect, &upgraded);
        let api = normalize::normalize(&reader, Default::default());
        let whole = format::format(&source.name, emit::module(&api)).unwrap();
        let parts = format::format_sections(&source.name, &api, &emit::SECTIONS).unwrap();
        assert!(whole == parts, "{spec}: the parts differ from the whole");
    }
}
