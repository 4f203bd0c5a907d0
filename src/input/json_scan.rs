//! A minimal JSON structure scanner: finds where values start and end without building
//! them. The HAR reader uses it to cut `log.entries` into entries (keeping each entry's
//! position in the input, surviving a file cut off mid-entry) before parsing each one.
//! Iterative, so nesting depth costs no stack.

use memchr::memchr2;

pub(crate) fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// `at` is on an opening quote; returns the offset just past the closing quote.
pub(crate) fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
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
pub(crate) fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
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

/// Walks the members of the object whose `{` is at `at`, calling `visit(key, value_start)`
/// for each (the key raw, without quotes). `visit` may read the value itself and return
/// where it ends — `Some(Some(end))`, or `Some(None)` when the input stops inside it — or
/// return `None` to let the walker skip it. Returns the offset just past the closing `}`,
/// or `None` when the input stops first.
pub(crate) fn walk_members<'t>(
    text: &'t str,
    at: usize,
    mut visit: impl FnMut(&'t str, usize) -> Option<Option<usize>>,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b'}') => return Some(i + 1),
            Some(b',') => {
                i += 1;
                continue;
            }
            Some(b'"') => {}
            _ => return None,
        }
        let key_end = string_end(bytes, i)?;
        let key = &text[i + 1..key_end - 1];
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(bytes, i + 1);
        let end = match visit(key, start) {
            Some(end) => end,
            None => value_end(bytes, start),
        };
        i = end?;
    }
}

/// The elements of the array whose `[` is at `at`, as `(start, end)`, up to the first one the
/// input cuts, and the offset just past the closing `]` when the array is complete.
pub(crate) fn elements(text: &str, at: usize) -> (Vec<(usize, usize)>, Option<usize>) {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = at + 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b']') => return (out, Some(i + 1)),
            Some(b',') => {
                i += 1;
                continue;
            }
            None => return (out, None),
            _ => {}
        }
        match value_end(bytes, i) {
            Some(end) => {
                out.push((i, end));
                i = end;
            }
            None => return (out, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_and_elements() {
        let text = r#"{"a": [1, {"b": "x\"]"}, [2]], "c": "d"}"#;
        let mut keys = Vec::new();
        let mut array = None;
        let end = walk_members(text, 0, |key, start| {
            keys.push(key);
            if key == "a" {
                let (found, end) = elements(text, start);
                array = Some(found);
                return Some(end);
            }
            None
        });
        assert_eq!(end, Some(text.len()));
        assert_eq!(keys, ["a", "c"]);
        let array = array.unwrap();
        assert_eq!(array.len(), 3);
        assert_eq!(&text[array[1].0..array[1].1], r#"{"b": "x\"]"}"#);
    }

    #[test]
    fn stops_at_a_cut_and_survives_deep_nesting() {
        let text = r#"{"entries": [{"a": 1}, {"b": "#;
        let mut cut = None;
        let end = walk_members(text, 0, |_, start| {
            let (found, end) = elements(text, start);
            cut = Some((found.len(), end));
            Some(end)
        });
        assert_eq!(end, None);
        assert_eq!(cut, Some((1, None)));
        let (found, end) = elements("[1, }, 2]", 0);
        assert_eq!((found.len(), end), (1, None));
        let deep = "[".repeat(100_000);
        assert_eq!(value_end(deep.as_bytes(), 0), None);
    }
}
