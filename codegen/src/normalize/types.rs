//! Schemas → named types.
//!
//! Types are made on demand, starting from the operations: a schema that no operation
//! reaches costs nothing (unless every component schema is asked for), so memory and
//! output follow what is generated, not the size of the spec. Names of component schemas
//! are claimed before any type is made, so a schema keeps its own name whatever order
//! the operations reach it in; inline objects, enums and unions are named after where
//! they appear (`ImportSessionInstanceRemoteSystem`).
//!
//! Every schema goes through one classification ([`Class`]) that reads Swagger 2.0,
//! OpenAPI 3.0 and JSON Schema 2020-12 (OpenAPI 3.1) alike: `type` lists and `"null"`,
//! `nullable`, `const`, `enum`, `oneOf`/`anyOf` with or without a discriminator,
//! `allOf`, `$ref` with sibling keywords, `prefixItems`. Alternatives become unions with
//! a variant per alternative; `null` among them makes the use site optional. A schema the
//! model has no shape for becomes `serde_json::Value` with a located warning, never an
//! error: the rest of the spec is still generated.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::names::{camel, snake, unraw, Namespace, RESERVED_TYPE_NAMES};
use crate::error::{Warning, WarningKind};
use crate::ir::{
    Constraints, Docs, Enum, Field, Operation, Shape, Struct, TypeDef, TypeId, TypeKind, TypeRef,
    Union, UnionVariant, Variant,
};
use crate::spec::{short, Node, Reference, Spec};

/// Where component schemas live in the upgraded document.
const COMPONENTS: &str = "/components/schemas";

/// Keywords that are read here.
const SHAPE_KEYWORDS: &[&str] = &[
    "$ref",
    "properties",
    "additionalProperties",
    "items",
    "prefixItems",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "const",
    "contentMediaType",
];

/// Keywords of JSON Schema that are understood but not modelled; each is noted once.
const UNMODELLED_KEYWORDS: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "contains",
    "$dynamicRef",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
    "contentSchema",
];

/// How the builder is asked to behave.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct TypeOptions {
    /// Make a type of every component schema, not only the ones operations reach.
    pub all_schemas: bool,
}

