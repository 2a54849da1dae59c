//! Types compared as a Rust caller sees them.
//!
//! Two places have the same type when they have the same Rust type: named types by
//! name, aliases seen through (`pub type Ids = Vec<String>` is `Vec<String>`), the
//! rest by shape. A pair of same-named types is compared once, however many places
//! use it; the operations register where they meet such a pair ([`Walk::place`]), and
//! [`Walk::finish`] compares every pair reachable from there, works out which ways
//! each travels and which operations reach it, and only then decides what breaks.

use std::collections::{HashMap, HashSet, VecDeque};

use super::{Breaks, Change, ChangeKind, Directions, Pair, Pending};
use crate::ir::{Api, Constraints, Enum, Field, Struct, TypeDef, TypeKind, TypeRef, Union};

/// Aliases are followed at most this deep (normalization breaks alias cycles; this only
/// keeps a bad model from looping).
const MAX_DEPTH: usize = 64;

/// The two models and the places where operations meet same-named types.
pub(crate) struct Walk<'a> {
    pub(crate) old: &'a Api,
    pub(crate) new: &'a Api,
    roots: Vec<Root>,
}

/// A place of an operation that holds a pair of same-named types.
struct Root {
    pair: Pair,
    /// The operation, an index into the new API's operations.
    op: usize,
    dirs: Directions,
    path: Vec<String>,
}

/// What comparing a pair found: changes waiting for the pair's directions, and the
/// pairs inside it with the path segments that lead there.
#[derive(Default)]
struct Compared {
    pending: Vec<Pending>,
    children: Vec<(Pair, Vec<String>)>,
}

/// How callers reach a pair: the first path found, every direction and operation.
#[derive(Clone)]
struct Reach {
    path: Vec<String>,
    dirs: Directions,
    ops: Bits,
}

/// A set of operation indexes.
#[derive(Clone, PartialEq)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(len: usize) -> Self {
        Bits(vec![0; len.div_ceil(64)])
    }
    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    /// Adds every member of `other`; whether anything was new.
    fn union(&mut self, other: &Bits) -> bool {
        let mut grew = false;
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            let merged = *mine | theirs;
            grew |= merged != *mine;
            *mine = merged;
        }
        grew
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(word, bits)| {
            (0..64)
                .filter(move |b| bits & (1 << b) != 0)
                .map(move |b| word * 64 + b)
        })
    }
}

impl<'a> Walk<'a> {
    pub(crate) fn new(old: &'a Api, new: &'a Api) -> Self {
        Walk {
            old,
            new,
            roots: Vec::new(),
        }
    }

    /// Whether `old` and `new` are the same Rust type; if so, the same-named pairs inside
    /// them with the segments that lead to each (`[]` for list items).
    pub(crate) fn same(&self, old: &TypeRef, new: &TypeRef) -> Option<Vec<(Pair, Vec<String>)>> {
        let mut found = Vec::new();
        self.same_into(old, new, &mut Vec::new(), &mut found, 0)
            .then_some(found)
    }

