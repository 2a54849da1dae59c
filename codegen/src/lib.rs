//! `migrate-codegen` turns Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2 specs into typed
//! async Rust clients.
//!
//! The pipeline has one module per stage, each a pure function of the one
//! before it (no stage touches the filesystem):
//!
//! 1. [`load`]: text → JSON value, with line/column errors; which dialect.
//! 2. [`overlay`]: OpenAPI Overlay 1.0 documents applied to the value.
//! 3. [`upgrade`]: Swagger 2.0 → the shape of OpenAPI 3.
//! 4. [`normalize`]: the document, read through the lenient [`spec`] view → [`ir::Api`],
//!    where names, types and operations are decided.
//! 5. [`emit`]: → tokens; [`format`]: → formatted Rust source.
//!
//! [`generate`] runs stages 1–5 for one spec; [`crate_files`] lays out a
//! standalone crate from one or more generated modules. [`model`] runs stages 1–4, and
//! [`diff`] compares the models of two specs as the Rust APIs they give.

#![deny(missing_docs)]

pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod manifest;
pub mod normalize;
pub mod overlay;
pub mod spec;
mod standalone;
pub mod upgrade;

pub use error::{summary, Error, Location, Place, Warning, WarningKind};
pub use load::{Dialect, Source};
pub use manifest::Manifest;
pub use normalize::NamingStyle;
pub use standalone::{crate_files, RuntimeDependency};

/// How to generate, beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Every warning is an error (notes stay notes): for specs that must be right.
    pub strict: bool,
    /// How operations without an `operationId` are named.
    pub naming: NamingStyle,
    /// Make a type of every component schema, also those no operation uses (by
    /// default only what the operations reach is generated).
    pub all_schemas: bool,
    /// Which operations to generate (all by default); the types they need follow.
    pub select: normalize::Selection,
    /// One module and one cargo feature per tag ([`Generated::tags`]); the types are
    /// shared, each compiled when a tag that needs it is on.
    pub split_by_tag: bool,
}

/// One tag's module of a crate split by tag.
#[derive(Debug, Clone)]
pub struct TagModule {
    /// The module and cargo feature name (the tag in snake_case).
    pub module: String,
    /// The tag as the spec writes it.
    pub tag: String,
    /// The module's formatted source.
    pub code: String,
    /// How many operations it holds.
    pub operations: usize,
}

/// The generated code for one spec.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Formatted Rust source: items meant to be a module's contents.
    pub code: String,
    /// The spec's title.
    pub title: String,
    /// The spec's version.
    pub version: String,
    /// The spec's description, for module docs.
    pub description: Option<String>,
    /// The dialect the spec is written in.
    pub dialect: Dialect,
    /// Constructs that were worked around.
    pub warnings: Vec<Warning>,
    /// How many operations (client methods) there are.
    pub operation_count: usize,
    /// How many named types there are.
    pub type_count: usize,
    /// What the types are.
    pub stats: Stats,
    /// With [`Options::split_by_tag`], each tag's module (and `code` is the root: the
    /// types and the `Client`); empty otherwise.
    pub tags: Vec<TagModule>,
}

/// What a generated module holds, for `migrate-codegen inspect`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Structs.
    pub structs: usize,
    /// String enums.
    pub enums: usize,
    /// Unions picked by a discriminator.
    pub tagged_unions: usize,
    /// Unions picked by the shape of the value.
    pub untagged_unions: usize,
    /// Type aliases.
    pub aliases: usize,
    /// Places (fields, parameters, bodies, union variants) typed `serde_json::Value`:
    /// free-form JSON in the spec, or a fallback the warnings explain.
    pub value_places: usize,
}

impl Stats {
    fn of(api: &ir::Api) -> Self {
        use ir::{Body, ResponseBody, TypeKind, TypeRef};
        let mut stats = Stats::default();
        let mut values = |ty: &TypeRef| {
            if *ty == TypeRef::Any {
                stats.value_places += 1;
            }
        };
        for def in &api.types {
            match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().for_each(|f| values(&f.ty)),
                TypeKind::Union(u) => u.variants.iter().for_each(|v| values(&v.ty)),
                TypeKind::Alias(t) => values(t),
                TypeKind::Enum(_) => {}
            }
        }
        for op in &api.operations {
            op.params.iter().for_each(|p| values(&p.ty));
            if let Some(Body::Json(t)) = &op.body {
                values(t);
            }
            for r in &op.responses {
                if let ResponseBody::Json(t) = &r.body {
                    values(t);
                }
            }
        }
        for def in &api.types {
            match &def.kind {
                TypeKind::Struct(_) => stats.structs += 1,
                TypeKind::Enum(_) => stats.enums += 1,
                TypeKind::Union(u) if u.tag.is_some() => stats.tagged_unions += 1,
                TypeKind::Union(_) => stats.untagged_unions += 1,
                TypeKind::Alias(_) => stats.aliases += 1,
            }
        }
        stats
    }
}

