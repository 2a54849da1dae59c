//! `migrate-codegen`: writes a standalone client crate from specs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use migrate_codegen::{crate_files, generate, NamingStyle, Options, RuntimeDependency, Source};

#[derive(Parser)]
#[command(
    name = "migrate-codegen",
    version,
    about = "Generate typed async Rust clients from Swagger 2.0 / OpenAPI 3.0 specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a standalone crate (Cargo.toml + src/) for one or more specs.
    Generate {
        /// A spec file, optionally named: `powerstore=specs/dellemc.swagger.json`.
        /// The name becomes the module name when there are several specs.
        #[arg(long = "spec", value_name = "[MODULE=]FILE", required = true)]
        specs: Vec<String>,
        /// An OpenAPI Overlay 1.0 file applied to a spec before generation:
        /// `MODULE=FILE`, or just `FILE` when there is one spec.
        #[arg(long = "overlay", value_name = "[MODULE=]FILE")]
        overlays: Vec<String>,
        /// Where to write the crate.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The crate's name.
        #[arg(long, default_value = "migrate-client")]
        name: String,
        /// The path of the migrate-runtime crate to depend on (by default the
        /// one next to this generator's source; `none` for a version-only
        /// dependency, as published).
        #[arg(long, value_name = "DIR")]
        runtime_path: Option<String>,
        /// Make every warning an error (notes stay notes).
        #[arg(long)]
        strict: bool,
        /// How to name operations that have no operationId.
        #[arg(long, value_enum, default_value_t = Naming::ResourceAction)]
        naming: Naming,
        /// Generate a type for every component schema, also those no operation uses.
        #[arg(long)]
        all_schemas: bool,
    },
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

fn main() -> ExitCode {
    let Cli {
        command:
            Command::Generate {
                specs,
                overlays,
                out,
                name,
                runtime_path,
                strict,
                naming,
                all_schemas,
            },
    } = Cli::parse();
    let options = Options {
        strict,
        naming: match naming {
            Naming::ResourceAction => NamingStyle::ResourceAction,
            Naming::MethodPath => NamingStyle::MethodPath,
        },
        all_schemas,
    };
    match run(&specs, &overlays, &out, &name, runtime_path, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(
    specs: &[String],
    overlays: &[String],
    out: &Path,
    name: &str,
    runtime_path: Option<String>,
    options: &Options,
) -> Result<(), String> {
    let started = Instant::now();
    let specs: Vec<(String, String)> = specs.iter().map(|s| split_named(s)).collect();
    let mut modules = Vec::new();
    for (module, path) in &specs {
        let bytes = std::fs::read(path).map_err(|e| format!("--spec {path}: cannot read: {e}"))?;
        let spec = Source::from_bytes(path.clone(), bytes).map_err(|e| e.to_string())?;
        let mut applied = Vec::new();
        for overlay in overlays {
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
                applied.push(Source::from_bytes(overlay_path, bytes).map_err(|e| e.to_string())?);
            }
        }
        let generated = generate(&spec, &applied, options).map_err(|e| e.to_string())?;
        for warning in &generated.warnings {
            eprintln!("{warning}");
        }
        if !generated.warnings.is_empty() {
            eprintln!(
                "{path}: {} warnings and notes: {}",
                generated.warnings.len(),
                migrate_codegen::summary(&generated.warnings)
            );
        }
        modules.push((module.clone(), generated));
    }
    for overlay in overlays.iter().filter(|o| o.contains('=')) {
        let (target, _) = split_named(overlay);
        if !specs.iter().any(|(m, _)| *m == target) {
            return Err(format!("--overlay {overlay}: no --spec is named {target}"));
        }
    }
    let runtime = RuntimeDependency {
        version: env!("CARGO_PKG_VERSION").to_string(),
        path: match runtime_path.as_deref() {
            Some("none") => None,
            Some(path) => Some(path.to_string()),
            None => Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime").to_string()),
        },
    };
    for (relative, contents) in crate_files(name, &modules, &runtime) {
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
    println!(
        "wrote crate {name} to {}: {operations} operations, {types} types, in {} ms",
        out.display(),
        started.elapsed().as_millis()
    );
    Ok(())
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
