//! A command for every operation (the `cli` feature's `api` module): one clap
//! `<Op>Command` per operation, an `Operation` subcommand enum over them, and
//! `OPERATIONS`, what a command line needs to know of each (summary, paging, waiters,
//! what to wait for after it answers).
//!
//! Each command's flags come from the operation: path parameters are positional
//! arguments in template order, query and header parameters are `--flags` (required
//! ones required), and the top-level fields of a JSON body are optional `--flags` set
//! over the `--body FILE` the command line reads (so a body can be given whole, in part,
//! or by flags alone; what is missing is named when the request is built). Values the
//! spec types as objects or unions take JSON text. Limits and enum values are in the
//! help and checked by the generated request builder before anything is sent. Flag names
//! are the wire names in kebab-case; a name a command line uses for its own options
//! ([`RESERVED`]) gets a `param-` (or `body-`) prefix.

use heck::{ToKebabCase, ToShoutySnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_lines, ident, lit, type_tokens};
use crate::ir::{
    Api, Body, Constraints, Field, Operation, Paging, Param, ParamLocation, QueryStyle, TypeKind,
    TypeRef,
};
use crate::normalize::unraw;

/// Flag names left to the command line (its global options and the `api` command's own).
pub const RESERVED: &[&str] = &[
    "body",
    "all",
    "wait",
    "list",
    "limit-items",
    "host",
    "user",
    "password",
    "password-stdin",
    "token-stdin",
    "profile",
    "insecure",
    "ca-cert",
    "timeout",
    "wait-timeout",
    "poll-interval",
    "output",
    "query",
    "utc",
    "verbose",
    "dry-run",
    "help",
    "version",
];

/// How a command's value reaches the request.
enum Source {
    /// A parameter (index into `Operation::params`).
    Param(usize),
    /// A top-level field of the JSON body, by wire name.
    BodyField(String),
    /// A field of a form body (index into its fields).
    FormField(usize),
}

/// One argument of a command.
struct Arg {
    field: proc_macro2::Ident,
    /// The clap field.
    tokens: TokenStream,
    source: Source,
    /// How the field holds the value.
    shape: Shape,
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// `T`, always given.
    Plain,
    /// `Option<T>`.
    Optional,
    /// `Vec<T>`, repeatable.
    List,
    /// `Option<String>` of JSON text for a value of type `T`.
    Json,
    /// `Vec<String>` of `name=value` pairs.
    Pairs,
    /// `Option<PathBuf>` of a file read into bytes.
    File,
}

/// Item `index` of the `api` module: operation `index`'s command, or (last) the
/// enum of every command and `OPERATIONS`.
pub(super) fn emit_item(api: &Api, index: usize) -> TokenStream {
    match api.operations.get(index) {
        Some(op) => emit_command(api, op),
        None if !api.operations.iter().any(has_command) => TokenStream::new(),
        None => emit_index(api),
    }
}

/// How many items the `api` module has.
pub(super) fn item_count(api: &Api) -> usize {
    api.operations.len() + 1
}

fn command_type(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Command", unraw(&op.name).to_upper_camel_case())
}

fn variant(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", unraw(&op.name).to_upper_camel_case())
}

/// The command's name: the method name in kebab-case.
fn command_name(op: &Operation) -> String {
    unraw(&op.name).to_kebab_case()
}

fn summary(op: &Operation) -> String {
    let sentence = first_sentence(op.docs.text.as_deref().unwrap_or_default());
    if sentence.is_empty() {
        format!("{} {}", op.method, op.path)
    } else {
        sentence
    }
}

/// Whether the operation gets a command: not when it requires a secret (never a flag
/// value) or has a form body without a form type.
fn has_command(op: &Operation) -> bool {
    let secret = op
        .params
        .iter()
        .any(|p| p.positional && p.ty == TypeRef::Secret)
        || matches!(&op.body, Some(Body::Multipart(f) | Body::Form(f)) if f.iter().any(|f| f.required && f.ty == TypeRef::Secret));
    let form = matches!(op.body, Some(Body::Multipart(_) | Body::Form(_)));
    !secret && (!form || op.form_type.is_some())
}

