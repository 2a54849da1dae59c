//! Checks on what the user typed, before anything is sent.
//!
//! The service's own limits (lengths, ranges, patterns, enums) live in the specs and are checked
//! by the generated request builders; this module holds what is true of any command line:
//!
//! - whole numbers are inside the range the option allows, and the message names the range
//!   ([`integer`]; durations in seconds go through [`seconds`](crate::seconds), the same kind
//!   of parser with the same wording); negative numbers reach these parsers as values (see
//!   [`allow_negative_numbers`]) so `--count -1` is "out of range", not "unexpected argument";
//! - text that becomes a path segment or a name is not empty, not only white space and holds no
//!   control characters ([`text`], [`id`]);
//! - a validation error of a generated builder names the flag the user typed ([`flag_error`]).
//!
//! The parsers are plain functions, usable as clap `value_parser`s, so every option of every
//! command, the transport and wait options included, shares one mechanism.

use std::fmt::Display;
use std::str::FromStr;

use clap::Command;
use heck::ToKebabCase;
use migrate_runtime::{Error, ValidationError};

use crate::exit::Failure;

/// Lets every command of the tree take negative numbers as values, so a range check can say
/// what is wrong with `-1` instead of clap calling it an unknown flag. No flag of `migrate`
/// looks like a number, so nothing is lost.
pub fn allow_negative_numbers(command: Command) -> Command {
    command
        .allow_negative_numbers(true)
        .mut_subcommands(allow_negative_numbers)
}

/// A parser for a whole number from `min` to `max` (`None`: no upper bound).
pub fn integer<T>(min: T, max: Option<T>) -> impl Fn(&str) -> Result<T, String> + Clone
where
    T: FromStr + PartialOrd + Display + Copy + Send + Sync + 'static,
{
    move |text: &str| {
        let range = || match max {
            Some(max) => format!("a whole number from {min} to {max}"),
            None => format!("a whole number of at least {min}"),
        };
        let value: T = match text.trim().parse() {
            Ok(value) => value,
            // A number too large for the type is out of range, not malformed.
            Err(_) if is_integer(text) => return Err(format!("out of range; give {}", range())),
            Err(_) => return Err(format!("not a whole number; give {}", range())),
        };
        if value < min || max.is_some_and(|max| value > max) {
            return Err(format!("out of range; give {}", range()));
        }
        Ok(value)
    }
}

/// A parser for a whole number whose range the spec gives (the generated builder checks it
/// and names the limit); here only the form is checked.
pub fn whole<T>() -> impl Fn(&str) -> Result<T, String> + Clone
where
    T: FromStr + Copy + Send + Sync + 'static,
{
    |text: &str| match text.trim().parse() {
        Ok(value) => Ok(value),
        Err(_) if is_integer(text) => Err("out of range: too many digits".to_string()),
        Err(_) => Err("not a whole number".to_string()),
    }
}

fn is_integer(text: &str) -> bool {
    let digits = text.trim().trim_start_matches(['-', '+']);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Text that becomes part of a URL path or names a resource: not empty, not only white space,
/// no control characters. The value is kept as given (no trimming: a name is what it is).
pub fn text(value: &str) -> Result<String, String> {
    check_text(value)?;
    Ok(value.to_string())
}

/// An id, or `name:NAME` (the name checked as [`text`]).
pub fn id(value: &str) -> Result<String, String> {
    match value.strip_prefix("name:") {
        Some(name) => check_text(name).map_err(|e| format!("the name after name: is {e}"))?,
        None => check_text(value)?,
    }
    Ok(value.to_string())
}

fn check_text(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("empty".to_string());
    }
    if value.trim().is_empty() {
        return Err("only white space".to_string());
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(format!("holding the control character {:?}", c));
    }
    Ok(())
}

/// Refuses a change body (a PATCH) that would change nothing, naming the flags of `A` that
/// would; an empty PATCH is at best a wasted call and at worst read as "clear everything".
pub fn some_change<A: clap::Args, B: serde::Serialize>(body: &B) -> Result<(), Failure> {
    let value = serde_json::to_value(body)
        .map_err(|e| Failure::usage(format!("cannot build the change: {e}")))?;
    if value.as_object().is_some_and(|fields| !fields.is_empty()) {
        return Ok(());
    }
    let flags: Vec<String> = A::augment_args(Command::new("change"))
        .get_arguments()
        .filter_map(|a| a.get_long().map(|long| format!("--{long}")))
        .collect();
    Err(Failure::usage(format!(
        "nothing to change: give {}",
        flags.join(" or ")
    )))
}

