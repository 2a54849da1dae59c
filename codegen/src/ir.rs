//! The intermediate model: what the emitters need, with every name decided.
//!
//! Normalization turns a parsed spec into an [`Api`]; the emitters only read it.
//! Types live in an arena indexed by [`TypeId`], so references, recursion and
//! shared types cost nothing. Everything is ordered (types by name, operations
//! by path and method), which makes the output deterministic.

/// One spec, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The path every operation path is relative to (Swagger `basePath`, or
    /// the path of the first server URL).
    pub base_path: String,
    /// Named types, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// Operations in (path, method) order.
    pub operations: Vec<Operation>,
}

/// A handle to a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// How a field, parameter or body refers to a type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A named type.
    Named(TypeId),
    /// Text.
    String,
    /// Text that must never be printed (`format: password`).
    Secret,
    /// A `date-time` timestamp.
    DateTime,
    /// A 32-bit or smaller integer.
    I32,
    /// A 64-bit integer (also the default for `integer`).
    I64,
    /// Any JSON number.
    F64,
    /// `boolean`.
    Bool,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Any JSON value: the spec does not say, or says something not modelled.
    Any,
    /// A JSON array.
    List(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// A value that may be `null`, where no field says so (list items, map
    /// values, union variants, aliases): `Option<T>`.
    Nullable(Box<TypeRef>),
    /// An array of fixed length whose items have their own types
    /// (`prefixItems`): a Rust tuple.
    Tuple(Vec<TypeRef>),
}

impl Api {
    /// A copy with the same types and no operations.
    pub fn clone_without_operations(&self) -> Api {
        Api {
            title: self.title.clone(),
            version: self.version.clone(),
            description: self.description.clone(),
            base_path: self.base_path.clone(),
            types: self.types.clone(),
            operations: Vec::new(),
        }
    }

    /// Every type the given operations reach (through their parameters, bodies,
    /// responses and error bodies, and the types those hold).
    pub fn reachable_from(&self, operations: &[usize]) -> std::collections::BTreeSet<TypeId> {
        let mut stack = Vec::new();
        for &i in operations {
            let op = &self.operations[i];
            for p in &op.params {
                p.ty.named(&mut stack);
            }
            match &op.body {
                Some(Body::Json(t)) => t.named(&mut stack),
                Some(Body::Multipart(fields) | Body::Form(fields)) => {
                    fields.iter().for_each(|f| f.ty.named(&mut stack))
                }
                _ => {}
            }
            for r in &op.responses {
                if let ResponseBody::Json(t) = &r.body {
                    t.named(&mut stack);
                }
            }
            op.error.named(&mut stack);
            if let Some(id) = op.select_all {
                stack.push(id);
            }
        }
        self.reachable_from_types(&stack)
    }

    /// The given types and every type they hold, directly or through others.
    pub fn reachable_from_types(&self, types: &[TypeId]) -> std::collections::BTreeSet<TypeId> {
        let mut stack = types.to_vec();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            match &self.types[id.0].kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().for_each(|f| f.ty.named(&mut stack));
                    if let Some(a) = &s.additional {
                        a.named(&mut stack);
                    }
                }
                TypeKind::Union(u) => u.variants.iter().for_each(|v| v.ty.named(&mut stack)),
                TypeKind::Alias(t) => t.named(&mut stack),
                TypeKind::Enum(_) => {}
            }
        }
        seen
    }
}

impl TypeRef {
    /// Every type id this reference names, directly or inside containers.
    pub fn named(&self, out: &mut Vec<TypeId>) {
        match self {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.named(out)
            }
            TypeRef::Tuple(items) => items.iter().for_each(|t| t.named(out)),
            _ => {}
        }
    }

    /// Rewrites every type id this reference names.
    pub fn remap(&mut self, map: &impl Fn(TypeId) -> TypeId) {
        match self {
            TypeRef::Named(id) => *id = map(*id),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.remap(map)
            }
            TypeRef::Tuple(items) => items.iter_mut().for_each(|t| t.remap(map)),
            _ => {}
        }
    }
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, unique in the module).
    pub name: String,
    /// The name in the spec (for docs and messages).
    pub wire_name: String,
    /// Documentation.
    pub docs: Docs,
    /// What kind of type.
    pub kind: TypeKind,
    /// Whether requests carry it (it needs `Serialize` and validation).
    pub in_request: bool,
    /// Whether responses carry it (it needs `Deserialize`).
    pub in_response: bool,
    /// Whether a value of it has something to check before it is sent: it is an
    /// enum (unknown values are refused), or holds a constrained field or such a type.
    pub validates: bool,
    /// When the output is split by tag: the cargo features (tag modules) whose
    /// operations need it; it is compiled when any of them is on. Empty otherwise.
    pub features: Vec<String>,
}

