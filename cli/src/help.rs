//! Help that teaches: global options shown once, examples on every page, man pages.
//!
//! The global options (`--host`, `--output`, `--query`, …) work before or after any command,
//! so clap copies them into every subcommand; shown on every page they would bury each
//! command's own flags. [`command`] builds the tree once, then hides the copies on every
//! subcommand and ends each page with one line that says where they are: `migrate --help`
//! (under "Global options"), `migrate help globals` and `migrate(1)`. Every command carries two
//! or three examples in its `after_help`, next to its clap type. `migrate man DIR` writes a
//! page per command with clap_mangen from the same tree, so man pages and `--help` agree.

use std::path::Path;

use clap::{Args, Command, CommandFactory};

use crate::cli::{Cli, Global};
use crate::exit::Failure;
use crate::input;

/// The examples of `migrate --help`.
pub const ROOT_EXAMPLES: &str = "\
Examples:
  export MIGRATE_HOST=https://powerstore.example.com MIGRATE_USER=admin MIGRATE_PASSWORD=…
  migrate import-session create --name db01 --remote-system-id name:unity-src-01 \\
    --source-resource-id sv_101 --wait
  migrate import-session watch --filter name=ilike.db*
  migrate import-session list --query \"[?state=='Failed'].name\" -o text

Each command's --help shows its own options and examples; `migrate help globals` the options
above, which every command takes.";

/// The examples of `migrate man`.
pub const MAN_EXAMPLES: &str = "\
Examples:
  migrate man ~/.local/share/man/man1 && man migrate-import-session-watch
  sudo migrate man /usr/local/share/man/man1 && sudo mandb";

/// The examples of `migrate help`.
pub const HELP_EXAMPLES: &str = "\
Examples:
  migrate help globals
  migrate help import-session watch      # the same as: migrate import-session watch --help";

/// The line that ends every page but the top one.
const GLOBALS_NOTE: &str = "Global options (--host, --user, --profile, --output, --query, --utc, \
--dry-run, --wait-timeout, …) go before or after any command: `migrate help globals`, \
migrate(1).";

/// The command tree as `migrate` parses it and shows its help: negative numbers as values
/// (see [`input::allow_negative_numbers`]), global options shown once.
pub fn command() -> Command {
    let mut cmd = input::allow_negative_numbers(Cli::command());
    cmd.build();
    let globals: Vec<clap::Id> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().clone())
        .collect();
    for sub in cmd.get_subcommands_mut() {
        show_globals_once(sub, &globals);
    }
    cmd
}

/// Hides the copies of the global options on `cmd` and below, and says where they are.
fn show_globals_once(cmd: &mut Command, globals: &[clap::Id]) {
    // `mut_args` keeps every argument in its place: the tree is built, and its index of
    // flags to arguments must stay true (`mut_arg` would move the argument to the end).
    let mut owned = std::mem::take(cmd).mut_args(|a| {
        if globals.contains(a.get_id()) {
            a.hide(true)
        } else {
            a
        }
    });
    let note = match owned.get_after_help() {
        Some(examples) => format!("{examples}\n\n{GLOBALS_NOTE}"),
        None => GLOBALS_NOTE.to_string(),
    };
    owned = owned.after_help(note);
    for sub in owned.get_subcommands_mut() {
        show_globals_once(sub, globals);
    }
    *cmd = owned;
}

/// `migrate help [TOPIC...]`: the help of a command, or the page of global options.
pub fn help(topic: &[String]) -> Result<(), Failure> {
    let mut cmd = command();
    let text = match topic {
        [] => cmd.render_long_help().to_string(),
        [one] if one == "globals" => globals_page(),
        path => {
            let mut current = &mut cmd;
            for (depth, word) in path.iter().enumerate() {
                let names: Vec<String> = current
                    .get_subcommands()
                    .map(|s| s.get_name().to_string())
                    .collect();
                current = current.find_subcommand_mut(word).ok_or_else(|| {
                    let within = match depth {
                        0 => "migrate".to_string(),
                        _ => format!("migrate {}", path[..depth].join(" ")),
                    };
                    Failure::usage(format!(
                        "`{within}` has no command {word:?}; it has: {} (or `migrate help \
                         globals`)",
                        names.join(", ")
                    ))
                })?;
            }
            current.render_long_help().to_string()
        }
    };
    crate::out!("{text}");
    Ok(())
}

/// The options every command takes, on a page of their own.
fn globals_page() -> String {
    let mut page = Global::augment_args(Command::new("migrate"))
        .about(
            "Options every command takes, before or after the command's name (`migrate -o json \
             import-session list` and `migrate import-session list -o json` are the same). One \
             shown with an environment variable can be set there instead.",
        )
        .help_template("{about-with-newline}\n{all-args}")
        .disable_help_flag(true);
    page.render_long_help().to_string()
}

/// `migrate man DIR`: one page per command (`migrate.1`, `migrate-import-session-list.1`, …).
pub fn man(dir: &Path) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::usage(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(failed)?;
    let mut pages = Vec::new();
    collect_pages(&command(), &mut pages);
    for (name, page) in &pages {
        std::fs::write(dir.join(name), page).map_err(failed)?;
    }
    crate::errln!("wrote {} man pages to {}", pages.len(), dir.display());
    Ok(())
}

