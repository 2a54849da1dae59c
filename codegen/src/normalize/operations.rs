//! Paths and methods → operations.
//!
//! Each operation gets a unique method name (its `operationId`, or one derived from
//! method and path by [`super::names::operation_names`]), its parameters with path ones
//! first, its path cut into text and parameters, one request body shape, its success
//! responses and how they are returned, and the one type its error bodies share. A
//! defect that leaves the operation usable (a declared path parameter the path does not
//! name, a template variable nothing declares, a parameter `$ref` that dangles) is a
//! located warning and the operation is still generated. The project's `x-migrate-*`
//! extensions (usually added by an overlay) turn on paging and default field selection.

use std::collections::BTreeMap;

use serde_json::Value;

use super::names::{
    camel, method_name, operation_names, snake, strip_generated_suffix, unraw, Namespace,
    NamingStyle,
};
use super::types::{constraints, docs, TypeBuilder};
use crate::error::WarningKind;
use crate::ir::{
    Body, Constraints, Docs, FormField, Operation, Paging, Param, ParamLocation, PathPart,
    QueryStyle, Response, ResponseBody, Success, ThenWait, TypeRef, Waiter,
};
use crate::spec::{Node, Reference, Spec};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Names that the generated client itself uses.
const CLIENT_NAMES: [&str; 3] = ["new", "transport", "base_path"];

/// One operation found in the spec, before it is built.
struct Found<'a> {
    method: &'static str,
    path: &'a str,
    item: Node<'a>,
    op: Node<'a>,
}

/// Builds every operation of the spec.
pub(super) fn build<'a>(
    spec: &Spec<'a>,
    types: &mut TypeBuilder<'_, 'a>,
    naming: NamingStyle,
    select: &super::Selection,
) -> Vec<Operation> {
    let root = spec.root_node();
    if root.has("webhooks") {
        spec.warn(
            WarningKind::Skipped,
            "/webhooks",
            "webhooks are requests the service sends, not ones a client makes; skipped",
        );
    }
    let mut found = Vec::new();
    for (path, item) in root.entries(spec, "paths") {
        if path.starts_with("x-") {
            continue;
        }
        let item = match spec.follow(&item) {
            Reference::None => item,
            Reference::Found(target) => target,
            Reference::Broken => continue,
        };
        if !item.value.is_object() {
            spec.warn(
                WarningKind::InvalidKeyword,
                &item.at,
                "a path item must be an object; path left out",
            );
            continue;
        }
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            // Some bundlers leave operations as `$ref`s (not OpenAPI, but seen).
            let op = match spec.follow(&op) {
                Reference::None => op,
                Reference::Found(target) => target,
                Reference::Broken => continue,
            };
            if !op.value.is_object() {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &op.at,
                    "an operation must be an object; left out",
                );
                continue;
            }
            found.push(Found {
                method,
                path,
                item: item.clone(),
                op,
            });
        }
    }
    let (names, mut methods) = unique_names(spec, &found, naming);
    // Waiters the whole spec declares, to tell one the selection left out from a typo.
    let declared: std::collections::BTreeSet<String> = found
        .iter()
        .filter_map(|f| f.op.value.get("x-migrate-waiter"))
        .flat_map(|w| match w {
            Value::Array(list) => list.clone(),
            one => vec![one.clone()],
        })
        .filter_map(|w| w.get("name").and_then(Value::as_str).map(method_name))
        .collect();

    let mut operations = Vec::new();
    let mut nodes = Vec::new();
    let mut type_names = Namespace::default();
    let mut constants = Namespace::default();
    for (f, (name, builder, stream)) in found.into_iter().zip(names) {
        let tags: Vec<String> =
            f.op.strings(spec, "tags")
                .into_iter()
                .map(str::to_string)
                .collect();
        let id = f.op.value.get("operationId").and_then(Value::as_str);
        if !select.keeps(
            unraw(&name),
            id,
            &f.method.to_ascii_uppercase(),
            f.path,
            &tags,
        ) {
            continue;
        }
        let camel_name = camel(unraw(&name));
        let ctx = OpCtx {
            spec,
            op: &f.op,
            hint: camel_name.clone(),
        };
        let (params, template, fixed_query) = ctx.params(&f.item, f.path, types);
        let body = ctx.body(types);
        let (responses, error) = ctx.responses(types);
        let success = success_of(&responses);
        let has_optional = params.iter().any(|p| !p.positional);
        let mut operation = Operation {
            params_type: has_optional.then(|| type_names.claim(&format!("{camel_name}Params"))),
            form_type: matches!(body, Some(Body::Multipart(_) | Body::Form(_)))
                .then(|| type_names.claim(&format!("{camel_name}Form"))),
            response_type: (success == Success::Enum)
                .then(|| type_names.claim(&format!("{camel_name}Response"))),
            name,
            builder,
            stream: None,
            tags,
            method: f.method.to_ascii_uppercase(),
            path: f.path.to_string(),
            template,
            fixed_query,
            params,
            body,
            responses,
            success,
            error,
            docs: op_docs(spec, &f.op),
            paging: None,
            select_all: None,
            waiters: Vec::new(),
            then_wait: Vec::new(),
            command: None,
        };
        ctx.extensions(&mut operation, types, stream);
        operation.waiters = ctx.waiters(&operation, &mut methods, &mut constants);
        operations.push(operation);
        nodes.push(f.op);
    }
    link_waits(spec, &nodes, &mut operations, types, &declared);
    operations
}