/// The shapes a named type can take.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// A string enum that keeps unknown values.
    Enum(Enum),
    /// A union of alternatives: picked by a discriminator property when the
    /// spec names one, else by the shape of the value.
    Union(Union),
    /// Another name for a type (a definition that is an array, a map or a scalar).
    Alias(TypeRef),
}

/// A struct.
#[derive(Debug, Clone, Default)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema: kept in a flattened map.
    pub additional: Option<TypeRef>,
    /// Whether an operation selects every field of this type by default (it
    /// then gets a `FIELDS` constant).
    pub select_all: bool,
    /// Whether every field can take a default value (then it derives `Default`).
    pub defaultable: bool,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust name (snake_case, not a keyword).
    pub name: String,
    /// The JSON name.
    pub wire_name: String,
    /// The type, without the `Option` that [`Field::optional`] adds.
    pub ty: TypeRef,
    /// Absent is allowed (or `null` is): the field is an `Option`.
    pub optional: bool,
    /// Required but may be `null`: serialized as `null` rather than skipped.
    pub nullable: bool,
    /// Optional and nullable in a type that only requests carry (a PATCH body):
    /// `Option<Option<T>>`, where `Some(None)` sends `null` to clear the value
    /// and `None` leaves it out.
    pub clearable: bool,
    /// Stored behind a `Box` to break a cycle.
    pub boxed: bool,
    /// A link to another resource, left out of the default `select`.
    pub relation: bool,
    /// Checks made before a request is sent.
    pub constraints: Constraints,
    /// Documentation.
    pub docs: Docs,
}

/// Constraints from the spec, checked before a request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minimum`, and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum`, and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// The constraints on each item of a list.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// Whether there is anything to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Variants in spec order.
    pub variants: Vec<Variant>,
    /// The name of the variant that holds values the spec does not list.
    pub unknown_variant: String,
    /// The variant `Default` gives (a `const` has exactly one value, which is
    /// then its default).
    pub default: Option<usize>,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust name.
    pub name: String,
    /// The value on the wire.
    pub wire_name: String,
}

/// A union of alternatives (`oneOf`, `anyOf`, a `type` list, or the children of a
/// discriminator base). A value that no alternative accepts is kept as JSON in an
/// `Other` variant.
#[derive(Debug, Clone)]
pub struct Union {
    /// The discriminator property, when the spec names one.
    pub tag: Option<String>,
    /// The alternatives, in the order the spec lists them.
    pub variants: Vec<UnionVariant>,
}

/// One alternative of a [`Union`].
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The discriminator values that select it (the first is the one written).
    pub tags: Vec<String>,
    /// Its type.
    pub ty: TypeRef,
    /// Stored behind a `Box` (structs and unions, which may be large or recursive).
    pub boxed: bool,
    /// What JSON it can be, for picking a variant without a discriminator.
    pub shape: Shape,
    /// Checks made before a request carrying it is sent (an inline alternative's own
    /// limits, `maxLength` on a string alternative).
    pub constraints: Constraints,
}

/// The JSON a union alternative accepts, which the runtime uses to try
/// alternatives in a good order (see `migrate_runtime::union`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Shape {
    /// A string (also enums and timestamps).
    String,
    /// An integral number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array.
    Array,
    /// An object, with the properties the alternative knows and those it requires.
    Object {
        /// Every property name.
        known: Vec<String>,
        /// The required ones.
        required: Vec<String>,
    },
    /// Anything.
    #[default]
    Any,
}

/// Documentation gathered from the spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    /// Summary and description, joined.
    pub text: Option<String>,
    /// Deprecated, with the version when the spec says it.
    pub deprecated: Option<String>,
}

/// An HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method name (snake_case, unique).
    pub name: String,
    /// The name of the method that builds the request without sending it.
    pub builder: String,
    /// The name of the method that streams every item, when the operation pages.
    pub stream: Option<String>,
    /// The name of the parameter struct, when the operation has optional inputs.
    pub params_type: Option<String>,
    /// The name of the form struct, when the body is a form.
    pub form_type: Option<String>,
    /// The name of the response enum, when success statuses carry different bodies.
    pub response_type: Option<String>,
    /// The spec's tags of the operation, in order.
    pub tags: Vec<String>,
    /// HTTP method, upper case.
    pub method: String,
    /// The path as the spec writes it, relative to the base path (`/import_session/{id}`).
    pub path: String,
    /// The path cut into text and parameters.
    pub template: Vec<PathPart>,
    /// Query pairs the path itself carries (`/assistants?beta=true`).
    pub fixed_query: Vec<(String, String)>,
    /// Parameters: path ones first, in template order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// Success responses by status.
    pub responses: Vec<Response>,
    /// How the success responses are returned.
    pub success: Success,
    /// The type of error bodies (4xx, 5xx, default).
    pub error: TypeRef,
    /// Documentation.
    pub docs: Docs,
    /// How the operation pages, when it does.
    pub paging: Option<Paging>,
    /// The model whose fields `select` asks for by default.
    pub select_all: Option<TypeId>,
    /// Waiters declared on this operation (it is the one they poll).
    pub waiters: Vec<Waiter>,
    /// What to wait for after this operation answers (`x-migrate-wait`).
    pub then_wait: Vec<ThenWait>,
    /// Its command in the `cli` feature's `api` module (`None`: it has none, as when it
    /// needs a secret, which is never a flag value).
    pub command: Option<Command>,
}

