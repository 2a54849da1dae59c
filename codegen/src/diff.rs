//! What changes for a Rust caller between the clients two specs generate.
//!
//! Tools such as oasdiff compare the documents. A caller of the generated client does
//! not see the document; it sees method names, argument lists, structs, `Option`s,
//! enums and return types. Those are decided by normalization, so this module compares
//! two [`Api`]s, the intermediate model the emitters write out, and reports each
//! difference a caller can meet, with whether it breaks code that compiled and worked
//! against the old client:
//!
//! - a derived operation name that changes is a renamed method, so operations are
//!   matched by method and path template first (path parameter names left out) and by
//!   name second ([`operations`]);
//! - types are compared by the Rust type a place has (named types by name, aliases seen
//!   through, as `pub type` is), and named types are followed from the operations so
//!   that a change deep in a body is reported once, at its type, with the path a caller
//!   takes to it (`import_session_create body → name`) and every operation that
//!   reaches it ([`types`]);
//! - whether a change breaks depends on which way the type travels: a new required
//!   field breaks a request struct but not a response one, a tightened constraint is
//!   checked only before sending. A type's directions are known only after every
//!   operation has been walked, so type changes are collected with a rule
//!   ([`Breaks`]) and decided at the end.
//!
//! [`report`] writes the result as text, Markdown or JSON.

mod operations;
pub mod report;
mod types;

use serde::Serialize;

use crate::ir::{Api, TypeId};

/// Everything that changed, in a stable order: removed operations, then the changes of
/// each operation of the new API in its order, then changes inside types by type name.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The old side.
    pub old: Side,
    /// The new side.
    pub new: Side,
    /// The changes.
    pub changes: Vec<Change>,
}

/// One of the two specs compared.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The spec file as named.
    pub file: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// How many operations (client methods) it gives.
    pub operations: usize,
    /// How many named types it gives.
    pub types: usize,
}

impl Report {
    /// How many changes break callers.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// (all, breaking) counts per kind, in [`ChangeKind::ALL`] order, kinds that did not
    /// occur left out.
    pub fn by_kind(&self) -> Vec<(ChangeKind, usize, usize)> {
        ChangeKind::ALL
            .iter()
            .filter_map(|kind| {
                let of_kind = self.changes.iter().filter(|c| c.kind == *kind);
                let all = of_kind.clone().count();
                let breaking = of_kind.filter(|c| c.breaking).count();
                (all > 0).then_some((*kind, all, breaking))
            })
            .collect()
    }
}

/// One difference a caller of the generated client can meet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Whether code written against the old client fails to compile, or compiles and
    /// then fails, against the new one.
    pub breaking: bool,
    /// The client method concerned (the new name; the old one when it was removed).
    /// For a change inside a type: the first operation that reaches the type.
    pub operation: Option<String>,
    /// The named Rust type concerned, when the change is inside one.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// The field, parameter, enum value, union variant or status concerned.
    pub field: Option<String>,
    /// How a caller gets there from the operation: `import_session_create`, `body`,
    /// `name`; list items are `[]`, map values `{}`.
    pub path: Vec<String>,
    /// What it was (a Rust type, a name, a value), when that says something.
    pub old: Option<String>,
    /// What it is now.
    pub new: Option<String>,
    /// Why it breaks or does not, in a few words.
    pub detail: String,
    /// For a change inside a type: every operation that reaches the type (new names).
    pub operations: Vec<String>,
}

impl Change {
    /// The path as one line: `import_session_create body → name`.
    pub fn path_text(&self) -> String {
        let mut out = String::new();
        for (i, segment) in self.path.iter().enumerate() {
            if i == 0 {
                out.push_str(segment);
            } else if i == 1 {
                out.push(' ');
                out.push_str(segment);
            } else if segment.starts_with('[') || segment.starts_with('{') {
                out.push_str(segment);
            } else {
                out.push_str(" → ");
                out.push_str(segment);
            }
        }
        out
    }
}