    fn same_into(
        &self,
        old: &TypeRef,
        new: &TypeRef,
        segments: &mut Vec<String>,
        found: &mut Vec<(Pair, Vec<String>)>,
        depth: usize,
    ) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if let (TypeRef::Named(a), TypeRef::Named(b)) = (old, new) {
            if self.old.types[a.0].name == self.new.types[b.0].name {
                found.push(((*a, *b), segments.clone()));
                return true;
            }
        }
        if let Some(target) = alias(self.old, old) {
            return self.same_into(target, new, segments, found, depth + 1);
        }
        if let Some(target) = alias(self.new, new) {
            return self.same_into(old, target, segments, found, depth + 1);
        }
        if let (TypeRef::Nullable(o), TypeRef::Nullable(n)) = (old, new) {
            return self.same_into(o, n, segments, found, depth + 1);
        }
        let mut nested = |segment: String, o: &TypeRef, n: &TypeRef| {
            segments.push(segment);
            let same = self.same_into(o, n, segments, found, depth + 1);
            segments.pop();
            same
        };
        match (old, new) {
            (TypeRef::Named(_), _) | (_, TypeRef::Named(_)) => false,
            (TypeRef::List(o), TypeRef::List(n)) => nested("[]".into(), o, n),
            (TypeRef::Map(o), TypeRef::Map(n)) => nested("{}".into(), o, n),
            (TypeRef::Tuple(o), TypeRef::Tuple(n)) => {
                o.len() == n.len()
                    && o.iter()
                        .zip(n)
                        .enumerate()
                        .all(|(i, (o, n))| nested(format!("[{i}]"), o, n))
            }
            (o, n) => o == n,
        }
    }

    /// Compares the types at one place of operation `op` (an index into the new API's
    /// operations), reached by `path`: whether they are the same Rust type. Same-named
    /// types inside are remembered and compared in [`Walk::finish`].
    pub(crate) fn place(
        &mut self,
        old: &TypeRef,
        new: &TypeRef,
        op: usize,
        dirs: Directions,
        path: &[String],
    ) -> bool {
        match self.same(old, new) {
            Some(pairs) => {
                for (pair, segments) in pairs {
                    let mut path = path.to_vec();
                    path.extend(segments);
                    self.roots.push(Root {
                        pair,
                        op,
                        dirs,
                        path,
                    });
                }
                true
            }
            None => false,
        }
    }

    /// When `old` and `new` name different types and the old one is not generated any
    /// more while the new one was not before: words saying it looks renamed.
    pub(crate) fn renamed(&self, old: &TypeRef, new: &TypeRef) -> String {
        let named = |api: &'a Api, ty: &TypeRef| match ty {
            TypeRef::Named(id) => api.types.get(id.0).map(|t| t.name.as_str()),
            _ => None,
        };
        let exists = |api: &Api, name: &str| api.types.iter().any(|t| t.name == name);
        match (named(self.old, old), named(self.new, new)) {
            (Some(o), Some(n)) if !exists(self.new, o) && !exists(self.old, n) => {
                format!(" (`{o}` is no longer generated and `{n}` is new: a renamed type)")
            }
            _ => String::new(),
        }
    }

    /// The Rust type of `ty` in the old API, as a caller writes it.
    pub(crate) fn old_rust(&self, ty: &TypeRef) -> String {
        rust(self.old, ty)
    }

    /// The Rust type of `ty` in the new API.
    pub(crate) fn new_rust(&self, ty: &TypeRef) -> String {
        rust(self.new, ty)
    }

    /// Compares every pair of same-named types the operations reach, and returns the
    /// changes inside them, by type name, each decided by the ways its type travels.
    pub(crate) fn finish(self) -> Vec<Change> {
        let mut compared: HashMap<Pair, Compared> = HashMap::new();
        let mut queue: VecDeque<Pair> = self.roots.iter().map(|r| r.pair).collect();
        while let Some(pair) = queue.pop_front() {
            if compared.contains_key(&pair) {
                continue;
            }
            let result = self.compare(pair);
            queue.extend(result.children.iter().map(|(child, _)| *child));
            compared.insert(pair, result);
        }

        let ops = self.new.operations.len();
        let mut reach: HashMap<Pair, Reach> = HashMap::new();
        let mut grown: VecDeque<Pair> = VecDeque::new();
        let mut queued: HashSet<Pair> = HashSet::new();
        let merge = |reach: &mut HashMap<Pair, Reach>,
                     pair: Pair,
                     path: Vec<String>,
                     dirs: Directions,
                     ops_of: &Bits|
         -> bool {
            let entry = reach.entry(pair).or_insert_with(|| Reach {
                path,
                dirs: Directions::default(),
                ops: Bits::new(ops),
            });
            let mut grew = entry.ops.union(ops_of);
            if (dirs.request && !entry.dirs.request) || (dirs.response && !entry.dirs.response) {
                entry.dirs.request |= dirs.request;
                entry.dirs.response |= dirs.response;
                grew = true;
            }
            grew
        };
        for root in &self.roots {
            let mut one = Bits::new(ops);
            one.insert(root.op);
            if merge(&mut reach, root.pair, root.path.clone(), root.dirs, &one)
                && queued.insert(root.pair)
            {
                grown.push_back(root.pair);
            }
        }
        while let Some(pair) = grown.pop_front() {
            queued.remove(&pair);
            let Some(from) = reach.get(&pair).cloned() else {
                continue;
            };
            let Some(result) = compared.get(&pair) else {
                continue;
            };
            for (child, segments) in &result.children {
                let mut path = from.path.clone();
                path.extend(segments.iter().cloned());
                if merge(&mut reach, *child, path, from.dirs, &from.ops) && queued.insert(*child) {
                    grown.push_back(*child);
                }
            }
        }

        let mut pairs: Vec<(Pair, Compared)> = compared.into_iter().collect();
        pairs.sort_by(|(a, _), (b, _)| {
            let name = |p: &Pair| &self.new.types[p.1 .0].name;
            name(a).cmp(name(b)).then(a.cmp(b))
        });
        let mut changes = Vec::new();
        for (pair, result) in pairs {
            let Some(reach) = reach.get(&pair) else {
                continue;
            };
            let operations: Vec<String> = reach
                .ops
                .iter()
                .map(|i| display_name(&self.new.operations[i].name))
                .collect();
            for Pending {
                mut change,
                breaks,
                otherwise,
            } in result.pending
            {
                change.breaking = match breaks {
                    Breaks::Always => true,
                    Breaks::Never => false,
                    Breaks::InRequests => reach.dirs.request,
                    Breaks::OnlyInRequests(breaking) if reach.dirs.request => breaking,
                    Breaks::OnlyInRequests(_) => continue,
                };
                if let (Breaks::InRequests, false, Some(otherwise)) =
                    (breaks, change.breaking, otherwise)
                {
                    change.detail = otherwise;
                }
                let mut path = reach.path.clone();
                path.append(&mut change.path);
                change.path = path;
                change.operation = change.path.first().cloned();
                change.operations = operations.clone();
                changes.push(change);
            }
        }
        changes
    }

    /// Compares one pair of same-named types.
    fn compare(&self, (a, b): Pair) -> Compared {
        let old = &self.old.types[a.0];
        let new = &self.new.types[b.0];
        let mut out = Compared::default();
        let mut at = At {
            walk: self,
            type_name: &new.name,
            out: &mut out,
        };
        at.deprecation(&old.docs.deprecated, &new.docs.deprecated, None);
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(o), TypeKind::Struct(n)) => at.structs(old, o, new, n),
            (TypeKind::Enum(o), TypeKind::Enum(n)) => at.enums(o, n),
            (TypeKind::Union(o), TypeKind::Union(n)) => at.unions(o, n),
            (TypeKind::Alias(o), TypeKind::Alias(n)) => match self.same(o, n) {
                Some(children) => at.out.children.extend(children),
                None => at.push(
                    ChangeKind::TypeChanged,
                    Breaks::Always,
                    None,
                    Vec::new(),
                    Some(format!("{} = {}", old.name, self.old_rust(o))),
                    Some(format!("{} = {}", new.name, self.new_rust(n))),
                    "an alias of another type: every place that uses it changes".into(),
                ),
            },
            (o, n) => at.push(
                ChangeKind::TypeChanged,
                Breaks::Always,
                None,
                Vec::new(),
                Some(kind_name(o).into()),
                Some(kind_name(n).into()),
                format!("`{}` is another kind of type", new.name),
            ),
        }
        out
    }
}

