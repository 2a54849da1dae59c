//! Operations matched across versions and compared as client methods.
//!
//! A method's name is derived (from the `operationId`, or from method and path), so
//! the same endpoint can get another name in a new spec: for a caller that is a renamed
//! method, not one removed and one added. Operations are therefore matched by HTTP
//! method and path template first, with path parameter names left out
//! (`/volume/{id}` is `/volume/{volume_id}`), and by name second; what is left over
//! was added or removed.
//!
//! A matched pair is compared part by part, one function per part in [`CHECKS`]:
//! parameters (arguments and the `params` struct), the body, the success type and its
//! statuses, the error type, paging, the waiters that poll it, what to wait for after
//! it answers, and deprecation. A new part of the model is one more function there.

use std::collections::HashMap;

use super::types::{constraint_changes, display_name, rust, Walk};
use super::{Change, ChangeKind, Directions};
use crate::ir::{
    Api, Body, FormField, Operation, Paging, Param, ParamLocation, QueryStyle, ResponseBody,
    Success, TypeRef, Waiter,
};

/// How each part of a matched operation is compared.
type Check = fn(&mut OpDiff<'_, '_>, &Operation, &Operation);

/// The parts of an operation, in the order their changes are listed.
const CHECKS: [Check; 8] = [
    |d, o, n| d.params(o, n),
    |d, o, n| d.body(o, n),
    |d, o, n| d.success(o, n),
    |d, o, n| d.error(o, n),
    |d, o, n| d.paging(o, n),
    |d, o, n| d.waiters(o, n),
    |d, o, n| d.then_wait(o, n),
    |d, o, n| d.deprecation(o, n),
];

/// Every operation-level change: removed operations first, then those of each
/// operation of the new API in order. Same-named types met on the way are left in
/// `walk` for [`Walk::finish`].
pub(super) fn compare(walk: &mut Walk<'_>) -> Vec<Change> {
    let (old, new) = (walk.old, walk.new);
    let matched = match_operations(old, new);
    let mut changes = Vec::new();
    let mut old_matched = vec![false; old.operations.len()];
    for o in matched.iter().flatten() {
        old_matched[*o] = true;
    }
    for (i, op) in old.operations.iter().enumerate() {
        if !old_matched[i] {
            let name = display_name(&op.name);
            changes.push(Change {
                kind: ChangeKind::OperationRemoved,
                breaking: true,
                operation: Some(name.clone()),
                type_name: None,
                field: None,
                path: vec![name],
                old: Some(signature(op)),
                new: None,
                detail: "the method is gone".into(),
                operations: Vec::new(),
            });
        }
    }
    for (n, found) in matched.iter().enumerate() {
        let new_op = &new.operations[n];
        let name = display_name(&new_op.name);
        let Some(o) = found else {
            changes.push(Change {
                kind: ChangeKind::OperationAdded,
                breaking: false,
                operation: Some(name.clone()),
                type_name: None,
                field: None,
                path: vec![name],
                old: None,
                new: Some(signature(new_op)),
                detail: "a new method".into(),
                operations: Vec::new(),
            });
            continue;
        };
        let old_op = &old.operations[*o];
        let mut diff = OpDiff {
            walk,
            index: n,
            name: name.clone(),
            out: &mut changes,
        };
        if old_op.name != new_op.name {
            let stream = match (&old_op.stream, &new_op.stream) {
                (Some(o), Some(n)) => {
                    format!(" (and `{}` is `{}`)", display_name(o), display_name(n))
                }
                _ => String::new(),
            };
            diff.push(
                ChangeKind::OperationRenamed,
                true,
                None,
                None,
                Some(display_name(&old_op.name)),
                Some(name.clone()),
                format!(
                    "the same endpoint ({}) under another method name{stream}",
                    signature(new_op)
                ),
            );
        }
        if key(old_op) != key(new_op) {
            diff.push(
                ChangeKind::OperationMoved,
                false,
                None,
                None,
                Some(signature(old_op)),
                Some(signature(new_op)),
                "the same method sends to another endpoint".into(),
            );
        }
        for check in CHECKS {
            check(&mut diff, old_op, new_op);
        }
    }
    changes
}

