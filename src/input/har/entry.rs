//! One HAR entry as producers really write it.
//!
//! The HAR 1.2 spec says which fields hold strings, numbers and objects, but exporters
//! disagree: IE11 writes `cookies` as an object, Charles writes `statusText: null`, Chromium
//! writes `_error: null`, Polly.JS adds `_fromType` to headers, some tools write numbers as
//! strings or headers as an object. Every field here therefore accepts any JSON value and
//! keeps it only when it makes sense, so one odd field never costs the whole entry: the
//! entry is skipped only when it is not an object or its request URL is not a string.
//!
//! Strings are borrowed from the input when they hold no escapes, so bodies and headers can
//! be located in the file without copying them (a HAR can be hundreds of megabytes).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

#[derive(Deserialize, Default)]
#[serde(default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Entry<'a> {
    #[serde(borrow)]
    pub pageref: Text<'a>,
    #[serde(rename = "startedDateTime", borrow)]
    pub started: Text<'a>,
    pub time: Num,
    pub timings: Obj<HarTimings>,
    #[serde(borrow)]
    pub request: Obj<HarRequest<'a>>,
    #[serde(borrow)]
    pub response: Obj<HarResponse<'a>>,
    /// Chromium before version 70 or so, and some tools, put the failure on the entry.
    #[serde(rename = "_error", borrow)]
    pub error: Text<'a>,
    #[serde(borrow)]
    pub comment: Text<'a>,
}

/// The phases of an entry in milliseconds (HAR 1.2 `timings`); -1 means "does not apply".
#[derive(Deserialize, Default)]
#[serde(default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct HarTimings {
    pub blocked: Num,
    pub dns: Num,
    pub connect: Num,
    pub ssl: Num,
    pub send: Num,
    pub wait: Num,
    pub receive: Num,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct HarRequest<'a> {
    #[serde(borrow)]
    pub method: Text<'a>,
    /// The one field an entry cannot do without, so the one read strictly: an entry whose
    /// URL is not a string is reported as unreadable rather than read as a URL `5`.
    #[serde(borrow)]
    pub url: Option<Cow<'a, str>>,
    #[serde(rename = "httpVersion", borrow)]
    pub http_version: Text<'a>,
    #[serde(borrow)]
    pub headers: Pairs<'a>,
    #[serde(rename = "postData", borrow)]
    pub post_data: Obj<PostData<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct PostData<'a> {
    #[serde(borrow)]
    pub text: Text<'a>,
    /// Not in HAR 1.2, but written by some tools for binary uploads.
    #[serde(borrow)]
    pub encoding: Text<'a>,
    /// The form fields, which Charles and some proxies write instead of `text`.
    #[serde(borrow)]
    pub params: Pairs<'a>,
    #[serde(rename = "mimeType", borrow)]
    pub mime_type: Text<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct HarResponse<'a> {
    pub status: Num,
    #[serde(rename = "statusText", borrow)]
    pub status_text: Text<'a>,
    #[serde(rename = "httpVersion", borrow)]
    pub http_version: Text<'a>,
    #[serde(borrow)]
    pub headers: Pairs<'a>,
    #[serde(borrow)]
    pub content: Obj<Content<'a>>,
    /// Playwright's words for a failed request.
    #[serde(rename = "_failureText", borrow)]
    pub failure_text: Text<'a>,
    /// Chromium's `net::ERR_…` code, mitmproxy's error message.
    #[serde(rename = "_error", borrow)]
    pub error: Text<'a>,
    #[serde(borrow)]
    pub comment: Text<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Content<'a> {
    #[serde(borrow)]
    pub text: BodyText<'a>,
    #[serde(borrow)]
    pub encoding: Text<'a>,
    pub size: Num,
    /// Polly.JS: the text is a JSON list of hex-encoded chunks of the raw (often still
    /// compressed) bytes, not the body.
    #[serde(rename = "_isBinary")]
    pub is_binary: Flag,
}

/// A string field: a string, or a number or boolean kept as its text; `null`, arrays and
/// objects read as absent.
#[derive(Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Text<'a>(pub Option<Cow<'a, str>>);

impl Text<'_> {
    /// The text, when present and not blank.
    pub(super) fn filled(&self) -> Option<&str> {
        self.0.as_deref().filter(|t| !t.trim().is_empty())
    }
}

/// A response's `content.text`: its text, or, when the reader leaves the bodies of
/// successful responses for later (a page's first screen is shown before they are read),
/// where the string's content sits in the input and whether it holds escapes. Serde (the
/// reader of entries that are not plainly written) always reads the text.
#[derive(Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct BodyText<'a> {
    pub text: Text<'a>,
    pub later: Option<(crate::model::Span, bool)>,
}

impl<'de: 'a, 'a> Deserialize<'de> for BodyText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Text::deserialize(d).map(|text| BodyText { text, later: None })
    }
}

