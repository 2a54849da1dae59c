//! Field-by-field (de)serialization of generated structs.
//!
//! Generated structs could derive serde's traits, but the derive expands to a
//! visitor, a field enum and a match per struct; for a spec with a thousand
//! schemas that expansion dominates the build. Instead a generated impl is one
//! call per field into these helpers, which are compiled once here. Unknown
//! fields are ignored and `null` reads as an absent optional field, as with
//! serde's derive; duplicate keys keep the last value.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A JSON object being taken apart into a struct's fields; errors are the
/// calling deserializer's own error type `E`.
pub struct Reader<E> {
    fields: Map<String, Value>,
    error: PhantomData<E>,
}

impl<E: serde::de::Error> Reader<E> {
    /// Reads the object a generated `Deserialize` impl is given.
    pub fn new<'de, D: Deserializer<'de, Error = E>>(deserializer: D) -> Result<Self, E> {
        Ok(Reader {
            fields: Map::deserialize(deserializer)?,
            error: PhantomData,
        })
    }

    /// A field that must be present (a `null` is accepted when `T` allows it).
    pub fn required<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, E> {
        match self.fields.remove(name) {
            Some(value) => decode(name, value),
            None => T::deserialize(Value::Null).map_err(|_| E::missing_field(name)),
        }
    }

    /// A field that may be absent or `null`.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<Option<T>, E> {
        match self.fields.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => decode(name, value).map(Some),
        }
    }

    /// Every field not taken yet (for `additionalProperties`).
    pub fn rest<T: DeserializeOwned>(self) -> Result<BTreeMap<String, T>, E> {
        self.fields
            .into_iter()
            .map(|(name, value)| Ok((name.clone(), decode(&name, value)?)))
            .collect()
    }
}

fn decode<T: DeserializeOwned, E: serde::de::Error>(name: &str, value: Value) -> Result<T, E> {
    T::deserialize(value).map_err(|e| E::custom(format_args!("field `{name}`: {e}")))
}

/// A JSON object being written from a struct's fields.
pub struct Writer<S: Serializer> {
    map: S::SerializeMap,
}

impl<S: Serializer> Writer<S> {
    /// Starts the object a generated `Serialize` impl writes.
    pub fn new(serializer: S) -> Result<Self, S::Error> {
        Ok(Writer {
            map: serializer.serialize_map(None)?,
        })
    }

    /// Writes a field (a `None` in a required field is written as `null`).
    pub fn required<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.map.serialize_entry(name, value)
    }

    /// Writes a field unless it is `None`.
    pub fn optional<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(value) => self.map.serialize_entry(name, value),
            None => Ok(()),
        }
    }

    /// Writes extra fields (for `additionalProperties`).
    pub fn rest<T: Serialize>(&mut self, fields: &BTreeMap<String, T>) -> Result<(), S::Error> {
        fields
            .iter()
            .try_for_each(|(name, value)| self.map.serialize_entry(name, value))
    }

    /// Finishes the object.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Thing {
        name: String,
        size: Option<i64>,
        note: Option<String>,
        extra: BTreeMap<String, Value>,
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut r = Reader::new(deserializer)?;
            Ok(Thing {
                name: r.required("name")?,
                size: r.optional("size")?,
                note: r.required("note")?,
                extra: r.rest()?,
            })
        }
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut w = Writer::new(serializer)?;
            w.required("name", &self.name)?;
            w.optional("size", &self.size)?;
            w.required("note", &self.note)?;
            w.rest(&self.extra)?;
            w.end()
        }
    }

    #[test]
    fn fields_round_trip_and_unknown_ones_are_kept_in_rest() {
        let thing: Thing =
            serde_json::from_value(json!({"name": "a", "size": null, "note": null, "x": 1}))
                .unwrap();
        assert_eq!(thing.size, None);
        assert_eq!(thing.extra, BTreeMap::from([("x".to_string(), json!(1))]));
        assert_eq!(
            serde_json::to_value(&thing).unwrap(),
            json!({"name": "a", "note": null, "x": 1})
        );
    }

    #[test]
    fn errors_name_the_field() {
        let e = serde_json::from_value::<Thing>(json!({"size": 1, "note": null})).unwrap_err();
        assert_eq!(e.to_string(), "missing field `name`");
        let e = serde_json::from_value::<Thing>(json!({"name": "a", "size": "big", "note": null}))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `size`: invalid type: string \"big\", expected i64"
        );
    }
}