/// `x-migrate-wait` on operations whose answer starts work (`{status, waiter, id}`, or a
/// list of them): each names a declared waiter, whose operation must take that one id.
fn link_waits(
    spec: &Spec<'_>,
    nodes: &[Node<'_>],
    operations: &mut [Operation],
    types: &TypeBuilder<'_, '_>,
    spec_waiters: &std::collections::BTreeSet<String>,
) {
    let mut by_name: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (o, op) in operations.iter().enumerate() {
        for (w, waiter) in op.waiters.iter().enumerate() {
            by_name.insert(waiter.name.clone(), (o, w));
        }
    }
    for (o, node) in nodes.iter().enumerate() {
        let Some(declared) = node.get("x-migrate-wait") else {
            continue;
        };
        let declarations = if declared.value.is_array() {
            node.items(spec, "x-migrate-wait")
        } else {
            vec![declared]
        };
        for d in declarations {
            let name = d.str(spec, "waiter").map(method_name);
            let id = d.str(spec, "id").unwrap_or("/id").to_string();
            let status = d.count(spec, "status").and_then(|s| u16::try_from(s).ok());
            let target = name.as_ref().and_then(|n| by_name.get(n)).copied();
            if target.is_none() && name.as_ref().is_some_and(|n| spec_waiters.contains(n)) {
                // The waiter's operation was not selected: nothing to wait with.
                continue;
            }
            let Some((operation, waiter)) = target else {
                spec.warn(
                    WarningKind::Extension,
                    &d.at,
                    format!(
                        "x-migrate-wait names waiter {:?}, which no operation declares; ignored",
                        name.unwrap_or_default()
                    ),
                );
                continue;
            };
            let polled = &operations[operation];
            let takes_one_id = polled.params.iter().filter(|p| p.positional).count() == 1
                && polled
                    .params
                    .iter()
                    .any(|p| p.positional && types.is_text(&p.ty))
                && polled.body.is_none();
            if !takes_one_id || !id.starts_with('/') {
                spec.warn(
                    WarningKind::Extension,
                    &d.at,
                    format!(
                        "x-migrate-wait: waiter {} polls {}, which must take exactly one id (and `id` must be a JSON pointer); ignored",
                        polled.waiters[waiter].name, polled.name
                    ),
                );
                continue;
            }
            operations[o].then_wait.push(ThenWait {
                status,
                operation,
                waiter,
                id,
                elsewhere: None,
            });
        }
    }
}

/// The method, builder and stream names of every operation: the `operationId` when
/// there is one, else the naming rule; names that collide get the method appended, then
/// a number, and each rename is reported. No operation ever replaces another.
fn unique_names(
    spec: &Spec<'_>,
    found: &[Found<'_>],
    naming: NamingStyle,
) -> (Vec<(String, String, String)>, Namespace) {
    let pairs: Vec<(&str, &str)> = found.iter().map(|f| (f.method, f.path)).collect();
    let derived = operation_names(naming, &pairs);
    let ids: Vec<Option<&str>> = found
        .iter()
        .map(|f| {
            f.op.str(spec, "operationId")
                .filter(|id| !id.trim().is_empty())
        })
        .collect();
    // An id a framework made from the function, path and method is the function's name,
    // as long as that stays unique.
    let stripped: Vec<Option<String>> = found
        .iter()
        .zip(&ids)
        .map(|(f, id)| id.and_then(|id| strip_generated_suffix(id, f.method, f.path)))
        .collect();
    let mut stripped_count: BTreeMap<&str, usize> = BTreeMap::new();
    for s in stripped.iter().flatten() {
        *stripped_count.entry(s.as_str()).or_default() += 1;
    }
    let mut id_count: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids.iter().flatten() {
        *id_count.entry(id).or_default() += 1;
    }
    let bases: Vec<String> = (0..found.len())
        .map(|i| match (&stripped[i], ids[i]) {
            (Some(s), _) if stripped_count[s.as_str()] == 1 => s.clone(),
            (_, Some(id)) => method_name(id),
            _ => derived[i].clone(),
        })
        .collect();
    for (i, id) in ids.iter().enumerate() {
        if let Some(id) = id {
            if id_count[id] > 1 {
                spec.warn(
                    WarningKind::DuplicateOperationId,
                    &found[i].op.child_at("operationId"),
                    format!("operationId {id:?} is used by {} operations", id_count[id]),
                );
            }
        }
    }
    // The methods of the operations that want each base name: when they differ, the
    // method tells the operations apart; else a number does.
    let mut wanted_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (base, f) in bases.iter().zip(found) {
        wanted_by.entry(base.as_str()).or_default().push(f.method);
    }
    let mut names = Namespace::with_reserved(&CLIENT_NAMES);
    let claimed = bases
        .iter()
        .zip(found)
        .map(|(base, f)| {
            let methods_differ = wanted_by[base.as_str()].iter().any(|m| m != &f.method);
            let wanted = if methods_differ {
                format!("{}_{}", unraw(base), f.method)
            } else {
                base.clone()
            };
            // Each operation also has a `_request` builder, and a paged one a `_stream` twin.
            let paged = f.op.has("x-migrate-paging");
            let helpers: &[&str] = if paged {
                &["_request", "_stream"]
            } else {
                &["_request"]
            };
            let name = names.claim_with(&wanted, helpers);
            if name != *base {
                spec.warn(
                    WarningKind::NameTaken,
                    &f.op.at,
                    format!("operation name {base} is taken; named {name}"),
                );
            }
            let bare = unraw(&name).to_string();
            (name, format!("{bare}_request"), format!("{bare}_stream"))
        })
        .collect();
    (claimed, names)
}

fn op_docs(spec: &Spec<'_>, op: &Node<'_>) -> Docs {
    let summary = op.value.get("summary").and_then(Value::as_str);
    let mut docs = docs(spec, op, summary, None);
    if let Some(Value::String(v)) = op.value.get("x-deprecated") {
        docs.deprecated = Some(format!("deprecated since version {v}"));
    }
    docs
}

/// How the success responses of an operation are returned.
fn success_of(responses: &[Response]) -> Success {
    let mut bodies: Vec<&ResponseBody> = Vec::new();
    for r in responses {
        if !bodies.contains(&&r.body) {
            bodies.push(&r.body);
        }
    }
    match bodies.as_slice() {
        [] => Success::Single(ResponseBody::Empty),
        [one] => Success::Single((*one).clone()),
        [a, ResponseBody::Empty] | [ResponseBody::Empty, a]
            if matches!(a, ResponseBody::Json(_)) =>
        {
            Success::Optional((*a).clone())
        }
        _ => Success::Enum,
    }
}

struct OpCtx<'o, 'a> {
    spec: &'o Spec<'a>,
    op: &'o Node<'a>,
    hint: String,
}

/// A parameter as declared, before it is typed.
struct Declared<'a> {
    node: Node<'a>,
    name: &'a str,
    location: ParamLocation,
}

impl<'a> OpCtx<'_, 'a> {
    /// The parameters (path ones first, in template order) and the path template.
    fn params(
        &self,
        item: &Node<'a>,
        path: &str,
        types: &mut TypeBuilder<'_, 'a>,
    ) -> (Vec<Param>, Vec<PathPart>, Vec<(String, String)>) {
        let spec = self.spec;
        // Operation parameters override path-level ones with the same name and location.
        let mut declared: Vec<Declared<'a>> = Vec::new();
        for list in [
            item.items(spec, "parameters"),
            self.op.items(spec, "parameters"),
        ] {
            for p in list {
                let Some(p) = self.declared(p) else { continue };
                declared.retain(|q| !(q.name == p.name && q.location == p.location));
                declared.push(p);
            }
        }
        let template = parse_template(path);
        let mut names =
            Namespace::with_reserved(&["body", "form", "params", "request", "response", "self_"]);
        let mut params = Vec::new();
        for d in declared {
            if d.location == ParamLocation::Path && !template.vars.iter().any(|v| v.name == d.name)
            {
                spec.warn(
                    WarningKind::PathParamNotInPath,
                    &d.node.at,
                    format!(
                        "path parameter {:?} does not appear in the path {path}; left out",
                        d.name
                    ),
                );
                continue;
            }
            params.push(self.param(d, &mut names, types));
        }
        for var in &template.vars {
            if params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == var.name)
            {
                continue;
            }
            spec.warn(
                WarningKind::UndeclaredPathParam,
                &self.op.at,
                format!(
                    "the path names {{{}}} but no path parameter declares it; taken as a string",
                    var.name
                ),
            );
            params.push(Param {
                name: names.claim(&snake(&var.name)),
                wire_name: var.name.clone(),
                location: ParamLocation::Path,
                style: QueryStyle::Plain(','),
                ty: TypeRef::String,
                required: true,
                positional: true,
                constraints: Constraints::default(),
                docs: Docs::default(),
            });
        }
        // Path parameters first, in the order the template names them.
        let order = |p: &Param| match p.location {
            ParamLocation::Path => template
                .vars
                .iter()
                .position(|v| v.name == p.wire_name)
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        };
        params.sort_by_key(order);
        // A template's own pattern (`{name:[a-z]+}`) is a constraint of its parameter.
        for var in &template.vars {
            if let (Some(pattern), Some(p)) = (
                &var.pattern,
                params
                    .iter_mut()
                    .find(|p| p.location == ParamLocation::Path && p.wire_name == var.name),
            ) {
                if p.constraints.pattern.is_none() && p.ty == TypeRef::String {
                    p.constraints.pattern = Some(format!("^(?:{pattern})$"));
                }
            }
        }
        let parts = template
            .parts
            .into_iter()
            .map(|part| match part {
                TemplatePart::Text(text) => PathPart::Literal(text),
                TemplatePart::Var(name) => PathPart::Param(
                    params
                        .iter()
                        .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
                        .unwrap_or(0),
                ),
            })
            .collect();
        (params, parts, template.query)
    }

    /// A parameter object, followed through `$ref`s; one that cannot be used is a
    /// warning and left out.
    fn declared(&self, p: Node<'a>) -> Option<Declared<'a>> {
        let spec = self.spec;
        let node = match spec.follow(&p) {
            Reference::None => p,
            Reference::Found(target) => target,
            Reference::Broken => return None,
        };
        let Some(name) = node.str(spec, "name") else {
            spec.warn(
                WarningKind::InvalidKeyword,
                &node.at,
                "a parameter needs a `name` string; left out",
            );
            return None;
        };
        let location = match node.str(spec, "in") {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => {
                spec.warn(
                    WarningKind::Unsupported,
                    &node.at,
                    format!("cookie parameter {name:?} is not supported; left out"),
                );
                return None;
            }
            other => {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &node.child_at("in"),
                    format!("unknown parameter location {other:?}; parameter {name:?} left out"),
                );
                return None;
            }
        };
        Some(Declared {
            node,
            name,
            location,
        })
    }

    fn param(
        &self,
        d: Declared<'a>,
        names: &mut Namespace,
        types: &mut TypeBuilder<'_, 'a>,
    ) -> Param {
        let spec = self.spec;
        let node = &d.node;
        let hint = format!("{}{}", self.hint, unraw(&camel(d.name)));
        let query_map = node.value.get("x-migrate-query-map") == Some(&Value::Bool(true));
        let (ty, style, constraints) = if query_map {
            (
                TypeRef::List(Box::new(TypeRef::String)),
                QueryStyle::Pairs,
                Constraints::default(),
            )
        } else if let Some(schema) = node.get("schema") {
            // A parameter that is absent says what `null` would: its type is the non-null one.
            let ty = types.use_site(&schema, &hint).ty;
            let object = types.is_object(&ty);
            let style = query_style(spec, node, d.location, object, &ty);
            (ty, style, constraints(spec, &schema))
        } else if let Some((_, media)) = node.entries(spec, "content").into_iter().next() {
            match media.get("schema") {
                Some(schema) => (
                    types.use_site(&schema, &hint).ty,
                    QueryStyle::Json,
                    Constraints::default(),
                ),
                None => (
                    TypeRef::String,
                    QueryStyle::Plain(','),
                    Constraints::default(),
                ),
            }
        } else {
            spec.warn(
                WarningKind::InvalidKeyword,
                &node.at,
                format!(
                    "parameter {:?} has neither `schema` nor `content`; taken as a string",
                    d.name
                ),
            );
            (
                TypeRef::String,
                QueryStyle::Plain(','),
                Constraints::default(),
            )
        };
        let required =
            d.location == ParamLocation::Path || node.bool(spec, "required") == Some(true);
        let docs = Docs {
            text: node
                .value
                .get("description")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            deprecated: (node.value.get("deprecated") == Some(&Value::Bool(true)))
                .then(String::new),
        };
        Param {
            name: names.claim(&snake(d.name)),
            wire_name: d.name.to_string(),
            location: d.location,
            style,
            ty,
            required,
            positional: required,
            constraints,
            docs,
        }
    }

    fn body(&self, types: &mut TypeBuilder<'_, 'a>) -> Option<Body> {
        let spec = self.spec;
        let body = self.op.get("requestBody")?;
        let body = match spec.follow(&body) {
            Reference::None => body,
            Reference::Found(target) => target,
            Reference::Broken => return Some(Body::Json(TypeRef::Any)),
        };
        let (media, content) = pick_media(spec, &body)?;
        let hint = format!("{}Body", self.hint);
        let kind = media_kind(media);
        let schema = content.get("schema");
        Some(match (kind, schema) {
            (MediaKind::Json, Some(s)) => Body::Json(types.type_of(&s, &hint)),
            (MediaKind::Json, None) => Body::Json(TypeRef::Any),
            (MediaKind::Multipart | MediaKind::Form, Some(s)) => {
                let encoding = content.get("encoding");
                let deep = |wire: &str| {
                    encoding
                        .as_ref()
                        .and_then(|e| e.value.get(wire))
                        .and_then(|e| e.get("style"))
                        .and_then(Value::as_str)
                        == Some("deepObject")
                };
                let mut fields = types
                    .form_fields(&s, &self.hint)
                    .into_iter()
                    .map(|(wire, ty, required, docs)| FormField {
                        name: String::new(),
                        deep: deep(&wire),
                        wire_name: wire,
                        ty,
                        required,
                        docs,
                    })
                    .collect::<Vec<_>>();
                if fields.is_empty()
                    && kind == MediaKind::Multipart
                    && types.type_of(&s, &hint) == TypeRef::Bytes
                {
                    spec.warn(
                        WarningKind::NotModelled,
                        &s.at,
                        "a multipart body must be an object of parts; the binary schema is sent as one file part named `file`",
                    );
                    fields.push(FormField {
                        name: String::new(),
                        deep: false,
                        wire_name: "file".into(),
                        ty: TypeRef::Bytes,
                        required: true,
                        docs: Docs::default(),
                    });
                }
                // A form with no fields (Stripe declares one on its GETs) sends nothing.
                if fields.is_empty() {
                    return None;
                }
                let mut names = Namespace::default();
                let fields = fields
                    .into_iter()
                    .map(|mut f| {
                        f.name = names.claim(&snake(&f.wire_name));
                        f
                    })
                    .collect();
                if kind == MediaKind::Multipart {
                    Body::Multipart(fields)
                } else {
                    Body::Form(fields)
                }
            }
            (MediaKind::Multipart | MediaKind::Form, None) => return None,
            _ => Body::Binary(media.to_string()),
        })
    }

    fn responses(&self, types: &mut TypeBuilder<'_, 'a>) -> (Vec<Response>, TypeRef) {
        let spec = self.spec;
        let mut success = Vec::new();
        let mut errors: Vec<TypeRef> = Vec::new();
        for (code, response) in self.op.entries(spec, "responses") {
            if code.starts_with("x-") {
                continue;
            }
            let response = match spec.follow(&response) {
                Reference::None => response,
                Reference::Found(target) => target,
                Reference::Broken => continue,
            };
            let status = status_of(code);
            if status.is_none() && code != "default" {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &response.at,
                    format!("{code:?} is not an HTTP status code; response left out"),
                );
                continue;
            }
            let is_success = status.is_some_and(|s| (200..300).contains(&s));
            let hint = if is_success {
                format!("{}Response{}", self.hint, status.unwrap_or(200))
            } else {
                format!("{}Error", self.hint)
            };
            let body = match pick_media(spec, &response) {
                None => ResponseBody::Empty,
                Some((media, content)) => match (media_kind(media), content.get("schema")) {
                    (MediaKind::Json, Some(s)) => ResponseBody::Json(types.type_of(&s, &hint)),
                    (MediaKind::Json, None) => ResponseBody::Json(TypeRef::Any),
                    (MediaKind::Text, _) => ResponseBody::Text,
                    _ => ResponseBody::Binary,
                },
            };
            match status {
                Some(status) if is_success => success.push(Response {
                    status,
                    variant: status_variant(status),
                    body,
                    docs: Docs {
                        text: response
                            .value
                            .get("description")
                            .and_then(Value::as_str)
                            .map(str::trim)
                            .filter(|d| !d.is_empty())
                            .map(str::to_string),
                        deprecated: None,
                    },
                }),
                _ => {
                    if let ResponseBody::Json(t) = body {
                        if !errors.contains(&t) {
                            errors.push(t);
                        }
                    }
                }
            }
        }
        let error = if errors.len() == 1 {
            errors.remove(0)
        } else {
            TypeRef::Any
        };
        (success, error)
    }

    /// The waiters declared on the operation (`x-migrate-waiter`: one declaration or a
    /// list). A declaration that does not fit is a located warning and left out.
    fn waiters(
        &self,
        operation: &Operation,
        methods: &mut Namespace,
        constants: &mut Namespace,
    ) -> Vec<Waiter> {
        let spec = self.spec;
        let Some(declared) = self.op.get("x-migrate-waiter") else {
            return Vec::new();
        };
        let declarations = if declared.value.is_array() {
            self.op.items(spec, "x-migrate-waiter")
        } else {
            vec![declared]
        };
        if !matches!(operation.success, Success::Single(ResponseBody::Json(_))) {
            spec.warn(
                WarningKind::Extension,
                &self.op.child_at("x-migrate-waiter"),
                "x-migrate-waiter needs an operation with one JSON success response to poll; ignored",
            );
            return Vec::new();
        }
        declarations
            .iter()
            .filter_map(|d| waiter_of(spec, d, methods, constants))
            .collect()
    }

    /// `x-migrate-paging` and `x-migrate-select`.
    fn extensions(
        &self,
        operation: &mut Operation,
        types: &mut TypeBuilder<'_, 'a>,
        stream: String,
    ) {
        let spec = self.spec;
        let model = operation.responses.iter().find_map(|r| match &r.body {
            ResponseBody::Json(t) => Some(t.clone()),
            _ => None,
        });
        let optional = |wire: &str| {
            operation
                .params
                .iter()
                .position(|p| !p.positional && p.wire_name == wire)
        };
        if let Some(paging) = self.op.get("x-migrate-paging") {
            match (paging.value.get("style").and_then(Value::as_str), &model) {
                (Some("content-range"), Some(TypeRef::List(item))) => {
                    operation.paging = Some(Paging::ContentRange {
                        max_page_size: paging
                            .value
                            .get("max-page-size")
                            .and_then(Value::as_u64)
                            .map(|v| v.clamp(1, u32::MAX as u64) as u32)
                            .unwrap_or(2000),
                        default_order: paging
                            .value
                            .get("default-order")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        item: (**item).clone(),
                        limit: optional("limit"),
                        offset: optional("offset"),
                        order: optional("order"),
                    });
                    operation.stream = Some(stream);
                }
                (Some("next-link"), Some(model)) => {
                    let pointer = |key: &str, default: &str| {
                        paging
                            .value
                            .get(key)
                            .and_then(Value::as_str)
                            .unwrap_or(default)
                            .to_string()
                    };
                    let items = pointer("items", "/items");
                    match types.list_item_at(model, &items) {
                        Some(item) => {
                            operation.paging = Some(Paging::NextLink {
                                next: pointer("next", "/links"),
                                rel: pointer("rel", "next"),
                                items,
                                item,
                            });
                            operation.stream = Some(stream);
                        }
                        None => spec.warn(
                            WarningKind::Extension,
                            &paging.at,
                            format!("x-migrate-paging next-link: the response has no list at {items}; ignored"),
                        ),
                    }
                }
                (style, _) => spec.warn(
                    WarningKind::Extension,
                    &paging.at,
                    format!("x-migrate-paging style {style:?} does not fit this operation (content-range needs an array response); ignored"),
                ),
            }
        }
        if let Some(select) = self.op.get("x-migrate-select") {
            if select.value.as_str() == Some("all") {
                let has_select = operation.params.iter().any(|p| {
                    p.wire_name == "select" && p.location == ParamLocation::Query && !p.positional
                });
                let target = model.as_ref().and_then(|m| match m {
                    TypeRef::List(item) => types.struct_id(item),
                    other => types.struct_id(other),
                });
                match target {
                    Some(id) if has_select && types.mark_select_all(id) => {
                        operation.select_all = Some(id)
                    }
                    _ => spec.warn(
                        WarningKind::Extension,
                        &select.at,
                        "x-migrate-select: all needs an optional `select` query parameter and an object (or array of objects) response; ignored",
                    ),
                }
            }
        }
    }
}