/// Builds the type arena for one spec.
pub(super) struct TypeBuilder<'s, 'a> {
    spec: &'s Spec<'a>,
    options: TypeOptions,
    types: Vec<TypeDef>,
    /// Named types by the pointer of their schema.
    by_pointer: HashMap<String, TypeId>,
    /// The Rust names claimed for component schemas, by pointer.
    component_names: HashMap<String, String>,
    names: Namespace,
    /// Discriminator bases (by pointer) → (tag value, child pointer), for the children
    /// that refer to their base through `allOf`.
    children: HashMap<String, Vec<(String, String)>>,
    /// Schemas being converted inline, to stop a schema that contains itself without a
    /// name in between.
    in_progress: HashSet<String>,
    /// Unmodelled keywords seen, with the first place and the count, noted once each.
    unmodelled: Vec<(&'static str, String, usize)>,
}

/// What a schema is, read once.
enum Class<'a> {
    /// A reference (its sibling keywords only document it).
    Ref(Node<'a>),
    /// A `$ref` that could not be followed (already warned).
    Broken,
    /// `const`.
    Const(&'a Value),
    /// A string `enum` (or several string `const`s as alternatives).
    StringEnum(Vec<String>),
    /// Alternatives told apart by a discriminator property.
    Tagged {
        property: String,
        members: Vec<(Vec<String>, Node<'a>)>,
    },
    /// Alternatives told apart by shape.
    Alternatives(Vec<Node<'a>>),
    /// A schema that only wraps another (`allOf: [X]`, `anyOf: [X, null]`).
    Single(Node<'a>),
    /// An object with named properties (its own, or gathered from `allOf`).
    Struct,
    /// An object with arbitrary keys, with the schema of the values.
    Map(Node<'a>),
    /// An array.
    List(Option<Node<'a>>),
    /// A fixed-length array.
    Tuple(Vec<Node<'a>>),
    /// A scalar.
    Scalar(TypeRef),
    /// Several JSON types (`type: [string, integer]`).
    Multi(Vec<&'static str>),
    /// Anything.
    Any,
}

impl Class<'_> {
    /// Whether a value of this class is a named type of its own.
    fn needs_name(&self) -> bool {
        match self {
            Class::StringEnum(_)
            | Class::Tagged { .. }
            | Class::Alternatives(_)
            | Class::Struct
            | Class::Multi(_)
            // A tuple is named so that the types holding it stay readable.
            | Class::Tuple(_) => true,
            Class::Const(value) => value.is_string(),
            _ => false,
        }
    }
}

/// The type of a use site, and whether `null` is allowed there.
pub(super) struct Typed {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl<'s, 'a> TypeBuilder<'s, 'a> {
    pub(super) fn new(spec: &'s Spec<'a>, options: TypeOptions) -> Self {
        let mut builder = TypeBuilder {
            spec,
            options,
            types: Vec::new(),
            by_pointer: HashMap::new(),
            component_names: HashMap::new(),
            names: Namespace::with_reserved(RESERVED_TYPE_NAMES),
            children: HashMap::new(),
            in_progress: HashSet::new(),
            unmodelled: Vec::new(),
        };
        builder.claim_component_names();
        builder.find_discriminator_children();
        builder
    }

    fn components(&self) -> Vec<(&'a str, Node<'a>)> {
        let root = self.spec.root_node();
        match root.get("components").and_then(|c| c.get("schemas")) {
            Some(schemas) => schemas.entries_here(self.spec, "components/schemas"),
            None => Vec::new(),
        }
    }

    /// Claims a Rust name for every component schema, before any type exists.
    fn claim_component_names(&mut self) {
        let components = self.components();
        let wire: Vec<&str> = components.iter().map(|(name, _)| *name).collect();
        for ((_, node), name) in components.iter().zip(component_type_names(&wire)) {
            let name = if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
                // `Result2` would read as a typo; `ResultModel` says what happened.
                format!("{name}Model")
            } else {
                name
            };
            let claimed = self.names.claim(&name);
            self.component_names.insert(node.at.clone(), claimed);
        }
    }

    /// Children of a discriminator base are the schemas whose `allOf` refers to it.
    fn find_discriminator_children(&mut self) {
        let components = self.components();
        for (name, node) in &components {
            for part in node.items(self.spec, "allOf") {
                let Some(reference) = part.value.get("$ref").and_then(Value::as_str) else {
                    continue;
                };
                let Reference::Found(base) = quiet_follow(self.spec, &part) else {
                    continue;
                };
                let Some(discriminator) = base.get("discriminator") else {
                    continue;
                };
                if base.has("oneOf") || base.has("anyOf") {
                    continue;
                }
                let tags = mapped_tags(&discriminator, &node.at, name);
                let _ = reference;
                let entry = self.children.entry(base.at.clone()).or_default();
                for tag in tags {
                    entry.push((tag, node.at.clone()));
                }
            }
        }
    }

    /// Makes a type of every component schema (when asked for all of them).
    pub(super) fn declare_all_components(&mut self) {
        if !self.options.all_schemas {
            return;
        }
        for (_, node) in self.components() {
            self.named_ref(&node);
        }
    }

    /// The type of a schema where it is used (a field, parameter, body, item).
    /// Inline objects, enums and unions become named types called `hint`.
    pub(super) fn use_site(&mut self, node: &Node<'a>, hint: &str) -> Typed {
        let (class, nullable) = self.classify(node);
        if class.needs_name() {
            let id = self.declare(hint, hint, node);
            let name = self.types[id.0].name.clone();
            let kind = self.named_kind(class, node, &name);
            self.types[id.0].kind = kind;
            return Typed {
                ty: TypeRef::Named(id),
                nullable,
            };
        }
        let typed = self.unnamed(class, node, hint);
        Typed {
            ty: typed.ty,
            nullable: nullable || typed.nullable,
        }
    }

    /// [`Self::use_site`] with `null` folded into the type (`Option<T>`).
    pub(super) fn type_of(&mut self, node: &Node<'a>, hint: &str) -> TypeRef {
        let typed = self.use_site(node, hint);
        nullable_type(typed)
    }

    /// The named type of a schema that is the target of a `$ref`.
    fn named_ref(&mut self, target: &Node<'a>) -> TypeRef {
        if let Some(id) = self.by_pointer.get(&target.at) {
            return TypeRef::Named(*id);
        }
        let component = self.component_names.get(&target.at).cloned();
        let (name, wire) = match &component {
            Some(name) => (name.clone(), component_wire_name(&target.at)),
            None => {
                // A reference into the middle of something (`…/properties/size`): named
                // after where it points.
                let (class, _) = self.classify(target);
                if !class.needs_name() {
                    // Scalars and containers need no name, but a schema that refers
                    // to itself this way has no end.
                    if !self.in_progress.insert(target.at.clone()) {
                        self.spec.warn(
                            WarningKind::NotModelled,
                            &target.at,
                            "this schema contains itself with no named type in between; using serde_json::Value",
                        );
                        return TypeRef::Any;
                    }
                    let hint = pointer_name(&target.at);
                    let typed = self.unnamed(class, target, &hint);
                    self.in_progress.remove(&target.at);
                    return nullable_type(typed);
                }
                let name = pointer_name(&target.at);
                (name.clone(), name)
            }
        };
        let id = self.declare_claimed(component.is_some(), &name, &wire, target);
        self.by_pointer.insert(target.at.clone(), id);
        let type_name = self.types[id.0].name.clone();
        let kind = match self.children.get(&target.at).cloned() {
            Some(children) => TypeKind::Union(self.children_union(target, &children)),
            None => {
                let (class, nullable) = self.classify(target);
                if class.needs_name() {
                    self.named_kind(class, target, &type_name)
                } else {
                    let typed = self.unnamed(class, target, &type_name);
                    TypeKind::Alias(nullable_type(Typed {
                        ty: typed.ty,
                        nullable: nullable || typed.nullable,
                    }))
                }
            }
        };
        self.types[id.0].kind = kind;
        TypeRef::Named(id)
    }

    fn declare(&mut self, name: &str, wire_name: &str, node: &Node<'a>) -> TypeId {
        self.declare_claimed(false, name, wire_name, node)
    }

    /// Adds a named type; `claimed` names were claimed already (component schemas).
    fn declare_claimed(
        &mut self,
        claimed: bool,
        name: &str,
        wire_name: &str,
        node: &Node<'a>,
    ) -> TypeId {
        let id = TypeId(self.types.len());
        let name = if claimed {
            name.to_string()
        } else if RESERVED_TYPE_NAMES.contains(&name) {
            self.names.claim(&format!("{name}Model"))
        } else {
            self.names.claim(name)
        };
        let docs = docs(self.spec, node, None, None);
        self.types.push(TypeDef {
            name,
            wire_name: wire_name.to_string(),
            docs,
            kind: TypeKind::Alias(TypeRef::Any),
            in_request: false,
            in_response: false,
            validates: false,
            features: Vec::new(),
        });
        id
    }

    /// Reads what a schema is, and whether it allows `null`.
    fn classify(&mut self, node: &Node<'a>) -> (Class<'a>, bool) {
        let spec = self.spec;
        let Some(map) = node.map() else {
            return match node.value {
                // `true` is the schema that allows anything; `false` allows nothing.
                Value::Bool(_) => (Class::Any, false),
                other => {
                    spec.warn(
                        WarningKind::InvalidKeyword,
                        &node.at,
                        format!(
                            "a schema must be an object, found {}; using serde_json::Value",
                            short(other)
                        ),
                    );
                    (Class::Any, false)
                }
            };
        };
        self.note_unmodelled(node);
        let (types, mut nullable) = self.types_of(node);
        // `x-nullable` is left here by the upgrade only when it is not a boolean: read it for
        // its warning (a `"true"` string still counts).
        if node.bool(spec, "nullable") == Some(true) || node.bool(spec, "x-nullable") == Some(true)
        {
            nullable = true;
        }

        if map.contains_key("$ref") {
            let composed = ["properties", "allOf"].iter().any(|k| map.contains_key(*k));
            if composed {
                return (Class::Struct, nullable);
            }
            return match spec.follow(node) {
                Reference::Found(target) => {
                    let target_nullable = is_null_schema(&target);
                    (Class::Ref(target), nullable || target_nullable)
                }
                _ => (Class::Broken, nullable),
            };
        }
        if let Some(value) = map.get("const") {
            if value.is_null() {
                return (Class::Any, true);
            }
            return (Class::Const(value), nullable);
        }
        if let Some(values) = node.get("enum") {
            match values.value {
                Value::Array(items) => {
                    if items.iter().any(Value::is_null) {
                        nullable = true;
                    }
                    let strings: Vec<String> = items
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect();
                    let others = items
                        .iter()
                        .filter(|v| !v.is_null() && !v.is_string())
                        .count();
                    if !strings.is_empty() && others == 0 {
                        return (Class::StringEnum(strings), nullable);
                    }
                }
                other => spec.warn(
                    WarningKind::InvalidKeyword,
                    &values.at,
                    format!("`enum` must be an array, found {}; ignored", short(other)),
                ),
            }
        }

        let mut members = node.items(spec, "oneOf");
        members.extend(node.items(spec, "anyOf"));
        if !members.is_empty() {
            let before = members.len();
            members.retain(|m| !is_null_schema_followed(spec, m));
            if members.len() < before {
                nullable = true;
            }
            members.retain(|m| has_shape(m));
            if let Some(discriminator) = node.get("discriminator") {
                if !members.is_empty() {
                    if let Some(property) = discriminator.str(spec, "propertyName") {
                        let members = members
                            .into_iter()
                            .enumerate()
                            .map(|(i, m)| {
                                let tags = member_tags(&discriminator, &m, property, i);
                                (tags, m)
                            })
                            .collect();
                        return (
                            Class::Tagged {
                                property: property.to_string(),
                                members,
                            },
                            nullable,
                        );
                    }
                }
            }
            if map.contains_key("properties") {
                if !members.is_empty() {
                    spec.warn(
                        WarningKind::NotModelled,
                        &node.at,
                        "`oneOf`/`anyOf` beside `properties` is not modelled; only the properties are typed",
                    );
                }
                return (Class::Struct, nullable);
            }
            match members.len() {
                0 => {}
                1 => return (Class::Single(members.remove(0)), nullable),
                _ => {
                    if let Some(values) = string_values(&members) {
                        return (Class::StringEnum(values), nullable);
                    }
                    return (Class::Alternatives(members), nullable);
                }
            }
        }

        let parts = node.items(spec, "allOf");
        if !parts.is_empty() {
            let shaped: Vec<Node<'a>> = parts.into_iter().filter(has_shape).collect();
            let own_properties = map.contains_key("properties");
            if shaped.len() == 1 && !own_properties {
                let part = shaped.into_iter().next().unwrap_or_else(|| node.clone());
                return (
                    Class::Single(part),
                    nullable || is_null_schema_followed(spec, node),
                );
            }
            if own_properties || shaped.iter().any(|p| is_objectish(spec, p)) {
                return (Class::Struct, nullable);
            }
            if let Some(part) = shaped.into_iter().next() {
                return (Class::Single(part), nullable);
            }
        }

        if let Some(props) = node.get("properties") {
            if !props.value.is_object() && !props.value.is_null() {
                spec.warn(
                    WarningKind::InvalidKeyword,
                    &props.at,
                    format!(
                        "`properties` must be an object, found {}; ignored",
                        short(props.value)
                    ),
                );
            }
        }
        if types.len() > 1 {
            return (Class::Multi(types), nullable);
        }
        let ty = types.first().copied().or_else(|| infer_type(map));
        let class = match ty {
            Some("object") => {
                if has_properties(node) {
                    Class::Struct
                } else {
                    match node.get("additionalProperties") {
                        Some(values) if values.value.is_object() => Class::Map(values),
                        _ => Class::Any,
                    }
                }
            }
            Some("array") => {
                let prefix = node.items(spec, "prefixItems");
                if !prefix.is_empty() {
                    let closed = map.get("items") == Some(&Value::Bool(false))
                        || node.count(spec, "maxItems") == Some(prefix.len() as u64);
                    if closed {
                        Class::Tuple(prefix)
                    } else {
                        Class::List(None)
                    }
                } else if let Some(Value::Array(_)) = map.get("items") {
                    // `items: [A, B]` is the JSON Schema draft 4 tuple (Swagger 2.0 specs
                    // written by hand use it).
                    let items = node.items(spec, "items");
                    if items.is_empty() {
                        Class::List(None)
                    } else {
                        Class::Tuple(items)
                    }
                } else {
                    Class::List(node.get("items").filter(|i| !i.value.is_boolean()))
                }
            }
            Some("string") => Class::Scalar(string_type(node)),
            Some("integer") => Class::Scalar(integer_type(node)),
            Some("number") => Class::Scalar(TypeRef::F64),
            Some("boolean") => Class::Scalar(TypeRef::Bool),
            Some("null") => {
                nullable = true;
                Class::Any
            }
            _ => Class::Any,
        };
        (class, nullable)
    }

    /// The JSON types a schema's `type` names (without `"null"`), and whether it names
    /// `"null"`. Names that are not JSON Schema types are warned about and read as the
    /// type they plainly mean (`bool`, `int`), or as nothing.
    fn types_of(&self, node: &Node<'a>) -> (Vec<&'static str>, bool) {
        let spec = self.spec;
        let Some(t) = node.get("type") else {
            return (Vec::new(), false);
        };
        let names: Vec<(&str, String)> = match t.value {
            Value::String(s) => vec![(s.as_str(), t.at.clone())],
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v {
                    Value::String(s) => Some((s.as_str(), format!("{}/{i}", t.at))),
                    other => {
                        spec.warn(
                            WarningKind::InvalidType,
                            &format!("{}/{i}", t.at),
                            format!("a `type` must be a string, found {}; ignored", short(other)),
                        );
                        None
                    }
                })
                .collect(),
            other => {
                spec.warn(
                    WarningKind::InvalidType,
                    &t.at,
                    format!(
                        "`type` must be a string such as \"object\" or \"string\", found {}; using serde_json::Value",
                        short(other)
                    ),
                );
                return (Vec::new(), false);
            }
        };
        let mut out = Vec::new();
        let mut nullable = false;
        for (name, at) in names {
            let known = match name {
                "string" => Some("string"),
                "integer" => Some("integer"),
                "number" => Some("number"),
                "boolean" => Some("boolean"),
                "array" => Some("array"),
                "object" => Some("object"),
                "null" => {
                    nullable = true;
                    continue;
                }
                _ => None,
            };
            let ty = match known {
                Some(ty) => ty,
                None => {
                    let meant = match name.to_ascii_lowercase().as_str() {
                        "bool" => Some("boolean"),
                        "int" | "int32" | "int64" | "long" => Some("integer"),
                        "float" | "double" | "decimal" => Some("number"),
                        "str" | "text" | "date" | "datetime" | "date-time" => Some("string"),
                        "dict" | "map" => Some("object"),
                        "list" => Some("array"),
                        _ => None,
                    };
                    match meant {
                        Some(meant) => {
                            spec.warn(
                                WarningKind::InvalidType,
                                &at,
                                format!(
                                    "type {name:?} is not a JSON Schema type; read as {meant:?}"
                                ),
                            );
                            meant
                        }
                        None => {
                            spec.warn(
                                WarningKind::InvalidType,
                                &at,
                                format!("type {name:?} is not a JSON Schema type; using serde_json::Value"),
                            );
                            continue;
                        }
                    }
                }
            };
            if !out.contains(&ty) {
                out.push(ty);
            }
        }
        // `integer` is a kind of `number`: together they are just a number.
        if out.contains(&"integer") && out.contains(&"number") {
            out.retain(|t| *t != "integer");
        }
        (out, nullable)
    }

    /// The type of a class that needs no name of its own.
    fn unnamed(&mut self, class: Class<'a>, node: &Node<'a>, hint: &str) -> Typed {
        let ty = match class {
            Class::Ref(target) => self.named_ref(&target),
            Class::Broken | Class::Any => TypeRef::Any,
            Class::Const(value) => match value {
                Value::Bool(_) => TypeRef::Bool,
                Value::Number(n) if n.is_i64() || n.is_u64() => TypeRef::I64,
                Value::Number(_) => TypeRef::F64,
                _ => TypeRef::Any,
            },
            Class::Single(inner) => return self.use_site(&inner, hint),
            Class::Map(values) => {
                let value = self.use_site(&values, &format!("{hint}Value"));
                TypeRef::Map(Box::new(nullable_type(value)))
            }
            Class::List(items) => {
                let item = match items {
                    Some(items) => {
                        let item = self.use_site(&items, &format!("{hint}Item"));
                        nullable_type(item)
                    }
                    None => TypeRef::Any,
                };
                TypeRef::List(Box::new(item))
            }
            Class::Scalar(ty) => ty,
            // Named classes do not get here; a named type is made for them.
            Class::StringEnum(_)
            | Class::Tagged { .. }
            | Class::Alternatives(_)
            | Class::Struct
            | Class::Multi(_)
            | Class::Tuple(_) => {
                let id = self.declare(hint, hint, node);
                let name = self.types[id.0].name.clone();
                let kind = self.named_kind(class, node, &name);
                self.types[id.0].kind = kind;
                TypeRef::Named(id)
            }
        };
        Typed {
            ty,
            nullable: false,
        }
    }

    /// The kind of a named type of a class that needs a name.
    fn named_kind(&mut self, class: Class<'a>, node: &Node<'a>, name: &str) -> TypeKind {
        match class {
            Class::StringEnum(values) => TypeKind::Enum(enum_of(&values, None)),
            Class::Const(value) => {
                let value = value.as_str().unwrap_or_default().to_string();
                TypeKind::Enum(enum_of(&[value], Some(0)))
            }
            Class::Tagged { property, members } => {
                TypeKind::Union(self.tagged_union(name, property, members))
            }
            Class::Alternatives(members) => TypeKind::Union(self.alternatives(name, &members)),
            Class::Multi(types) => TypeKind::Union(self.multi_union(node, &types)),
            Class::Struct => TypeKind::Struct(self.struct_of(node, name)),
            Class::Tuple(items) => TypeKind::Alias(TypeRef::Tuple(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.type_of(item, &format!("{name}Item{i}")))
                    .collect(),
            )),
            other => TypeKind::Alias(nullable_type(self.unnamed(other, node, name))),
        }
    }

    fn tagged_union(
        &mut self,
        name: &str,
        property: String,
        members: Vec<(Vec<String>, Node<'a>)>,
    ) -> Union {
        let mut names = Namespace::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for (tags, member) in members {
            let first = tags.first().cloned().unwrap_or_default();
            let variant = names.claim(&variant_name_of(&first, "Variant"));
            let hint = format!("{}{}", unraw(name), unraw(&variant));
            let ty = self.type_of(&member, &hint);
            variants.push(UnionVariant {
                name: variant,
                tags,
                ty,
                boxed: false,
                shape: Shape::Any,
                constraints: Constraints::default(),
            });
        }
        Union {
            tag: Some(property),
            variants,
        }
    }

    /// A union over the children that refer to a discriminator base through `allOf`.
    fn children_union(&mut self, base: &Node<'a>, children: &[(String, String)]) -> Union {
        let property = base
            .get("discriminator")
            .and_then(|d| d.str(self.spec, "propertyName").map(str::to_string))
            .unwrap_or_default();
        let mut names = Namespace::with_reserved(&["Other"]);
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (tag, child) in children {
            if let Some(existing) = variants.iter_mut().find(
                |v| matches!(&v.ty, TypeRef::Named(id) if self.by_pointer.get(child) == Some(id)),
            ) {
                existing.tags.push(tag.clone());
                continue;
            }
            let Some(node) = self.spec.root.pointer(child).map(|value| Node {
                value,
                at: child.clone(),
            }) else {
                continue;
            };
            let ty = self.named_ref(&node);
            variants.push(UnionVariant {
                name: names.claim(&variant_name_of(tag, "Variant")),
                tags: vec![tag.clone()],
                ty,
                boxed: false,
                shape: Shape::Any,
                constraints: Constraints::default(),
            });
        }
        Union {
            tag: Some(property),
            variants,
        }
    }

    /// A union of alternatives told apart by shape, with variant names from the `$ref`
    /// target, the `title`, or the type.
    fn alternatives(&mut self, name: &str, members: &[Node<'a>]) -> Union {
        let mut names = Namespace::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for member in members {
            let wanted = self.variant_name(member);
            let variant = names.claim(&wanted);
            let hint = format!("{}{}", unraw(name), unraw(&variant));
            let ty = self.type_of(member, &hint);
            variants.push(UnionVariant {
                name: variant,
                tags: Vec::new(),
                ty,
                boxed: false,
                shape: Shape::Any,
                constraints: constraints(self.spec, member),
            });
        }
        Union {
            tag: None,
            variants,
        }
    }

    /// `type: [string, integer]`: one variant per type.
    fn multi_union(&mut self, node: &Node<'a>, types: &[&'static str]) -> Union {
        let mut variants = Vec::new();
        for t in types {
            let ty = match *t {
                "string" => string_type(node),
                "integer" => integer_type(node),
                "number" => TypeRef::F64,
                "boolean" => TypeRef::Bool,
                "array" => {
                    let items = node.get("items").filter(|i| i.value.is_object());
                    match items {
                        Some(items) => TypeRef::List(Box::new(self.type_of(&items, "Item"))),
                        None => TypeRef::List(Box::new(TypeRef::Any)),
                    }
                }
                _ => match node.get("additionalProperties") {
                    Some(values) if values.value.is_object() => {
                        TypeRef::Map(Box::new(self.type_of(&values, "Value")))
                    }
                    _ => TypeRef::Map(Box::new(TypeRef::Any)),
                },
            };
            variants.push(UnionVariant {
                name: type_variant_name(&ty).to_string(),
                tags: Vec::new(),
                ty,
                boxed: false,
                shape: Shape::Any,
                constraints: constraints(self.spec, node),
            });
        }
        Union {
            tag: None,
            variants,
        }
    }

    /// The variant name for an alternative: the name of the type a `$ref` names, the
    /// `title`, or what the alternative is.
    fn variant_name(&mut self, member: &Node<'a>) -> String {
        if member.has("$ref") {
            if let Reference::Found(target) = quiet_follow(self.spec, member) {
                if let Some(name) = self.component_names.get(&target.at) {
                    return name.clone();
                }
                return pointer_name(&target.at);
            }
        }
        if let Some(title) = member.value.get("title").and_then(Value::as_str) {
            let name = camel(title);
            if !name.is_empty() && name != "Type" {
                return name;
            }
        }
        match rough_class(member) {
            Some(ClassName::Named(n)) => n.to_string(),
            Some(ClassName::Scalar(ty)) => type_variant_name(&ty).to_string(),
            None => "Value".to_string(),
        }
    }

    fn struct_of(&mut self, node: &Node<'a>, name: &str) -> Struct {
        let mut collected = Collected::default();
        self.collect(node, &mut collected, &mut BTreeSet::new());
        let mut field_names = Namespace::default();
        let mut fields = Vec::new();
        for (wire, prop) in &collected.properties {
            let field_name = field_names.claim(&snake(wire));
            let hint = format!("{}{}", unraw(name), unraw(&camel(wire)));
            let typed = self.use_site(prop, &hint);
            let read_only = prop.value.get("readOnly") == Some(&Value::Bool(true));
            let write_only = prop.value.get("writeOnly") == Some(&Value::Bool(true));
            // A field the server fills (`readOnly`) cannot be required of a request, nor
            // one it never returns (`writeOnly`) of a response.
            let required = collected.required.contains(wire.as_str()) && !read_only && !write_only;
            let nullable = typed.nullable;
            fields.push(Field {
                name: field_name,
                wire_name: wire.clone(),
                ty: typed.ty,
                optional: !required || nullable,
                nullable: required && nullable,
                // Settled once it is known which types only requests carry.
                clearable: !required && nullable,
                boxed: false,
                relation: is_relation(prop),
                constraints: constraints(self.spec, prop),
                docs: docs(self.spec, prop, None, Some(wire)),
            });
        }
        let additional = match &collected.additional {
            Some(extra) if extra.value == &Value::Bool(true) => Some(TypeRef::Any),
            Some(extra) if extra.value.is_object() => {
                let hint = format!("{}Value", unraw(name));
                Some(self.type_of(extra, &hint))
            }
            _ => None,
        };
        Struct {
            fields,
            additional,
            select_all: false,
            defaultable: false,
        }
    }

    /// The fields of a form body (`multipart/form-data`, `x-www-form-urlencoded`):
    /// (wire name, type, required, docs).
    pub(super) fn form_fields(
        &mut self,
        schema: &Node<'a>,
        hint: &str,
    ) -> Vec<(String, TypeRef, bool, Docs)> {
        let mut collected = Collected::default();
        self.collect(schema, &mut collected, &mut BTreeSet::new());
        collected
            .properties
            .iter()
            .map(|(wire, prop)| {
                let ty = self.type_of(prop, &format!("{hint}{}", unraw(&camel(wire))));
                let required = collected.required.contains(wire.as_str());
                (
                    wire.clone(),
                    ty,
                    required,
                    docs(self.spec, prop, None, Some(wire)),
                )
            })
            .collect()
    }

    /// Gathers properties and required names from a schema, its `allOf` parts and a
    /// `$ref` beside its own properties.
    fn collect(&mut self, node: &Node<'a>, out: &mut Collected<'a>, seen: &mut BTreeSet<String>) {
        if !seen.insert(node.at.clone()) {
            return;
        }
        let spec = self.spec;
        let mut parts = Vec::new();
        if node.has("$ref") {
            parts.push(node.clone());
        }
        parts.extend(node.items(spec, "allOf"));
        for part in parts {
            if part.has("$ref") {
                if let Reference::Found(target) = spec.follow(&part) {
                    self.collect(&target, out, seen);
                }
                // A part that is a `$ref` with properties of its own (3.1).
                if part.at != node.at {
                    self.collect_own(&part, out);
                }
            } else {
                self.collect(&part, out, seen);
            }
        }
        self.collect_own(node, out);
    }

    fn collect_own(&mut self, node: &Node<'a>, out: &mut Collected<'a>) {
        let spec = self.spec;
        for (name, prop) in node.entries(spec, "properties") {
            match out.properties.iter_mut().find(|(n, _)| n == name) {
                Some(existing) => existing.1 = prop,
                None => out.properties.push((name.to_string(), prop)),
            }
        }
        out.required.extend(
            node.strings(spec, "required")
                .into_iter()
                .map(str::to_string),
        );
        if let Some(extra) = node.get("additionalProperties") {
            if extra.value != &Value::Bool(false) {
                out.additional = Some(extra);
            }
        }
    }

    /// Notes each unmodelled keyword once (with how often it was seen), to say what
    /// was skipped without a warning per schema.
    fn note_unmodelled(&mut self, node: &Node<'a>) {
        let Some(map) = node.map() else { return };
        for key in map.keys() {
            if let Some(keyword) = UNMODELLED_KEYWORDS.iter().find(|k| *k == key) {
                match self.unmodelled.iter_mut().find(|(k, _, _)| k == keyword) {
                    Some(entry) => entry.2 += 1,
                    None => self.unmodelled.push((keyword, node.child_at(key), 1)),
                }
            }
        }
    }

    /// The item type of the list at a JSON pointer into values of `ty` (a struct's fields
    /// by wire name, through aliases and `null`), as a next-link page names its items.
    pub(super) fn list_item_at(&self, ty: &TypeRef, pointer: &str) -> Option<TypeRef> {
        let mut current = ty.clone();
        for token in pointer.split('/').skip(1) {
            let key = token.replace("~1", "/").replace("~0", "~");
            let id = self.struct_id(&current)?;
            let TypeKind::Struct(s) = &self.types[id.0].kind else {
                return None;
            };
            current = s.fields.iter().find(|f| f.wire_name == key)?.ty.clone();
        }
        loop {
            current = match current {
                TypeRef::List(item) => return Some(*item),
                TypeRef::Nullable(inner) => *inner,
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(inner) => inner.clone(),
                    _ => return None,
                },
                _ => return None,
            };
        }
    }

    /// Whether the type is text (a string, or an alias of one).
    pub(super) fn is_text(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::String => return true,
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(inner) => ty = inner,
                    _ => return false,
                },
                _ => return false,
            }
        }
        false
    }

    /// Whether values of the type are JSON objects (structs, maps, free-form values):
    /// parameters of such types are sent as pairs rather than as text.
    pub(super) fn is_object(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Map(_) => true,
            TypeRef::Named(_) => self.struct_id(ty).is_some(),
            _ => false,
        }
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
                TypeRef::Nullable(inner) => ty = inner,
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
            target.named(&mut stack);
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
                    next.named(&mut stack);
                }
            }
            if cyclic {
                let def = &self.types[start];
                let pointer = self
                    .by_pointer
                    .iter()
                    .find(|(_, id)| id.0 == start)
                    .map(|(p, _)| p.clone())
                    .unwrap_or_default();
                let message = format!(
                    "{} refers to itself only through aliases; using serde_json::Value",
                    def.wire_name
                );
                self.spec.warn(WarningKind::NotModelled, &pointer, message);
                self.types[start].kind = TypeKind::Alias(TypeRef::Any);
            }
        }
    }

    /// Finishes the arena: usage, boxing for cycles, `Default`, union shapes, and the
    /// order of the types (by name). Returns the arena and the map from old ids to new
    /// ones, which the caller applies to the operations.
    pub(super) fn finish(mut self, operations: &mut [Operation]) -> Vec<TypeDef> {
        self.break_alias_cycles();
        for (keyword, at, count) in std::mem::take(&mut self.unmodelled) {
            let times = if count == 1 {
                String::new()
            } else {
                format!(" ({count} schemas; this is the first)")
            };
            self.spec.push(Warning::new(
                WarningKind::Skipped,
                self.spec.location(&at),
                format!("the keyword `{keyword}` is not modelled; the schema is typed without it{times}"),
            ));
        }
        let mut request_roots = Vec::new();
        let mut response_roots = Vec::new();
        for op in operations.iter() {
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
        if self.options.all_schemas {
            // Component schemas no operation uses are still usable both ways.
            for id in self.by_pointer.values() {
                request_roots.push(TypeRef::Named(*id));
                response_roots.push(TypeRef::Named(*id));
            }
        }
        for id in reachable(&self.types, &request_roots) {
            self.types[id.0].in_request = true;
        }
        for id in reachable(&self.types, &response_roots) {
            self.types[id.0].in_response = true;
        }
        settle_clearable(&mut self.types);
        box_cycles(&mut self.types);
        box_union_variants(&mut self.types);
        mark_defaultable(&mut self.types);
        mark_validates(&mut self.types);
        set_union_shapes(&mut self.types);
        sort_by_name(self.types, operations)
    }
}

