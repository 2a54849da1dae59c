//! Named types → structs, enums, unions and aliases.
//!
//! Structs derive `Debug` and `Clone` and implement serde's traits with one
//! runtime call per field (`rt::object`); request structs also get `Default`
//! (when every required field has one) and a `Validate` impl that checks the
//! spec's constraints, list items included. Optional nullable fields of types
//! only requests carry are `Option<Option<T>>`, so a PATCH can send `null`.
//! String enums keep values the spec does not list in a catch-all variant,
//! through one-line serde impls that call the runtime. Unions pick their
//! variant by the discriminator property and keep unknown ones as JSON.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident, lit, type_tokens};
use crate::ir::{Api, Constraints, Enum, Field, Struct, TypeDef, TypeId, TypeKind, TypeRef, Union};

/// Every named type of the spec.
pub(super) fn emit(api: &Api) -> TokenStream {
    let validated = validated_types(api);
    let items = api.types.iter().map(|def| match &def.kind {
        TypeKind::Struct(s) => emit_struct(api, def, s, &validated),
        TypeKind::Enum(e) => emit_enum(def, e),
        TypeKind::Union(u) => emit_union(api, def, u, &validated),
        TypeKind::Alias(target) => {
            let docs = doc_attrs(&def.docs);
            let name = ident(&def.name);
            let target = type_tokens(api, target, true);
            quote! { #docs pub type #name = #target; }
        }
    });
    quote! { #(#items)* }
}

/// Types whose values have something to check: enums (unknown values are
/// refused), and anything holding a constrained field or such a type.
fn validated_types(api: &Api) -> BTreeSet<TypeId> {
    let mut set: BTreeSet<TypeId> = BTreeSet::new();
    loop {
        let before = set.len();
        for (i, def) in api.types.iter().enumerate() {
            let id = TypeId(i);
            if set.contains(&id) {
                continue;
            }
            let validates = match &def.kind {
                TypeKind::Enum(_) => true,
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| has_checks(f) || refers_to(&f.ty, &set)),
                TypeKind::Union(u) => u.variants.iter().any(|(_, _, v)| set.contains(v)),
                TypeKind::Alias(t) => refers_to(t, &set),
            };
            if validates {
                set.insert(id);
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn has_checks(field: &Field) -> bool {
    !field.constraints.is_empty()
}

fn refers_to(ty: &TypeRef, set: &BTreeSet<TypeId>) -> bool {
    match ty {
        TypeRef::Named(id) => set.contains(id),
        TypeRef::List(inner) | TypeRef::Map(inner) => refers_to(inner, set),
        _ => false,
    }
}

fn emit_struct(api: &Api, def: &TypeDef, s: &Struct, validated: &BTreeSet<TypeId>) -> TokenStream {
    let docs = doc_attrs(&def.docs);
    let name = ident(&def.name);
    let default = (s.defaultable && def.in_request).then(|| quote! { Default, });
    let fields = s.fields.iter().map(|f| emit_field(api, f));
    let additional = s.additional.as_ref().map(|t| {
        let t = type_tokens(api, t, true);
        quote! {
            /// Properties the spec does not name.
            pub additional_properties: std::collections::BTreeMap<String, #t>,
        }
    });
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
        let checks = s.fields.iter().map(|f| field_checks(f, validated));
        quote! {
            impl rt::Validate for #name {
                fn validate(&self) -> Result<(), rt::ValidationError> {
                    #(#checks)*
                    Ok(())
                }
            }
        }
    });
    let serde_impls = struct_serde(s, &name);
    quote! {
        #docs
        #[derive(Debug, Clone, #default)]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #serde_impls
        #fields_const
        #validate
    }
}

/// `Serialize` and `Deserialize`, one runtime call per field (see
/// `migrate_runtime::object` for why not serde's derive, and why the calls
/// record failures instead of returning them).
fn struct_serde(s: &Struct, name: &proc_macro2::Ident) -> TokenStream {
    let skip_absent = |f: &Field| f.optional && !f.nullable;
    let writes = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = lit(&f.wire_name);
        if skip_absent(f) {
            quote! { object.optional(#wire, &self.#field); }
        } else {
            quote! { object.required(#wire, &self.#field); }
        }
    });
    // Required fields first: a missing one ends the read, and nothing read
    // before it then has to be dropped but other required fields.
    let (optional, required): (Vec<&Field>, Vec<&Field>) =
        s.fields.iter().partition(|f| skip_absent(f));
    let reads = required.iter().chain(&optional).map(|f| {
        let field = ident(&f.name);
        let wire = lit(&f.wire_name);
        // Lists are read item by item by the runtime (cheaper to compile than `Vec`'s impl).
        let list = !f.nullable && !f.boxed && matches!(f.ty, TypeRef::List(_));
        let method = match (skip_absent(f), list) {
            _ if f.clearable => "clearable",
            (true, false) => "optional",
            (true, true) => "optional_list",
            (false, false) => "required",
            (false, true) => "required_list",
        };
        let method = format_ident!("{method}");
        // A missing required field ends the read.
        let end = (!skip_absent(f)).then(|| quote! { ? });
        quote! { #field: object.#method(#wire) #end, }
    });
    let (write_rest, read_rest) = match s.additional {
        Some(_) => (
            Some(quote! { object.rest(&self.additional_properties); }),
            Some(quote! { additional_properties: object.rest(), }),
        ),
        None => (None, None),
    };
    let empty = s.fields.is_empty() && s.additional.is_none();
    let (writer, reader) = if empty {
        (quote! { let object }, quote! { _object })
    } else {
        (quote! { let mut object }, quote! { object })
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #writer = rt::object::Writer::new(serializer);
                #(#writes)*
                #write_rest
                object.end()
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::object::read(deserializer, |#reader| Some(Self {
                    #(#reads)*
                    #read_rest
                }))
            }
        }
    }
}

fn emit_field(api: &Api, f: &Field) -> TokenStream {
    let docs = doc_attrs(&f.docs);
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
    let clear_doc = f.clearable.then(|| {
        let gap = (!docs.is_empty()).then(|| quote! { #[doc = ""] });
        quote! { #gap #[doc = " `Some(None)` sends `null`, which clears the value."] }
    });
    quote! {
        #docs
        #clear_doc
        pub #name: #ty,
    }
}

/// The checks for one field, as statements.
fn field_checks(f: &Field, validated: &BTreeSet<TypeId>) -> TokenStream {
    let name = ident(&f.name);
    let wire = lit(&f.wire_name);
    let direct = has_checks(f).then(|| constraint_checks(&f.constraints, &f.ty, &wire, f.boxed));
    let nested = refers_to(&f.ty, validated)
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
            let number = quote! { *#value as f64 };
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
    let variant_docs = e.variants.iter().map(|v| format!(" `{}`", v.wire_name));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
            /// A value this version of the spec does not list.
            #unknown(String),
        }
        impl rt::StringEnum for #name {
            const VALUES: &'static [&'static str] = &[#(#wires),*];
            fn from_wire(value: String) -> Self {
                match value.as_str() {
                    #(#wires => Self::#variants,)*
                    _ => Self::#unknown(value),
                }
            }
            fn as_wire(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#unknown(value) => value,
                }
            }
            fn is_known(&self) -> bool {
                !matches!(self, Self::#unknown(_))
            }
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                rt::string_enum::serialize(self, serializer)
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::string_enum::deserialize(deserializer)
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(rt::StringEnum::as_wire(self))
            }
        }
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(rt::StringEnum::from_wire(value.to_string()))
            }
        }
        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::ValidationError> {
                rt::check::known_enum("", self)
            }
        }
    }
}

