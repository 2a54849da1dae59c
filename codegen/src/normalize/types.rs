//! Schemas → named types.
//!
//! Every component schema gets a [`TypeId`] before any is converted, so that
//! references (including recursive ones) resolve in one pass. Inline object
//! and enum schemas become named types too, named after where they appear
//! (`ImportSessionInstanceRemoteSystem`). After the operations are known,
//! [`TypeBuilder::finish`] works out which types requests and responses carry,
//! which fields need a `Box`, and which structs can derive `Default`.

use std::collections::{BTreeSet, HashMap};

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, OpenAPI, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::names::{camel, snake, unraw, Namespace, RESERVED_TYPE_NAMES};
use super::Origin;
use crate::error::{join_pointer, Error, Warning};
use crate::ir::{
    Constraints, Docs, Enum, Field, Operation, Struct, TypeDef, TypeId, TypeKind, TypeRef, Union,
    Variant,
};

const SCHEMAS: &str = "#/components/schemas/";

/// Builds the type arena for one spec.
pub(super) struct TypeBuilder<'a> {
    origin: &'a Origin<'a>,
    spec: &'a OpenAPI,
    types: Vec<TypeDef>,
    by_ref: HashMap<String, TypeId>,
    names: Namespace,
    warnings: Vec<Warning>,
    /// Discriminator bases (by `$ref`) → (tag value, child `$ref`).
    children: HashMap<String, Vec<(String, String)>>,
}