/// Reads one `x-migrate-waiter` declaration.
fn waiter_of(
    spec: &Spec<'_>,
    d: &Node<'_>,
    methods: &mut Namespace,
    constants: &mut Namespace,
) -> Option<Waiter> {
    const KEYS: &[&str] = &[
        "name",
        "description",
        "state",
        "success",
        "failure",
        "pending",
        "unknown",
        "progress",
        "detail",
        "messages",
        "interval",
        "max-interval",
        "timeout",
    ];
    let Some(map) = d.map() else {
        spec.warn(
            WarningKind::Extension,
            &d.at,
            "an x-migrate-waiter declaration must be an object; ignored",
        );
        return None;
    };
    for key in map.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        spec.warn(
            WarningKind::Extension,
            &d.child_at(key),
            format!(
                "x-migrate-waiter has no key `{key}` (it has {}); ignored",
                KEYS.join(", ")
            ),
        );
    }
    let Some(name) = d.str(spec, "name").map(method_name) else {
        spec.warn(
            WarningKind::Extension,
            &d.at,
            "an x-migrate-waiter needs a `name`; ignored",
        );
        return None;
    };
    // A text, a number or a boolean, as the runtime compares them.
    let values = |key: &str| -> Vec<String> {
        let Some(node) = d.get(key) else {
            return Vec::new();
        };
        let list = match node.value {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        list.iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
                _ => None,
            })
            .collect()
    };
    let pointer_ok = |p: &String| p.is_empty() || p.starts_with('/');
    let state = values("state");
    let success = values("success");
    if state.is_empty() || success.is_empty() || !state.iter().all(pointer_ok) {
        spec.warn(
            WarningKind::Extension,
            &d.at,
            format!("x-migrate-waiter {name} needs `state` (JSON pointers such as /state) and `success` values; ignored"),
        );
        return None;
    }
    let pointer = |key: &str| -> Option<String> {
        let p = d.str(spec, key)?.to_string();
        if pointer_ok(&p) {
            Some(p)
        } else {
            spec.warn(
                WarningKind::Extension,
                &d.child_at(key),
                format!("`{key}` must be a JSON pointer such as /progress; ignored"),
            );
            None
        }
    };
    let unknown_is_failure = match d.str(spec, "unknown") {
        None | Some("pending") => false,
        Some("failure") => true,
        Some(other) => {
            spec.warn(
                WarningKind::Extension,
                &d.child_at("unknown"),
                format!("`unknown` is `pending` or `failure`, not {other:?}; read as pending"),
            );
            false
        }
    };
    let seconds = |key: &str, default: f64| -> f64 {
        d.number(spec, key)
            .filter(|n| n.is_finite() && *n > 0.0)
            .unwrap_or(default)
    };
    let interval = seconds("interval", 2.0);
    let method = methods.claim(&format!("wait_until_{}", unraw(&name)));
    let constant = constants.claim(&unraw(&name).to_ascii_uppercase());
    Some(Waiter {
        method,
        constant,
        state,
        success,
        failure: values("failure"),
        pending: values("pending"),
        unknown_is_failure,
        progress: pointer("progress"),
        detail: pointer("detail"),
        messages: pointer("messages"),
        interval_ms: (interval * 1000.0) as u64,
        max_interval_ms: (seconds("max-interval", 15.0).max(interval) * 1000.0) as u64,
        timeout_s: seconds("timeout", 3600.0) as u64,
        docs: Docs {
            text: d.str(spec, "description").map(str::to_string),
            deprecated: None,
        },
        name,
    })
}

