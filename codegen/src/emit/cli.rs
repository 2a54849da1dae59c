//! Command-line flags for request bodies: one `clap::Args` struct per
//! operation whose JSON body is a struct, behind the generated crate's `cli`
//! feature.
//!
//! Each scalar field becomes a long flag named after its wire name in
//! kebab-case, with the first sentence of its docs and its limits as help.
//! Enums list the spec's values, lists of scalars repeat, and `bool` takes
//! `--flag` or `--flag=false`. Fields a flag cannot carry (nested objects,
//! maps, secrets, which must never be flag values) are left out and named in
//! the struct's docs; an operation whose body requires such a field gets no
//! struct, since the flags alone could not build the body.

use heck::{ToKebabCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{flags, ident, lit, type_tokens};
use crate::ir::{Api, Body, Field, Operation, Struct, TypeDef, TypeKind, TypeRef};
use crate::normalize::unraw;

/// The flags of operation `index`'s body, when it has a struct body; last, the value
/// parser of enum flags if some flag takes an enum.
pub(super) fn emit_item(api: &Api, index: usize) -> TokenStream {
    match api.operations.get(index) {
        Some(op) => emit_args(api, op).unwrap_or_default(),
        None if takes_enum(api) => flags::string_enum_fn(),
        None => TokenStream::new(),
    }
}

/// How many items the `cli` module has.
pub(super) fn item_count(api: &Api) -> usize {
    api.operations.len() + 1
}

/// Whether a flag of some operation's body takes a string enum.
fn takes_enum(api: &Api) -> bool {
    api.operations.iter().any(|op| {
        let Some(flagged) = flagged_body(api, op) else {
            return false;
        };
        flagged.fields.iter().any(|(f, s)| match (s, &f.ty) {
            (Shape::Scalar, ty) => flags::enum_type(api, ty).is_some(),
            (Shape::List, TypeRef::List(inner)) => flags::enum_type(api, inner).is_some(),
            _ => false,
        })
    })
}

/// How one body field maps to a flag.
enum Shape {
    /// One value.
    Scalar,
    /// A repeatable flag.
    List,
    /// No flag: the spec allows one value only (`const`), which the body gets.
    Fixed,
    /// No flag: the reason, for the docs.
    Skipped(&'static str),
}

/// An operation's body that flags can build.
struct FlaggedBody<'a> {
    def: &'a TypeDef,
    body: &'a Struct,
    /// How each field maps to a flag.
    fields: Vec<(&'a Field, Shape)>,
}

/// The operation's body, when it is a struct the flags can build.
fn flagged_body<'a>(api: &'a Api, op: &Operation) -> Option<FlaggedBody<'a>> {
    let Some(Body::Json(TypeRef::Named(id))) = &op.body else {
        return None;
    };
    let body_def = &api.types[id.0];
    let TypeKind::Struct(body) = &body_def.kind else {
        return None;
    };
    let shaped: Vec<(&Field, Shape)> = body.fields.iter().map(|f| (f, shape(api, f))).collect();
    if shaped
        .iter()
        .any(|(f, s)| matches!(s, Shape::Skipped(_)) && !f.optional)
    {
        return None;
    }
    Some(FlaggedBody {
        def: body_def,
        body,
        fields: shaped,
    })
}

