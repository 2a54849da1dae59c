//! Brings Swagger 2.0 documents to the shape of OpenAPI 3, so that one reader
//! ([`crate::spec`]) serves every dialect.
//!
//! Swagger 2.0 documents are rewritten into OpenAPI 3.0 (body and formData
//! parameters become request bodies, `produces`/`consumes` become content types,
//! `collectionFormat` becomes `style`/`explode`, `definitions` become
//! `components/schemas`). Every dialect then gets the same small schema fix-ups:
//! the Swagger-only keywords `x-nullable`, string `discriminator` and
//! `type: file` take their OpenAPI forms (converted specs often keep them).
//! OpenAPI 3.0 and 3.1 documents are otherwise read as they are.
//!
//! Every moved node records where it came from in `x-origin`, so that messages
//! found later point at the user's own JSON pointer ([`original_pointer`]).
//! A defect that leaves the rest of the document usable is a warning and the
//! part is left out; nothing here fails.

use std::cell::RefCell;

use serde_json::{json, Map, Value};

use crate::error::{join_pointer, Location, Warning, WarningKind};
use crate::load::Dialect;

const ORIGIN: &str = "x-origin";
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Rewrites `document` into OpenAPI 3 form with fixed-up schemas. Defects that leave
/// the rest usable (a parameter with an unknown location, a `$ref` to a missing shared
/// parameter) are warnings, and the part is left out.
pub fn upgrade(
    file: &str,
    dialect: Dialect,
    document: Value,
    warnings: &mut Vec<Warning>,
) -> Value {
    let mut document = match dialect {
        Dialect::Swagger2 => swagger_to_openapi(file, document, warnings),
        Dialect::OpenApi3 | Dialect::OpenApi31 => document,
    };
    fix_schemas_in(&mut document, dialect);
    document
}

/// Maps a pointer into the upgraded document back to the user's document.
pub fn original_pointer(upgraded: &Value, dialect: Dialect, pointer: &str) -> String {
    if dialect != Dialect::Swagger2 {
        return pointer.to_string();
    }
    if let Some(rest) = pointer.strip_prefix("/components/schemas") {
        return format!("/definitions{rest}");
    }
    // The deepest ancestor that says where it came from.
    let mut prefix = pointer.to_string();
    loop {
        if let Some(origin) = upgraded
            .pointer(&prefix)
            .and_then(|n| n.get(ORIGIN))
            .and_then(Value::as_str)
        {
            let rest = &pointer[prefix.len()..];
            return format!("{origin}{}", strip_upgrade_segments(rest));
        }
        match prefix.rfind('/') {
            Some(i) => prefix.truncate(i),
            None => return pointer.to_string(),
        }
    }
}

/// Maps a `$ref` string back to the user's form.
pub fn original_ref(dialect: Dialect, reference: &str) -> String {
    match dialect {
        Dialect::Swagger2 => reference.replacen("#/components/schemas/", "#/definitions/", 1),
        Dialect::OpenApi3 | Dialect::OpenApi31 => reference.to_string(),
    }
}

/// `/content/<media type>` and a parameter's `/schema` do not exist in Swagger 2.0.
fn strip_upgrade_segments(rest: &str) -> String {
    let mut parts: Vec<&str> = rest.split('/').collect();
    if parts.len() >= 3 && parts[1] == "content" {
        parts.drain(1..3);
    }
    if parts.len() >= 2 && parts[1] == "schema" && !rest.starts_with("/content") {
        // A parameter's inline schema keywords sit on the parameter itself.
        if parts.len() > 2 {
            parts.remove(1);
        }
    }
    parts.join("/")
}

