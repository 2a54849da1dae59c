//! Field-by-field (de)serialization of generated structs.
//!
//! Generated structs could derive serde's traits, but the derive expands to a
//! visitor, a field enum and a match per struct; for a spec with a thousand
//! schemas that expansion dominates the build. Instead a generated impl is one
//! call per field into these helpers, which are compiled once here.
//!
//! The calls do not return `Result`s: a failure is recorded (the first one
//! wins) and reported when the object is finished. A `?` per field would give
//! every struct literal one early exit per field, each dropping the fields read
//! so far, and borrow checking those exits was the largest single cost of
//! building a generated crate. Unknown fields are ignored and `null` reads as
//! an absent optional field, as with serde's derive; duplicate keys keep the
//! last value.
//!
//! Every value is read through [`crate::lenient`], so a field's value may be
//! off its declared type in the ways real servers drift (a number for a
//! string, `"1"` for a number, `"true"` for a boolean); a value that cannot be
//! read at all is the failure, naming the field and the value.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::lenient::{unexpected, Lenient};

/// Reads a JSON object into a struct: `build` takes the fields out of the
/// object; the first failure it met (a missing or malformed field) is the
/// error.
///
/// ```
/// # use migrate_runtime::object;
/// struct Volume { name: String, size: Option<i64> }
/// impl<'de> serde::Deserialize<'de> for Volume {
///     fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
///         object::read(d, |o| Some(Volume { name: o.required("name")?, size: o.optional("size") }))
///     }
/// }
/// let v: Volume = serde_json::from_str(r#"{"name": "v1", "size": null}"#).unwrap();
/// assert_eq!((v.name.as_str(), v.size), ("v1", None));
/// ```
pub fn read<'de, T, D: Deserializer<'de>>(
    deserializer: D,
    build: impl FnOnce(&mut Fields) -> Option<T>,
) -> Result<T, D::Error> {
    // Compiled once per struct: what does not need `T` is in `Fields::failure`.
    let mut fields = Fields {
        entries: deserializer.deserialize_map(Entries)?,
        error: None,
    };
    match build(&mut fields) {
        Some(value) if fields.error.is_none() => Ok(value),
        _ => Err(fields.failure()),
    }
}

/// Reads a JSON array item by item.
///
/// `Vec`'s own `Deserialize` goes through a visitor and a sequence accessor, each compiled
/// again for every item type; generated code reads its lists here instead, which costs a
/// third of that per type. A failing item is named by its index.
pub fn list<T: DeserializeOwned>(value: Value) -> Result<Vec<T>, serde_json::Error> {
    read_list(Lenient(value))
}

/// [`list`] for a value already wrapped (what the field readers and the response decoders
/// hold), so that no wrapper is compiled per item type.
pub(crate) fn read_list<T: DeserializeOwned>(value: Lenient) -> Result<Vec<T>, serde_json::Error> {
    let items = match value.0 {
        Value::Array(items) => items,
        other => return Err(not_a_list(&other)),
    };
    let mut list = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        match T::deserialize(Lenient(item)) {
            Ok(item) => list.push(item),
            Err(e) => return Err(item_error(index, e)),
        }
    }
    Ok(list)
}

fn not_a_list(value: &Value) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::invalid_type(unexpected(value), &"a list")
}

fn item_error(index: usize, error: serde_json::Error) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(format_args!("item {index}: {error}"))
}

/// The fields of a JSON object being taken apart (see [`read`]).
///
/// A list, not a map: a struct takes each of its few dozen fields once, and finding a name
/// among them costs less than hashing every key into a map first (a typed listing spent a
/// fifth of its time building and emptying those maps).
pub struct Fields {
    entries: Vec<(String, Value)>,
    error: Option<String>,
}

/// Reads an object's entries in order.
struct Entries;

impl<'de> serde::de::Visitor<'de> for Entries {
    type Value = Vec<(String, Value)>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

impl Fields {
    /// A field that must be present (a `null` is accepted when `T` allows
    /// it). `None` means it was missing or malformed; the reason is kept.
    pub fn required<T: DeserializeOwned>(&mut self, name: &'static str) -> Option<T> {
        match self.remove(name) {
            Some(value) => self.decode(name, value),
            None => match T::deserialize(Lenient(Value::Null)) {
                Ok(value) => Some(value),
                Err(_) => {
                    self.fail(format!("missing field `{name}`"));
                    None
                }
            },
        }
    }

    /// A field that may be absent or `null`; a malformed one is recorded as
    /// the error and read as `None`.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &'static str) -> Option<T> {
        // `decode` written out: nearly every field makes this call, and one function per field
        // type instead of two is 12k fewer lines of LLVM IR for the vendor spec's crate.
        match T::deserialize(Lenient(self.take(name)?)) {
            Ok(value) => Some(value),
            Err(e) => {
                self.fail_field(name, e);
                None
            }
        }
    }

    /// A field that may be absent (`None`), `null` (`Some(None)`) or a value; for request
    /// types where `null` means "clear it".
    pub fn clearable<T: DeserializeOwned>(&mut self, name: &'static str) -> Option<Option<T>> {
        match self.remove(name)? {
            Value::Null => Some(None),
            value => Some(Some(self.decode(name, value)?)),
        }
    }