struct TextVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
    type Value = Text<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Owned(v))))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text<'a>, E> {
        Ok(Text(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Text<'a>, E> {
        Ok(Text(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Text<'a>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text<'a>, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(Text(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text<'a>, A::Error> {
        IgnoredAny.visit_map(map)?;
        Ok(Text(None))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor(PhantomData))
    }
}

/// A number field: a number, or a string that holds one (`"200"`, `"5,216"` as IE11 writes
/// sizes); anything else reads as absent.
#[derive(Default, Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Num(pub Option<f64>);

impl Num {
    /// A number written as a string (`"200"`, `"5,216"`), or none.
    pub(super) fn from_text(v: &str) -> Num {
        let digits: String = v.trim().chars().filter(|c| *c != ',').collect();
        Num(digits.parse().ok().filter(|n: &f64| n.is_finite()))
    }
}

struct NumVisitor;

impl<'de> Visitor<'de> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    // Statuses, sizes and times in milliseconds all fit in 32 bits; a larger integer is
    // no value a diagnosis reads.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Ok(Num(i32::try_from(v).ok().map(f64::from)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        Ok(Num(u32::try_from(v).ok().map(f64::from)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
        Ok(Num(Some(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
        Ok(Num::from_text(v))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Num, E> {
        Ok(Num(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Num, E> {
        Ok(Num(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Num, E> {
        Ok(Num(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Num, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Num, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(Num(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Num, A::Error> {
        IgnoredAny.visit_map(map)?;
        Ok(Num(None))
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumVisitor)
    }
}

/// A boolean field: `true` or `"true"`; anything else is false.
#[derive(Default, Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Text::deserialize(d)?;
        Ok(Flag(text.0.as_deref() == Some("true")))
    }
}

/// An object field read as `T`; any other value reads as absent.
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Obj<T>(pub Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

struct ObjVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<T> {
    type Value = Obj<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Obj<T>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_none<E: de::Error>(self) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Obj<T>, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(Obj(None))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjVisitor(PhantomData))
    }
}

/// One `{"name": …, "value": …}` pair (a header, a form field).
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Pair<'a> {
    pub name: Cow<'a, str>,
    pub value: Cow<'a, str>,
}

/// A list of name/value pairs: the HAR array, with elements that are not such objects
/// dropped, or an object of names to values (how some tools write headers). `null` and
/// anything else read as no pairs.
#[derive(Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Pairs<'a>(pub Vec<Pair<'a>>);

/// A pair, or nothing when the element is not an object with a name.
struct MaybePair<'a>(Option<Pair<'a>>);

struct MaybePairVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for MaybePairVisitor<'a> {
    type Value = MaybePair<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MaybePair<'a>, A::Error> {
        let mut name = None;
        let mut value = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "name" => name = map.next_value::<Text<'a>>()?.0,
                "value" => value = map.next_value::<Text<'a>>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(MaybePair(name.filter(|n| !n.is_empty()).map(|name| Pair {
            name,
            value: value.unwrap_or(Cow::Borrowed("")),
        })))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<MaybePair<'a>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_none<E: de::Error>(self) -> Result<MaybePair<'a>, E> {
        Ok(MaybePair(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<MaybePair<'a>, E> {
        Ok(MaybePair(None))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<MaybePair<'a>, E> {
        Ok(MaybePair(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<MaybePair<'a>, E> {
        Ok(MaybePair(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<MaybePair<'a>, E> {
        Ok(MaybePair(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<MaybePair<'a>, E> {
        Ok(MaybePair(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<MaybePair<'a>, E> {
        Ok(MaybePair(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<MaybePair<'a>, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(MaybePair(None))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for MaybePair<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MaybePairVisitor(PhantomData))
    }
}

struct PairsVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for PairsVisitor<'a> {
    type Value = Pairs<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pairs<'a>, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = seq.next_element::<MaybePair<'a>>()? {
            pairs.extend(pair.0);
        }
        Ok(Pairs(pairs))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs<'a>, A::Error> {
        let mut pairs = Vec::new();
        while let Some(name) = map.next_key::<Text<'a>>()? {
            let value = map.next_value::<Text<'a>>()?;
            if let (Some(name), Some(value)) = (name.0, value.0) {
                pairs.push(Pair { name, value });
            }
        }
        Ok(Pairs(pairs))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Pairs<'a>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_none<E: de::Error>(self) -> Result<Pairs<'a>, E> {
        Ok(Pairs::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Pairs<'a>, E> {
        Ok(Pairs::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Pairs<'a>, E> {
        Ok(Pairs::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Pairs<'a>, E> {
        Ok(Pairs::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Pairs<'a>, E> {
        Ok(Pairs::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Pairs<'a>, E> {
        Ok(Pairs::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Pairs<'a>, E> {
        Ok(Pairs::default())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PairsVisitor(PhantomData))
    }
}