/// A rough class, for naming alternatives.
enum ClassName {
    Named(&'static str),
    Scalar(TypeRef),
}

/// What an alternative roughly is, for its variant name, without warnings or new types.
fn rough_class(member: &Node<'_>) -> Option<ClassName> {
    let map = member.map()?;
    if map.contains_key("const") || map.contains_key("enum") {
        return Some(ClassName::Named("Enum"));
    }
    let ty = match map.get("type") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => infer_type(map),
    };
    Some(match ty? {
        "string" => ClassName::Scalar(string_type(member)),
        "integer" => ClassName::Scalar(TypeRef::I64),
        "number" => ClassName::Scalar(TypeRef::F64),
        "boolean" => ClassName::Scalar(TypeRef::Bool),
        "array" => ClassName::Named("List"),
        "object" if has_properties(member) => ClassName::Named("Object"),
        "object" => ClassName::Named("Map"),
        _ => return None,
    })
}

#[derive(Default)]
struct Collected<'a> {
    properties: Vec<(String, Node<'a>)>,
    required: BTreeSet<String>,
    additional: Option<Node<'a>>,
}

/// `T`, or `Option<T>` when `null` is allowed.
fn nullable_type(typed: Typed) -> TypeRef {
    if typed.nullable && !matches!(typed.ty, TypeRef::Any | TypeRef::Nullable(_)) {
        TypeRef::Nullable(Box::new(typed.ty))
    } else {
        typed.ty
    }
}