/// For each operation of `new`, its match in `old`: by method and path template, then
/// by name.
fn match_operations(old: &Api, new: &Api) -> Vec<Option<usize>> {
    // Each key with the operations that have it, per side.
    let index = |api: &Api| {
        let mut by_key: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, op) in api.operations.iter().enumerate() {
            by_key.entry(key(op)).or_default().push(i);
        }
        by_key
    };
    let (old_keys, new_keys) = (index(old), index(new));
    let mut taken = vec![false; old.operations.len()];
    let mut matched: Vec<Option<usize>> = vec![None; new.operations.len()];
    // A key two operations share on one side (paths that differ only in parameter
    // names) cannot say which is which: those are matched by name.
    for (k, news) in &new_keys {
        if let ([n], Some([o])) = (news.as_slice(), old_keys.get(k).map(Vec::as_slice)) {
            taken[*o] = true;
            matched[*n] = Some(*o);
        }
    }
    let mut old_names: HashMap<&str, usize> = HashMap::new();
    for (o, op) in old.operations.iter().enumerate() {
        if !taken[o] {
            old_names.entry(op.name.as_str()).or_insert(o);
        }
    }
    for (n, op) in new.operations.iter().enumerate() {
        if matched[n].is_none() {
            if let Some(o) = old_names.remove(op.name.as_str()) {
                matched[n] = Some(o);
            }
        }
    }
    matched
}

/// Method and path with every `{parameter}` written `{}`.
fn key(op: &Operation) -> (String, String) {
    let mut path = String::with_capacity(op.path.len());
    let mut in_param = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_param = true;
                path.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => path.push(c),
            _ => {}
        }
    }
    (op.method.clone(), path)
}

fn signature(op: &Operation) -> String {
    format!("{} {}", op.method, op.path)
}

/// The changes of one matched operation.
struct OpDiff<'w, 'a> {
    walk: &'w mut Walk<'a>,
    /// Its index in the new API.
    index: usize,
    /// Its name in the new API.
    name: String,
    out: &'w mut Vec<Change>,
}