fn emit_args(api: &Api, op: &Operation) -> Option<TokenStream> {
    let FlaggedBody {
        def: body_def,
        body,
        fields: shaped,
    } = flagged_body(api, op)?;
    let op_name = unraw(&op.name);
    let name = format_ident!("{}Args", op_name.to_upper_camel_case());
    let body_ty = ident(&body_def.name);
    let mut skipped_docs = Vec::new();
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    for (f, shape) in &shaped {
        let field = ident(&f.name);
        match shape {
            Shape::Skipped(why) => {
                skipped_docs.push(format!(
                    " - `{}`: {why}; set it on the body after `into_body`.",
                    f.wire_name
                ));
                inits.push(quote! { #field: None });
            }
            Shape::Fixed => inits.push(quote! { #field: Default::default() }),
            Shape::Scalar => {
                fields.push(scalar_field(api, f));
                inits.push(init(f, quote! { self.#field }));
            }
            Shape::List => {
                fields.push(list_field(api, f));
                let value = if f.optional {
                    quote! { (!self.#field.is_empty()).then_some(self.#field) }
                } else {
                    quote! { self.#field }
                };
                inits.push(init(f, value));
            }
        }
    }
    let doc = format!(
        " Flags for the body of `{op_name}` (`{}`).",
        body_def.wire_name
    );
    let skipped_intro = (!skipped_docs.is_empty()).then(|| {
        let intro = " Fields without a flag:";
        quote! { #[doc = ""] #[doc = #intro] #(#[doc = #skipped_docs])* }
    });
    if body.additional.is_some() {
        inits.push(quote! { additional_properties: Default::default() });
    }
    let into_doc = format!(" The `{}` body these flags describe.", body_def.wire_name);
    Some(quote! {
        #[doc = #doc]
        #skipped_intro
        #[derive(Debug, Clone, clap::Args)]
        pub struct #name {
            #(#fields)*
        }
        impl #name {
            #[doc = #into_doc]
            pub fn into_body(self) -> types::#body_ty {
                types::#body_ty { #(#inits),* }
            }
        }
    })
}

/// Whether a field is a scalar, a list of scalars or neither.
fn shape(api: &Api, f: &Field) -> Shape {
    if f.boxed {
        return Shape::Skipped("nested object");
    }
    if let TypeRef::Named(id) = &f.ty {
        if let TypeKind::Enum(e) = &api.types[id.0].kind {
            if e.default.is_some() && e.variants.len() == 1 && !f.optional {
                return Shape::Fixed;
            }
        }
    }
    match &f.ty {
        TypeRef::List(inner) => match crate::normalize::commands::flag_value(api, inner) {
            Ok(()) => Shape::List,
            Err(why) => Shape::Skipped(why),
        },
        ty => match crate::normalize::commands::flag_value(api, ty) {
            Ok(()) => Shape::Scalar,
            Err(why) => Shape::Skipped(why),
        },
    }
}

/// Whether the type is (an alias of) `bool`.
fn is_bool(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bool => true,
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => is_bool(api, inner),
            _ => false,
        },
        _ => false,
    }
}

/// `field: value` in the body built from the flags. A flag sets a value; clearing a
/// clearable field (sending `null`) is left to code.
fn init(f: &Field, value: TokenStream) -> TokenStream {
    let field = ident(&f.name);
    if f.clearable {
        quote! { #field: #value.map(Some) }
    } else {
        quote! { #field: #value }
    }
}

fn flag_name(f: &Field) -> String {
    f.wire_name.to_kebab_case()
}

fn scalar_field(api: &Api, f: &Field) -> TokenStream {
    let field = ident(&f.name);
    let long = lit(&flag_name(f));
    let flags::FlagHelp { doc, arg: help } = flags::help(&help(api, f));
    let ty = type_tokens(api, &f.ty, false);
    let required = (!f.optional).then(|| quote! { required = true, });
    let field_ty = if f.optional {
        quote! { Option<#ty> }
    } else {
        quote! { #ty }
    };
    if is_bool(api, &f.ty) {
        return quote! {
            #doc
            #[arg(
                long = #long, #help #required
                action = clap::ArgAction::Set,
                num_args = 0..=1,
                require_equals = true,
                default_missing_value = "true",
                value_name = "BOOL",
            )]
            pub #field: #field_ty,
        };
    }
    let parser = flags::enum_type(api, &f.ty).map(|e| flags::enum_parser(&e));
    quote! {
        #doc
        #[arg(long = #long, #help #required #parser)]
        pub #field: #field_ty,
    }
}

fn list_field(api: &Api, f: &Field) -> TokenStream {
    let field = ident(&f.name);
    let long = lit(&flag_name(f));
    let flags::FlagHelp { doc, arg: help } =
        flags::help(&format!("{} (repeat the flag for several)", help(api, f)));
    let TypeRef::List(inner) = &f.ty else {
        unreachable!("list_field is only called for lists")
    };
    let ty = type_tokens(api, inner, false);
    let required = (!f.optional).then(|| quote! { required = true, });
    let parser = flags::enum_type(api, inner).map(|e| flags::enum_parser(&e));
    quote! {
        #doc
        #[arg(long = #long, #help #required #parser action = clap::ArgAction::Append)]
        pub #field: Vec<#ty>,
    }
}

/// The first sentence of the field's docs, then its limits.
fn help(api: &Api, f: &Field) -> String {
    // A field without docs of its own says what its type's docs say (`Urn`).
    let docs = f.docs.text.as_deref().or_else(|| match &f.ty {
        TypeRef::Named(id) => api.types[id.0].docs.text.as_deref(),
        _ => None,
    });
    crate::normalize::commands::help_of(docs, &f.constraints)
}
