//! Spec → intermediate model.
//!
//! Every quirk of real specs is absorbed here and nowhere else: names are made valid
//! and unique, `$ref`s are followed (a broken one is a warning and the value is kept as
//! JSON), `allOf` parts are merged, alternatives become unions, `null` makes a place
//! optional, cycles are broken with `Box`, and constructs the model has no shape for
//! fall back to `serde_json::Value` with a warning. The emitters then only read
//! [`Api`].

pub(crate) mod commands;
mod names;
mod operations;
mod types;

pub(crate) use names::Namespace;
pub use names::{is_version, operation_name, operation_names, tag_module, NamingStyle};

use serde_json::Value;

use crate::error::WarningKind;
use crate::ir::Api;
use crate::spec::Spec;

/// What normalization is asked to do beyond the defaults.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// How operations without an `operationId` are named.
    pub naming: NamingStyle,
    /// Make a type of every component schema, also those no operation uses.
    pub all_schemas: bool,
    /// Which operations to keep.
    pub select: &'a Selection,
}

impl Default for Settings<'static> {
    fn default() -> Self {
        static ALL: Selection = Selection {
            include_tags: Vec::new(),
            exclude_tags: Vec::new(),
            include_ops: Vec::new(),
        };
        Settings {
            naming: NamingStyle::default(),
            all_schemas: false,
            select: &ALL,
        }
    }
}

/// Which operations of a spec to generate: by tag (`--include-tag`, `--exclude-tag`) and
/// by operation (`--include-op`: its method name, its `operationId`, or `METHOD /path`).
/// An operation is kept when no include is given or one matches, and no exclude
/// matches. Names are decided on the whole spec first, so a kept operation has the same
/// name however the spec is cut; the types kept are those the kept operations reach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Keep operations with one of these tags (as written, or in snake_case).
    pub include_tags: Vec<String>,
    /// Drop operations with one of these tags.
    pub exclude_tags: Vec<String>,
    /// Keep these operations.
    pub include_ops: Vec<String>,
}

impl Selection {
    /// Whether the selection keeps everything.
    pub fn is_all(&self) -> bool {
        *self == Selection::default()
    }

    /// Whether to keep an operation with this name, id, method, path and tags.
    pub fn keeps(
        &self,
        name: &str,
        id: Option<&str>,
        method: &str,
        path: &str,
        tags: &[String],
    ) -> bool {
        let tag_is = |wanted: &String| {
            tags.iter()
                .any(|t| t == wanted || names::tag_module(t) == names::tag_module(wanted))
        };
        if self.exclude_tags.iter().any(tag_is) {
            return false;
        }
        if self.include_tags.is_empty() && self.include_ops.is_empty() {
            return true;
        }
        let op_is = |wanted: &String| {
            wanted == name
                || id == Some(wanted.as_str())
                || wanted.eq_ignore_ascii_case(&format!("{method} {path}"))
        };
        self.include_tags.iter().any(tag_is) || self.include_ops.iter().any(op_is)
    }
}

/// Builds the intermediate model of one spec; warnings are recorded in `spec`.
pub fn normalize(spec: &Spec<'_>, settings: Settings<'_>) -> Api {
    let mut types = types::TypeBuilder::new(
        spec,
        types::TypeOptions {
            all_schemas: settings.all_schemas,
        },
    );
    types.declare_all_components();
    let mut operations = operations::build(spec, &mut types, settings.naming, settings.select);
    let types = types.finish(&mut operations);
    let (title, version, description) = info(spec);
    let mut api = Api {
        title,
        version,
        description,
        base_path: base_path(spec),
        types,
        operations,
    };
    commands::decide(&mut api);
    api
}

/// `info.title`, `info.version` and `info.description`; a missing title or version is a
/// warning (the crate is still written, with a placeholder).
fn info(spec: &Spec<'_>) -> (String, String, Option<String>) {
    let root = spec.root_node();
    let Some(info) = root.get("info").filter(|i| i.value.is_object()) else {
        spec.warn(
            WarningKind::MissingInfo,
            "",
            "the spec has no `info` object; title and version are left empty",
        );
        return (String::new(), String::new(), None);
    };
    let field = |key: &str| match info.value.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            spec.warn(
                WarningKind::MissingInfo,
                &info.at,
                format!("`info` has no `{key}`; left empty"),
            );
            String::new()
        }
    };
    let title = field("title");
    let version = field("version");
    let description = info
        .value
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_string);
    (title, version, description)
}

/// The path part of the first server URL, without a trailing slash; server variables
/// (`https://{host}/api/{version}`) take their defaults.
fn base_path(spec: &Spec<'_>) -> String {
    let root = spec.root_node();
    let Some(server) = root.items(spec, "servers").into_iter().next() else {
        return String::new();
    };
    let Some(url) = server.value.get("url").and_then(Value::as_str) else {
        return String::new();
    };
    let mut url = url.to_string();
    if let Some(Value::Object(variables)) = server.value.get("variables") {
        for (name, variable) in variables {
            if let Some(default) = variable.get("default").and_then(Value::as_str) {
                url = url.replace(&format!("{{{name}}}"), default);
            }
        }
    }
    let path = match url.find("://") {
        Some(i) => url[i + 3..]
            .find('/')
            .map(|j| &url[i + 3 + j..])
            .unwrap_or(""),
        None => url.as_str(),
    };
    // Whatever is still a template after the defaults cannot be a fixed base path.
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.contains('{') {
        return String::new();
    }
    path.trim_end_matches('/').to_string()
}

pub(crate) use names::unraw;
