//! The one way `migrate` writes to stdout and stderr.
//!
//! `println!` panics when stdout is a pipe whose reader has gone (`migrate ... | head -1`), and
//! a panic is a stack trace and exit code 101 for what is a normal end: nobody wants the rest.
//! So every write goes through [`out!`](crate::out), [`outln!`](crate::outln) and
//! [`errln!`](crate::errln), and `main.rs` denies `print_stdout`/`print_stderr` outside tests, so
//! clippy refuses a stray `println!`.
//!
//! - stdout: each write is flushed at once, so a closed pipe shows up here and not in an
//!   unchecked flush at exit. A closed pipe ends the process quietly with exit code 0; any other
//!   write error (a full disk) is said on stderr and ends it with [`WRITE_FAILED`].
//! - stderr: errors are ignored. Progress and messages must never stop the work or panic
//!   because `2>&1 | head` closed the pipe.

use std::fmt;
use std::io::{ErrorKind, Write};

/// Exit code when stdout cannot be written for a reason other than a closed pipe.
pub const WRITE_FAILED: i32 = 1;

/// Writes formatted text to stdout (see the module docs for what a failed write does).
pub fn stdout_fmt(args: fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| out.flush());
    if let Err(error) = written {
        drop(out);
        stdout_failed(&error);
    }
}

/// Writes bytes to stdout, as [`stdout_fmt`].
pub fn stdout_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let written = out.write_all(bytes).and_then(|()| out.flush());
    if let Err(error) = written {
        drop(out);
        stdout_failed(&error);
    }
}

/// Writes formatted text to stderr, ignoring any error.
pub fn stderr_fmt(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args);
}

fn stdout_failed(error: &std::io::Error) -> ! {
    if error.kind() == ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    stderr_fmt(format_args!("error: cannot write to stdout: {error}\n"));
    std::process::exit(WRITE_FAILED);
}

/// `print!` through [`stdio::stdout_fmt`](crate::stdio::stdout_fmt).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::stdio::stdout_fmt(format_args!($($arg)*))
    };
}

/// `println!` through [`stdio::stdout_fmt`](crate::stdio::stdout_fmt).
#[macro_export]
macro_rules! outln {
    () => {
        $crate::stdio::stdout_fmt(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::stdio::stdout_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` through [`stdio::stderr_fmt`](crate::stdio::stderr_fmt).
#[macro_export]
macro_rules! errln {
    () => {
        $crate::stdio::stderr_fmt(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::stdio::stderr_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}
