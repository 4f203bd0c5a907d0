//! An entry read directly, without serde, when it is written plainly — which is nearly
//! always. serde_json decodes a string escape by escape and pays for every token through
//! its visitors; a HAR's bodies are JSON written inside JSON strings (a backslash every few
//! bytes), so that was most of the cost of reading a large HAR.
//!
//! This reader builds exactly the [`Entry`] serde would build, but it only says so when it
//! is sure: at anything serde might read differently or reject (a duplicate field, a
//! number where text is expected, a key with an escape, a lone surrogate, malformed JSON
//! anywhere in the entry, nesting deeper than [`MAX_DEPTH`]) it gives up and the entry is
//! read by serde, which then also writes any error message. Its recursion is bounded by
//! [`MAX_DEPTH`], not by the input.

use std::borrow::Cow;

use super::entry::{
    BodyText, Content, Entry, Flag, HarRequest, HarResponse, HarTimings, Num, Obj, Pair, Pairs,
    PostData, Text,
};
use crate::input::json_scan::{HIGH, ONES, chunk_at, skip_ws};
use crate::model::Span;

/// Deeper than this, the entry is left to serde (whose own limit is 128).
const MAX_DEPTH: usize = 64;

/// The entry `text` (one JSON value, nothing around it) holds, or `None` when it is not
/// plainly written and serde must read it.
#[cfg(test)]
fn entry(text: &str) -> Option<Entry<'_>> {
    let (entry, end) = entry_at(text, 0, false)?;
    (skip_ws(text.as_bytes(), end) == text.len()).then_some(entry)
}

/// The entry whose value starts at `at` in `text` (the whole input), and the offset just
/// past it; `None` when it is not plainly written, or cut off, and serde must read it.
/// With `bodies_later`, a response's `content.text` is checked and stepped over, not
/// decoded ([`BodyText::later`]; [`string_at`] reads it when it is needed).
pub(super) fn entry_at(text: &str, at: usize, bodies_later: bool) -> Option<(Entry<'_>, usize)> {
    let mut cursor = Cursor {
        text,
        at,
        depth: 0,
        bodies_later,
    };
    let entry = cursor.entry()?;
    Some((entry, cursor.at))
}

/// Reads an object into the default of a struct: each listed key into its field, by its
/// reader; any other key is checked and skipped, as serde ignores it. A key written twice
/// leaves the entry to serde, which rejects it.
macro_rules! members {
    ($cursor:expr, $kind:ty { $($key:literal => $field:ident: $read:expr),* $(,)? }) => {{
        let mut out = <$kind>::default();
        let mut seen = Seen::default();
        $cursor.object(|cursor, key| {
            let mut field = 0;
            $(
                if key == $key {
                    seen.first(field)?;
                    out.$field = ($read)(cursor)?;
                    return Some(());
                }
                field += 1;
            )*
            let _ = field;
            cursor.skip()
        })?;
        Some(out)
    }};
}

/// `None` everywhere below means "not plain: let serde read it".
struct Cursor<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    bodies_later: bool,
}

/// Which fields of a struct were seen: serde rejects a field written twice.
#[derive(Default)]
struct Seen(u32);

impl Seen {
    fn first(&mut self, field: u32) -> Option<()> {
        let bit = 1 << field;
        if self.0 & bit != 0 {
            return None;
        }
        self.0 |= bit;
        Some(())
    }
}

