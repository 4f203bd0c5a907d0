//! `curl --trace-ascii` and `curl --trace` output: events (`== Info:`, `=> Send header`,
//! `<= Recv header`, `<= Recv data`) followed by dumps of the bytes, 64 characters a line in
//! ASCII mode (a header longer than that is cut across lines), 16 bytes a line in hex mode.
//!
//! The bytes are put back together into the `curl -v` output they stand for, read by the
//! `curl -v` reader, and every span is mapped back to the dump — so a token cut across four
//! dump lines is still one token to the rules and to redaction.

use super::curl_verbose;
use super::lines::{Line, lines};
use super::view::SpanMap;
use crate::model::{Body, Capture, Span};

/// One event's kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    Info,
    SendHeader,
    SendData,
    RecvHeader,
    RecvData,
    /// TLS records and anything else: not shown.
    Other,
}

fn event(line: &str) -> Option<(Event, usize)> {
    // `--trace-time` puts `18:20:45.507373 ` before each event; piped output glues the
    // progress meter before the first one.
    let at = ["== Info: ", "=> Send ", "<= Recv "]
        .iter()
        .filter_map(|m| line.find(m))
        .min()?;
    let rest = &line[at..];
    let kind = if rest.starts_with("== Info: ") {
        Event::Info
    } else if rest.starts_with("=> Send header") {
        Event::SendHeader
    } else if rest.starts_with("=> Send data") {
        Event::SendData
    } else if rest.starts_with("<= Recv header") {
        Event::RecvHeader
    } else if rest.starts_with("<= Recv data") {
        Event::RecvData
    } else {
        Event::Other
    };
    Some((kind, at))
}

/// Whether `line` starts an event (`== Info:`, `=> Send header`, `<= Recv data` …).
pub(crate) fn event_kind(line: &str) -> Option<()> {
    event(line).map(|_| ())
}

/// A dump line: its offset, and where its bytes' text is in the line. In hex mode the text is
/// the ASCII column (the hex pairs say the same bytes).
pub(crate) struct Dump {
    pub offset: usize,
    /// Where the line's text starts and ends in the input.
    pub text: (usize, usize),
    /// In hex mode, the bytes the hex pairs encode.
    pub hex: Option<Vec<u8>>,
    /// In hex mode, where the first hex pair starts in the input.
    pub hex_start: usize,
}

pub(crate) fn dump(line: &Line) -> Option<Dump> {
    // A copy may take the space after an empty line's `0087:`.
    let t = line.text;
    if let Some(offset) = t
        .trim_end()
        .strip_suffix(':')
        .filter(|o| (4..=8).contains(&o.len()))
    {
        let offset = usize::from_str_radix(offset, 16).ok()?;
        return Some(Dump {
            offset,
            text: (line.end(), line.end()),
            hex: None,
            hex_start: line.end(),
        });
    }
    let colon = t.find(": ").filter(|c| (4..=8).contains(c))?;
    let offset = usize::from_str_radix(&t[..colon], 16).ok()?;
    let body = &t[colon + 2..];
    let start = line.start + colon + 2;
    // Hex mode: up to 16 `hh ` pairs, then the ASCII column.
    let pairs: Vec<u8> = body
        .as_bytes()
        .chunks(3)
        .take(16)
        .map_while(|c| {
            let hex = std::str::from_utf8(c.get(..2)?).ok()?;
            (c.get(2).is_none_or(|b| *b == b' ')).then_some(())?;
            u8::from_str_radix(hex, 16).ok()
        })
        .collect();
    // A hex line: its pairs, spaces up to column 48, then one character per pair. Text that
    // merely starts like a pair (`41 xoxe…` in an ASCII dump) is not one.
    let hex_line = !pairs.is_empty()
        && body.len() >= 48 + pairs.len()
        && body.as_bytes()[3 * pairs.len() - 1..48]
            .iter()
            .all(|b| *b == b' ')
        && body.as_bytes()[48 + pairs.len()..]
            .iter()
            .all(|b| *b == b' ');
    if hex_line {
        return Some(Dump {
            offset,
            text: (start + 48, start + 48 + pairs.len()),
            hex: Some(pairs),
            hex_start: start,
        });
    }
    Some(Dump {
        offset,
        text: (start, line.end()),
        hex: None,
        hex_start: start,
    })
}