/// A runtime error as a failure, with a validation error's field named as the flag or
/// argument the user typed: `renames` maps spec names (`taskIndex`) to what the command calls
/// them (`--task`); any other field is a body flag, `--` and its wire name in kebab-case.
pub fn flag_error<'a, E>(renames: &'a [(&'a str, &'a str)]) -> impl Fn(Error<E>) -> Failure + 'a {
    move |error| match error {
        Error::Validation(e) => invalid_flag(&e, renames),
        other => other.into(),
    }
}

/// A runtime error as a failure, for a request whose body comes from the generated flags `A`:
/// a validation error names the flag, and a broken pattern (a regular expression is no
/// explanation) adds the flag's help, which says in words what the spec allows.
pub fn body_error<A: clap::Args, E>() -> impl Fn(Error<E>) -> Failure {
    move |error| match error {
        Error::Validation(e) => {
            let failure = invalid_flag(&e, &[]);
            if !e.message.contains("does not match the pattern") {
                return failure;
            }
            let top = e.field.split(['.', '[']).next().unwrap_or(&e.field);
            let flags = A::augment_args(Command::new("body"));
            let help = flags
                .get_arguments()
                .find(|a| a.get_id().as_str() == top || a.get_long() == Some(&top.to_kebab_case()))
                .and_then(|a| a.get_help().map(ToString::to_string))
                // The generated help is the field's first sentence, then its limits in
                // parentheses; the sentence is the part that explains.
                .map(|help| match help.rfind(" (") {
                    Some(cut) if help.ends_with(')') => help[..cut].to_string(),
                    _ => help,
                });
            match help {
                Some(help) => Failure::usage(format!("{failure} ({help})")),
                None => failure,
            }
        }
        other => other.into(),
    }
}

/// A validation error as a usage failure naming the flag (see [`flag_error`]).
pub fn invalid_flag(error: &ValidationError, renames: &[(&str, &str)]) -> Failure {
    let top = error.field.split(['.', '[']).next().unwrap_or(&error.field);
    let flag = renames
        .iter()
        .find(|(field, _)| *field == top)
        .map(|(_, flag)| flag.to_string())
        .unwrap_or_else(|| format!("--{}", top.to_kebab_case()));
    let within = &error.field[top.len()..];
    Failure::usage(format!("{flag}{within}: {}", error.message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_clients::powerstore::cli::ImportSessionCreateArgs;

    #[test]
    fn integers_name_their_range() {
        let count = integer(1u16, Some(64));
        assert_eq!(count("4"), Ok(4));
        assert_eq!(
            count("0").unwrap_err(),
            "out of range; give a whole number from 1 to 64"
        );
        assert!(count("-1").unwrap_err().starts_with("out of range"));
        assert!(count("99999999").unwrap_err().starts_with("out of range"));
        assert_eq!(
            count("1.5").unwrap_err(),
            "not a whole number; give a whole number from 1 to 64"
        );
        assert_eq!(whole::<i32>()("-4"), Ok(-4));
        assert_eq!(whole::<i32>()("x").unwrap_err(), "not a whole number");
        assert_eq!(
            whole::<i32>()("99999999999").unwrap_err(),
            "out of range: too many digits"
        );
        let job = integer(0i64, None);
        assert_eq!(
            job("-3").unwrap_err(),
            "out of range; give a whole number of at least 0"
        );
    }

    #[test]
    fn text_is_not_empty_blank_or_control() {
        assert_eq!(text("db 01"), Ok("db 01".to_string()));
        assert_eq!(text("").unwrap_err(), "empty");
        assert_eq!(text(" \t").unwrap_err(), "only white space");
        assert!(text("a\u{7}b").unwrap_err().contains("control character"));
        assert_eq!(id("name:db01"), Ok("name:db01".to_string()));
        assert_eq!(id("name:").unwrap_err(), "the name after name: is empty");
        assert!(id("x\ny").is_err());
    }

    #[test]
    fn validation_errors_name_the_flag() {
        let e = ValidationError::new("count", "100000 is over the maximum of 31");
        assert_eq!(
            invalid_flag(&e, &[]).message,
            "--count: 100000 is over the maximum of 31"
        );
        let e = ValidationError::new("taskIndex", "-1 is under the minimum of 0");
        assert_eq!(
            invalid_flag(&e, &[("taskIndex", "--task")]).message,
            "--task: -1 is under the minimum of 0"
        );
        let e = ValidationError::new("host_ids[1]", "bad");
        assert_eq!(invalid_flag(&e, &[]).message, "--host-ids[1]: bad");
    }

    #[test]
    fn a_broken_pattern_adds_the_flags_help() {
        let error: Error<()> =
            ValidationError::new("name", "\"a b\" does not match the pattern ^x$").into();
        let failure = body_error::<ImportSessionCreateArgs, ()>()(error);
        assert!(
            failure
                .message
                .starts_with("--name: \"a b\" does not match"),
            "{}",
            failure.message
        );
        assert!(
            failure.message.contains("no white space"),
            "{}",
            failure.message
        );
    }
}