impl OpDiff<'_, '_> {
    #[allow(
        clippy::too_many_arguments,
        reason = "every part of a change, in its order"
    )]
    fn push(
        &mut self,
        kind: ChangeKind,
        breaking: bool,
        field: Option<&str>,
        place: Option<&str>,
        old: Option<String>,
        new: Option<String>,
        detail: String,
    ) {
        let mut path = vec![self.name.clone()];
        path.extend(place.map(str::to_string));
        self.out.push(Change {
            kind,
            breaking,
            operation: Some(self.name.clone()),
            type_name: None,
            field: field.map(str::to_string),
            path,
            old,
            new,
            detail,
            operations: Vec::new(),
        });
    }

    /// Whether a place has the same Rust type in both versions (see [`Walk::place`]).
    fn place(&mut self, old: &TypeRef, new: &TypeRef, dirs: Directions, place: &str) -> bool {
        let path = [self.name.clone(), place.to_string()];
        self.walk.place(old, new, self.index, dirs, &path)
    }

    fn params(&mut self, old: &Operation, new: &Operation) {
        // Path parameters are positional: matched by their place in the path. The
        // others by Rust name.
        let path_params = |op: &Operation| -> Vec<usize> {
            (0..op.params.len())
                .filter(|i| op.params[*i].location == ParamLocation::Path)
                .collect()
        };
        let (old_path, new_path) = (path_params(old), path_params(new));
        let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
        for i in 0..old_path.len().max(new_path.len()) {
            pairs.push((old_path.get(i).copied(), new_path.get(i).copied()));
        }
        let others = |op: &Operation| -> Vec<usize> {
            (0..op.params.len())
                .filter(|i| op.params[*i].location != ParamLocation::Path)
                .collect()
        };
        let (old_others, new_others) = (others(old), others(new));
        for &n in &new_others {
            let o = old_others
                .iter()
                .copied()
                .find(|o| old.params[*o].name == new.params[n].name);
            pairs.push((o, Some(n)));
        }
        for &o in &old_others {
            if !new_others
                .iter()
                .any(|n| new.params[*n].name == old.params[o].name)
            {
                pairs.push((Some(o), None));
            }
        }
        for pair in &pairs {
            match *pair {
                (Some(o), Some(n)) => self.param(&old.params[o], new, &new.params[n]),
                (None, Some(n)) => {
                    let p = &new.params[n];
                    let (breaking, why) = if p.positional {
                        (true, "a new argument of the method".to_string())
                    } else {
                        (
                            false,
                            format!(
                                "a new field of {}, which derives Default",
                                new.params_type.as_deref().unwrap_or("the params struct")
                            ),
                        )
                    };
                    let ty = param_rust(self.walk.new, p);
                    self.push(
                        ChangeKind::ParameterAdded,
                        breaking,
                        Some(&p.name),
                        Some(&format!("parameter {}", p.name)),
                        None,
                        Some(format!("{}: {ty}", p.name)),
                        why,
                    );
                }
                (Some(o), None) => {
                    let p = &old.params[o];
                    let ty = param_rust(self.walk.old, p);
                    let what = if p.positional {
                        "argument"
                    } else {
                        "params field"
                    };
                    self.push(
                        ChangeKind::ParameterRemoved,
                        true,
                        Some(&p.name),
                        Some(&format!("parameter {}", p.name)),
                        Some(format!("{}: {ty}", p.name)),
                        None,
                        format!("the {what} is gone"),
                    );
                }
                (None, None) => {}
            }
        }
        // Positional arguments keep their order; one that moves changes what a call means.
        let mut by_old: Vec<(usize, usize)> = pairs
            .iter()
            .filter_map(|(o, n)| Some(((*o)?, (*n)?)))
            .filter(|(o, n)| old.params[*o].positional && new.params[*n].positional)
            .collect();
        let mut by_new = by_old.clone();
        by_old.sort_by_key(|(o, _)| *o);
        by_new.sort_by_key(|(_, n)| *n);
        if by_old != by_new {
            let names = |order: &[(usize, usize)], op: &Operation, old_side: bool| {
                order
                    .iter()
                    .map(|(o, n)| op.params[if old_side { *o } else { *n }].name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.push(
                ChangeKind::ParameterOrderChanged,
                true,
                None,
                None,
                Some(names(&by_old, old, true)),
                Some(names(&by_new, new, false)),
                "the arguments come in another order: a call may compile and pass the wrong values"
                    .into(),
            );
        }
        match (&old.params_type, &new.params_type) {
            (None, Some(n)) => self.push(
                ChangeKind::ParamsStructChanged,
                true,
                Some(n),
                None,
                None,
                Some(format!("params: &operations::{n}")),
                "the method takes a new last argument for its optional inputs".into(),
            ),
            (Some(o), None) => self.push(
                ChangeKind::ParamsStructChanged,
                true,
                Some(o),
                None,
                Some(format!("params: &operations::{o}")),
                None,
                "the method no longer takes its params argument".into(),
            ),
            (Some(o), Some(n)) if o != n => self.push(
                ChangeKind::ParamsStructChanged,
                true,
                Some(n),
                None,
                Some(o.clone()),
                Some(n.clone()),
                "the params struct has another name".into(),
            ),
            _ => {}
        }
    }

    fn param(&mut self, o: &Param, new_op: &Operation, n: &Param) {
        let place = format!("parameter {}", n.name);
        let (old_ty, new_ty) = (param_rust(self.walk.old, o), param_rust(self.walk.new, n));
        if o.name != n.name {
            self.push(
                ChangeKind::ParameterRenamed,
                false,
                Some(&n.name),
                Some(&place),
                Some(o.name.clone()),
                Some(n.name.clone()),
                "a path argument under another name; callers pass it by position".into(),
            );
        }
        let pairs = (o.style == QueryStyle::Pairs, n.style == QueryStyle::Pairs);
        let same = match pairs {
            (true, true) => true,
            (false, false) => self.place(&o.ty, &n.ty, Directions::REQUEST, &place),
            _ => false,
        };
        if !same {
            self.push(
                ChangeKind::ParameterTypeChanged,
                true,
                Some(&n.name),
                Some(&place),
                Some(old_ty.clone()),
                Some(new_ty.clone()),
                "another Rust type".into(),
            );
        }
        if o.positional != n.positional {
            let why = if n.positional {
                "now required: a new argument of the method, no longer a params field".to_string()
            } else {
                format!(
                    "now optional: a field of {} (Option), no longer an argument",
                    new_op.params_type.as_deref().unwrap_or("the params struct")
                )
            };
            self.push(
                ChangeKind::ParameterRequirednessChanged,
                true,
                Some(&n.name),
                Some(&place),
                Some(
                    if o.positional {
                        "argument"
                    } else {
                        "params field"
                    }
                    .into(),
                ),
                Some(
                    if n.positional {
                        "argument"
                    } else {
                        "params field"
                    }
                    .into(),
                ),
                why,
            );
        }
        // A renamed path argument is sent under its new name: that is the rename.
        let wire_name_moved = o.wire_name != n.wire_name && o.name == n.name;
        let style_moved = o.style != n.style && !(pairs.0 || pairs.1);
        if o.location != n.location || wire_name_moved || style_moved {
            let wire = |p: &Param| {
                let mut text = format!("{} {}", location(p.location), p.wire_name);
                if style_moved {
                    text.push_str(&format!(" ({})", style(p.style)));
                }
                text
            };
            self.push(
                ChangeKind::ParameterWireChanged,
                false,
                Some(&n.name),
                Some(&place),
                Some(wire(o)),
                Some(wire(n)),
                "sent differently; the Rust side is unchanged".into(),
            );
        }
        for c in constraint_changes(&o.constraints, &n.constraints, "") {
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
                c.tightened,
                Some(&n.name),
                Some(&place),
                c.old.map(|v| format!("{} {v}", c.name)),
                c.new.map(|v| format!("{} {v}", c.name)),
                why.into(),
            );
        }
    }

    fn body(&mut self, old: &Operation, new: &Operation) {
        let walk_new = self.walk.new;
        let walk_old = self.walk.old;
        match (&old.body, &new.body) {
            (None, None) => {}
            (None, Some(b)) => self.push(
                ChangeKind::BodyAdded,
                true,
                None,
                Some("body"),
                None,
                Some(body_rust(walk_new, new, b)),
                "the method takes a new body argument".into(),
            ),
            (Some(b), None) => self.push(
                ChangeKind::BodyRemoved,
                true,
                None,
                Some("body"),
                Some(body_rust(walk_old, old, b)),
                None,
                "the method no longer takes a body".into(),
            ),
            (Some(Body::Json(o)), Some(Body::Json(n))) => {
                if !self.place(o, n, Directions::REQUEST, "body") {
                    let hint = self.walk.renamed(o, n);
                    self.push(
                        ChangeKind::BodyChanged,
                        true,
                        None,
                        Some("body"),
                        Some(rust(walk_old, o)),
                        Some(rust(walk_new, n)),
                        format!("a body of another Rust type{hint}"),
                    );
                }
            }
            (Some(Body::Form(o)), Some(Body::Form(n)))
            | (Some(Body::Multipart(o)), Some(Body::Multipart(n))) => {
                if old.form_type != new.form_type {
                    self.push(
                        ChangeKind::BodyChanged,
                        true,
                        None,
                        Some("form"),
                        old.form_type.clone(),
                        new.form_type.clone(),
                        "the form struct has another name".into(),
                    );
                }
                self.form(new.form_type.as_deref(), o, n);
            }
            (Some(Body::Binary(o)), Some(Body::Binary(n))) => {
                if o != n {
                    self.push(
                        ChangeKind::BodyChanged,
                        false,
                        None,
                        Some("body"),
                        Some(o.clone()),
                        Some(n.clone()),
                        "bytes sent with another content type; still rt::Bytes".into(),
                    );
                }
            }
            (Some(o), Some(n)) => self.push(
                ChangeKind::BodyChanged,
                true,
                None,
                Some("body"),
                Some(body_rust(walk_old, old, o)),
                Some(body_rust(walk_new, new, n)),
                "another kind of body".into(),
            ),
        }
    }

    /// Form fields: the form struct derives no `Default`, so any new field breaks a
    /// struct literal.
    fn form(&mut self, form_type: Option<&str>, old: &[FormField], new: &[FormField]) {
        let ty = |api: &Api, f: &FormField| {
            let t = rust(api, &f.ty);
            if f.required {
                format!("{}: {t}", f.name)
            } else {
                format!("{}: Option<{t}>", f.name)
            }
        };
        let (api_old, api_new) = (self.walk.old, self.walk.new);
        let push = |me: &mut Self, kind, breaking, f: &str, old, new, why: &str| {
            let place = format!("form → {f}");
            me.push(kind, breaking, Some(f), Some(&place), old, new, why.into());
            if let Some(last) = me.out.last_mut() {
                last.type_name = form_type.map(str::to_string);
            }
        };
        for n in new {
            match old.iter().find(|o| o.name == n.name) {
                None => push(
                    self,
                    ChangeKind::FieldAdded,
                    true,
                    &n.name,
                    None,
                    Some(ty(api_new, n)),
                    "form structs have no Default: struct literals must name it",
                ),
                Some(o) => {
                    let place = format!("form → {}", n.name);
                    if !self.place(&o.ty, &n.ty, Directions::REQUEST, &place) {
                        push(
                            self,
                            ChangeKind::FieldTypeChanged,
                            true,
                            &n.name,
                            Some(ty(api_old, o)),
                            Some(ty(api_new, n)),
                            "another Rust type",
                        );
                    } else if o.required != n.required {
                        push(
                            self,
                            ChangeKind::FieldRequirednessChanged,
                            true,
                            &n.name,
                            Some(ty(api_old, o)),
                            Some(ty(api_new, n)),
                            if n.required {
                                "now required"
                            } else {
                                "now optional"
                            },
                        );
                    }
                    if o.wire_name != n.wire_name {
                        push(
                            self,
                            ChangeKind::FieldWireNameChanged,
                            false,
                            &n.name,
                            Some(o.wire_name.clone()),
                            Some(n.wire_name.clone()),
                            "sent under another part name",
                        );
                    }
                }
            }
        }
        for o in old {
            if !new.iter().any(|n| n.name == o.name) {
                push(
                    self,
                    ChangeKind::FieldRemoved,
                    true,
                    &o.name,
                    Some(ty(api_old, o)),
                    None,
                    "code that sets it no longer compiles",
                );
            }
        }
    }

    fn success(&mut self, old: &Operation, new: &Operation) {
        let (api_old, api_new) = (self.walk.old, self.walk.new);
        let statuses = |op: &Operation| op.responses.iter().map(|r| r.status).collect::<Vec<_>>();
        match (&old.success, &new.success) {
            (Success::Enum, Success::Enum) => {
                if old.response_type != new.response_type {
                    self.push(
                        ChangeKind::SuccessTypeChanged,
                        true,
                        None,
                        Some("response"),
                        old.response_type.clone(),
                        new.response_type.clone(),
                        "the response enum has another name".into(),
                    );
                }
                let enum_name = new.response_type.clone();
                for n in &new.responses {
                    let place = format!("response {}", n.status);
                    let field = n.status.to_string();
                    let Some(o) = old.responses.iter().find(|o| o.status == n.status) else {
                        self.push(
                            ChangeKind::SuccessStatusAdded,
                            true,
                            Some(&field),
                            Some(&place),
                            None,
                            Some(variant_rust(api_new, &n.variant, &n.body)),
                            "a new variant of the response enum: a match must handle it".into(),
                        );
                        self.typed(&enum_name);
                        continue;
                    };
                    let same = self.same_body(&o.body, &n.body, &place);
                    if !same || o.variant != n.variant {
                        self.push(
                            ChangeKind::SuccessTypeChanged,
                            true,
                            Some(&field),
                            Some(&place),
                            Some(variant_rust(api_old, &o.variant, &o.body)),
                            Some(variant_rust(api_new, &n.variant, &n.body)),
                            if same {
                                "the variant has another name".into()
                            } else {
                                "the variant holds another Rust type".into()
                            },
                        );
                        self.typed(&enum_name);
                    }
                }
                for o in &old.responses {
                    if !new.responses.iter().any(|n| n.status == o.status) {
                        self.push(
                            ChangeKind::SuccessStatusRemoved,
                            true,
                            Some(&o.status.to_string()),
                            Some(&format!("response {}", o.status)),
                            Some(variant_rust(api_old, &o.variant, &o.body)),
                            None,
                            "the variant is gone from the response enum".into(),
                        );
                        self.typed(&enum_name);
                    }
                }
            }
            (Success::Single(o), Success::Single(n))
            | (Success::Optional(o), Success::Optional(n)) => {
                if !self.same_body(o, n, "response") {
                    self.push(
                        ChangeKind::SuccessTypeChanged,
                        true,
                        None,
                        Some("response"),
                        Some(success_rust(api_old, old)),
                        Some(success_rust(api_new, new)),
                        "the method returns another Rust type".into(),
                    );
                }
                let (before, after) = (statuses(old), statuses(new));
                for s in after.iter().filter(|s| !before.contains(s)) {
                    self.push(
                        ChangeKind::SuccessStatusAdded,
                        false,
                        Some(&s.to_string()),
                        Some(&format!("response {s}")),
                        None,
                        Some(success_rust(api_new, new)),
                        "decoded into the same type".into(),
                    );
                }
                for s in before.iter().filter(|s| !after.contains(s)) {
                    self.push(
                        ChangeKind::SuccessStatusRemoved,
                        false,
                        Some(&s.to_string()),
                        Some(&format!("response {s}")),
                        Some(success_rust(api_old, old)),
                        None,
                        "the method returns the same type; the server no longer answers with it"
                            .into(),
                    );
                }
            }
            _ => {
                let list = |op: &Operation| {
                    statuses(op)
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                self.push(
                    ChangeKind::SuccessTypeChanged,
                    true,
                    None,
                    Some("response"),
                    Some(success_rust(api_old, old)),
                    Some(success_rust(api_new, new)),
                    format!(
                        "the method returns another Rust type (statuses {} → {})",
                        list(old),
                        list(new)
                    ),
                );
            }
        }
    }

    /// Marks the last change as concerning the response enum.
    fn typed(&mut self, name: &Option<String>) {
        if let Some(last) = self.out.last_mut() {
            last.type_name = name.clone();
        }
    }

    fn same_body(&mut self, old: &ResponseBody, new: &ResponseBody, place: &str) -> bool {
        match (old, new) {
            (ResponseBody::Json(o), ResponseBody::Json(n)) => {
                self.place(o, n, Directions::RESPONSE, place)
            }
            (o, n) => o == n,
        }
    }

    fn error(&mut self, old: &Operation, new: &Operation) {
        if !self.place(&old.error, &new.error, Directions::RESPONSE, "error") {
            let (o, n) = (
                rust(self.walk.old, &old.error),
                rust(self.walk.new, &new.error),
            );
            self.push(
                ChangeKind::ErrorTypeChanged,
                true,
                None,
                Some("error"),
                Some(format!("rt::Error<{o}>")),
                Some(format!("rt::Error<{n}>")),
                "error bodies are read into another type".into(),
            );
        }
    }

    fn paging(&mut self, old: &Operation, new: &Operation) {
        let stream = |op: &Operation| op.stream.as_deref().map(display_name);
        match (&old.paging, &new.paging) {
            (None, None) => {}
            (None, Some(_)) => self.push(
                ChangeKind::PagingAdded,
                false,
                None,
                Some("paging"),
                None,
                stream(new),
                "a new method streams every item".into(),
            ),
            (Some(_), None) => self.push(
                ChangeKind::PagingRemoved,
                true,
                None,
                Some("paging"),
                stream(old),
                None,
                "the stream method is gone".into(),
            ),
            (Some(o), Some(n)) => {
                let (o, n) = (paging_facts(o), paging_facts(n));
                if old.name == new.name && old.stream != new.stream {
                    self.push(
                        ChangeKind::PagingChanged,
                        true,
                        None,
                        Some("paging"),
                        stream(old),
                        stream(new),
                        "the stream method has another name".into(),
                    );
                }
                if !self.place(o.item, n.item, Directions::RESPONSE, "stream item") {
                    self.push(
                        ChangeKind::PagingChanged,
                        true,
                        None,
                        Some("stream item"),
                        Some(rust(self.walk.old, o.item)),
                        Some(rust(self.walk.new, n.item)),
                        "the stream yields items of another Rust type".into(),
                    );
                }
                if o.kind != n.kind || o.settings != n.settings {
                    let text =
                        |f: &PagingFacts<'_>| format!("{} {}", f.kind, f.settings.join(", "));
                    self.push(
                        ChangeKind::PagingChanged,
                        false,
                        None,
                        Some("paging"),
                        Some(text(&o)),
                        Some(text(&n)),
                        "pages are fetched differently; the stream method is unchanged".into(),
                    );
                }
            }
        }
    }

    /// Waiters poll this operation through a `wait_until_<name>` method and a
    /// `waiters::<NAME>` rule; matched by name.
    fn waiters(&mut self, old: &Operation, new: &Operation) {
        let named = |w: &Waiter| format!("{} (waiters::{})", w.method, w.constant);
        for n in &new.waiters {
            let place = format!("waiter {}", n.name);
            let Some(o) = old.waiters.iter().find(|o| o.name == n.name) else {
                self.push(
                    ChangeKind::WaiterAdded,
                    false,
                    Some(&n.name),
                    Some(&place),
                    None,
                    Some(named(n)),
                    "a new method waits until the work is done".into(),
                );
                continue;
            };
            if named(o) != named(n) {
                self.push(
                    ChangeKind::WaiterChanged,
                    true,
                    Some(&n.name),
                    Some(&place),
                    Some(named(o)),
                    Some(named(n)),
                    "the waiter's method or rule constant has another name".into(),
                );
            }
            // A state that ended the wait with success may now not, or end it as failed.
            let success_lost = o.success.iter().any(|v| !n.success.contains(v));
            let failure_new = n.failure.iter().any(|v| !o.failure.contains(v));
            let stricter =
                success_lost || failure_new || (n.unknown_is_failure && !o.unknown_is_failure);
            if states(o) != states(n) {
                let why = if stricter {
                    "a state that ended the wait with success may now keep it waiting or end it as failed"
                } else {
                    "the wait reads other states; every state that ended it before still does"
                };
                self.push(
                    ChangeKind::WaiterChanged,
                    stricter,
                    Some(&n.name),
                    Some(&place),
                    Some(states(o)),
                    Some(states(n)),
                    why.into(),
                );
            }
            if timing(o) != timing(n) {
                self.push(
                    ChangeKind::WaiterChanged,
                    false,
                    Some(&n.name),
                    Some(&place),
                    Some(timing(o)),
                    Some(timing(n)),
                    "other default pauses, deadline or progress fields; the method is unchanged"
                        .into(),
                );
            }
        }
        for o in &old.waiters {
            if !new.waiters.iter().any(|n| n.name == o.name) {
                self.push(
                    ChangeKind::WaiterRemoved,
                    true,
                    Some(&o.name),
                    Some(&format!("waiter {}", o.name)),
                    Some(named(o)),
                    None,
                    "the wait method and its rule are gone".into(),
                );
            }
        }
    }

    /// What the command line waits for after the operation answers (`x-migrate-wait`,
    /// in the cli feature's `api::OPERATIONS`).
    fn then_wait(&mut self, old: &Operation, new: &Operation) {
        let follow_ups = |api: &Api, op: &Operation| -> Vec<String> {
            op.then_wait
                .iter()
                .map(|t| {
                    let waiter = api
                        .operations
                        .get(t.operation)
                        .and_then(|polled| polled.waiters.get(t.waiter))
                        .map_or("?", |w| w.name.as_str());
                    let status = t
                        .status
                        .map_or("any success".to_string(), |s| s.to_string());
                    format!("{status}: {waiter} on {}", t.id)
                })
                .collect()
        };
        let (before, after) = (
            follow_ups(self.walk.old, old),
            follow_ups(self.walk.new, new),
        );
        if before != after {
            self.push(
                ChangeKind::ThenWaitChanged,
                false,
                None,
                Some("then wait"),
                (!before.is_empty()).then(|| before.join(", ")),
                (!after.is_empty()).then(|| after.join(", ")),
                "the command line waits for other work after the operation answers".into(),
            );
        }
    }

    fn deprecation(&mut self, old: &Operation, new: &Operation) {
        if let Some(detail) = super::deprecation(&old.docs.deprecated, &new.docs.deprecated) {
            self.push(
                ChangeKind::DeprecationChanged,
                false,
                None,
                None,
                None,
                None,
                detail,
            );
        }
    }
}

/// What a caller can tell about how an operation pages.
struct PagingFacts<'a> {
    kind: &'static str,
    item: &'a TypeRef,
    settings: Vec<String>,
}

