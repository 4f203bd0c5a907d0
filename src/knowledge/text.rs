//! Small text helpers for quoting evidence.

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The whole line of `text` around byte `offset`, and where it starts.
pub(crate) fn line_around(text: &str, offset: usize) -> (usize, &str) {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[start..end];
    (start, line.strip_suffix('\r').unwrap_or(line))
}

/// Words quoted from the input, marked as such: the report makes them a code segment as
/// they are (see [`crate::report::input`]).
pub(crate) fn quoted(text: &str) -> String {
    crate::report::input(text)
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Whether `needle` occurs in `haystack` ([`find`]), for a needle that changes from one
/// search to the next (a word of a list searched line by line, a stack frame's file
/// extension); a constant word searched in many bodies is one of [`Needles`]. In wasm,
/// `str::contains` walks the text a byte at a time (Two-Way).
pub(crate) fn has(haystack: &str, needle: &str) -> bool {
    find(haystack.as_bytes(), needle.as_bytes()).is_some()
}

/// Where `needle` first occurs in `haystack`. memchr's vectorised search costs about 800
/// instructions to set up on each call, more than searching a short text takes: a text
/// shorter than [`SHORT_TEXT`] is searched from each place its needle's first byte occurs
/// instead (header values, lines, small bodies: most of what the rules search).
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if haystack.len() >= SHORT_TEXT {
        return memchr::memmem::find(haystack, needle);
    }
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let mut from = 0;
    while let Some(found) = memchr::memchr(first, haystack.get(from..)?) {
        let at = from + found;
        if haystack[at + 1..].starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// See [`find`]: a search of a text this long or longer pays for setting up memchr's.
const SHORT_TEXT: usize = 256;

/// Case-insensitive ASCII search; returns the byte offset of the first match.
pub(crate) fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() || n.len() > h.len() {
        return None;
    }
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// `["a", "b", "c"]` → `a, b and c`.
pub(crate) fn join_words(items: &[impl AsRef<str>]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// Words searched for in many texts, each with memchr's searcher set up once for all of
/// them (set up for every search, as `memmem::find` does, it costs about 800 instructions,
/// more than searching a 1.5 KB body takes). Searched one after the other in the list's
/// order, so the first word in the list wins wherever it stands, even where it overlaps a
/// later one: [`Signatures::first_in`] can miss a word that overlaps an earlier match.
pub struct Needles {
    needles: Patterns,
    finders: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>>,
}

impl Needles {
    pub const fn new(needles: &'static [&'static str]) -> Self {
        Needles {
            needles: Patterns::Plain(needles),
            finders: std::sync::OnceLock::new(),
        }
    }

    /// `(label, needle)`: the label says what the needle tells.
    pub const fn labeled(needles: &'static [(&'static str, &'static str)]) -> Self {
        Needles {
            needles: Patterns::Labeled(needles),
            finders: std::sync::OnceLock::new(),
        }
    }

    /// The label of needle `index` (empty for plain lists).
    pub fn label(&self, index: usize) -> &'static str {
        self.needles.label(index)
    }

    /// The first needle, in the list's order, that occurs in `haystack`: its index in the
    /// list and the offset of its first occurrence.
    pub fn first_in(&self, haystack: &str) -> Option<(usize, usize)> {
        self.finders
            .get_or_init(|| {
                self.needles
                    .texts()
                    .map(|n| memchr::memmem::Finder::new(n.as_bytes()))
                    .collect()
            })
            .iter()
            .enumerate()
            .find_map(|(index, finder)| Some((index, finder.find(haystack.as_bytes())?)))
    }

    /// Whether any of the needles occurs in `haystack`.
    pub fn any_in(&self, haystack: &str) -> bool {
        self.first_in(haystack).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(line_col("ab\ncé\nx", 6), (2, 3));
        assert_eq!(line_around("ab\ncd\r\nx", 4), (3, "cd"));
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(find_ci("Hello World", "WORLD"), Some(6));
        assert_eq!(join_words(&["a", "b", "c"]), "a, b and c");
    }
}

/// A list of text signatures searched in one pass (Aho-Corasick), where the list's order
/// is its priority: the first signature in the list that occurs anywhere wins, wherever it
/// occurs (unless it overlaps another match in the text).
pub struct Signatures {
    patterns: Patterns,
    ignore_case: bool,
    automaton: std::sync::OnceLock<aho_corasick::AhoCorasick>,
}

enum Patterns {
    Plain(&'static [&'static str]),
    /// `(label, pattern)`: the label says what the pattern identifies.
    Labeled(&'static [(&'static str, &'static str)]),
}

impl Patterns {
    fn label(&self, index: usize) -> &'static str {
        match self {
            Patterns::Plain(_) => "",
            Patterns::Labeled(p) => p[index].0,
        }
    }

    fn texts(&self) -> impl Iterator<Item = &'static str> {
        let (plain, labeled): (&[&str], &[(&str, &str)]) = match *self {
            Patterns::Plain(p) => (p, &[]),
            Patterns::Labeled(p) => (&[], p),
        };
        plain
            .iter()
            .copied()
            .chain(labeled.iter().map(|(_, text)| *text))
    }
}

