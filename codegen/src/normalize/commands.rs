//! Operation → command line: what the `cli` feature's `api` module makes of each operation
//! ([`Command`]), decided once here so that emit only writes it out.
//!
//! Path parameters are positional arguments in template order; query and header
//! parameters are `--flags` (required ones required); the top-level scalar fields of a JSON
//! body are optional `--flags` set over the `--body FILE` the command line reads (so a body
//! can be given whole, in part, or by flags alone; what is missing is named when the
//! request is built); a form's fields are flags, files by path. Values the spec types as
//! objects or unions take JSON text. Flag names are the wire names in kebab-case; a name
//! the command line keeps for its own options ([`RESERVED`]) gets a `param-`, `body-` or
//! `form-` prefix, and a body field whose flag a parameter took gets `body-`. A secret is
//! never a flag value: an operation that requires one has no command, an optional one is
//! left to the library.

use heck::{ToKebabCase, ToShoutySnakeCase, ToUpperCamelCase};

use super::{unraw, Namespace};
use crate::ir::{
    Api, ArgShape, ArgSource, Body, BodyFile, Command, CommandArg, Constraints, Field, FormField,
    Operation, Param, ParamLocation, QueryStyle, Struct, TypeKind, TypeRef,
};

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

/// Decides every operation's command.
pub fn decide(api: &mut Api) {
    let commands: Vec<Option<Command>> = api.operations.iter().map(|op| command(api, op)).collect();
    for (op, command) in api.operations.iter_mut().zip(commands) {
        op.command = command;
    }
}

fn command(api: &Api, op: &Operation) -> Option<Command> {
    if !has_command(op) {
        return None;
    }
    let mut flags = Namespace::with_reserved(RESERVED);
    let mut fields = Namespace::with_reserved(&["body", "body_file"]);
    let mut args = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        if p.ty != TypeRef::Secret {
            args.push(param_arg(api, p, i, &mut flags, &mut fields));
        }
    }
    let body_file = match &op.body {
        Some(Body::Json(ty)) => {
            if let Some(s) = struct_of(api, ty) {
                args.extend(
                    s.fields
                        .iter()
                        .filter_map(|f| body_arg(api, f, &mut flags, &mut fields)),
                );
            }
            Some(BodyFile::Json)
        }
        Some(Body::Binary(media)) => Some(BodyFile::Bytes(media.clone())),
        Some(Body::Multipart(form) | Body::Form(form)) => {
            for (i, f) in form.iter().enumerate() {
                if f.ty != TypeRef::Secret {
                    args.push(form_arg(api, f, i, &mut flags, &mut fields));
                }
            }
            None
        }
        None => None,
    };
    let bare = unraw(&op.name);
    Some(Command {
        name: bare.to_kebab_case(),
        type_name: format!("{}Command", bare.to_upper_camel_case()),
        variant: bare.to_upper_camel_case(),
        summary: summary(op),
        args,
        body_file,
    })
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

/// The flag `wanted` in kebab-case, with `prefix` when the command line keeps the name.
fn flag_name(wanted: &str, prefix: &str) -> String {
    let wanted = wanted.to_kebab_case();
    if RESERVED.contains(&wanted.as_str()) {
        format!("{prefix}-{wanted}")
    } else {
        wanted
    }
}

fn param_arg(
    api: &Api,
    p: &Param,
    index: usize,
    flags: &mut Namespace,
    fields: &mut Namespace,
) -> CommandArg {
    let field = fields.claim(&p.name);
    let help = help_of(p.docs.text.as_deref(), &p.constraints);
    let source = ArgSource::Param(index);
    if p.location == ParamLocation::Path {
        let shape = if scalar(api, &p.ty) {
            ArgShape::Plain
        } else {
            ArgShape::Json
        };
        return CommandArg {
            field,
            long: None,
            value_name: Some(p.wire_name.to_shouty_snake_case()),
            help,
            required: true,
            source,
            shape,
            copy: is_copy(api, &p.ty),
            ty: p.ty.clone(),
        };
    }
    let long = Some(flags.claim(&flag_name(&p.wire_name, "param")));
    let (shape, value_name, ty) = match (&p.style, &p.ty) {
        (QueryStyle::Pairs, ty) => (ArgShape::Pairs, Some("NAME=VALUE"), ty),
        (_, TypeRef::List(item)) if scalar(api, item) => (ArgShape::List, None, item.as_ref()),
        (_, ty) if scalar(api, ty) && p.positional => (ArgShape::Plain, None, ty),
        (_, ty) if scalar(api, ty) => (ArgShape::Optional, None, ty),
        (_, ty) => (ArgShape::Json, Some("JSON"), ty),
    };
    CommandArg {
        field,
        long,
        value_name: value_name.map(str::to_string),
        help,
        required: p.positional,
        source,
        shape,
        copy: is_copy(api, ty),
        ty: ty.clone(),
    }
}

