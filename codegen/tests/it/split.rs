//! `generate --split-by-tag`: the layout of a crate split by tag (a small inline spec:
//! features, `pub mod` lines, renamed tags, shared and ungated types, a wait on another
//! tag's waiter), and the full vendor spec split by tag, which must build with only the
//! `import_session` feature, with it and `cli`, and with every feature, without a
//! warning. The crates are built in the target dir the compile test uses
//! (`target/generated-check`), so the dependencies are built once for both.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use migrate_codegen::{crate_files, generate, Generated, Options, RuntimeDependency, Source};

use crate::{overlays_of, root, vendor_spec};

/// Tags that share a type, a tag named like a feature of the crate (`CLI`), an untagged
/// operation, a create that waits on another tag's waiter, and (with `--all-schemas`) a
/// type no operation uses that holds one only a tag uses (`State`).
const SPEC: &str = r##"
openapi: 3.0.3
info: { title: Tagged, version: "1.0" }
paths:
  /session:
    post:
      tags: [Import Session]
      operationId: session_create
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/SessionCreate' }
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Shared' }
      x-migrate-wait:
        - { status: 201, waiter: job_done, id: /id }
  /session/{id}:
    get:
      tags: [Import Session]
      operationId: session_get
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Session' }
  /job/{id}:
    get:
      tags: [Job]
      operationId: job_get
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Job' }
      x-migrate-waiter:
        name: job_done
        state: /state
        success: [Completed]
        failure: [Failed]
  /cli:
    get:
      tags: [CLI]
      operationId: cli_get
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Shared' }
  /ping:
    get:
      operationId: ping
      responses:
        '204': { description: pong }
components:
  schemas:
    Shared:
      type: object
      properties:
        id: { type: string }
    SessionCreate:
      type: object
      required: [name]
      properties:
        name: { type: string, maxLength: 8 }
    Session:
      type: object
      properties:
        id: { type: string }
        state: { $ref: '#/components/schemas/State' }
    State:
      type: string
      enum: [Ready, Failed]
    Job:
      type: object
      properties:
        id: { type: string }
        state: { type: string }
        owner: { $ref: '#/components/schemas/Shared' }
    Unused:
      type: object
      properties:
        state: { $ref: '#/components/schemas/State' }
"##;

fn split_options(all_schemas: bool) -> Options {
    Options {
        split_by_tag: true,
        all_schemas,
        ..Options::default()
    }
}

fn runtime() -> RuntimeDependency {
    RuntimeDependency {
        version: "0.1.0".into(),
        path: Some(root().join("runtime").display().to_string()),
    }
}

fn file<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    files
        .iter()
        .find(|(f, _)| f == name)
        .map(|(_, c)| c.as_str())
        .unwrap_or_else(|| panic!("no {name} among {:?}", names(files)))
}

fn names(files: &[(String, String)]) -> Vec<&str> {
    files.iter().map(|(f, _)| f.as_str()).collect()
}