/// How a query parameter's value is written (OpenAPI 3 `style`/`explode`): lists
/// repeated or joined, objects as `name[key]` pairs or one pair per property.
fn query_style(
    spec: &Spec<'_>,
    node: &Node<'_>,
    location: ParamLocation,
    object: bool,
    ty: &TypeRef,
) -> QueryStyle {
    if location != ParamLocation::Query {
        return QueryStyle::Plain(',');
    }
    let style = node.str(spec, "style").unwrap_or("form");
    let explode = node.bool(spec, "explode").unwrap_or(style == "form");
    if object {
        return match (style, explode) {
            ("deepObject", _) => QueryStyle::DeepObject,
            (_, true) => QueryStyle::Exploded,
            _ => QueryStyle::Plain(','),
        };
    }
    if !matches!(ty, TypeRef::List(_)) {
        return QueryStyle::Plain(',');
    }
    match style {
        "spaceDelimited" => QueryStyle::Plain(' '),
        "pipeDelimited" => QueryStyle::Plain('|'),
        _ if explode => QueryStyle::Repeated,
        _ => QueryStyle::Plain(','),
    }
}

/// A path template cut into text and variables.
struct Template {
    parts: Vec<TemplatePart>,
    vars: Vec<TemplateVar>,
    /// What follows a `?` in the path key.
    query: Vec<(String, String)>,
}