fn body_arg(
    api: &Api,
    f: &Field,
    flags: &mut Namespace,
    fields: &mut Namespace,
) -> Option<CommandArg> {
    if f.ty == TypeRef::Secret {
        return None;
    }
    let (shape, item) = match &f.ty {
        TypeRef::List(item) if scalar(api, item) => (ArgShape::List, item.as_ref()),
        ty if scalar(api, ty) => (ArgShape::Optional, ty),
        _ => return None,
    };
    let field = fields.claim(&format!("body_{}", unraw(&f.name)));
    let wanted = flag_name(&f.wire_name, "body");
    let long = if flags.contains(&wanted) {
        flags.claim(&format!("body-{wanted}"))
    } else {
        flags.claim(&wanted)
    };
    Some(CommandArg {
        field,
        long: Some(long),
        // Named after the body's field, not after the Rust field (`body_name`).
        value_name: Some(f.wire_name.to_shouty_snake_case()),
        help: help_of(f.docs.text.as_deref(), &f.constraints),
        required: false,
        source: ArgSource::BodyField(f.wire_name.clone()),
        shape,
        copy: is_copy(api, item),
        ty: item.clone(),
    })
}

fn form_arg(
    api: &Api,
    f: &FormField,
    index: usize,
    flags: &mut Namespace,
    fields: &mut Namespace,
) -> CommandArg {
    let (shape, value_name) = match &f.ty {
        TypeRef::Bytes => (ArgShape::File, Some("FILE")),
        ty if scalar(api, ty) => (ArgShape::Optional, None),
        _ => (ArgShape::Json, Some("JSON")),
    };
    CommandArg {
        field: fields.claim(&f.name),
        long: Some(flags.claim(&flag_name(&f.wire_name, "form"))),
        value_name: value_name.map(str::to_string),
        help: help_of(f.docs.text.as_deref(), &Constraints::default()),
        required: false,
        source: ArgSource::FormField(index),
        shape,
        copy: is_copy(api, &f.ty),
        ty: f.ty.clone(),
    }
}

fn struct_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a Struct> {
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
    flag_value(api, ty).is_ok()
}

/// `Ok` when one flag value can hold the type, else why not (for the docs of what has no
/// flag).
pub(crate) fn flag_value(api: &Api, ty: &TypeRef) -> Result<(), &'static str> {
    match ty {
        TypeRef::String
        | TypeRef::DateTime
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F64
        | TypeRef::Bool => Ok(()),
        TypeRef::Secret => Err("a secret, never taken as a flag value"),
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Enum(_) => Ok(()),
            TypeKind::Alias(inner) => flag_value(api, inner),
            TypeKind::Struct(_) => Err("nested object"),
            TypeKind::Union(_) => Err("one of several types"),
        },
        TypeRef::Bytes => Err("binary data"),
        TypeRef::Any => Err("free-form JSON"),
        TypeRef::List(_) | TypeRef::Tuple(_) => Err("nested list"),
        TypeRef::Map(_) => Err("map"),
        TypeRef::Nullable(_) => Err("a value that may be null"),
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

fn summary(op: &Operation) -> String {
    let sentence = first_sentence(op.docs.text.as_deref().unwrap_or_default());
    if sentence.is_empty() {
        format!("{} {}", op.method, op.path)
    } else {
        sentence
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

/// A help line: the first sentence of the docs, then the limits a value must keep (those
/// the sentence does not already say).
pub(crate) fn help_of(docs: Option<&str>, c: &Constraints) -> String {
    let sentence = docs.map(first_sentence).unwrap_or_default();
    let limits: Vec<String> = limits(c)
        .into_iter()
        .filter(|l| !sentence.contains(l.as_str()))
        .collect();
    match (sentence.is_empty(), limits.is_empty()) {
        (_, true) => sentence,
        (true, false) => limits.join(", "),
        (false, false) => format!("{sentence} ({})", limits.join(", ")),
    }
}

/// The constraints in words.
fn limits(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    match c.min_length {
        Some(1) => out.push("not empty".to_string()),
        Some(n) => out.push(format!("at least {n} characters")),
        None => {}
    }
    if let Some(n) = c.max_length {
        out.push(format!("at most {n} characters"));
    }
    if let Some((n, exclusive)) = c.minimum {
        out.push(if exclusive {
            format!("more than {n}")
        } else {
            format!("at least {n}")
        });
    }
    if let Some((n, exclusive)) = c.maximum {
        out.push(if exclusive {
            format!("less than {n}")
        } else {
            format!("at most {n}")
        });
    }
    // A long pattern says little in a help line; a value that breaks it is told so,
    // pattern and all, when it is checked.
    if let Some(p) = c.pattern.as_ref().filter(|p| p.chars().count() <= 40) {
        out.push(format!("matching {p}"));
    }
    match c.min_items {
        Some(1) => out.push("at least one value".to_string()),
        Some(n) => out.push(format!("at least {n} values")),
        None => {}
    }
    if let Some(n) = c.max_items {
        out.push(format!("at most {n} values"));
    }
    out
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

    #[test]
    fn limits_read_as_words() {
        let c = Constraints {
            max_length: Some(128),
            minimum: Some((1.0, false)),
            ..Constraints::default()
        };
        assert_eq!(limits(&c), ["at most 128 characters", "at least 1"]);
        assert_eq!(
            help_of(Some("The name, at most 128 characters. More."), &c),
            "The name, at most 128 characters. (at least 1)"
        );
    }

    #[test]
    fn a_flag_the_command_line_keeps_gets_a_prefix() {
        assert_eq!(flag_name("body", "param"), "param-body");
        assert_eq!(flag_name("dry_run", "form"), "form-dry-run");
        assert_eq!(flag_name("remoteSystemId", "param"), "remote-system-id");
    }
}
