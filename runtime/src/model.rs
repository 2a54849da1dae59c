//! The two macros generated types are declared with: [`object!`](crate::object!) for structs
//! and [`string_enum!`](crate::string_enum!) for string enums.
//!
//! A generated struct's serde impls say, for every field, its wire name and how it is read
//! (required, optional, a list, clearable); a string enum's impls list every value twice and
//! its variants twice more. Written out, that is most of a generated crate's lines and none
//! of its information. Declared through these macros, each field is written once with its
//! wire name beside it, each enum value once beside its variant, and the impls the macros
//! expand to are the ones `object` and `string_enum` document: one runtime call per field,
//! no serde derive (see [`crate::object`] for why).

/// Declares a struct whose `Serialize` and `Deserialize` go field by field through
/// [`object::Writer`](crate::object::Writer) and [`object::read`](crate::object::read).
///
/// Every field carries `#[wire(KIND = "name")]`: its name on the wire and how it is read.
///
/// | `KIND` | the field | read | written |
/// |---|---|---|---|
/// | `required` | `T` (`Option<T>` when `null` is allowed) | must be present | always |
/// | `required_list` | `Vec<T>` | must be present, item by item | always |
/// | `optional` | `Option<T>` | absent or `null` is `None` | unless `None` |
/// | `optional_list` | `Option<Vec<T>>` | as `optional`, item by item | unless `None` |
/// | `clearable` | `Option<Option<T>>` | absent is `None`, `null` is `Some(None)` | unless `None` |
///
/// A last field marked `#[rest]` (a `BTreeMap<String, T>`) holds the properties no field
/// names. A field's docs and `#[deprecated]` come before its `#[wire]`. Fields are read in the order they are declared; a missing required field ends
/// the read.
///
/// ```
/// migrate_runtime::object! {
///     /// A volume.
///     #[derive(Debug, Clone)]
///     pub struct Volume {
///         /// Its name.
///         #[wire(required = "name")]
///         pub name: String,
///         #[wire(optional = "size")]
///         pub size: Option<i64>,
///         #[wire(optional_list = "tags")]
///         pub tags: Option<Vec<String>>,
///         #[rest]
///         pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
///     }
/// }
/// let v: Volume = serde_json::from_str(r#"{"name": "v1", "size": "5", "x": 1}"#).unwrap();
/// assert_eq!((v.name.as_str(), v.size, v.additional_properties.len()), ("v1", Some(5), 1));
/// assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"name":"v1","size":5,"x":1}"#);
/// ```
#[macro_export]
macro_rules! object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[deprecated $($deprecated:tt)*])?
                #[wire($kind:ident = $wire:literal)]
                pub $field:ident : $ty:ty,
            )*
            $(
                #[rest]
                pub $rest:ident : $rest_ty:ty,
            )?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[doc = $doc])*
                $(#[deprecated $($deprecated)*])?
                pub $field: $ty,
            )*
            $(
                /// Properties the spec does not name.
                pub $rest: $rest_ty,
            )?
        }
        impl $crate::__serde::Serialize for $name {
            #[allow(unused_mut)]
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let mut object = $crate::object::Writer::new(serializer);
                $( $crate::__object_write!(object, $kind, $wire, &self.$field); )*
                $( object.rest(&self.$rest); )?
                object.end()
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            #[allow(unused_variables)]
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::object::read(deserializer, |object| {
                    ::core::option::Option::Some(Self {
                        $( $field: $crate::__object_read!(object, $kind, $wire), )*
                        $( $rest: object.rest(), )?
                    })
                })
            }
        }
    };
}

/// One field's write in [`object!`]: absent when an optional field is `None`.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_write {
    ($object:ident, required, $wire:literal, $value:expr) => {
        $object.required($wire, $value)
    };
    ($object:ident, required_list, $wire:literal, $value:expr) => {
        $object.required($wire, $value)
    };
    ($object:ident, optional, $wire:literal, $value:expr) => {
        $object.optional($wire, $value)
    };
    ($object:ident, optional_list, $wire:literal, $value:expr) => {
        $object.optional($wire, $value)
    };
    ($object:ident, clearable, $wire:literal, $value:expr) => {
        $object.optional($wire, $value)
    };
}

/// One field's read in [`object!`]: a missing required field ends the read.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_read {
    ($object:ident, required, $wire:literal) => {
        $object.required($wire)?
    };
    ($object:ident, required_list, $wire:literal) => {
        $object.required_list($wire)?
    };
    ($object:ident, optional, $wire:literal) => {
        $object.optional($wire)
    };
    ($object:ident, optional_list, $wire:literal) => {
        $object.optional_list($wire)
    };
    ($object:ident, clearable, $wire:literal) => {
        $object.clearable($wire)
    };
}

/// Declares a string enum: one variant per value the spec lists, written `Variant = "wire"`
/// (one may be marked `#[default]` for `derive(Default)`), and a last variant marked
/// `#[unknown]` that keeps any other value.
///
/// It implements [`StringEnum`](crate::StringEnum), serde's traits through
/// [`string_enum::serialize`](crate::string_enum::serialize) and
/// [`string_enum::deserialize`](crate::string_enum::deserialize) (so listed values match
/// regardless of ASCII case), `Display` and `FromStr` as the wire value, and
/// [`Validate`](crate::Validate), which refuses the unknown variant. Each listed variant is
/// documented with its wire value.
///
/// ```
/// use migrate_runtime::StringEnum;
/// migrate_runtime::string_enum! {
///     /// A session's state.
///     #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
///     pub enum State {
///         #[default]
///         InProgress = "In_Progress",
///         Failed = "Failed",
///         #[unknown]
///         Unknown(String),
///     }
/// }
/// assert_eq!(serde_json::from_str::<State>(r#""in_progress""#).unwrap(), State::InProgress);
/// assert_eq!(State::from_wire("New".into()), State::Unknown("New".into()));
/// assert_eq!(State::Failed.to_string(), "Failed");
/// assert_eq!(State::default(), State::InProgress);
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[default $($default:tt)*])? $variant:ident = $wire:literal, )*
            #[unknown]
            $unknown:ident(String) $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $(
                #[doc = concat!(" `", $wire, "`")]
                $(#[default $($default)*])?
                $variant,
            )*
            /// A value this version of the spec does not list.
            $unknown(::std::string::String),
        }
        impl $crate::StringEnum for $name {
            const VALUES: &'static [&'static str] = &[$($wire),*];
            fn from_wire(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $wire => Self::$variant, )*
                    _ => Self::$unknown(value),
                }
            }
            fn as_wire(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::$unknown(value) => value,
                }
            }
            fn is_known(&self) -> bool {
                !matches!(self, Self::$unknown(_))
            }
        }
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::string_enum::serialize(self, serializer)
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::string_enum::deserialize(deserializer)
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str($crate::StringEnum::as_wire(self))
            }
        }
        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, ::core::convert::Infallible> {
                ::core::result::Result::Ok($crate::StringEnum::from_wire(value.to_string()))
            }
        }
        impl $crate::Validate for $name {
            fn validate(&self) -> ::core::result::Result<(), $crate::ValidationError> {
                $crate::check::known_enum("", self)
            }
        }
    };
}
