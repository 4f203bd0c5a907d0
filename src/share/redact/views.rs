//! Texts the input spells in pieces, put back together so a secret cut across lines is still
//! one secret: `curl --trace-ascii` cuts a header every 64 bytes, `curl --trace` shows each
//! byte twice (a hex pair and a character of the ASCII column), and a console hard-wraps a
//! long command at its width (PowerShell at 120 columns).
//!
//! Each view records where every byte of it sits in the input, so what redaction finds in the
//! view is masked in the input piece by piece — in the ASCII column and in the hex pairs —
//! and the input keeps its layout, offsets and line breaks.

use crate::input::curl_trace::{Dump, dump, event_kind};
use crate::input::lines::{Line, lines};
use crate::model::Span;

/// A run of view bytes copied one for one from the input.
#[derive(Debug, Clone, Copy)]
struct Run {
    view: usize,
    input: usize,
    len: usize,
    /// In a hex dump: where the hex pair of the run's first byte starts (pairs are 3 apart).
    hex: Option<usize>,
}

pub(crate) struct View {
    pub text: String,
    runs: Vec<Run>,
    /// Input ranges where what the view finds replaces what a scan of the input itself finds
    /// there (a dump line's cut-off half of a token, a token scanned across a wrap).
    pub yields: Vec<Span>,
}

/// One replacement in the input, with the exact bytes to put there.
pub(crate) struct Piece {
    pub span: Span,
    pub replacement: String,
}

impl View {
    /// The input pieces of view span `span`, with `replacement` (the view's bytes for that
    /// span after masking) cut to fit each: the ASCII column gets the characters, the hex
    /// column their pairs.
    pub(crate) fn pieces(&self, span: Span, replacement: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        let first = self.runs.partition_point(|r| r.view + r.len <= span.start);
        for run in &self.runs[first..] {
            if run.view >= span.end {
                break;
            }
            let start = span.start.max(run.view);
            let end = span.end.min(run.view + run.len);
            let Some(slice) = replacement.get(start - span.start..end - span.start) else {
                continue;
            };
            let at = run.input + (start - run.view);
            out.push(Piece {
                span: Span::new(at, at + (end - start)),
                replacement: slice.to_owned(),
            });
            if let Some(hex) = run.hex {
                for (k, byte) in slice.bytes().enumerate() {
                    let pair = hex + 3 * (start - run.view + k);
                    out.push(Piece {
                        span: Span::new(pair, pair + 2),
                        replacement: format!("{byte:02x}"),
                    });
                }
            }
        }
        out
    }
}

/// Every view the input has (none for most inputs).
pub(crate) fn views(text: &str) -> Vec<View> {
    [trace(text), wrapped(text)].into_iter().flatten().collect()
}

/// A `--trace`/`--trace-ascii` dump: each event's bytes in order; a line break between
/// events and wherever a dump line did not continue on the next.
fn trace(text: &str) -> Option<View> {
    if !text.contains("=> Send ") && !text.contains("<= Recv ") {
        return None;
    }
    let all: Vec<Line> = lines(text).collect();
    let mut view = View {
        text: String::new(),
        runs: Vec::new(),
        yields: Vec::new(),
    };
    let mut i = 0;
    while let Some(line) = all.get(i) {
        i += 1;
        if event_kind(line.text).is_none() {
            continue;
        }
        while let Some(next) = all.get(i).and_then(dump) {
            view.yields.push(all[i].span());
            i += 1;
            push_dump(
                text,
                &mut view,
                &next,
                all.get(i).and_then(dump).map(|d| d.offset),
            );
        }
        view.text.push('\n');
    }
    (!view.runs.is_empty()).then_some(view)
}