/// Collects the changes inside one type.
struct At<'w, 'a> {
    walk: &'w Walk<'a>,
    type_name: &'w str,
    out: &'w mut Compared,
}

impl At<'_, '_> {
    #[allow(
        clippy::too_many_arguments,
        reason = "every part of a change, in its order"
    )]
    fn push(
        &mut self,
        kind: ChangeKind,
        breaks: Breaks,
        field: Option<&str>,
        path: Vec<String>,
        old: Option<String>,
        new: Option<String>,
        detail: String,
    ) {
        self.out.pending.push(Pending {
            change: Change {
                kind,
                breaking: false,
                operation: None,
                type_name: Some(self.type_name.to_string()),
                field: field.map(str::to_string),
                path,
                old,
                new,
                detail,
                operations: Vec::new(),
            },
            breaks,
            otherwise: None,
        });
    }

    /// The detail of the last change when no request carries the type.
    fn otherwise(&mut self, detail: &str) {
        if let Some(last) = self.out.pending.last_mut() {
            last.otherwise = Some(detail.to_string());
        }
    }

    fn deprecation(&mut self, old: &Option<String>, new: &Option<String>, field: Option<&str>) {
        if let Some(detail) = super::deprecation(old, new) {
            self.push(
                ChangeKind::DeprecationChanged,
                Breaks::Never,
                field,
                field.map(|f| vec![f.to_string()]).unwrap_or_default(),
                None,
                None,
                detail,
            );
        }
    }

    fn structs(&mut self, old_def: &TypeDef, old: &Struct, new_def: &TypeDef, new: &Struct) {
        let walk = self.walk;
        let had_default = old.defaultable && old_def.in_request;
        let has_default = new.defaultable && new_def.in_request;
        for f in &new.fields {
            if old.fields.iter().any(|o| o.name == f.name) {
                continue;
            }
            let (breaks, why) = if !f.optional {
                (Breaks::InRequests, "required: requests must set it")
            } else if had_default {
                (
                    Breaks::Never,
                    "optional: `..Default::default()` leaves it out",
                )
            } else {
                (
                    Breaks::InRequests,
                    "optional, but the struct has no Default: request struct literals must name it",
                )
            };
            self.push(
                ChangeKind::FieldAdded,
                breaks,
                Some(&f.name),
                vec![f.name.clone()],
                None,
                Some(format!("{}: {}", f.name, field_rust(walk.new, f))),
                why.into(),
            );
            self.otherwise("a new field callers read");
        }
        for f in &old.fields {
            if !new.fields.iter().any(|n| n.name == f.name) {
                self.push(
                    ChangeKind::FieldRemoved,
                    Breaks::Always,
                    Some(&f.name),
                    vec![f.name.clone()],
                    Some(format!("{}: {}", f.name, field_rust(walk.old, f))),
                    None,
                    "code that sets or reads it no longer compiles".into(),
                );
            }
        }
        for o in &old.fields {
            if let Some(n) = new.fields.iter().find(|n| n.name == o.name) {
                self.field(o, n, new_def.in_response && !old_def.in_response);
            }
        }
        const REST: &str = "additional_properties";
        match (&old.additional, &new.additional) {
            (None, Some(n)) => {
                let (breaks, why) = if had_default {
                    (Breaks::Never, "`..Default::default()` leaves it empty")
                } else {
                    (
                        Breaks::InRequests,
                        "the struct has no Default: request struct literals must name it",
                    )
                };
                self.push(
                    ChangeKind::FieldAdded,
                    breaks,
                    Some(REST),
                    vec![REST.into()],
                    None,
                    Some(format!("{REST}: BTreeMap<String, {}>", walk.new_rust(n))),
                    format!("properties the spec does not name are kept; {why}"),
                );
                self.otherwise("properties the spec does not name are kept for callers to read");
            }
            (Some(o), None) => self.push(
                ChangeKind::FieldRemoved,
                Breaks::Always,
                Some(REST),
                vec![REST.into()],
                Some(format!("{REST}: BTreeMap<String, {}>", walk.old_rust(o))),
                None,
                "code that sets or reads it no longer compiles".into(),
            ),
            (Some(o), Some(n)) => match walk.same(o, n) {
                Some(children) => self.children(REST, children),
                None => self.push(
                    ChangeKind::FieldTypeChanged,
                    Breaks::Always,
                    Some(REST),
                    vec![REST.into()],
                    Some(format!("BTreeMap<String, {}>", walk.old_rust(o))),
                    Some(format!("BTreeMap<String, {}>", walk.new_rust(n))),
                    "another Rust type".into(),
                ),
            },
            (None, None) => {}
        }
        if had_default != has_default {
            let (breaks, why) = if had_default {
                (
                    Breaks::InRequests,
                    "no longer derives Default: `..Default::default()` no longer compiles",
                )
            } else {
                (Breaks::Never, "now derives Default")
            };
            self.push(
                ChangeKind::DefaultChanged,
                breaks,
                None,
                Vec::new(),
                Some(if had_default { "Default" } else { "no Default" }.into()),
                Some(if has_default { "Default" } else { "no Default" }.into()),
                why.into(),
            );
            if had_default {
                self.otherwise(
                    "no longer derives Default, and no request of the compared operations carries it",
                );
            }
        }
        if old.select_all != new.select_all {
            let (breaks, why) = if old.select_all {
                (
                    Breaks::Always,
                    "the FIELDS constant is gone: no operation selects all of this type's fields",
                )
            } else {
                (Breaks::Never, "a new FIELDS constant")
            };
            self.push(
                ChangeKind::FieldsConstantChanged,
                breaks,
                Some("FIELDS"),
                Vec::new(),
                None,
                None,
                why.into(),
            );
        }
    }

    fn children(&mut self, field: &str, children: Vec<(Pair, Vec<String>)>) {
        for (pair, segments) in children {
            let mut path = vec![field.to_string()];
            path.extend(segments);
            self.out.children.push((pair, path));
        }
    }

    /// `now_read`: the type is read from responses now and was not before.
    fn field(&mut self, o: &Field, n: &Field, now_read: bool) {
        let walk = self.walk;
        let name = n.name.as_str();
        let (old_ty, new_ty) = (field_rust(walk.old, o), field_rust(walk.new, n));
        match walk.same(&o.ty, &n.ty) {
            None => self.push(
                ChangeKind::FieldTypeChanged,
                Breaks::Always,
                Some(name),
                vec![name.into()],
                Some(old_ty),
                Some(new_ty),
                format!("another Rust type{}", walk.renamed(&o.ty, &n.ty)),
            ),
            Some(children) => {
                self.children(name, children);
                let wrappers = |f: &Field| (f.boxed, f.clearable, f.optional);
                let required = |f: &Field| !f.optional || f.nullable;
                let nullable = |f: &Field| f.nullable || f.clearable;
                let rust_changed = wrappers(o) != wrappers(n);
                let breaks = if rust_changed {
                    Breaks::Always
                } else {
                    Breaks::Never
                };
                if required(o) != required(n) {
                    let why = match (required(n), rust_changed) {
                        (true, true) => {
                            "now required: requests must set it, readers get it unwrapped"
                        }
                        (false, true) => {
                            "now optional: readers must handle None, requests wrap it in Some"
                        }
                        (true, false) => "now required but may be null; the Rust type is the same",
                        (false, false) => {
                            "now optional rather than required but nullable; the Rust type is the same"
                        }
                    };
                    self.push(
                        ChangeKind::FieldRequirednessChanged,
                        breaks,
                        Some(name),
                        vec![name.into()],
                        Some(old_ty),
                        Some(new_ty),
                        why.into(),
                    );
                } else if nullable(o) != nullable(n) || rust_changed {
                    let kind = if nullable(o) != nullable(n) || o.clearable != n.clearable {
                        ChangeKind::FieldNullabilityChanged
                    } else {
                        ChangeKind::FieldTypeChanged
                    };
                    let why = if o.boxed != n.boxed {
                        "boxed or unboxed (a cycle through it was broken elsewhere)"
                    } else if n.clearable && !o.clearable {
                        "may now be sent as null: Some(None) clears it"
                    } else if o.clearable && !n.clearable && now_read {
                        "can no longer be sent as null: the type is now also read from responses"
                    } else if o.clearable && !n.clearable {
                        "no longer nullable: can no longer be sent as null"
                    } else if rust_changed {
                        "may now be null: readers must handle None"
                    } else {
                        "the server may send null, which reads as None as before"
                    };
                    self.push(
                        kind,
                        breaks,
                        Some(name),
                        vec![name.into()],
                        Some(old_ty),
                        Some(new_ty),
                        why.into(),
                    );
                }
            }
        }
        if o.wire_name != n.wire_name {
            self.push(
                ChangeKind::FieldWireNameChanged,
                Breaks::Never,
                Some(name),
                vec![name.into()],
                Some(o.wire_name.clone()),
                Some(n.wire_name.clone()),
                "sent and read under another JSON name; the Rust name stays".into(),
            );
        }
        for c in constraint_changes(&o.constraints, &n.constraints, "") {
            self.push_constraint(name, vec![name.into()], c);
        }
        self.deprecation(&o.docs.deprecated, &n.docs.deprecated, Some(name));
    }

    fn push_constraint(&mut self, field: &str, path: Vec<String>, c: ConstraintChange) {
        let (kind, why) = if c.tightened {
            (
                ChangeKind::ConstraintTightened,
                "values the old client sent may now be refused before sending",
            )
        } else {
            (ChangeKind::ConstraintLoosened, "accepts more values")
        };
        self.push(
            kind,
            Breaks::OnlyInRequests(c.tightened),
            Some(field),
            path,
            c.old.map(|v| format!("{} {v}", c.name)),
            c.new.map(|v| format!("{} {v}", c.name)),
            why.into(),
        );
    }

    fn enums(&mut self, old: &Enum, new: &Enum) {
        for v in &new.variants {
            let taken = old
                .variants
                .iter()
                .find(|o| o.name == v.name && o.wire_name != v.wire_name);
            match old.variants.iter().find(|o| o.wire_name == v.wire_name) {
                None if taken.is_some() => self.push(
                    ChangeKind::EnumValueAdded,
                    Breaks::Always,
                    Some(&v.wire_name),
                    vec![v.wire_name.clone()],
                    None,
                    Some(v.name.clone()),
                    format!(
                        "`{}` meant `{}` before: code that names it compiles and means another value",
                        v.name,
                        taken.map_or("", |t| t.wire_name.as_str())
                    ),
                ),
                None => self.push(
                    ChangeKind::EnumValueAdded,
                    Breaks::Never,
                    Some(&v.wire_name),
                    vec![v.wire_name.clone()],
                    None,
                    Some(v.name.clone()),
                    format!(
                        "the old client reads it as {}(..); a match without a wildcard arm must name it",
                        new.unknown_variant
                    ),
                ),
                Some(o) if o.name != v.name => self.push(
                    ChangeKind::EnumValueRenamed,
                    Breaks::Always,
                    Some(&v.wire_name),
                    vec![v.wire_name.clone()],
                    Some(o.name.clone()),
                    Some(v.name.clone()),
                    "the same value under another Rust variant name".into(),
                ),
                Some(_) => {}
            }
        }
        for o in &old.variants {
            if !new.variants.iter().any(|v| v.wire_name == o.wire_name) {
                self.push(
                    ChangeKind::EnumValueRemoved,
                    Breaks::Always,
                    Some(&o.wire_name),
                    vec![o.wire_name.clone()],
                    Some(o.name.clone()),
                    None,
                    format!(
                        "code that names the variant no longer compiles; the value now reads as {}(..)",
                        new.unknown_variant
                    ),
                );
            }
        }
        if old.unknown_variant != new.unknown_variant {
            self.push(
                ChangeKind::EnumValueRenamed,
                Breaks::Always,
                Some(&new.unknown_variant),
                Vec::new(),
                Some(old.unknown_variant.clone()),
                Some(new.unknown_variant.clone()),
                "the variant for values the spec does not list has another name".into(),
            );
        }
    }

    fn unions(&mut self, old: &Union, new: &Union) {
        let walk = self.walk;
        if old.tag != new.tag {
            self.push(
                ChangeKind::UnionTagChanged,
                Breaks::Never,
                None,
                Vec::new(),
                old.tag.clone(),
                new.tag.clone(),
                "another discriminator property: variants are picked differently on the wire"
                    .into(),
            );
        }
        let variant_rust = |api: &Api, v: &crate::ir::UnionVariant| {
            let ty = rust(api, &v.ty);
            if v.boxed {
                format!("{}(Box<{ty}>)", v.name)
            } else {
                format!("{}({ty})", v.name)
            }
        };
        for v in &new.variants {
            if !old.variants.iter().any(|o| o.name == v.name) {
                self.push(
                    ChangeKind::UnionVariantAdded,
                    Breaks::Never,
                    Some(&v.name),
                    vec![v.name.clone()],
                    None,
                    Some(variant_rust(walk.new, v)),
                    "the old client reads it as Other(..); a match without a wildcard arm must name it"
                        .into(),
                );
            }
        }
        for o in &old.variants {
            let Some(n) = new.variants.iter().find(|n| n.name == o.name) else {
                self.push(
                    ChangeKind::UnionVariantRemoved,
                    Breaks::Always,
                    Some(&o.name),
                    vec![o.name.clone()],
                    Some(variant_rust(walk.old, o)),
                    None,
                    "code that names the variant no longer compiles".into(),
                );
                continue;
            };
            match walk.same(&o.ty, &n.ty) {
                Some(children) if o.boxed == n.boxed => self.children(&n.name, children),
                _ => self.push(
                    ChangeKind::UnionVariantChanged,
                    Breaks::Always,
                    Some(&n.name),
                    vec![n.name.clone()],
                    Some(variant_rust(walk.old, o)),
                    Some(variant_rust(walk.new, n)),
                    format!(
                        "the variant holds another Rust type{}",
                        walk.renamed(&o.ty, &n.ty)
                    ),
                ),
            }
            if o.tags != n.tags && new.tag.is_some() && old.tag == new.tag {
                self.push(
                    ChangeKind::UnionTagChanged,
                    Breaks::Never,
                    Some(&n.name),
                    vec![n.name.clone()],
                    Some(o.tags.join(", ")),
                    Some(n.tags.join(", ")),
                    "picked by other discriminator values on the wire".into(),
                );
            }
            for c in constraint_changes(&o.constraints, &n.constraints, "") {
                self.push_constraint(&n.name, vec![n.name.clone()], c);
            }
        }
    }
}