impl Signatures {
    pub const fn new(patterns: &'static [&'static str]) -> Self {
        Signatures {
            patterns: Patterns::Plain(patterns),
            ignore_case: false,
            automaton: std::sync::OnceLock::new(),
        }
    }

    pub const fn labeled(patterns: &'static [(&'static str, &'static str)]) -> Self {
        Signatures {
            patterns: Patterns::Labeled(patterns),
            ignore_case: false,
            automaton: std::sync::OnceLock::new(),
        }
    }

    pub const fn ignoring_case(patterns: &'static [&'static str]) -> Self {
        Signatures {
            patterns: Patterns::Plain(patterns),
            ignore_case: true,
            automaton: std::sync::OnceLock::new(),
        }
    }

    /// The label of pattern `index` (empty for plain lists).
    pub fn label(&self, index: usize) -> &'static str {
        self.patterns.label(index)
    }

    /// The automaton of the patterns, lower-cased when case is ignored: it then searches the
    /// text lower-cased ([`Signatures::with_searched`]). That finds what an ASCII case-insensitive
    /// automaton finds, at the same offsets, about five times faster: case-insensitive
    /// automata walk every byte, case-sensitive ones skip ahead with a prefilter.
    #[allow(clippy::expect_used, reason = "built from constant patterns")]
    fn automaton(&self) -> &aho_corasick::AhoCorasick {
        self.automaton.get_or_init(|| {
            let patterns = self.patterns.texts().map(|p| {
                if self.ignore_case {
                    p.to_ascii_lowercase()
                } else {
                    p.to_owned()
                }
            });
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(patterns)
                .expect("signature patterns are valid")
        })
    }

    /// `f` of `text` as the automaton searches it: lower-cased (ASCII only, so every offset
    /// stays the same) when case is ignored, into a buffer kept from one search to the next.
    /// A copy of its own for each search cost the page's worker 40 ms of a 58 MB HAR's
    /// diagnosis in the allocator alone: every error body is searched by several such lists.
    fn with_searched<R>(&self, text: &str, f: impl FnOnce(&str) -> R) -> R {
        /// A buffer this large or larger is dropped after use, not kept.
        const LARGEST_KEPT: usize = 1 << 20;
        thread_local! {
            static LOWERED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        if !self.ignore_case {
            return f(text);
        }
        LOWERED.with(|buffer| {
            // Only a search from inside `f` would find the buffer borrowed (none does): it
            // would make a copy of its own.
            let Ok(mut lowered) = buffer.try_borrow_mut() else {
                return f(&text.to_ascii_lowercase());
            };
            lowered.clear();
            lowered.push_str(text);
            lowered.make_ascii_lowercase();
            let found = f(&lowered);
            if lowered.capacity() >= LARGEST_KEPT {
                *lowered = String::new();
            }
            found
        })
    }

    /// The highest-priority signature in `text`: `(pattern index, offset of its first occurrence)`.
    pub fn first_in(&self, text: &str) -> Option<(usize, usize)> {
        self.with_searched(text, |searched| {
            let mut best: Option<(usize, usize)> = None;
            // Leftmost-first matching keeps the fast prefilter; a higher-priority signature
            // is missed only where it overlaps a lower one in the text.
            for found in self.automaton().find_iter(searched) {
                let index = found.pattern().as_usize();
                if best.is_none_or(|(b, _)| index < b) {
                    best = Some((index, found.start()));
                    if index == 0 {
                        break;
                    }
                }
            }
            best
        })
    }

    /// The signature that occurs first in `text`: `(pattern index, offset)`.
    pub fn leftmost(&self, text: &str) -> Option<(usize, usize)> {
        self.with_searched(text, |searched| {
            self.automaton()
                .find(searched)
                .map(|m| (m.pattern().as_usize(), m.start()))
        })
    }

    pub fn contains_any(&self, text: &str) -> bool {
        self.with_searched(text, |searched| self.automaton().is_match(searched))
    }
}

