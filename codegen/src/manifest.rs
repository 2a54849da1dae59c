//! A list of specs to generate one crate from: one module per spec, with the overlays
//! applied to it.
//!
//! `generated/specs/shipped.yaml` is the list for `migrate-clients`. Its build script, the
//! generator's tests and benchmarks, and the CLI's contract tests all parse it here, so the
//! pairing of specs and overlays is written once; `migrate-codegen generate --manifest FILE`
//! takes the same kind of file. Like the rest of the library this does no IO: callers read
//! the manifest and the files it names. The format:
//!
//! ```yaml
//! modules:
//!   - name: powerstore              # module name (and cargo feature of migrate-clients)
//!     spec: dellemc.swagger.json    # relative to this file
//!     overlays: [powerstore.overlay.yaml]
//!   - name: lcm
//!     spec: lcm.yaml
//! ```
//!
//! Unknown keys are errors, so a misspelt `overlay:` cannot silently drop an overlay.

use std::path::{Path, PathBuf};

/// The modules of a crate, in the file's order.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Every module, in the file's order.
    pub modules: Vec<Module>,
}

/// One module: its name, its spec and the overlays applied to it, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The module's name: lower-case letters, digits and `_`, starting with a letter.
    pub name: String,
    /// The spec, joined to the directory the manifest's paths are relative to.
    pub spec: PathBuf,
    /// The overlays, joined likewise.
    pub overlays: Vec<PathBuf>,
}

impl Manifest {
    /// Parses a manifest's text; its paths are joined to `dir`, and errors name `file`.
    pub fn parse(text: &str, dir: &Path, file: &str) -> Result<Self, String> {
        let value: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| format!("{file}: invalid YAML: {e}"))?;
        let top = value
            .as_mapping()
            .ok_or_else(|| format!("{file}: a mapping with `modules` was expected"))?;
        only_keys(top, &["modules"], file, "")?;
        let entries = top
            .get("modules")
            .and_then(serde_yaml::Value::as_sequence)
            .ok_or_else(|| format!("{file}: `modules` must be a list"))?;
        let mut modules: Vec<Module> = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let at = format!("modules[{index}]");
            let entry = entry
                .as_mapping()
                .ok_or_else(|| format!("{file}: {at}: a mapping was expected"))?;
            only_keys(entry, &["name", "spec", "overlays"], file, &at)?;
            let text_of = |key: &str| -> Result<String, String> {
                entry
                    .get(key)
                    .and_then(serde_yaml::Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{file}: {at}: `{key}` must be a string"))
            };
            let name = text_of("name")?;
            if !is_module_name(&name) {
                return Err(format!(
                    "{file}: {at}: name {name:?} is not a module name (lower-case letters, digits and `_`, starting with a letter)"
                ));
            }
            if modules.iter().any(|m| m.name == name) {
                return Err(format!("{file}: {at}: module {name:?} is listed twice"));
            }
            let spec = dir.join(text_of("spec")?);
            let overlays = match entry.get("overlays") {
                None => Vec::new(),
                Some(serde_yaml::Value::Sequence(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        item.as_str().map(|o| dir.join(o)).ok_or_else(|| {
                            format!("{file}: {at}.overlays[{i}]: a file name was expected")
                        })
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(format!("{file}: {at}: `overlays` must be a list")),
            };
            modules.push(Module {
                name,
                spec,
                overlays,
            });
        }
        Ok(Manifest { modules })
    }

    /// The module named `name`.
    pub fn module(&self, name: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.name == name)
    }
}

impl Module {
    /// The spec, then the overlays.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.spec.as_path()).chain(self.overlays.iter().map(PathBuf::as_path))
    }
}

fn only_keys(
    mapping: &serde_yaml::Mapping,
    allowed: &[&str],
    file: &str,
    at: &str,
) -> Result<(), String> {
    for key in mapping.keys() {
        let known = key.as_str().is_some_and(|k| allowed.contains(&k));
        if !known {
            let key = key
                .as_str()
                .map_or_else(|| format!("{key:?}"), str::to_owned);
            let at = if at.is_empty() {
                String::new()
            } else {
                format!("{at}: ")
            };
            return Err(format!(
                "{file}: {at}unknown key `{key}` (expected one of: {})",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Manifest, String> {
        Manifest::parse(text, Path::new("specs"), "shipped.yaml")
    }

    #[test]
    fn modules_keep_their_order_and_paths_join_the_directory() {
        let manifest = parse(
            "modules:\n  - {name: powerstore, spec: ps.json, overlays: [a.yaml, b.yaml]}\n  - {name: lcm, spec: lcm.yaml}\n",
        )
        .unwrap();
        assert_eq!(
            manifest.modules,
            vec![
                Module {
                    name: "powerstore".into(),
                    spec: "specs/ps.json".into(),
                    overlays: vec!["specs/a.yaml".into(), "specs/b.yaml".into()],
                },
                Module {
                    name: "lcm".into(),
                    spec: "specs/lcm.yaml".into(),
                    overlays: vec![],
                },
            ]
        );
        assert_eq!(manifest.module("lcm").unwrap().files().count(), 1);
        assert!(manifest.module("vipr").is_none());
    }

    #[test]
    fn mistakes_are_named_with_the_entry() {
        let cases = [
            ("[1]", "shipped.yaml: a mapping with `modules` was expected"),
            ("modules: 3", "shipped.yaml: `modules` must be a list"),
            ("modules:\n  - {name: a}", "shipped.yaml: modules[0]: `spec` must be a string"),
            (
                "modules:\n  - {name: a, spec: a.json, overlay: [x]}",
                "shipped.yaml: modules[0]: unknown key `overlay` (expected one of: name, spec, overlays)",
            ),
            (
                "modules:\n  - {name: a, spec: a.json, overlays: x.yaml}",
                "shipped.yaml: modules[0]: `overlays` must be a list",
            ),
            (
                "modules:\n  - {name: a, spec: a.json, overlays: [1]}",
                "shipped.yaml: modules[0].overlays[0]: a file name was expected",
            ),
            (
                "modules:\n  - {name: Power-Store, spec: a.json}",
                "shipped.yaml: modules[0]: name \"Power-Store\" is not a module name (lower-case letters, digits and `_`, starting with a letter)",
            ),
            (
                "modules:\n  - {name: a, spec: a.json}\n  - {name: a, spec: b.json}",
                "shipped.yaml: modules[1]: module \"a\" is listed twice",
            ),
            ("mods: []", "shipped.yaml: unknown key `mods` (expected one of: modules)"),
        ];
        for (text, message) in cases {
            assert_eq!(parse(text).unwrap_err(), message, "{text}");
        }
        assert!(parse("modules: [")
            .unwrap_err()
            .starts_with("shipped.yaml: invalid YAML: "));
    }
}
