//! The files of a standalone crate around generated modules.
//!
//! A crate generated for publishing depends on `migrate-runtime` by version,
//! on `serde` and on `serde_json`, and nothing else, so `cargo package` takes
//! it as written. Only when asked (`--runtime-path`) does it name the runtime
//! by path as well, for building before the runtime is published; the
//! generator never writes a path of its own machine. It is its own workspace
//! so that it builds wherever it is written.

use crate::Generated;

/// How the standalone crate depends on the runtime.
#[derive(Debug, Clone)]
pub struct RuntimeDependency {
    /// The version requirement (`0.1.0`).
    pub version: String,
    /// A path to the runtime's source, written as given (relative paths are
    /// relative to the crate's directory), for building before it is published.
    pub path: Option<String>,
}

/// The files (relative path, contents) of a crate named `name` holding the
/// given modules. One module becomes the crate root; several become `pub mod`s.
///
/// A module generated with [`crate::Options::split_by_tag`] is its root (the types and
/// the `Client`) plus one file per tag, `src/<tag>.rs` (`src/<module>/<tag>.rs` when
/// there are several modules), each declared behind a cargo feature of the tag's name.
/// `full` turns on every tag and is the default. A tag name that would clash with
/// `cli`, `full` or `default` was renamed by the generator (`cli_tag`,
/// [`crate::normalize::tag_module`]); with several split modules, a tag they share is
/// one feature.
pub fn crate_files(
    name: &str,
    modules: &[(String, Generated)],
    runtime: &RuntimeDependency,
) -> Vec<(String, String)> {
    let runtime_dep = match &runtime.path {
        Some(path) => format!("{{ version = \"{}\", path = {:?} }}", runtime.version, path),
        None => format!("\"{}\"", runtime.version),
    };
    let description = match modules {
        [(_, one)] => format!("Typed async client for {} {}", one.title, one.version),
        _ => format!(
            "Typed async clients for {}",
            modules
                .iter()
                .map(|(_, g)| g.title.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let manifest = format!(
        "[package]\nname = {name:?}\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = {description:?}\nlicense = \"Apache-2.0\"\n\n\
         [lib]\ndoctest = false\n\n\
         [dependencies]\nmigrate-runtime = {runtime_dep}\nserde = \"1\"\nserde_json = \"1\"\nclap = {{ version = \"4.5\", features = [\"derive\"], optional = true }}\n\n\
         [features]\n{}# `clap::Args` structs for request bodies.\ncli = [\"dep:clap\"]\n\n\
         # A crate of its own, wherever it is written.\n[workspace]\n",
        tag_features(modules)
    );
    let mut files = vec![("Cargo.toml".to_string(), manifest)];
    match modules {
        [(_, one)] => {
            let mut docs = module_docs(one);
            if !one.tags.is_empty() {
                docs.insert_str(docs.len() - 1, SPLIT_DOCS);
            }
            files.push((
                "src/lib.rs".into(),
                format!(
                    "{docs}#![allow(deprecated)]\n\n{}{}",
                    one.code,
                    tag_mods(&one.tags)
                ),
            ));
            for tag in &one.tags {
                files.push((format!("src/{}.rs", tag.module), tag.code.clone()));
            }
        }
        _ => {
            let split = modules.iter().any(|(_, g)| !g.tags.is_empty());
            let mut lib = format!(
                "//! {description}.\n{}\n#![allow(deprecated)]\n\n",
                if split { SPLIT_DOCS } else { "" }
            );
            for (module, generated) in modules {
                let docs = module_docs(generated).trim_end().replace("//!", "///") + "\n";
                lib.push_str(&format!("{docs}pub mod {module};\n"));
                files.push((
                    format!("src/{module}.rs"),
                    format!("{}{}", generated.code, tag_mods(&generated.tags)),
                ));
                for tag in &generated.tags {
                    files.push((format!("src/{module}/{}.rs", tag.module), tag.code.clone()));
                }
            }
            files.push(("src/lib.rs".into(), lib));
        }
    }
    files
}

/// The crate docs' paragraph on the features of a crate split by tag.
const SPLIT_DOCS: &str =
    "//!\n//! One module and one cargo feature per tag, every one on by default (`full`).\n\
     //! Depend with `default-features = false, features = [\"<tag>\"]` to compile one tag's\n\
     //! operations and only the types they need.\n";

/// The `[features]` lines of the tags (none when no module is split): `default`, `full`
/// and one feature per tag, in name order.
fn tag_features(modules: &[(String, Generated)]) -> String {
    let features: std::collections::BTreeSet<&str> = modules
        .iter()
        .flat_map(|(_, g)| g.tags.iter().map(|t| t.module.as_str()))
        .collect();
    if features.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let list = quoted.join(", ");
    let list = if list.len() <= 80 {
        list
    } else {
        format!("\n    {},\n", quoted.join(",\n    "))
    };
    let mut out = format!(
        "default = [\"full\"]\n# Every tag's module.\nfull = [{list}]\n# One feature per tag: its module and the types its operations need.\n"
    );
    for feature in features {
        out.push_str(&format!("{feature} = []\n"));
    }
    out
}

/// A tag's `api::Operation` has a variant per command of the tag, each holding its flags;
/// with the few commands of one tag the largest can be far larger than the others, which
/// clippy would flag (the whole spec's enum has many large variants, and is not flagged).
const LARGE_COMMANDS: &str = "#[allow(\n    clippy::large_enum_variant,\n    reason = \"api::Operation holds one command's flags, once per command line\"\n)]\n";

/// The `pub mod` line of each tag's module, behind its feature, with a doc line naming
/// the tag.
fn tag_mods(tags: &[crate::TagModule]) -> String {
    let mut out = String::new();
    for tag in tags {
        let name: String = tag
            .tag
            .chars()
            .map(|c| if c.is_control() || c == '`' { ' ' } else { c })
            .collect();
        out.push_str(&format!(
            "\n/// The operations tagged `{}` ({} operation{}; the `{}` feature).\n#[cfg(feature = {:?})]\n{LARGE_COMMANDS}pub mod {};\n",
            name.trim(),
            tag.operations,
            if tag.operations == 1 { "" } else { "s" },
            tag.module,
            tag.module,
            tag.module
        ));
    }
    out
}

/// `//!` lines naming the spec.
pub fn module_docs(generated: &Generated) -> String {
    let mut docs = format!(
        "//! Client for {} (spec version {}).\n",
        generated.title, generated.version
    );
    if let Some(description) = &generated.description {
        docs.push_str("//!\n");
        for line in crate::emit::doc_lines(description) {
            docs.push_str(&format!("//!{line}\n"));
        }
    }
    docs.push('\n');
    docs
}
