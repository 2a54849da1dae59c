//! Reading JSON as real servers send it, not only as their specs declare it.
//!
//! Servers drift from their specs in small, well-known ways, and a strict decoder turns each
//! into a failed response: a PowerStore job's `response_body.id` arrives as the integer `0`
//! where `create_response.id` is a string; ViPR sends `"count": "1"` and
//! `"create_inactive": "true"`. [`Lenient`] is a serde `Deserializer` over a
//! `serde_json::Value` that accepts these:
//!
//! - a number where a string is asked for reads as its decimal text (`0` → `"0"`);
//! - a string holding a number where a number is asked for reads as that number (`"1"` → `1`,
//!   `"2.5"` → `2.5`; the text must be the whole number, no spaces);
//! - a string `"true"` or `"false"` (any ASCII case) where a boolean is asked for reads as it.
//!
//! Nothing else is coerced, and a coercion never hides a value that cannot be read: when the
//! coerced form is refused too (a number where a date-time is asked for), the error is the one
//! the value itself gives, naming it and the expected type, as without these rules.
//! Enum values that differ only in case are matched in [`crate::string_enum`].
//!
//! Every body, field and list item the runtime decodes goes through here (`object`'s field
//! readers, the response decoders, paging). That matters for build time as much as for
//! behaviour: a generated type's `Deserialize` is compiled once per deserializer type it meets,
//! so mixing `Lenient` with plain `Value`s would compile every struct's reader twice.

use serde::de::{
    DeserializeOwned, DeserializeSeed, Error as _, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, Visitor,
};
use serde::Deserializer;
use serde_json::{Error, Map, Value};

/// A JSON value read with the coercions described in the [module docs](self).
#[derive(Debug, Clone)]
pub struct Lenient(pub Value);

/// Decodes `T` from a JSON value, with the coercions of [`Lenient`].
///
/// ```
/// # use migrate_runtime::lenient::from_value;
/// let id: String = from_value(serde_json::json!(0)).unwrap();
/// assert_eq!(id, "0");
/// let count: u32 = from_value(serde_json::json!("1")).unwrap();
/// assert_eq!(count, 1);
/// let flag: bool = from_value(serde_json::json!("true")).unwrap();
/// assert!(flag);
/// ```
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(Lenient(value))
}

/// How serde names a JSON value in an "invalid type" message.
pub(crate) fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => unexpected_number(n),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn unexpected_number(n: &serde_json::Number) -> Unexpected<'static> {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => Unexpected::Signed(i),
        (_, Some(u), _) => Unexpected::Unsigned(u),
        (_, _, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
    }
}

/// A number in a string: `"12"`, `"-3"`, `"2.5"`; no spaces, nothing around it, finite.
enum TextNumber {
    Signed(i64),
    Unsigned(u64),
    Float(f64),
}

fn text_number(text: &str) -> Option<TextNumber> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(TextNumber::Signed(i));
    }
    if let Ok(u) = text.parse::<u64>() {
        return Some(TextNumber::Unsigned(u));
    }
    // Rust also parses "inf", "NaN" and "1e5"; JSON numbers are finite and start with a digit
    // or a minus sign.
    let starts_like_a_number = text
        .trim_start_matches('-')
        .starts_with(|c: char| c.is_ascii_digit());
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && starts_like_a_number => Some(TextNumber::Float(f)),
        _ => None,
    }
}

fn text_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

impl Lenient {
    /// A number or a string holding one, for a visitor that asks for a number.
    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0 {
            Value::String(text) => match text_number(text) {
                Some(TextNumber::Signed(i)) => visitor.visit_i64(i),
                Some(TextNumber::Unsigned(u)) => visitor.visit_u64(u),
                Some(TextNumber::Float(f)) => visitor.visit_f64(f),
                None => Err(Error::invalid_type(unexpected(&self.0), &visitor)),
            },
            _ => self.0.deserialize_any(visitor),
        }
    }

    /// A string, or a number as its decimal text, for a visitor that asks for a string.
    fn string<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Number(number) => {
                // If the text is refused too (a date-time, say), the number is what was
                // wrong: report it as such.
                let refused = Error::invalid_type(unexpected_number(&number), &visitor);
                match visitor.visit_string::<Error>(number.to_string()) {
                    Ok(value) => Ok(value),
                    Err(_) => Err(refused),
                }
            }
            other => other.deserialize_string(visitor),
        }
    }
}

macro_rules! numbers {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.number(visitor)
        })*
    };
}