macro_rules! kinds {
    ($($(#[doc = $doc:literal])* $kind:ident = $name:literal,)*) => {
        /// The kinds of change, each with a stable snake_case name (the JSON `kind`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChangeKind {
            $($(#[doc = $doc])* $kind,)*
        }

        impl ChangeKind {
            /// Every kind, in the order reports list them.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$kind,)*];

            /// The stable name.
            pub fn name(self) -> &'static str {
                match self {
                    $(ChangeKind::$kind => $name,)*
                }
            }
        }
    };
}

kinds! {
    /// A new client method.
    OperationAdded = "operation_added",
    /// A client method that is gone.
    OperationRemoved = "operation_removed",
    /// The same method and path under another method name.
    OperationRenamed = "operation_renamed",
    /// The same method name on another HTTP method or path.
    OperationMoved = "operation_moved",
    /// An operation (or a field) newly marked deprecated, or no longer.
    DeprecationChanged = "deprecation_changed",
    /// A new parameter: a new argument when required, a new `params` field when not.
    ParameterAdded = "parameter_added",
    /// A parameter that is gone.
    ParameterRemoved = "parameter_removed",
    /// A parameter of another Rust type.
    ParameterTypeChanged = "parameter_type_changed",
    /// A parameter that became required (an argument) or optional (a `params` field).
    ParameterRequirednessChanged = "parameter_requiredness_changed",
    /// Positional arguments in another order.
    ParameterOrderChanged = "parameter_order_changed",
    /// A positional argument under another name (callers pass it by position).
    ParameterRenamed = "parameter_renamed",
    /// A parameter sent elsewhere, under another name or in another style, the Rust
    /// side unchanged.
    ParameterWireChanged = "parameter_wire_changed",
    /// The method gained or lost its `params` argument, or the struct was renamed.
    ParamsStructChanged = "params_struct_changed",
    /// A request body where there was none.
    BodyAdded = "body_added",
    /// A request body that is gone.
    BodyRemoved = "body_removed",
    /// A request body of another Rust type or kind.
    BodyChanged = "body_changed",
    /// A new field of a struct (or a form).
    FieldAdded = "field_added",
    /// A field that is gone.
    FieldRemoved = "field_removed",
    /// A field of another Rust type.
    FieldTypeChanged = "field_type_changed",
    /// A field that became required or optional.
    FieldRequirednessChanged = "field_requiredness_changed",
    /// A field that may now be `null`, or no longer.
    FieldNullabilityChanged = "field_nullability_changed",
    /// A field sent under another JSON name, the Rust name unchanged.
    FieldWireNameChanged = "field_wire_name_changed",
    /// A request struct that no longer derives `Default`, or now does.
    DefaultChanged = "default_changed",
    /// A struct's `FIELDS` constant (the default `select`) that is gone or new.
    FieldsConstantChanged = "fields_constant_changed",
    /// A new enum value.
    EnumValueAdded = "enum_value_added",
    /// An enum value that is gone.
    EnumValueRemoved = "enum_value_removed",
    /// The same enum value under another Rust variant name.
    EnumValueRenamed = "enum_value_renamed",
    /// A new union alternative.
    UnionVariantAdded = "union_variant_added",
    /// A union alternative that is gone.
    UnionVariantRemoved = "union_variant_removed",
    /// A union alternative of another Rust type.
    UnionVariantChanged = "union_variant_changed",
    /// Another discriminator property or discriminator values.
    UnionTagChanged = "union_tag_changed",
    /// A named type that became another kind (struct, enum, union, alias), or an alias
    /// to another type.
    TypeChanged = "type_changed",
    /// A new success status.
    SuccessStatusAdded = "success_status_added",
    /// A success status that is gone.
    SuccessStatusRemoved = "success_status_removed",
    /// Another success type (what the method returns in `rt::Response`), or a status
    /// whose body is of another type.
    SuccessTypeChanged = "success_type_changed",
    /// Another error body type (the `E` of `rt::Error<E>`).
    ErrorTypeChanged = "error_type_changed",
    /// A constraint checked before sending that refuses values it accepted.
    ConstraintTightened = "constraint_tightened",
    /// A constraint checked before sending that accepts more.
    ConstraintLoosened = "constraint_loosened",
    /// A new `_stream` method: the operation pages now.
    PagingAdded = "paging_added",
    /// The operation no longer pages: its `_stream` method is gone.
    PagingRemoved = "paging_removed",
    /// Paging of another kind, item type or settings.
    PagingChanged = "paging_changed",
    /// A new waiter: a `wait_until_<name>` method and its rule.
    WaiterAdded = "waiter_added",
    /// A waiter that is gone.
    WaiterRemoved = "waiter_removed",
    /// A waiter that reads other states, counts other values as success or failure,
    /// or pauses differently.
    WaiterChanged = "waiter_changed",
    /// Other work to wait for after the operation answers (the command line's
    /// `x-migrate-wait`).
    ThenWaitChanged = "then_wait_changed",
    /// `Client::BASE_PATH` changed.
    BasePathChanged = "base_path_changed",
}

impl Serialize for ChangeKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// When a change inside a type breaks callers: that depends on which way the type
/// travels, known only when every operation has been walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Breaks {
    /// Wherever the type is.
    Always,
    /// Nowhere.
    Never,
    /// When requests carry the type (callers build it).
    InRequests,
    /// Shown only when requests carry the type, breaking or not (constraints: only
    /// requests are checked).
    OnlyInRequests(bool),
}

/// Which ways a type travels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Directions {
    /// Callers build it (parameters, bodies).
    pub request: bool,
    /// Callers read it (success and error bodies).
    pub response: bool,
}