impl<'a> Cursor<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace, which the cursor is then on.
    fn peek(&mut self) -> Option<u8> {
        self.at = skip_ws(self.bytes(), self.at);
        self.bytes().get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Reads an object's members, handing each key (decoded) to `member`, which must read
    /// the value.
    fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        if self.open(b'{', b'}')? {
            return Some(());
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.eat(b':')?;
            member(self, key)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => break,
                _ => return None,
            }
        }
        self.close();
        Some(())
    }

    /// Reads an array's elements with `element`, which must read each.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.open(b'[', b']')? {
            return Some(());
        }
        loop {
            element(self)?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.close();
        Some(())
    }

    /// Steps into an object or array opened by `open`: whether it is empty (and then
    /// already stepped out of, past `close`).
    fn open(&mut self, open: u8, close: u8) -> Option<bool> {
        self.eat(open)?;
        self.enter()?;
        let empty = self.peek()? == close;
        if empty {
            self.close();
        }
        Some(empty)
    }

    /// Steps out of an object or array, past its closing bracket (the cursor is on it).
    fn close(&mut self) {
        self.at += 1;
        self.depth -= 1;
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A string (the cursor on its quote), borrowed from the input when it has no escapes.
    /// One pass: up to the closing quote or the first escape, and from an escape on the
    /// string is decoded as it is scanned (a HAR's bodies are JSON inside JSON strings, with
    /// an escape every few bytes: finding the end first and decoding after read them twice).
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let bytes = self.bytes();
        let content = self.at + 1;
        let stop = next_stop(bytes, content)?;
        if bytes[stop] == b'"' {
            self.at = stop + 1;
            return Some(Cow::Borrowed(&self.text[content..stop]));
        }
        let (decoded, end) = decode_from(bytes, content, stop)?;
        self.at = end;
        Some(Cow::Owned(decoded))
    }

    /// Checks any value and steps past it, as serde does for a value it ignores.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(|cursor, _| cursor.skip()),
            b'[' => self.array(Self::skip),
            b'"' => self.string().map(drop),
            _ => self.scalar().map(drop),
        }
    }

    /// `true`, `false`, `null` or a number: its text, checked against JSON's grammar.
    fn scalar(&mut self) -> Option<&'a str> {
        let bytes = self.bytes();
        let start = self.at;
        let len = bytes[start..]
            .iter()
            .position(|b| !matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'+' | b'.' | b'E'))
            .unwrap_or(bytes.len() - start);
        let scalar = &self.text[start..start + len];
        if !matches!(scalar, "true" | "false" | "null") && !is_json_number(scalar) {
            return None;
        }
        self.at = start + len;
        Some(scalar)
    }

    /// A response's `content.text`: a string stepped over when bodies are read later,
    /// anything else (or always, otherwise) read as [`Text`].
    fn body_text(&mut self) -> Option<BodyText<'a>> {
        if self.bodies_later && self.peek()? == b'"' {
            let content = self.at + 1;
            let (end, escaped) = skim_string(self.bytes(), content)?;
            self.at = end;
            return Some(BodyText {
                text: Text(None),
                later: Some((Span::new(content, end - 1), escaped)),
            });
        }
        self.text().map(|text| BodyText { text, later: None })
    }

    /// A text field, as [`Text`] reads it.
    fn text(&mut self) -> Option<Text<'a>> {
        match self.peek()? {
            b'"' => Some(Text(Some(self.string()?))),
            b'{' | b'[' => self.skip().map(|()| Text(None)),
            _ => match self.scalar()? {
                "null" => Some(Text(None)),
                "true" => Some(Text(Some(Cow::Borrowed("true")))),
                "false" => Some(Text(Some(Cow::Borrowed("false")))),
                // How a number reads as text is serde's to say.
                number => serde_json::from_str(number).ok(),
            },
        }
    }

    /// A number field, as [`Num`] reads it.
    fn num(&mut self) -> Option<Num> {
        match self.peek()? {
            b'"' => Some(Num::from_text(&self.string()?)),
            b'{' | b'[' => self.skip().map(|()| Num(None)),
            _ => match self.scalar()? {
                "null" | "true" | "false" => Some(Num(None)),
                number => serde_json::from_str(number).ok(),
            },
        }
    }

    /// An object field, as [`Obj`] reads it.
    fn obj<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Obj<T>> {
        if self.peek()? == b'{' {
            return read(self).map(|t| Obj(Some(t)));
        }
        self.skip().map(|()| Obj(None))
    }

    /// Name/value pairs, as [`Pairs`] reads them.
    fn pairs(&mut self) -> Option<Pairs<'a>> {
        // Room for a browser's usual headers without growing (it is dropped once the
        // headers are copied into the exchange).
        let mut pairs = Vec::with_capacity(16);
        match self.peek()? {
            b'[' => self.array(|cursor| {
                if cursor.peek()? != b'{' {
                    return cursor.skip();
                }
                let (mut name, mut value) = (None, None);
                cursor.object(|cursor, key| {
                    match key.as_ref() {
                        "name" => name = cursor.text()?.0,
                        "value" => value = cursor.text()?.0,
                        _ => cursor.skip()?,
                    }
                    Some(())
                })?;
                if let Some(name) = name.filter(|n| !n.is_empty()) {
                    let value = value.unwrap_or(Cow::Borrowed(""));
                    pairs.push(Pair { name, value });
                }
                Some(())
            })?,
            b'{' => self.object(|cursor, name| {
                if let Some(value) = cursor.text()?.0 {
                    pairs.push(Pair { name, value });
                }
                Some(())
            })?,
            _ => self.skip()?,
        }
        Some(Pairs(pairs))
    }

    fn entry(&mut self) -> Option<Entry<'a>> {
        members!(self, Entry {
            "pageref" => pageref: Self::text,
            "startedDateTime" => started: Self::text,
            "time" => time: Self::num,
            "timings" => timings: |c: &mut Self| c.obj(Self::timings),
            "request" => request: |c: &mut Self| c.obj(Self::request),
            "response" => response: |c: &mut Self| c.obj(Self::response),
            "_error" => error: Self::text,
            "comment" => comment: Self::text,
        })
    }

    fn timings(&mut self) -> Option<HarTimings> {
        members!(self, HarTimings {
            "blocked" => blocked: Self::num,
            "dns" => dns: Self::num,
            "connect" => connect: Self::num,
            "ssl" => ssl: Self::num,
            "send" => send: Self::num,
            "wait" => wait: Self::num,
            "receive" => receive: Self::num,
        })
    }

    fn request(&mut self) -> Option<HarRequest<'a>> {
        members!(self, HarRequest {
            "method" => method: Self::text,
            "url" => url: Self::url,
            "httpVersion" => http_version: Self::text,
            "headers" => headers: Self::pairs,
            "postData" => post_data: |c: &mut Self| c.obj(Self::post_data),
        })
    }

    /// A request's URL, read strictly, as serde reads an `Option<Cow<str>>`.
    #[expect(
        clippy::option_option,
        reason = "the outer `None` leaves the entry to serde, the inner one is a null URL"
    )]
    fn url(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'"' => Some(Some(self.string()?)),
            _ => (self.scalar()? == "null").then_some(None),
        }
    }

    fn post_data(&mut self) -> Option<PostData<'a>> {
        members!(self, PostData {
            "text" => text: Self::text,
            "encoding" => encoding: Self::text,
            "params" => params: Self::pairs,
            "mimeType" => mime_type: Self::text,
        })
    }

    fn response(&mut self) -> Option<HarResponse<'a>> {
        members!(self, HarResponse {
            "status" => status: Self::num,
            "statusText" => status_text: Self::text,
            "httpVersion" => http_version: Self::text,
            "headers" => headers: Self::pairs,
            "content" => content: |c: &mut Self| c.obj(Self::content),
            "_failureText" => failure_text: Self::text,
            "_error" => error: Self::text,
            "comment" => comment: Self::text,
        })
    }

    fn content(&mut self) -> Option<Content<'a>> {
        members!(self, Content {
            "text" => text: Self::body_text,
            "encoding" => encoding: Self::text,
            "size" => size: Self::num,
            "_isBinary" => is_binary: |c: &mut Self| {
                c.text().map(|t| Flag(t.0.as_deref() == Some("true")))
            },
        })
    }
}

