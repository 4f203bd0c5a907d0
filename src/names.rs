//! Enums written in JSON as their names and read back by name. Serde's derived
//! `Deserialize` for an enum also accepts the `{"variant": …}` forms and weighed about 1 KB
//! of the page's wasm per enum; the page only ever reads a name.

use serde::{Deserialize, Deserializer};

/// An enum whose JSON form is one of its variants' names.
pub(crate) trait Named: Sized + Copy + 'static {
    /// Every variant.
    const ALL: &'static [Self];
    /// The name it is written as (what its `Serialize` writes).
    fn name(self) -> &'static str;
}

/// Reads a variant by its name.
pub(crate) fn by_name<'de, D: Deserializer<'de>, T: Named>(deserializer: D) -> Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    T::ALL
        .iter()
        .copied()
        .find(|v| v.name() == name)
        .ok_or_else(|| {
            serde::de::Error::invalid_value(serde::de::Unexpected::Str(&name), &"a known name")
        })
}

/// `Deserialize` through [`by_name`] for each [`Named`] type given.
macro_rules! deserialize_by_name {
    ($($ty:ty),* $(,)?) => {
        $(impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::names::by_name(deserializer)
            }
        })*
    };
}
pub(crate) use deserialize_by_name;

#[cfg(test)]
mod tests {
    use super::Named;
    use crate::input::Format;
    use crate::report::{BadgeKind, CardGroup, RootFailureKind, Severity};

    /// Each variant's name is what its `Serialize` writes, and reads back as itself.
    fn round_trips<
        T: Named + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    >() {
        for &variant in T::ALL {
            let json = serde_json::to_string(&variant).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", variant.name()));
            assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(variant));
        }
        assert!(serde_json::from_str::<T>("\"no-such-name\"").is_err());
    }

    #[test]
    fn names_round_trip() {
        round_trips::<Severity>();
        round_trips::<CardGroup>();
        round_trips::<BadgeKind>();
        round_trips::<RootFailureKind>();
        round_trips::<Format>();
    }
}