/// The `curl -v` text a trace stands for, with the way back, and the request bodies curl
/// sent (which `-v` does not print).
pub(crate) struct Rebuilt {
    pub text: String,
    pub map: SpanMap,
    /// `(view span)` of each request body, in order.
    pub sent: Vec<Span>,
}

struct Builder {
    text: String,
    runs: Vec<(usize, usize)>,
}

impl Builder {
    /// Text that stands for `original` bytes of the input (a prefix written by httpdx maps
    /// to the place it stands for).
    fn push(&mut self, text: &str, original: usize) {
        self.runs.push((self.text.len(), original));
        self.text.push_str(text);
    }
}

/// Rebuilds the `curl -v` output a trace stands for.
pub(crate) fn rebuild(text: &str) -> Rebuilt {
    let all: Vec<Line> = lines(text).collect();
    let mut out = Builder {
        text: String::with_capacity(text.len()),
        runs: Vec::new(),
    };
    let mut sent = Vec::new();
    let mut i = 0;
    while let Some(line) = all.get(i).copied() {
        i += 1;
        let Some((kind, at)) = event(line.text) else {
            // The `$ curl …` command line keeps its place: it carries the URL and `-d`.
            if super::curl_command::command_start(line.text).is_some() {
                out.push(&text[line.start..line.next], line.start);
            }
            continue;
        };
        if kind == Event::Info {
            let message_at = line.start + at + "== Info: ".len();
            out.push("* ", line.start + at);
            out.push(&format!("{}\n", &text[message_at..line.end()]), message_at);
            continue;
        }
        // git's GIT_CURL_VERBOSE / GIT_TRACE_CURL trace: one header line per event,
        // `=> Send header: Accept: */*`, `<= Recv header: HTTP/1.1 401 Unauthorized`.
        let event_text = &line.text[at..];
        let inline = [
            "=> Send header",
            "<= Recv header",
            "=> Send data",
            "<= Recv data",
        ]
        .iter()
        .find_map(|m| event_text.strip_prefix(m))
        .and_then(|rest| rest.strip_prefix(':'));
        if let Some(rest) = inline {
            let content = rest.strip_prefix(' ').unwrap_or(rest);
            let content_at = line.end() - content.len();
            match kind {
                Event::SendHeader => out.push("> ", line.start + at),
                Event::RecvHeader => out.push("< ", line.start + at),
                _ => {}
            }
            out.push(&format!("{content}\n"), content_at);
            continue;
        }
        // The dump lines under the event: the bytes, as `(text, input offset)` pieces; a
        // piece ends the dump's line unless the next line's offset continues it directly.
        let mut pieces: Vec<(String, usize, bool)> = Vec::new();
        while let Some(next) = all.get(i).and_then(dump) {
            i += 1;
            let (start, mut end) = next.text;
            // A line holds exactly as many bytes as the next offset says when the data goes
            // on there (a long header cut at 64 characters); fewer when a line break ended it.
            let following = all.get(i).and_then(dump).map(|d| d.offset);
            let delta = following.and_then(|f| f.checked_sub(next.offset));
            let mut continues = next.hex.is_some() || delta == Some(end - start);
            // Spaces a copy added after each line: what is left without them decides.
            let trimmed = text[start..end].trim_end_matches(' ').len();
            if next.hex.is_none() && !continues && delta.is_some_and(|d| d < end - start) {
                continues = delta == Some(trimmed);
                end = start + trimmed;
            }
            let piece: String = match &next.hex {
                // Hex mode: the bytes themselves; the ASCII column is where they show.
                Some(bytes) => String::from_utf8_lossy(bytes).replace('\r', ""),
                None => text[start..end].to_owned(),
            };
            pieces.push((piece, start, !continues));
        }
        let prefix = match kind {
            Event::SendHeader => Some("> "),
            Event::RecvHeader => Some("< "),
            _ => None,
        };
        let body_start = out.text.len();
        let mut line_start = true;
        for (piece, start, ends_line) in pieces {
            if kind == Event::Other {
                continue;
            }
            // A line gets its `> `/`< ` prefix when it gets text or ends; hex mode gives
            // real line breaks inside the bytes.
            let end_line = |out: &mut Builder, line_start: &mut bool| {
                if *line_start && let Some(prefix) = prefix {
                    out.push(prefix, start);
                }
                out.push("\n", start);
                *line_start = true;
            };
            for (n, part) in piece.split('\n').enumerate() {
                if n > 0 {
                    end_line(&mut out, &mut line_start);
                }
                if !part.is_empty() {
                    if line_start && let Some(prefix) = prefix {
                        out.push(prefix, start);
                    }
                    out.push(part, start);
                    line_start = false;
                }
            }
            if ends_line {
                end_line(&mut out, &mut line_start);
            }
        }
        if kind == Event::SendData {
            sent.push(Span::new(body_start, out.text.len()));
        }
        if !line_start && kind != Event::Other {
            out.push("\n", line.end());
        }
    }
    let view_len = out.text.len();
    Rebuilt {
        text: out.text,
        map: SpanMap::from_runs(out.runs, view_len),
        sent,
    }
}

