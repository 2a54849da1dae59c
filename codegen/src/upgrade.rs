//! Brings every spec to one shape: OpenAPI 3.0, with schemas the typed reader
//! understands.
//!
//! Swagger 2.0 documents are rewritten into OpenAPI 3.0 (body and formData
//! parameters become request bodies, `produces`/`consumes` become content
//! types, `definitions` become `components/schemas`). Both dialects then get the
//! same schema fix-ups: a `$ref` with sibling keywords (common in real specs,
//! where the siblings carry the property's own description) becomes a one-item
//! `allOf` so that nothing is lost, and the Swagger-only keywords `x-nullable`,
//! string `discriminator` and `type: file` take their OpenAPI 3.0 forms.
//!
//! Every moved node records where it came from in `x-origin`, so that errors
//! found later can be reported at the user's own JSON pointer ([`original_pointer`]).

use serde_json::{json, Map, Value};

use crate::error::{join_pointer, Error};
use crate::load::Dialect;

const ORIGIN: &str = "x-origin";
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Rewrites `document` into OpenAPI 3.0 form with fixed-up schemas.
pub fn upgrade(file: &str, dialect: Dialect, document: Value) -> Result<Value, Error> {
    let mut document = match dialect {
        Dialect::Swagger2 => swagger_to_openapi(file, document)?,
        Dialect::OpenApi3 => document,
    };
    fix_schemas_in(&mut document, dialect);
    check_schemas_in(file, &document, &document, dialect, "")?;
    Ok(document)
}

