//! Paths and methods → operations.
//!
//! Each operation gets a unique method name (its `operationId`, or one derived
//! from method and path by the vendor convention in [`super::operation_name`]),
//! its parameters with path ones first, one request body shape, its success
//! responses, and the one type its error bodies share. The project's `x-migrate-*`
//! extensions (usually added by an overlay) turn on paging and default field
//! selection.

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody,
    StatusCode,
};
use serde_json::Value;

use super::names::{camel, operation_name, snake, unraw, Namespace};
use super::types::{constraints, docs, TypeBuilder};
use super::Origin;
use crate::error::{join_pointer, Error};
use crate::ir::{
    Body, Constraints, Docs, FormField, Operation, Paging, Param, ParamLocation, QueryStyle,
    Response, ResponseBody, TypeRef,
};

/// Builds every operation of the spec.
pub(super) fn build<'a>(
    origin: &Origin<'_>,
    spec: &'a OpenAPI,
    types: &mut TypeBuilder<'a>,
) -> Result<Vec<Operation>, Error> {
    let mut found = Vec::new();
    for (path, item) in &spec.paths.paths {
        let at = join_pointer("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                types.push_warning(
                    origin.warning(&at, "a path item $ref is not supported; path left out"),
                );
                continue;
            }
        };
        for (method, op) in methods(item) {
            let base = match &op.operation_id {
                Some(id) if !id.trim().is_empty() => snake(id),
                _ => operation_name(method, path),
            };
            found.push((
                base,
                method,
                path.as_str(),
                item,
                op,
                join_pointer(&at, method),
            ));
        }
    }
    let names = unique_names(origin, &found, types);

    let mut operations = Vec::new();
    let mut type_names = Namespace::default();
    for ((_, method, path, item, op, at), name) in found.into_iter().zip(names) {
        let camel_name = camel(unraw(&name));
        let mut operation = Operation {
            params_type: type_names.claim(&format!("{camel_name}Params")),
            response_type: type_names.claim(&format!("{camel_name}Response")),
            name,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            error: TypeRef::Any,
            docs: Docs::default(),
            paging: None,
            select_all: None,
        };
        let ctx = OpCtx {
            origin,
            spec,
            at: &at,
            hint: camel_name.clone(),
        };
        operation.docs = op_docs(op);
        operation.params = ctx.params(item, op, types)?;
        operation.body = ctx.body(op, types)?;
        let (responses, error) = ctx.responses(op, types)?;
        operation.responses = responses;
        operation.error = error;
        ctx.extensions(op, &mut operation, types);
        operations.push(operation);
    }
    Ok(operations)
}

