//! Line iteration that keeps byte offsets, for readers that quote their input.

/// One line of the input, without its line ending.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub text: &'a str,
    /// Offset of the first byte of the line.
    pub start: usize,
    /// Offset just past the line ending (the start of the next line).
    pub next: usize,
}

impl Line<'_> {
    pub(crate) fn end(&self) -> usize {
        self.start + self.text.len()
    }

    pub(crate) fn span(&self) -> crate::model::Span {
        crate::model::Span::new(self.start, self.end())
    }
}

/// Splits on `\n`, dropping a `\r` before it.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = Line<'_>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let start = at;
        let (end, next) = match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        at = next;
        let line = &text[start..end];
        Some(Line {
            // `\r\r\n` too: curl prints its headers' `\r\n`, and a Windows copy adds one.
            text: line.trim_end_matches('\r'),
            start,
            next,
        })
    })
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    &text[..text.floor_char_boundary(max)]
}

/// Offset of `inner` inside `outer`, when `inner` is a sub-slice of it.
pub(crate) fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start + inner.len() <= outer.len()).then_some(start)
}
