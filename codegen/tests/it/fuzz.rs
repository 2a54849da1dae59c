//! Property test: mutated real and fixture specs never make the generator panic, and
//! whatever it says about a mutant points at the node that was broken.
//!
//! Each case takes a spec (every fixture, the shipped specs), applies one to three
//! mutations and generates: a node replaced by a value of another type, a node
//! removed, a path renamed to start with a digit (`/3par`), a `$ref` made a number or
//! an object, a schema buried under many levels of nesting. The result must be code
//! or an error, never an internal error (a caught panic), and every warning the
//! mutant adds must be located at a mutated node, inside it, or at one of its
//! ancestors — except the kinds that are about other nodes by nature (a `$ref` whose
//! target a mutation removed is dangling where the `$ref` is; a renamed operation is
//! reported where it is; a path template and its parameter declarations are compared
//! where the operation is).
//!
//! A short run is part of the test suite (64 cases); a long one:
//! `PROPTEST_CASES=5000 cargo test --release -p migrate-codegen --test it fuzz`.

use std::collections::BTreeSet;

use migrate_codegen::{generate, Options, Place, Source, WarningKind};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::{shipped_spec_paths, source, specs_in};

/// The specs to mutate, parsed once.
fn corpus() -> &'static [(String, Value)] {
    static SPECS: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    SPECS.get_or_init(|| {
        specs_in("specs/fixtures")
            .into_iter()
            .chain(shipped_spec_paths())
            .filter_map(|path| {
                let text = source(&path).text;
                let value = migrate_codegen::load::parse(&Source::new(&path, text)).ok()?;
                Some((path, value))
            })
            .collect()
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the n-th node with a value of another kind.
    Replace(usize, u8),
    /// Remove the n-th node from its parent.
    Remove(usize),
    /// Rename the n-th path so that it starts with a digit.
    DigitPath(usize),
    /// Make the n-th `$ref` a number or an object.
    BadRef(usize, bool),
    /// Bury the n-th schema under `depth` levels of nesting.
    Nest(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..6).prop_map(|(n, k)| Mutation::Replace(n, k)),
        any::<usize>().prop_map(Mutation::Remove),
        any::<usize>().prop_map(Mutation::DigitPath),
        (any::<usize>(), any::<bool>()).prop_map(|(n, o)| Mutation::BadRef(n, o)),
        (any::<usize>(), 1usize..40).prop_map(|(n, d)| Mutation::Nest(n, d)),
    ]
}

fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(child.clone());
                pointers(v, &child, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let child = format!("{at}/{i}");
                out.push(child.clone());
                pointers(v, &child, out);
            }
        }
        _ => {}
    }
}

fn parent_and_key(pointer: &str) -> (&str, String) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, key.replace("~1", "/").replace("~0", "~"))
}

/// Applies a mutation; returns the pointer of the node it broke.
fn apply(spec: &mut Value, mutation: &Mutation) -> Option<String> {
    let mut all = Vec::new();
    pointers(spec, "", &mut all);
    let pick = |n: usize, pred: &dyn Fn(&str, &Value) -> bool| -> Option<String> {
        let chosen: Vec<&String> = all
            .iter()
            .filter(|p| spec.pointer(p).is_some_and(|v| pred(p, v)))
            .collect();
        (!chosen.is_empty()).then(|| chosen[n % chosen.len()].clone())
    };
    match mutation {
        Mutation::Replace(n, kind) => {
            let at = pick(*n, &|_, _| true)?;
            let value = match kind {
                0 => Value::Null,
                1 => json!(42),
                2 => json!("x"),
                3 => json!([]),
                4 => json!({}),
                _ => json!(true),
            };
            *spec.pointer_mut(&at)? = value;
            Some(at)
        }
        Mutation::Remove(n) => {
            let at = pick(*n, &|_, _| true)?;
            let (parent, key) = parent_and_key(&at);
            match spec.pointer_mut(parent)? {
                Value::Object(map) => {
                    map.remove(&key);
                }
                Value::Array(items) => {
                    let index: usize = key.parse().ok()?;
                    if index < items.len() {
                        items.remove(index);
                    }
                }
                _ => return None,
            }
            Some(parent.to_string())
        }
        Mutation::DigitPath(n) => {
            let paths = spec.get_mut("paths")?.as_object_mut()?;
            let keys: Vec<String> = paths.keys().cloned().collect();
            if keys.is_empty() {
                return None;
            }
            let key = keys[n % keys.len()].clone();
            let item = paths.remove(&key)?;
            let renamed = format!("/3par{key}");
            paths.insert(renamed.clone(), item);
            Some(format!(
                "/paths/{}",
                renamed.replace('~', "~0").replace('/', "~1")
            ))
        }
        Mutation::BadRef(n, object) => {
            let at = pick(*n, &|p, v| p.ends_with("/$ref") && v.is_string())?;
            *spec.pointer_mut(&at)? = if *object {
                json!({"$ref": "#/x"})
            } else {
                json!(7)
            };
            Some(at)
        }
        Mutation::Nest(n, depth) => {
            let at = pick(*n, &|p, v| {
                v.is_object() && (p.ends_with("/schema") || p.contains("/properties/"))
            })?;
            let node = spec.pointer_mut(&at)?;
            let mut inner = node.take();
            for level in 0..*depth {
                inner = match level % 4 {
                    0 => json!({"type": "array", "items": inner}),
                    1 => json!({"type": "object", "properties": {"inner": inner}}),
                    2 => json!({"allOf": [inner]}),
                    _ => json!({"anyOf": [inner, {"type": "null"}]}),
                };
            }
            *node = inner;
            Some(at)
        }
    }
}

fn located(place: &Place) -> Option<&str> {
    match place {
        Place::Pointer(p) => Some(p.as_str()),
        _ => None,
    }
}

fn related(a: &str, b: &str) -> bool {
    let under = |x: &str, y: &str| x == y || x.starts_with(&format!("{y}/")) || y.is_empty();
    under(a, b) || under(b, a)
}

fn shown(warnings: &[migrate_codegen::Warning]) -> BTreeSet<String> {
    warnings.iter().map(|w| w.to_string()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mutated_specs_end_in_code_or_a_located_error(
        which in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let specs = corpus();
        let (path, original) = &specs[which % specs.len()];
        let before = generate(&Source::new(path, original.to_string()), &[], &Options::default())
            .map(|g| shown(&g.warnings))
            .unwrap_or_default();
        let mut mutant = original.clone();
        let broken: Vec<String> = mutations.iter().filter_map(|m| apply(&mut mutant, m)).collect();
        let result = generate(&Source::new(path, mutant.to_string()), &[], &Options::default());
        match result {
            Err(e) => {
                prop_assert!(!e.message.contains("internal error"), "{path} {mutations:?}: {e}");
            }
            Ok(generated) => {
                for warning in &generated.warnings {
                    if before.contains(&warning.to_string()) {
                        continue;
                    }
                    if matches!(
                        warning.kind,
                        WarningKind::DanglingRef
                            | WarningKind::NameTaken
                            | WarningKind::DuplicateOperationId
                            | WarningKind::UndeclaredPathParam
                            | WarningKind::PathParamNotInPath
                    ) {
                        continue;
                    }
                    let Some(at) = located(&warning.location.place) else { continue };
                    prop_assert!(
                        broken.iter().any(|b| related(at, b)),
                        "{path} {mutations:?}: broke {broken:?} but the warning is elsewhere: {warning}"
                    );
                }
            }
        }
    }
}
