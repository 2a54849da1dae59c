//! Intermediate model → Rust tokens.
//!
//! Pure functions from [`Api`] to tokens, one module per output: [`types`] for the
//! spec's schemas, [`operations`] for per-operation inputs and response enums,
//! [`client`] for the `Client` and its methods, [`cli`] for clap flags (with [`flags`], what
//! the `cli` and `api` modules' flags share). The output is a
//! list of [`SECTIONS`], each a run of items emitted one item at a time, so that
//! formatting can take them one by one (and on several threads) instead of holding the
//! tokens and syntax tree of a whole module at once. The runtime is spelled in one
//! place ([`rt`]), so moving it means changing one line.

mod api;
mod cli;
mod client;
mod flags;
mod operations;
mod types;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Api, Docs, TypeRef};

/// Every item of the runtime that generated code may name (as `rt::…`, up to the first
/// type or trait of the path): the contract between the generator and
/// `migrate-runtime`, listed in `docs/runtime-contract.md` too. A test checks that the
/// generated code names nothing else and that the contract documents each.
pub const RUNTIME_ITEMS: &[&str] = &[
    "rt::BoxStream",
    "rt::Bytes",
    "rt::DateTime",
    "rt::Error",
    "rt::Method",
    "rt::Multipart",
    "rt::Request",
    "rt::Response",
    "rt::Secret",
    "rt::StringEnum",
    "rt::Transport",
    "rt::Validate",
    "rt::ValidationError",
    "rt::call",
    "rt::check::items",
    "rt::check::max_items",
    "rt::check::max_length",
    "rt::check::maximum",
    "rt::check::min_items",
    "rt::check::min_length",
    "rt::check::minimum",
    "rt::check::pattern",
    "rt::command::Info",
    "rt::command::Paging",
    "rt::command::ThenWait",
    "rt::command::any_body",
    "rt::command::body",
    "rt::command::flag",
    "rt::command::json_flag",
    "rt::command::list_flag",
    "rt::encode_path",
    "rt::object",
    "rt::pairs",
    "rt::paging::content_range",
    "rt::paging::next_link",
    "rt::string_enum",
    "rt::text",
    "rt::union::Shape",
    "rt::union::decode",
    "rt::union::read",
    "rt::union::read_tagged",
    "rt::union::write_tagged",
    "rt::wait::Progress",
    "rt::wait::WaitError",
    "rt::wait::WaitOptions",
    "rt::waiter::Finished",
    "rt::waiter::Rule",
    "rt::waiter::declared",
];

/// What a section's items sit in.
#[derive(Debug, Clone, Copy)]
pub enum Container {
    /// The top of the generated module.
    Root,
    /// `pub mod NAME { .. }`, with its doc line, behind a cargo feature if one is named;
    /// left out when it has no items.
    Module {
        /// The module's name.
        name: &'static str,
        /// Its doc line.
        doc: &'static str,
        /// The cargo feature it needs, if any.
        feature: Option<&'static str>,
    },
    /// `impl Client { .. }`.
    ClientImpl,
}

/// A run of items of the output.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// Where the items sit.
    pub container: Container,
    /// How many items there are.
    pub len: fn(&Api) -> usize,
    /// The tokens of item `i` (empty when that item has nothing to say).
    pub item: fn(&Api, usize) -> TokenStream,
}

fn one(_: &Api) -> usize {
    1
}
fn type_count(api: &Api) -> usize {
    api.types.len()
}
fn operation_count(api: &Api) -> usize {
    api.operations.len()
}
fn client_members(api: &Api) -> usize {
    api.operations.len() + 1
}
fn runtime_import(_: &Api, _: usize) -> TokenStream {
    quote! { use ::migrate_runtime as rt; }
}
fn tag_imports(api: &Api, _: usize) -> TokenStream {
    let uses_types = !api
        .reachable_from(&(0..api.operations.len()).collect::<Vec<_>>())
        .is_empty();
    let types = uses_types.then(|| quote! { use super::types; });
    quote! {
        use ::migrate_runtime as rt;
        #types
        use super::Client;
    }
}

/// `use ::migrate_runtime as rt;` at the top.
const RUNTIME: Section = Section {
    container: Container::Root,
    len: one,
    item: runtime_import,
};

/// The spec's schemas.
const TYPES: Section = Section {
    container: Container::Module {
        name: "types",
        doc: " The spec's schemas as Rust types.",
        feature: None,
    },
    len: type_count,
    item: types::emit_item,
};

/// Per-operation parameter structs and response enums.
const OPERATIONS: Section = Section {
    container: Container::Module {
        name: "operations",
        doc: " Per-operation inputs and response enums.",
        feature: None,
    },
    len: operation_count,
    item: operations::emit_item,
};

/// The declared waiters' rules.
const WAITERS: Section = Section {
    container: Container::Module {
        name: "waiters",
        doc:
            " The waiters the spec declares: which operation each polls and what its answers mean.",
        feature: None,
    },
    len: operation_count,
    item: client::emit_rules,
};