#[test]
fn a_split_crate_has_one_module_and_one_feature_per_tag() {
    let generated = generate(&Source::new("tagged.yaml", SPEC), &[], &split_options(true))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let tags: Vec<(&str, &str, usize)> = generated
        .tags
        .iter()
        .map(|t| (t.module.as_str(), t.tag.as_str(), t.operations))
        .collect();
    assert_eq!(
        tags,
        [
            ("cli_tag", "CLI", 1),
            ("import_session", "Import Session", 2),
            ("job", "Job", 1),
            ("untagged", "untagged", 1),
        ]
    );
    let files = crate_files(
        "tagged",
        &[("tagged".into(), generated.clone())],
        &runtime(),
    );
    assert_eq!(
        names(&files),
        [
            "Cargo.toml",
            "src/lib.rs",
            "src/cli_tag.rs",
            "src/import_session.rs",
            "src/job.rs",
            "src/untagged.rs",
        ]
    );
    let manifest = file(&files, "Cargo.toml");
    let features = manifest
        .split_once("[features]\n")
        .and_then(|(_, rest)| rest.split_once("\n\n"))
        .map(|(features, _)| features)
        .unwrap_or_else(|| panic!("no [features] in {manifest}"));
    assert_eq!(
        features,
        "default = [\"full\"]\n\
         # Every tag's module.\n\
         full = [\"cli_tag\", \"import_session\", \"job\", \"untagged\"]\n\
         # One feature per tag: its module and the types its operations need.\n\
         cli_tag = []\nimport_session = []\njob = []\nuntagged = []\n\
         # `clap::Args` structs for request bodies.\n\
         cli = [\"dep:clap\"]"
    );

    let lib = file(&files, "src/lib.rs");
    assert!(
        lib.contains(
            "/// The operations tagged `Import Session` (2 operations; the `import_session` feature).\n\
             #[cfg(feature = \"import_session\")]\n\
             #[allow(\n    clippy::large_enum_variant,\n    \
             reason = \"api::Operation holds one command's flags, once per command line\"\n)]\n\
             pub mod import_session;\n"
        ),
        "{lib}"
    );
    assert!(lib.contains("#[cfg(feature = \"cli_tag\")]\n#[allow("));
    assert!(lib.contains(")]\npub mod cli_tag;\n"));
    assert!(lib.contains("(1 operation; the `untagged` feature)"));
    assert!(lib.contains("pub struct Client"));
    // Types: one tag's behind its feature, a shared one behind each tag that needs it; a
    // type no operation uses is always compiled, and so is what it holds (`State`, only
    // the import_session tag's otherwise).
    let lines: Vec<&str> = lib.lines().map(str::trim).collect();
    let gate = |ty: &str| -> &str {
        let at = lines
            .iter()
            .position(|l| *l == format!("pub struct {ty} {{") || *l == format!("pub enum {ty} {{"))
            .unwrap_or_else(|| panic!("no type {ty}"));
        lines[..at]
            .iter()
            .rev()
            // The type's attributes and docs, and the `rt::object! {` it is declared in.
            .take_while(|l| l.starts_with("#[") || l.starts_with("///") || l.ends_with("! {"))
            .find(|l| l.starts_with("#[cfg"))
            .copied()
            .unwrap_or_default()
    };
    assert_eq!(gate("Session"), "#[cfg(feature = \"import_session\")]");
    assert_eq!(
        gate("Shared"),
        "#[cfg(any(feature = \"cli_tag\", feature = \"import_session\", feature = \"job\"))]"
    );
    assert_eq!(gate("Job"), "#[cfg(feature = \"job\")]");
    assert_eq!(gate("State"), "");
    assert_eq!(gate("Unused"), "");
    // The create waits on the job tag's waiter when that tag is on.
    let session = file(&files, "src/import_session.rs");
    assert!(
        session.contains("#[cfg(feature = \"job\")]\n                rt::command::ThenWait"),
        "{session}"
    );
    assert!(
        session.contains("&super::super::job::waiters::"),
        "{session}"
    );
    assert!(session.contains("use super::Client;"));
    assert!(!file(&files, "src/job.rs").contains("ThenWait {"));
}

#[test]
fn split_crates_build_with_one_tag_and_with_every_tag() {
    // The inline spec, with the type no operation uses: each tag alone, and none.
    let generated = generate(&Source::new("tagged.yaml", SPEC), &[], &split_options(true))
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = write_crate("split-tagged", generated);
    for features in [
        "",
        "import_session",
        "import_session,cli",
        "job,cli",
        "cli_tag",
        "untagged",
    ] {
        let (warnings, _) = clippy(
            dir.path(),
            &["--no-default-features", "--features", features],
        );
        assert_eq!(warnings, 0, "inline spec with features {features:?}");
    }
    let (warnings, _) = clippy(dir.path(), &["--all-features"]);
    assert_eq!(warnings, 0, "inline spec with every feature");

    let Some(vendor) = vendor_spec() else {
        return;
    };
    let started = Instant::now();
    let generated = generate(&vendor, &overlays_of("powerstore"), &split_options(false))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    assert_eq!(generated.operation_count, 600);
    let session = generated
        .tags
        .iter()
        .find(|t| t.module == "import_session")
        .expect("an import_session tag");
    eprintln!(
        "vendor spec split by tag: {} tags, generated in {} ms; import_session: {} operations, {} of {} types",
        generated.tags.len(),
        started.elapsed().as_millis(),
        session.operations,
        session.types,
        generated.type_count
    );
    // A quarter of the types (226 of 889 with the project's overlay).
    assert!(session.types < generated.type_count / 3);
    let dir = write_crate("split-powerstore", generated);
    // Builds the dependencies (with and without clap) first, so the timings below are
    // of the generated crate alone.
    clippy(dir.path(), &["--no-default-features"]);
    clippy(dir.path(), &["--no-default-features", "--features", "cli"]);
    for args in [
        &["--no-default-features", "--features", "import_session"][..],
        &["--no-default-features", "--features", "import_session,cli"],
        &["--all-features"],
    ] {
        let (warnings, seconds) = clippy(dir.path(), args);
        eprintln!("vendor spec split by tag, {args:?}: {warnings} warnings, {seconds:.1} s");
        assert_eq!(warnings, 0, "vendor spec with {args:?}");
    }
}

fn write_crate(name: &str, generated: Generated) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (relative, contents) in
        crate_files(name, &[(name.replace('-', "_"), generated)], &runtime())
    {
        let path = dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }
    dir
}

/// `cargo clippy` of the crate in `dir` with `args`: the `warning:` lines (an error
/// fails the test) and how long it took, in seconds.
fn clippy(dir: &Path, args: &[&str]) -> (usize, f64) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--message-format", "short"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .output()
        .expect("cargo runs");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cargo clippy {args:?} failed:\n{stderr}"
    );
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    if !warnings.is_empty() {
        eprintln!("cargo clippy {args:?}:\n{}", warnings.join("\n"));
    }
    (warnings.len(), seconds)
}
