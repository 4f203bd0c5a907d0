//! What httpdx writes for people (titles, explanations, fixes, summaries) as typed segments:
//! plain text, code and emphasis. Readers render the segments (Yew nodes on the page, inline
//! code in Markdown, styles in a terminal) and never parse markup out of a string, so nothing
//! quoted from the input can change how a sentence is shown.
//!
//! Rules write their sentences as strings: an authored `backquoted` part is code, and a value
//! taken from the input goes through [`input`], which fences it with private-use characters so
//! it becomes one code segment verbatim, backticks and all. [`Text::from`] reads that
//! convention once, when the finding is made.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

const INPUT_OPEN: char = '\u{E000}';
const INPUT_CLOSE: char = '\u{E001}';
const EMPHASIS_OPEN: char = '\u{E002}';
const EMPHASIS_CLOSE: char = '\u{E003}';

fn is_marker(c: char) -> bool {
    matches!(c, INPUT_OPEN | INPUT_CLOSE | EMPHASIS_OPEN | EMPHASIS_CLOSE)
}

/// Words quoted from the input, marked so that [`Text::from`] makes them a code segment as
/// they are (a marker character inside, which no real input holds, becomes U+FFFD).
pub fn input(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 6);
    out.push(INPUT_OPEN);
    out.extend(
        value
            .chars()
            .map(|c| if is_marker(c) { '\u{FFFD}' } else { c }),
    );
    out.push(INPUT_CLOSE);
    out
}

/// Words httpdx stresses, marked so that [`Text::from`] makes them an emphasis segment.
pub fn emphasis(words: &str) -> String {
    format!("{EMPHASIS_OPEN}{words}{EMPHASIS_CLOSE}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    Text,
    /// A header, a value, a command, a claim: shown in a monospace font. Anything quoted from
    /// the input is code.
    Code,
    Emphasis,
}

/// One segment of a [`Text`]: its kind and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    pub kind: SegmentKind,
    pub text: &'a str,
}

/// A sentence or a few, as segments. Its JSON form is an array whose items are a string
/// (text), `{"code": "…"}` or `{"em": "…"}`.
///
/// The segments' words are kept one after another in one string, with where each ends
/// beside them, and a text of one plain segment (most of what httpdx writes) keeps no ends
/// at all: a large capture's findings hold hundreds of thousands of texts, and a string
/// per segment made them several allocations each, to make and to free.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    /// Every segment's words, one after another.
    words: String,
    /// Where each segment ends in `words`, and its kind; adjacent segments differ in kind,
    /// and none is empty. Empty when there is no segment, or a single plain one.
    ends: Vec<(usize, SegmentKind)>,
}