/// One arm per kind of paging the model has.
fn paging_facts(paging: &Paging) -> PagingFacts<'_> {
    match paging {
        Paging::ContentRange {
            max_page_size,
            default_order,
            item,
            ..
        } => PagingFacts {
            kind: "content-range",
            item,
            settings: vec![
                format!("max page size {max_page_size}"),
                format!(
                    "default order {}",
                    default_order.as_deref().unwrap_or("none")
                ),
            ],
        },
        Paging::NextLink {
            items,
            next,
            rel,
            item,
        } => PagingFacts {
            kind: "next-link",
            item,
            settings: vec![
                format!("items at {items}"),
                format!("next link at {next}"),
                format!("rel {rel}"),
            ],
        },
    }
}

/// Values as a list: `a, b`, or `none`.
fn list(values: &[String]) -> String {
    if values.is_empty() {
        "none".into()
    } else {
        values.join(", ")
    }
}

fn style(style: QueryStyle) -> String {
    match style {
        QueryStyle::Plain(c) => format!("joined by {c:?}"),
        QueryStyle::Repeated => "repeated".into(),
        QueryStyle::Json => "as JSON".into(),
        QueryStyle::Pairs => "pairs".into(),
        QueryStyle::DeepObject => "deepObject".into(),
        QueryStyle::Exploded => "exploded".into(),
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// A parameter's type as the method or its params struct has it.
fn param_rust(api: &Api, p: &Param) -> String {
    let ty = if p.style == QueryStyle::Pairs {
        "Vec<(String, String)>".to_string()
    } else {
        rust(api, &p.ty)
    };
    if p.positional {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

fn body_rust(api: &Api, op: &Operation, body: &Body) -> String {
    match body {
        Body::Json(t) => rust(api, t),
        Body::Form(_) | Body::Multipart(_) => format!(
            "operations::{}",
            op.form_type.as_deref().unwrap_or("(form)")
        ),
        Body::Binary(content_type) => format!("rt::Bytes ({content_type})"),
    }
}

fn response_body_rust(api: &Api, body: &ResponseBody) -> String {
    match body {
        ResponseBody::Empty => "()".into(),
        ResponseBody::Json(t) => rust(api, t),
        ResponseBody::Text => "String".into(),
        ResponseBody::Binary => "rt::Bytes".into(),
    }
}

fn variant_rust(api: &Api, variant: &str, body: &ResponseBody) -> String {
    match body {
        ResponseBody::Empty => variant.to_string(),
        body => format!("{variant}({})", response_body_rust(api, body)),
    }
}

/// What the method returns inside `rt::Response`.
fn success_rust(api: &Api, op: &Operation) -> String {
    match &op.success {
        Success::Single(body) => response_body_rust(api, body),
        Success::Optional(body) => format!("Option<{}>", response_body_rust(api, body)),
        Success::Enum => format!(
            "operations::{}",
            op.response_type.as_deref().unwrap_or("()")
        ),
    }
}

/// What a waiter reads and what its values mean.
fn states(w: &Waiter) -> String {
    let mut text = format!(
        "{}: success {}; failure {}",
        w.state.join(" or "),
        list(&w.success),
        list(&w.failure)
    );
    if !w.pending.is_empty() {
        text.push_str(&format!("; pending {}", list(&w.pending)));
    }
    if w.unknown_is_failure {
        text.push_str("; other values fail");
    }
    text
}

/// A waiter's default pauses and deadline, and what it shows while waiting.
fn timing(w: &Waiter) -> String {
    let mut text = format!(
        "pauses {}..{} ms, deadline {} s",
        w.interval_ms, w.max_interval_ms, w.timeout_s
    );
    for (what, pointer) in [
        ("progress", &w.progress),
        ("detail", &w.detail),
        ("messages", &w.messages),
    ] {
        if let Some(pointer) = pointer {
            text.push_str(&format!(", {what} at {pointer}"));
        }
    }
    text
}
