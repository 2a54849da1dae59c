//! The constraint checks that generated `Validate` impls call, one per spec keyword.
//!
//! Every message names the limit and the offending value (or its length or count), so a user
//! can fix the input without reading the spec. A [`Secret`]'s value is never put in a message.

use crate::{Secret, StringEnum, ValidationError};
use regex_lite::Regex;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Text a check can look at: `str`, `String` or [`Secret`] (whose value messages hide).
pub trait Text {
    /// The text to check.
    fn text(&self) -> &str;
    /// How the value appears in a message.
    fn shown(&self) -> String {
        format!("{:?}", self.text())
    }
}

impl Text for str {
    fn text(&self) -> &str {
        self
    }
}

impl Text for String {
    fn text(&self) -> &str {
        self
    }
}

impl Text for Secret {
    fn text(&self) -> &str {
        self.expose()
    }
    fn shown(&self) -> String {
        "the secret value".to_owned()
    }
}

fn fail(field: &str, message: String) -> Result<(), ValidationError> {
    Err(ValidationError::new(field, message))
}

/// `minLength`: at least `limit` characters.
pub fn min_length<T: Text + ?Sized>(
    field: &str,
    value: &T,
    limit: u64,
) -> Result<(), ValidationError> {
    let len = value.text().chars().count() as u64;
    if len < limit {
        return fail(
            field,
            format!("length {len} is under the minimum of {limit}"),
        );
    }
    Ok(())
}

/// `maxLength`: at most `limit` characters.
pub fn max_length<T: Text + ?Sized>(
    field: &str,
    value: &T,
    limit: u64,
) -> Result<(), ValidationError> {
    let len = value.text().chars().count() as u64;
    if len > limit {
        return fail(
            field,
            format!("length {len} is over the maximum of {limit}"),
        );
    }
    Ok(())
}

/// `minimum` / `exclusiveMinimum`.
pub fn minimum(
    field: &str,
    value: f64,
    limit: f64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    if exclusive && value <= limit {
        return fail(
            field,
            format!("{value} is not over the exclusive minimum of {limit}"),
        );
    }
    if value < limit {
        return fail(field, format!("{value} is under the minimum of {limit}"));
    }
    Ok(())
}

/// `maximum` / `exclusiveMaximum`.
pub fn maximum(
    field: &str,
    value: f64,
    limit: f64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    if exclusive && value >= limit {
        return fail(
            field,
            format!("{value} is not under the exclusive maximum of {limit}"),
        );
    }
    if value > limit {
        return fail(field, format!("{value} is over the maximum of {limit}"));
    }
    Ok(())
}

/// `minItems`: at least `limit` items.
pub fn min_items(field: &str, len: usize, limit: u64) -> Result<(), ValidationError> {
    if (len as u64) < limit {
        return fail(
            field,
            format!("{len} items is under the minimum of {limit}"),
        );
    }
    Ok(())
}

/// The constraints on a list's items: `check` runs on each item, and a failure's path
/// becomes `field[index]`.
pub fn items<T>(
    field: &str,
    items: &[T],
    check: impl Fn(&T) -> Result<(), ValidationError>,
) -> Result<(), ValidationError> {
    for (index, item) in items.iter().enumerate() {
        check(item).map_err(|e| e.within(&format!("[{index}]")).within(field))?;
    }
    Ok(())
}

/// `maxItems`: at most `limit` items.
pub fn max_items(field: &str, len: usize, limit: u64) -> Result<(), ValidationError> {
    if len as u64 > limit {
        return fail(field, format!("{len} items is over the maximum of {limit}"));
    }
    Ok(())
}