fn emit_command(api: &Api, op: &Operation) -> TokenStream {
    if !has_command(op) {
        return TokenStream::new();
    }
    let name = command_type(op);
    let mut flags = crate::normalize::Namespace::with_reserved(RESERVED);
    let mut fields = crate::normalize::Namespace::with_reserved(&["body", "body_file"]);
    let mut args: Vec<Arg> = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        if p.ty == TypeRef::Secret {
            // A secret is never a flag value; such a parameter is left to the library.
            continue;
        }
        args.push(param_arg(api, p, i, &mut flags, &mut fields));
    }
    let body_file = match &op.body {
        Some(Body::Json(ty)) => {
            if let Some(s) = struct_of(api, ty) {
                for f in &s.fields {
                    if let Some(arg) = body_arg(api, f, &mut flags, &mut fields) {
                        args.push(arg);
                    }
                }
            }
            true
        }
        Some(Body::Binary(_)) => true,
        Some(Body::Multipart(form) | Body::Form(form)) => {
            for (i, f) in form.iter().enumerate() {
                if f.ty == TypeRef::Secret {
                    continue;
                }
                let field = ident(&fields.claim(&f.name));
                let wanted = f.wire_name.to_kebab_case();
                let long = lit(&flags.claim(&if RESERVED.contains(&wanted.as_str()) {
                    format!("form-{wanted}")
                } else {
                    wanted
                }));
                let help = lit(&help_of(f.docs.text.as_deref(), &Constraints::default()));
                let (shape, tokens) = match &f.ty {
                    TypeRef::Bytes => (
                        Shape::File,
                        quote! {
                            #[arg(long = #long, help = #help, value_name = "FILE")]
                            pub #field: Option<std::path::PathBuf>,
                        },
                    ),
                    ty if scalar(api, ty) => {
                        let ty = type_tokens(api, ty, false);
                        (
                            Shape::Optional,
                            quote! { #[arg(long = #long, help = #help)] pub #field: Option<#ty>, },
                        )
                    }
                    _ => (
                        Shape::Json,
                        quote! { #[arg(long = #long, help = #help, value_name = "JSON")] pub #field: Option<String>, },
                    ),
                };
                args.push(Arg {
                    field,
                    tokens,
                    source: Source::FormField(i),
                    shape,
                });
            }
            false
        }
        None => false,
    };
    let fields_tokens = args.iter().map(|a| &a.tokens);
    let body_flag = body_file.then(|| {
        let help = match &op.body {
            Some(Body::Binary(media)) => format!("The request body ({media}): a file, or - for standard input."),
            _ => "The request body as JSON or YAML: a file, or - for standard input. Flags for its fields are set over it.".to_string(),
        };
        quote! {
            #[doc = #help]
            #[arg(long = "body", value_name = "FILE")]
            pub body_file: Option<std::path::PathBuf>,
        }
    });
    let request = emit_request(api, op, &args);
    let doc = format!(" `{} {}`: {}", op.method, op.path, summary(op));
    let long_doc: Vec<String> = op.docs.text.as_deref().map(doc_lines).unwrap_or_default();
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #(#[doc = #long_doc])*
        #[derive(Debug, Clone, clap::Args)]
        pub struct #name {
            #(#fields_tokens)*
            #body_flag
        }
        #request
    }
}

fn struct_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a crate::ir::Struct> {
    match ty {
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => Some(s),
            TypeKind::Alias(inner) => struct_of(api, inner),
            _ => None,
        },
        _ => None,
    }
}

/// Whether one flag value can hold the type (as text clap parses).
fn scalar(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::DateTime
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F64
        | TypeRef::Bool => true,
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => scalar(api, inner),
            _ => false,
        },
        _ => false,
    }
}

/// Whether values of the type are `Copy` (numbers, booleans, timestamps).
fn is_copy(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool | TypeRef::DateTime => true,
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => is_copy(api, inner),
            _ => false,
        },
        _ => false,
    }
}

/// The lint a command's `Result<_, rt::Error<_>>` meets, allowed with its reason.
fn allow_large_error() -> TokenStream {
    quote! {
        #[allow(
            clippy::result_large_err,
            reason = "rt::Error carries the response body; a Box would cost every caller an allocation"
        )]
    }
}

fn enum_type(api: &Api, ty: &TypeRef) -> Option<TokenStream> {
    let TypeRef::Named(id) = ty else { return None };
    match &api.types[id.0].kind {
        TypeKind::Enum(_) => Some(type_tokens(api, ty, false)),
        TypeKind::Alias(inner) => enum_type(api, inner),
        _ => None,
    }
}