fn emit_union(api: &Api, def: &TypeDef, u: &Union, validated: &BTreeSet<TypeId>) -> TokenStream {
    let docs = doc_attrs(&def.docs);
    let name = ident(&def.name);
    let tag = lit(&u.tag);
    let variants: Vec<_> = u.variants.iter().map(|(_, v, _)| ident(v)).collect();
    let tags: Vec<_> = u.variants.iter().map(|(t, _, _)| lit(t)).collect();
    let types: Vec<_> = u
        .variants
        .iter()
        .map(|(_, _, id)| type_tokens(api, &TypeRef::Named(*id), true))
        .collect();
    let variant_docs = u
        .variants
        .iter()
        .map(|(t, _, _)| format!(" `{}` is `{t}`.", u.tag));
    let validate = def.in_request.then(|| {
        let arms = u.variants.iter().map(|(_, v, id)| {
            let v = ident(v);
            if validated.contains(id) {
                quote! { Self::#v(value) => rt::Validate::validate(value), }
            } else {
                quote! { Self::#v(_) => Ok(()), }
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
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants(Box<#types>),)*
            /// A variant this version of the spec does not list, as JSON.
            Other(serde_json::Value),
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(value) => serde::Serialize::serialize(value, serializer),)*
                    Self::Other(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let variant = match value.get(#tag).and_then(serde_json::Value::as_str) {
                    #(Some(#tags) => Self::#variants(Box::new(serde_json::from_value(value).map_err(serde::de::Error::custom)?)),)*
                    _ => Self::Other(value),
                };
                Ok(variant)
            }
        }
        #validate
    }
}