    /// A list field that must be present.
    pub fn required_list<T: DeserializeOwned>(&mut self, name: &'static str) -> Option<Vec<T>> {
        match self.remove(name) {
            Some(value) => self.decode_list(name, value),
            None => {
                self.fail(format!("missing field `{name}`"));
                None
            }
        }
    }

    /// A list field that may be absent or `null`.
    pub fn optional_list<T: DeserializeOwned>(&mut self, name: &'static str) -> Option<Vec<T>> {
        let value = self.take(name)?;
        self.decode_list(name, value)
    }

    /// Every field not taken yet (for `additionalProperties`).
    pub fn rest<T: DeserializeOwned>(&mut self) -> BTreeMap<String, T> {
        let mut rest = BTreeMap::new();
        for (name, value) in std::mem::take(&mut self.entries) {
            if let Some(value) = self.decode(&name, value) {
                rest.insert(name, value);
            }
        }
        rest
    }

    /// The value of `name`, taken out; of a key given twice, the last value.
    fn remove(&mut self, name: &str) -> Option<Value> {
        let at = self.entries.iter().rposition(|(key, _)| key == name)?;
        // In order, so that `rest` meets what is left in the order it was written.
        let (_, value) = self.entries.remove(at);
        if self.entries[..at].iter().any(|(key, _)| key == name) {
            self.entries.retain(|(key, _)| key != name);
        }
        Some(value)
    }

    fn take(&mut self, name: &str) -> Option<Value> {
        match self.remove(name) {
            None | Some(Value::Null) => None,
            value => value,
        }
    }

    // `decode` and `decode_list` differ only in the function they call. Passing that function
    // as a `fn` pointer to one helper measured 2.6% more LLVM IR (712k -> 731k lines) for the
    // vendor spec's crate, so they stay two.
    fn decode<T: DeserializeOwned>(&mut self, name: &str, value: Value) -> Option<T> {
        match T::deserialize(Lenient(value)) {
            Ok(value) => Some(value),
            Err(e) => {
                self.fail_field(name, e);
                None
            }
        }
    }

    fn decode_list<T: DeserializeOwned>(&mut self, name: &str, value: Value) -> Option<Vec<T>> {
        match read_list(Lenient(value)) {
            Ok(list) => Some(list),
            Err(e) => {
                self.fail_field(name, e);
                None
            }
        }
    }

    /// The error a failed read ends with.
    fn failure<E: serde::de::Error>(self) -> E {
        E::custom(
            self.error
                .as_deref()
                .unwrap_or("the object could not be read"),
        )
    }

    fn fail_field(&mut self, name: &str, error: serde_json::Error) {
        self.fail(format!("field `{name}`: {error}"));
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }
}

/// A JSON object being written from a struct's fields; the first error the
/// serializer gives is returned by [`Writer::end`].
pub struct Writer<S: Serializer> {
    map: Result<S::SerializeMap, S::Error>,
}

impl<S: Serializer> Writer<S> {
    /// Starts the object a generated `Serialize` impl writes.
    pub fn new(serializer: S) -> Self {
        Writer {
            map: serializer.serialize_map(None),
        }
    }