impl Directions {
    pub(crate) const REQUEST: Directions = Directions {
        request: true,
        response: false,
    };
    pub(crate) const RESPONSE: Directions = Directions {
        request: false,
        response: true,
    };
}

/// A change found inside a pair of same-named types, before its directions are known.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub change: Change,
    pub breaks: Breaks,
    /// The detail when [`Breaks::InRequests`] decides the change does not break (no
    /// request carries the type); `change.detail` is the one when it does.
    pub otherwise: Option<String>,
}

/// What a change in deprecation means for callers, when there is one.
pub(crate) fn deprecation(old: &Option<String>, new: &Option<String>) -> Option<String> {
    match (old, new) {
        (None, Some(note)) => {
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(" ({note})")
            };
            Some(format!(
                "now #[deprecated]{note}: uses of it warn, an error under -D warnings"
            ))
        }
        (Some(_), None) => Some("no longer deprecated".into()),
        _ => None,
    }
}

/// A pair of same-named types, one per side.
pub(crate) type Pair = (TypeId, TypeId);

/// Compares the client `old` generates with the one `new` generates.
///
/// `old_file` and `new_file` only name the sides in the report.
pub fn diff(old: &Api, old_file: &str, new: &Api, new_file: &str) -> Report {
    let side = |api: &Api, file: &str| Side {
        file: file.to_string(),
        title: api.title.clone(),
        version: api.version.clone(),
        operations: api.operations.len(),
        types: api.types.len(),
    };
    let mut walk = types::Walk::new(old, new);
    let mut changes = operations::compare(&mut walk);
    if old.base_path != new.base_path {
        changes.push(Change {
            kind: ChangeKind::BasePathChanged,
            breaking: false,
            operation: None,
            type_name: Some("Client".into()),
            field: Some("BASE_PATH".into()),
            path: Vec::new(),
            old: Some(old.base_path.clone()),
            new: Some(new.base_path.clone()),
            detail: "callers that build the base URL from Client::BASE_PATH get the new one".into(),
            operations: Vec::new(),
        });
    }
    changes.extend(walk.finish());
    Report {
        old: side(old, old_file),
        new: side(new, new_file),
        changes,
    }
}

/// Counts of changes per kind for a summary line: `3 operation_added, 1 field_removed`.
pub fn summary(report: &Report) -> String {
    report
        .by_kind()
        .iter()
        .map(|(kind, n, _)| format!("{n} {}", kind.name()))
        .collect::<Vec<_>>()
        .join(", ")
}
