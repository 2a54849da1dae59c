//! `migrate-codegen`: writes a standalone client crate from specs, says what specs
//! hold (`inspect`), or what changes for callers between two (`diff`). This file and
//! `inspect.rs` are the binary, the only place that touches the filesystem.

mod inspect;

/// See the `mimalloc` feature in Cargo.toml.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};
use migrate_codegen::{
    crate_files, generate, Manifest, NamingStyle, Options, RuntimeDependency, Source,
};

#[derive(Parser)]
#[command(
    name = "migrate-codegen",
    version,
    about = "Generate typed async Rust clients from Swagger 2.0 and OpenAPI 3.0/3.1/3.2 specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a standalone crate (Cargo.toml + src/) for one or more specs.
    Generate {
        #[command(flatten)]
        input: Input,
        /// Where to write the crate.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The crate's name.
        #[arg(long, default_value = "migrate-client")]
        name: String,
        /// Depend on the migrate-runtime crate at DIR as well as on its version (for building
        /// before it is published). A relative DIR is taken from the current directory and
        /// written relative to --out, so the crate builds wherever the two are moved together.
        /// Without it the crate depends on the published version only.
        #[arg(long, value_name = "DIR")]
        runtime_path: Option<PathBuf>,
        /// Write nothing; exit 0 if --out holds exactly what would be written, 1 naming the
        /// files that differ (for projects that commit generated code).
        #[arg(long)]
        check: bool,
    },
    /// Say what specs hold and what generating them gives, without writing a crate:
    /// dialect, operations, types, unions, `serde_json::Value` places, warnings by
    /// kind, generation time and peak memory (each spec in a process of its own).
    Inspect {
        #[command(flatten)]
        input: Input,
        /// Print a Markdown table (as docs/corpus.md holds) instead of text.
        #[arg(long)]
        markdown: bool,
        /// Measure one spec in this process and print the figures as JSON (what
        /// `inspect` runs for each spec).
        #[arg(long, hide = true)]
        measure: bool,
    },
    /// Compare the Rust APIs two specs generate (methods, arguments, structs, enums,
    /// return types) and list each change with whether it breaks callers. Exit code:
    /// 0, or 1 with `--fail-on breaking` when a change breaks; 2 when a spec cannot be
    /// read.
    Diff {
        /// The spec of the version callers use now.
        #[arg(value_name = "OLD_SPEC")]
        old: String,
        /// The spec of the version to compare it with.
        #[arg(value_name = "NEW_SPEC")]
        new: String,
        /// An OpenAPI Overlay 1.0 file applied to both specs (repeatable, in order).
        #[arg(long = "overlay", value_name = "FILE")]
        overlays: Vec<String>,
        /// How to write the report.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Exit with code 1 when a change of this class is found.
        #[arg(long, value_enum, value_name = "CLASS")]
        fail_on: Option<FailOn>,
        /// How to name operations that have no operationId (both specs).
        #[arg(long, value_enum, default_value_t = Naming::ResourceAction)]
        naming: Naming,
    },
}

/// `diff --format` values.
#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// Breaking changes, then the others, then counts by kind.
    Text,
    /// The same as Markdown tables.
    Markdown,
    /// Every change with all its fields.
    Json,
}

/// `diff --fail-on` values.
#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Any change that breaks callers.
    Breaking,
}

/// The specs and how to read them, shared by every command.
#[derive(Args)]
struct Input {
    /// A spec file, optionally named: `powerstore=specs/dellemc.swagger.json`.
    /// The name becomes the module name when there are several specs.
    #[arg(
        long = "spec",
        value_name = "[MODULE=]FILE",
        required_unless_present = "manifest"
    )]
    specs: Vec<String>,
    /// An OpenAPI Overlay 1.0 file applied to a spec before generation:
    /// `MODULE=FILE`, or just `FILE` when there is one spec.
    #[arg(long = "overlay", value_name = "[MODULE=]FILE")]
    overlays: Vec<String>,
    /// A manifest listing the modules, each with its spec and overlays (the format of
    /// `generated/specs/shipped.yaml`), instead of --spec and --overlay.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["specs", "overlays"])]
    manifest: Option<PathBuf>,
    /// Make every warning an error (notes stay notes).
    #[arg(long)]
    strict: bool,
    /// How to name operations that have no operationId.
    #[arg(long, value_enum, default_value_t = Naming::ResourceAction)]
    naming: Naming,
    /// Generate a type for every component schema, also those no operation uses.
    #[arg(long)]
    all_schemas: bool,
    /// Generate only the operations with this tag (repeatable); the types they need
    /// follow.
    #[arg(long = "include-tag", value_name = "TAG")]
    include_tags: Vec<String>,
    /// Leave out the operations with this tag (repeatable).
    #[arg(long = "exclude-tag", value_name = "TAG")]
    exclude_tags: Vec<String>,
    /// Generate this operation (repeatable): its method name, its operationId, or
    /// `"METHOD /path"`.
    #[arg(long = "include-op", value_name = "OPERATION")]
    include_ops: Vec<String>,
    /// One module and one cargo feature per tag (named after the tag in snake_case;
    /// `full`, the default, turns on every tag); the types are shared, each compiled
    /// only when a tag that needs it is on.
    #[arg(long)]
    split_by_tag: bool,
}

