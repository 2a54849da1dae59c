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

/// A method name: snake_case, without leading underscores (which would mark it
/// unused), `op_` before a leading digit (`/3par` → `op_3par_...`), keywords escaped.
pub fn method_name(raw: &str) -> String {
    let snake_form = ascii_words(raw).to_snake_case();
    let trimmed = snake_form.trim_matches('_');
    let name = if trimmed.is_empty() {
        "call".to_string()
    } else if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("op_{trimmed}")
    } else {
        trimmed.to_string()
    };
    escape_keyword(name)
}

/// Names a tag's module and cargo feature may not take in a crate split by tag: the
/// crate's own features (`cli`, `full`, `default`), what the crate root already holds
/// (`types`, `rt`) and the crates generated code names by path.
pub const RESERVED_TAG_NAMES: &[&str] = &[
    "cli",
    "full",
    "default",
    "types",
    "rt",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "clap",
    "migrate_runtime",
];

/// The module (and cargo feature) name of a tag: snake_case, a valid identifier and a
/// valid cargo feature name (`Import Session` → `import_session`; `tag` when nothing is
/// left). A leading digit gets `tag_` before it; a Rust keyword or one of [`RESERVED_TAG_NAMES`] gets `_tag` after
/// it (`CLI` → `cli_tag`, `Type` → `type_tag`), so the name is never raw.
pub fn tag_module(tag: &str) -> String {
    let name = ascii_words(tag)
        .to_snake_case()
        .trim_matches('_')
        .to_string();
    if name.is_empty() {
        "tag".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("tag_{name}")
    } else if escape_keyword(name.clone()) != name || RESERVED_TAG_NAMES.contains(&name.as_str()) {
        format!("{name}_tag")
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

/// How operations without an `operationId` are named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NamingStyle {
    /// The resource-and-action rule of the PowerStore API: `POST /x` → `x_create`,
    /// `GET /x` → `x_collection_query`, `GET /x/{id}` → `x_instance_query`,
    /// `PATCH` → `x_modify`, `DELETE` → `x_delete`, `POST /x/{id}/action` → `x_action`.
    #[default]
    ResourceAction,
    /// The method then the path: `get_volumes`, `post_volumes`, `get_volume_by_id`
    /// (the style of many vendors' own SDKs).
    MethodPath,
}

/// A segment of a path, for naming.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Plain text.
    Static(String),
    /// A segment holding a parameter (`{id}`, `{id}.json`, `{name:[a-z]+}`): its name.
    Param(String),
}

fn segments(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match s.find('{') {
            Some(open) => {
                let inner = &s[open + 1..];
                let end = inner.find(['}', ':']).unwrap_or(inner.len());
                Segment::Param(inner[..end].to_string())
            }
            None => Segment::Static(s.to_string()),
        })
        .collect()
}

/// A version in a path (`v1`, `2.56`, `v1beta1`, `1.0`): no part of a name.
pub fn is_version(segment: &str) -> bool {
    let rest = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    let digits = rest
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(digits);
    let number_ok = !number.is_empty()
        && number.starts_with(|c: char| c.is_ascii_digit())
        && !number.ends_with('.')
        && !number.contains("..");
    // `v1beta1`, `v2alpha`: a pre-release word, then maybe digits.
    let suffix_ok = suffix.is_empty()
        || ["alpha", "beta", "rc"].iter().any(|word| {
            suffix
                .strip_prefix(word)
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        });
    number_ok && suffix_ok
}

/// Words that name where an API is served rather than what an operation does.
const API_ROOTS: &[&str] = &[
    "api", "apis", "rest", "restapi", "rest-api", "public", "openapi", "service", "services",
];

/// A path's segments without what says nothing about the operation: leading words like
/// `api` and `rest` (`/api/2.56/volumes`, `/rest/v1/hosts`) and versions anywhere. If
/// nothing would be left, the last of them stays.
fn meaningful(segments: &[Segment]) -> Vec<Segment> {
    let noise = |s: &Segment| match s {
        Segment::Static(text) => {
            is_version(text) || API_ROOTS.contains(&text.to_ascii_lowercase().as_str())
        }
        Segment::Param(_) => false,
    };
    let lead = segments.iter().take_while(|s| noise(s)).count();
    let kept: Vec<Segment> = segments[lead..]
        .iter()
        .filter(|s| !matches!(s, Segment::Static(text) if is_version(text)))
        .cloned()
        .collect();
    if kept.is_empty() {
        segments.last().cloned().into_iter().collect()
    } else {
        kept
    }
}

/// Names for operations without an `operationId`, given every (method, path) of the
/// spec (which methods a path has is part of the rule). Names may repeat; the caller
/// tells repeats apart.
pub fn operation_names(style: NamingStyle, operations: &[(&str, &str)]) -> Vec<String> {
    // Paths where every operation is a POST.
    let mut only_posts: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for (method, path) in operations {
        let entry = only_posts.entry(path).or_insert(true);
        *entry &= method.eq_ignore_ascii_case("post");
    }
    operations
        .iter()
        .map(|(method, path)| {
            let own = meaningful(&segments(path));
            let only_post = only_posts.get(path).copied().unwrap_or(true);
            match style {
                NamingStyle::ResourceAction => resource_action(method, &own, only_post),
                NamingStyle::MethodPath => method_path(method, &own),
            }
        })
        .collect()
}