/// The `Client` struct.
const CLIENT: Section = Section {
    container: Container::Root,
    len: one,
    item: client::emit_struct,
};

/// Flag structs for request bodies (`cli` feature).
const CLI: Section = Section {
    container: Container::Module {
        name: "cli",
        doc: " Command-line flags for request bodies (the `cli` feature).",
        feature: Some("cli"),
    },
    len: cli::item_count,
    item: cli::emit_item,
};

/// A command per operation (`cli` feature).
const API: Section = Section {
    container: Container::Module {
        name: "api",
        doc: " A command for every operation (the `cli` feature): clap arguments from its parameters and body, and what a command line needs to know of it.",
        feature: Some("cli"),
    },
    len: api::item_count,
    item: api::emit_item,
};

/// The root of a crate split by tag: the runtime, every type (each behind the features
/// of the tags that need it), and the `Client` with what every client has. Each tag's
/// operations are in a module of their own ([`TAG_SECTIONS`]).
pub const ROOT_SECTIONS: [Section; 4] = [
    RUNTIME,
    TYPES,
    CLIENT,
    Section {
        container: Container::ClientImpl,
        len: one,
        item: client::emit_member,
    },
];

/// One tag's module of a crate split by tag: its operations' types and methods,
/// waiters and commands (the `api` given holds only that tag's operations).
pub const TAG_SECTIONS: [Section; 6] = [
    Section {
        container: Container::Root,
        len: one,
        item: tag_imports,
    },
    OPERATIONS,
    WAITERS,
    Section {
        container: Container::ClientImpl,
        len: operation_count,
        item: client::emit_operation_member,
    },
    CLI,
    API,
];

/// The generated module, in order.
pub const SECTIONS: [Section; 8] = [
    RUNTIME,
    TYPES,
    OPERATIONS,
    WAITERS,
    CLIENT,
    Section {
        container: Container::ClientImpl,
        len: client_members,
        item: client::emit_member,
    },
    CLI,
    API,
];

/// The tokens that open a container, with `inner` (imports) inside and an empty body:
/// `/// doc\n pub mod types { use ...; }`.
pub fn container_tokens(container: &Container, inner: TokenStream) -> TokenStream {
    match container {
        Container::Root => inner,
        Container::Module { name, doc, feature } => {
            let name = format_ident!("{}", name);
            let cfg = feature.map(|f| quote! { #[cfg(feature = #f)] });
            quote! {
                #[doc = #doc]
                #cfg
                pub mod #name {
                    #inner
                }
            }
        }
        Container::ClientImpl => {
            let attributes = client::impl_attributes();
            quote! { #attributes impl Client { #inner } }
        }
    }
}

/// The imports a module's items need: the runtime as `rt`, and `super::types`.
pub fn imports(uses_runtime: bool, uses_types: bool) -> TokenStream {
    let runtime = uses_runtime.then(|| quote! { use ::migrate_runtime as rt; });
    let types = uses_types.then(|| quote! { use super::types; });
    quote! { #runtime #types }
}

/// The whole module for one spec as one token stream (the sections in order); what
/// [`crate::format::format_sections`] formats item by item.
pub fn module(api: &Api) -> TokenStream {
    let mut out = TokenStream::new();
    for section in &SECTIONS {
        let items: Vec<TokenStream> = (0..(section.len)(api))
            .map(|i| (section.item)(api, i))
            .filter(|t| !t.is_empty())
            .collect();
        match section.container {
            Container::Root => out.extend(items),
            Container::Module { .. } if items.is_empty() => {}
            Container::Module { .. } => {
                let body: TokenStream = items.into_iter().collect();
                let imports = imports(mentions(&body, "rt"), mentions(&body, "types"));
                out.extend(container_tokens(
                    &section.container,
                    quote! { #imports #body },
                ));
            }
            Container::ClientImpl => {
                let body: TokenStream = items.into_iter().collect();
                out.extend(container_tokens(&section.container, body));
            }
        }
    }
    out
}

/// Whether `name` is a path's first segment somewhere in `tokens` (`name::…`).
/// Walks the tokens rather than printing them.
pub fn mentions(tokens: &TokenStream, name: &str) -> bool {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Group(group) => mentions(&group.stream(), name),
        TokenTree::Ident(ident) => {
            let colon = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ':');
            ident == name && colon(trees.get(i + 1)) && colon(trees.get(i + 2))
        }
        _ => false,
    })
}

/// The identifier for a name that normalization made valid. A name that is not valid
/// (a generator bug) is made valid here rather than panicking.
pub(crate) fn ident(name: &str) -> Ident {
    let valid = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && s != "_"
    };
    match name.strip_prefix("r#") {
        Some(raw) if valid(raw) && !["crate", "self", "Self", "super"].contains(&raw) => {
            Ident::new_raw(raw, Span::call_site())
        }
        None if valid(name) => format_ident!("{}", name),
        _ => {
            let cleaned: String = name
                .trim_start_matches("r#")
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            format_ident!("n_{}", cleaned)
        }
    }
}