impl Text {
    pub fn segments(&self) -> impl Iterator<Item = Segment<'_>> {
        let single = (self.ends.is_empty() && !self.words.is_empty())
            .then_some((self.words.len(), SegmentKind::Text));
        let mut start = 0;
        self.ends
            .iter()
            .copied()
            .chain(single)
            .map(move |(end, kind)| {
                let text = &self.words[start..end];
                start = end;
                Segment { kind, text }
            })
    }

    /// How many segments there are.
    fn segment_count(&self) -> usize {
        match (self.ends.len(), self.words.is_empty()) {
            (0, true) => 0,
            (0, false) => 1,
            (n, _) => n,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words without any marking, as a screen reader or a search would read them.
    pub fn plain(&self) -> String {
        self.words.clone()
    }

    /// Whether the words (without marking) contain `needle`.
    pub fn contains(&self, needle: &str) -> bool {
        self.words.contains(needle)
    }

    /// What follows the first `separator` found in the text (not in code), or the whole text
    /// when there is none.
    #[must_use]
    pub fn after(&self, separator: &str) -> Text {
        let mut segments = self.segments();
        while let Some(segment) = segments.next() {
            if segment.kind == SegmentKind::Code {
                continue;
            }
            if let Some(at) = segment.text.find(separator) {
                let mut rest = Text::default();
                rest.push(segment.kind, &segment.text[at + separator.len()..]);
                for later in segments {
                    rest.push(later.kind, later.text);
                }
                return rest;
            }
        }
        self.clone()
    }

    /// The text back in the rules' convention, to be quoted in a longer sentence: code as
    /// quoted input, emphasis as emphasis. (A backtick in a text segment reads back as the
    /// start of a code span when a closing one follows; httpdx's sentences have none.)
    pub fn marked(&self) -> String {
        self.segments()
            .map(|s| match s.kind {
                SegmentKind::Text => s.text.to_owned(),
                SegmentKind::Code => input(s.text),
                SegmentKind::Emphasis => emphasis(s.text),
            })
            .collect()
    }

    /// Appends a segment, joining it to the last one when they are of one kind.
    pub fn push(&mut self, kind: SegmentKind, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.ends.is_empty() && !self.words.is_empty() {
            // One plain segment so far.
            if kind == SegmentKind::Text {
                self.words.push_str(text);
                return;
            }
            self.ends.push((self.words.len(), SegmentKind::Text));
        }
        self.words.push_str(text);
        let end = self.words.len();
        match self.ends.last_mut() {
            Some(last) if last.1 == kind => last.0 = end,
            // The first segment needs no end when it is plain (and stays the only one).
            None if kind == SegmentKind::Text => {}
            _ => self.ends.push((end, kind)),
        }
    }

    /// The paragraphs: the text split at its line breaks (a line break inside code stays).
    pub fn paragraphs(&self) -> Vec<Text> {
        let mut out = vec![Text::default()];
        for segment in self.segments() {
            if segment.kind == SegmentKind::Code {
                out.last_mut()
                    .unwrap_or_else(|| unreachable!())
                    .push(segment.kind, segment.text);
                continue;
            }
            for (i, line) in segment.text.split('\n').enumerate() {
                if i > 0 {
                    out.push(Text::default());
                }
                if let Some(last) = out.last_mut() {
                    last.push(segment.kind, line);
                }
            }
        }
        out.retain(|t| !t.is_empty());
        out
    }

    /// Reads the rules' convention (see the module's documentation).
    pub fn parse(source: &str) -> Text {
        // The words are the source without its markers: room for them at once.
        let mut text = Text {
            words: String::with_capacity(source.len()),
            ends: Vec::new(),
        };
        let mut kind = SegmentKind::Text;
        let mut rest = source;
        let mut closings_left = true;
        while let Some(at) = next_marker(rest) {
            text.push(kind, &rest[..at]);
            let marker = rest[at..].chars().next().unwrap_or_default();
            rest = &rest[at + marker.len_utf8()..];
            match marker {
                INPUT_OPEN => {
                    let end = rest.find(INPUT_CLOSE).unwrap_or(rest.len());
                    text.push(SegmentKind::Code, &rest[..end]);
                    rest = rest[end..].strip_prefix(INPUT_CLOSE).unwrap_or("");
                }
                '`' if kind == SegmentKind::Code => kind = SegmentKind::Text,
                // An authored code span needs its closing backtick; a lone one is a character.
                // Once none is left, none is searched for again: the parse stays linear.
                '`' if closings_left && has_closing_backtick(rest) => kind = SegmentKind::Code,
                '`' if closings_left => {
                    closings_left = false;
                    text.push(kind, "`");
                }
                '`' => text.push(kind, "`"),
                EMPHASIS_OPEN if kind == SegmentKind::Text => kind = SegmentKind::Emphasis,
                EMPHASIS_CLOSE if kind == SegmentKind::Emphasis => kind = SegmentKind::Text,
                _ => {}
            }
        }
        text.push(kind, rest);
        text
    }
}

/// Where the next backtick, input opening or emphasis marker is in `rest`. Searched by
/// byte: the markers' UTF-8 all start with 0xEE, where a search for a list of characters
/// decodes every character (every finding's texts are parsed: 5 % of a large capture's
/// diagnosis).
fn next_marker(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr2(b'`', 0xEE, &bytes[from..]) {
        let at = from + found;
        // 0xEE only ever starts a character, so `at` is on a character boundary.
        if bytes[at] == b'`'
            || matches!(
                rest[at..].chars().next(),
                Some(INPUT_OPEN | EMPHASIS_OPEN | EMPHASIS_CLOSE)
            )
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Whether a backtick closes the span before the text ends (input fenced by markers does not
/// count: its backticks are its own).
fn has_closing_backtick(rest: &str) -> bool {
    let mut inside_input = false;
    for c in rest.chars() {
        match c {
            INPUT_OPEN => inside_input = true,
            INPUT_CLOSE => inside_input = false,
            '`' if !inside_input => return true,
            _ => {}
        }
    }
    false
}

impl From<&str> for Text {
    fn from(marked: &str) -> Self {
        Text::parse(marked)
    }
}

impl From<String> for Text {
    fn from(marked: String) -> Self {
        Text::parse(&marked)
    }
}

impl From<&String> for Text {
    fn from(marked: &String) -> Self {
        Text::parse(marked)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.segment_count()))?;
        for segment in self.segments() {
            match segment.kind {
                SegmentKind::Text => seq.serialize_element(segment.text)?,
                SegmentKind::Code => seq.serialize_element(&Tagged("code", segment.text))?,
                SegmentKind::Emphasis => seq.serialize_element(&Tagged("em", segment.text))?,
            }
        }
        seq.end()
    }
}

struct Tagged<'a>(&'static str, &'a str);

impl Serialize for Tagged<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of text segments")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        let mut text = Text::default();
        while let Some(SegmentValue(kind, words)) = seq.next_element::<SegmentValue>()? {
            text.push(kind, &words);
        }
        Ok(text)
    }
}

