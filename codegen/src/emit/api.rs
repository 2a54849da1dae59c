//! A command for every operation (the `cli` feature's `api` module): one clap
//! `<Op>Command` per operation, an `Operation` subcommand enum over them, and
//! `OPERATIONS`, what a command line needs to know of each (summary, paging, waiters,
//! what to wait for after it answers).
//!
//! What each command is (its name, flags, shapes and help) is decided in
//! `normalize::commands` and held by [`Operation::command`]; this module writes it out:
//! the clap struct, and `request()`, which turns the arguments into the typed inputs of
//! the generated request builder, so that limits and enum values are checked by the same
//! code as a library caller's before anything is sent.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_lines, flags, ident, lit, type_tokens};
use crate::ir::{
    Api, ArgShape, ArgSource, Body, BodyFile, Command, CommandArg, Operation, Paging, TypeRef,
};
use crate::normalize::unraw;

/// Item `index` of the `api` module: operation `index`'s command, or (last) the
/// enum of every command and `OPERATIONS`.
pub(super) fn emit_item(api: &Api, index: usize) -> TokenStream {
    match api.operations.get(index) {
        Some(op) => emit_command(api, op),
        None if !api.operations.iter().any(|op| op.command.is_some()) => TokenStream::new(),
        None => emit_index(api),
    }
}

/// How many items the `api` module has.
pub(super) fn item_count(api: &Api) -> usize {
    api.operations.len() + 1
}

fn emit_command(api: &Api, op: &Operation) -> TokenStream {
    let Some(command) = &op.command else {
        return TokenStream::new();
    };
    let name = ident(&command.type_name);
    let fields = command.args.iter().map(|arg| arg_field(api, arg));
    let body_flag = command.body_file.as_ref().map(|how| {
        let help = match how {
            BodyFile::Bytes(media) => {
                format!("The request body ({media}): a file, or - for standard input.")
            }
            BodyFile::Json => "The request body as JSON or YAML: a file, or - for standard input. Flags for its fields are set over it.".to_string(),
        };
        let help = format!(" {help}");
        quote! {
            #[doc = #help]
            #[arg(long = "body", value_name = "FILE")]
            pub body_file: Option<std::path::PathBuf>,
        }
    });
    let request = emit_request(api, op, command);
    let doc = format!(" `{} {}`: {}", op.method, op.path, command.summary);
    let long_doc: Vec<String> = op.docs.text.as_deref().map(doc_lines).unwrap_or_default();
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #(#[doc = #long_doc])*
        #[derive(Debug, Clone, clap::Args)]
        pub struct #name {
            #(#fields)*
            #body_flag
        }
        #request
    }
}

