//! What the `cli` and `api` modules' clap flags share: how a flag's help is written, and
//! the value parser of flags that take a string enum.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, TypeKind, TypeRef};

/// A flag's help, as clap reads it.
pub(super) struct FlagHelp {
    /// `#[doc = ".."]` before the field, or nothing.
    pub doc: TokenStream,
    /// `help = "..",` inside `#[arg(..)]`, or nothing.
    pub arg: TokenStream,
}

/// The help is the field's doc comment, which clap shows and rustdoc renders, unless the
/// text holds characters rustdoc's markdown would show differently from a terminal (a
/// `<placeholder>`, `[brackets]`, `*`, a backtick); then it is `help = ".."`. The trailing
/// period is dropped in both, as clap drops it from a doc comment.
pub(super) fn help(text: &str) -> FlagHelp {
    let text = match text.strip_suffix('.') {
        Some(rest) if !rest.ends_with('.') => rest,
        _ => text,
    };
    if text.is_empty() {
        return FlagHelp {
            doc: TokenStream::new(),
            arg: TokenStream::new(),
        };
    }
    let markdown = text.contains(['<', '>', '[', ']', '*', '`', '\\', '&', '|', '#'])
        || text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    if markdown {
        FlagHelp {
            doc: TokenStream::new(),
            arg: quote! { help = #text, },
        }
    } else {
        let doc = format!(" {text}");
        FlagHelp {
            doc: quote! { #[doc = #doc] },
            arg: TokenStream::new(),
        }
    }
}

/// The string enum a flag's type is (an alias of), if it is one.
pub(super) fn enum_type(api: &Api, ty: &TypeRef) -> Option<TokenStream> {
    let TypeRef::Named(id) = ty else { return None };
    match &api.types[id.0].kind {
        TypeKind::Enum(_) => Some(super::type_tokens(api, ty, false)),
        TypeKind::Alias(inner) => enum_type(api, inner),
        _ => None,
    }
}

/// `value_parser = string_enum::<T>(),` for a flag of string enum `ty`.
pub(super) fn enum_parser(ty: &TokenStream) -> TokenStream {
    quote! { value_parser = string_enum::<#ty>(), }
}

/// `fn string_enum`, which [`enum_parser`] calls: written once in each module whose flags
/// take an enum.
pub(super) fn string_enum_fn() -> TokenStream {
    quote! {
        /// The value parser of a flag that takes a string enum: the spec's values, each read
        /// as its variant.
        fn string_enum<T: rt::StringEnum + Clone + Send + Sync + 'static>(
        ) -> impl clap::builder::TypedValueParser<Value = T> {
            clap::builder::TypedValueParser::map(
                clap::builder::PossibleValuesParser::new(T::VALUES.iter().copied()),
                T::from_wire,
            )
        }
    }
}