pub(crate) fn read(text: &str) -> Capture {
    let rebuilt = rebuild(text);
    // The request data curl sent is not part of `-v` output: set it aside, then give it back
    // to the requests in order.
    let mut view = String::with_capacity(rebuilt.text.len());
    let mut at = 0;
    for span in &rebuilt.sent {
        view.push_str(&rebuilt.text[at..span.start]);
        // Blanked byte for byte (offsets stay), line breaks kept (lines stay).
        view.extend(
            rebuilt.text[span.start..span.end]
                .bytes()
                .map(|b| if b == b'\n' { '\n' } else { ' ' }),
        );
        at = span.end;
    }
    view.push_str(&rebuilt.text[at..]);
    let mut capture = curl_verbose::read(&view);
    let mut sent = rebuilt.sent.iter();
    for exchange in &mut capture.exchanges {
        if let (Some(request), Some(span)) = (exchange.request.as_mut(), sent.next()) {
            let body = rebuilt.text[span.start..span.end].trim_end_matches('\n');
            if !body.is_empty() {
                request.body = Some(Body::verbatim(body, span.start));
            }
        }
    }
    rebuilt.map.capture(&mut capture);
    capture
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASCII: &str = "== Info: Connected to a.test (127.0.0.1) port 80 (#0)\n=> Send header, 120 bytes (0x78)\n0000: GET /me HTTP/1.1\n0012: Host: a.test\n0020: Authorization: Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n0060: bbbb\n0066: \n<= Recv header, 27 bytes (0x1b)\n0000: HTTP/1.1 401 Unauthorized\n<= Recv header, 2 bytes (0x2)\n0000: \n<= Recv data, 2 bytes (0x2)\n0000: {}\n";

    #[test]
    fn a_header_cut_across_dump_lines_is_one_header() {
        let capture = read(ASCII);
        let exchange = &capture.exchanges[0];
        let request = exchange.request.as_ref().unwrap();
        let auth = request
            .headers
            .iter()
            .find(|h| h.name == "Authorization")
            .unwrap();
        assert!(auth.value.ends_with("aaaabbbb"), "{}", auth.value);
        assert_eq!(exchange.response.as_ref().unwrap().status, 401);
        // The span points into the dump, across both lines.
        let span = auth.span.unwrap();
        assert!(ASCII[span.start..span.end].contains("0060: bbbb"));
    }
}
