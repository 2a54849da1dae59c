//! The `migrate-codegen generate` command as a user runs it: the crate it writes depends on
//! the published runtime (a path only when asked, relative to the crate), `cargo package`
//! takes that crate, and `--check` tells a committed crate that is up to date from a stale
//! one, naming the files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ is in the workspace")
        .to_path_buf()
}

/// `migrate-codegen generate ARGS`, run from the workspace root.
fn generate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_migrate-codegen"))
        .arg("generate")
        .args(args)
        .current_dir(root())
        .output()
        .expect("the generator runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeeded(output: Output) -> Output {
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    output
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A directory for a crate under `target/` (so relative paths to the runtime stay inside the
/// checkout), removed at the end of the test.
fn crate_dir() -> tempfile::TempDir {
    let target = root().join("target");
    std::fs::create_dir_all(&target).expect("target/");
    tempfile::tempdir_in(target).expect("a temp dir")
}

fn out_arg(dir: &Path) -> String {
    dir.display().to_string()
}

#[test]
fn the_crate_depends_on_the_published_runtime_unless_a_path_is_asked_for() {
    let dir = crate_dir();
    let out = out_arg(dir.path());
    succeeded(generate(&[
        "--spec",
        "generated/specs/lcm.yaml",
        "--out",
        &out,
    ]));
    let manifest = read(&dir.path().join("Cargo.toml"));
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        manifest.contains(&format!("\nmigrate-runtime = \"{version}\"\n")),
        "{manifest}"
    );
    assert!(!manifest.contains("path"), "{manifest}");
    for file in ["Cargo.toml", "src/lib.rs"] {
        let contents = read(&dir.path().join(file));
        assert!(
            !contents.contains(&root().display().to_string()),
            "{file} names this machine's checkout"
        );
    }
}

#[test]
fn a_relative_runtime_path_is_written_relative_to_the_crate() {
    let dir = crate_dir();
    let out = out_arg(dir.path());
    let args = ["--spec", "generated/specs/lcm.yaml", "--out", &out];
    succeeded(generate(
        &[&args[..], &["--runtime-path", "runtime"]].concat(),
    ));
    let manifest = read(&dir.path().join("Cargo.toml"));
    // The crate is `target/<temp>`, two levels below the root.
    assert!(
        manifest.contains("migrate-runtime = { version = \"0.1.0\", path = \"../../runtime\" }"),
        "{manifest}"
    );
    assert!(dir.path().join("../../runtime/Cargo.toml").is_file());

    // An absolute path is written as given.
    let absolute = root().join("runtime").display().to_string();
    succeeded(generate(
        &[&args[..], &["--runtime-path", &absolute]].concat(),
    ));
    let manifest = read(&dir.path().join("Cargo.toml"));
    assert!(
        manifest.contains(&format!("path = {absolute:?}")),
        "{manifest}"
    );

    // A directory that is not a crate is refused, and nothing is written.
    std::fs::remove_file(dir.path().join("Cargo.toml")).expect("remove");
    let output = generate(&[&args[..], &["--runtime-path", "specs"]].concat());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "error: --runtime-path specs: no Cargo.toml there (give the migrate-runtime crate's directory)\n"
    );
    assert!(!dir.path().join("Cargo.toml").exists());
}