/// `#[doc]` and `#[deprecated]` attributes.
pub(crate) fn doc_attrs(docs: &Docs) -> TokenStream {
    let lines = docs.text.as_deref().map(doc_lines).unwrap_or_default();
    let deprecated = deprecated_attr(docs);
    quote! { #(#[doc = #lines])* #deprecated }
}

/// `#[deprecated]`, with the spec's note if it has one.
pub(crate) fn deprecated_attr(docs: &Docs) -> Option<TokenStream> {
    docs.deprecated.as_ref().map(|note| {
        if note.is_empty() {
            quote! { #[deprecated] }
        } else {
            quote! { #[deprecated(note = #note)] }
        }
    })
}

/// Doc text made safe for rustdoc and tidy for clippy's doc lints: leading
/// indentation would start a code block (which `cargo test` would try to compile), so
/// it is dropped, code fences are marked as plain text, tabs become spaces, and a line
/// that continues a list item or a block quote gets the item's indentation or the
/// quote's `>` (specs wrap their markdown without either).
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut item_indent: Option<usize> = None;
    let mut in_quote = false;
    let mut in_fence = false;
    for raw in text.lines() {
        let line = raw.replace('\t', "    ");
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("```") {
            let info = if in_fence {
                String::new()
            } else {
                format!(
                    "text{}",
                    rest.trim_start_matches(|c: char| c.is_alphanumeric())
                )
            };
            in_fence = !in_fence;
            item_indent = None;
            in_quote = false;
            lines.push(format!(" ```{info}"));
            continue;
        }
        if in_fence {
            lines.push(format!(" {}", line.trim_end()));
            continue;
        }
        if trimmed.is_empty() {
            item_indent = None;
            in_quote = false;
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        let shown = if let Some(width) = list_marker(trimmed) {
            item_indent = Some(width);
            in_quote = false;
            trimmed.to_string()
        } else if trimmed.starts_with('>') {
            in_quote = true;
            item_indent = None;
            trimmed.to_string()
        } else if in_quote {
            format!("> {trimmed}")
        } else if let Some(width) = item_indent {
            format!("{}{trimmed}", " ".repeat(width))
        } else {
            trimmed.to_string()
        };
        lines.push(format!(" {}", escape_tags(&shown)));
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    // An unclosed fence would swallow the rest of the item's docs.
    if in_fence {
        lines.push(" ```".into());
    }
    lines
}

/// `line` with every `<` that would open an HTML tag (`<name>`, `</b>`, `<!--`) escaped as
/// `\<`, outside inline code: spec prose writes placeholders such as `name:<name>`, which
/// rustdoc would take for unclosed tags and hide. Autolinks (`<https://…>`) stay links.
fn escape_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for (at, c) in line.char_indices() {
        if c == '`' {
            in_code = !in_code;
        } else if c == '<' && !in_code && !out.ends_with('\\') {
            let rest = &line[at + 1..];
            let tag_like =
                rest.starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!');
            let autolink = ["http://", "https://", "mailto:"]
                .iter()
                .any(|scheme| rest.starts_with(scheme));
            if tag_like && !autolink {
                out.push('\\');
            }
        }
        out.push(c);
    }
    out
}

/// The width of a list item's marker (`- `, `* `, `1. `), if the line starts one.
fn list_marker(line: &str) -> Option<usize> {
    let marker = if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        1
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let rest = &line[digits..];
        if digits == 0 || digits >= 10 || !(rest.starts_with(". ") || rest.starts_with(") ")) {
            return None;
        }
        digits + 1
    };
    // The item's text starts after the marker and its spaces (`2.  Text`).
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    Some(marker + spaces.min(4))
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
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(api, inner, from_types_mod);
            quote! { Option<#inner> }
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|t| type_tokens(api, t, from_types_mod));
            quote! { (#(#items,)*) }
        }
    }
}

/// A string literal token.
pub(crate) fn lit(s: &str) -> Literal {
    Literal::string(s)
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    #[test]
    fn placeholders_in_angle_brackets_are_text_not_html() {
        assert_eq!(
            doc_lines("Use name:<name> or <field>=[not.]<op>.<value>; see </b> and <!-- x -->."),
            [" Use name:\\<name> or \\<field>=[not.]\\<op>.\\<value>; see \\</b> and \\<!-- x -->."]
        );
        // Inline code, autolinks, comparisons and escapes already made are left alone.
        assert_eq!(
            doc_lines("`a<b>` at <https://x.example> if 1 < 2 and \\<kept>"),
            [" `a<b>` at <https://x.example> if 1 < 2 and \\<kept>"]
        );
        // So are fenced blocks.
        assert_eq!(doc_lines("```\n<tag>\n```"), [" ```text", " <tag>", " ```"]);
    }
}
