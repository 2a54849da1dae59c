//! Client-side validation of request values before anything is sent.
//!
//! Generated models implement [`Validate`] by calling the functions in `check` for each
//! constrained field and [`Validate::validate`] for nested values, adding the field path with
//! [`ValidationError::within`]. Catching a bad value here gives a precise message instead of a
//! vendor's 400 or 422, and guarantees the server never saw the request.

use crate::{Bytes, DateTime, Secret};
use std::collections::BTreeMap;
use std::fmt;

/// A value that breaks a constraint of the spec.
///
/// `field` is the path to the value (`volumes[2].name`); `message` names the limit and the
/// value (for a [`Secret`], never the value itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Path to the offending value, e.g. `items[3].name`.
    pub field: String,
    /// What is wrong, naming the limit and the value.
    pub message: String,
}

impl ValidationError {
    /// An error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Prefixes the field path with `parent`: `name` within `spec` is `spec.name`, and `[3]`
    /// or `[3].name` within `items` is `items[3]` or `items[3].name`.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() {
            parent.to_owned()
        } else if self.field.starts_with('[') {
            format!("{parent}{}", self.field)
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// A value that can check itself against the spec's constraints.
pub trait Validate {
    /// `Ok` when every constraint holds, else the first broken one.
    fn validate(&self) -> Result<(), ValidationError>;
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self) -> Result<(), ValidationError> {
        self.as_ref().map_or(Ok(()), Validate::validate)
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self) -> Result<(), ValidationError> {
        (**self).validate()
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self) -> Result<(), ValidationError> {
        for (index, item) in self.iter().enumerate() {
            item.validate()
                .map_err(|e| e.within(&format!("[{index}]")))?;
        }
        Ok(())
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self) -> Result<(), ValidationError> {
        for (key, item) in self {
            item.validate().map_err(|e| e.within(&format!("[{key}]")))?;
        }
        Ok(())
    }
}

/// Types with no constraints of their own.
macro_rules! always_valid {
    ($($t:ty),* $(,)?) => {$(
        impl Validate for $t {
            fn validate(&self) -> Result<(), ValidationError> {
                Ok(())
            }
        }
    )*};
}

always_valid!(
    String,
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    isize,
    usize,
    f32,
    f64,
    Secret,
    DateTime,
    serde_json::Value,
    Bytes,
);

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        name: String,
    }

    impl Validate for Item {
        fn validate(&self) -> Result<(), ValidationError> {
            crate::check::max_length("name", &self.name, 3)
        }
    }

    #[test]
    fn paths_nest_through_vec_option_and_map() {
        let items = Some(vec![
            Item { name: "ok".into() },
            Item {
                name: "toolong".into(),
            },
        ]);
        let err = items.validate().unwrap_err().within("items");
        assert_eq!(err.field, "items[1].name");
        assert_eq!(
            err.to_string(),
            "items[1].name: length 7 is over the maximum of 3"
        );

        let map = BTreeMap::from([(
            "a".to_owned(),
            Box::new(Item {
                name: "abcd".into(),
            }),
        )]);
        assert_eq!(map.validate().unwrap_err().within("m").field, "m[a].name");
        assert_eq!(None::<Item>.validate(), Ok(()));
    }

    #[test]
    fn within_on_an_empty_field_uses_the_parent() {
        assert_eq!(ValidationError::new("", "bad").within("body").field, "body");
    }
}