/// `pattern`: the text matches `regex` somewhere (anchor it with `^…$` for a full match).
/// Each pattern is compiled once and cached.
pub fn pattern<T: Text + ?Sized>(
    field: &str,
    value: &T,
    regex: &'static str,
) -> Result<(), ValidationError> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Regex>>> = OnceLock::new();
    let compiled = {
        let mut cache = CACHE
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match cache.get(regex) {
            Some(re) => re.clone(),
            None => match Regex::new(regex) {
                Ok(re) => cache.entry(regex).or_insert(re).clone(),
                Err(e) => return fail(field, format!("cannot check the pattern {regex}: {e}")),
            },
        }
    };
    if !compiled.is_match(value.text()) {
        return fail(
            field,
            format!("{} does not match the pattern {regex}", value.shown()),
        );
    }
    Ok(())
}

/// Rejects `Unknown` enum values, listing the allowed ones.
pub fn known_enum<T: StringEnum>(field: &str, value: &T) -> Result<(), ValidationError> {
    if value.is_known() {
        return Ok(());
    }
    unknown_value(field, value.as_wire(), T::VALUES)
}

fn unknown_value(field: &str, value: &str, allowed: &[&str]) -> Result<(), ValidationError> {
    fail(
        field,
        format!("{value:?} is not one of {}", allowed.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string_enum::tests::State;

    fn message(r: Result<(), ValidationError>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn item_failures_name_the_list_and_the_index() {
        let hosts = vec!["a".to_string(), "x".repeat(70)];
        let check = |value: &String| max_length("", value, 64);
        assert_eq!(
            message(items("hosts", &hosts, check)),
            "hosts[1]: length 70 is over the maximum of 64"
        );
        assert!(items("hosts", &hosts[..1], check).is_ok());
    }

    #[test]
    fn lengths_count_characters() {
        let name = "é".repeat(130);
        assert_eq!(
            message(max_length("name", &name, 128)),
            "name: length 130 is over the maximum of 128"
        );
        assert!(max_length("name", &name, 130).is_ok());
        assert_eq!(
            message(min_length("name", "", 1)),
            "name: length 0 is under the minimum of 1"
        );
    }

    #[test]
    fn numbers_name_value_and_limit() {
        assert_eq!(
            message(minimum("count", 0.0, 1.0, false)),
            "count: 0 is under the minimum of 1"
        );
        assert_eq!(
            message(minimum("count", 1.0, 1.0, true)),
            "count: 1 is not over the exclusive minimum of 1"
        );
        assert_eq!(
            message(maximum("pct", 100.5, 100.0, false)),
            "pct: 100.5 is over the maximum of 100"
        );
        assert_eq!(
            message(maximum("pct", 100.0, 100.0, true)),
            "pct: 100 is not under the exclusive maximum of 100"
        );
        assert!(minimum("count", 1.0, 1.0, false).is_ok());
        assert!(maximum("count", 99.0, 100.0, true).is_ok());
    }

    #[test]
    fn item_counts() {
        assert_eq!(
            message(min_items("volumes", 0, 1)),
            "volumes: 0 items is under the minimum of 1"
        );
        assert_eq!(
            message(max_items("volumes", 3, 2)),
            "volumes: 3 items is over the maximum of 2"
        );
        assert!(max_items("volumes", 2, 2).is_ok());
    }

    #[test]
    fn patterns_show_the_value_but_never_a_secret() {
        assert_eq!(
            message(pattern("name", "a b", r"^\S+$")),
            r#"name: "a b" does not match the pattern ^\S+$"#
        );
        assert!(pattern("name", &String::from("ab"), r"^\S+$").is_ok());
        let err = message(pattern("password", &Secret::new("hunter 2"), r"^\S+$"));
        assert!(!err.contains("hunter"), "{err}");
        assert!(message(pattern("x", "a", "(")).contains("cannot check the pattern ("));
        let err = message(max_length("password", &Secret::new("hunter2"), 3));
        assert_eq!(err, "password: length 7 is over the maximum of 3");
    }

    #[test]
    fn unknown_enum_values_list_the_allowed_ones() {
        assert_eq!(
            message(known_enum("state", &State::Unknown("Foo".into()))),
            r#"state: "Foo" is not one of Scheduled, Paused"#
        );
        assert!(known_enum("state", &State::Paused).is_ok());
    }
}