struct SegmentValue(SegmentKind, String);

impl<'de> Deserialize<'de> for SegmentValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SegmentVisitor)
    }
}

struct SegmentVisitor;

impl<'de> Visitor<'de> for SegmentVisitor {
    type Value = SegmentValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a string, {"code": "…"} or {"em": "…"}"#)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<SegmentValue, E> {
        Ok(SegmentValue(SegmentKind::Text, text.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SegmentValue, A::Error> {
        let Some((key, text)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::custom("an empty text segment"));
        };
        let kind = match key.as_str() {
            "code" => SegmentKind::Code,
            "em" => SegmentKind::Emphasis,
            other => return Err(de::Error::unknown_field(other, &["code", "em"])),
        };
        Ok(SegmentValue(kind, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &Text) -> Vec<(SegmentKind, &str)> {
        text.segments().map(|s| (s.kind, s.text)).collect()
    }

    /// The markers are found by byte; every other character whose UTF-8 starts as theirs
    /// does (U+E004 to U+EFFF, in the private use area) stays text, at any
    /// place next to characters of one to four bytes.
    #[test]
    fn only_the_markers_open_anything_among_characters_that_start_as_they_do() {
        for other in ['\u{E004}', '\u{E0FF}', '\u{EFFF}'] {
            for around in ["", "é", "错", "😀", "x"] {
                let source = format!(
                    "{around}{other}a`b{other}`{around}{INPUT_OPEN}c{other}{INPUT_CLOSE}{EMPHASIS_OPEN}{other}d{EMPHASIS_CLOSE}{other}"
                );
                let mut expected = Text::default();
                expected.push(SegmentKind::Text, &format!("{around}{other}a"));
                expected.push(SegmentKind::Code, &format!("b{other}"));
                expected.push(SegmentKind::Text, around);
                expected.push(SegmentKind::Code, &format!("c{other}"));
                expected.push(SegmentKind::Emphasis, &format!("{other}d"));
                expected.push(SegmentKind::Text, &other.to_string());
                assert_eq!(kinds(&Text::parse(&source)), kinds(&expected), "{source:?}");
            }
        }
    }

    #[test]
    fn authored_backticks_and_input_become_code() {
        let title = Text::from(format!(
            "Send `Authorization: Bearer …`, not {}",
            input("Token `abc` **x**")
        ));
        assert_eq!(
            kinds(&title),
            [
                (SegmentKind::Text, "Send "),
                (SegmentKind::Code, "Authorization: Bearer …"),
                (SegmentKind::Text, ", not "),
                (SegmentKind::Code, "Token `abc` **x**"),
            ]
        );
        assert_eq!(
            title.plain(),
            "Send Authorization: Bearer …, not Token `abc` **x**"
        );
    }

    #[test]
    fn input_inside_an_authored_span_joins_it_and_a_lone_backtick_is_a_character() {
        let text = Text::from(format!("the `{} ` scheme, 5` off", input("Bearer")));
        assert_eq!(
            kinds(&text),
            [
                (SegmentKind::Text, "the "),
                (SegmentKind::Code, "Bearer "),
                (SegmentKind::Text, " scheme, 5` off"),
            ]
        );
    }

    #[test]
    fn backticks_past_the_last_pair_are_characters() {
        let text = Text::from("`a` then 5` and 6` and `");
        assert_eq!(
            kinds(&text),
            [
                (SegmentKind::Code, "a"),
                (SegmentKind::Text, " then 5"),
                (SegmentKind::Code, " and 6"),
                (SegmentKind::Text, " and `"),
            ]
        );
        let lone = format!("x{}", "` ".repeat(3));
        assert_eq!(Text::from(lone.as_str()).plain().matches('`').count(), 1);
    }

    #[test]
    fn markers_in_the_input_cannot_open_or_close_anything() {
        let sly = format!("a{INPUT_CLOSE}b{EMPHASIS_OPEN}c");
        let text = Text::from(format!("x {} y", input(&sly)));
        assert_eq!(
            kinds(&text),
            [
                (SegmentKind::Text, "x "),
                (SegmentKind::Code, "a\u{FFFD}b\u{FFFD}c"),
                (SegmentKind::Text, " y"),
            ]
        );
    }

    #[test]
    fn emphasis_and_json_round_trip() {
        let text = Text::from(format!("it is {} `x`", emphasis("not")));
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, r#"["it is ",{"em":"not"}," ",{"code":"x"}]"#);
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), text);
        assert!(serde_json::from_str::<Text>(r#"[{"html":"<b>"}]"#).is_err());
    }

    #[test]
    fn marked_text_reads_back_as_itself() {
        let text = Text::from(format!(
            "the call {} failed, {} `x`",
            input("GET /a `b` → 401"),
            emphasis("twice")
        ));
        assert_eq!(Text::from(text.marked()), text);
    }

    #[test]
    fn after_skips_to_the_first_separator_outside_code() {
        let text = Text::from("curl -v output: a `> METHOD: …` line, and: more");
        assert_eq!(text.after(": ").plain(), "a > METHOD: … line, and: more");
        assert_eq!(
            Text::from("no separator").after(": ").plain(),
            "no separator"
        );
    }

    #[test]
    fn paragraphs_split_at_line_breaks_outside_code() {
        let text = Text::from(format!("one `a`\ntwo {}", input("x\ny")));
        let paragraphs: Vec<String> = text.paragraphs().iter().map(Text::plain).collect();
        assert_eq!(paragraphs, ["one a", "two x\ny"]);
    }

    /// A text's words are kept in one string: the segments come back as pushed, joined
    /// when of one kind, and a text equals another of the same segments however it was
    /// built (pushed, parsed or read back from JSON).
    #[test]
    fn segments_come_back_as_pushed_whichever_way_the_text_was_built() {
        let mut pushed = Text::default();
        pushed.push(SegmentKind::Text, "a");
        pushed.push(SegmentKind::Text, "");
        pushed.push(SegmentKind::Text, "b");
        assert_eq!(kinds(&pushed), [(SegmentKind::Text, "ab")]);
        assert_eq!(pushed, Text::from("ab"));
        assert_eq!(
            serde_json::from_str::<Text>(r#"["a","b"]"#).unwrap(),
            pushed
        );
        assert_eq!(serde_json::to_string(&pushed).unwrap(), r#"["ab"]"#);

        let mut mixed = Text::default();
        mixed.push(SegmentKind::Code, "x");
        mixed.push(SegmentKind::Text, "y");
        mixed.push(SegmentKind::Text, "z");
        mixed.push(SegmentKind::Emphasis, "w");
        assert_eq!(
            kinds(&mixed),
            [
                (SegmentKind::Code, "x"),
                (SegmentKind::Text, "yz"),
                (SegmentKind::Emphasis, "w"),
            ]
        );
        assert_eq!(mixed, Text::from(format!("`x`yz{}", emphasis("w"))));
        assert_eq!(mixed.plain(), "xyzw");

        let empty = Text::default();
        assert!(empty.is_empty() && kinds(&empty).is_empty());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "[]");
    }
}
