//! A minimal JSON structure scanner: finds where values start and end without building
//! them. The HAR reader walks a document's members with it, up to `log.entries` and past
//! them, and finds where an entry ends when it must be left to serde; sharing a selection of
//! entries cuts `log.entries` into entries with it. Iterative, so nesting depth costs no
//! stack.

pub(crate) fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    loop {
        match bytes.get(at) {
            Some(b' ' | b'\t' | b'\r') => at += 1,
            Some(b'\n') => {
                at += 1;
                // A pretty-printed HAR's indentation (a dozen spaces and more, deep in an
                // entry's headers), eight bytes at a time.
                while chunk_at(bytes, at) == Some(ONES * u64::from(b' ')) {
                    at += 8;
                }
            }
            _ => return at,
        }
    }
}

// The scans below read the input eight bytes at a time as one `u64` (SWAR), which works the
// same natively and in WebAssembly. A HAR's bodies are JSON written inside JSON strings, so
// a backslash every few bytes is usual: a search that stops at every backslash (memchr)
// pays its start-up cost per escape, while a chunk is settled with a few operations.

pub(crate) const ONES: u64 = u64::from_le_bytes([1; 8]);
pub(crate) const HIGH: u64 = ONES << 7;
const LOW7: u64 = !HIGH;

/// The eight bytes from `at`, the first in the lowest bits, when the input has that many.
pub(crate) fn chunk_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each byte of `chunk` that equals `byte`, and no other bit (exact: no
/// borrow runs from one byte into the next).
#[inline]
pub(crate) fn bytes_equal(chunk: u64, byte: u8) -> u64 {
    let x = chunk ^ (ONES * u64::from(byte));
    !(((x & LOW7) + LOW7) | x) & HIGH
}

/// The high bits of a chunk's bytes gathered into one byte: bit k for byte k.
#[inline]
fn gather(high_bits: u64) -> u8 {
    // Each set bit lands in the top byte at its own place; no two sums overlap.
    ((high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// Which bytes of a chunk an escape covers, given the chunk's backslashes (bit k for byte
/// k) and `carry`, whether the chunk's first byte follows an unpaired backslash; `carry` is
/// updated for the next chunk. A run of backslashes escapes the byte after it when the run
/// is odd: adding each run's odd start to the run makes the carry flip exactly those.
#[inline]
fn escaped(backslashes: u8, carry: &mut bool) -> u8 {
    const EVEN: u8 = 0x55;
    let prev = u8::from(*carry);
    let backslashes = backslashes & !prev;
    let follows = (backslashes << 1) | prev;
    let odd_starts = backslashes & !EVEN & !follows;
    let (sum, overflow) = odd_starts.overflowing_add(backslashes);
    *carry = overflow;
    (EVEN ^ (sum << 1)) & follows
}

/// `at` is on an opening quote; returns the offset just past the closing quote.
pub(crate) fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    let mut carry = false;
    while let Some(chunk) = chunk_at(bytes, i) {
        let quotes = bytes_equal(chunk, b'"');
        let backslashes = bytes_equal(chunk, b'\\');
        if quotes | backslashes != 0 {
            let closing = gather(quotes) & !escaped(gather(backslashes), &mut carry);
            if closing != 0 {
                return Some(i + closing.trailing_zeros() as usize + 1);
            }
        } else {
            carry = false;
        }
        i += 8;
    }
    while i < bytes.len() {
        let byte = bytes[i];
        if carry {
            carry = false;
        } else if byte == b'\\' {
            carry = true;
        } else if byte == b'"' {
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// The bytes the structure scan stops at outside strings: quotes and brackets.
static STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'[' as usize] = true;
    table[b']' as usize] = true;
    table
};

/// The offset of the first `"`, `{`, `}`, `[` or `]` at or after `at`.
fn next_structural(bytes: &[u8], mut at: usize) -> Option<usize> {
    // A table look-up per byte, eight to a step. Measured against the chunk masks used for
    // strings, it is faster here: outside strings the next stop is usually a few bytes off.
    while let Some(chunk) = chunk_at(bytes, at) {
        let chunk = chunk.to_le_bytes();
        for (k, byte) in chunk.iter().enumerate() {
            if STRUCTURAL[usize::from(*byte)] {
                return Some(at + k);
            }
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    Some(at + rest.iter().position(|b| STRUCTURAL[usize::from(*b)])?)
}

/// `at` is on the first byte of a value; returns the offset just past it, or `None` when the
/// input ends first.
pub(crate) fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                i = next_structural(bytes, i)?;
                match bytes[i] {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    _ => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                }
                i += 1;
            }
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

/// The members of an object, found one at a time: a walk that can stop at a member (the
/// HAR reader stops at `log.entries` and reads them in steps) and go on past its value later.
pub(crate) struct Members {
    at: usize,
}

/// What [`Members::next`] found.
pub(crate) enum Member<'t> {
    /// A member: its key raw, without quotes, and where its value starts.
    Key(&'t str, usize),
    /// The object's end: the offset just past its `}`.
    Closed(usize),
    /// The input stops (or stops being JSON) first.
    Stopped,
}

impl Members {
    /// The members of the object whose `{` is at `open`.
    pub(crate) fn new(open: usize) -> Self {
        Members { at: open + 1 }
    }

    /// The next member. The walk goes on from where its value ends, once told ([`Self::past`]).
    pub(crate) fn next<'t>(&mut self, text: &'t str) -> Member<'t> {
        let bytes = text.as_bytes();
        let mut i = self.at;
        loop {
            i = skip_ws(bytes, i);
            match bytes.get(i) {
                Some(b'}') => return Member::Closed(i + 1),
                Some(b',') => {
                    i += 1;
                    continue;
                }
                Some(b'"') => {}
                _ => return Member::Stopped,
            }
            let Some(key_end) = string_end(bytes, i) else {
                return Member::Stopped;
            };
            let key = &text[i + 1..key_end - 1];
            i = skip_ws(bytes, key_end);
            if bytes.get(i) != Some(&b':') {
                return Member::Stopped;
            }
            let start = skip_ws(bytes, i + 1);
            self.at = start;
            return Member::Key(key, start);
        }
    }

    /// Goes on after the value of the member last found, which ends at `end`.
    pub(crate) fn past(&mut self, end: usize) {
        self.at = end;
    }

    /// Skips the members left: the offset just past the object's `}`, or `None` when the
    /// input stops first.
    pub(crate) fn skip_rest(mut self, text: &str) -> Option<usize> {
        walk(&mut self, text, |_, _| None)
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
    visit: impl FnMut(&'t str, usize) -> Option<Option<usize>>,
) -> Option<usize> {
    walk(&mut Members::new(at), text, visit)
}

fn walk<'t>(
    members: &mut Members,
    text: &'t str,
    mut visit: impl FnMut(&'t str, usize) -> Option<Option<usize>>,
) -> Option<usize> {
    loop {
        match members.next(text) {
            Member::Key(key, start) => {
                let end = match visit(key, start) {
                    Some(end) => end,
                    None => value_end(text.as_bytes(), start),
                };
                members.past(end?);
            }
            Member::Closed(end) => return Some(end),
            Member::Stopped => return None,
        }
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

    /// The scans as they were written first, a byte at a time: what the chunked scans must
    /// agree with.
    fn string_end_bytewise(bytes: &[u8], at: usize) -> Option<usize> {
        let mut i = at + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => return Some(i + 1),
                _ => i += 1,
            }
        }
        None
    }

    fn value_end_bytewise(bytes: &[u8], at: usize) -> Option<usize> {
        if !matches!(bytes.get(at)?, b'{' | b'[') {
            return value_end(bytes, at);
        }
        let mut depth = 0usize;
        let mut i = at;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    i = string_end_bytewise(bytes, i)?;
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

    #[test]
    fn gathers_one_bit_per_byte() {
        for k in 0..8 {
            assert_eq!(gather(0x80 << (8 * k)), 1 << k);
        }
        assert_eq!(gather(HIGH), 0xff);
        // Only the byte that is equal, not the one after it (`"#` is where a borrowing
        // test would also flag the `#`).
        let chunk = u64::from_le_bytes(*b"a\"#\"\\xyz");
        assert_eq!(gather(bytes_equal(chunk, b'"')), 0b1010);
        assert_eq!(gather(bytes_equal(chunk, b'\\')), 0b1_0000);
    }

    #[test]
    fn escapes_agree_with_reading_a_byte_at_a_time() {
        for backslashes in 0..=255u8 {
            for carry_in in [false, true] {
                let (mut expected, mut pending) = (0u8, carry_in);
                for k in 0..8 {
                    if pending {
                        expected |= 1 << k;
                        pending = false;
                    } else if backslashes & (1 << k) != 0 {
                        pending = true;
                    }
                }
                let mut carry = carry_in;
                assert_eq!(escaped(backslashes, &mut carry), expected);
                assert_eq!(carry, pending, "{backslashes:08b} after {carry_in}");
            }
        }
    }

    /// Every opened string of up to `most` of `pieces`, in every order.
    fn strings_of(pieces: &[&[u8]], most: u32) -> impl Iterator<Item = Vec<u8>> {
        (0..=most).flat_map(move |len| {
            (0..pieces.len().pow(len)).map(move |n| {
                let mut text = vec![b'"'];
                let mut m = n;
                for _ in 0..len {
                    text.extend_from_slice(pieces[m % pieces.len()]);
                    m /= pieces.len();
                }
                text
            })
        })
    }

    #[test]
    fn whitespace_skipped_as_reading_a_byte_at_a_time() {
        // Runs of spaces across chunks after newlines, the other whitespace, a vertical tab
        // (not JSON whitespace) and a value, anywhere.
        let pieces: [&[u8]; 6] = [b"\n", b"    ", b" ", b"\t\r", b"\x0b", b"a"];
        for text in strings_of(&pieces, 7) {
            for at in 0..text.len() {
                let expected = at
                    + text[at..]
                        .iter()
                        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                        .count();
                assert_eq!(skip_ws(&text, at), expected, "{text:?} from {at}");
            }
        }
    }

    #[test]
    fn string_ends_agree_with_reading_a_byte_at_a_time() {
        // Every string of up to nine pieces, so escapes and quotes fall on every place of
        // a chunk and across chunks, with non-ASCII text between them; cut or not.
        for text in strings_of(&[b"a", b"\"", b"\\", "é".as_bytes()], 9) {
            assert_eq!(
                string_end(&text, 0),
                string_end_bytewise(&text, 0),
                "{}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    #[test]
    fn value_ends_agree_with_reading_a_byte_at_a_time() {
        // Pseudo-random runs of structure, strings, escapes, spaces and non-ASCII text.
        let pieces: [&[u8]; 10] = [
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b"\\",
            b"        ",
            b"a1,:",
            "ü€".as_bytes(),
            b"\"x\"",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = vec![if seed & 1 == 0 { b'{' } else { b'[' }];
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for _ in 0..seed % 40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.extend_from_slice(pieces[(seed % 10) as usize]);
            }
            assert_eq!(
                value_end(&text, 0),
                value_end_bytewise(&text, 0),
                "{}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    #[test]
    fn long_values_with_escapes_and_whitespace_end_in_place() {
        let body = r#"{"items": [{"id": 1, "name": "a \"quoted\" \\ word", "t": "ü€"}]}"#;
        let entry = format!(
            "{{\n      \"text\": {},\n      \"size\": 5\n    }}, next",
            serde_json::to_string(body).unwrap()
        );
        let end = value_end(entry.as_bytes(), 0).unwrap();
        assert_eq!(&entry[end..], ", next");
        // Cut anywhere inside, it has no end.
        for cut in 1..end {
            assert_eq!(value_end(&entry.as_bytes()[..cut], 0), None, "cut at {cut}");
        }
        let deep = format!("{}{}", "[{\"a\":".repeat(50_000), "1}]".repeat(50_000));
        assert_eq!(value_end(deep.as_bytes(), 0), Some(deep.len()));
    }
}