/// The clap field of one argument.
fn arg_field(api: &Api, arg: &CommandArg) -> TokenStream {
    let field = ident(&arg.field);
    let flags::FlagHelp { doc, arg: help } = flags::help(&arg.help);
    let long = arg.long.as_deref().map(|l| {
        let l = lit(l);
        quote! { long = #l, }
    });
    let value_name = arg.value_name.as_deref().map(|v| {
        let v = lit(v);
        quote! { value_name = #v, }
    });
    // A plain `T` is required by clap already.
    let required =
        (arg.required && arg.shape != ArgShape::Plain).then(|| quote! { required = true, });
    let item = type_tokens(api, &arg.ty, false);
    let (ty, parser, action) = match arg.shape {
        ArgShape::Plain => (item, parser(api, &arg.ty), None),
        ArgShape::Optional => (quote! { Option<#item> }, parser(api, &arg.ty), None),
        ArgShape::List => (
            quote! { Vec<#item> },
            parser(api, &arg.ty),
            Some(quote! { action = clap::ArgAction::Append, }),
        ),
        ArgShape::Json => (quote! { Option<String> }, TokenStream::new(), None),
        ArgShape::Pairs => (
            quote! { Vec<String> },
            TokenStream::new(),
            Some(quote! { action = clap::ArgAction::Append, }),
        ),
        ArgShape::File => (
            quote! { Option<std::path::PathBuf> },
            TokenStream::new(),
            None,
        ),
    };
    quote! {
        #doc
        #[arg(#long #value_name #help #required #parser #action)]
        pub #field: #ty,
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

/// The `value_parser` of a scalar (enums list their values; numbers may be negative).
fn parser(api: &Api, ty: &TypeRef) -> TokenStream {
    match flags::enum_type(api, ty) {
        Some(e) => flags::enum_parser(&e),
        None if matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64) => {
            quote! { allow_negative_numbers = true, }
        }
        None => TokenStream::new(),
    }
}

/// `request()`: the arguments → the typed inputs → the generated request builder.
fn emit_request(api: &Api, op: &Operation, command: &Command) -> TokenStream {
    let name = ident(&command.type_name);
    let args = &command.args;
    let builder = ident(&op.builder);
    let operation = lit(unraw(&op.name));
    let mut prepare = TokenStream::new();
    // Positional arguments of the builder, in order.
    let mut call: Vec<TokenStream> = Vec::new();
    let value_of = |arg: &CommandArg| -> TokenStream {
        let field = ident(&arg.field);
        let rust = type_tokens(api, &arg.ty, false);
        match arg.shape {
            ArgShape::Plain | ArgShape::Optional if arg.copy => quote! { self.#field },
            ArgShape::Plain | ArgShape::Optional => quote! { self.#field.clone() },
            ArgShape::List => quote! { (!self.#field.is_empty()).then(|| self.#field.clone()) },
            ArgShape::Json => {
                let flag = lit(&arg.field);
                quote! { rt::command::json_flag::<#rust>(#flag, &self.#field)? }
            }
            ArgShape::Pairs => quote! {
                self.#field.iter().map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
                    (name.to_string(), value.to_string())
                }).collect::<Vec<_>>()
            },
            ArgShape::File => quote! { None },
        }
    };
    let param_arg = |index: usize| {
        args.iter()
            .find(|a| matches!(a.source, ArgSource::Param(i) if i == index))
    };
    for (i, p) in op.params.iter().enumerate().filter(|(_, p)| p.positional) {
        let var = format_ident!("arg_{}", i);
        let Some(arg) = param_arg(i) else {
            continue;
        };
        let value = match arg.shape {
            ArgShape::Json => {
                let value = value_of(arg);
                quote! { #value.ok_or_else(|| rt::ValidationError { field: #operation.to_string(), message: "a value is required".to_string() })? }
            }
            // A required list is passed as given, empty or not.
            ArgShape::List => {
                let field = ident(&arg.field);
                quote! { self.#field.clone() }
            }
            _ => value_of(arg),
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
                ArgSource::BodyField(wire) => {
                    let field = ident(&a.field);
                    let value = match a.shape {
                        ArgShape::List => quote! { rt::command::list_flag(&self.#field) },
                        _ => quote! { rt::command::flag(&self.#field) },
                    };
                    Some(quote! { (#wire, #value) })
                }
                _ => None,
            });
            prepare.extend(quote! {
                let body: #rust = rt::command::body(body, [#(#pairs),*])?;
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
                    .find(|a| matches!(a.source, ArgSource::FormField(j) if j == i));
                let value = match arg {
                    None => quote! { None },
                    Some(arg) if arg.shape == ArgShape::File => {
                        let flag = lit(&arg.field);
                        let a = ident(&arg.field);
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
                    Some(arg) => value_of(arg),
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
                        let value = value_of(arg);
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
    let commands: Vec<(&Operation, &Command)> = api
        .operations
        .iter()
        .filter_map(|op| Some((op, op.command.as_ref()?)))
        .collect();
    let variants = commands.iter().map(|(_, c)| {
        let variant = ident(&c.variant);
        let command = ident(&c.type_name);
        let name = lit(&c.name);
        let about = lit(&c.summary);
        quote! {
            #[command(name = #name, about = #about)]
            #variant(#command),
        }
    });
    let request_arms = commands.iter().map(|(_, c)| {
        let variant = ident(&c.variant);
        quote! { Self::#variant(command) => command.request(body, bytes), }
    });
    let info_arms = commands.iter().enumerate().map(|(i, (_, c))| {
        let variant = ident(&c.variant);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote! { Self::#variant(_) => &OPERATIONS[#i], }
    });
    let infos = commands.iter().map(|(op, c)| info(api, op, c));
    let takes_enum = commands.iter().any(|(_, c)| {
        c.args.iter().any(|a| {
            matches!(
                a.shape,
                ArgShape::Plain | ArgShape::Optional | ArgShape::List
            ) && flags::enum_type(api, &a.ty).is_some()
        })
    });
    let string_enum = takes_enum.then(flags::string_enum_fn);
    // The operations some answer is waited on with: each takes the one id.
    let polled: std::collections::BTreeSet<usize> = api
        .operations
        .iter()
        .flat_map(|op| op.then_wait.iter())
        .filter(|t| t.elsewhere.is_none())
        .map(|t| t.operation)
        .collect();
    // Those of other tags' modules (a crate split by tag), behind their features.
    let elsewhere: std::collections::BTreeMap<&str, &crate::ir::Elsewhere> = api
        .operations
        .iter()
        .flat_map(|op| op.then_wait.iter())
        .filter_map(|t| t.elsewhere.as_ref())
        .map(|e| (e.name.as_str(), e))
        .collect();
    let polls_elsewhere = elsewhere.into_values().map(|e| {
        let poll = format_ident!("poll_{}", unraw(&e.name));
        let builder = ident(&e.builder);
        let params = e.params.then(|| quote! { , &Default::default() });
        let feature = lit(&e.module);
        let doc = format!(
            " The request that polls `{}` (of the `{}` module) for one id.",
            unraw(&e.name),
            e.module
        );
        let allow = allow_large_error();
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            #allow
            pub fn #poll(id: &str) -> Result<rt::Request, rt::Error<serde_json::Value>> {
                let id = id.to_string();
                super::Client::#builder(&id #params).map_err(rt::command::any_body)
            }
        }
    });
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
        #string_enum
        #(#polls)*
        #(#polls_elsewhere)*
    }
}

fn info(api: &Api, op: &Operation, c: &Command) -> TokenStream {
    let name = lit(unraw(&op.name));
    let command = lit(&c.name);
    let method = lit(&op.method);
    let path = lit(&op.path);
    let summary = lit(&c.summary);
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
        let status = match t.status {
            Some(s) => quote! { Some(#s) },
            None => quote! { None },
        };
        let id = lit(&t.id);
        match &t.elsewhere {
            None => {
                let polled = &api.operations[t.operation];
                let constant = ident(&polled.waiters[t.waiter].constant);
                let poll = format_ident!("poll_{}", unraw(&polled.name));
                quote! {
                    rt::command::ThenWait { status: #status, rule: &super::waiters::#constant, id: #id, poll: #poll }
                }
            }
            // Another tag's waiter: there when its feature is.
            Some(e) => {
                let constant = ident(&e.constant);
                let poll = format_ident!("poll_{}", unraw(&e.name));
                let module = ident(&e.module);
                let feature = lit(&e.module);
                quote! {
                    #[cfg(feature = #feature)]
                    rt::command::ThenWait { status: #status, rule: &super::super::#module::waiters::#constant, id: #id, poll: #poll }
                }
            }
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