/// A schema as it appears in a field, parameter or body.
pub(super) enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'a> TypeBuilder<'a> {
    pub(super) fn new(origin: &'a Origin<'a>, spec: &'a OpenAPI) -> Self {
        TypeBuilder {
            origin,
            spec,
            types: Vec::new(),
            by_ref: HashMap::new(),
            names: Namespace::with_reserved(RESERVED_TYPE_NAMES),
            warnings: Vec::new(),
            children: HashMap::new(),
        }
    }

    fn component_schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.spec.components.iter().flat_map(|c| c.schemas.iter())
    }

    /// Declares then converts every component schema.
    pub(super) fn declare_components(&mut self) -> Result<(), Error> {
        let components: Vec<_> = self.component_schemas().collect();
        for (name, _) in &components {
            let id = self.declare(&camel(name), name);
            self.by_ref.insert(format!("{SCHEMAS}{name}"), id);
        }
        self.find_discriminator_children(&components);
        for (index, (name, schema)) in components.iter().enumerate() {
            let pointer = join_pointer("/components/schemas", name);
            let id = TypeId(index);
            let type_name = self.types[id.0].name.clone();
            let kind = match SchemaRef::from(*schema) {
                SchemaRef::Ref(r) => TypeKind::Alias(self.resolve(r, &pointer)?),
                SchemaRef::Item(s) => {
                    self.types[id.0].docs = docs(&s.schema_data, None);
                    self.kind_of(s, &type_name, &pointer, Some(&format!("{SCHEMAS}{name}")))?
                }
            };
            self.types[id.0].kind = kind;
        }
        Ok(())
    }

    fn declare(&mut self, name: &str, wire_name: &str) -> TypeId {
        let id = TypeId(self.types.len());
        // `Result2` would read as a typo; `ResultModel` says what happened.
        let name = if RESERVED_TYPE_NAMES.contains(&name) {
            format!("{name}Model")
        } else {
            name.to_string()
        };
        let name = name.as_str();
        self.types.push(TypeDef {
            name: self.names.claim(name),
            wire_name: wire_name.to_string(),
            docs: Docs::default(),
            kind: TypeKind::Alias(TypeRef::Any),
            in_request: false,
            in_response: false,
        });
        id
    }

    /// Children of a discriminator base are the schemas whose `allOf` refers to it.
    fn find_discriminator_children(&mut self, components: &[(&String, &ReferenceOr<Schema>)]) {
        let bases: HashMap<String, &Schema> = components
            .iter()
            .filter_map(|(name, s)| match s {
                ReferenceOr::Item(s) if s.schema_data.discriminator.is_some() => {
                    Some((format!("{SCHEMAS}{name}"), s))
                }
                _ => None,
            })
            .collect();
        for (name, schema) in components {
            let all_of = match schema {
                ReferenceOr::Item(Schema {
                    schema_kind: SchemaKind::AllOf { all_of },
                    ..
                }) => all_of,
                ReferenceOr::Item(Schema {
                    schema_kind: SchemaKind::Any(any),
                    ..
                }) => &any.all_of,
                _ => continue,
            };
            for part in all_of {
                let ReferenceOr::Reference { reference } = part else {
                    continue;
                };
                let Some(base) = bases.get(reference) else {
                    continue;
                };
                let child_ref = format!("{SCHEMAS}{name}");
                let mapping = &base.schema_data.discriminator.as_ref().map(|d| &d.mapping);
                let tag = mapping
                    .and_then(|m| {
                        m.iter()
                            .find(|(_, target)| **target == child_ref)
                            .map(|(tag, _)| tag.clone())
                    })
                    .unwrap_or_else(|| name.to_string());
                self.children
                    .entry(reference.clone())
                    .or_default()
                    .push((tag, child_ref));
            }
        }
    }

    /// The type a field, parameter or body of this schema has. Inline objects,
    /// enums and unions become named types called `hint`.
    pub(super) fn type_of(
        &mut self,
        schema: impl Into<SchemaRef<'a>>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let schema = match schema.into() {
            SchemaRef::Ref(r) => return self.resolve(r, pointer),
            SchemaRef::Item(s) => s,
        };
        if let Some(inner) = single_ref_wrapper(schema) {
            return self.type_of(inner, hint, &format!("{pointer}/allOf/0"));
        }
        if needs_named_type(schema) {
            let id = self.declare(hint, hint);
            self.types[id.0].docs = docs(&schema.schema_data, None);
            let name = self.types[id.0].name.clone();
            let kind = self.kind_of(schema, &name, pointer, None)?;
            self.types[id.0].kind = kind;
            return Ok(TypeRef::Named(id));
        }
        self.scalar_or_container(schema, hint, pointer)
    }

    /// Resolves a `$ref`; a dangling local one is an error.
    fn resolve(&mut self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        if let Some(id) = self.by_ref.get(reference) {
            return Ok(TypeRef::Named(*id));
        }
        if reference.starts_with("#/") {
            let shown = crate::upgrade::original_ref(self.origin.dialect, reference);
            return Err(self
                .origin
                .error(pointer, format!("$ref target {shown} does not exist")));
        }
        self.warn(
            pointer,
            format!("$ref {reference:?} points outside this file; using serde_json::Value"),
        );
        Ok(TypeRef::Any)
    }

    fn warn(&mut self, pointer: &str, message: String) {
        self.warnings.push(self.origin.warning(pointer, message));
    }

    /// The kind of a named type made from `schema`.
    fn kind_of(
        &mut self,
        schema: &'a Schema,
        name: &str,
        pointer: &str,
        own_ref: Option<&str>,
    ) -> Result<TypeKind, Error> {
        if let Some(children) = own_ref.and_then(|r| self.children.get(r)).cloned() {
            return Ok(TypeKind::Union(self.union_of(
                &schema.schema_data,
                &children,
                pointer,
            )));
        }
        if let Some(values) = string_enum(schema) {
            return Ok(TypeKind::Enum(enum_of(&values)));
        }
        match &schema.schema_kind {
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts }
                if schema.schema_data.discriminator.is_some() =>
            {
                let mapping = schema
                    .schema_data
                    .discriminator
                    .as_ref()
                    .map(|d| d.mapping.clone())
                    .unwrap_or_default();
                let children: Vec<(String, String)> = parts
                    .iter()
                    .filter_map(|p| match p {
                        ReferenceOr::Reference { reference } => Some(reference.clone()),
                        ReferenceOr::Item(_) => None,
                    })
                    .map(|r| {
                        let tag = mapping
                            .iter()
                            .find(|(_, target)| **target == r)
                            .map(|(tag, _)| tag.clone())
                            .unwrap_or_else(|| {
                                r.rsplit('/').next().unwrap_or_default().to_string()
                            });
                        (tag, r)
                    })
                    .collect();
                if children.len() == parts.len() {
                    return Ok(TypeKind::Union(self.union_of(
                        &schema.schema_data,
                        &children,
                        pointer,
                    )));
                }
            }
            _ => {}
        }
        if is_struct(schema) {
            return Ok(TypeKind::Struct(self.struct_of(schema, name, pointer)?));
        }
        Ok(TypeKind::Alias(
            self.scalar_or_container(schema, name, pointer)?,
        ))
    }

    fn union_of(
        &mut self,
        data: &SchemaData,
        children: &[(String, String)],
        pointer: &str,
    ) -> Union {
        let tag = data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone())
            .unwrap_or_default();
        let mut names = Namespace::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for (value, child) in children {
            match self.by_ref.get(child) {
                Some(id) => variants.push((value.clone(), names.claim(&camel(value)), *id)),
                None => self.warn(
                    pointer,
                    format!("discriminator child {child} does not exist; left out"),
                ),
            }
        }
        Union { tag, variants }
    }

    fn struct_of(
        &mut self,
        schema: &'a Schema,
        name: &str,
        pointer: &str,
    ) -> Result<Struct, Error> {
        let mut collected = Collected::default();
        self.collect(schema, pointer, &mut collected, &mut BTreeSet::new())?;
        let mut field_names = Namespace::default();
        let mut fields = Vec::new();
        for (wire, prop, prop_pointer) in &collected.properties {
            let field_name = field_names.claim(&snake(wire));
            let hint = format!("{}{}", unraw(name), unraw(&camel(wire)));
            let ty = self.type_of(*prop, &hint, prop_pointer)?;
            let (data, constraints) = match prop {
                ReferenceOr::Item(s) => (Some(&s.schema_data), constraints(s)),
                ReferenceOr::Reference { .. } => (None, Constraints::default()),
            };
            let nullable = data.is_some_and(|d| d.nullable);
            let relation = is_relation(prop);
            let required = collected.required.contains(wire.as_str());
            fields.push(Field {
                name: field_name,
                wire_name: wire.to_string(),
                ty,
                optional: !required || nullable,
                nullable: required && nullable,
                // Settled once it is known which types only requests carry.
                clearable: !required && nullable,
                boxed: false,
                relation,
                constraints,
                docs: data.map(|d| docs(d, None)).unwrap_or_default(),
            });
        }
        let additional = match collected.additional {
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Any),
            Some((AdditionalProperties::Schema(s), p)) => Some(self.type_of(
                s.as_ref(),
                &format!("{}Value", unraw(name)),
                &format!("{p}/additionalProperties"),
            )?),
            _ => None,
        };
        Ok(Struct {
            fields,
            additional,
            select_all: false,
            defaultable: false,
        })
    }

    /// Gathers properties and required names from a schema and its `allOf` parts.
    fn collect(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        out: &mut Collected<'a>,
        seen: &mut BTreeSet<String>,
    ) -> Result<(), Error> {
        let (properties, required, additional) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                (&o.properties, &o.required, o.additional_properties.as_ref())
            }
            SchemaKind::Any(a) => {
                for (i, part) in a.all_of.iter().enumerate() {
                    self.collect_part(part, &format!("{pointer}/allOf/{i}"), out, seen)?;
                }
                (&a.properties, &a.required, a.additional_properties.as_ref())
            }
            SchemaKind::AllOf { all_of } => {
                for (i, part) in all_of.iter().enumerate() {
                    self.collect_part(part, &format!("{pointer}/allOf/{i}"), out, seen)?;
                }
                return Ok(());
            }
            _ => return Ok(()),
        };
        for (name, prop) in properties {
            let prop_pointer = join_pointer(&format!("{pointer}/properties"), name);
            match out.properties.iter_mut().find(|(n, _, _)| *n == name) {
                Some(existing) => *existing = (name, prop, prop_pointer),
                None => out.properties.push((name, prop, prop_pointer)),
            }
        }
        out.required.extend(required.iter().map(String::as_str));
        if additional.is_some() {
            out.additional = additional.map(|a| (a, pointer.to_string()));
        }
        Ok(())
    }

    fn collect_part(
        &mut self,
        part: &'a ReferenceOr<Schema>,
        pointer: &str,
        out: &mut Collected<'a>,
        seen: &mut BTreeSet<String>,
    ) -> Result<(), Error> {
        match part {
            ReferenceOr::Item(s) => self.collect(s, pointer, out, seen),
            ReferenceOr::Reference { reference } => {
                let spec: &'a OpenAPI = self.spec;
                let mut reference = reference.clone();
                // Follow a chain of references to the schema at its end.
                loop {
                    if !seen.insert(reference.clone()) {
                        return Ok(());
                    }
                    let name = reference
                        .strip_prefix(SCHEMAS)
                        .unwrap_or(&reference)
                        .to_string();
                    match spec.components.as_ref().and_then(|c| c.schemas.get(&name)) {
                        Some(ReferenceOr::Item(s)) => {
                            return self.collect(
                                s,
                                &join_pointer("/components/schemas", &name),
                                out,
                                seen,
                            )
                        }
                        Some(ReferenceOr::Reference { reference: next }) => {
                            reference = next.clone()
                        }
                        None => {
                            self.resolve(&reference, pointer)?;
                            return Ok(());
                        }
                    }
                }
            }
        }
    }

    fn scalar_or_container(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => string_type(&s.format),
            SchemaKind::Type(Type::Integer(i)) => integer_type(&i.format),
            SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => self.list_of(a.items.as_ref(), hint, pointer)?,
            SchemaKind::Type(Type::Object(o)) => match &o.additional_properties {
                Some(AdditionalProperties::Schema(s)) => TypeRef::Map(Box::new(self.type_of(
                    s.as_ref(),
                    &format!("{hint}Value"),
                    &format!("{pointer}/additionalProperties"),
                )?)),
                _ => TypeRef::Any,
            },
            SchemaKind::Any(a) => self.any_schema(a, hint, pointer)?,
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                self.warn(
                    pointer,
                    "oneOf/anyOf without a discriminator is not modelled; using serde_json::Value"
                        .into(),
                );
                TypeRef::Any
            }
            SchemaKind::Not { .. } => {
                self.warn(
                    pointer,
                    "`not` is not modelled; using serde_json::Value".into(),
                );
                TypeRef::Any
            }
            SchemaKind::AllOf { .. } => TypeRef::Any,
        })
    }

    /// An array of `items` (named `{hint}Item`), or of any JSON value where `items` is absent.
    fn list_of(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let item = match items {
            Some(items) => {
                self.type_of(items, &format!("{hint}Item"), &format!("{pointer}/items"))?
            }
            None => TypeRef::Any,
        };
        Ok(TypeRef::List(Box::new(item)))
    }

    /// Schemas that mix keywords of several types, or have none.
    fn any_schema(
        &mut self,
        a: &'a AnySchema,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match a.typ.as_deref() {
            None => TypeRef::Any,
            Some("string") => string_type(&a.format.clone().into()),
            Some("integer") => integer_type(&a.format.clone().into()),
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => self.list_of(a.items.as_ref(), hint, pointer)?,
            Some("object") => TypeRef::Any,
            Some(other) => {
                self.warn(
                    pointer,
                    format!("type {other:?} is not a JSON Schema type; using serde_json::Value"),
                );
                TypeRef::Any
            }
        })
    }

    /// Marks the model whose fields a `select` asks for by default.
    pub(super) fn mark_select_all(&mut self, id: TypeId) -> bool {
        match &mut self.types[id.0].kind {
            TypeKind::Struct(s) => {
                s.select_all = true;
                true
            }
            _ => false,
        }
    }

    /// The struct behind a type, following aliases.
    pub(super) fn struct_id(&self, ty: &TypeRef) -> Option<TypeId> {
        let mut ty = ty;
        // Bounded: a chain of aliases longer than the arena is a cycle.
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Struct(_) => return Some(*id),
                    TypeKind::Alias(inner) => ty = inner,
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// A type alias cannot refer to itself (`type A = Vec<A>`, or `A = B`
    /// and `B = A`); such an alias becomes `serde_json::Value`, with a warning.
    fn break_alias_cycles(&mut self) {
        for start in 0..self.types.len() {
            let TypeKind::Alias(target) = &self.types[start].kind else {
                continue;
            };
            let mut stack = Vec::new();
            named_in(target, &mut stack);
            let mut seen = BTreeSet::new();
            let mut cyclic = false;
            while let Some(id) = stack.pop() {
                if id.0 == start {
                    cyclic = true;
                    break;
                }
                if !seen.insert(id) {
                    continue;
                }
                if let TypeKind::Alias(next) = &self.types[id.0].kind {
                    named_in(next, &mut stack);
                }
            }
            if cyclic {
                let pointer = join_pointer("/components/schemas", &self.types[start].wire_name);
                let message = format!(
                    "{} refers to itself only through aliases; using serde_json::Value",
                    self.types[start].wire_name
                );
                self.warn(&pointer, message);
                self.types[start].kind = TypeKind::Alias(TypeRef::Any);
            }
        }
    }

    /// Records a warning found while building operations.
    pub(super) fn push_warning(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }

    /// Finishes the arena: usage, boxing for cycles, and `Default`.
    pub(super) fn finish(mut self, operations: &[Operation]) -> (Vec<TypeDef>, Vec<Warning>) {
        self.break_alias_cycles();
        let mut request_roots = Vec::new();
        let mut response_roots = Vec::new();
        for op in operations {
            for p in &op.params {
                request_roots.push(p.ty.clone());
            }
            match &op.body {
                Some(crate::ir::Body::Json(t)) => request_roots.push(t.clone()),
                Some(crate::ir::Body::Multipart(fields) | crate::ir::Body::Form(fields)) => {
                    request_roots.extend(fields.iter().map(|f| f.ty.clone()))
                }
                _ => {}
            }
            for r in &op.responses {
                if let crate::ir::ResponseBody::Json(t) = &r.body {
                    response_roots.push(t.clone());
                }
            }
            response_roots.push(op.error.clone());
        }
        for id in reachable(&self.types, &request_roots) {
            self.types[id.0].in_request = true;
        }
        for id in reachable(&self.types, &response_roots) {
            self.types[id.0].in_response = true;
        }
        settle_clearable(&mut self.types);
        box_cycles(&mut self.types);
        mark_defaultable(&mut self.types);
        (self.types, self.warnings)
    }
}