#[cfg(test)]
mod has_tests {
    #[test]
    fn answers_as_str_contains_does() {
        let texts = [
            "",
            "ok",
            "{\"ok\": false}",
            "é\"ok\"é",
            "\\u00e9",
            &("x".repeat(100) + "\"errors\""),
        ];
        let needles = ["", "\"ok\"", "\"errors\"", "\\u", "é", "error"];
        for text in &texts {
            for needle in needles {
                assert_eq!(
                    super::has(text, needle),
                    text.contains(needle),
                    "{text:?} {needle:?}"
                );
            }
        }
    }

    /// Short texts are searched byte by byte, long ones by memchr: both answer as
    /// `str::find` does, for a needle at every place of texts on both sides of the line
    /// (the ASCII fillers: lengths count characters), after near misses (`erro`, `eerror`)
    /// and next to characters of several bytes.
    #[test]
    fn finds_what_str_find_finds_in_short_and_long_texts() {
        let needles = ["error", "e", "é€", "\"ok\"", "rr", ""];
        for len in [0, 1, 4, 5, 40, 254, 255, 256, 257, 400] {
            for at in (0..=len).step_by(len / 7 + 1) {
                for filler in ["x", "eerro", "é€"] {
                    let before: String = filler.repeat(at).chars().take(at).collect();
                    let after: String = filler.repeat(len).chars().take(len - at).collect();
                    for needle in needles {
                        let text = format!("{before}{needle}{after}");
                        assert_eq!(
                            super::find(text.as_bytes(), needle.as_bytes()),
                            text.find(needle),
                            "{text:?} {needle:?}"
                        );
                    }
                    let missing = format!("{before}{after}");
                    assert_eq!(
                        super::find(missing.as_bytes(), b"error"),
                        missing.find("error"),
                        "{missing:?}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod needle_tests {
    use super::Needles;

    #[test]
    fn the_first_needle_in_the_lists_order_wins_wherever_it_stands() {
        static WORDS: Needles = Needles::new(&["not supported", "deprecated", "é"]);
        let long = "x".repeat(300);
        for pad in ["", long.as_str()] {
            let text = format!("{pad}deprecated, and not supported");
            assert_eq!(WORDS.first_in(&text), Some((0, pad.len() + 16)));
            assert_eq!(
                WORDS.first_in(&format!("{pad}deprecated")),
                Some((1, pad.len()))
            );
            assert_eq!(
                WORDS.first_in(&format!("ü{pad}é")),
                Some((2, pad.len() + 2))
            );
            assert!(!WORDS.any_in(&format!("{pad}supported")));
        }
    }
}

#[cfg(test)]
mod signature_tests {
    use super::Signatures;

    /// Texts are lower-cased into one buffer, kept from search to search: a shorter text
    /// after a longer one, or one without the words after one with them, leaves nothing
    /// of the one before.
    #[test]
    fn each_search_ignoring_case_sees_its_own_text_only() {
        static SIGNS: Signatures = Signatures::ignoring_case(&["too large", "payload"]);
        let long = format!("{} Payload Too Large", "x".repeat(2000));
        assert_eq!(SIGNS.first_in(&long), Some((0, 2009)));
        assert_eq!(SIGNS.first_in("too"), None);
        assert!(!SIGNS.contains_any("large payloa"));
        assert_eq!(SIGNS.leftmost("A PAYLOAD, TOO LARGE"), Some((1, 2)));
        assert_eq!(SIGNS.first_in("é Too Large"), Some((0, 3)));
    }

    static ROUTES: Signatures = Signatures::labeled(&[
        ("Flask", "was not found on the server"),
        ("nginx", "<title>404 Not Found</title>"),
    ]);

    #[test]
    fn list_order_wins_over_position() {
        let body =
            "<title>404 Not Found</title><p>The requested URL was not found on the server.</p>";
        let (index, at) = ROUTES.first_in(body).unwrap();
        assert_eq!(
            (ROUTES.label(index), at),
            ("Flask", body.find("was not").unwrap())
        );
        assert!(Signatures::ignoring_case(&["MAINTENANCE"]).contains_any("down for maintenance"));
    }

    #[test]
    fn ignoring_case_finds_any_case_where_it_stands() {
        static SIGNS: Signatures =
            Signatures::ignoring_case(&["Payload Too Large", "request entity too large"]);
        let body = "<h1>Überlänge — 413 REQUEST Entity TOO large</h1><p>payload too LARGE</p>";
        assert_eq!(
            SIGNS.first_in(body),
            Some((0, body.find("payload").unwrap()))
        );
        assert_eq!(
            SIGNS.leftmost(body),
            Some((1, body.find("REQUEST").unwrap()))
        );
        assert!(!SIGNS.contains_any("Payload too big"));
    }
}