/// An operation's command line: every name, flag and shape decided in normalize
/// (`normalize::commands`), so that emit only writes it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// The subcommand (`import-session-create`).
    pub name: String,
    /// The clap struct (`ImportSessionCreateCommand`).
    pub type_name: String,
    /// Its variant of the `Operation` enum.
    pub variant: String,
    /// One line of help.
    pub summary: String,
    /// Parameters first, then the body's or the form's fields.
    pub args: Vec<CommandArg>,
    /// How `--body FILE` is read, when the command has it.
    pub body_file: Option<BodyFile>,
}

/// How a command reads `--body FILE`.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyFile {
    /// JSON or YAML, with the field flags set over it.
    Json,
    /// Raw bytes of this media type.
    Bytes(String),
}

/// One argument of a command.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandArg {
    /// The clap struct's field.
    pub field: String,
    /// The `--flag`; `None` for a positional argument.
    pub long: Option<String>,
    /// The value's name in help, when not clap's default.
    pub value_name: Option<String>,
    /// One line of help (the first sentence of the docs and the limits).
    pub help: String,
    /// Whether the command line must give it.
    pub required: bool,
    /// Where the value goes in the request.
    pub source: ArgSource,
    /// How the field holds the value.
    pub shape: ArgShape,
    /// The type of one value (of an item, for a list).
    pub ty: TypeRef,
    /// Whether a value is `Copy` (passed without a clone).
    pub copy: bool,
}

/// Where a command's value goes in the request.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgSource {
    /// A parameter (an index into [`Operation::params`]).
    Param(usize),
    /// A top-level field of the JSON body, by wire name.
    BodyField(String),
    /// A field of a form body (an index into its fields).
    FormField(usize),
}

/// How a command's field holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgShape {
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

/// Work an operation's answer starts, and the declared waiter that follows it: the
/// answer's status it applies to, the waiter (by operation and index), and the JSON
/// pointer of the id to poll (a `*` segment for each item of a list).
#[derive(Debug, Clone, PartialEq)]
pub struct ThenWait {
    /// The status (`None`: any success).
    pub status: Option<u16>,
    /// The operation the waiter polls (an index into [`Api::operations`]).
    pub operation: usize,
    /// The waiter (an index into that operation's [`Operation::waiters`]).
    pub waiter: usize,
    /// Where the id is in the answer.
    pub id: String,
    /// In one tag's module of a crate split by tag, when the polled operation is in
    /// another tag's module: that operation (and `operation` indexes nothing).
    pub elsewhere: Option<Elsewhere>,
}

/// An operation of another tag's module that a [`ThenWait`] polls, with what naming its
/// waiter and its request builder from there takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Elsewhere {
    /// The other tag's module (and cargo feature).
    pub module: String,
    /// The operation's method name.
    pub name: String,
    /// Its request builder.
    pub builder: String,
    /// Whether the builder takes a parameters struct after the id.
    pub params: bool,
    /// The waiter's rule constant.
    pub constant: String,
}

/// A waiter declared on the operation it polls (`x-migrate-waiter`): a generated
/// `wait_until_<name>` method and a rule constant, run by `migrate_runtime::waiter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The declared name (snake_case).
    pub name: String,
    /// The client method (`wait_until_<name>`).
    pub method: String,
    /// The rule's constant in the `waiters` module (`JOB_DONE`).
    pub constant: String,
    /// JSON pointers to the state, the first present one read.
    pub state: Vec<String>,
    /// Values that mean done.
    pub success: Vec<String>,
    /// Values that mean failed.
    pub failure: Vec<String>,
    /// Values that mean still running (empty: every other value).
    pub pending: Vec<String>,
    /// Whether a value in none of the lists means failure.
    pub unknown_is_failure: bool,
    /// JSON pointer to a percentage.
    pub progress: Option<String>,
    /// JSON pointer to a text shown with the progress.
    pub detail: Option<String>,
    /// JSON pointer to the service's messages about a failure.
    pub messages: Option<String>,
    /// The first pause between polls, in milliseconds.
    pub interval_ms: u64,
    /// The longest pause, in milliseconds.
    pub max_interval_ms: u64,
    /// The default deadline, in seconds.
    pub timeout_s: u64,
    /// What the declaration says it waits for.
    pub docs: Docs,
}