#[derive(Default)]
struct Collected<'a> {
    properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>, String)>,
    required: BTreeSet<&'a str>,
    additional: Option<(&'a AdditionalProperties, String)>,
}

/// A link to another resource (PowerStore marks them `x-ref`), which a
/// `select` must name with its own field list, so it is not selected by default.
fn is_relation(prop: &ReferenceOr<Box<Schema>>) -> bool {
    let ReferenceOr::Item(schema) = prop else {
        return false;
    };
    let marked = |s: &Schema| s.schema_data.extensions.contains_key("x-ref");
    marked(schema)
        || match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => {
                matches!(&a.items, Some(ReferenceOr::Item(items)) if marked(items))
            }
            _ => false,
        }
}

/// `allOf: [$ref]` with nothing else of substance: the reference plus docs.
fn single_ref_wrapper(schema: &Schema) -> Option<&ReferenceOr<Schema>> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => Some(&all_of[0]),
        _ => None,
    }
}

fn string_enum(schema: &Schema) -> Option<Vec<String>> {
    let values: Vec<String> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().cloned().collect(),
        SchemaKind::Any(a) if a.typ.as_deref().is_none_or(|t| t == "string") => a
            .enumeration
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => return None,
    };
    (!values.is_empty()).then_some(values)
}

