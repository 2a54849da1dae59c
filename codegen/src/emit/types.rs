//! Named types → structs, enums, unions and aliases.
//!
//! Structs are declared with `rt::object!`, each field with its wire name and how it is
//! read (`#[wire(optional = "name")]`), which gives serde's traits as one runtime call per
//! field; they derive `Debug` and `Clone`, and request structs also get `Default`
//! (when every required field has one) and a `Validate` impl that checks the
//! spec's constraints, list items included. Optional nullable fields of types
//! only requests carry are `Option<Option<T>>`, so a PATCH can send `null`.
//! String enums are declared with `rt::string_enum!` (`Variant = "wire"`) and keep values
//! the spec does not list in a catch-all variant. Unions pick their
//! variant by the discriminator property and keep unknown ones as JSON.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{deprecated_attr, doc_attrs, doc_lines, ident, lit, type_tokens};
use crate::ir::{Api, Constraints, Enum, Field, Shape, Struct, TypeDef, TypeKind, TypeRef, Union};

/// The named type `index` of the spec.
pub(super) fn emit_item(api: &Api, index: usize) -> TokenStream {
    let def = &api.types[index];
    gated(emit_type(api, def), &def.features)
}

/// Every item in `tokens` behind `#[cfg(feature = ...)]` (`any` of several) when the type is needed only
/// by some tag modules of a split crate.
fn gated(tokens: TokenStream, features: &[String]) -> TokenStream {
    if features.is_empty() {
        return tokens;
    }
    let Ok(file) = syn::parse2::<syn::File>(tokens.clone()) else {
        return tokens;
    };
    let cfg = match features {
        [one] => quote! { #[cfg(feature = #one)] },
        _ => quote! { #[cfg(any(#(feature = #features),*))] },
    };
    file.items
        .into_iter()
        .map(|item| quote! { #cfg #item })
        .collect()
}

fn emit_type(api: &Api, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(api, def, s),
        TypeKind::Enum(e) => emit_enum(def, e),
        TypeKind::Union(u) => emit_union(api, def, u),
        TypeKind::Alias(target) => {
            let docs = doc_attrs(&def.docs);
            let name = ident(&def.name);
            let target = type_tokens(api, target, true);
            quote! { #docs pub type #name = #target; }
        }
    }
}

fn has_checks(field: &Field) -> bool {
    !field.constraints.is_empty()
}

/// Whether a value of the type has checks of its own to run (see `TypeDef::validates`).
fn refers_to(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => api.types[id.0].validates,
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            refers_to(api, inner)
        }
        // Tuples hold plain values; their items are not checked.
        _ => false,
    }
}

fn emit_struct(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let docs = doc_attrs(&def.docs);
    let name = ident(&def.name);
    let default = (s.defaultable && def.in_request).then(|| quote! { Default, });
    // Required fields first: `rt::object!` reads in declaration order, and a missing
    // required field ends the read, which then drops only the required fields before it.
    let (required, optional): (Vec<&Field>, Vec<&Field>) = s
        .fields
        .iter()
        .partition(|f| wire_kind(f).starts_with("required"));
    let fields = required
        .into_iter()
        .chain(optional)
        .map(|f| emit_field(api, f));
    let fields_const = s.select_all.then(|| {
        let list = s
            .fields
            .iter()
            .filter(|f| !f.relation)
            .map(|f| f.wire_name.as_str())
            .collect::<Vec<_>>()
            .join(",");
        quote! {
            impl #name {
                /// Every field but links to other resources, comma-separated:
                /// the default `select` of the operations that return this type.
                pub const FIELDS: &'static str = #list;
            }
        }
    });
    let validate = def.in_request.then(|| {
        let checks = s.fields.iter().map(|f| field_checks(api, f));
        quote! {
            impl rt::Validate for #name {
                fn validate(&self) -> Result<(), rt::ValidationError> {
                    #(#checks)*
                    Ok(())
                }
            }
        }
    });
    let rest = s.additional.as_ref().map(|t| {
        let t = type_tokens(api, t, true);
        quote! {
            #[rest]
            pub additional_properties: std::collections::BTreeMap<String, #t>,
        }
    });
    quote! {
        rt::object! {
            #docs
            #[derive(Debug, Clone, #default)]
            pub struct #name {
                #(#fields)*
                #rest
            }
        }
        #fields_const
        #validate
    }
}

/// How `rt::object!` reads and writes a field (its `#[wire(KIND = ..)]`).
fn wire_kind(f: &Field) -> &'static str {
    let skip_absent = f.optional && !f.nullable;
    // Lists are read item by item by the runtime (cheaper to compile than `Vec`'s impl).
    let list = !f.nullable && !f.boxed && matches!(f.ty, TypeRef::List(_));
    match (skip_absent, list) {
        _ if f.clearable => "clearable",
        (true, false) => "optional",
        (true, true) => "optional_list",
        (false, false) => "required",
        (false, true) => "required_list",
    }
}

