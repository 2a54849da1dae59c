//! Rust names for spec names.
//!
//! Spec names can be anything: keywords (`type`, `ref`, `self`), leading digits
//! (`1st_field`), dashes, dots, non-ASCII letters, or two different names that
//! map to the same Rust name (`foo_bar`, `FooBar`, `foo-bar`). Every function
//! here returns a valid identifier; [`Namespace`] makes names unique in a scope
//! deterministically (first come, first served; later ones get a numeric suffix),
//! and the caller keeps the wire name for serde.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers (strict and reserved keywords, all editions).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names the generated code itself uses unqualified; a spec type with one
/// of these names would shadow them.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "Client",
    "Self",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Serializer",
    "BTreeMap",
    "Value",
];

/// Keeps letters, digits and underscores; everything else becomes `_`.
fn ascii_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            // Non-ASCII letters: transliterate the common Latin ones, else drop.
            out.push_str(&transliterate(c));
        } else {
            out.push('_');
        }
    }
    out
}

fn transliterate(c: char) -> String {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'Ç' => "C",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'Ñ' => "N",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        _ => "_",
    };
    base.to_string()
}

/// A snake_case identifier for a field, parameter or method.
pub fn snake(name: &str) -> String {
    identifier(ascii_words(name).to_snake_case(), "field", '_')
}

/// An UpperCamelCase identifier for a type or variant.
pub fn camel(name: &str) -> String {
    identifier(ascii_words(name).to_upper_camel_case(), "Type", 'V')
}

/// `cased` as an identifier: `empty` when nothing is left of it, `prefix` before a leading
/// digit, keywords escaped.
fn identifier(mut cased: String, empty: &str, prefix: char) -> String {
    if cased.is_empty() {
        cased.push_str(empty);
    }
    if cased.starts_with(|c: char| c.is_ascii_digit()) {
        cased.insert(0, prefix);
    }
    escape_keyword(cased)
}

/// `type` becomes `r#type`; `self` (which cannot be raw) becomes `self_`.
fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The bare form of an identifier (`r#type` → `type`), for building longer names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A scope in which names must be unique.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims `name`, or `name2`, `name3`, ... if it is taken.
    pub fn claim(&mut self, name: &str) -> String {
        self.claim_with(name, &[])
    }

    /// Claims `name` together with the names made from it by `suffixes`
    /// (`name_request`, ...), numbering `name` (`name2`, `name3`, ...) until
    /// every one of them is free, so a generated helper never meets another
    /// item's name.
    pub fn claim_with(&mut self, name: &str, suffixes: &[&str]) -> String {
        let bare = unraw(name);
        let derived = |candidate: &str| -> Vec<String> {
            let bare = unraw(candidate);
            suffixes.iter().map(|s| format!("{bare}{s}")).collect()
        };
        let chosen = std::iter::once(name.to_string())
            .chain((2..).map(|n| format!("{bare}{n}")))
            .find(|candidate| {
                !self.taken.contains(candidate)
                    && derived(candidate).iter().all(|d| !self.taken.contains(d))
            })
            .unwrap_or_default();
        self.taken.extend(derived(&chosen));
        self.taken.insert(chosen.clone());
        chosen
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// The method name for an operation without an `operationId`, after the
/// PowerStore convention: `POST /x` → `x_create`, `GET /x` →
/// `x_collection_query`, `GET /x/{id}` → `x_instance_query`, `PATCH /x/{id}` →
/// `x_modify`, `DELETE /x/{id}` → `x_delete`, `POST /x/{id}/action` →
/// `x_action`. Deeper paths join their static segments.
pub fn operation_name(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &&str| s.starts_with('{') && s.ends_with('}');
    let statics: Vec<String> = segments
        .iter()
        .filter(|s| !is_param(s))
        .map(|s| unraw(&snake(s)).trim_matches('_').to_string())
        .collect();
    let stem = statics.join("_");
    let method = method.to_ascii_lowercase();
    let suffix = match (segments.as_slice(), method.as_str()) {
        ([_], "get") => Some("collection_query"),
        ([_], "post") => Some("create"),
        ([_], "delete") => Some("delete"),
        ([_], "patch") => Some("modify"),
        ([_], "put") => Some("replace"),
        ([_, id], "get") if is_param(id) => Some("instance_query"),
        ([_, id], "patch") if is_param(id) => Some("modify"),
        ([_, id], "delete") if is_param(id) => Some("delete"),
        ([_, id], "put") if is_param(id) => Some("replace"),
        ([_, id], "post") if is_param(id) => Some("create"),
        _ => None,
    };
    let name = match suffix {
        Some(suffix) if !stem.is_empty() => format!("{stem}_{suffix}"),
        Some(suffix) => suffix.to_string(),
        None if stem.is_empty() => method.clone(),
        None => stem,
    };
    escape_keyword(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_always_valid() {
        let cases = [
            ("type", "r#type", "Type"),
            ("ref", "r#ref", "Ref"),
            ("self", "self_", "Self_"),
            ("1st_field", "_1st_field", "V1stField"),
            ("dash-name", "dash_name", "DashName"),
            ("dotted.name", "dotted_name", "DottedName"),
            ("ünïcode", "unicode", "Unicode"),
            ("", "field", "Type"),
            ("$%", "field", "Type"),
            ("IN_PROGRESS", "in_progress", "InProgress"),
            ("Non_Disruptive", "non_disruptive", "NonDisruptive"),
        ];
        for (input, snake_form, camel_form) in cases {
            assert_eq!(snake(input), snake_form, "snake({input:?})");
            assert_eq!(camel(input), camel_form, "camel({input:?})");
            let parsed = syn::parse_str::<syn::Ident>(&snake(input));
            assert!(
                parsed.is_ok(),
                "{input:?} gave an invalid identifier {}",
                snake(input)
            );
        }
    }

    #[test]
    fn namespaces_number_collisions_in_order() {
        let mut ns = Namespace::with_reserved(RESERVED_TYPE_NAMES);
        assert_eq!(ns.claim("FooBar"), "FooBar");
        assert_eq!(ns.claim("FooBar"), "FooBar2");
        assert_eq!(ns.claim("FooBar"), "FooBar3");
        assert_eq!(ns.claim("Option"), "Option2");
    }

    #[test]
    fn derived_names_are_claimed_with_their_base() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim_with("get", &["_request"]), "get");
        assert_eq!(ns.claim_with("get_request", &["_request"]), "get_request2");
        assert_eq!(ns.claim_with("get", &["_request"]), "get2");
        assert!(ns.contains("get2_request") && ns.contains("get_request2_request"));
    }

    #[test]
    fn paths_without_operation_ids_follow_the_vendor_convention() {
        let cases = [
            ("GET", "/volume/{id}/snapshots", "volume_snapshots"),
            ("POST", "/metrics/generate", "metrics_generate"),
            (
                "GET",
                "/nas_server/{id}/download/hosts",
                "nas_server_download_hosts",
            ),
            (
                "POST",
                "/volume-groups/block/{id}/protection/full-copies",
                "volume_groups_block_protection_full_copies",
            ),
            ("GET", "/", "get"),
        ];
        for (method, path, expected) in cases {
            assert_eq!(operation_name(method, path), expected, "{method} {path}");
        }
    }
}