/// Follows a `$ref` without recording warnings (for looking ahead; the schema is read
/// properly, with its warnings, when its turn comes).
fn quiet_follow<'a>(spec: &Spec<'a>, node: &Node<'a>) -> Reference<'a> {
    let scratch = Spec::new(spec.file, spec.dialect, spec.root);
    scratch.follow(node)
}

/// The schema that only allows `null`.
fn is_null_schema(node: &Node<'_>) -> bool {
    match node.map() {
        Some(map) => {
            map.get("type") == Some(&Value::String("null".into()))
                || map.get("const") == Some(&Value::Null)
                || map.get("enum") == Some(&Value::Array(vec![Value::Null]))
        }
        None => false,
    }
}

fn is_null_schema_followed<'a>(spec: &Spec<'a>, node: &Node<'a>) -> bool {
    match quiet_follow(spec, node) {
        Reference::Found(target) => is_null_schema(&target),
        _ => is_null_schema(node),
    }
}

/// Whether a schema says anything about the shape of a value (a `oneOf` alternative
/// that only lists `required` names constrains the outer schema, and adds no variant).
fn has_shape(node: &Node<'_>) -> bool {
    match node.map() {
        Some(map) => {
            map.is_empty()
                || map
                    .keys()
                    .any(|k| SHAPE_KEYWORDS.contains(&k.as_str()) || k == "type" || k == "format")
        }
        None => true,
    }
}

