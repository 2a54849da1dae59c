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
         [features]\n# `clap::Args` structs for request bodies.\ncli = [\"dep:clap\"]\n\n\
         # A crate of its own, wherever it is written.\n[workspace]\n"
    );
    let mut files = vec![("Cargo.toml".to_string(), manifest)];
    match modules {
        [(_, one)] => {
            let docs = module_docs(one);
            files.push((
                "src/lib.rs".into(),
                format!("{docs}#![allow(deprecated)]\n\n{}", one.code),
            ));
        }
        _ => {
            let mut lib = format!("//! {description}.\n\n#![allow(deprecated)]\n\n");
            for (module, generated) in modules {
                let docs = module_docs(generated).trim_end().replace("//!", "///") + "\n";
                lib.push_str(&format!("{docs}pub mod {module};\n"));
                files.push((format!("src/{module}.rs"), generated.code.clone()));
            }
            files.push(("src/lib.rs".into(), lib));
        }
    }
    files
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
