//! Reading and writing unions: values that may be one of several types (`oneOf`,
//! `anyOf`, a `type` list, the children of a discriminator base).
//!
//! A generated union is an enum with a variant per alternative and an `Other` variant
//! that keeps, as JSON, a value no alternative accepts: one odd value never fails a
//! whole response. Its serde impls are a few lines that call in here, so that the
//! matching logic is compiled once.
//!
//! Without a discriminator, the value's JSON kind and the [`Shape`] of each
//! alternative decide the order in which alternatives are tried, and the first that
//! decodes wins:
//!
//! 1. alternatives of the value's own kind: a string tries the string alternatives, an
//!    integer the integer ones before the number ones, an object the object
//!    alternatives whose required properties are all present, those that know more of
//!    the value's properties first;
//! 2. then alternatives that accept anything;
//! 3. within a rank, the order of the spec.
//!
//! With a discriminator, its value picks the alternative; an unknown value goes to
//! `Other`, and a value without the discriminator (real servers leave it out) is
//! matched by shape as above.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// What JSON an alternative accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string (also enums and timestamps).
    String,
    /// An integral number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array.
    Array,
    /// An object, with the properties the alternative knows and those it requires.
    Object {
        /// Every property name the alternative declares.
        known: &'static [&'static str],
        /// The ones it requires.
        required: &'static [&'static str],
    },
    /// Anything.
    Any,
}

/// Reads a union without a discriminator: `decode(index, value)` tries alternative
/// `index` (see the module docs for the order); `other` keeps a value none accepts.
pub fn read<'de, T, D: Deserializer<'de>>(
    deserializer: D,
    shapes: &[Shape],
    decode: impl Fn(usize, &Value) -> Option<T>,
    other: fn(Value) -> T,
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(pick(value, shapes, &decode, other))
}

/// Reads a union with a discriminator property `tag`; `tags` maps its values to
/// alternatives.
pub fn read_tagged<'de, T, D: Deserializer<'de>>(
    deserializer: D,
    tag: &str,
    tags: &[(&str, usize)],
    shapes: &[Shape],
    decode: impl Fn(usize, &Value) -> Option<T>,
    other: fn(Value) -> T,
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let chosen = match value.get(tag) {
        Some(Value::String(found)) => Some(tags.iter().find(|(name, _)| name == found)),
        _ => None,
    };
    Ok(match chosen {
        Some(Some((_, index))) => match decode(*index, &value) {
            Some(decoded) => decoded,
            None => other(value),
        },
        Some(None) => other(value),
        // Without its discriminator the shape decides, and the alternative is read as if
        // the discriminator had been sent.
        None => {
            for index in order(&value, shapes) {
                let mut tagged = value.clone();
                if let (Value::Object(map), Some((name, _))) =
                    (&mut tagged, tags.iter().find(|(_, i)| *i == index))
                {
                    map.insert(tag.to_string(), Value::String(name.to_string()));
                }
                if let Some(decoded) = decode(index, &tagged) {
                    return Ok(decoded);
                }
            }
            other(value)
        }
    })
}

/// Decodes one alternative: `wrap` makes the union's variant of it.
pub fn decode<T: DeserializeOwned, U>(value: &Value, wrap: impl FnOnce(T) -> U) -> Option<U> {
    // From an owned copy through the lenient reader, as every other value is read: another
    // deserializer (`&Value`, or a plain `Value`) would compile each alternative's
    // `Deserialize` a second time.
    T::deserialize(crate::lenient::Lenient(value.clone()))
        .ok()
        .map(wrap)
}

/// Writes an alternative of a union with a discriminator, adding the discriminator
/// when the alternative's own type does not carry it, so that what is written reads
/// back as the same alternative.
pub fn write_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    inner: &T,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(inner).map_err(S::Error::custom)?;
    if let Value::Object(map) = &mut json {
        map.entry(tag.to_string())
            .or_insert_with(|| Value::String(value.to_string()));
    }
    json.serialize(serializer)
}

fn pick<T>(
    value: Value,
    shapes: &[Shape],
    decode: &impl Fn(usize, &Value) -> Option<T>,
    other: fn(Value) -> T,
) -> T {
    for index in order(&value, shapes) {
        if let Some(decoded) = decode(index, &value) {
            return decoded;
        }
    }
    other(value)
}