enum TemplatePart {
    Text(String),
    Var(String),
}

struct TemplateVar {
    name: String,
    /// The pattern of a regex-constrained variable (`{name:[a-z]+}`).
    pattern: Option<String>,
}

/// Reads `{name}` anywhere in a path (`/volumes/{id}.json`, `/{a}-{b}`), and the
/// `{name:regex}` form that some frameworks write; braces inside a regex are counted.
/// A `#fragment` (which some specs add to tell two operations on one path apart) is
/// never sent, so it is not part of the template.
fn parse_template(path: &str) -> Template {
    let mut parts = Vec::new();
    let mut vars: Vec<TemplateVar> = Vec::new();
    let mut text = String::new();
    let mut query = Vec::new();
    let mut chars = path.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '#' {
            break;
        }
        if c == '?' {
            let rest = &path[at + 1..];
            let rest = rest.split('#').next().unwrap_or("");
            for pair in rest.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                query.push((k.to_string(), v.to_string()));
            }
            break;
        }
        if c != '{' {
            text.push(c);
            continue;
        }
        let mut depth = 1;
        let mut inner = String::new();
        for (_, c) in chars.by_ref() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            inner.push(c);
        }
        if depth != 0 {
            // An unclosed brace is text.
            text.push('{');
            text.push_str(&inner);
            continue;
        }
        let (name, pattern) = match inner.split_once(':') {
            Some((name, pattern)) => (name.trim().to_string(), Some(pattern.to_string())),
            None => (inner.trim().to_string(), None),
        };
        if !text.is_empty() {
            parts.push(TemplatePart::Text(std::mem::take(&mut text)));
        }
        if !vars.iter().any(|v| v.name == name) {
            vars.push(TemplateVar {
                name: name.clone(),
                pattern,
            });
        }
        parts.push(TemplatePart::Var(name));
    }
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    Template { parts, vars, query }
}