/// `--naming` values.
#[derive(Clone, Copy, ValueEnum)]
enum Naming {
    /// `volumes_collection_query`, `volumes_create`, `volume_instance_query`,
    /// `volume_modify`: the resource-and-action rule of the PowerStore API.
    ResourceAction,
    /// `get_volumes`, `post_volumes`, `get_volume_by_id`.
    MethodPath,
}

/// One spec, read, with the overlays that apply to it.
pub struct Loaded {
    /// The module it becomes.
    pub module: String,
    /// The spec.
    pub spec: Source,
    /// Its overlays, in order.
    pub overlays: Vec<Source>,
}

impl Input {
    fn options(&self) -> Options {
        Options {
            strict: self.strict,
            naming: match self.naming {
                Naming::ResourceAction => NamingStyle::ResourceAction,
                Naming::MethodPath => NamingStyle::MethodPath,
            },
            all_schemas: self.all_schemas,
            select: migrate_codegen::normalize::Selection {
                include_tags: self.include_tags.clone(),
                exclude_tags: self.exclude_tags.clone(),
                include_ops: self.include_ops.clone(),
            },
            split_by_tag: self.split_by_tag,
        }
    }

    /// The --spec and --overlay arguments, with a --manifest's modules spelled out as
    /// `--spec MODULE=FILE` and `--overlay MODULE=FILE`.
    fn arguments(&self) -> Result<(Vec<String>, Vec<String>), String> {
        let Some(path) = &self.manifest else {
            return Ok((self.specs.clone(), self.overlays.clone()));
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--manifest {}: cannot read: {e}", path.display()))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let manifest = Manifest::parse(&text, dir, &path.display().to_string())?;
        let (mut specs, mut overlays) = (Vec::new(), Vec::new());
        for module in &manifest.modules {
            specs.push(format!("{}={}", module.name, module.spec.display()));
            for overlay in &module.overlays {
                overlays.push(format!("{}={}", module.name, overlay.display()));
            }
        }
        Ok((specs, overlays))
    }

    /// Reads every spec and overlay; a file that cannot be read is named with its flag.
    fn load(&self) -> Result<Vec<Loaded>, String> {
        let (spec_args, overlay_args) = self.arguments()?;
        let specs: Vec<(String, String)> = spec_args.iter().map(|s| split_named(s)).collect();
        for overlay in overlay_args.iter().filter(|o| o.contains('=')) {
            let (target, _) = split_named(overlay);
            if !specs.iter().any(|(m, _)| *m == target) {
                return Err(format!("--overlay {overlay}: no --spec is named {target}"));
            }
        }
        let mut loaded = Vec::new();
        for (module, path) in &specs {
            let bytes =
                std::fs::read(path).map_err(|e| format!("--spec {path}: cannot read: {e}"))?;
            let spec = Source::from_bytes(path.clone(), bytes).map_err(|e| e.to_string())?;
            let mut overlays = Vec::new();
            for overlay in &overlay_args {
                let (target, overlay_path) = split_named(overlay);
                let named = overlay.contains('=');
                if !named && specs.len() > 1 {
                    return Err(format!(
                        "--overlay {overlay}: with several specs, name the spec: MODULE=FILE"
                    ));
                }
                if !named || target == *module {
                    let bytes = std::fs::read(&overlay_path)
                        .map_err(|e| format!("--overlay {overlay_path}: cannot read: {e}"))?;
                    overlays
                        .push(Source::from_bytes(overlay_path, bytes).map_err(|e| e.to_string())?);
                }
            }
            loaded.push(Loaded {
                module: module.clone(),
                spec,
                overlays,
            });
        }
        Ok(loaded)
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Diff {
            old,
            new,
            overlays,
            format,
            fail_on,
            naming,
        } => return diff_command(&old, &new, &overlays, format, fail_on, naming),
        Command::Generate {
            input,
            out,
            name,
            runtime_path,
            check,
        } => run(&input, &out, &name, runtime_path.as_deref(), check),
        Command::Inspect {
            input,
            markdown,
            measure,
        } => input.load().and_then(|loaded| {
            if measure {
                inspect::measure(&loaded, &input.options())
            } else {
                let (specs, overlays) = input.arguments()?;
                inspect::run(&specs, &overlays, &inspect_flags(&input), markdown)
            }
            .map(|()| Done::Written)
        }),
    };
    match result {
        Ok(Done::Written | Done::UpToDate) => ExitCode::SUCCESS,
        Ok(Done::Stale) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// How a command ended without an error.
enum Done {
    /// It did what it was asked (wrote the crate, printed the report).
    Written,
    /// `--check`: the crate is what would be written.
    UpToDate,
    /// `--check`: it is not.
    Stale,
}

/// The reading flags `inspect` passes on to the process that measures each spec.
fn inspect_flags(input: &Input) -> Vec<String> {
    let mut flags = Vec::new();
    if input.strict {
        flags.push("--strict".to_string());
    }
    if input.all_schemas {
        flags.push("--all-schemas".to_string());
    }
    if matches!(input.naming, Naming::MethodPath) {
        flags.extend(["--naming".to_string(), "method-path".to_string()]);
    }
    for (flag, values) in [
        ("--include-tag", &input.include_tags),
        ("--exclude-tag", &input.exclude_tags),
        ("--include-op", &input.include_ops),
    ] {
        for value in values {
            flags.extend([flag.to_string(), value.clone()]);
        }
    }
    flags
}

fn run(
    input: &Input,
    out: &Path,
    name: &str,
    runtime_path: Option<&Path>,
    check: bool,
) -> Result<Done, String> {
    let started = Instant::now();
    let options = input.options();
    let mut modules = Vec::new();
    for loaded in input.load()? {
        let generated =
            generate(&loaded.spec, &loaded.overlays, &options).map_err(|e| e.to_string())?;
        for warning in &generated.warnings {
            eprintln!("{warning}");
        }
        if !generated.warnings.is_empty() {
            eprintln!(
                "{}: {} warnings and notes: {}",
                loaded.spec.name,
                generated.warnings.len(),
                migrate_codegen::summary(&generated.warnings)
            );
        }
        modules.push((loaded.module, generated));
    }
    let runtime = RuntimeDependency {
        version: env!("CARGO_PKG_VERSION").to_string(),
        path: runtime_path.map(|p| runtime_dir(p, out)).transpose()?,
    };
    let files = crate_files(name, &modules, &runtime);
    if check {
        let stale = stale_files(out, &files);
        if stale.is_empty() {
            println!("{} is up to date ({} files)", out.display(), files.len());
            return Ok(Done::UpToDate);
        }
        eprintln!(
            "{} is stale: {} file(s) differ from what `migrate-codegen generate` would write:",
            out.display(),
            stale.len()
        );
        for line in &stale {
            eprintln!("  {line}");
        }
        return Ok(Done::Stale);
    }
    for (relative, contents) in &files {
        let path = out.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("--out {}: cannot create: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents)
            .map_err(|e| format!("--out {}: cannot write: {e}", path.display()))?;
    }
    let operations: usize = modules.iter().map(|(_, g)| g.operation_count).sum();
    let types: usize = modules.iter().map(|(_, g)| g.type_count).sum();
    let tags: usize = modules.iter().map(|(_, g)| g.tags.len()).sum();
    let split = if tags > 0 {
        format!(" in {tags} tag modules (one cargo feature each)")
    } else {
        String::new()
    };
    println!(
        "wrote crate {name} to {}: {operations} operations{split}, {types} types, in {} ms",
        out.display(),
        started.elapsed().as_millis()
    );
    Ok(Done::Written)
}

/// The runtime path to write into the crate's manifest: an absolute path as given, a
/// relative one rewritten to be relative to the output directory.
fn runtime_dir(path: &Path, out: &Path) -> Result<String, String> {
    if !path.join("Cargo.toml").is_file() {
        return Err(format!(
            "--runtime-path {}: no Cargo.toml there (give the migrate-runtime crate's directory)",
            path.display()
        ));
    }
    let written = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("--runtime-path: the current directory is unknown: {e}"))?;
        relative(&lexical(&cwd.join(path)), &lexical(&cwd.join(out)))
    };
    // Forward slashes: TOML and cargo take them on every platform.
    Ok(written.to_string_lossy().replace('\\', "/"))
}

/// `path` with `.` and `..` resolved by name (no filesystem access: --out may not exist yet).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `target` as a path relative to `base` (both absolute and lexical).
fn relative(target: &Path, base: &Path) -> PathBuf {
    let target: Vec<Component<'_>> = target.components().collect();
    let base: Vec<Component<'_>> = base.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for component in &target[common..] {
        out.push(component);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The files under `out` that differ from `files` (missing or changed), and the `.rs` files
/// under `out/src` that would not be written, each with why.
fn stale_files(out: &Path, files: &[(String, String)]) -> Vec<String> {
    let mut stale = Vec::new();
    for (relative, contents) in files {
        match std::fs::read(out.join(relative)) {
            Ok(existing) if existing == contents.as_bytes() => {}
            Ok(_) => stale.push(format!("{relative} (changed)")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                stale.push(format!("{relative} (missing)"))
            }
            Err(e) => stale.push(format!("{relative} (unreadable: {e})")),
        }
    }
    let mut extra = Vec::new();
    collect_rust_files(&out.join("src"), "src", &mut extra);
    extra.sort();
    for relative in extra {
        if !files.iter().any(|(f, _)| *f == relative) {
            stale.push(format!("{relative} (not generated)"));
        }
    }
    stale
}

fn collect_rust_files(dir: &Path, relative: &str, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let relative = format!("{relative}/{name}");
        if path.is_dir() {
            collect_rust_files(&path, &relative, found);
        } else if name.ends_with(".rs") {
            found.push(relative);
        }
    }
}

/// `migrate-codegen diff`: 2 when a spec or overlay cannot be read or is no spec, 1 when
/// `--fail-on breaking` finds a breaking change, else 0.
fn diff_command(
    old: &str,
    new: &str,
    overlays: &[String],
    format: DiffFormat,
    fail_on: Option<FailOn>,
    naming: Naming,
) -> ExitCode {
    use std::io::Write;
    let read = |flag: &str, path: &str| -> Result<Source, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{flag}{path}: cannot read: {e}"))?;
        Source::from_bytes(path.to_string(), bytes).map_err(|e| e.to_string())
    };
    let options = Options {
        naming: match naming {
            Naming::ResourceAction => NamingStyle::ResourceAction,
            Naming::MethodPath => NamingStyle::MethodPath,
        },
        ..Options::default()
    };
    let models = (|| -> Result<_, String> {
        let overlays = overlays
            .iter()
            .map(|o| read("--overlay ", o))
            .collect::<Result<Vec<_>, _>>()?;
        let mut models = Vec::new();
        for path in [old, new] {
            let spec = read("", path)?;
            let (api, warnings) =
                migrate_codegen::model(&spec, &overlays, &options).map_err(|e| e.to_string())?;
            if !warnings.is_empty() {
                eprintln!(
                    "{path}: {} warnings and notes ({}); `migrate-codegen generate` lists them",
                    warnings.len(),
                    migrate_codegen::summary(&warnings)
                );
            }
            models.push(api);
        }
        Ok(models)
    })();
    let models = match models {
        Ok(models) => models,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let report = migrate_codegen::diff::diff(&models[0], old, &models[1], new);
    let text = match format {
        DiffFormat::Text => migrate_codegen::diff::report::text(&report),
        DiffFormat::Markdown => migrate_codegen::diff::report::markdown(&report),
        DiffFormat::Json => {
            let mut json =
                serde_json::to_string_pretty(&migrate_codegen::diff::report::json(&report))
                    .unwrap_or_default();
            json.push('\n');
            json
        }
    };
    // A closed pipe (`| head`) ends the output, not the program's verdict.
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {e}");
            return ExitCode::from(2);
        }
    }
    match fail_on {
        Some(FailOn::Breaking) if report.breaking() > 0 => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// `name=path` → (name, path); `path` → (its file stem up to the first dot, path).
fn split_named(arg: &str) -> (String, String) {
    match arg.split_once('=') {
        Some((name, path)) if !name.is_empty() && !name.contains(['/', '\\']) => {
            (name.to_string(), path.to_string())
        }
        _ => {
            let stem = Path::new(arg)
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or("api");
            let stem = stem.split('.').next().unwrap_or("api").replace('-', "_");
            (stem, arg.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_runtime_path_is_written_from_the_output_directory() {
        let cases = [
            ("/w/runtime", "/w/target/x", "../../runtime"),
            ("/w/runtime", "/w", "runtime"),
            ("/w/a/runtime", "/w/b", "../a/runtime"),
            ("/w", "/w", "."),
        ];
        for (target, base, expected) in cases {
            assert_eq!(
                relative(Path::new(target), Path::new(base)),
                Path::new(expected)
            );
        }
        assert_eq!(lexical(Path::new("/w/./x/../y")), Path::new("/w/y"));
    }
}
