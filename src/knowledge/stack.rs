//! Stack traces and exceptions in response bodies, per language.

use super::text::Signatures;

/// What a body reveals about an exception.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trace {
    pub language: &'static str,
    /// Where the trace starts in the body.
    pub at: usize,
    /// The first frame of the application's own code (or the first frame), as printed.
    pub top_frame: Option<(usize, String)>,
}

/// Markers that start or prove a stack trace, per language.
static MARKERS: Signatures = Signatures::labeled(&[
    ("Python", "Traceback (most recent call last)"),
    ("Python", "Werkzeug Debugger"),
    ("Python (Django)", "<th>Exception Location:</th>"),
    ("Java", "Exception in thread \""),
    ("Java", "\tat java."),
    ("Java", "\tat org.springframework."),
    ("Java", "\"trace\":\"java."),
    (".NET", "Server Error in '/' Application"),
    (".NET", "   at System."),
    (".NET", "   at Microsoft.AspNetCore."),
    ("PHP", "Stack trace:\n#0 "),
    ("PHP", "Fatal error: Uncaught"),
    ("Go", "goroutine 1 [running]"),
    ("Go", "[running]:\n"),
    ("Ruby", ":in `"),
    ("Ruby", "Action Controller: Exception caught"),
    ("Node.js", "    at Object.<anonymous> ("),
    ("Node.js", "&nbsp; &nbsp;at "),
    ("Node.js", "    at Layer.handle"),
    ("Node.js", "    at process.processTicksAndRejections"),
    ("Node.js", "    at node:internal"),
    ("Node.js", "    at Module._compile"),
]);

/// Frame line prefixes per language.
fn is_frame(language: &str, line: &str) -> bool {
    // `strip_prefix` in a loop, as `trim_start_matches` with a word would, without setting
    // up a search for each line.
    let mut t = line.trim_start_matches([' ', '\t']);
    while let Some(rest) = t.strip_prefix("&nbsp; ") {
        t = rest;
    }
    while let Some(rest) = t.strip_prefix("&nbsp;") {
        t = rest;
    }
    // `text::has`, not `str::contains`: a frame is a short line, which `str::contains` spends
    // longer setting up its search for than searching.
    let has = |needle: &str| super::text::has(t, needle);
    match language {
        "Python" | "Python (Django)" => t.starts_with("File \""),
        "Java" => t.starts_with("at ") && has(".java:"),
        ".NET" => t.starts_with("at ") && (has(" in ") || t.contains('(')),
        "Node.js" => t.starts_with("at ") && (has(".js:") || has(".ts:") || has(".mjs:")),
        "PHP" => t.starts_with('#') && has(".php"),
        "Go" => has(".go:"),
        "Ruby" => has(".rb:") && has(":in "),
        _ => false,
    }
}

/// What a frame of a library's or the runtime's code holds (its path or namespace): the
/// application's own frame is the first (Python: the last) without any.
static LIBRARY_FRAMES: Signatures = Signatures::new(&[
    "site-packages",
    "node_modules",
    "node:internal",
    "/usr/lib/python",
    "java.base",
    "org.springframework",
    "System.",
    "Microsoft.AspNetCore",
    "/lib/python3",
    "/gems/",
]);

pub(crate) fn find_trace(body: &str) -> Option<Trace> {
    let (marker, at) = MARKERS.leftmost(body)?;
    let language = MARKERS.label(marker);
    let mut offset = 0;
    let mut frames = Vec::new();
    for line in body.split_inclusive('\n') {
        // Node's dev error page writes frames on one HTML line separated by <br>.
        for piece in line.split("<br>") {
            if is_frame(language, piece) {
                let start = offset + (piece.as_ptr() as usize - line.as_ptr() as usize);
                // Borrowed when there is no entity to replace (most frames): no copy.
                let cleaned = if piece.contains('&') {
                    std::borrow::Cow::Owned(piece.replace("&nbsp;", " "))
                } else {
                    std::borrow::Cow::Borrowed(piece)
                };
                let trimmed = cleaned.trim();
                let lead = piece.len() - piece.trim_start().len();
                frames.push((start + lead, trimmed.to_owned()));
            }
        }
        offset += line.len();
    }
    let is_library = |f: &str| LIBRARY_FRAMES.contains_any(f);
    // Python prints the failing frame last; others print it first.
    let app_frame = if language.starts_with("Python") {
        frames
            .iter()
            .rev()
            .find(|(_, f)| !is_library(f))
            .or(frames.last())
    } else {
        frames
            .iter()
            .find(|(_, f)| !is_library(f))
            .or(frames.first())
    };
    Some(Trace {
        language,
        at,
        top_frame: app_frame.cloned(),
    })
}