fn is_struct(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::AllOf { all_of } => all_of.len() > 1,
        SchemaKind::Any(a) => !a.properties.is_empty() || !a.all_of.is_empty(),
        _ => false,
    }
}

fn needs_named_type(schema: &Schema) -> bool {
    string_enum(schema).is_some() || is_struct(schema) || {
        matches!(
            &schema.schema_kind,
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }
        ) && schema.schema_data.discriminator.is_some()
    }
}

fn enum_of(values: &[String]) -> Enum {
    let mut names = Namespace::default();
    let mut variants = Vec::new();
    for value in values {
        if variants.iter().any(|v: &Variant| v.wire_name == *value) {
            continue;
        }
        variants.push(Variant {
            name: names.claim(&camel(value)),
            wire_name: value.clone(),
        });
    }
    let unknown_variant = if names.contains("Unknown") {
        names.claim("UnknownValue")
    } else {
        "Unknown".to_string()
    };
    Enum {
        variants,
        unknown_variant,
    }
}

/// Documentation from a schema: its description plus what the vendor
/// extensions add (units, the version a field appeared in, deprecation).
pub(super) fn docs(data: &SchemaData, summary: Option<&str>) -> Docs {
    let mut parts: Vec<String> = Vec::new();
    for text in [summary, data.title.as_deref(), data.description.as_deref()]
        .into_iter()
        .flatten()
    {
        let text = text.trim();
        if !text.is_empty() && !parts.iter().any(|p| p == text) {
            parts.push(text.to_string());
        }
    }
    if let Some(units) = data.extensions.get("x-units").and_then(|v| v.as_str()) {
        parts.push(format!("Unit: {units}."));
    }
    if let Some(added) = data.extensions.get("x-added").and_then(|v| v.as_str()) {
        if !parts.iter().any(|p| p.contains(added)) {
            parts.push(format!("Added in version {added}."));
        }
    }
    let deprecated = match data.extensions.get("x-deprecated") {
        Some(serde_json::Value::String(version)) => {
            Some(format!("deprecated since version {version}"))
        }
        Some(serde_json::Value::Bool(true)) => Some(String::new()),
        _ if data.deprecated => Some(String::new()),
        _ => None,
    };
    Docs {
        text: (!parts.is_empty()).then(|| parts.join("\n\n")),
        deprecated,
    }
}

