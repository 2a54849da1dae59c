//! Spec → intermediate model.
//!
//! Every quirk of real specs is absorbed here and nowhere else: names are made
//! valid and unique, `$ref`s are resolved (a dangling one is an error with a
//! pointer), `allOf` parts are merged, discriminators become unions, cycles are
//! broken with `Box`, and constructs the model has no shape for fall back to
//! `serde_json::Value` with a warning. The emitters then only read [`Api`].

mod names;
mod operations;
mod types;

pub use names::operation_name;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Warning};
use crate::ir::Api;
use crate::load::Dialect;

/// What normalization needs to know about where the spec came from, so that
/// its messages point into the user's own file.
pub struct Origin<'a> {
    /// The file name for messages.
    pub file: &'a str,
    /// The dialect the user wrote.
    pub dialect: Dialect,
    /// The upgraded document, to map pointers back.
    pub upgraded: &'a Value,
}

impl Origin<'_> {
    /// An error at a pointer into the upgraded document.
    fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::at(
            self.file,
            crate::upgrade::original_pointer(self.upgraded, self.dialect, pointer),
            message,
        )
    }

    /// A warning at a pointer into the upgraded document.
    fn warning(&self, pointer: &str, message: impl Into<String>) -> Warning {
        Warning {
            location: crate::error::Location::pointer(
                self.file,
                crate::upgrade::original_pointer(self.upgraded, self.dialect, pointer),
            ),
            message: message.into(),
        }
    }
}

/// Builds the intermediate model of one spec.
pub fn normalize(
    origin: &Origin<'_>,
    spec: &OpenAPI,
    warnings: &mut Vec<Warning>,
) -> Result<Api, Error> {
    let mut types = types::TypeBuilder::new(origin, spec);
    types.declare_components()?;
    let operations = operations::build(origin, spec, &mut types)?;
    let types = types.finish(&operations);
    warnings.extend(types.1);
    Ok(Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        base_path: base_path(spec),
        types: types.0,
        operations,
    })
}

/// The path part of the first server URL, without a trailing slash.
fn base_path(spec: &OpenAPI) -> String {
    let url = spec.servers.first().map(|s| s.url.as_str()).unwrap_or("");
    let path = match url.find("://") {
        Some(i) => url[i + 3..]
            .find('/')
            .map(|j| &url[i + 3 + j..])
            .unwrap_or(""),
        None => url,
    };
    path.trim_end_matches('/').to_string()
}

pub(crate) use names::unraw;