fn has_properties(node: &Node<'_>) -> bool {
    node.value
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

/// Whether a schema (or what its `$ref` names) describes an object.
fn is_objectish<'a>(spec: &Spec<'a>, node: &Node<'a>) -> bool {
    let node = match quiet_follow(spec, node) {
        Reference::Found(target) => target,
        _ => node.clone(),
    };
    let Some(map) = node.map() else { return false };
    map.contains_key("properties")
        || map.contains_key("allOf")
        || map.contains_key("additionalProperties")
        || map.get("type") == Some(&Value::String("object".into()))
}

/// The type a schema without `type` has, from its other keywords.
fn infer_type(map: &serde_json::Map<String, Value>) -> Option<&'static str> {
    let has = |keys: &[&str]| keys.iter().any(|k| map.contains_key(*k));
    if has(&[
        "properties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
    ]) {
        Some("object")
    } else if has(&[
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
    ]) {
        Some("array")
    } else if has(&[
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "contentMediaType",
    ]) {
        Some("string")
    } else if has(&[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ]) {
        Some("number")
    } else {
        None
    }
}

/// The values of alternatives that are all string constants or string enums.
fn string_values(members: &[Node<'_>]) -> Option<Vec<String>> {
    let mut values = Vec::new();
    for member in members {
        if member.has("$ref") {
            return None;
        }
        match (member.value.get("const"), member.value.get("enum")) {
            (Some(Value::String(s)), _) => values.push(s.clone()),
            (None, Some(Value::Array(items))) if items.iter().all(Value::is_string) => {
                values.extend(items.iter().filter_map(|v| v.as_str().map(str::to_string)))
            }
            _ => return None,
        }
    }
    Some(values)
}

/// The discriminator values that select `member` of a `oneOf`: its `mapping` entries, or
/// the name of the schema it refers to, or the `const`/single `enum` value of its tag
/// property.
fn member_tags<'a>(
    discriminator: &Node<'a>,
    member: &Node<'a>,
    property: &str,
    index: usize,
) -> Vec<String> {
    if let Some(reference) = member.value.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        let target = reference.strip_prefix('#').unwrap_or(reference);
        return mapped_tags(discriminator, target, name);
    }
    let tag = member
        .get("properties")
        .and_then(|p| p.get(property))
        .and_then(|p| {
            p.value
                .get("const")
                .and_then(Value::as_str)
                .or_else(|| match p.value.get("enum") {
                    Some(Value::Array(items)) if items.len() == 1 => items[0].as_str(),
                    _ => None,
                })
                .map(str::to_string)
        });
    vec![tag.unwrap_or_else(|| format!("variant{index}"))]
}