/// `ZeroDivisionError: division by zero`, `TypeError: Cannot read properties of undefined`,
/// `java.lang.NullPointerException: …`: the offset, type and message of the most telling
/// exception line in `body` (Python's last line of a traceback; otherwise the first).
pub(crate) fn exception(body: &str) -> Option<(usize, String, String)> {
    // Django's copy-and-paste view states both plainly.
    if let (Some(at), Some(value_at)) = (
        body.find("Exception Type: "),
        body.find("Exception Value: "),
    ) {
        let line = |from: usize| body[from..].lines().next().unwrap_or("").trim().to_owned();
        let ty = line(at + 16);
        let ty = ty.split(" at /").next().unwrap_or(&ty).to_owned();
        return Some((at, ty, decode_entities(&line(value_at + 17))));
    }
    let mut found: Vec<(usize, String, String)> = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let text = line.trim_end();
        for (rel, _) in text.match_indices(": ").take(3) {
            let before = &text[..rel];
            // The type name is ASCII: it starts after the last byte that cannot be part of it
            // (a byte, so a multi-byte character before it is never cut).
            let start = before
                .bytes()
                .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$')))
                .map_or(0, |i| i + 1);
            let ty = &before[start..];
            let short = ty.rsplit('.').next().unwrap_or(ty);
            let known = short.ends_with("Error")
                || short.ends_with("Exception")
                || matches!(
                    short,
                    "KeyboardInterrupt" | "StopIteration" | "SystemExit" | "panic"
                );
            if known
                && short.len() > 5
                && short
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase() || c == 'p')
            {
                let message = text[rel + 2..]
                    .split("<br>")
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_end_matches(['"', ',', '}'])
                    .trim();
                let message = decode_entities(message);
                found.push((
                    offset + start,
                    ty.to_owned(),
                    crate::knowledge::text::clip(&message, 200),
                ));
                break;
            }
        }
        // `<title>ZeroDivisionError at /boom</title>` (Django's technical 500 page). Most
        // lines have no `<` at all, which a byte search tells sooner than a word search.
        if memchr::memchr(b'<', text.as_bytes()).is_some()
            && let Some(title) = text
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
            && let Some((ty, _)) = title.split_once(" at /")
            && (ty.ends_with("Error") || ty.ends_with("Exception") || ty.ends_with("DoesNotExist"))
        {
            found.push((
                offset + text.find(ty).unwrap_or(0),
                ty.trim().to_owned(),
                String::new(),
            ));
        }
        offset += line.len();
    }
    let python = body.contains("Traceback (most recent call last)");
    let chosen = if python {
        found
            .iter()
            .rev()
            .find(|f| !f.2.is_empty())
            .or(found.last())
    } else {
        found.iter().find(|f| !f.2.is_empty()).or(found.first())
    };
    chosen.cloned()
}

fn decode_entities(text: &str) -> String {
    // Every entity starts with `&`: most messages have none to decode.
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_traceback_names_last_exception_and_app_frame() {
        let body = "Traceback (most recent call last):\n  File \"/usr/lib/python3/site-packages/x.py\", line 1, in run\n  File \"/app/main.py\", line 9, in boom\n    1/0\nZeroDivisionError: division by zero\n";
        let trace = find_trace(body).unwrap();
        assert_eq!(trace.language, "Python");
        assert!(trace.top_frame.unwrap().1.contains("/app/main.py"));
        let (_, ty, message) = exception(body).unwrap();
        assert_eq!(
            (ty.as_str(), message.as_str()),
            ("ZeroDivisionError", "division by zero")
        );
    }

    #[test]
    fn node_frames_in_express_html() {
        let body = "<pre>TypeError: Cannot read properties of undefined (reading &#39;name&#39;)<br> &nbsp; &nbsp;at /app/server.js:12:20<br> &nbsp; &nbsp;at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)</pre>";
        let trace = find_trace(body).unwrap();
        assert_eq!(trace.language, "Node.js");
        assert_eq!(trace.top_frame.unwrap().1, "at /app/server.js:12:20");
        assert_eq!(
            exception(body).unwrap().2,
            "Cannot read properties of undefined (reading 'name')"
        );
    }
}