/// Generates the client module for `spec`, after applying `overlays` to it.
///
/// A defect that leaves the rest of the spec usable is a [`Warning`] in the result (an
/// error with [`Options::strict`]); only input that cannot be a spec at all is an
/// error. Never panics: a bug that would panic is reported as an error instead.
pub fn generate(spec: &Source, overlays: &[Source], options: &Options) -> Result<Generated, Error> {
    unwound(spec, || generate_inner(spec, overlays, options))
}

/// The intermediate model of `spec` after applying `overlays` (stages 1–4, what
/// [`generate`] emits), with the warnings of reading it: for tools that look at the
/// API a spec gives without writing it out, such as [`diff`].
///
/// Errors, warnings and [`Options::strict`] are those of [`generate`]; never panics.
pub fn model(
    spec: &Source,
    overlays: &[Source],
    options: &Options,
) -> Result<(ir::Api, Vec<Warning>), Error> {
    unwound(spec, || {
        model_inner(spec, overlays, options).map(|(api, warnings, _)| (api, warnings))
    })
}

/// Runs `run`, turning a panic (a bug) into an error about `spec`.
fn unwound<T>(spec: &Source, run: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::in_file(
                &spec.name,
                format!("internal error in the generator (please report it): {what}"),
            ))
        }
    }
}

fn model_inner(
    spec: &Source,
    overlays: &[Source],
    options: &Options,
) -> Result<(ir::Api, Vec<Warning>, Dialect), Error> {
    let file = spec.name.as_str();
    let mut warnings = Vec::new();
    let mut document = load::parse(spec)?;
    let dialect = load::dialect(file, &document, &mut warnings)?;
    for overlay in overlays {
        overlay::apply(&mut document, overlay, &mut warnings)?;
    }
    let upgraded = upgrade::upgrade(file, dialect, document, &mut warnings);
    let reader = spec::Spec::new(file, dialect, &upgraded);
    let settings = normalize::Settings {
        naming: options.naming,
        all_schemas: options.all_schemas,
        select: &options.select,
    };
    let api = normalize::normalize(&reader, settings);
    warnings.extend(reader.take_warnings());
    // A schema reached from several places is read once per place; say each thing once.
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert(w.to_string()));
    if options.strict {
        let mut errors = warnings.iter().filter(|w| !w.kind.is_note()).cloned();
        if let Some(first) = errors.next() {
            let more: Vec<Warning> = errors.collect();
            return Err(Error {
                location: first.location,
                message: format!(
                    "{} [{}; --strict makes this and {} more warning{} errors]",
                    first.message,
                    first.kind.name(),
                    more.len(),
                    if more.len() == 1 { "" } else { "s" }
                ),
                more,
            });
        }
    }
    Ok((api, warnings, dialect))
}

fn generate_inner(
    spec: &Source,
    overlays: &[Source],
    options: &Options,
) -> Result<Generated, Error> {
    let file = spec.name.as_str();
    // The document is freed inside `model_inner`, before emitting, so that emitting and
    // formatting can reuse its memory.
    let (mut api, warnings, dialect) = model_inner(spec, overlays, options)?;
    let (code, tags) = if options.split_by_tag {
        split_by_tag(file, &mut api)?
    } else {
        (
            format::format_sections(file, &api, &emit::SECTIONS)?,
            Vec::new(),
        )
    };
    let stats = Stats::of(&api);
    Ok(Generated {
        stats,
        tags,
        code,
        title: api.title.clone(),
        version: api.version.clone(),
        description: api.description.clone(),
        dialect,
        warnings,
        operation_count: api.operations.len(),
        type_count: api.types.len(),
    })
}

/// The root and one module per tag. An operation belongs to its first tag (or to
/// `untagged`); each type is gated by the features of the tags that reach it. A wait an
/// answer links to another tag's waiter is not kept (the waiter stays in its own module).
fn split_by_tag(file: &str, api: &mut ir::Api) -> Result<(String, Vec<TagModule>), Error> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut groups: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, op) in api.operations.iter().enumerate() {
        let tag = op
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| "untagged".to_string());
        let module = normalize::tag_module(&tag);
        groups
            .entry(module)
            .or_insert_with(|| (tag, Vec::new()))
            .1
            .push(i);
    }
    let mut features: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.types.len()];
    for (module, (_, ops)) in &groups {
        for id in api.reachable_from(ops) {
            features[id.0].insert(module.clone());
        }
    }
    for (def, needed) in api.types.iter_mut().zip(features) {
        def.features = needed.into_iter().collect();
    }
    let root = format::format_sections(file, api, &emit::ROOT_SECTIONS)?;
    let mut modules = Vec::new();
    for (module, (tag, ops)) in groups {
        let mut part = api.clone_without_operations();
        part.operations = ops.iter().map(|&i| api.operations[i].clone()).collect();
        for op in &mut part.operations {
            op.then_wait
                .retain_mut(|t| match ops.iter().position(|&i| i == t.operation) {
                    Some(local) => {
                        t.operation = local;
                        true
                    }
                    None => false,
                });
        }
        let code = format::format_sections(file, &part, &emit::TAG_SECTIONS)?;
        modules.push(TagModule {
            module,
            tag,
            code,
            operations: ops.len(),
        });
    }
    Ok((root, modules))
}