fn swagger_to_openapi(file: &str, mut doc: Value, warnings: &mut Vec<Warning>) -> Value {
    let ctx = Ctx {
        file,
        warnings: RefCell::new(Vec::new()),
        consumes: Vec::new(),
        produces: Vec::new(),
        params: Map::new(),
        responses: Map::new(),
    };
    let Some(root) = doc.as_object_mut() else {
        return doc;
    };
    let ctx = Ctx {
        consumes: ctx.media_types(root.get("consumes"), "/consumes"),
        produces: ctx.media_types(root.get("produces"), "/produces"),
        params: ctx.object_or_empty(root.get("parameters"), "/parameters"),
        responses: ctx.object_or_empty(root.get("responses"), "/responses"),
        ..ctx
    };

    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    if let Some(info) = root.remove("info") {
        out.insert("info".into(), info);
    }
    let base_path = root
        .get("basePath")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let host = root.get("host").and_then(Value::as_str);
    let url = match host {
        Some(h) => format!("https://{h}{base_path}"),
        None => base_path,
    };
    out.insert("servers".into(), json!([{ "url": url }]));
    for (key, value) in root.iter() {
        if key.starts_with("x-") || key == "tags" || key == "externalDocs" {
            out.insert(key.clone(), value.clone());
        }
    }

    let mut components = Map::new();
    match root.remove("definitions") {
        Some(defs @ Value::Object(_)) => {
            components.insert("schemas".into(), defs);
        }
        Some(Value::Null) | None => {}
        Some(_) => ctx.warn(
            WarningKind::InvalidKeyword,
            "/definitions",
            "`definitions` must be an object; ignored",
        ),
    }
    if let Some(security) = root.get("securityDefinitions").and_then(Value::as_object) {
        let schemes: Map<String, Value> = security
            .iter()
            .map(|(name, scheme)| (name.clone(), security_scheme(scheme)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    out.insert("components".into(), Value::Object(components));
    if let Some(security) = root.get("security") {
        out.insert("security".into(), security.clone());
    }

    let mut paths = Map::new();
    match root.get("paths") {
        None | Some(Value::Null) => {}
        Some(Value::Object(items)) => {
            for (path, item) in items {
                let at = join_pointer("/paths", path);
                if path.starts_with("x-") {
                    continue;
                }
                if let Some(item) = ctx.path_item(&at, item) {
                    paths.insert(path.clone(), item);
                }
            }
        }
        Some(_) => ctx.warn(
            WarningKind::InvalidKeyword,
            "/paths",
            "`paths` must be an object mapping paths to path items; no operations read",
        ),
    }
    out.insert("paths".into(), Value::Object(paths));
    warnings.extend(ctx.warnings.into_inner());
    Value::Object(out)
}

struct Ctx<'a> {
    file: &'a str,
    warnings: RefCell<Vec<Warning>>,
    consumes: Vec<String>,
    produces: Vec<String>,
    params: Map<String, Value>,
    responses: Map<String, Value>,
}

impl Ctx<'_> {
    /// A warning at a pointer into the user's (Swagger) document.
    fn warn(&self, kind: WarningKind, at: &str, message: impl Into<String>) {
        self.warnings.borrow_mut().push(Warning::new(
            kind,
            Location::pointer(self.file, at),
            message,
        ));
    }

    fn path_item(&self, at: &str, item: &Value) -> Option<Value> {
        let Some(item) = item.as_object() else {
            self.warn(
                WarningKind::InvalidKeyword,
                at,
                "a path item must be an object; path left out",
            );
            return None;
        };
        let mut out = Map::new();
        // Path-level parameters are folded into each operation, where they may
        // also become a request body.
        let shared = item.get("parameters");
        for (key, value) in item {
            if METHODS.contains(&key.as_str()) {
                let op_at = join_pointer(at, key);
                if let Some(op) = self.operation(&op_at, value, shared, at) {
                    out.insert(key.clone(), op);
                }
            } else if key.starts_with("x-")
                || key == "summary"
                || key == "description"
                || key == "$ref"
            {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert(ORIGIN.into(), json!(at));
        Some(Value::Object(out))
    }

    fn operation(
        &self,
        at: &str,
        op: &Value,
        path_params: Option<&Value>,
        path_at: &str,
    ) -> Option<Value> {
        let Some(op) = op.as_object() else {
            self.warn(
                WarningKind::InvalidKeyword,
                at,
                "an operation must be an object; left out",
            );
            return None;
        };
        let consumes = match op.get("consumes") {
            Some(v) => self.media_types(Some(v), &format!("{at}/consumes")),
            None => self.consumes.clone(),
        };
        let produces = match op.get("produces") {
            Some(v) => self.media_types(Some(v), &format!("{at}/produces")),
            None => self.produces.clone(),
        };
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "parameters" | "responses" | "consumes" | "produces" | "schemes" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out.insert(ORIGIN.into(), json!(at));

        // Operation parameters override path-level ones with the same name and location.
        let mut params: Vec<(String, Value)> = Vec::new();
        for (list, list_at) in [
            (path_params, format!("{path_at}/parameters")),
            (op.get("parameters"), format!("{at}/parameters")),
        ] {
            let Some(list) = list else { continue };
            let Some(list) = list.as_array() else {
                self.warn(
                    WarningKind::InvalidKeyword,
                    &list_at,
                    "`parameters` must be an array; ignored",
                );
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let p_at = format!("{list_at}/{i}");
                let Some(resolved) = self.resolve_param(&p_at, p) else {
                    continue;
                };
                let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
                params.retain(|(_, existing)| key(existing) != key(&resolved));
                params.push((p_at, resolved));
            }
        }

        let mut parameters = Vec::new();
        let mut form = Map::new();
        let mut form_required = Vec::new();
        let mut form_at = None;
        for (p_at, p) in params {
            let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
            // A body parameter's name is never sent; real specs leave it out.
            let name = match p.get("name").and_then(Value::as_str) {
                None if location == "body" => Some("body"),
                name => name,
            };
            let Some(name) = name else {
                self.warn(
                    WarningKind::InvalidKeyword,
                    &p_at,
                    "a parameter needs a `name` string; left out",
                );
                continue;
            };
            match location {
                "body" => {
                    let schema = match p.get("schema") {
                        Some(schema) => schema.clone(),
                        None => {
                            self.warn(
                                WarningKind::InvalidKeyword,
                                &p_at,
                                "a body parameter needs a `schema`; the body is taken as any JSON",
                            );
                            json!({})
                        }
                    };
                    let media = consumes
                        .iter()
                        .find(|m| m.contains("json"))
                        .or(consumes.first())
                        .cloned()
                        .unwrap_or_else(|| "application/json".into());
                    let mut body = json!({
                        "content": { media: { "schema": schema } },
                        "required": p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        ORIGIN: p_at,
                    });
                    if let Some(d) = p.get("description") {
                        body["description"] = d.clone();
                    }
                    out.insert("requestBody".into(), body);
                }
                "formData" => {
                    let mut schema = param_schema(&p);
                    if p.get("description").is_some() {
                        schema["description"] = p["description"].clone();
                    }
                    // The field's schema is the parameter itself: messages about it point there.
                    schema[ORIGIN] = json!(p_at);
                    form.insert(name.to_string(), schema);
                    if p.get("required").and_then(Value::as_bool) == Some(true) {
                        form_required.push(json!(name));
                    }
                    form_at.get_or_insert(p_at);
                }
                "query" | "header" | "path" | "cookie" => {
                    let mut param = Map::new();
                    for (k, v) in p.as_object().into_iter().flatten() {
                        if matches!(
                            k.as_str(),
                            "name" | "in" | "description" | "required" | "deprecated"
                        ) || k.starts_with("x-")
                        {
                            param.insert(k.clone(), v.clone());
                        }
                    }
                    // Swagger's `collectionFormat` is OpenAPI 3's `style` and `explode`.
                    match p.get("collectionFormat").and_then(Value::as_str) {
                        Some("multi") => {
                            param.insert("explode".into(), json!(true));
                        }
                        Some("ssv") => {
                            param.insert("style".into(), json!("spaceDelimited"));
                        }
                        Some("pipes") => {
                            param.insert("style".into(), json!("pipeDelimited"));
                        }
                        _ => {
                            param.insert("explode".into(), json!(false));
                        }
                    }
                    param.insert("schema".into(), param_schema(&p));
                    param.insert(ORIGIN.into(), json!(p_at));
                    parameters.push(Value::Object(param));
                }
                other => self.warn(
                    WarningKind::InvalidKeyword,
                    &format!("{p_at}/in"),
                    format!("unknown parameter location {other:?}; parameter {name:?} left out"),
                ),
            }
        }
        if let Some(form_at) = form_at {
            let has_file = form
                .values()
                .any(|s| s.get("format").and_then(Value::as_str) == Some("binary"));
            let media = if has_file || consumes.iter().any(|m| m == "multipart/form-data") {
                "multipart/form-data"
            } else {
                "application/x-www-form-urlencoded"
            };
            let schema = json!({"type": "object", "properties": form, "required": form_required});
            out.insert(
                "requestBody".into(),
                json!({"content": {media: {"schema": schema}}, "required": true, ORIGIN: form_at}),
            );
        }
        out.insert("parameters".into(), Value::Array(parameters));

        let responses_at = format!("{at}/responses");
        let mut responses = Map::new();
        match op.get("responses") {
            Some(Value::Object(items)) => {
                for (code, response) in items {
                    let r_at = join_pointer(&responses_at, code);
                    if code.starts_with("x-") {
                        continue;
                    }
                    if let Some(response) = self.response(&r_at, response, &produces) {
                        responses.insert(code.clone(), response);
                    }
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => self.warn(
                WarningKind::InvalidKeyword,
                &responses_at,
                "`responses` must be an object; ignored",
            ),
        }
        out.insert("responses".into(), Value::Object(responses));
        Some(Value::Object(out))
    }

    fn resolve_param(&self, at: &str, p: &Value) -> Option<Value> {
        if !p.is_object() {
            self.warn(
                WarningKind::InvalidKeyword,
                at,
                "a parameter must be an object; left out",
            );
            return None;
        }
        let Some(reference) = p.get("$ref") else {
            return Some(p.clone());
        };
        let ref_at = format!("{at}/$ref");
        let Some(r) = reference.as_str() else {
            self.warn(
                WarningKind::NonStringRef,
                &ref_at,
                "`$ref` must be a string; parameter left out",
            );
            return None;
        };
        let found = r
            .strip_prefix("#/parameters/")
            .and_then(|name| self.params.get(&unescape(name)));
        match found {
            Some(param) => Some(param.clone()),
            None => {
                let kind = if r.starts_with('#') {
                    WarningKind::DanglingRef
                } else {
                    WarningKind::ExternalRef
                };
                self.warn(
                    kind,
                    &ref_at,
                    format!("$ref target {r} is not a #/parameters/ entry of this file; parameter left out"),
                );
                None
            }
        }
    }

    fn response(&self, at: &str, response: &Value, produces: &[String]) -> Option<Value> {
        let response = match response.get("$ref") {
            Some(reference) => {
                let r = reference.as_str().unwrap_or_default();
                let found = r
                    .strip_prefix("#/responses/")
                    .and_then(|name| self.responses.get(&unescape(name)));
                match found {
                    Some(response) => response,
                    None => {
                        self.warn(
                            WarningKind::DanglingRef,
                            &format!("{at}/$ref"),
                            format!("$ref target {reference} is not a #/responses/ entry of this file; response left out"),
                        );
                        return None;
                    }
                }
            }
            None => response,
        };
        let Some(response) = response.as_object() else {
            self.warn(
                WarningKind::InvalidKeyword,
                at,
                "a response must be an object; left out",
            );
            return None;
        };
        let mut out = Map::new();
        out.insert(
            "description".into(),
            response.get("description").cloned().unwrap_or(json!("")),
        );
        out.insert(ORIGIN.into(), json!(at));
        if let Some(schema) = response.get("schema") {
            let mut content = Map::new();
            let media: Vec<String> = if produces.is_empty() {
                vec!["application/json".into()]
            } else {
                produces.to_vec()
            };
            for m in media {
                content.insert(m, json!({ "schema": schema }));
            }
            out.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = response.get("headers") {
            let converted: Map<String, Value> = headers
                .iter()
                .map(|(name, h)| {
                    let mut header = json!({"schema": param_schema(h)});
                    if let Some(d) = h.get("description") {
                        header["description"] = d.clone();
                    }
                    (name.clone(), header)
                })
                .collect();
            out.insert("headers".into(), Value::Object(converted));
        }
        for (k, v) in response {
            if k.starts_with("x-") {
                out.insert(k.clone(), v.clone());
            }
        }
        Some(Value::Object(out))
    }

    fn media_types(&self, value: Option<&Value>, at: &str) -> Vec<String> {
        match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v.as_str() {
                    Some(s) => Some(s.to_string()),
                    None => {
                        self.warn(
                            WarningKind::InvalidKeyword,
                            &format!("{at}/{i}"),
                            "a media type must be a string; ignored",
                        );
                        None
                    }
                })
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            Some(_) => {
                self.warn(
                    WarningKind::InvalidKeyword,
                    at,
                    "must be an array of media types; ignored",
                );
                Vec::new()
            }
        }
    }

    fn object_or_empty(&self, value: Option<&Value>, at: &str) -> Map<String, Value> {
        match value {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => {
                self.warn(
                    WarningKind::InvalidKeyword,
                    at,
                    "must be an object; ignored",
                );
                Map::new()
            }
        }
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The schema keywords a Swagger 2.0 non-body parameter carries itself.
fn param_schema(p: &Value) -> Value {
    const KEYS: [&str; 17] = [
        "type",
        "format",
        "items",
        "enum",
        "default",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "multipleOf",
        "x-nullable",
    ];
    let mut schema = Map::new();
    for key in KEYS {
        if let Some(v) = p.get(key) {
            schema.insert(key.into(), v.clone());
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
    Value::Object(schema)
}

fn security_scheme(scheme: &Value) -> Value {
    match scheme.get("type").and_then(Value::as_str) {
        Some("basic") => json!({"type": "http", "scheme": "basic"}),
        Some("apiKey") => {
            json!({"type": "apiKey", "name": scheme.get("name").cloned().unwrap_or(json!("")), "in": scheme.get("in").cloned().unwrap_or(json!("header"))})
        }
        _ => json!({"type": "oauth2", "flows": {}}),
    }
}

/// Applies the schema fix-ups wherever schemas live in an OpenAPI 3.0 document.
fn fix_schemas_in(node: &mut Value, dialect: Dialect) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "schema" {
                    fix_schema(value, dialect);
                } else if key == "schemas" && value.is_object() {
                    for schema in value
                        .as_object_mut()
                        .into_iter()
                        .flat_map(|m| m.values_mut())
                    {
                        fix_schema(schema, dialect);
                    }
                } else if !key.starts_with("x-") && key != "example" && key != "examples" {
                    fix_schemas_in(value, dialect);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| fix_schemas_in(v, dialect)),
        _ => {}
    }
}

fn fix_schema(schema: &mut Value, dialect: Dialect) {
    let Value::Object(map) = schema else { return };
    if dialect == Dialect::Swagger2 {
        if let Some(Value::String(r)) = map.get_mut("$ref") {
            if let Some(rest) = r.strip_prefix("#/definitions/") {
                *r = format!("#/components/schemas/{rest}");
            }
        }
    }
    // A boolean takes its OpenAPI name; anything else stays where the user wrote it, so that
    // normalize's warning about it points there.
    if map.get("x-nullable").is_some_and(Value::is_boolean) {
        if let Some(nullable) = map.remove("x-nullable") {
            map.insert("nullable".into(), nullable);
        }
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let property = property.clone();
        map.insert("discriminator".into(), json!({ "propertyName": property }));
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), json!("string"));
        map.insert("format".into(), json!("binary"));
    }
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(Value::Object(props)) = map.get_mut(key) {
            props.values_mut().for_each(|p| fix_schema(p, dialect));
        }
    }
    for key in [
        "items",
        "additionalProperties",
        "not",
        "prefixItems",
        "allOf",
        "oneOf",
        "anyOf",
    ] {
        match map.get_mut(key) {
            // `items` may be a list too (the draft 4 tuple).
            Some(Value::Array(parts)) => parts.iter_mut().for_each(|p| fix_schema(p, dialect)),
            Some(child) => fix_schema(child, dialect),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(doc: Value) -> Value {
        upgrade("t.json", Dialect::Swagger2, doc, &mut Vec::new())
    }

    #[test]
    fn body_and_responses_move_into_content() {
        let doc = up(json!({
            "swagger": "2.0", "basePath": "/api/rest", "produces": ["application/json"],
            "paths": {"/x/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "post": {"parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/x"}}],
                         "responses": {"201": {"description": "ok", "schema": {"$ref": "#/definitions/x"}}, "204": {"description": "none"}}}
            }},
            "definitions": {"x": {"type": "object", "properties": {"y": {"$ref": "#/definitions/x", "description": "self"}}}}
        }));
        let op = &doc["paths"]["/x/{id}"]["post"];
        assert_eq!(doc["servers"][0]["url"], "/api/rest");
        assert_eq!(op["parameters"][0]["schema"], json!({"type": "string"}));
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/x"
        );
        assert_eq!(
            op["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/x"
        );
        assert!(op["responses"]["204"].get("content").is_none());
        let y = &doc["components"]["schemas"]["x"]["properties"]["y"];
        assert_eq!(
            y,
            &json!({"description": "self", "$ref": "#/components/schemas/x"})
        );
    }

    #[test]
    fn form_data_becomes_multipart_and_pointers_map_back() {
        let doc = up(json!({
            "swagger": "2.0",
            "paths": {"/up": {"post": {"consumes": ["multipart/form-data"], "parameters": [
                {"name": "file", "in": "formData", "type": "file", "required": true},
                {"name": "note", "in": "formData", "type": "string"}], "responses": {}}}}
        }));
        let body = &doc["paths"]["/up"]["post"]["requestBody"];
        let schema = &body["content"]["multipart/form-data"]["schema"];
        assert_eq!(
            schema["properties"]["file"],
            json!({"type": "string", "format": "binary", "x-origin": "/paths/~1up/post/parameters/0"})
        );
        assert_eq!(schema["required"], json!(["file"]));
        // A field's schema is its parameter: the pointer goes back to that parameter.
        let form = "/paths/~1up/post/requestBody/content/multipart~1form-data/schema";
        let p = original_pointer(
            &doc,
            Dialect::Swagger2,
            &format!("{form}/properties/note/type"),
        );
        assert_eq!(p, "/paths/~1up/post/parameters/1/type");
        assert_eq!(
            original_pointer(
                &doc,
                Dialect::Swagger2,
                "/components/schemas/a/properties/b"
            ),
            "/definitions/a/properties/b"
        );
    }

    #[test]
    fn structural_defects_are_warnings_at_the_swagger_pointer() {
        let mut warnings = Vec::new();
        let doc = upgrade(
            "t.json",
            Dialect::Swagger2,
            json!({"swagger": "2.0", "paths": []}),
            &mut warnings,
        );
        assert_eq!(doc["paths"], json!({}));
        let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            shown,
            ["warning[invalid_keyword]: t.json#/paths: `paths` must be an object mapping paths to path items; no operations read"]
        );
        let mut warnings = Vec::new();
        let doc = upgrade(
            "t.json",
            Dialect::Swagger2,
            json!({"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [
                {"name": "b", "in": "nowhere"},
                {"$ref": "#/parameters/missing"},
                {"name": "ids", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"}
            ]}}}}),
            &mut warnings,
        );
        let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            shown,
            [
                "warning[dangling_ref]: t.json#/paths/~1a/get/parameters/1/$ref: $ref target #/parameters/missing is not a #/parameters/ entry of this file; parameter left out",
                "warning[invalid_keyword]: t.json#/paths/~1a/get/parameters/0/in: unknown parameter location \"nowhere\"; parameter \"b\" left out",
            ]
        );
        let params = &doc["paths"]["/a"]["get"]["parameters"];
        assert_eq!(params.as_array().map(Vec::len), Some(1));
        assert_eq!(params[0]["explode"], json!(true));
    }
}