/// The string whose content starts at `content` in `text` (just past its opening quote),
/// read as the reader reads strings: borrowed when it holds no escapes. `None` when it is
/// not a valid JSON string.
pub(super) fn string_at(text: &str, content: usize) -> Option<Cow<'_, str>> {
    let mut cursor = Cursor {
        text,
        at: content.checked_sub(1)?,
        depth: 0,
        bodies_later: false,
    };
    cursor.string()
}

/// Steps over the string whose content starts at `content`, checking it as
/// [`decode_from`] does without writing anything: just past its closing quote, and whether
/// it holds escapes. `None` where decoding would fail (an escape JSON does not allow, a
/// surrogate without its pair, a control character, or the end of the input first).
///
/// A HAR's bodies are JSON inside JSON strings, a `\"` every few bytes, where a search
/// for the next quote or backslash stops again and again. Here 64 bytes are looked at at
/// once: their quotes, backslashes and control characters as bit masks, the backslashes
/// that escape something found as simdjson finds them (after a run of odd length), and
/// the first quote not escaped ends the string. Only the escapes themselves are looked at
/// one by one, to check their letters.
fn skim_string(bytes: &[u8], content: usize) -> Option<(usize, bool)> {
    let mut at = content;
    // Whether the byte at `at` is escaped (the block before ended in an odd run).
    let mut carried = 0u64;
    // Escapes before this are part of a surrogate pair checked already.
    let mut checked_until = 0;
    let mut escaped_any = false;
    loop {
        let block = Block::at(bytes, at);
        let escaped = escaped_positions(block.backslashes, &mut carried);
        let ends = block.quotes & !escaped;
        // The bits before the closing quote (all of them when it is not in this block).
        let before_end = if ends == 0 {
            u64::MAX
        } else {
            (ends & ends.wrapping_neg()) - 1
        };
        if block.controls & before_end != 0 {
            return None;
        }
        // (A backslash escaped by one before it is not among `escaped`: it needs no check.)
        escaped_any |= block.backslashes & before_end != 0;
        // The letters to check one by one: not the escaped quotes, which are most escapes in
        // a HAR's bodies (JSON inside JSON) and need no check either.
        let mut letters = escaped & before_end & !block.quotes;
        while letters != 0 {
            let letter_at = at + letters.trailing_zeros() as usize;
            letters &= letters - 1;
            if letter_at < checked_until {
                continue;
            }
            if simple_escape(bytes[letter_at]).is_none() {
                if bytes[letter_at] != b'u' {
                    return None;
                }
                let (_, len) = unicode_escape(bytes.get(letter_at - 1..)?)?;
                checked_until = letter_at - 1 + len;
            }
        }
        if ends != 0 {
            return Some((at + ends.trailing_zeros() as usize + 1, escaped_any));
        }
        if at + 64 >= bytes.len() {
            return None;
        }
        at += 64;
    }
}

