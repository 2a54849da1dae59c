//! Per-operation types: the optional inputs of an operation, its form body,
//! and the enum of its responses when success statuses carry different bodies.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, type_tokens};
use crate::ir::{Api, Body, Docs, FormField, Operation, Param, QueryStyle, ResponseBody};

/// The per-operation types of operation `index`: its params struct, form and response
/// enum, those it has.
pub(super) fn emit_item(api: &Api, index: usize) -> TokenStream {
    let op = &api.operations[index];
    let params = op
        .params_type
        .as_ref()
        .map(|name| emit_params(api, op, name));
    let form = match (&op.body, &op.form_type) {
        (Some(Body::Multipart(fields) | Body::Form(fields)), Some(name)) => {
            Some(emit_form(api, op, name, fields))
        }
        _ => None,
    };
    let response = op
        .response_type
        .as_ref()
        .map(|name| emit_response_enum(api, op, name));
    quote! { #params #form #response }
}

/// Parameters that go into the operation's `Params` struct: the ones that are not
/// positional arguments.
pub(crate) fn optional_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| !p.positional)
}

/// The Rust type of a parameter value.
pub(crate) fn param_type(api: &Api, p: &Param) -> TokenStream {
    if p.style == QueryStyle::Pairs {
        return quote! { Vec<(String, String)> };
    }
    type_tokens(api, &p.ty, false)
}

fn emit_params(api: &Api, op: &Operation, name: &str) -> TokenStream {
    let name = ident(name);
    let doc = format!(
        " Optional inputs of `{}`.",
        super::super::normalize::unraw(&op.name)
    );
    let fields = optional_params(op).map(|p| {
        let docs = doc_attrs(&p.docs);
        let field = ident(&p.name);
        let ty = param_type(api, p);
        let ty = if p.style == QueryStyle::Pairs {
            ty
        } else {
            quote! { Option<#ty> }
        };
        quote! { #docs pub #field: #ty, }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn emit_form(api: &Api, op: &Operation, name: &str, fields: &[FormField]) -> TokenStream {
    let name = ident(name);
    let doc = format!(
        " The form body of `{}`.",
        super::super::normalize::unraw(&op.name)
    );
    let fields = fields.iter().map(|f| {
        let docs = doc_attrs(&f.docs);
        let field = ident(&f.name);
        let ty = type_tokens(api, &f.ty, false);
        let ty = if f.required {
            ty
        } else {
            quote! { Option<#ty> }
        };
        quote! { #docs pub #field: #ty, }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn emit_response_enum(api: &Api, op: &Operation, name: &str) -> TokenStream {
    let name = ident(name);
    let doc = format!(
        " The success responses of `{}`.",
        super::super::normalize::unraw(&op.name)
    );
    let variants = op.responses.iter().map(|r| {
        let variant = ident(&r.variant);
        let mut docs = r.docs.clone();
        docs.text = Some(match docs.text {
            Some(text) => format!("{}: {text}", r.status),
            None => r.status.to_string(),
        });
        let docs = doc_attrs(&Docs {
            text: docs.text,
            deprecated: None,
        });
        match &r.body {
            ResponseBody::Empty => quote! { #docs #variant, },
            body => {
                let ty = body_type(api, body);
                quote! { #docs #variant(#ty), }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[allow(
            clippy::large_enum_variant,
            reason = "a response is matched once and moved out of; a Box would cost every caller an allocation"
        )]
        #[derive(Debug, Clone)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The Rust type of a response body, as seen from outside `types`.
pub(crate) fn body_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote! { () },
        ResponseBody::Json(t) => type_tokens(api, t, false),
        ResponseBody::Text => quote! { String },
        ResponseBody::Binary => quote! { rt::Bytes },
    }
}