/// The method name for one operation without an `operationId`, by the
/// resource-and-action rule (see [`NamingStyle::ResourceAction`]), for a path seen on
/// its own.
pub fn operation_name(method: &str, path: &str) -> String {
    operation_names(NamingStyle::ResourceAction, &[(method, path)]).remove(0)
}

fn static_stem(segments: &[Segment]) -> String {
    segments
        .iter()
        .filter_map(|s| match s {
            Segment::Static(text) => Some(unraw(&snake(text)).trim_matches('_').to_string()),
            Segment::Param(_) => None,
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

fn resource_action(method: &str, segments: &[Segment], only_post: bool) -> String {
    let stem = static_stem(segments);
    let method = method.to_ascii_lowercase();
    let collection = |method: &str| match method {
        "get" => Some("collection_query"),
        "post" => Some("create"),
        "delete" => Some("delete"),
        "patch" => Some("modify"),
        "put" => Some("replace"),
        _ => None,
    };
    let suffix = match segments.last() {
        // `/x/{id}`: the instance.
        Some(Segment::Param(_)) => match method.as_str() {
            "get" => Some("instance_query"),
            "patch" => Some("modify"),
            "delete" => Some("delete"),
            "put" => Some("replace"),
            "post" => Some("create"),
            _ => None,
        },
        // `/x`, or `/x/y` with no parameter: a collection, unless only POST is
        // offered there, which makes it an action of the class (`/metrics/generate`).
        Some(Segment::Static(_)) if segments.iter().all(|s| matches!(s, Segment::Static(_))) => {
            if segments.len() > 1 && only_post {
                None
            } else {
                collection(&method)
            }
        }
        // `/x/{id}/action`: the action's name says it.
        _ => None,
    };
    let name = match suffix {
        Some(suffix) if !stem.is_empty() => format!("{stem}_{suffix}"),
        Some(suffix) => suffix.to_string(),
        None if stem.is_empty() => method.clone(),
        None => stem,
    };
    method_name(&name)
}

fn method_path(method: &str, segments: &[Segment]) -> String {
    let method = method.to_ascii_lowercase();
    let stem = static_stem(segments);
    let mut name = if stem.is_empty() {
        method
    } else {
        format!("{method}_{stem}")
    };
    if let Some(Segment::Param(param)) = segments.last() {
        let param = unraw(&snake(param)).trim_matches('_').to_string();
        name.push_str("_by_");
        name.push_str(&param);
    }
    method_name(&name)
}

/// An `operationId` that a framework made from the function name, the path and the
/// method (FastAPI writes `list_models_v1_models_get`) is the function name.
pub fn strip_generated_suffix(operation_id: &str, method: &str, path: &str) -> Option<String> {
    let id = unraw(&snake(operation_id)).to_string();
    let suffix = unraw(&snake(&format!("{path}_{method}")))
        .trim_matches('_')
        .to_string();
    let stem = id.strip_suffix(&suffix)?.strip_suffix('_')?;
    (!stem.is_empty()).then(|| method_name(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_modules_are_plain_identifiers_and_feature_names() {
        for (tag, module) in [
            ("Import Session", "import_session"),
            ("import_session", "import_session"),
            ("CLI", "cli_tag"),
            ("full", "full_tag"),
            ("Default", "default_tag"),
            ("types", "types_tag"),
            ("Type", "type_tag"),
            ("self", "self_tag"),
            ("3par", "tag_3par"),
            ("", "tag"),
            ("Café: NAS/Export", "cafe_nas_export"),
        ] {
            assert_eq!(tag_module(tag), module, "{tag:?}");
        }
    }

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
    fn versions_are_recognised() {
        for v in ["v1", "V2", "2.56", "1.0", "v1beta1", "v2alpha", "3"] {
            assert!(is_version(v), "{v}");
        }
        for v in ["volumes", "oauth2", "s3", "v", "1.", "api", "2fa", "v1x"] {
            assert!(!is_version(v), "{v}");
        }
    }

    #[test]
    fn framework_suffixes_are_stripped_from_operation_ids() {
        assert_eq!(
            strip_generated_suffix("list_models_v1_models_get", "get", "/v1/models").as_deref(),
            Some("list_models")
        );
        assert_eq!(
            strip_generated_suffix(
                "retrieve_model_v1_models__model_id__get",
                "get",
                "/v1/models/{model_id}"
            )
            .as_deref(),
            Some("retrieve_model")
        );
        assert_eq!(
            strip_generated_suffix("getVolumes", "get", "/volumes"),
            None
        );
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