/// One constraint that differs.
pub(crate) struct ConstraintChange {
    /// `maxLength`, `items minimum`, …
    pub name: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Whether a value the old constraint accepted may be refused now.
    pub tightened: bool,
}

/// Every constraint that differs between `old` and `new`, list items' ones included.
pub(crate) fn constraint_changes(
    old: &Constraints,
    new: &Constraints,
    prefix: &str,
) -> Vec<ConstraintChange> {
    let mut out = Vec::new();
    let mut push = |name: &str, old: Option<String>, new: Option<String>, tightened: bool| {
        out.push(ConstraintChange {
            name: format!("{prefix}{name}"),
            old,
            new,
            tightened,
        })
    };
    // A lower bound tightens when it rises or appears; an upper bound when it falls or
    // appears.
    let mut counts = |name: &str, o: Option<u64>, n: Option<u64>, lower: bool| {
        if o == n {
            return;
        }
        let tightened = match (o, n) {
            (None, Some(n)) => !(lower && n == 0),
            (Some(_), None) => false,
            (Some(o), Some(n)) => (lower && n > o) || (!lower && n < o),
            (None, None) => false,
        };
        push(
            name,
            o.map(|v| v.to_string()),
            n.map(|v| v.to_string()),
            tightened,
        );
    };
    counts("minLength", old.min_length, new.min_length, true);
    counts("maxLength", old.max_length, new.max_length, false);
    counts("minItems", old.min_items, new.min_items, true);
    counts("maxItems", old.max_items, new.max_items, false);
    let bound = |b: Option<(f64, bool)>, lower: bool| {
        b.map(|(v, exclusive)| match (lower, exclusive) {
            (true, false) => format!(">= {v}"),
            (true, true) => format!("> {v}"),
            (false, false) => format!("<= {v}"),
            (false, true) => format!("< {v}"),
        })
    };
    let mut bounds = |name: &str, o: Option<(f64, bool)>, n: Option<(f64, bool)>, lower: bool| {
        if o == n {
            return;
        }
        let tightened = match (o, n) {
            (None, Some(_)) => true,
            (Some(_), None) | (None, None) => false,
            (Some((o, oe)), Some((n, ne))) => {
                let rises = if lower { n > o } else { n < o };
                rises || (n == o && ne && !oe)
            }
        };
        push(name, bound(o, lower), bound(n, lower), tightened);
    };
    bounds("minimum", old.minimum, new.minimum, true);
    bounds("maximum", old.maximum, new.maximum, false);
    if old.pattern != new.pattern {
        // Two patterns cannot be compared; another one may refuse what the old accepted.
        let tightened = new.pattern.is_some();
        push(
            "pattern",
            old.pattern.clone(),
            new.pattern.clone(),
            tightened,
        );
    }
    let none = Constraints::default();
    match (&old.items, &new.items) {
        (None, None) => {}
        (o, n) => out.extend(constraint_changes(
            o.as_deref().unwrap_or(&none),
            n.as_deref().unwrap_or(&none),
            &format!("{prefix}items "),
        )),
    }
    out
}