fn push_dump(text: &str, view: &mut View, line: &Dump, following: Option<usize>) {
    let (start, end) = line.text;
    if let Some(bytes) = &line.hex {
        // The ASCII column shows printable bytes as themselves: only those map.
        let column = &text.as_bytes()[start..end];
        let mut k = 0;
        while k < bytes.len() {
            let printable = |b: u8| (0x20..0x7f).contains(&b);
            if !printable(bytes[k]) || column.get(k) != Some(&bytes[k]) {
                view.text.push(if bytes[k] == b'\n' { '\n' } else { ' ' });
                k += 1;
                continue;
            }
            let from = k;
            while k < bytes.len() && printable(bytes[k]) && column.get(k) == Some(&bytes[k]) {
                k += 1;
            }
            view.runs.push(Run {
                view: view.text.len(),
                input: start + from,
                len: k - from,
                hex: Some(line.hex_start + 3 * from),
            });
            view.text.push_str(&text[start + from..start + k]);
        }
    } else {
        let content = &text[start..end];
        // Spaces a copy added after the line do not belong to the data.
        let len = match following.and_then(|f| f.checked_sub(line.offset)) {
            Some(delta) if delta < content.len() => content.trim_end_matches(' ').len(),
            _ => content.len(),
        };
        view.runs.push(Run {
            view: view.text.len(),
            input: start,
            len,
            hex: None,
        });
        view.text.push_str(&content[..len]);
        if following != Some(line.offset + len) {
            view.text.push('\n');
        }
    }
}

/// Console widths a terminal hard-wraps at.
const WIDTHS: &[usize] = &[80, 100, 120, 132, 140, 150, 160, 180, 200, 240];

/// Lines hard-wrapped by a console: a line exactly as wide as a usual console, followed by a
/// non-empty line, continues there. The view joins them.
fn wrapped(text: &str) -> Option<View> {
    let all: Vec<Line> = lines(text).collect();
    let wraps = |l: &Line| l.text.len() >= 80 && WIDTHS.contains(&l.text.chars().count());
    let continues = |line: &Line, next: &Line| {
        wraps(line) && !next.text.is_empty() && !same_marker(line.text, next.text)
    };
    if !all.windows(2).any(|w| continues(&w[0], &w[1])) {
        return None;
    }
    let mut view = View {
        text: String::with_capacity(text.len()),
        runs: Vec::new(),
        yields: Vec::new(),
    };
    for (i, line) in all.iter().enumerate() {
        view.runs.push(Run {
            view: view.text.len(),
            input: line.start,
            len: line.text.len(),
            hex: None,
        });
        view.text.push_str(line.text);
        let joins = all.get(i + 1).is_some_and(|next| continues(line, next));
        if joins {
            // A scan of the input sees a token cut here: up to the wrapped line's last
            // character or from the next line's first.
            view.yields
                .push(Span::new(line.end().saturating_sub(1), line.next + 1));
        } else {
            view.text.push('\n');
        }
    }
    Some(view)
}

/// Whether two lines start with the same line marker of a capture (`> `, `< `, `* `, `{ `,
/// `} ` of curl -v; a bare `>` ends curl's request headers): the second is a line of its
/// own, not the rest of the first (a wrapped line goes on with whatever came next).
fn same_marker(line: &str, next: &str) -> bool {
    let marker = |s: &str| {
        let b = s.as_bytes();
        matches!(b.first(), Some(b'>' | b'<' | b'*' | b'{' | b'}'))
            && matches!(b.get(1), None | Some(b' '))
    };
    marker(line) && marker(next) && line.as_bytes()[0] == next.as_bytes()[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hex_dump_maps_each_byte_to_its_column_and_pair() {
        let text = "=> Send header, 20 bytes (0x14)\n0000: 41 75 74 68 3a 20 42 65 61 72 65 72 20 61 62 63 Auth: Bearer abc\n0010: 64 65 0d 0a                                     de..\n";
        let view = trace(text).unwrap();
        assert!(
            view.text.starts_with("Auth: Bearer abcde"),
            "{:?}",
            view.text
        );
        let at = view.text.find("abcde").unwrap();
        let pieces = view.pieces(Span::new(at, at + 5), "XXXXX");
        let mut out = text.to_owned();
        for p in &pieces {
            out.replace_range(p.span.start..p.span.end, &p.replacement);
        }
        assert!(out.contains("Bearer XXX") && out.contains("XX.."), "{out}");
        assert!(
            out.contains("20 58 58 58") && out.contains("58 58 0d 0a"),
            "{out}"
        );
    }
}
