//! String enums that survive values the spec did not list.
//!
//! Servers add enum values in new releases (PowerStore added `Cancel_Required` in 1.0.2). A
//! generated enum has one variant per known value plus `Unknown(String)`, so decoding a
//! response never fails on a new value; `check::known_enum` rejects `Unknown` on the way out.
//!
//! A value that differs from a listed one only in ASCII case reads as that variant: arrays
//! answer `state: "Ok"` where the spec lists `OK`, and a caller matching `State::Ok` should
//! not have to know. The variant is written back with the spec's spelling, the one the spec
//! promises the server accepts; the server's own spelling is not kept. Keeping it would take
//! a `String` in every variant (`State::Ok(_)` in every match, and two `Ok`s that compare
//! unequal) or state outside the value, and a server that needs its own spelling on input
//! has a spec that is wrong on both sides, which an overlay corrects once for every caller.
//! `Unknown(text)` still sends any text verbatim. An exact match always wins, and a value
//! that matches two listed values ignoring case (`OK` and `Ok` both listed) stays `Unknown`.

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

/// Deserializes any string into a string enum, keeping unknown values and matching listed
/// ones regardless of ASCII case; use it from the enum's `Deserialize` impl.
pub fn deserialize<'de, T: StringEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    // A `match`, not `map(T::from_wire)`: this is compiled once per enum type, and the
    // closure machinery of `map` would be too. The spelling is chosen by code that does not
    // know `T`, compiled once.
    match String::deserialize(deserializer) {
        Ok(value) => Ok(T::from_wire(listed_spelling(T::VALUES, value))),
        Err(e) => Err(e),
    }
}

/// `value` itself when it is listed or matches nothing; else the one listed value it equals
/// ignoring ASCII case.
fn listed_spelling(values: &'static [&'static str], value: String) -> String {
    if values.contains(&value.as_str()) {
        return value;
    }
    match listed_ignoring_case(values, &value) {
        Some(listed) => listed.to_owned(),
        None => value,
    }
}

/// The one listed value that equals `value` ignoring ASCII case.
fn listed_ignoring_case(values: &'static [&'static str], value: &str) -> Option<&'static str> {
    let mut matches = values.iter().filter(|v| v.eq_ignore_ascii_case(value));
    match (matches.next(), matches.next()) {
        (Some(listed), None) => {
            tracing::debug!(received = value, listed, "enum value matched ignoring case");
            Some(listed)
        }
        _ => None,
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
        // serde_json's own reader is strict; the runtime's (below) reads numbers as text.
        assert!(serde_json::from_str::<State>("3").is_err());
    }

    #[test]
    fn values_that_differ_only_in_case_read_as_the_listed_variant() {
        let state: State = serde_json::from_str("\"PAUSED\"").unwrap();
        assert_eq!(state, State::Paused);
        assert!(state.is_known());
        assert_eq!(serde_json::to_string(&state).unwrap(), "\"Paused\"");
        let state: State = serde_json::from_str("\"scheduled\"").unwrap();
        assert_eq!(state, State::Scheduled);
        // Not a case variant: kept as sent.
        let state: State = serde_json::from_str("\"Pause\"").unwrap();
        assert_eq!(state, State::Unknown("Pause".into()));
    }

    #[test]
    fn a_value_matching_two_listed_values_ignoring_case_stays_unknown() {
        assert_eq!(listed_ignoring_case(&["OK", "Ok"], "ok"), None);
        assert_eq!(listed_ignoring_case(&["OK", "Ok"], "oK"), None);
        assert_eq!(listed_ignoring_case(&["OK", "Degraded"], "ok"), Some("OK"));
        assert_eq!(listed_ignoring_case(&["OK"], "OKAY"), None);
    }

    #[test]
    fn numbers_read_as_their_text_through_the_runtime() {
        // Through the runtime's lenient reader (as every body is), a number is its text.
        let state: State = crate::lenient::from_value(serde_json::json!(3)).unwrap();
        assert_eq!(state, State::Unknown("3".into()));
    }
}