/// The `value_parser` (enums list their values) and value name of a scalar.
fn parser(api: &Api, ty: &TypeRef) -> TokenStream {
    match enum_type(api, ty) {
        Some(e) => quote! {
            value_parser = clap::builder::TypedValueParser::map(
                clap::builder::PossibleValuesParser::new(<#e as rt::StringEnum>::VALUES.iter().copied()),
                <#e as rt::StringEnum>::from_wire,
            ),
        },
        None if matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64) => {
            quote! { allow_negative_numbers = true, }
        }
        None => TokenStream::new(),
    }
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &["e.g", "i.e", "etc", "vs", "cf", "approx"];

/// The first sentence of the first paragraph of `text`, on one line (`e.g. x, y.` is one
/// sentence).
fn first_sentence(text: &str) -> String {
    let first = text.trim().split("\n\n").next().unwrap_or_default();
    let flat = first.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut from = 0;
    while let Some(found) = flat[from..].find(". ") {
        let end = from + found;
        let word = flat[..end].rsplit(' ').next().unwrap_or_default();
        if !ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str()) {
            return flat[..=end].to_string();
        }
        from = end + 2;
    }
    flat
}

fn help_of(docs: Option<&str>, c: &Constraints) -> String {
    let sentence = docs.map(first_sentence).unwrap_or_default();
    let mut limits = Vec::new();
    match c.min_length {
        Some(1) => limits.push("not empty".to_string()),
        Some(n) => limits.push(format!("at least {n} characters")),
        None => {}
    }
    if let Some(n) = c.max_length {
        limits.push(format!("at most {n} characters"));
    }
    if let Some((n, exclusive)) = c.minimum {
        limits.push(if exclusive {
            format!("more than {n}")
        } else {
            format!("at least {n}")
        });
    }
    if let Some((n, exclusive)) = c.maximum {
        limits.push(if exclusive {
            format!("less than {n}")
        } else {
            format!("at most {n}")
        });
    }
    match (sentence.is_empty(), limits.is_empty()) {
        (_, true) => sentence,
        (true, false) => limits.join(", "),
        (false, false) => format!("{sentence} ({})", limits.join(", ")),
    }
}

