//! Generated code names only the runtime items `emit::RUNTIME_ITEMS` lists, and
//! `docs/runtime-contract.md` documents every one of them.

use std::collections::BTreeSet;

use migrate_codegen::{emit::RUNTIME_ITEMS, generate};

use crate::{overlays_for, root, shipped_spec_paths, source, specs_in};

/// The `rt::` paths in Rust source, each cut after its first type or trait segment
/// (`rt::object::Writer::new` → `rt::object::Writer`).
fn runtime_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut start = 0;
    while let Some(at) = code[start..].find("rt::").map(|i| start + i) {
        start = at + 4;
        let before = at.checked_sub(1).map(|i| bytes[i] as char);
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let mut item = vec!["rt"];
        for segment in rest[..end].split("::").skip(1).filter(|s| !s.is_empty()) {
            item.push(segment);
            if segment.starts_with(|c: char| c.is_ascii_uppercase()) {
                break;
            }
        }
        found.insert(item.join("::"));
    }
    found
}

#[test]
fn generated_code_names_only_the_listed_runtime_items_and_the_contract_documents_them() {
    let mut used = BTreeSet::new();
    for spec in specs_in("specs/fixtures")
        .into_iter()
        .chain(shipped_spec_paths())
    {
        let generated = generate(&source(&spec), &overlays_for(&spec), &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        used.extend(runtime_paths(&generated.code));
    }
    let listed: BTreeSet<String> = RUNTIME_ITEMS.iter().map(|s| s.to_string()).collect();
    let unlisted: Vec<&String> = used.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "generated code names runtime items emit::RUNTIME_ITEMS does not list: {unlisted:?}"
    );
    let contract =
        std::fs::read_to_string(root().join("docs/runtime-contract.md")).expect("the contract");
    let undocumented: Vec<&&str> = RUNTIME_ITEMS
        .iter()
        .filter(|item| !contract.contains(*item))
        .collect();
    assert!(
        undocumented.is_empty(),
        "docs/runtime-contract.md does not document {undocumented:?}"
    );
}

#[test]
fn runtime_paths_are_cut_at_the_first_type() {
    let paths = runtime_paths(
        "rt::object::Writer::new(s); std::convert::Infallible; xrt::no; rt::check::pattern(\"a\")",
    );
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        ["rt::check::pattern", "rt::object::Writer"]
    );
}