/// The tag values a discriminator's `mapping` gives the schema at `pointer` (named
/// `name`), or the name itself when the mapping does not mention it.
fn mapped_tags(discriminator: &Node<'_>, pointer: &str, name: &str) -> Vec<String> {
    let mut tags = Vec::new();
    if let Some(Value::Object(mapping)) = discriminator.value.get("mapping") {
        for (tag, target) in mapping {
            let Some(target) = target.as_str() else {
                continue;
            };
            let target_pointer = target.strip_prefix('#').unwrap_or(target);
            let swagger_form = target_pointer.replacen("/definitions/", "/components/schemas/", 1);
            if target_pointer == pointer || swagger_form == pointer || target == name {
                tags.push(tag.clone());
            }
        }
    }
    if tags.is_empty() {
        tags.push(name.to_string());
    }
    tags
}

/// The Rust names of component schemas: camel case of the name, except that dotted
/// names (`io.k8s.api.core.v1.Pod`, `com.example.Volume`) keep only as many of their
/// last segments as it takes to tell them apart.
fn component_type_names(names: &[&str]) -> Vec<String> {
    let segments: Vec<Vec<&str>> = names
        .iter()
        .map(|n| {
            let parts: Vec<&str> = n.split('.').filter(|s| !s.is_empty()).collect();
            if parts.len() > 1
                && parts[..parts.len() - 1].iter().all(|s| {
                    s.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
                    })
                })
            {
                parts
            } else {
                vec![*n]
            }
        })
        .collect();
    let tail = |parts: &[&str], k: usize| -> String {
        let start = parts.len().saturating_sub(k);
        parts[start..].join("_")
    };
    let mut depth = vec![1usize; names.len()];
    // Lengthen the names that collide until they do not (or run out of segments).
    for _ in 0..16 {
        let shown: Vec<String> = segments
            .iter()
            .zip(&depth)
            .map(|(parts, k)| camel(&tail(parts, *k)))
            .collect();
        let mut changed = false;
        for i in 0..names.len() {
            let collides = shown
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && *other == shown[i]);
            if collides && depth[i] < segments[i].len() {
                depth[i] += 1;
                changed = true;
            }
        }
        if !changed {
            return shown;
        }
    }
    segments
        .iter()
        .zip(&depth)
        .map(|(parts, k)| camel(&tail(parts, *k)))
        .collect()
}

/// The wire name of a component schema from its pointer.
fn component_wire_name(pointer: &str) -> String {
    pointer
        .strip_prefix(COMPONENTS)
        .and_then(|rest| rest.strip_prefix('/'))
        .map(unescape)
        .unwrap_or_else(|| pointer.to_string())
}

/// A type name from a pointer into the middle of the document: its last segments
/// that are names rather than keywords.
fn pointer_name(pointer: &str) -> String {
    const STRUCTURAL: &[&str] = &[
        "components",
        "schemas",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "schema",
        "content",
        "paths",
        "responses",
        "parameters",
        "requestBody",
        "additionalProperties",
        "$defs",
        "definitions",
        "prefixItems",
    ];
    let names: Vec<String> = pointer
        .split('/')
        .filter(|s| !s.is_empty())
        .map(unescape)
        .filter(|s| {
            !STRUCTURAL.contains(&s.as_str()) && !s.contains('/') && s.parse::<u64>().is_err()
        })
        .collect();
    let start = names.len().saturating_sub(2);
    camel(&names[start..].join("_"))
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A variant name from a tag value; `fallback` when nothing of it is usable.
fn variant_name_of(tag: &str, fallback: &str) -> String {
    let name = camel(tag);
    if name == "Type" && camel("") == name && !tag.chars().any(char::is_alphanumeric) {
        fallback.to_string()
    } else {
        name
    }
}

/// The variant name of an alternative that is just a type.
fn type_variant_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String | TypeRef::Secret => "String",
        TypeRef::DateTime => "DateTime",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::F64 => "Number",
        TypeRef::Bool => "Boolean",
        TypeRef::Bytes => "Bytes",
        TypeRef::List(_) | TypeRef::Tuple(_) => "List",
        TypeRef::Map(_) => "Map",
        _ => "Value",
    }
}