/// The checks a schema asks for.
pub(super) fn constraints(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.min_length = s.min_length.map(|v| v as u64).filter(|v| *v > 0);
            c.max_length = s.max_length.map(|v| v as u64);
            c.pattern = s.pattern.clone();
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|v| (v as f64, i.exclusive_minimum));
            c.maximum = i.maximum.map(|v| (v as f64, i.exclusive_maximum));
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum.map(|v| (v, n.exclusive_minimum));
            c.maximum = n.maximum.map(|v| (v, n.exclusive_maximum));
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items.map(|v| v as u64).filter(|v| *v > 0);
            c.max_items = a.max_items.map(|v| v as u64);
            // Items given inline (a `$ref`'d item type checks itself).
            if let Some(ReferenceOr::Item(item)) = &a.items {
                c.items = Some(Box::new(constraints(item))).filter(|c| !c.is_empty());
            }
        }
        SchemaKind::Any(a) => {
            c.min_length = a.min_length.map(|v| v as u64).filter(|v| *v > 0);
            c.max_length = a.max_length.map(|v| v as u64);
            c.pattern = a.pattern.clone();
            c.minimum = a.minimum.map(|v| (v, a.exclusive_minimum.unwrap_or(false)));
            c.maximum = a.maximum.map(|v| (v, a.exclusive_maximum.unwrap_or(false)));
        }
        _ => {}
    }
    // Bounds that every value of the Rust type meets are not worth checking.
    if let Some((min, false)) = c.minimum {
        if min <= i64::MIN as f64 {
            c.minimum = None;
        }
    }
    if let Some((max, false)) = c.maximum {
        if max >= i64::MAX as f64 || (max >= i32::MAX as f64 && is_int32(schema)) {
            c.maximum = None;
        }
    }
    c
}

