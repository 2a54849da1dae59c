//! Intermediate model → Rust tokens.
//!
//! Pure functions from [`Api`] to a `TokenStream`, one module per output:
//! [`types`] for the spec's schemas, [`operations`] for per-operation inputs and
//! response enums, [`client`] for the `Client` and its methods. The runtime is
//! spelled in one place ([`rt`]), so moving it means changing one line.

mod cli;
mod client;
mod operations;
mod types;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Api, Docs, TypeRef};

/// The whole module for one spec.
pub fn module(api: &Api) -> TokenStream {
    let types = with_imports(types::emit(api));
    let operations = with_imports(operations::emit(api));
    let client = client::emit(api);
    let cli = cli::emit(api);
    let operations_mod = (!operations.is_empty()).then(|| {
        quote! {
            /// Per-operation inputs and response enums.
            pub mod operations {
                #operations
            }
        }
    });
    quote! {
        use ::migrate_runtime as rt;

        /// The spec's schemas as Rust types.
        pub mod types {
            #types
        }

        #operations_mod

        #client

        #cli
    }
}

/// Adds the imports a submodule body uses: the runtime as `rt`, and the
/// sibling `types` module.
fn with_imports(body: TokenStream) -> TokenStream {
    if body.is_empty() {
        return body;
    }
    let text = body.to_string();
    let runtime = text
        .contains("rt ::")
        .then(|| quote! { use ::migrate_runtime as rt; });
    let types = text
        .contains("types ::")
        .then(|| quote! { use super::types; });
    quote! { #runtime #types #body }
}

/// An identifier, raw when it needs to be.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// `#[doc]` and `#[deprecated]` attributes.
pub(crate) fn doc_attrs(docs: &Docs) -> TokenStream {
    let lines = docs.text.as_deref().map(doc_lines).unwrap_or_default();
    let deprecated = docs.deprecated.as_ref().map(|note| {
        if note.is_empty() {
            quote! { #[deprecated] }
        } else {
            quote! { #[deprecated(note = #note)] }
        }
    });
    quote! { #(#[doc = #lines])* #deprecated }
}

/// Doc text made safe for rustdoc: leading indentation would start a code
/// block (which `cargo test` would try to compile), so it is dropped, and
/// code fences are marked as plain text.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let line = if let Some(rest) = trimmed.strip_prefix("```") {
            format!(
                "```text{}",
                rest.trim_start_matches(|c: char| c.is_alphanumeric())
            )
        } else {
            trimmed.to_string()
        };
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        });
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    // An unclosed fence would swallow the rest of the item's docs.
    if lines
        .iter()
        .filter(|l| l.trim_start().starts_with("```"))
        .count()
        % 2
        == 1
    {
        lines.push(" ```".into());
    }
    lines
}

/// The Rust type for a type reference, as seen from the crate module root
/// (`types::X`) or from inside `types` (`X`).
pub(crate) fn type_tokens(api: &Api, ty: &TypeRef, from_types_mod: bool) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&api.types[id.0].name);
            if from_types_mod {
                quote! { #name }
            } else {
                quote! { types::#name }
            }
        }
        TypeRef::String => quote! { String },
        TypeRef::Secret => quote! { rt::Secret },
        TypeRef::DateTime => quote! { rt::DateTime },
        TypeRef::I32 => quote! { i32 },
        TypeRef::I64 => quote! { i64 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::Bool => quote! { bool },
        TypeRef::Bytes => quote! { rt::Bytes },
        TypeRef::Any => quote! { serde_json::Value },
        TypeRef::List(inner) => {
            let inner = type_tokens(api, inner, from_types_mod);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(api, inner, from_types_mod);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
    }
}

/// A string literal token.
pub(crate) fn lit(s: &str) -> Literal {
    Literal::string(s)
}