impl Operation {
    /// Rewrites every type id the operation names (after the types are reordered).
    pub fn remap_types(&mut self, map: &impl Fn(TypeId) -> TypeId) {
        for p in &mut self.params {
            p.ty.remap(map);
        }
        match &mut self.body {
            Some(Body::Json(t)) => t.remap(map),
            Some(Body::Multipart(fields) | Body::Form(fields)) => {
                fields.iter_mut().for_each(|f| f.ty.remap(map))
            }
            _ => {}
        }
        for r in &mut self.responses {
            if let ResponseBody::Json(t) = &mut r.body {
                t.remap(map);
            }
        }
        if let Success::Single(ResponseBody::Json(t)) | Success::Optional(ResponseBody::Json(t)) =
            &mut self.success
        {
            t.remap(map);
        }
        self.error.remap(map);
        if let Some(Paging::ContentRange { item, .. } | Paging::NextLink { item, .. }) =
            &mut self.paging
        {
            item.remap(map);
        }
        if let Some(id) = &mut self.select_all {
            *id = map(*id);
        }
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is (`/volumes/`, `.json`).
    Literal(String),
    /// The value of [`Operation::params`]`[index]`, percent-encoded.
    Param(usize),
}

/// How the success responses of an operation are returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// One body type for every success status (possibly `()`).
    Single(ResponseBody),
    /// A JSON body for some statuses and none for others: `Option<T>`.
    Optional(ResponseBody),
    /// Different bodies: the enum [`Operation::response_type`], a variant per status.
    Enum,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
}

/// How a query value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`; a list is one value with its items joined by the character
    /// (`,` for `explode: false` and Swagger's `csv`, space or `|` for the
    /// delimited styles).
    Plain(char),
    /// A list as one `name=item` pair per item (`explode: true`, the OpenAPI 3
    /// default for query lists, and Swagger's `multi`).
    Repeated,
    /// The value serialized as JSON text (`content: application/json`).
    Json,
    /// A list of (name, value) pairs added as they are (`x-migrate-query-map`).
    Pairs,
    /// An object as `name[key]=value` pairs (`style: deepObject`).
    DeepObject,
    /// An object as one pair per property (`style: form, explode: true`, the
    /// default for query objects).
    Exploded,
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust name.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// How a query value is written.
    pub style: QueryStyle,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// Whether it is a positional argument of the method (path parameters and
    /// required ones); the others are fields of the params struct.
    pub positional: bool,
    /// Checks made before sending.
    pub constraints: Constraints,
    /// Documentation.
    pub docs: Docs,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// A JSON document.
    Json(TypeRef),
    /// `multipart/form-data` parts.
    Multipart(Vec<FormField>),
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<FormField>),
    /// Raw bytes with a content type.
    Binary(String),
}

/// A field of a form body.
#[derive(Debug, Clone)]
pub struct FormField {
    /// An object or list is sent as `name[key]=value` pairs (`encoding` says
    /// `style: deepObject`) rather than as JSON text.
    pub deep: bool,
    /// The Rust name.
    pub name: String,
    /// The part name on the wire.
    pub wire_name: String,
    /// Its type ([`TypeRef::Bytes`] for a file).
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// Documentation.
    pub docs: Docs,
}

/// One success response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The variant name when the operation has a response enum.
    pub variant: String,
    /// What the body is.
    pub body: ResponseBody,
    /// Documentation.
    pub docs: Docs,
}

/// The body of a success response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No body.
    Empty,
    /// JSON of a type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Bytes.
    Binary,
}

/// How an operation pages through a collection.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// `offset`/`limit` with `206 Partial Content` and `Content-Range`.
    ContentRange {
        /// The largest page the server gives.
        max_page_size: u32,
        /// The order used when the caller gives none (pages need a stable order).
        default_order: Option<String>,
        /// The item type.
        item: TypeRef,
        /// The optional parameters (indexes into [`Operation::params`]) that the
        /// pager sets itself or defaults.
        limit: Option<usize>,
        /// See `limit`.
        offset: Option<usize>,
        /// See `limit`.
        order: Option<usize>,
    },
    /// Each page links to the next one (`x-migrate-paging: {style: next-link}`).
    NextLink {
        /// The JSON pointer of the items in a page.
        items: String,
        /// The JSON pointer of the next page's link (an href, a link object, or a
        /// list of links).
        next: String,
        /// In a list of links, the `rel` of the one to follow.
        rel: String,
        /// The item type.
        item: TypeRef,
    },
}