fn is_int32(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::Integer(i)) if matches!(i.format, VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)))
}

/// Every type reachable from `roots`.
fn reachable(types: &[TypeDef], roots: &[TypeRef]) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = Vec::new();
    for root in roots {
        named_in(root, &mut stack);
    }
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for edge in edges(&types[id.0]) {
            named_in(&edge, &mut stack);
        }
    }
    seen
}

fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::List(inner) | TypeRef::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

fn edges(def: &TypeDef) -> Vec<TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| f.ty.clone())
            .chain(s.additional.clone())
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .map(|(_, _, id)| TypeRef::Named(*id))
            .collect(),
        TypeKind::Alias(t) => vec![t.clone()],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// A field whose type leads back to its own struct without passing through a
/// `Vec` or map gets a `Box`. Union variants are always boxed when emitted.
fn box_cycles(types: &mut [TypeDef]) {
    let direct = |def: &TypeDef| -> Vec<TypeId> {
        match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| direct_target(&f.ty))
                .collect(),
            TypeKind::Alias(t) => direct_target(t).into_iter().collect(),
            _ => Vec::new(),
        }
    };
    let graph: Vec<Vec<TypeId>> = types.iter().map(direct).collect();
    let components = strongly_connected(&graph);
    for (index, def) in types.iter_mut().enumerate() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                if let Some(target) = direct_target(&field.ty) {
                    field.boxed = components[target.0] == components[index];
                }
            }
        }
    }
}