/// The target of `ty` when it names an alias.
fn alias<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a TypeRef> {
    match ty {
        TypeRef::Named(id) => match &api.types.get(id.0)?.kind {
            TypeKind::Alias(target) => Some(target),
            _ => None,
        },
        _ => None,
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

/// A method name as callers write it (without `r#`).
pub(crate) fn display_name(name: &str) -> String {
    crate::normalize::unraw(name).to_string()
}

/// The Rust type of a field, with the `Option`s and `Box` the emitter adds.
pub(crate) fn field_rust(api: &Api, f: &Field) -> String {
    let mut ty = rust(api, &f.ty);
    if f.boxed {
        ty = format!("Box<{ty}>");
    }
    if f.clearable {
        ty = format!("Option<{ty}>");
    }
    if f.optional {
        ty = format!("Option<{ty}>");
    }
    ty
}

/// A type as a caller writes it (named types by name).
pub(crate) fn rust(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => api
            .types
            .get(id.0)
            .map_or_else(|| "?".to_string(), |t| t.name.clone()),
        TypeRef::String => "String".into(),
        TypeRef::Secret => "rt::Secret".into(),
        TypeRef::DateTime => "rt::DateTime".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Bytes => "rt::Bytes".into(),
        TypeRef::Any => "serde_json::Value".into(),
        TypeRef::List(inner) => format!("Vec<{}>", rust(api, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust(api, inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust(api, inner)),
        TypeRef::Tuple(items) => format!(
            "({})",
            items
                .iter()
                .map(|t| rust(api, t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
