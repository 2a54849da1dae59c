//! Spec → intermediate model.
//!
//! Every quirk of real specs is absorbed here and nowhere else: names are made valid
//! and unique, `$ref`s are followed (a broken one is a warning and the value is kept as
//! JSON), `allOf` parts are merged, alternatives become unions, `null` makes a place
//! optional, cycles are broken with `Box`, and constructs the model has no shape for
//! fall back to `serde_json::Value` with a warning. The emitters then only read
//! [`Api`].

mod names;
mod operations;
mod types;

pub(crate) use names::Namespace;
pub use names::{is_version, operation_name, operation_names, NamingStyle};

use serde_json::Value;

use crate::error::WarningKind;
use crate::ir::Api;
use crate::spec::Spec;

/// What normalization is asked to do beyond the defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// How operations without an `operationId` are named.
    pub naming: NamingStyle,
    /// Make a type of every component schema, also those no operation uses.
    pub all_schemas: bool,
}

/// Builds the intermediate model of one spec; warnings are recorded in `spec`.
pub fn normalize(spec: &Spec<'_>, settings: Settings) -> Api {
    let mut types = types::TypeBuilder::new(
        spec,
        types::TypeOptions {
            all_schemas: settings.all_schemas,
        },
    );
    types.declare_all_components();
    let mut operations = operations::build(spec, &mut types, settings.naming);
    let types = types.finish(&mut operations);
    let (title, version, description) = info(spec);
    Api {
        title,
        version,
        description,
        base_path: base_path(spec),
        types,
        operations,
    }
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