/// A link to another resource (PowerStore marks them `x-ref`), which a
/// `select` must name with its own field list, so it is not selected by default.
fn is_relation(prop: &Node<'_>) -> bool {
    let marked = |v: &Value| v.get("x-ref").is_some();
    marked(prop.value) || prop.value.get("items").is_some_and(marked)
}

fn enum_of(values: &[String], default: Option<usize>) -> Enum {
    let mut names = Namespace::default();
    let mut variants = Vec::new();
    for value in values {
        if variants.iter().any(|v: &Variant| v.wire_name == *value) {
            continue;
        }
        let wanted = if value.trim().is_empty() {
            "Empty".to_string()
        } else {
            camel(value)
        };
        variants.push(Variant {
            name: names.claim(&wanted),
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
        default,
    }
}

/// Documentation from a schema: its description plus what the vendor
/// extensions add (units, the version a field appeared in, deprecation). A title that
/// only repeats the field's name (as pydantic writes them) is left out.
pub(super) fn docs(
    spec: &Spec<'_>,
    node: &Node<'_>,
    summary: Option<&str>,
    name: Option<&str>,
) -> Docs {
    let value = node.value;
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let title = text("title").filter(|title| {
        let squash = |s: &str| {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        };
        name.is_none_or(|name| squash(name) != squash(title))
    });
    let mut parts: Vec<String> = Vec::new();
    for text in [summary, title, text("description")].into_iter().flatten() {
        let text = text.trim();
        if !text.is_empty() && !parts.iter().any(|p| p == text) {
            parts.push(text.to_string());
        }
    }
    if let Some(units) = value.get("x-units").and_then(Value::as_str) {
        parts.push(format!("Unit: {units}."));
    }
    if let Some(added) = value.get("x-added").and_then(Value::as_str) {
        if !parts.iter().any(|p| p.contains(added)) {
            parts.push(format!("Added in version {added}."));
        }
    }
    let deprecated = match value.get("x-deprecated") {
        Some(Value::String(version)) => Some(format!("deprecated since version {version}")),
        Some(Value::Bool(true)) => Some(String::new()),
        _ if node.bool(spec, "deprecated") == Some(true) => Some(String::new()),
        _ => None,
    };
    Docs {
        text: (!parts.is_empty()).then(|| parts.join("\n\n")),
        deprecated,
    }
}

/// The checks a schema asks for, looking through a `$ref` to a scalar schema, a
/// nullable wrapper and `allOf` parts.
pub(super) fn constraints(spec: &Spec<'_>, node: &Node<'_>) -> Constraints {
    constraints_at(spec, node, 0)
}

/// The schema graph may be cyclic (`L = array of L`): `depth` bounds the walk.
fn constraints_at(spec: &Spec<'_>, node: &Node<'_>, depth: usize) -> Constraints {
    let mut c = Constraints::default();
    gather_constraints(spec, node, &mut c, depth);
    tidy_constraints(&mut c, node);
    c
}

fn gather_constraints(spec: &Spec<'_>, node: &Node<'_>, c: &mut Constraints, depth: usize) {
    if depth > 8 || node.map().is_none() {
        return;
    }
    // Through a reference to a scalar (a struct checks itself).
    if node.has("$ref") && !node.has("properties") {
        if let Reference::Found(target) = quiet_follow(spec, node) {
            if !is_objectish(spec, &target) {
                gather_constraints(spec, &target, c, depth + 1);
            }
        }
    }
    let mut wrapped = node.items(spec, "anyOf");
    wrapped.extend(node.items(spec, "oneOf"));
    wrapped.retain(|m| !is_null_schema(m));
    if wrapped.len() == 1 {
        gather_constraints(spec, &wrapped[0], c, depth + 1);
    }
    for part in node.items(spec, "allOf") {
        gather_constraints(spec, &part, c, depth + 1);
    }
    let keep = |old: &mut Option<u64>, new: Option<u64>| {
        if new.is_some() {
            *old = new;
        }
    };
    keep(
        &mut c.min_length,
        node.count(spec, "minLength").filter(|v| *v > 0),
    );
    keep(&mut c.max_length, node.count(spec, "maxLength"));
    keep(
        &mut c.min_items,
        node.count(spec, "minItems").filter(|v| *v > 0),
    );
    keep(&mut c.max_items, node.count(spec, "maxItems"));
    if let Some(p) = node.str(spec, "pattern") {
        c.pattern = Some(p.to_string());
    }
    let bound = |limit: &str, exclusive: &str| -> Option<(f64, bool)> {
        let plain = node.number(spec, limit);
        match node.value.get(exclusive) {
            // JSON Schema 2020-12 (OpenAPI 3.1): the exclusive bound is the number.
            Some(Value::Number(n)) => n.as_f64().map(|n| (n, true)),
            Some(Value::Bool(flag)) => plain.map(|p| (p, *flag)),
            _ => plain.map(|p| (p, false)),
        }
    };
    if let Some(min) = bound("minimum", "exclusiveMinimum") {
        c.minimum = Some(min);
    }
    if let Some(max) = bound("maximum", "exclusiveMaximum") {
        c.maximum = Some(max);
    }
    if let Some(items) = node.get("items").filter(|i| i.value.is_object()) {
        let item = constraints_at(spec, &items, depth + 1);
        if !item.is_empty() {
            c.items = Some(Box::new(item));
        }
    }
}

/// Drops bounds that every value of the Rust type meets.
fn tidy_constraints(c: &mut Constraints, node: &Node<'_>) {
    if let Some((min, false)) = c.minimum {
        if min <= i64::MIN as f64 {
            c.minimum = None;
        }
    }
    let int32 = node.value.get("format").and_then(Value::as_str) == Some("int32");
    if let Some((max, false)) = c.maximum {
        if max >= i64::MAX as f64 || (max >= i32::MAX as f64 && int32) {
            c.maximum = None;
        }
    }
    for bound in [&mut c.minimum, &mut c.maximum] {
        if bound.is_some_and(|(v, _)| !v.is_finite()) {
            *bound = None;
        }
    }
}

/// Every type reachable from `roots`.
fn reachable(types: &[TypeDef], roots: &[TypeRef]) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = Vec::new();
    for root in roots {
        root.named(&mut stack);
    }
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for edge in edges(&types[id.0]) {
            edge.named(&mut stack);
        }
    }
    seen
}

fn edges(def: &TypeDef) -> Vec<TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| f.ty.clone())
            .chain(s.additional.clone())
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| v.ty.clone()).collect(),
        TypeKind::Alias(t) => vec![t.clone()],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// A field whose type leads back to its own struct without passing through a