/// The alternatives worth trying for `value`, best first.
fn order(value: &Value, shapes: &[Shape]) -> Vec<usize> {
    // (rank, properties of the value the alternative does not know, index)
    let mut ranked: Vec<(u8, usize, usize)> = Vec::new();
    for (index, shape) in shapes.iter().enumerate() {
        let rank = match (shape, value) {
            (Shape::String, Value::String(_)) | (Shape::Boolean, Value::Bool(_)) => Some(0),
            (Shape::Array, Value::Array(_)) => Some(0),
            (Shape::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Some(0),
            (Shape::Number, Value::Number(n)) => Some(if n.is_f64() { 0 } else { 1 }),
            (Shape::Object { known, required }, Value::Object(map)) => {
                if required.iter().all(|r| map.contains_key(*r)) {
                    let unknown = map.keys().filter(|k| !known.contains(&k.as_str())).count();
                    ranked.push((0, unknown, index));
                }
                None
            }
            (Shape::Any, _) => Some(2),
            _ => None,
        };
        if let Some(rank) = rank {
            ranked.push((rank, 0, index));
        }
    }
    ranked.sort();
    ranked.into_iter().map(|(_, _, index)| index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    enum Value3 {
        Int(i64),
        Num(f64),
        Text(String),
        Other(Value),
    }

    fn read3(value: Value) -> Value3 {
        let shapes = [Shape::Number, Shape::Integer, Shape::String];
        read(
            value,
            &shapes,
            |i, v| match i {
                0 => decode(v, Value3::Num),
                1 => decode(v, Value3::Int),
                2 => decode(v, Value3::Text),
                _ => None,
            },
            Value3::Other,
        )
        .unwrap()
    }

    #[test]
    fn kinds_pick_their_alternative_and_integers_prefer_integer() {
        assert_eq!(read3(json!(3)), Value3::Int(3));
        assert_eq!(read3(json!(3.5)), Value3::Num(3.5));
        assert_eq!(read3(json!("x")), Value3::Text("x".into()));
        assert_eq!(read3(json!([1])), Value3::Other(json!([1])));
    }

    #[test]
    fn objects_go_to_the_alternative_that_fits_best() {
        let shapes = [
            Shape::Object {
                known: &["a"],
                required: &[],
            },
            Shape::Object {
                known: &["a", "b"],
                required: &["b"],
            },
        ];
        let which = |value: Value| read(value, &shapes, |i, _| Some(i), |_| usize::MAX).unwrap();
        // Both fit; the second knows both properties.
        assert_eq!(which(json!({"a": 1, "b": 2})), 1);
        // The second requires `b`.
        assert_eq!(which(json!({"a": 1})), 0);
    }

    #[test]
    fn discriminators_pick_and_missing_ones_fall_back_to_shape() {
        let shapes = [
            Shape::Object {
                known: &["kind", "x"],
                required: &["x"],
            },
            Shape::Object {
                known: &["kind", "y"],
                required: &["y"],
            },
        ];
        let which = |value: Value| {
            read_tagged(
                value,
                "kind",
                &[("ex", 0), ("why", 1)],
                &shapes,
                |i, _| Some(i),
                |_| usize::MAX,
            )
            .unwrap()
        };
        assert_eq!(which(json!({"kind": "why", "x": 1})), 1);
        assert_eq!(which(json!({"kind": "zed"})), usize::MAX);
        assert_eq!(which(json!({"y": 1})), 1);
        // The alternative chosen by shape is read with its discriminator added.
        let seen = read_tagged(
            json!({"y": 1}),
            "kind",
            &[("ex", 0), ("why", 1)],
            &shapes,
            |_, v| Some(v.clone()),
            |_| Value::Null,
        )
        .unwrap();
        assert_eq!(seen, json!({"kind": "why", "y": 1}));
    }

    #[test]
    fn tagged_writes_add_the_discriminator() {
        let written = write_tagged(
            serde_json::value::Serializer,
            "kind",
            "ex",
            &json!({"x": 1}),
        )
        .unwrap();
        assert_eq!(written, json!({"kind": "ex", "x": 1}));
        let kept = write_tagged(
            serde_json::value::Serializer,
            "kind",
            "ex",
            &json!({"kind": "ex2"}),
        )
        .unwrap();
        assert_eq!(kept, json!({"kind": "ex2"}));
    }
}
