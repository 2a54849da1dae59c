//! `migrate-codegen`: writes a standalone client crate from specs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use migrate_codegen::{crate_files, generate, RuntimeDependency, Source};

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
    },
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
            },
    } = Cli::parse();
    match run(&specs, &overlays, &out, &name, runtime_path) {
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
) -> Result<(), String> {
    let started = Instant::now();
    let specs: Vec<(String, String)> = specs.iter().map(|s| split_named(s)).collect();
    let mut modules = Vec::new();
    for (module, path) in &specs {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--spec {path}: cannot read: {e}"))?;
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
                let text = std::fs::read_to_string(&overlay_path)
                    .map_err(|e| format!("--overlay {overlay_path}: cannot read: {e}"))?;
                applied.push(Source::new(overlay_path, text));
            }
        }
        let generated =
            generate(&Source::new(path.clone(), text), &applied).map_err(|e| e.to_string())?;
        for warning in &generated.warnings {
            eprintln!("{warning}");
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