    /// Writes a field (a `None` in a required field is written as `null`).
    pub fn required<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if let Ok(map) = &mut self.map {
            if let Err(e) = map.serialize_entry(name, value) {
                self.map = Err(e);
            }
        }
    }

    /// Writes a field unless it is `None`.
    pub fn optional<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(name, value);
        }
    }

    /// Writes extra fields (for `additionalProperties`).
    pub fn rest<T: Serialize>(&mut self, fields: &BTreeMap<String, T>) {
        for (name, value) in fields {
            self.required(name, value);
        }
    }

    /// Finishes the object.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.map?.end()
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
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
            read(deserializer, |r| {
                Some(Thing {
                    name: r.required("name")?,
                    size: r.optional("size"),
                    note: r.required("note")?,
                    extra: r.rest(),
                })
            })
        }
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut w = Writer::new(serializer);
            w.required("name", &self.name);
            w.optional("size", &self.size);
            w.required("note", &self.note);
            w.rest(&self.extra);
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
    fn a_key_given_twice_keeps_its_last_value_and_stays_out_of_rest() {
        let text =
            r#"{"name": "a", "size": 1, "name": "b", "note": null, "size": 2, "x": 1, "x": 3}"#;
        let thing: Thing = serde_json::from_str(text).unwrap();
        assert_eq!((thing.name.as_str(), thing.size), ("b", Some(2)));
        assert_eq!(thing.extra, BTreeMap::from([("x".to_string(), json!(3))]));
    }

    #[test]
    fn a_value_that_is_no_object_is_refused() {
        let e = serde_json::from_value::<Thing>(json!([1])).unwrap_err();
        assert!(e.to_string().contains("expected a map"), "{e}");
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

    #[test]
    fn the_first_failure_is_the_error_even_when_later_fields_fail_too() {
        let e = serde_json::from_value::<Thing>(json!({"name": "a", "size": "big", "note": 3}))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `size`: invalid type: string \"big\", expected i64"
        );
        let e = serde_json::from_value::<Thing>(json!([1, 2])).unwrap_err();
        assert!(e.to_string().contains("expected a map"), "{e}");
    }

    #[test]
    fn lists_name_the_failing_item_and_refuse_other_types() {
        assert_eq!(list::<u8>(json!([1, 2])).unwrap(), vec![1, 2]);
        let e = list::<u8>(json!([1, "x"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "item 1: invalid type: string \"x\", expected u8"
        );
        let e = list::<u8>(json!({"a": 1})).unwrap_err();
        assert_eq!(e.to_string(), "invalid type: map, expected a list");

        #[derive(Debug)]
        struct Tags(Vec<String>, Option<Vec<u8>>);
        impl<'de> Deserialize<'de> for Tags {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                read(d, |o| {
                    Some(Tags(o.required_list("tags")?, o.optional_list("sizes")))
                })
            }
        }
        let t: Tags = serde_json::from_value(json!({"tags": ["a"], "sizes": null})).unwrap();
        assert_eq!((t.0, t.1), (vec!["a".to_string()], None));
        let e = serde_json::from_value::<Tags>(json!({"sizes": [1]})).unwrap_err();
        assert_eq!(e.to_string(), "missing field `tags`");
        let e = serde_json::from_value::<Tags>(json!({"tags": [], "sizes": [1, -1]})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `sizes`: item 1: invalid value: integer `-1`, expected u8"
        );
    }

    #[test]
    fn clearable_fields_tell_null_from_absent() {
        #[derive(Debug)]
        struct Patch(Option<Option<String>>, Option<Option<String>>);
        impl<'de> Deserialize<'de> for Patch {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                read(d, |o| Some(Patch(o.clearable("a"), o.clearable("b"))))
            }
        }
        impl Serialize for Patch {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut w = Writer::new(serializer);
                w.optional("a", &self.0);
                w.optional("b", &self.1);
                w.end()
            }
        }
        let p: Patch = serde_json::from_value(json!({"a": null})).unwrap();
        assert_eq!((p.0.clone(), p.1.clone()), (Some(None), None));
        assert_eq!(serde_json::to_value(&p).unwrap(), json!({"a": null}));
        let p = Patch(Some(Some("x".into())), None);
        assert_eq!(serde_json::to_value(&p).unwrap(), json!({"a": "x"}));
        let e = serde_json::from_value::<Patch>(json!({"b": [1]})).unwrap_err();
        assert!(e.to_string().starts_with("field `b`: invalid type"), "{e}");
    }

    #[test]
    fn fields_read_values_off_their_declared_type_as_servers_send_them() {
        // ViPR: numbers and booleans as strings; PowerStore: an id as a number.
        #[derive(Debug, PartialEq)]
        struct Copy {
            id: String,
            count: i64,
            create_inactive: Option<bool>,
            sizes: Option<Vec<f64>>,
            ids: Vec<String>,
            extra: BTreeMap<String, i64>,
        }
        impl<'de> Deserialize<'de> for Copy {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                read(d, |o| {
                    Some(Copy {
                        id: o.required("id")?,
                        count: o.required("count")?,
                        ids: o.required_list("ids")?,
                        create_inactive: o.optional("create_inactive"),
                        sizes: o.optional_list("sizes"),
                        extra: o.rest(),
                    })
                })
            }
        }
        let body = json!({"id": 0, "count": "1", "create_inactive": "true", "sizes": ["1.5", 2],
                          "ids": [7, "a"], "more": "3"});
        let copy: Copy = serde_json::from_value(body).unwrap();
        assert_eq!(
            copy,
            Copy {
                id: "0".into(),
                count: 1,
                create_inactive: Some(true),
                sizes: Some(vec![1.5, 2.0]),
                ids: vec!["7".into(), "a".into()],
                extra: BTreeMap::from([("more".into(), 3)]),
            }
        );
        // What cannot be read at all still names the field and the value.
        let e = serde_json::from_value::<Copy>(json!({"id": "a", "count": "many", "ids": []}))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `count`: invalid type: string \"many\", expected i64"
        );
        let e = serde_json::from_value::<Copy>(
            json!({"id": "a", "count": 1, "ids": [], "create_inactive": "maybe"}),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `create_inactive`: invalid type: string \"maybe\", expected a boolean"
        );
        let e = serde_json::from_value::<Copy>(json!({"id": "a", "count": 1, "ids": [true]}))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `ids`: item 0: invalid type: boolean `true`, expected a string"
        );
    }

    #[test]
    fn the_first_serializer_error_comes_back_from_end() {
        // serde_json refuses map keys that are not strings.
        struct Bad(BTreeMap<Vec<u8>, i32>);
        impl Serialize for Bad {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut w = Writer::new(serializer);
                w.required("first", &self.0);
                w.required("second", &1);
                w.end()
            }
        }
        let e = serde_json::to_string(&Bad(BTreeMap::from([(vec![1], 1)]))).unwrap_err();
        assert!(e.to_string().contains("key must be a string"), "{e}");
    }
}
