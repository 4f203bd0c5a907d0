//! A JSON object kept as its members' JSON texts, in order: a decoded token's header and
//! claims, which readers only show. The page reads them back from the worker without
//! `serde_json::Value` (its parser, tree and printer weighed about 5 KB gzipped in the page's
//! wasm); the JSON written is the object itself, as before.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// Members as `(name, value as compact JSON)`, in the object's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonObject(Vec<(String, String)>);

impl From<&serde_json::Map<String, serde_json::Value>> for JsonObject {
    fn from(map: &serde_json::Map<String, serde_json::Value>) -> Self {
        JsonObject(
            map.iter()
                .map(|(name, value)| (name.clone(), value.to_string()))
                .collect(),
        )
    }
}

impl JsonObject {
    /// Each member's name and its value as people read it ([`text`]).
    pub fn members(&self) -> impl Iterator<Item = (&str, String)> {
        self.0
            .iter()
            .map(|(name, json)| (name.as_str(), text(json)))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name.as_str())
    }

    /// The value of member `name` as compact JSON.
    pub fn json(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, json)| json.as_str())
    }

    /// The value of member `name` as people read it ([`text`]).
    pub fn text(&self, name: &str) -> Option<String> {
        self.json(name).map(text)
    }

    /// The value of member `name` when it is a JSON string.
    pub fn string(&self, name: &str) -> Option<String> {
        self.json(name)
            .filter(|json| json.starts_with('"'))
            .map(text)
    }
}

/// A value as people read it: a string as is, anything else as its JSON.
fn text(json: &str) -> String {
    if json.starts_with('"') {
        serde_json::from_str(json).unwrap_or_else(|_| json.to_owned())
    } else {
        json.to_owned()
    }
}

impl Serialize for JsonObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, json) in &self.0 {
            // Parsed back so that every serializer (not only serde_json's) writes the value.
            let value: serde_json::Value =
                serde_json::from_str(json).map_err(serde::ser::Error::custom)?;
            map.serialize_entry(name, &value)?;
        }
        map.end()
    }
}

/// Reads the members' texts as they stand in the JSON (serde_json's deserializer only: the
/// page and the tests read reports with it).
impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = JsonObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<JsonObject, A::Error> {
                let mut members = Vec::new();
                while let Some((name, value)) = access.next_entry::<String, Box<RawValue>>()? {
                    members.push((name, value.get().to_owned()));
                }
                Ok(JsonObject(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_the_object_unchanged() {
        let json = r#"{"aud":["api","web"],"exp":1764062625,"name":"山田 \"太郎\"","nested":{"a":null,"b":1.5}}"#;
        let object: JsonObject = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(
            object.names().collect::<Vec<_>>(),
            ["aud", "exp", "name", "nested"]
        );
        assert_eq!(object.string("name").as_deref(), Some("山田 \"太郎\""));
        assert_eq!(object.string("exp"), None);
        assert_eq!(object.text("exp").as_deref(), Some("1764062625"));
        assert_eq!(object.text("aud").as_deref(), Some(r#"["api","web"]"#));
        assert_eq!(serde_json::to_string(&object).ok().as_deref(), Some(json));
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).unwrap_or_default();
        assert_eq!(JsonObject::from(&map), object);
    }
}
