//! String enums that survive values the spec did not list.
//!
//! Servers add enum values in new releases (PowerStore added `Cancel_Required` in 1.0.2). A
//! generated enum has one variant per known value plus `Unknown(String)`, so decoding a
//! response never fails on a new value; `check::known_enum` rejects `Unknown` on the way out.

use serde::{Deserialize, Deserializer, Serializer};

/// Implemented by every generated string enum.
pub trait StringEnum: Sized {
    /// Every value the spec lists, in spec order.
    const VALUES: &'static [&'static str];

    /// The variant for a wire value; values not in [`Self::VALUES`] become `Unknown(value)`.
    fn from_wire(value: String) -> Self;

    /// The value as sent on the wire.
    fn as_wire(&self) -> &str;

    /// Whether this is one of the spec's values (not `Unknown`).
    fn is_known(&self) -> bool;
}

/// Serializes a string enum as its wire value; use it from the enum's `Serialize` impl.
pub fn serialize<T: StringEnum, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_wire())
}

/// Deserializes any string into a string enum, keeping unknown values; use it from the
/// enum's `Deserialize` impl.
pub fn deserialize<'de, T: StringEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    // A `match`, not `map(T::from_wire)`: this is compiled once per enum type, and the
    // closure machinery of `map` would be too.
    match String::deserialize(deserializer) {
        Ok(value) => Ok(T::from_wire(value)),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde::Serialize;

    /// A hand-written enum shaped like the generated ones.
    #[derive(Debug, PartialEq)]
    pub(crate) enum State {
        Scheduled,
        Paused,
        Unknown(String),
    }

    impl StringEnum for State {
        const VALUES: &'static [&'static str] = &["Scheduled", "Paused"];
        fn from_wire(value: String) -> Self {
            match value.as_str() {
                "Scheduled" => Self::Scheduled,
                "Paused" => Self::Paused,
                _ => Self::Unknown(value),
            }
        }
        fn as_wire(&self) -> &str {
            match self {
                Self::Scheduled => "Scheduled",
                Self::Paused => "Paused",
                Self::Unknown(value) => value,
            }
        }
        fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
    }

    impl Serialize for State {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self, s)
        }
    }

    impl<'de> Deserialize<'de> for State {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        let known: State = serde_json::from_str("\"Paused\"").unwrap();
        assert_eq!(known, State::Paused);
        let new: State = serde_json::from_str("\"Cancel_Required\"").unwrap();
        assert_eq!(new, State::Unknown("Cancel_Required".into()));
        assert!(!new.is_known());
        assert_eq!(serde_json::to_string(&new).unwrap(), "\"Cancel_Required\"");
        assert_eq!(
            serde_json::to_string(&State::Scheduled).unwrap(),
            "\"Scheduled\""
        );
        assert!(serde_json::from_str::<State>("3").is_err());
    }
}