#[test]
fn check_passes_a_fresh_crate_and_names_every_stale_file() {
    let dir = crate_dir();
    let out = out_arg(dir.path());
    let args = [
        "--manifest",
        "generated/specs/shipped.yaml",
        "--out",
        &out,
        "--name",
        "shipped",
    ];
    let written = succeeded(generate(&args));
    assert!(text(&written.stdout).starts_with("wrote crate shipped to "));
    let check = [&args[..], &["--check"]].concat();

    let fresh = succeeded(generate(&check));
    assert_eq!(
        text(&fresh.stdout),
        format!("{out} is up to date (5 files)\n")
    );

    // A hand edit, a file that went missing, and one the generator does not write.
    let lcm = dir.path().join("src/lcm.rs");
    std::fs::write(&lcm, read(&lcm).replace("pub struct", "pub(crate) struct")).expect("edit");
    std::fs::remove_file(dir.path().join("src/vipr.rs")).expect("remove");
    std::fs::write(dir.path().join("src/old.rs"), "// an old module\n").expect("write");
    let stale = generate(&check);
    assert_eq!(stale.status.code(), Some(1));
    assert_eq!(
        text(&stale.stderr),
        format!(
            "{out} is stale: 3 file(s) differ from what `migrate-codegen generate` would write:\n  src/lcm.rs (changed)\n  src/vipr.rs (missing)\n  src/old.rs (not generated)\n"
        )
    );
    // --check writes nothing.
    assert!(!dir.path().join("src/vipr.rs").exists());

    // Generating again makes it fresh, but for the file the generator does not own.
    succeeded(generate(&args));
    let stale = generate(&check);
    assert_eq!(stale.status.code(), Some(1));
    assert!(text(&stale.stderr).ends_with("  src/old.rs (not generated)\n"));
    std::fs::remove_file(dir.path().join("src/old.rs")).expect("remove");
    succeeded(generate(&check));

    // Other arguments are another crate: without the overlay, the PowerStore module differs.
    let other = [
        "--spec",
        "powerstore=generated/specs/dellemc.swagger.json",
        "--spec",
        "lcm=generated/specs/lcm.yaml",
        "--spec",
        "vipr=generated/specs/vipr.yaml",
        "--out",
        &out,
        "--name",
        "shipped",
        "--check",
    ];
    let stale = generate(&other);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale.stderr).contains("1 file(s) differ")
            && text(&stale.stderr).contains("  src/powerstore.rs (changed)\n"),
        "{}",
        text(&stale.stderr)
    );
}

#[test]
fn a_manifest_and_specs_together_are_refused() {
    let output = generate(&[
        "--manifest",
        "generated/specs/shipped.yaml",
        "--spec",
        "generated/specs/lcm.yaml",
        "--out",
        "target/never",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("cannot be used with"),
        "{}",
        text(&output.stderr)
    );
    let output = generate(&["--manifest", "no/such.yaml", "--out", "target/never"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).starts_with("error: --manifest no/such.yaml: cannot read: "),
        "{}",
        text(&output.stderr)
    );
    assert!(!root().join("target/never").exists());
}

/// `cargo` for a build inside this test: in the workspace's shared `target/nested`, with the
/// workspace's dev profile (the crate is a workspace of its own), and without the variables
/// cargo sets for the test process, which would make the nested build rebuild its
/// dependencies (see `migrate_tests::nested_cargo`, which the workspace's other nested builds
/// use).
fn nested_cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
            ]
            .contains(&name.as_ref())
        {
            command.env_remove(name.as_ref());
        }
    }
    command
        .env("CARGO_TARGET_DIR", root().join("target/nested"))
        .args(["--config", "profile.dev.debug=\"line-tables-only\""])
        .args(["--config", "profile.dev.package.\"*\".debug=false"]);
    command
}

#[test]
fn cargo_package_takes_the_generated_crate() {
    // Outside the checkout, where a crate made for another project lives.
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = out_arg(dir.path());
    succeeded(generate(&[
        "--spec",
        "generated/specs/lcm.yaml",
        "--out",
        &out,
        "--name",
        "lcm-client",
    ]));
    // migrate-runtime is not on crates.io yet: the local one stands in for it, the way a
    // `[patch.crates-io]` section would, without editing the generated manifest.
    let patch = format!(
        "patch.crates-io.migrate-runtime.path={:?}",
        root().join("runtime").display().to_string()
    );
    let output = nested_cargo()
        .args(["--config", &patch, "package"])
        .current_dir(dir.path())
        .output()
        .expect("cargo runs");
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("Verifying lcm-client v0.1.0"), "{stderr}");
    assert!(
        dir.path()
            .join("target/package/lcm-client-0.1.0.crate")
            .is_file()
            || {
                root()
                    .join("target/nested/package/lcm-client-0.1.0.crate")
                    .is_file()
            }
    );
}