/// The man page of `cmd` and of every command below it, as (file name, roff).
fn collect_pages(cmd: &Command, pages: &mut Vec<(String, Vec<u8>)>) {
    pages.push(man_page(cmd));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_pages(sub, pages);
    }
}

/// One man page: clap_mangen's sections, then the examples as they are written (not
/// refilled), where the global options are, and the version.
fn man_page(cmd: &Command) -> (String, Vec<u8>) {
    let after = cmd
        .get_after_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    let man = clap_mangen::Man::new(cmd.clone().after_help(None::<&str>))
        .source(format!("migrate {}", env!("CARGO_PKG_VERSION")))
        .manual("migrate");
    let mut page = Vec::new();
    // Writing into memory cannot fail.
    let _ = man.render_title(&mut page);
    let _ = man.render_name_section(&mut page);
    let _ = man.render_synopsis_section(&mut page);
    let _ = man.render_description_section(&mut page);
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        let _ = man.render_options_section(&mut page);
    }
    if cmd.get_subcommands().next().is_some() {
        let _ = man.render_subcommands_section(&mut page);
    }
    let examples = after
        .trim_end_matches(GLOBALS_NOTE)
        .trim()
        .strip_prefix("Examples:")
        .map(|e| e.trim_matches('\n'));
    if let Some(examples) = examples {
        page.extend_from_slice(b".SH EXAMPLES\n.nf\n");
        for line in examples.lines() {
            page.extend_from_slice(roff_line(line.strip_prefix("  ").unwrap_or(line)).as_bytes());
            page.push(b'\n');
        }
        page.extend_from_slice(b".fi\n");
    }
    if after.ends_with(GLOBALS_NOTE) {
        page.extend_from_slice(b".SH GLOBAL OPTIONS\n");
        page.extend_from_slice(roff_line(GLOBALS_NOTE).as_bytes());
        page.push(b'\n');
    }
    // Every page says which version it describes (clap_mangen's own section needs the
    // command to have a version, which only the top has).
    page.extend_from_slice(format!(".SH VERSION\nv{}\n", env!("CARGO_PKG_VERSION")).as_bytes());
    (man.get_filename(), page)
}

/// A line of text for roff: backslashes and dashes escaped, no control word at the start.
fn roff_line(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// The man page of the command at `path` (for the snapshot test).
#[cfg(test)]
fn page_of(path: &[&str]) -> String {
    let mut pages = Vec::new();
    collect_pages(&command(), &mut pages);
    let name = format!(
        "{}.1",
        ["migrate"]
            .iter()
            .chain(path)
            .copied()
            .collect::<Vec<_>>()
            .join("-")
    );
    pages
        .into_iter()
        .find(|(file, _)| *file == name)
        .map(|(_, page)| String::from_utf8_lossy(&page).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globals_show_once_and_every_page_says_where() {
        let cmd = command();
        let root = cmd.clone().render_long_help().to_string();
        assert!(
            root.contains("--host <URL>") && root.contains("Global options"),
            "{root}"
        );
        let mut cmd = cmd;
        let list = cmd
            .find_subcommand_mut("import-session")
            .and_then(|s| s.find_subcommand_mut("list"))
            .unwrap();
        let page = list.render_long_help().to_string();
        assert!(!page.contains("--host <URL>"), "{page}");
        assert!(page.contains("--filter <EXPR>"), "{page}");
        assert!(page.contains("Examples:"), "{page}");
        assert!(page.contains("migrate help globals"), "{page}");
        let globals = globals_page();
        for flag in ["--host", "--query", "--utc", "--token-stdin", "--output"] {
            assert!(globals.contains(flag), "{flag} in {globals}");
        }
    }

    /// Families whose commands are generated from the specs and documented by them.
    const GENERATED: &[&str] = &["api"];

    #[test]
    fn every_curated_command_has_examples() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            if GENERATED.contains(&cmd.get_name()) {
                return;
            }
            let path = format!("{path} {}", cmd.get_name());
            let leaf = cmd.get_subcommands().next().is_none();
            let examples = cmd
                .get_after_help()
                .is_some_and(|h| h.to_string().contains("Examples:"));
            if leaf && !examples {
                missing.push(path.clone());
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&command(), "", &mut missing);
        assert!(missing.is_empty(), "commands without examples: {missing:?}");
    }

    #[test]
    fn man_pages_are_written_for_every_command() {
        let dir = tempfile::tempdir().unwrap();
        man(dir.path()).unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        for wanted in [
            "migrate.1",
            "migrate-import-session-watch.1",
            "migrate-lcm-status.1",
        ] {
            assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
        }
        let page = page_of(&["import-session", "watch"]);
        assert!(
            page.contains(".SH EXAMPLES\n.nf\nmigrate import\\-session watch"),
            "{page}"
        );
        assert!(page.contains(".SH GLOBAL OPTIONS"), "{page}");
    }
}