/// Maps a pointer into the upgraded document back to the user's document.
pub fn original_pointer(upgraded: &Value, dialect: Dialect, pointer: &str) -> String {
    if dialect == Dialect::OpenApi3 {
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
        Dialect::OpenApi3 => reference.to_string(),
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

fn swagger_to_openapi(file: &str, mut doc: Value) -> Result<Value, Error> {
    let root = doc
        .as_object_mut()
        .ok_or_else(|| Error::at(file, "", "a spec must be an object"))?;
    let global_consumes = media_types(file, root.get("consumes"), "/consumes")?;
    let global_produces = media_types(file, root.get("produces"), "/produces")?;
    let shared_params = object_or_empty(file, root.get("parameters"), "/parameters")?;
    let shared_responses = object_or_empty(file, root.get("responses"), "/responses")?;

    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    out.insert(
        "info".into(),
        root.remove("info")
            .unwrap_or_else(|| json!({"title": "", "version": ""})),
    );
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
    if let Some(defs) = root.remove("definitions") {
        if !defs.is_object() {
            return Err(Error::at(
                file,
                "/definitions",
                "`definitions` must be an object",
            ));
        }
        components.insert("schemas".into(), defs);
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

    let ctx = Ctx {
        file,
        consumes: &global_consumes,
        produces: &global_produces,
        params: &shared_params,
        responses: &shared_responses,
    };
    let mut paths = Map::new();
    match root.get("paths") {
        None => {}
        Some(Value::Object(items)) => {
            for (path, item) in items {
                let at = join_pointer("/paths", path);
                paths.insert(path.clone(), ctx.path_item(&at, item)?);
            }
        }
        Some(_) => {
            return Err(Error::at(
                file,
                "/paths",
                "`paths` must be an object mapping paths to path items",
            ))
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    Ok(Value::Object(out))
}

struct Ctx<'a> {
    file: &'a str,
    consumes: &'a [String],
    produces: &'a [String],
    params: &'a Map<String, Value>,
    responses: &'a Map<String, Value>,
}

impl Ctx<'_> {
    fn path_item(&self, at: &str, item: &Value) -> Result<Value, Error> {
        let Some(item) = item.as_object() else {
            return Err(Error::at(self.file, at, "a path item must be an object"));
        };
        let mut out = Map::new();
        // Path-level parameters are folded into each operation, where they may
        // also become a request body.
        let shared = item.get("parameters");
        for (key, value) in item {
            if METHODS.contains(&key.as_str()) {
                out.insert(
                    key.clone(),
                    self.operation(&join_pointer(at, key), value, shared, at)?,
                );
            } else if key.starts_with("x-") || key == "summary" || key == "description" {
                out.insert(key.clone(), value.clone());
            }
        }
        Ok(Value::Object(out))
    }

    fn operation(
        &self,
        at: &str,
        op: &Value,
        path_params: Option<&Value>,
        path_at: &str,
    ) -> Result<Value, Error> {
        let Some(op) = op.as_object() else {
            return Err(Error::at(self.file, at, "an operation must be an object"));
        };
        let consumes = match op.get("consumes") {
            Some(v) => media_types(self.file, Some(v), &format!("{at}/consumes"))?,
            None => self.consumes.to_vec(),
        };
        let produces = match op.get("produces") {
            Some(v) => media_types(self.file, Some(v), &format!("{at}/produces"))?,
            None => self.produces.to_vec(),
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

        // Operation parameters override path-level ones with the same name and location.
        let mut params: Vec<(String, Value)> = Vec::new();
        for (list, list_at) in [
            (path_params, format!("{path_at}/parameters")),
            (op.get("parameters"), format!("{at}/parameters")),
        ] {
            let Some(list) = list else { continue };
            let Some(list) = list.as_array() else {
                return Err(Error::at(
                    self.file,
                    list_at,
                    "`parameters` must be an array",
                ));
            };
            for (i, p) in list.iter().enumerate() {
                let p_at = format!("{list_at}/{i}");
                let resolved = self.resolve_param(&p_at, p)?;
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
            let name = p.get("name").and_then(Value::as_str).ok_or_else(|| {
                Error::at(
                    self.file,
                    format!("{p_at}/name"),
                    "a parameter needs a `name` string",
                )
            })?;
            match location {
                "body" => {
                    let schema = p.get("schema").cloned().ok_or_else(|| {
                        Error::at(
                            self.file,
                            format!("{p_at}/schema"),
                            "a body parameter needs a `schema`",
                        )
                    })?;
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
                    param.insert("schema".into(), param_schema(&p));
                    param.insert(ORIGIN.into(), json!(p_at));
                    parameters.push(Value::Object(param));
                }
                other => {
                    return Err(Error::at(
                        self.file,
                        format!("{p_at}/in"),
                        format!("unknown parameter location {other:?}"),
                    ))
                }
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
                    responses.insert(code.clone(), self.response(&r_at, response, &produces)?);
                }
            }
            None => {}
            Some(_) => {
                return Err(Error::at(
                    self.file,
                    responses_at,
                    "`responses` must be an object",
                ))
            }
        }
        out.insert("responses".into(), Value::Object(responses));
        Ok(Value::Object(out))
    }

    fn resolve_param(&self, at: &str, p: &Value) -> Result<Value, Error> {
        if !p.is_object() {
            return Err(Error::at(self.file, at, "a parameter must be an object"));
        }
        match p.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/parameters/").ok_or_else(|| {
                    Error::at(
                        self.file,
                        format!("{at}/$ref"),
                        format!("$ref target {r} is not a local #/parameters/ entry"),
                    )
                })?;
                self.params.get(name).cloned().ok_or_else(|| {
                    Error::at(
                        self.file,
                        format!("{at}/$ref"),
                        format!("$ref target {r} does not exist"),
                    )
                })
            }
            None => Ok(p.clone()),
        }
    }

    fn response(&self, at: &str, response: &Value, produces: &[String]) -> Result<Value, Error> {
        let response = match response.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/responses/").unwrap_or(r);
                self.responses.get(name).ok_or_else(|| {
                    Error::at(
                        self.file,
                        format!("{at}/$ref"),
                        format!("$ref target {r} does not exist"),
                    )
                })?
            }
            None => response,
        };
        let Some(response) = response.as_object() else {
            return Err(Error::at(self.file, at, "a response must be an object"));
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
        Ok(Value::Object(out))
    }
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

fn media_types(file: &str, value: Option<&Value>, at: &str) -> Result<Vec<String>, Error> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    Error::at(file, format!("{at}/{i}"), "a media type must be a string")
                })
            })
            .collect(),
        Some(_) => Err(Error::at(file, at, "must be an array of media types")),
    }
}