fn param_arg(
    api: &Api,
    p: &Param,
    index: usize,
    flags: &mut crate::normalize::Namespace,
    fields: &mut crate::normalize::Namespace,
) -> Arg {
    let field = ident(&fields.claim(&p.name));
    let help = lit(&help_of(p.docs.text.as_deref(), &p.constraints));
    let source = Source::Param(index);
    if p.location == ParamLocation::Path {
        let value_name = lit(&p.wire_name.to_shouty_snake_case());
        let (ty, shape) = if scalar(api, &p.ty) {
            (type_tokens(api, &p.ty, false), Shape::Plain)
        } else {
            (quote! { String }, Shape::Json)
        };
        let parser = if shape == Shape::Plain {
            parser(api, &p.ty)
        } else {
            TokenStream::new()
        };
        let field_ty = if shape == Shape::Json {
            quote! { Option<String> }
        } else {
            ty
        };
        let required = (shape == Shape::Json).then(|| quote! { required = true, });
        return Arg {
            tokens: quote! {
                #[arg(value_name = #value_name, help = #help, #required #parser)]
                pub #field: #field_ty,
            },
            field,
            source,
            shape,
        };
    }
    let wanted = p.wire_name.to_kebab_case();
    let long = lit(&flags.claim(&if RESERVED.contains(&wanted.as_str()) {
        format!("param-{wanted}")
    } else {
        wanted
    }));
    let required = p.positional;
    let (shape, tokens) = match (&p.style, &p.ty) {
        (QueryStyle::Pairs, _) => (
            Shape::Pairs,
            quote! {
                #[arg(long = #long, help = #help, value_name = "NAME=VALUE", action = clap::ArgAction::Append)]
                pub #field: Vec<String>,
            },
        ),
        (_, TypeRef::List(item)) if scalar(api, item) => {
            let ty = type_tokens(api, item, false);
            let parser = parser(api, item);
            let req = required.then(|| quote! { required = true, });
            (
                Shape::List,
                quote! {
                    #[arg(long = #long, help = #help, #req #parser action = clap::ArgAction::Append)]
                    pub #field: Vec<#ty>,
                },
            )
        }
        (_, ty) if scalar(api, ty) => {
            let rust = type_tokens(api, ty, false);
            let parser = parser(api, ty);
            if required {
                (
                    Shape::Plain,
                    quote! { #[arg(long = #long, help = #help, required = true, #parser)] pub #field: #rust, },
                )
            } else {
                (
                    Shape::Optional,
                    quote! { #[arg(long = #long, help = #help, #parser)] pub #field: Option<#rust>, },
                )
            }
        }
        _ => {
            let req = required.then(|| quote! { required = true, });
            (
                Shape::Json,
                quote! {
                    #[arg(long = #long, help = #help, value_name = "JSON", #req)]
                    pub #field: Option<String>,
                },
            )
        }
    };
    Arg {
        field,
        tokens,
        source,
        shape,
    }
}

fn body_arg(
    api: &Api,
    f: &Field,
    flags: &mut crate::normalize::Namespace,
    fields: &mut crate::normalize::Namespace,
) -> Option<Arg> {
    if f.ty == TypeRef::Secret {
        return None;
    }
    let (shape, item) = match &f.ty {
        TypeRef::List(item) if scalar(api, item) => (Shape::List, item.as_ref()),
        ty if scalar(api, ty) => (Shape::Optional, ty),
        _ => return None,
    };
    let field = ident(&fields.claim(&format!("body_{}", unraw(&f.name))));
    let wanted = f.wire_name.to_kebab_case();
    let wanted = if RESERVED.contains(&wanted.as_str()) {
        format!("body-{wanted}")
    } else {
        wanted
    };
    // A body field whose name a parameter took gets the `body-` prefix.
    let long = if flags.contains(&wanted) {
        flags.claim(&format!("body-{wanted}"))
    } else {
        flags.claim(&wanted)
    };
    let long = lit(&long);
    let help = lit(&help_of(f.docs.text.as_deref(), &f.constraints));
    // The value is named after the field, not after the Rust field (`body_name`).
    let value_name = lit(&f.wire_name.to_shouty_snake_case());
    let ty = type_tokens(api, item, false);
    let parser = parser(api, item);
    let tokens = match shape {
        Shape::List => quote! {
            #[arg(long = #long, help = #help, value_name = #value_name, #parser action = clap::ArgAction::Append)]
            pub #field: Vec<#ty>,
        },
        _ => quote! {
            #[arg(long = #long, help = #help, value_name = #value_name, #parser)]
            pub #field: Option<#ty>,
        },
    };
    Some(Arg {
        field,
        tokens,
        source: Source::BodyField(f.wire_name.clone()),
        shape,
    })
}

/// `request()`: the arguments → the typed inputs → the generated request builder.
fn emit_request(api: &Api, op: &Operation, args: &[Arg]) -> TokenStream {
    let name = command_type(op);
    let builder = ident(&op.builder);
    let operation = lit(unraw(&op.name));
    let mut prepare = TokenStream::new();
    // Positional arguments of the builder, in order.
    let mut call: Vec<TokenStream> = Vec::new();
    let value_of = |arg: &Arg, ty: &TypeRef| -> TokenStream {
        let field = &arg.field;
        let rust = type_tokens(api, ty, false);
        match arg.shape {
            Shape::Plain | Shape::Optional if is_copy(api, ty) => quote! { self.#field },
            Shape::Plain | Shape::Optional => quote! { self.#field.clone() },
            Shape::List => quote! { (!self.#field.is_empty()).then(|| self.#field.clone()) },
            Shape::Json => {
                let flag = lit(&field.to_string());
                quote! { rt::command::json_flag::<#rust>(#flag, &self.#field)? }
            }
            Shape::Pairs => quote! {
                self.#field.iter().map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
                    (name.to_string(), value.to_string())
                }).collect::<Vec<_>>()
            },
            Shape::File => quote! { None },
        }
    };
    let param_arg = |index: usize| {
        args.iter()
            .find(|a| matches!(a.source, Source::Param(i) if i == index))
    };
    for (i, p) in op.params.iter().enumerate().filter(|(_, p)| p.positional) {
        let var = format_ident!("arg_{}", i);
        let Some(arg) = param_arg(i) else {
            continue;
        };
        let value = match arg.shape {
            Shape::Json => {
                let value = value_of(arg, &p.ty);
                quote! { #value.ok_or_else(|| rt::ValidationError { field: #operation.to_string(), message: "a value is required".to_string() })? }
            }
            // A required list is passed as given, empty or not.
            Shape::List => {
                let field = &arg.field;
                quote! { self.#field.clone() }
            }
            _ => value_of(arg, &p.ty),
        };
        prepare.extend(quote! { let #var = #value; });
        call.push(match &p.ty {
            TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool => quote! { #var },
            TypeRef::String => quote! { &#var },
            _ => quote! { &#var },
        });
    }
    match &op.body {
        Some(Body::Json(ty)) => {
            let rust = type_tokens(api, ty, false);
            let pairs = args.iter().filter_map(|a| match &a.source {
                Source::BodyField(wire) => {
                    let field = &a.field;
                    let value = match a.shape {
                        Shape::List => quote! { (!self.#field.is_empty()).then(|| serde_json::to_value(&self.#field).unwrap_or_default()) },
                        _ => quote! { rt::command::flag(&self.#field) },
                    };
                    Some(quote! { (#wire, #value) })
                }
                _ => None,
            });
            prepare.extend(quote! {
                let body: #rust = rt::command::body(body, vec![#(#pairs),*])?;
            });
            call.push(quote! { &body });
        }
        Some(Body::Binary(_)) => {
            prepare.extend(quote! { let body = bytes.unwrap_or_default(); });
            call.push(quote! { body });
        }
        Some(Body::Multipart(form) | Body::Form(form)) => {
            let Some(form_type) = &op.form_type else {
                return TokenStream::new();
            };
            let form_type = ident(form_type);
            let mut inits = Vec::new();
            for (i, f) in form.iter().enumerate() {
                let field = ident(&f.name);
                let arg = args
                    .iter()
                    .find(|a| matches!(a.source, Source::FormField(j) if j == i));
                let value = match arg {
                    None => quote! { None },
                    Some(arg) if arg.shape == Shape::File => {
                        let flag = lit(&arg.field.to_string());
                        let a = &arg.field;
                        quote! {
                            match &self.#a {
                                Some(path) => Some(rt::Bytes::from(std::fs::read(path).map_err(|e| rt::ValidationError {
                                    field: #flag.to_string(),
                                    message: format!("cannot read {}: {e}", path.display()),
                                })?)),
                                None => None,
                            }
                        }
                    }
                    Some(arg) => value_of(arg, &f.ty),
                };
                let value = if f.required {
                    let flag = lit(&f.wire_name);
                    quote! { #value.ok_or_else(|| rt::ValidationError { field: #flag.to_string(), message: "is required".to_string() })? }
                } else {
                    value
                };
                inits.push(quote! { #field: #value });
            }
            prepare.extend(quote! {
                let form = super::operations::#form_type { #(#inits),* };
            });
            call.push(quote! { &form });
        }
        None => {}
    }
    if let Some(params_type) = &op.params_type {
        let params_type = ident(params_type);
        let inits = op
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.positional)
            .map(|(i, p)| {
                let field = ident(&p.name);
                match param_arg(i) {
                    None => quote! { #field: Default::default() },
                    Some(arg) => {
                        let value = value_of(arg, &p.ty);
                        quote! { #field: #value }
                    }
                }
            });
        prepare.extend(quote! {
            let params = super::operations::#params_type { #(#inits),* };
        });
        call.push(quote! { &params });
    }
    let body_input = match &op.body {
        Some(Body::Json(_)) => {
            quote! { body: Option<serde_json::Value>, _bytes: Option<rt::Bytes> }
        }
        Some(Body::Binary(_)) => {
            quote! { _body: Option<serde_json::Value>, bytes: Option<rt::Bytes> }
        }
        _ => quote! { _body: Option<serde_json::Value>, _bytes: Option<rt::Bytes> },
    };
    let doc = format!(
        " The request of `{}` these arguments make (`body` is the `--body` file read as JSON or \
         YAML, `bytes` as raw bytes), checked as the client checks it; nothing is sent.",
        unraw(&op.name)
    );
    let allow = allow_large_error();
    quote! {
        #allow
        impl #name {
            #[doc = #doc]
            pub fn request(&self, #body_input) -> Result<rt::Request, rt::Error<serde_json::Value>> {
                #prepare
                super::Client::#builder(#(#call),*).map_err(rt::command::any_body)
            }
        }
    }
}

/// The `Operation` enum over every command, and `OPERATIONS`.
fn emit_index(api: &Api) -> TokenStream {
    let commands: Vec<&Operation> = api.operations.iter().filter(|op| has_command(op)).collect();
    let variants = commands.iter().map(|op| {
        let variant = variant(op);
        let command = command_type(op);
        let name = lit(&command_name(op));
        let about = lit(&summary(op));
        quote! {
            #[command(name = #name, about = #about)]
            #variant(#command),
        }
    });
    let request_arms = commands.iter().map(|op| {
        let variant = variant(op);
        quote! { Self::#variant(command) => command.request(body, bytes), }
    });
    let info_arms = commands.iter().enumerate().map(|(i, op)| {
        let variant = variant(op);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote! { Self::#variant(_) => &OPERATIONS[#i], }
    });
    let infos = commands.iter().map(|op| info(api, op));
    // The operations some answer is waited on with: each takes the one id.
    let polled: std::collections::BTreeSet<usize> = api
        .operations
        .iter()
        .flat_map(|op| op.then_wait.iter().map(|t| t.operation))
        .collect();
    let polls = polled.into_iter().map(|index| {
        let op = &api.operations[index];
        let poll = format_ident!("poll_{}", unraw(&op.name));
        let builder = ident(&op.builder);
        let params = op
            .params_type
            .as_ref()
            .map(|_| quote! { , &Default::default() });
        let doc = format!(" The request that polls `{}` for one id.", unraw(&op.name));
        let allow = allow_large_error();
        quote! {
            #[doc = #doc]
            #allow
            pub fn #poll(id: &str) -> Result<rt::Request, rt::Error<serde_json::Value>> {
                let id = id.to_string();
                super::Client::#builder(&id #params).map_err(rt::command::any_body)
            }
        }
    });
    let allow = allow_large_error();
    quote! {
        /// Every operation as a command.
        #[derive(Debug, Clone, clap::Subcommand)]
        pub enum Operation {
            #(#variants)*
        }
        #allow
        impl Operation {
            /// The request the command makes; see each command's `request`.
            pub fn request(&self, body: Option<serde_json::Value>, bytes: Option<rt::Bytes>) -> Result<rt::Request, rt::Error<serde_json::Value>> {
                match self {
                    #(#request_arms)*
                }
            }
            /// What the command's operation is.
            pub fn info(&self) -> &'static rt::command::Info {
                match self {
                    #(#info_arms)*
                }
            }
        }
        /// Every operation that has a command, in the order of the spec.
        pub const OPERATIONS: &[rt::command::Info] = &[#(#infos),*];
        #(#polls)*
    }
}

fn info(api: &Api, op: &Operation) -> TokenStream {
    let name = lit(unraw(&op.name));
    let command = lit(&command_name(op));
    let method = lit(&op.method);
    let path = lit(&op.path);
    let summary = lit(&summary(op));
    // A binary body is read from `--body` as bytes, not as JSON or YAML.
    let body = matches!(op.body, Some(Body::Json(_)));
    let paging = match &op.paging {
        Some(Paging::ContentRange { max_page_size, .. }) => {
            quote! { Some(rt::command::Paging::ContentRange { max_page_size: #max_page_size }) }
        }
        Some(Paging::NextLink {
            items, next, rel, ..
        }) => {
            quote! { Some(rt::command::Paging::NextLink { items: #items, next: #next, rel: #rel }) }
        }
        None => quote! { None },
    };
    let waiters = op.waiters.iter().map(|w| {
        let constant = ident(&w.constant);
        quote! { &super::waiters::#constant }
    });
    let then = op.then_wait.iter().map(|t| {
        let polled = &api.operations[t.operation];
        let constant = ident(&polled.waiters[t.waiter].constant);
        let poll = format_ident!("poll_{}", unraw(&polled.name));
        let status = match t.status {
            Some(s) => quote! { Some(#s) },
            None => quote! { None },
        };
        let id = lit(&t.id);
        quote! {
            rt::command::ThenWait { status: #status, rule: &super::waiters::#constant, id: #id, poll: #poll }
        }
    });
    quote! {
        rt::command::Info {
            name: #name,
            command: #command,
            method: #method,
            path: #path,
            summary: #summary,
            body: #body,
            paging: #paging,
            waiters: &[#(#waiters),*],
            then_wait: &[#(#then),*],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_goes_past_abbreviations() {
        assert_eq!(
            first_sentence("Fields to return, e.g. id,name. Without select only id."),
            "Fields to return, e.g. id,name."
        );
        assert_eq!(first_sentence("Cut over. Later.\n\nMore."), "Cut over.");
        assert_eq!(first_sentence("As JSON, e.g. {}"), "As JSON, e.g. {}");
    }
}