fn emit_field(api: &Api, f: &Field) -> TokenStream {
    let mut lines = f.docs.text.as_deref().map(doc_lines).unwrap_or_default();
    if f.clearable {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(" `Some(None)` sends `null`, which clears the value.".to_string());
    }
    // `rt::object!` takes a field's docs, then `#[deprecated]`, then `#[wire]`.
    let deprecated = deprecated_attr(&f.docs);
    let name = ident(&f.name);
    let mut ty = type_tokens(api, &f.ty, true);
    if f.boxed {
        ty = quote! { Box<#ty> };
    }
    if f.clearable {
        ty = quote! { Option<#ty> };
    }
    if f.optional {
        ty = quote! { Option<#ty> };
    }
    let kind = format_ident!("{}", wire_kind(f));
    let wire = lit(&f.wire_name);
    quote! {
        #(#[doc = #lines])*
        #deprecated
        #[wire(#kind = #wire)]
        pub #name: #ty,
    }
}

/// The checks for one field, as statements.
fn field_checks(api: &Api, f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let wire = lit(&f.wire_name);
    let direct = has_checks(f)
        .then(|| constraint_checks(&f.constraints, resolved(api, &f.ty), &wire, f.boxed))
        .filter(|checks| !checks.is_empty());
    let nested = refers_to(api, &f.ty)
        .then(|| quote! { rt::Validate::validate(value).map_err(|e| e.within(#wire))?; });
    if direct.is_none() && nested.is_none() {
        return TokenStream::new();
    }
    if f.clearable {
        quote! { if let Some(Some(value)) = &self.#name { #direct #nested } }
    } else if f.optional {
        quote! { if let Some(value) = &self.#name { #direct #nested } }
    } else {
        quote! { { let value = &self.#name; #direct #nested } }
    }
}

/// The type behind aliases (`pub type Name = String` is checked as a string).
pub(crate) fn resolved<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    for _ in 0..api.types.len() {
        match ty {
            TypeRef::Named(id) => match &api.types[id.0].kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// Checks of a value `value: &T` against the spec's constraints.
pub(crate) fn constraint_checks(
    c: &Constraints,
    ty: &TypeRef,
    wire: &proc_macro2::Literal,
    boxed: bool,
) -> TokenStream {
    let value = if boxed {
        quote! { &**value }
    } else {
        quote! { value }
    };
    let mut out = TokenStream::new();
    match ty {
        TypeRef::String | TypeRef::Secret => {
            if let Some(min) = c.min_length {
                out.extend(quote! { rt::check::min_length(#wire, #value, #min)?; });
            }
            if let Some(max) = c.max_length {
                out.extend(quote! { rt::check::max_length(#wire, #value, #max)?; });
            }
            if let Some(pattern) = &c.pattern {
                out.extend(quote! { rt::check::pattern(#wire, #value, #pattern)?; });
            }
        }
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => {
            let number = if *ty == TypeRef::F64 {
                quote! { *#value }
            } else {
                quote! { *#value as f64 }
            };
            if let Some((min, exclusive)) = c.minimum {
                out.extend(quote! { rt::check::minimum(#wire, #number, #min, #exclusive)?; });
            }
            if let Some((max, exclusive)) = c.maximum {
                out.extend(quote! { rt::check::maximum(#wire, #number, #max, #exclusive)?; });
            }
        }
        TypeRef::List(item) => {
            if let Some(min) = c.min_items {
                out.extend(quote! { rt::check::min_items(#wire, #value.len(), #min)?; });
            }
            if let Some(max) = c.max_items {
                out.extend(quote! { rt::check::max_items(#wire, #value.len(), #max)?; });
            }
            if let Some(items) = &c.items {
                // Each item is checked as a value of its own (no field name); the runtime
                // adds `wire[index]` to the path of a failure.
                let checks = constraint_checks(items, item, &lit(""), false);
                if !checks.is_empty() {
                    out.extend(quote! {
                        rt::check::items(#wire, #value, |value| { #checks Ok(()) })?;
                    });
                }
            }
        }
        _ => {}
    }
    out
}

fn emit_enum(def: &TypeDef, e: &Enum) -> TokenStream {
    let docs = doc_attrs(&def.docs);
    let name = ident(&def.name);
    let unknown = ident(&e.unknown_variant);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<_> = e.variants.iter().map(|v| lit(&v.wire_name)).collect();
    let derive_default = e.default.is_some().then(|| quote! { Default, });
    let defaults =
        (0..e.variants.len()).map(|i| (e.default == Some(i)).then(|| quote! { #[default] }));
    quote! {
        rt::string_enum! {
            #docs
            #[derive(Debug, Clone, PartialEq, Eq, Hash, #derive_default)]
            pub enum #name {
                #(#defaults #variants = #wires,)*
                #[unknown]
                #unknown(String),
            }
        }
    }
}

fn emit_union(api: &Api, def: &TypeDef, u: &Union) -> TokenStream {
    let docs = doc_attrs(&def.docs);
    let name = ident(&def.name);
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<_> = u
        .variants
        .iter()
        .map(|v| {
            let ty = type_tokens(api, &v.ty, true);
            if v.boxed {
                quote! { Box<#ty> }
            } else {
                ty
            }
        })
        .collect();
    let variant_docs = u
        .variants
        .iter()
        .map(|v| match (&u.tag, v.tags.as_slice()) {
            (Some(tag), [one]) => format!(" `{tag}` is `{one}`."),
            (Some(tag), many) if !many.is_empty() => format!(
                " `{tag}` is one of {}.",
                many.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => format!(" {}", describe(api, &v.ty)),
        });
    let validate = def.in_request.then(|| {
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let checks = constraint_checks(&v.constraints, resolved(api, &v.ty), &lit(""), v.boxed);
            let nested = refers_to(api, &v.ty).then(|| quote! { rt::Validate::validate(value)?; });
            if checks.is_empty() && nested.is_none() {
                quote! { Self::#variant(_) => Ok(()), }
            } else {
                quote! { Self::#variant(value) => { #checks #nested Ok(()) } }
            }
        });
        quote! {
            impl rt::Validate for #name {
                fn validate(&self) -> Result<(), rt::ValidationError> {
                    match self {
                        #(#arms)*
                        Self::Other(_) => Ok(()),
                    }
                }
            }
        }
    });
    let writes = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        match (&u.tag, v.tags.first()) {
            (Some(tag), Some(value)) => {
                quote! { Self::#variant(value) => rt::union::write_tagged(serializer, #tag, #value, value), }
            }
            _ => quote! { Self::#variant(value) => serde::Serialize::serialize(value, serializer), },
        }
    });
    let shapes = u.variants.iter().map(|v| shape_tokens(&v.shape));
    let decodes = u.variants.iter().enumerate().map(|(i, v)| {
        let variant = ident(&v.name);
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        quote! { #index => rt::union::decode(value, Self::#variant), }
    });
    let read = match &u.tag {
        Some(tag) => {
            let tags = u.variants.iter().enumerate().flat_map(|(i, v)| {
                let index = proc_macro2::Literal::usize_unsuffixed(i);
                v.tags.iter().map(move |t| quote! { (#t, #index) })
            });
            quote! {
                rt::union::read_tagged(deserializer, #tag, &[#(#tags),*], SHAPES, |variant, value| match variant {
                    #(#decodes)*
                    _ => None,
                }, Self::Other)
            }
        }
        None => quote! {
            rt::union::read(deserializer, SHAPES, |variant, value| match variant {
                #(#decodes)*
                _ => None,
            }, Self::Other)
        },
    };
    let other_doc = match &u.tag {
        Some(_) => " A variant this version of the spec does not list, as JSON.",
        None => " A value no variant of this version of the spec accepts, as JSON.",
    };
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants(#types),)*
            #[doc = #other_doc]
            Other(serde_json::Value),
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                    Self::Other(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const SHAPES: &[rt::union::Shape] = &[#(#shapes),*];
                #read
            }
        }
        #validate
    }
}

fn shape_tokens(shape: &Shape) -> TokenStream {
    match shape {
        Shape::String => quote! { rt::union::Shape::String },
        Shape::Integer => quote! { rt::union::Shape::Integer },
        Shape::Number => quote! { rt::union::Shape::Number },
        Shape::Boolean => quote! { rt::union::Shape::Boolean },
        Shape::Array => quote! { rt::union::Shape::Array },
        Shape::Object { known, required } => {
            quote! { rt::union::Shape::Object { known: &[#(#known),*], required: &[#(#required),*] } }
        }
        Shape::Any => quote! { rt::union::Shape::Any },
    }
}

/// A few words on what a type is, for the docs of a union variant.
fn describe(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("A [`{}`].", api.types[id.0].name),
        TypeRef::String => "A string.".into(),
        TypeRef::Secret => "A secret string.".into(),
        TypeRef::DateTime => "A timestamp.".into(),
        TypeRef::I32 | TypeRef::I64 => "An integer.".into(),
        TypeRef::F64 => "A number.".into(),
        TypeRef::Bool => "A boolean.".into(),
        TypeRef::Bytes => "Bytes.".into(),
        TypeRef::List(_) | TypeRef::Tuple(_) => "A list.".into(),
        TypeRef::Map(_) => "An object with any keys.".into(),
        TypeRef::Nullable(inner) => describe(api, inner),
        TypeRef::Any => "Any JSON value.".into(),
    }
}
