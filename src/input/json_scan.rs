//! A minimal JSON structure scanner: finds where values start and end without building
//! them. The HAR reader uses it to cut `log.entries` into entries (keeping each entry's
//! position in the input, surviving a file cut off mid-entry) before parsing each one.
//! Iterative, so nesting depth costs no stack.

use memchr::memchr2;

pub fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// `at` is on an opening quote; returns the offset just past the closing quote.
pub fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        i += memchr2(b'"', b'\\', bytes.get(i..)?)?;
        if bytes[i] == b'\\' {
            i += 2;
        } else {
            return Some(i + 1);
        }
    }
}

/// `at` is on the first byte of a value; returns the offset just past it, or `None` when the
/// input ends first.
pub fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let len = bytes[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))?;
            // A stray `}` or `]` where a value should start is no value at all.
            (len > 0).then_some(at + len)
        }
    }
}

/// A member of an object: the raw key (without quotes) and where its value starts and ends
/// (`end` is `None` when the input stops inside the value).
pub struct Member<'a> {
    pub key: &'a str,
    pub start: usize,
    pub end: Option<usize>,
}

/// The members of the object whose `{` is at `at`, up to the first one the input cuts.
/// The flag says whether the object was closed.
pub fn members(text: &str, at: usize) -> (Vec<Member<'_>>, bool) {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = at + 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b'}') => return (out, true),
            Some(b',') => {
                i += 1;
                continue;
            }
            Some(b'"') => {}
            _ => return (out, false),
        }
        let Some(key_end) = string_end(bytes, i) else {
            return (out, false);
        };
        let key = &text[i + 1..key_end - 1];
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return (out, false);
        }
        let start = skip_ws(bytes, i + 1);
        let end = value_end(bytes, start);
        out.push(Member { key, start, end });
        match end {
            Some(end) => i = end,
            None => return (out, false),
        }
    }
}

/// The elements of the array whose `[` is at `at`, as `(start, end)`, up to the first one the
/// input cuts. The flag says whether the array was closed.
pub fn elements(text: &str, at: usize) -> (Vec<(usize, usize)>, bool) {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = at + 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b']') => return (out, true),
            Some(b',') => {
                i += 1;
                continue;
            }
            None => return (out, false),
            _ => {}
        }
        match value_end(bytes, i) {
            Some(end) => {
                out.push((i, end));
                i = end;
            }
            None => return (out, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_and_elements() {
        let text = r#"{"a": [1, {"b": "x\"]"}, [2]], "c": "d"}"#;
        let (members, closed) = members(text, 0);
        assert!(closed);
        assert_eq!(members[0].key, "a");
        let (elements, closed) = elements(text, members[0].start);
        assert!(closed);
        assert_eq!(elements.len(), 3);
        assert_eq!(&text[elements[1].0..elements[1].1], r#"{"b": "x\"]"}"#);
    }

    #[test]
    fn stops_at_a_cut_and_survives_deep_nesting() {
        let text = r#"{"entries": [{"a": 1}, {"b": "#;
        let (members, closed) = members(text, 0);
        assert!(!closed);
        let (elements, closed) = elements(text, members[0].start);
        assert!(!closed);
        assert_eq!(elements.len(), 1);
        let (elements, closed) = super::elements("[1, }, 2]", 0);
        assert_eq!((elements.len(), closed), (1, false));
        let deep = "[".repeat(100_000);
        assert_eq!(value_end(deep.as_bytes(), 0), None);
    }
}