/// `Vec` or map gets a `Box`.
fn box_cycles(types: &mut [TypeDef]) {
    let direct = |def: &TypeDef| -> Vec<TypeId> {
        match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| direct_target(&f.ty))
                .collect(),
            TypeKind::Alias(t) => direct_target(t).into_iter().collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| direct_target(&v.ty))
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    };
    let graph: Vec<Vec<TypeId>> = types.iter().map(direct).collect();
    let components = strongly_connected(&graph);
    for (index, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    if let Some(target) = direct_target(&field.ty) {
                        field.boxed = components[target.0] == components[index];
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    if let Some(target) = direct_target(&variant.ty) {
                        variant.boxed |= components[target.0] == components[index];
                    }
                }
            }
            _ => {}
        }
    }
}

/// Union variants that hold a struct or another union are boxed: a union is as large as
/// its largest variant, and most values are small.
fn box_union_variants(types: &mut [TypeDef]) {
    let big: Vec<bool> = types
        .iter()
        .map(|d| matches!(d.kind, TypeKind::Struct(_) | TypeKind::Union(_)))
        .collect();
    for def in types.iter_mut() {
        if let TypeKind::Union(u) = &mut def.kind {
            for variant in &mut u.variants {
                if let TypeRef::Named(id) = &variant.ty {
                    variant.boxed |= big[id.0];
                }
            }
        }
    }
}

fn direct_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) => direct_target(inner),
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

/// Request structs derive `Default` when every required field's type has one,
/// so callers can write `..Default::default()`.
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
            TypeKind::Enum(e) => e.default.is_some(),
            TypeKind::Union(_) => false,
        },
        TypeRef::Secret => false,
        TypeRef::Tuple(items) => items.iter().all(|t| has_default(types, t)),
        _ => true,
    }
}

/// Which types have something to check before they are sent (see
/// [`TypeDef::validates`]), to a fixed point over references.
fn mark_validates(types: &mut [TypeDef]) {
    fn refers(types: &[TypeDef], ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => types[id.0].validates,
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                refers(types, inner)
            }
            _ => false,
        }
    }
    loop {
        let mut changed = false;
        for i in 0..types.len() {
            if types[i].validates {
                continue;
            }
            let validates = match &types[i].kind {
                TypeKind::Enum(_) => true,
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| !f.constraints.is_empty() || refers(types, &f.ty)),
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .any(|v| !v.constraints.is_empty() || refers(types, &v.ty)),
                TypeKind::Alias(t) => refers(types, t),
            };
            if validates {
                types[i].validates = true;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// What JSON each union alternative accepts, now that every type is complete.
fn set_union_shapes(types: &mut [TypeDef]) {
    let shapes: Vec<Vec<Shape>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union(u) => u
                .variants
                .iter()
                .map(|v| {
                    let mut shape = shape_of(types, &v.ty, 0);
                    // A value without its discriminator is matched by the rest of its
                    // shape (the runtime then adds the discriminator before decoding).
                    if let (Some(tag), Shape::Object { required, .. }) = (&u.tag, &mut shape) {
                        required.retain(|r| r != tag);
                    }
                    shape
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, shapes) in types.iter_mut().zip(shapes) {
        if let TypeKind::Union(u) = &mut def.kind {
            for (variant, shape) in u.variants.iter_mut().zip(shapes) {
                variant.shape = shape;
            }
        }
    }
}

fn shape_of(types: &[TypeDef], ty: &TypeRef, depth: usize) -> Shape {
    match ty {
        TypeRef::String | TypeRef::Secret | TypeRef::DateTime => Shape::String,
        TypeRef::I32 | TypeRef::I64 => Shape::Integer,
        TypeRef::F64 => Shape::Number,
        TypeRef::Bool => Shape::Boolean,
        TypeRef::List(_) | TypeRef::Tuple(_) | TypeRef::Bytes => Shape::Array,
        TypeRef::Map(_) => Shape::Object {
            known: Vec::new(),
            required: Vec::new(),
        },
        TypeRef::Any | TypeRef::Nullable(_) => Shape::Any,
        TypeRef::Named(id) if depth < 16 => match &types[id.0].kind {
            TypeKind::Struct(s) => Shape::Object {
                known: s.fields.iter().map(|f| f.wire_name.clone()).collect(),
                required: s
                    .fields
                    .iter()
                    .filter(|f| !f.optional || f.nullable)
                    .map(|f| f.wire_name.clone())
                    .collect(),
            },
            TypeKind::Enum(_) => Shape::String,
            TypeKind::Alias(t) => shape_of(types, t, depth + 1),
            TypeKind::Union(_) => Shape::Any,
        },
        TypeRef::Named(_) => Shape::Any,
    }
}

/// Puts the types in name order (so adding an operation does not reorder the output)
/// and rewrites every type id, in the types and in the operations.
fn sort_by_name(types: Vec<TypeDef>, operations: &mut [Operation]) -> Vec<TypeDef> {
    let mut order: Vec<usize> = (0..types.len()).collect();
    order.sort_by(|a, b| types[*a].name.cmp(&types[*b].name));
    let mut new_id = vec![0usize; types.len()];
    for (new, old) in order.iter().enumerate() {
        new_id[*old] = new;
    }
    let map = |id: TypeId| TypeId(new_id[id.0]);
    let mut slots: Vec<Option<TypeDef>> = types.into_iter().map(Some).collect();
    let mut sorted: Vec<TypeDef> = order.iter().filter_map(|old| slots[*old].take()).collect();
    for def in &mut sorted {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.ty.remap(&map);
                }
                if let Some(a) = &mut s.additional {
                    a.remap(&map);
                }
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.ty.remap(&map)),
            TypeKind::Alias(t) => t.remap(&map),
            TypeKind::Enum(_) => {}
        }
    }
    for op in operations {
        op.remap_types(&map);
    }
    sorted
}

/// The type of a `string` with this `format` (or, in 3.1, `contentMediaType`).
fn string_type(node: &Node<'_>) -> TypeRef {
    let format = node.value.get("format").and_then(Value::as_str);
    let media = node.value.get("contentMediaType").and_then(Value::as_str);
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("password") => TypeRef::Secret,
        Some("binary") => TypeRef::Bytes,
        _ if media.is_some_and(|m| !m.starts_with("text/") && !m.contains("json"))
            && node.value.get("contentEncoding").is_none() =>
        {
            TypeRef::Bytes
        }
        _ => TypeRef::String,
    }
}

/// The type of an `integer` with this `format`: `int32` and the narrower `int16` and `int8`
/// (not OpenAPI formats, but seen in specs) fit in an `i32`.
fn integer_type(node: &Node<'_>) -> TypeRef {
    match node.value.get("format").and_then(Value::as_str) {
        Some("int32" | "int16" | "int8" | "uint8" | "uint16") => TypeRef::I32,
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
        let e = enum_of(
            &[
                "IN_PROGRESS".into(),
                "In_Progress".into(),
                "Unknown".into(),
                "".into(),
            ],
            None,
        );
        let names: Vec<_> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["InProgress", "InProgress2", "Unknown", "Empty"]);
        assert_eq!(e.unknown_variant, "UnknownValue");
    }

    #[test]
    fn dotted_component_names_keep_only_what_tells_them_apart() {
        let names = component_type_names(&[
            "io.k8s.api.core.v1.Pod",
            "io.k8s.api.apps.v1.Deployment",
            "io.k8s.api.core.v1.Status",
            "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
            "ImportSession",
            "_containerQosCeilings_patch",
        ]);
        assert_eq!(
            names,
            [
                "Pod",
                "Deployment",
                "CoreV1Status",
                "MetaV1Status",
                "ImportSession",
                "ContainerQosCeilingsPatch"
            ]
        );
    }
}