fn methods(item: &PathItem) -> Vec<(&'static str, &openapiv3::Operation)> {
    [
        ("get", &item.get),
        ("put", &item.put),
        ("post", &item.post),
        ("delete", &item.delete),
        ("options", &item.options),
        ("head", &item.head),
        ("patch", &item.patch),
        ("trace", &item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    .collect()
}

type Found<'s> = (
    String,
    &'static str,
    &'s str,
    &'s PathItem,
    &'s openapiv3::Operation,
    String,
);

/// Names that collide get the method appended, then a number; each rename is
/// reported, and no operation ever replaces another.
fn unique_names(
    origin: &Origin<'_>,
    found: &[Found<'_>],
    types: &mut TypeBuilder<'_>,
) -> Vec<String> {
    // The methods of the operations that want each base name: when they
    // differ, the method tells the operations apart; else a number does.
    let mut wanted_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (base, method, ..) in found {
        wanted_by.entry(base.as_str()).or_default().push(method);
    }
    let mut names = Namespace::with_reserved(&["new", "transport", "base_path"]);
    found
        .iter()
        .map(|(base, method, _, _, _, at)| {
            let methods_differ = wanted_by[base.as_str()].iter().any(|m| m != method);
            let wanted = if methods_differ {
                format!("{}_{method}", unraw(base))
            } else {
                base.clone()
            };
            // Each operation also has a `_request` builder and may have a `_stream` twin.
            let name = names.claim_with(&wanted, &["_request", "_stream"]);
            if name != *base {
                types.push_warning(
                    origin.warning(at, format!("operation name {base} is taken; named {name}")),
                );
            }
            name
        })
        .collect()
}

fn op_docs(op: &openapiv3::Operation) -> Docs {
    let mut parts = Vec::new();
    for text in [op.summary.as_deref(), op.description.as_deref()]
        .into_iter()
        .flatten()
    {
        let text = text.trim();
        if !text.is_empty() && !parts.contains(&text) {
            parts.push(text);
        }
    }
    let deprecated = match op.extensions.get("x-deprecated") {
        Some(Value::String(v)) => Some(format!("deprecated since version {v}")),
        _ if op.deprecated => Some(String::new()),
        _ => None,
    };
    Docs {
        text: (!parts.is_empty()).then(|| parts.join("\n\n")),
        deprecated,
    }
}

struct OpCtx<'o, 'a> {
    origin: &'o Origin<'o>,
    spec: &'a OpenAPI,
    at: &'o str,
    hint: String,
}

impl<'a> OpCtx<'_, 'a> {
    fn params(
        &self,
        item: &'a PathItem,
        op: &'a openapiv3::Operation,
        types: &mut TypeBuilder<'a>,
    ) -> Result<Vec<Param>, Error> {
        let mut merged: Vec<(String, &Parameter)> = Vec::new();
        let path_at = self.at.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        for (list, list_at) in [
            (&item.parameters, format!("{path_at}/parameters")),
            (&op.parameters, format!("{}/parameters", self.at)),
        ] {
            for (i, p) in list.iter().enumerate() {
                let p_at = format!("{list_at}/{i}");
                let p = self.resolve_param(p, &p_at)?;
                let data = p.parameter_data_ref();
                merged.retain(|(_, q)| {
                    !(q.parameter_data_ref().name == data.name && same_location(q, p))
                });
                merged.push((p_at, p));
            }
        }
        let mut names =
            Namespace::with_reserved(&["body", "params", "request", "response", "self_"]);
        let mut params = Vec::new();
        for (p_at, p) in merged {
            let (location, data) = match p {
                Parameter::Path { parameter_data, .. } => (ParamLocation::Path, parameter_data),
                Parameter::Query { parameter_data, .. } => (ParamLocation::Query, parameter_data),
                Parameter::Header { parameter_data, .. } => (ParamLocation::Header, parameter_data),
                Parameter::Cookie { parameter_data, .. } => {
                    let message = format!(
                        "cookie parameter {:?} is not supported; left out",
                        parameter_data.name
                    );
                    types.push_warning(self.origin.warning(&p_at, message));
                    continue;
                }
            };
            let hint = format!("{}{}", self.hint, unraw(&camel(&data.name)));
            let query_map = data
                .extensions
                .get("x-migrate-query-map")
                .and_then(Value::as_bool)
                == Some(true);
            let (ty, style, constraints) = match &data.format {
                _ if query_map => (
                    TypeRef::List(Box::new(TypeRef::String)),
                    QueryStyle::Pairs,
                    Constraints::default(),
                ),
                ParameterSchemaOrContent::Schema(s) => {
                    let c = match s {
                        ReferenceOr::Item(item) => constraints(item),
                        ReferenceOr::Reference { .. } => Constraints::default(),
                    };
                    (
                        types.type_of(s, &hint, &format!("{p_at}/schema"))?,
                        QueryStyle::Plain,
                        c,
                    )
                }
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((
                        media,
                        MediaType {
                            schema: Some(s), ..
                        },
                    )) => {
                        let pointer = format!(
                            "{p_at}/content/{}/schema",
                            media.replace('~', "~0").replace('/', "~1")
                        );
                        (
                            types.type_of(s, &hint, &pointer)?,
                            QueryStyle::Json,
                            Constraints::default(),
                        )
                    }
                    _ => (TypeRef::String, QueryStyle::Plain, Constraints::default()),
                },
            };
            params.push(Param {
                name: names.claim(&snake(&data.name)),
                wire_name: data.name.clone(),
                location,
                style,
                ty,
                required: data.required || location == ParamLocation::Path,
                constraints,
                docs: Docs {
                    text: data.description.clone(),
                    deprecated: data.deprecated.filter(|d| *d).map(|_| String::new()),
                },
            });
        }
        // Path parameters first, in the order the template names them.
        let order = |p: &Param| match p.location {
            ParamLocation::Path => self.path_position(&p.wire_name),
            _ => usize::MAX,
        };
        params.sort_by_key(order);
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if self.path_position(&p.wire_name) == usize::MAX {
                let message = format!(
                    "path parameter {:?} does not appear in the path",
                    p.wire_name
                );
                return Err(self
                    .origin
                    .error(&format!("{}/parameters", self.at), message));
            }
        }
        for name in self.template_names() {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                return Err(self.origin.error(
                    self.at,
                    format!("the path names {{{name}}} but no path parameter declares it"),
                ));
            }
        }
        Ok(params)
    }

    fn path(&self) -> String {
        // The pointer is /paths/<escaped path>/<method>.
        let escaped = self
            .at
            .trim_start_matches("/paths/")
            .rsplit_once('/')
            .map(|(p, _)| p)
            .unwrap_or("");
        escaped.replace("~1", "/").replace("~0", "~")
    }

    fn template_names(&self) -> Vec<String> {
        self.path()
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_string)
            .collect()
    }

    fn path_position(&self, name: &str) -> usize {
        self.template_names()
            .iter()
            .position(|n| n == name)
            .unwrap_or(usize::MAX)
    }

    fn resolve_param(
        &self,
        p: &'a ReferenceOr<Parameter>,
        at: &str,
    ) -> Result<&'a Parameter, Error> {
        match p {
            ReferenceOr::Item(p) => Ok(p),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/parameters/")
                    .unwrap_or(reference);
                match self
                    .spec
                    .components
                    .as_ref()
                    .and_then(|c| c.parameters.get(name))
                {
                    Some(ReferenceOr::Item(p)) => Ok(p),
                    _ => Err(self
                        .origin
                        .error(at, format!("$ref target {reference} does not exist"))),
                }
            }
        }
    }

    fn body(
        &self,
        op: &'a openapiv3::Operation,
        types: &mut TypeBuilder<'a>,
    ) -> Result<Option<Body>, Error> {
        let at = format!("{}/requestBody", self.at);
        let body: &RequestBody = match &op.request_body {
            None => return Ok(None),
            Some(ReferenceOr::Item(b)) => b,
            Some(ReferenceOr::Reference { reference }) => {
                let name = reference
                    .strip_prefix("#/components/requestBodies/")
                    .unwrap_or(reference);
                match self
                    .spec
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(name))
                {
                    Some(ReferenceOr::Item(b)) => b,
                    _ => {
                        return Err(self
                            .origin
                            .error(&at, format!("$ref target {reference} does not exist")))
                    }
                }
            }
        };
        let Some((media, content)) = pick_media(&body.content) else {
            return Ok(None);
        };
        let content_at = format!(
            "{at}/content/{}",
            media.replace('~', "~0").replace('/', "~1")
        );
        let hint = format!("{}Body", self.hint);
        Ok(Some(match (media_kind(media), &content.schema) {
            (MediaKind::Json, Some(s)) => {
                Body::Json(types.type_of(s, &hint, &format!("{content_at}/schema"))?)
            }
            (MediaKind::Multipart | MediaKind::Form, Some(s)) => {
                let fields = self.form_fields(s, types, &format!("{content_at}/schema"))?;
                if media_kind(media) == MediaKind::Multipart {
                    Body::Multipart(fields)
                } else {
                    Body::Form(fields)
                }
            }
            _ => Body::Binary(media.to_string()),
        }))
    }

    fn form_fields(
        &self,
        schema: &'a ReferenceOr<openapiv3::Schema>,
        types: &mut TypeBuilder<'a>,
        at: &str,
    ) -> Result<Vec<FormField>, Error> {
        let ReferenceOr::Item(schema) = schema else {
            return Ok(Vec::new());
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind
        else {
            return Ok(Vec::new());
        };
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        for (wire, prop) in &object.properties {
            let hint = format!("{}{}", self.hint, unraw(&camel(wire)));
            let ty = types.type_of(
                prop,
                &hint,
                &join_pointer(&format!("{at}/properties"), wire),
            )?;
            let docs = match prop {
                ReferenceOr::Item(s) => docs(&s.schema_data, None),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            fields.push(FormField {
                name: names.claim(&snake(wire)),
                wire_name: wire.clone(),
                ty,
                required: object.required.contains(wire),
                docs,
            });
        }
        Ok(fields)
    }

    fn responses(
        &self,
        op: &'a openapiv3::Operation,
        types: &mut TypeBuilder<'a>,
    ) -> Result<(Vec<Response>, TypeRef), Error> {
        let mut success = Vec::new();
        let mut errors: Vec<TypeRef> = Vec::new();
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        for (code, response) in entries {
            let key = match code {
                Some(code) => code.to_string(),
                None => "default".to_string(),
            };
            let at = join_pointer(&format!("{}/responses", self.at), &key);
            let response = match response {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix("#/components/responses/")
                        .unwrap_or(reference);
                    match self
                        .spec
                        .components
                        .as_ref()
                        .and_then(|c| c.responses.get(name))
                    {
                        Some(ReferenceOr::Item(r)) => r,
                        _ => {
                            return Err(self
                                .origin
                                .error(&at, format!("$ref target {reference} does not exist")))
                        }
                    }
                }
            };
            let status = match code {
                Some(StatusCode::Code(n)) => Some(*n),
                Some(StatusCode::Range(n)) => Some(*n * 100),
                None => None,
            };
            let is_success = status.is_some_and(|s| (200..300).contains(&s));
            let hint = if is_success {
                format!("{}Response{}", self.hint, status.unwrap_or(200))
            } else {
                format!("{}Error", self.hint)
            };
            let body = match pick_media(&response.content) {
                None => ResponseBody::Empty,
                Some((media, content)) => {
                    let content_at = format!(
                        "{at}/content/{}",
                        media.replace('~', "~0").replace('/', "~1")
                    );
                    match (media_kind(media), &content.schema) {
                        (MediaKind::Json, Some(s)) => ResponseBody::Json(types.type_of(
                            s,
                            &hint,
                            &format!("{content_at}/schema"),
                        )?),
                        (MediaKind::Json, None) => ResponseBody::Json(TypeRef::Any),
                        (MediaKind::Text, _) => ResponseBody::Text,
                        _ => ResponseBody::Binary,
                    }
                }
            };
            if let (true, Some(status)) = (is_success, status) {
                success.push(Response {
                    status,
                    variant: status_variant(status),
                    body,
                    docs: Docs {
                        text: Some(response.description.trim().to_string())
                            .filter(|d| !d.is_empty()),
                        deprecated: None,
                    },
                });
            } else if let ResponseBody::Json(t) = body {
                if !errors.contains(&t) {
                    errors.push(t);
                }
            }
        }
        let error = if errors.len() == 1 {
            errors.remove(0)
        } else {
            TypeRef::Any
        };
        Ok((success, error))
    }

    /// `x-migrate-paging` and `x-migrate-select`.
    fn extensions(
        &self,
        op: &'a openapiv3::Operation,
        operation: &mut Operation,
        types: &mut TypeBuilder<'a>,
    ) {
        let model = operation.responses.iter().find_map(|r| match &r.body {
            ResponseBody::Json(t) => Some(t.clone()),
            _ => None,
        });
        if let Some(paging) = op.extensions.get("x-migrate-paging") {
            match (paging.get("style").and_then(Value::as_str), &model) {
                (Some("content-range"), Some(TypeRef::List(item))) => {
                    operation.paging = Some(Paging::ContentRange {
                        max_page_size: paging.get("max-page-size").and_then(Value::as_u64).map(|v| v.clamp(1, u32::MAX as u64) as u32).unwrap_or(2000),
                        default_order: paging.get("default-order").and_then(Value::as_str).map(str::to_string),
                        item: (**item).clone(),
                    })
                }
                // Link-following pages are walked by hand-written extensions.
                (Some("next-link"), _) => {}
                (style, _) => types.push_warning(self.origin.warning(
                    self.at,
                    format!("x-migrate-paging style {style:?} does not fit this operation (content-range needs an array response); ignored"),
                )),
            }
        }
        if op
            .extensions
            .get("x-migrate-select")
            .and_then(Value::as_str)
            == Some("all")
        {
            let has_select = operation
                .params
                .iter()
                .any(|p| p.wire_name == "select" && p.location == ParamLocation::Query);
            let target = model.as_ref().and_then(|m| match m {
                TypeRef::List(item) => types.struct_id(item),
                other => types.struct_id(other),
            });
            match target {
                Some(id) if has_select && types.mark_select_all(id) => operation.select_all = Some(id),
                _ => types.push_warning(self.origin.warning(
                    self.at,
                    "x-migrate-select: all needs a `select` query parameter and an object (or array of objects) response; ignored",
                )),
            }
        }
    }
}

fn same_location(a: &Parameter, b: &Parameter) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
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
    if media == "application/json" || media.ends_with("+json") || media == "*/*" {
        MediaKind::Json
    } else if media == "multipart/form-data" {
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
fn pick_media(content: &openapiv3::Content) -> Option<(&String, &MediaType)> {
    content
        .iter()
        .find(|(m, _)| media_kind(m) == MediaKind::Json)
        .or_else(|| content.iter().next())
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