fn object_or_empty(
    file: &str,
    value: Option<&Value>,
    at: &str,
) -> Result<Map<String, Value>, Error> {
    match value {
        None => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(_) => Err(Error::at(file, at, "must be an object")),
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

/// Checks the keywords whose wrong type would otherwise only be reported at
/// the enclosing schema, so that the error points at the keyword itself.
fn check_schemas_in(
    file: &str,
    root: &Value,
    node: &Value,
    dialect: Dialect,
    at: &str,
) -> Result<(), Error> {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let child = join_pointer(at, key);
                if key == "schema" {
                    check_schema(file, root, value, dialect, &child)?;
                } else if key == "schemas" && value.is_object() {
                    for (name, schema) in value.as_object().into_iter().flatten() {
                        check_schema(file, root, schema, dialect, &join_pointer(&child, name))?;
                    }
                } else if !key.starts_with("x-") && key != "example" && key != "examples" {
                    check_schemas_in(file, root, value, dialect, &child)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_schemas_in(file, root, item, dialect, &format!("{at}/{i}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_schema(
    file: &str,
    root: &Value,
    schema: &Value,
    dialect: Dialect,
    at: &str,
) -> Result<(), Error> {
    let fail = |pointer: String, message: String| {
        Error::at(file, original_pointer(root, dialect, &pointer), message)
    };
    let Value::Object(map) = schema else {
        return Err(fail(
            at.to_string(),
            format!("a schema must be an object, found {schema}"),
        ));
    };
    if let Some(t) = map.get("type") {
        if !t.is_string() {
            return Err(fail(
                format!("{at}/type"),
                format!("`type` must be a string such as \"object\" or \"string\", found {t}"),
            ));
        }
    }
    if let Some(props) = map.get("properties") {
        let Some(props) = props.as_object() else {
            return Err(fail(
                format!("{at}/properties"),
                "`properties` must be an object".into(),
            ));
        };
        for (name, prop) in props {
            check_schema(
                file,
                root,
                prop,
                dialect,
                &join_pointer(&format!("{at}/properties"), name),
            )?;
        }
    }
    if let Some(required) = map.get("required") {
        if !required
            .as_array()
            .is_some_and(|r| r.iter().all(Value::is_string))
        {
            return Err(fail(
                format!("{at}/required"),
                "`required` must be an array of property names".into(),
            ));
        }
    }
    for key in ["items", "not"] {
        if let Some(child) = map.get(key) {
            check_schema(file, root, child, dialect, &format!("{at}/{key}"))?;
        }
    }
    if let Some(child @ Value::Object(_)) = map.get("additionalProperties") {
        check_schema(
            file,
            root,
            child,
            dialect,
            &format!("{at}/additionalProperties"),
        )?;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(parts) = map.get(key) {
            let Some(parts) = parts.as_array() else {
                return Err(fail(
                    format!("{at}/{key}"),
                    format!("`{key}` must be an array of schemas"),
                ));
            };
            for (i, part) in parts.iter().enumerate() {
                check_schema(file, root, part, dialect, &format!("{at}/{key}/{i}"))?;
            }
        }
    }
    Ok(())
}

/// Keywords that may stand beside `$ref` without changing its meaning here.
const IGNORED_REF_SIBLINGS: [&str; 2] = ["type", "format"];

fn fix_schema(schema: &mut Value, dialect: Dialect) {
    let Value::Object(map) = schema else { return };
    if dialect == Dialect::Swagger2 {
        if let Some(Value::String(r)) = map.get_mut("$ref") {
            if let Some(rest) = r.strip_prefix("#/definitions/") {
                *r = format!("#/components/schemas/{rest}");
            }
        }
    }
    if let Some(nullable) = map.remove("x-nullable") {
        map.insert("nullable".into(), nullable);
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let property = property.clone();
        map.insert("discriminator".into(), json!({ "propertyName": property }));
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), json!("string"));
        map.insert("format".into(), json!("binary"));
    }
    if let Some(reference) = map.get("$ref").cloned() {
        map.retain(|k, _| k != "$ref" && !IGNORED_REF_SIBLINGS.contains(&k.as_str()));
        if map.is_empty() {
            map.insert("$ref".into(), reference);
        } else {
            map.insert("allOf".into(), json!([{ "$ref": reference }]));
        }
        return;
    }
    for key in ["properties"] {
        if let Some(Value::Object(props)) = map.get_mut(key) {
            props.values_mut().for_each(|p| fix_schema(p, dialect));
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            fix_schema(child, dialect);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = map.get_mut(key) {
            parts.iter_mut().for_each(|p| fix_schema(p, dialect));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(doc: Value) -> Value {
        upgrade("t.json", Dialect::Swagger2, doc).unwrap()
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
            &json!({"description": "self", "allOf": [{"$ref": "#/components/schemas/x"}]})
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
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(schema["required"], json!(["file"]));
        let p = original_pointer(
            &doc,
            Dialect::Swagger2,
            "/paths/~1up/post/requestBody/content/multipart~1form-data/schema/properties/note",
        );
        assert_eq!(p, "/paths/~1up/post/parameters/0/schema/properties/note");
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
    fn structural_errors_name_the_swagger_pointer() {
        let e = upgrade(
            "t.json",
            Dialect::Swagger2,
            json!({"swagger": "2.0", "paths": []}),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.json#/paths: `paths` must be an object mapping paths to path items"
        );
        let e = upgrade("t.json", Dialect::Swagger2, json!({"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [{"name": "b", "in": "nowhere"}]}}}}))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.json#/paths/~1a/get/parameters/0/in: unknown parameter location \"nowhere\""
        );
    }
}
