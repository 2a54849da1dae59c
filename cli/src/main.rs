//! `migrate`: parse the command line, run the command, exit with a code that says how it
//! ended (see [`exit`]).
//!
//! Nothing here or below prints with `println!`/`eprintln!`: output goes through [`stdio`], which
//! ends quietly when stdout is a closed pipe. Clippy enforces that outside tests.

#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod cli;
mod commands;
mod complete;
mod context;
mod exit;
mod help;
mod input;
mod output;
mod plan;
mod profile;
mod seconds;
mod service;
mod stdio;
mod wait;

use std::process::ExitCode;

use clap::FromArgMatches;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::exit::Failure;

fn main() -> ExitCode {
    complete::answer_if_asked();
    let cli = parse();
    init_logging(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            errln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            errln!("error: {failure}");
            ExitCode::from(failure.code as u8)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    // Commands about `migrate` itself need no profile or service.
    match &cli.command {
        Command::Completions { shell } => {
            stdio::stdout_bytes(&complete::script(*shell, &mut help::command()));
            return Ok(());
        }
        Command::Man { dir } => return help::man(dir),
        Command::Help { topic } => return help::help(topic),
        _ => {}
    }
    let creating = matches!(
        cli.command,
        Command::Config(commands::config::Command::Set { .. })
    );
    let ctx = Context::new(cli.global, creating)?;
    let result = match cli.command {
        Command::ImportSession(c) => commands::import_session::run(&ctx, c).await,
        Command::RemoteSystem(c) => commands::remote_system::run(&ctx, c).await,
        Command::Volume(c) => commands::volume::run(&ctx, c).await,
        Command::VolumeGroup(c) => commands::volume::run_group(&ctx, c).await,
        Command::Job(c) => commands::job::run(&ctx, c).await,
        Command::Lcm(c) => commands::lcm::run(&ctx, c).await,
        Command::Vipr(c) => commands::vipr::run(&ctx, c).await,
        Command::Api(c) => commands::api::run(&ctx, c).await,
        Command::Config(c) => commands::config::run(&ctx, c),
        Command::Completions { .. } | Command::Man { .. } | Command::Help { .. } => Ok(()),
    };
    if let Err(failure) = &result {
        wait::print_stopped(&ctx, failure);
    }
    result
}

/// The command line, parsed with the tree of [`help::command`] (negative numbers as values,
/// global options shown once); a usage error exits with code 2.
fn parse() -> Cli {
    let matches = help::command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Logs to stderr: warnings by default, info with -v, debug with -vv (RUST_LOG overrides).
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in captured logs.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        // Its own write errors would go to stderr with eprintln!, which panics on a closed pipe.
        .log_internal_errors(false)
        .init();
}