/// The bits of the bytes that follow a run of backslashes of odd length (the letters of
/// escapes, but for `\\`'s second backslash), given the bits of the backslashes of 64 bytes; `carried` says whether the first byte is escaped by the block before, and is set
/// for the block after (simdjson's odd backslash sequences).
fn escaped_positions(backslashes: u64, carried: &mut u64) -> u64 {
    const EVEN_BITS: u64 = 0x5555_5555_5555_5555;
    let starts = backslashes & !(backslashes << 1);
    let even_start_mask = EVEN_BITS ^ *carried;
    let even_starts = starts & even_start_mask;
    let odd_starts = starts & !even_start_mask;
    let even_carries = backslashes.wrapping_add(even_starts);
    let (mut odd_carries, overflow) = backslashes.overflowing_add(odd_starts);
    odd_carries |= *carried;
    *carried = u64::from(overflow);
    let even_carry_ends = even_carries & !backslashes;
    let odd_carry_ends = odd_carries & !backslashes;
    (even_carry_ends & !EVEN_BITS) | (odd_carry_ends & EVEN_BITS)
}

/// 64 bytes of the input as bit masks (bit `k` for the byte at `k`): the quotes, the
/// backslashes and the control characters. Past the input's end, every byte counts as a
/// control character (no string ends there).
struct Block {
    quotes: u64,
    backslashes: u64,
    controls: u64,
}

impl Block {
    fn at(bytes: &[u8], at: usize) -> Block {
        let mut padded = [0u8; 64];
        let chunk: &[u8; 64] = if let Some(chunk) = bytes
            .get(at..at + 64)
            .and_then(|chunk| <&[u8; 64]>::try_from(chunk).ok())
        {
            chunk
        } else {
            let rest = bytes.get(at..).unwrap_or_default();
            padded[..rest.len()].copy_from_slice(rest);
            &padded
        };
        let mut block = Block {
            quotes: 0,
            backslashes: 0,
            controls: 0,
        };
        for (k, sixteen) in chunk.chunks_exact(16).enumerate() {
            let (quotes, backslashes, controls) = masks16(sixteen.try_into().unwrap_or(&[0; 16]));
            block.quotes |= u64::from(quotes) << (16 * k);
            block.backslashes |= u64::from(backslashes) << (16 * k);
            block.controls |= u64::from(controls) << (16 * k);
        }
        block
    }
}

/// The quotes, backslashes and control characters among 16 bytes, as bit masks.
#[cfg(target_arch = "wasm32")]
fn masks16(bytes: &[u8; 16]) -> (u16, u16, u16) {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, u64x2};
    let (low, high) = bytes.split_at(8);
    let v = u64x2(
        u64::from_le_bytes(low.try_into().unwrap_or_default()),
        u64::from_le_bytes(high.try_into().unwrap_or_default()),
    );
    (
        u8x16_bitmask(u8x16_eq(v, u8x16_splat(b'"'))),
        u8x16_bitmask(u8x16_eq(v, u8x16_splat(b'\\'))),
        u8x16_bitmask(u8x16_lt(v, u8x16_splat(0x20))),
    )
}

/// The quotes, backslashes and control characters among 16 bytes, as bit masks, a byte
/// at a time. (Natively the bodies are read at once, not stepped over: only the tests
/// step over them here, where `std::arch`'s SSE2 calls would need `unsafe`.)
#[cfg(not(target_arch = "wasm32"))]
fn masks16(bytes: &[u8; 16]) -> (u16, u16, u16) {
    masks16_one_by_one(bytes)
}

/// [`masks16`], a byte at a time.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn masks16_one_by_one(bytes: &[u8; 16]) -> (u16, u16, u16) {
    let mask = |test: fn(u8) -> bool| {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| test(**b))
            .fold(0u16, |m, (k, _)| m | 1 << k)
    };
    (
        mask(|b| b == b'"'),
        mask(|b| b == b'\\'),
        mask(|b| b < 0x20),
    )
}

/// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > from
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// The first byte from `at` on that ends a string's plain run: its closing quote, or a
/// backslash. `None` at a control character (JSON forbids them raw in a string, and serde
/// rejects them) or when the input ends first.
fn next_stop(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(chunk) = chunk_at(bytes, at) {
        let stops = stops(chunk);
        if stops != 0 {
            return settle(bytes, at + stops.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    settle(
        bytes,
        at + rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\\') || *b < 0x20)?,
    )
}

/// The high bit of each byte of `chunk` that is a quote, a backslash or a control
/// character. Only the lowest is used: the control test's borrow can mark bytes above a
/// true one, never the lowest.
#[inline]
fn stops(chunk: u64) -> u64 {
    // Each test marks its lowest true byte exactly (a borrow runs only upwards), so the
    // lowest of the three does too: cheaper than `bytes_equal`'s exact masks.
    let zero_at = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let controls = chunk.wrapping_sub(ONES * 0x20) & !chunk & HIGH;
    zero_at(chunk ^ (ONES * u64::from(b'"')))
        | zero_at(chunk ^ (ONES * u64::from(b'\\')))
        | controls
}

/// `at` holds a stop: itself when it is a quote or a backslash, `None` at a control.
fn settle(bytes: &[u8], at: usize) -> Option<usize> {
    (bytes[at] >= 0x20).then_some(at)
}

/// Decodes the string whose text starts at `content`, with its first escape at `at`: the
/// text, and the offset just past the closing quote. `None` at an escape JSON does not
/// allow or a surrogate without its pair (serde rejects both), a control character, or
/// when the input ends first.
fn decode_from(bytes: &[u8], content: usize, at: usize) -> Option<(String, usize)> {
    /// A scratch buffer this large or larger is dropped after use, not kept.
    const LARGEST_KEPT: usize = 1 << 20;
    thread_local! {
        /// Where strings are decoded, kept from one string to the next. Grown from a
        /// guess, a string's own buffer was reallocated and copied again and again (five
        /// times for a 1.5 KB body with an escape every few bytes): 66 of the 231 ms the
        /// page's worker took to read a 58 MB HAR. Decoded here, each string is allocated
        /// once, at its size.
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with(|scratch| {
        let mut out = scratch.borrow_mut();
        out.clear();
        let decoded = decode_into(bytes, content, at, &mut out)
            .and_then(|end| Some((String::from_utf8(out.as_slice().to_vec()).ok()?, end)));
        if out.capacity() >= LARGEST_KEPT {
            *out = Vec::new();
        }
        decoded
    })
}

/// [`decode_from`] into `out`; the offset just past the closing quote.
///
/// A HAR's bodies are JSON inside JSON strings, an escape every few bytes: the text is
/// decoded into a small buffer on the stack, eight bytes at a time, and moved to `out` when
/// it fills up: pushed to the `Vec` itself, its length and capacity were checked and stored
/// at every escape (a tenth more instructions).
fn decode_into(bytes: &[u8], content: usize, mut at: usize, out: &mut Vec<u8>) -> Option<usize> {
    out.extend_from_slice(&bytes[content..at]);
    let mut buffer = [0u8; DECODING_BUFFER];
    let mut len = 0;
    loop {
        // `at` is on a backslash.
        make_room(out, &buffer, &mut len);
        let letter = *bytes.get(at + 1)?;
        if let Some(byte) = simple_escape(letter) {
            buffer[len] = byte;
            len += 1;
            at += 2;
        } else if letter == b'u' {
            let (ch, escape_len) = unicode_escape(bytes.get(at..)?)?;
            len += ch.encode_utf8(&mut buffer[len..len + 4]).len();
            at += escape_len;
        } else {
            return None;
        }
        // The run up to the next quote or backslash, eight bytes at a time: each chunk is
        // copied whole and the length moved back to the stop.
        loop {
            let Some(chunk) = chunk_at(bytes, at) else {
                let stop = next_stop(bytes, at)?;
                out.extend_from_slice(&buffer[..len]);
                len = 0;
                out.extend_from_slice(&bytes[at..stop]);
                at = stop;
                break;
            };
            make_room(out, &buffer, &mut len);
            buffer[len..len + 8].copy_from_slice(&chunk.to_le_bytes());
            let stops = stops(chunk);
            if stops != 0 {
                let n = stops.trailing_zeros() as usize / 8;
                let byte_at = |k: usize| chunk.to_le_bytes()[k];
                // The usual case (`\"` every few bytes): a one-letter escape whose letter is
                // in this chunk is decoded here, and the run goes on after it.
                if n < 7
                    && byte_at(n) == b'\\'
                    && let Some(byte) = simple_escape(byte_at(n + 1))
                {
                    buffer[len + n] = byte;
                    len += n + 1;
                    at += n + 2;
                    continue;
                }
                len += n;
                at = settle(bytes, at + n)?;
                break;
            }
            len += 8;
            at += 8;
        }
        if bytes[at] == b'"' {
            out.extend_from_slice(&buffer[..len]);
            // Valid UTF-8: only whole escapes were replaced, by whole characters.
            return Some(at + 1);
        }
    }
}

/// The size of [`decode_into`]'s buffer, and the room an escape or a chunk needs in it.
const DECODING_BUFFER: usize = 512;
const DECODING_ROOM: usize = 8;

/// Moves what `buffer` holds to `out` when less than an escape's or a chunk's room is left.
fn make_room(out: &mut Vec<u8>, buffer: &[u8; DECODING_BUFFER], len: &mut usize) {
    if *len > DECODING_BUFFER - DECODING_ROOM {
        out.extend_from_slice(&buffer[..*len]);
        *len = 0;
    }
}

/// The byte a one-letter escape (`\n`) stands for.
fn simple_escape(letter: u8) -> Option<u8> {
    Some(SIMPLE_ESCAPES[usize::from(letter)]).filter(|&b| b != 0)
}

/// By escape letter, the byte it stands for; 0 where the letter is not a one-letter escape
/// (none stands for 0). A table: the match's jump cost more, at an escape every few bytes.
static SIMPLE_ESCAPES: [u8; 256] = {
    let mut table = [0; 256];
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table[b'/' as usize] = b'/';
    table[b'b' as usize] = 0x08;
    table[b'f' as usize] = 0x0c;
    table[b'n' as usize] = b'\n';
    table[b'r' as usize] = b'\r';
    table[b't' as usize] = b'\t';
    table
};

/// A `\uXXXX` escape (or a surrogate pair of two) at the start of `bytes`: the character
/// and the length written.
fn unicode_escape(bytes: &[u8]) -> Option<(char, usize)> {
    let high = hex4(bytes.get(2..6)?)?;
    match high {
        0xD800..=0xDBFF => {
            if bytes.get(6..8)? != b"\\u" {
                return None;
            }
            let low = hex4(bytes.get(8..12)?)?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return None;
            }
            Some((
                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?,
                12,
            ))
        }
        0xDC00..=0xDFFF => None,
        _ => Some((char::from_u32(high)?, 6)),
    }
}

fn hex4(digits: &[u8]) -> Option<u32> {
    digits
        .iter()
        .try_fold(0, |n, d| Some(n * 16 + char::from(*d).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What this reader must guarantee: whenever it reads an entry, serde reads the same
    /// entry the same way; whenever serde rejects one, so does it.
    fn agrees(text: &str) -> bool {
        let plain = entry(text);
        match serde_json::from_str::<Entry>(text) {
            Ok(serde) => {
                if let Some(plain) = &plain {
                    assert_eq!(plain, &serde, "{text}");
                }
            }
            Err(error) => assert!(plain.is_none(), "serde: {error}; {text}"),
        }
        plain.is_some()
    }

    const RICH: &str = r#"{"pageref": "page_1", "startedDateTime": "2026-11-24T10:00:00.000Z", "time": 12.5,
      "request": {"method": "POST", "url": "https://a.test/x?q=\u00e9", "httpVersion": "HTTP/1.1",
        "headers": [{"name": "Accept", "value": "application/json"}, {"name": ":path", "value": "/x"},
                    {"name": "X-Quote", "value": "say \"hi\"\t\\ \/ \ud83d\ude00 ü€"}],
        "queryString": [{"name": "q", "value": "é"}], "cookies": [],
        "postData": {"mimeType": "application/json", "text": "{\"a\": [1, 2.5e-3, null, true]}", "params": []}},
      "response": {"status": 422, "statusText": "Unprocessable", "httpVersion": "HTTP/2",
        "headers": {"Content-Type": "application/json"},
        "content": {"size": "1,024", "mimeType": "application/json", "_isBinary": "false",
          "text": "{\"errors\": [{\"field\": \"email\", \"message\": \"is invalid\\n\"}]}"},
        "redirectURL": "", "_error": null, "_failureText": "", "comment": ""},
      "cache": {}, "timings": {"blocked": -1, "dns": 0, "send": 0.1, "wait": "10", "receive": 2, "_queued": [1, {"x": [true]}]},
      "_initiator": {"type": "script", "stack": {"callFrames": [{"lineNumber": 0, "url": ""}]}},
      "comment": "x"}"#;

    #[test]
    fn reads_a_plain_entry_as_serde_does() {
        assert!(agrees(RICH));
        assert!(agrees(r#"{"request": {"url": "http://a.test/"}}"#));
        assert!(agrees("{}"));
        assert!(agrees(
            " {\n\t\"time\" : -0.0e+2 ,\r\n \"comment\": 5, \"pageref\": true } "
        ));
    }

    #[test]
    fn leaves_what_serde_might_read_otherwise_to_serde() {
        let odd = [
            // Errors serde reports, with their words.
            r#"{"request": {"url": 5}}"#,
            r#"{"time": 1, "time": 2}"#,
            r#"{"response": {"content": {"text": "a", "text": "b"}}}"#,
            r#"{"comment": "\ud800"}"#,
            r#"{"comment": "\udc00\ud800"}"#,
            r#"{"comment": "\x"}"#,
            "{\"comment\": \"a\u{1}b\"}",
            r#"{"comment": "a",}"#,
            r#"{"a": [1,]}"#,
            r#"{"a": 01}"#,
            r#"{"a": 1.}"#,
            r#"{"a": .5}"#,
            r#"{"a": 1e}"#,
            r#"{"a": tru}"#,
            r#"{"a": nulls}"#,
            r#"{"a" 1}"#,
            r#"{"a": 1 "b": 2}"#,
            r#"{"time": 1e400}"#,
            r#"{"comment": "x"} x"#,
            r#"["2026", 1]"#,
            "[]",
            "5",
            r#"{"request": {"url": "http://a.test/"}"#,
            // Read the same, but not plainly written: a key with an escape, a number or a
            // big integer as text.
            r#"{"time\u0000": 1, "c\u006fmment": "x"}"#,
            r#"{"comment": 1.5, "pageref": 123456789012345678901234567890}"#,
            r#"{"response": {"status": 18446744073709551616, "content": {"size": -9999999999}}}"#,
        ];
        for text in odd {
            agrees(text);
        }
        let deep = format!(
            r#"{{"a": {}1{}}}"#,
            "[".repeat(MAX_DEPTH + 10),
            "]".repeat(MAX_DEPTH + 10)
        );
        assert!(!agrees(&deep));
        let deeper = format!(r#"{{"a": {}1{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(!agrees(&deeper));
    }

    #[test]
    fn agrees_with_serde_whatever_one_byte_is_changed_to() {
        let replacements = [
            "", "\"", "\\", "{", "}", "[", "]", ",", ":", "0", "-", "e", "n", " ", "\u{1}", "é",
        ];
        let mut plain = 0;
        let mut total = 0;
        for (at, _) in RICH.char_indices() {
            let next = RICH[at..].chars().next().map_or(0, char::len_utf8);
            for with in replacements {
                let text = format!("{}{with}{}", &RICH[..at], &RICH[at + next..]);
                total += 1;
                plain += usize::from(agrees(&text));
            }
        }
        // Many changes land inside strings, where the entry is still plainly written.
        assert!(plain * 3 > total, "{plain} of {total}");
    }

    #[test]
    fn agrees_with_serde_on_every_har_fixture_and_corpus_file() {
        let mut files = Vec::new();
        let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![project.join("tests/fixtures")];
        // The shared corpus of real producers' files, where it sits beside the project.
        let corpus = std::env::var_os("HTTPDX_WILD_HAR").map_or_else(
            || project.join("../shared/corpus/wild-har"),
            std::path::PathBuf::from,
        );
        if corpus.is_dir() {
            dirs.push(corpus);
        }
        while let Some(dir) = dirs.pop() {
            for item in std::fs::read_dir(&dir).unwrap() {
                let path = item.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "har") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 10);
        let (mut plain, mut total) = (0, 0);
        for path in files {
            let bytes = std::fs::read(&path).unwrap();
            let text = crate::decode_input(&bytes).unwrap();
            let Some((_, slices, _)) = super::super::layout(&text).and_then(|l| l.entries) else {
                continue;
            };
            for (start, end) in slices {
                total += 1;
                plain += usize::from(agrees(&text[start..end]));
            }
        }
        // Producers write plainly: serde is the exception.
        assert!(plain * 10 >= total * 9, "{plain} of {total}");
    }

    #[test]
    fn unescapes_as_serde_does() {
        for text in [
            r#""""#,
            r#""plain ü€""#,
            r#""\"\\\/\b\f\n\r\t""#,
            r#""{\"a\": \"b\"} and a long tail without escapes""#,
            r#""\u00e9\u20AC\ud83d\ude00x""#,
            r#""x\\""#,
        ] {
            let (ours, end) = read_string(text);
            let ours = ours.unwrap();
            assert_eq!(ours, serde_json::from_str::<String>(text).unwrap());
            assert_eq!(end, text.len(), "{text}");
            assert_eq!(matches!(ours, Cow::Borrowed(_)), !text.contains('\\'));
        }
        for bad in [
            r"\ud800",
            r"\ud800\u0041",
            r"\udc00",
            r"\u12",
            r"\u12g4",
            r"\q",
            "\\",
            "a\u{1}b",
            "\\n\u{1f}",
            "ends\\",
            "\\\"a\u{1}",
        ] {
            let text = format!("\"{bad}\"");
            assert_eq!(read_string(&text).0, None, "{bad}");
            assert!(serde_json::from_str::<String>(&text).is_err(), "{bad}");
        }
    }

    /// The string `text` starts with, as the plain reader reads it, and where it stopped.
    fn read_string(text: &str) -> (Option<Cow<'_, str>>, usize) {
        let mut cursor = Cursor {
            text,
            at: 0,
            depth: 0,
            bodies_later: false,
        };
        let read = cursor.string();
        (read, cursor.at)
    }

    /// Every sequence of up to `most` of `symbols`, the empty one first.
    fn sequences(symbols: &[&str], most: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut longest = all.clone();
        for _ in 0..most {
            longest = longest
                .iter()
                .flat_map(|c| symbols.iter().map(move |s| format!("{c}{s}")))
                .collect();
            all.extend(longest.iter().cloned());
        }
        all
    }

    /// Stepping over a string ends where reading it ends, says whether it held escapes,
    /// and fails where reading fails: for strings of every few symbols (escapes good and
    /// bad, a control character, a quote, text of several bytes), wherever they sit against
    /// the 64-byte blocks it looks at, closed or cut off.
    #[test]
    fn strings_are_stepped_over_where_they_read() {
        let symbols: [&str; 11] = [
            "a",
            "\"",
            "\\\\",
            "\\\"",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\ud83d",
            "\\x",
            "\u{1}",
            "é",
            "\\",
        ];
        for combo in &sequences(&symbols, 3) {
            for before in (0..=8).chain(54..=66).chain(118..=130) {
                for closing in ["\"", "\"after", ""] {
                    let text = format!("\"{}{combo}{closing}", "a".repeat(before));
                    let (read, end) = read_string(&text);
                    let stepped = skim_string(text.as_bytes(), 1);
                    match read {
                        Some(_) => assert_eq!(
                            stepped,
                            Some((end, text[1..end - 1].contains('\\'))),
                            "{text:?}"
                        ),
                        None => assert_eq!(stepped, None, "{text:?}"),
                    }
                }
            }
        }
    }

    /// The masks of 16 bytes (WebAssembly SIMD in the page's worker) are those found a byte
    /// at a time, for every byte value in every lane.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn masks_of_sixteen_bytes_are_those_found_one_by_one() {
        for value in 0..=255u8 {
            for lane in 0..16 {
                let mut bytes = [b'a'; 16];
                bytes[lane] = value;
                bytes[(lane + 7) % 16] = value.wrapping_add(1);
                assert_eq!(
                    masks16(&bytes),
                    masks16_one_by_one(&bytes),
                    "{value} at {lane}"
                );
            }
        }
    }

    #[test]
    fn escapes_at_every_spacing_across_the_decoding_buffer_read_as_serde_reads_them() {
        // The decoder fills a buffer of 512 bytes and empties it into the string: escapes
        // of every kind, every 0 to 19 plain characters, in strings that fill it many times,
        // and that end at every place in the last chunk of the input.
        for escape in [
            r#"\""#,
            r"\\",
            r"\n",
            r"\/",
            r"\u00e9",
            r"\u20ac",
            r"\ud83d\ude00",
        ] {
            for gap in 0..20 {
                // Characters of one to four bytes right before the escape and across the
                // chunks' edges.
                let plain: String = "xé错😀".chars().cycle().skip(gap).take(gap).collect();
                let unit = format!("{plain}{escape}");
                for count in [1, 60, 130, 517] {
                    for tail in 0..9 {
                        let text = format!("\"é{}{}\"", unit.repeat(count), "y".repeat(tail));
                        let (read, end) = read_string(&text);
                        assert_eq!(
                            read.as_deref(),
                            Some(serde_json::from_str::<String>(&text).unwrap().as_str()),
                            "{escape} every {gap}, {count} times, {tail} after"
                        );
                        assert_eq!(end, text.len());
                    }
                }
            }
        }
    }

    /// The buffer strings are decoded in is kept between strings, and dropped after one of a
    /// megabyte or more: a long body (non-ASCII, escapes at every place), then a short one,
    /// then the long one again, each read as serde reads it.
    #[test]
    fn long_and_short_strings_in_turn_read_as_serde_reads_them() {
        let long = format!("\"{}\"", "é\\\"错\\u00e9😀\\n".repeat(200_000));
        assert!(long.len() > 2 << 20);
        for text in [long.as_str(), r#""a\"b""#, long.as_str(), r#""\u00fc""#] {
            let (read, end) = read_string(text);
            assert_eq!(
                read.as_deref(),
                Some(serde_json::from_str::<String>(text).unwrap().as_str())
            );
            assert_eq!(end, text.len());
        }
    }

    /// Every string of a few tricky bytes (quotes, escapes, controls, non-ASCII), at every
    /// place against the eight-byte chunks: read as serde reads it, or left to serde where
    /// serde fails.
    #[test]
    fn strings_read_as_serde_reads_them() {
        let symbols: [&str; 8] = ["a", "\"", "\\", "é", "\u{1}", "n", "u", "0"];
        for combo in &sequences(&symbols, 4) {
            for before in 0..9 {
                for after in [0, 9] {
                    let text = format!("\"{}{combo}{}\"", "a".repeat(before), "a".repeat(after));
                    match read_string(&text) {
                        (Some(ours), end) => assert_eq!(
                            serde_json::from_str::<String>(&text[..end]).ok().as_deref(),
                            Some(ours.as_ref()),
                            "{text:?}"
                        ),
                        (None, _) => {
                            assert!(serde_json::from_str::<String>(&text).is_err(), "{text:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn numbers_follow_json_s_grammar() {
        for good in ["0", "-0", "12", "1.5", "-1.5e10", "1E+2", "1e-2", "0.0"] {
            assert!(is_json_number(good), "{good}");
        }
        for bad in [
            "", "-", "01", "1.", ".1", "1e", "1e+", "+1", "1.5.2", "--1", "0x1",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