impl<'de> Deserializer<'de> for Lenient {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(fields) => visit_object(fields, visitor),
            scalar => scalar.deserialize_any(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0 {
            Value::String(text) => match text_bool(text) {
                Some(b) => visitor.visit_bool(b),
                None => Err(Error::invalid_type(unexpected(&self.0), &visitor)),
            },
            _ => self.0.deserialize_any(visitor),
        }
    }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_bytes(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_byte_buf(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(Lenient(value)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_unit(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(fields) => visit_object(fields, visitor),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Generated code has no serde enums (string enums read a string); this serves derived
        // ones, as `Value` does.
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_identifier(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

impl IntoDeserializer<'_, Error> for Lenient {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut items = Items(items.into_iter());
    let value = visitor.visit_seq(&mut items)?;
    match items.0.len() {
        0 => Ok(value),
        _ => Err(Error::invalid_length(len, &"fewer elements in array")),
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    fields: Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Error> {
    let len = fields.len();
    let mut fields = Fields {
        fields: fields.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut fields)?;
    match fields.fields.len() {
        0 => Ok(value),
        _ => Err(Error::invalid_length(len, &"fewer elements in map")),
    }
}

struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.0.next() {
            Some(value) => seed.deserialize(Lenient(value)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields {
    fields: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.fields.next() {
            Some((key, value)) => {
                self.value = Some(value);
                // The key through `Lenient` too, so that no type meets a second deserializer.
                seed.deserialize(Lenient(Value::String(key))).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Lenient(value)),
            None => Err(Error::custom("a map value was asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn read<T: DeserializeOwned>(value: Value) -> Result<T, String> {
        from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_read_as_their_text_where_a_string_is_declared() {
        assert_eq!(read::<String>(json!(0)).unwrap(), "0");
        assert_eq!(read::<String>(json!(-12)).unwrap(), "-12");
        assert_eq!(
            read::<String>(json!(18446744073709551615u64)).unwrap(),
            "18446744073709551615"
        );
        assert_eq!(read::<String>(json!(2.5)).unwrap(), "2.5");
        assert_eq!(read::<crate::Secret>(json!(1234)).unwrap().expose(), "1234");
        // Other types are not turned into text.
        assert_eq!(
            read::<String>(json!(true)).unwrap_err(),
            "invalid type: boolean `true`, expected a string"
        );
        assert_eq!(
            read::<String>(json!({"a": 1})).unwrap_err(),
            "invalid type: map, expected a string"
        );
    }

    #[test]
    fn a_number_refused_as_text_too_is_reported_as_the_number() {
        let e = read::<crate::DateTime>(json!(0)).unwrap_err();
        assert!(e.starts_with("invalid type: integer `0`, expected"), "{e}");
    }

    #[test]
    fn strings_holding_numbers_read_where_a_number_is_declared() {
        assert_eq!(read::<u32>(json!("1")).unwrap(), 1);
        assert_eq!(read::<i64>(json!("-7")).unwrap(), -7);
        assert_eq!(read::<i32>(json!("2147483647")).unwrap(), i32::MAX);
        assert_eq!(
            read::<u64>(json!("18446744073709551615")).unwrap(),
            u64::MAX
        );
        assert_eq!(read::<f64>(json!("2.5")).unwrap(), 2.5);
        assert_eq!(read::<f64>(json!("3")).unwrap(), 3.0);
        // Out of range or not a whole number: the value is named.
        assert_eq!(
            read::<u8>(json!("300")).unwrap_err(),
            "invalid value: integer `300`, expected u8"
        );
        assert_eq!(
            read::<i64>(json!("2.5")).unwrap_err(),
            "invalid type: floating point `2.5`, expected i64"
        );
        for text in ["", " 1", "1 ", "one", "0x10", "inf", "NaN", "1,5"] {
            assert_eq!(
                read::<f64>(json!(text)).unwrap_err(),
                format!("invalid type: string {text:?}, expected f64"),
            );
        }
    }

    #[test]
    fn strings_holding_booleans_read_where_a_boolean_is_declared() {
        assert!(read::<bool>(json!("true")).unwrap());
        assert!(!read::<bool>(json!("false")).unwrap());
        assert!(read::<bool>(json!("True")).unwrap());
        assert!(!read::<bool>(json!("FALSE")).unwrap());
        assert_eq!(
            read::<bool>(json!("yes")).unwrap_err(),
            "invalid type: string \"yes\", expected a boolean"
        );
        assert_eq!(
            read::<bool>(json!(1)).unwrap_err(),
            "invalid type: integer `1`, expected a boolean"
        );
    }

    #[test]
    fn coercions_reach_inside_options_lists_maps_and_boxes() {
        assert_eq!(read::<Option<u8>>(json!("4")).unwrap(), Some(4));
        assert_eq!(read::<Option<u8>>(json!(null)).unwrap(), None);
        assert_eq!(
            read::<Vec<bool>>(json!(["true", false])).unwrap(),
            [true, false]
        );
        assert_eq!(
            read::<BTreeMap<String, String>>(json!({"a": 1})).unwrap(),
            BTreeMap::from([("a".to_string(), "1".to_string())])
        );
        assert_eq!(*read::<Box<i64>>(json!("9")).unwrap(), 9);
        assert_eq!(
            read::<(u8, String)>(json!(["1", 2])).unwrap(),
            (1, "2".into())
        );
        assert_eq!(
            read::<(u8,)>(json!([1, 2])).unwrap_err(),
            "invalid length 2, expected fewer elements in array"
        );
    }

    #[test]
    fn json_values_come_through_unchanged() {
        let value = json!({"a": [1, "2", {"b": null, "c": true}], "d": 1.5, "e": "x"});
        assert_eq!(read::<Value>(value.clone()).unwrap(), value);
    }

    #[test]
    fn derived_types_read_through_it() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Copy {
            count: u32,
            create_inactive: bool,
            name: String,
            #[serde(default)]
            tags: Vec<String>,
        }
        let copy: Copy =
            read(json!({"count": "1", "create_inactive": "true", "name": 7, "tags": [1]})).unwrap();
        assert_eq!(
            copy,
            Copy {
                count: 1,
                create_inactive: true,
                name: "7".into(),
                tags: vec!["1".into()]
            }
        );
        let e =
            read::<Copy>(json!({"count": "x", "create_inactive": true, "name": ""})).unwrap_err();
        assert_eq!(e, "invalid type: string \"x\", expected u32");
    }
}
