//! `Deserialize` for structs read from a JSON object (what the worker sends the page), written
//! by [`deserialize_object!`] instead of `#[derive(Deserialize)]`. The derived impl also reads
//! a struct from an array of its fields in order, a form httpdx never writes; in the page's
//! wasm that second reader repeated every field's parsing, per struct.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// A key of the object, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// Skips a value the struct has no field for (a newer writer's addition).
pub(crate) fn skip<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value_seed(Skip).map(|_| ())
}

struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = de::IgnoredAny;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        de::Deserialize::deserialize(deserializer)
    }
}

/// `Deserialize` for a struct from a JSON object: `Type { field: required, field: default,
/// field: required via function, … } skip { field, … }`. `required` fields must be present
/// (`missing field` otherwise); `default` ones take `Default::default()` when absent (serde's
/// `#[serde(default)]`, and how it reads a missing `Option`); `via f` reads the type `f` takes
/// and stores what it returns; `skip` fields are never read (`#[serde(skip)]`). Unknown keys
/// are skipped, as the derived impl does; a repeated key keeps its last value.
macro_rules! deserialize_object {
    ($ty:ident { $($field:ident : $mode:ident $(via $via:expr)?),* $(,)? } $(skip { $($skipped:ident),* $(,)? })?) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($ty)))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        $(let mut $field = None;)*
                        while let Some(key) = map.next_key::<$crate::report::object::Key<'de>>()? {
                            match &*key.0 {
                                $(stringify!($field) => {
                                    $field = Some($crate::report::object::deserialize_object!(@read map $(via $via)?));
                                })*
                                _ => $crate::report::object::skip(&mut map)?,
                            }
                        }
                        Ok($ty {
                            $($field: $crate::report::object::deserialize_object!(@finish $field $mode),)*
                            $($($skipped: Default::default(),)*)?
                        })
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
    (@read $map:ident) => { $map.next_value()? };
    (@read $map:ident via $via:expr) => { ($via)($map.next_value()?) };
    (@finish $field:ident required) => {
        $field.ok_or_else(|| <A::Error as serde::de::Error>::missing_field(stringify!($field)))?
    };
    (@finish $field:ident default) => { $field.unwrap_or_default() };
}
pub(crate) use deserialize_object;

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    struct Probe {
        name: String,
        count: Option<u32>,
        tags: Vec<String>,
        shout: String,
        never: u8,
    }

    deserialize_object!(Probe {
        name: required,
        count: default,
        tags: default,
        shout: default via |s: String| s.to_uppercase(),
    } skip { never });

    fn read(json: &str) -> Result<Probe, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_an_object_like_the_derived_impl() {
        let probe =
            read(r#"{"tags":["a"],"name":"x","count":3,"shout":"hi","never":9,"new":{"a":[1]}}"#);
        assert_eq!(
            probe,
            Ok(Probe {
                name: "x".into(),
                count: Some(3),
                tags: vec!["a".into()],
                shout: "HI".into(),
                never: 0,
            })
        );
        // Absent and null optional fields, and a key written with an escape.
        let probe = read(r#"{"n\u0061me":"y","count":null}"#);
        assert_eq!(
            probe,
            Ok(Probe {
                name: "y".into(),
                count: None,
                tags: Vec::new(),
                shout: String::new(),
                never: 0,
            })
        );
    }

    #[test]
    fn rejects_what_the_derived_impl_rejects() {
        assert!(read(r#"{"count":1}"#).is_err_and(|e| e.contains("missing field `name`")));
        assert!(read(r#"{"name":1}"#).is_err());
        assert!(
            read(r#"["x",1,[],"",0]"#).is_err(),
            "the array form is not read"
        );
        assert!(read(r#"{"name":"x""#).is_err());
    }
}