fn direct_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

/// Tarjan's algorithm, iteratively; returns a component number per node.
fn strongly_connected(graph: &[Vec<TypeId>]) -> Vec<usize> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = graph[node].get(edge).map(|t| t.0) {
                work.push((node, edge + 1));
                if index[target] == usize::MAX {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    component
}

/// Request structs derive `Default` when every required field's type has one,
/// so callers can write `..Default::default()`.
/// Optional nullable fields get a way to send `null` only in types that just
/// requests carry: in a response, `null` and absent mean the same, and a
/// second `Option` would only be in the reader's way.
fn settle_clearable(types: &mut [TypeDef]) {
    for def in types {
        let request_only = def.in_request && !def.in_response;
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in &mut s.fields {
                f.clearable &= request_only;
            }
        }
    }
}

fn mark_defaultable(types: &mut [TypeDef]) {
    loop {
        let mut changed = false;
        for i in 0..types.len() {
            let ok = match &types[i].kind {
                TypeKind::Struct(s) if !s.defaultable => s
                    .fields
                    .iter()
                    .all(|f| f.optional || has_default(types, &f.ty)),
                _ => false,
            };
            if ok {
                if let TypeKind::Struct(s) = &mut types[i].kind {
                    s.defaultable = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

fn has_default(types: &[TypeDef], ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => match &types[id.0].kind {
            TypeKind::Struct(s) => s.defaultable,
            TypeKind::Alias(t) => has_default(types, t),
            _ => false,
        },
        TypeRef::Secret => false,
        _ => true,
    }
}

/// The type of a `string` with this `format`.
fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => TypeRef::Secret,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
        _ => TypeRef::String,
    }
}

/// The type of an `integer` with this `format`: `int32` and the narrower `int16` and `int8`
/// (not OpenAPI formats, but seen in specs) fit in an `i32`.
fn integer_type(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
        VariantOrUnknownOrEmpty::Unknown(f) if matches!(f.as_str(), "int16" | "int8") => {
            TypeRef::I32
        }
        _ => TypeRef::I64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found() {
        // 0 → 1 → 0 is a cycle; 2 → 0 is not part of it.
        let graph = vec![vec![TypeId(1)], vec![TypeId(0)], vec![TypeId(0)]];
        let c = strongly_connected(&graph);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
    }

    #[test]
    fn enum_variants_are_unique_and_keep_room_for_unknown() {
        let e = enum_of(&["IN_PROGRESS".into(), "In_Progress".into(), "Unknown".into()]);
        let names: Vec<_> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["InProgress", "InProgress2", "Unknown"]);
        assert_eq!(e.unknown_variant, "UnknownValue");
    }
}