/// `"200"` → 200; `"2XX"` → 200; anything else → none.
fn status_of(code: &str) -> Option<u16> {
    let code = code.trim();
    if let Ok(n) = code.parse::<u16>() {
        return (100..600).contains(&n).then_some(n);
    }
    let mut chars = code.chars();
    let first = chars.next()?.to_digit(10)?;
    let rest: String = chars.collect();
    (rest.eq_ignore_ascii_case("xx") && (1..6).contains(&first)).then(|| first as u16 * 100)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Multipart,
    Form,
    Text,
    Binary,
}

fn media_kind(media: &str) -> MediaKind {
    let media = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media == "application/json"
        || media.ends_with("+json")
        || media == "*/*"
        || media == "application/*"
    {
        MediaKind::Json
    } else if media == "multipart/form-data" || media == "multipart/mixed" {
        MediaKind::Multipart
    } else if media == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if media.starts_with("text/") || media == "document/text" {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// JSON when offered, else the first media type.
fn pick_media<'a>(spec: &Spec<'a>, node: &Node<'a>) -> Option<(&'a str, Node<'a>)> {
    let content = node.entries(spec, "content");
    let json = content
        .iter()
        .position(|(m, _)| media_kind(m) == MediaKind::Json);
    let index = json.or((!content.is_empty()).then_some(0))?;
    content.into_iter().nth(index)
}

fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        n => format!("Status{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(path: &str) -> Vec<String> {
        parse_template(path)
            .parts
            .into_iter()
            .map(|p| match p {
                TemplatePart::Text(t) => format!("'{t}'"),
                TemplatePart::Var(v) => format!("{{{v}}}"),
            })
            .collect()
    }

    #[test]
    fn templates_allow_text_around_and_several_parameters_and_patterns() {
        assert_eq!(
            shown("/block/volumes/{id}.json"),
            ["'/block/volumes/'", "{id}", "'.json'"]
        );
        assert_eq!(shown("/a/{x}-{y}/"), ["'/a/'", "{x}", "'-'", "{y}", "'/'"]);
        assert_eq!(
            shown("/ns/{name:[a-z0-9][a-z0-9\\-]*}/pods"),
            ["'/ns/'", "{name}", "'/pods'"]
        );
        assert_eq!(
            parse_template("/n/{n:[a-z]{2,3}}").vars[0]
                .pattern
                .as_deref(),
            Some("[a-z]{2,3}")
        );
        assert_eq!(shown("/broken/{x"), ["'/broken/{x'"]);
        assert_eq!(shown("/v1/conversations#stream"), ["'/v1/conversations'"]);
    }

    #[test]
    fn statuses_and_ranges() {
        assert_eq!(status_of("200"), Some(200));
        assert_eq!(status_of("2XX"), Some(200));
        assert_eq!(status_of("4xx"), Some(400));
        assert_eq!(status_of("ok"), None);
        assert_eq!(status_of("999"), None);
    }
}
