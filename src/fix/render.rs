//! The fixed request written out: a `curl` command for a POSIX shell and a `fetch(…)` call,
//! as segments with the changed ones marked. Each value is quoted as a whole, however many
//! pieces it has, so what is copied is exactly what is shown.

use super::Segment;
use super::draft::{Draft, Piece};

/// Segments being written; neighbours with the same mark are joined.
#[derive(Default)]
struct Writer {
    segments: Vec<Segment>,
}

impl Writer {
    fn put(&mut self, text: &str, changed: bool) {
        if text.is_empty() {
            return;
        }
        match self.segments.last_mut() {
            Some(last) if last.changed == changed => last.text.push_str(text),
            _ => self.segments.push(Segment {
                text: text.to_owned(),
                changed,
            }),
        }
    }

    fn plain(&mut self, text: &str) {
        self.put(text, false);
    }
}

/// Characters that keep a special meaning inside a shell's double quotes (`!` is history
/// expansion in an interactive bash).
fn special_in_double_quotes(text: &str) -> bool {
    text.contains(['"', '\\', '$', '`', '!'])
}

/// Text for inside single quotes: a quote closes, is escaped, and reopens.
fn single_quoted_inner(text: &str) -> String {
    text.replace('\'', r"'\''")
}

/// One shell word from `pieces`: single quotes for text, `$NAME` in double quotes for a
/// variable (single quotes would send `$NAME` literally).
fn shell_word(out: &mut Writer, pieces: &[Piece]) {
    let has_var = pieces.iter().any(|p| matches!(p, Piece::Var { .. }));
    if !has_var {
        out.plain("'");
        for piece in pieces {
            if let Piece::Text { text, changed } = piece {
                out.put(&single_quoted_inner(text), *changed);
            }
        }
        out.plain("'");
        return;
    }
    let plain_texts = pieces.iter().all(|p| match p {
        Piece::Text { text, .. } => !special_in_double_quotes(text),
        Piece::Var { .. } => true,
    });
    if plain_texts {
        out.plain("\"");
        for (i, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Text { text, changed } => out.put(text, *changed),
                Piece::Var { name } => {
                    // `${NAME}` when a name character follows, which would lengthen the name.
                    let glued = matches!(pieces.get(i + 1), Some(Piece::Text { text, .. })
                        if text.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
                    if glued {
                        out.plain(&format!("${{{name}}}"));
                    } else {
                        out.plain(&format!("${name}"));
                    }
                }
            }
        }
        out.plain("\"");
        return;
    }
    for piece in pieces {
        match piece {
            Piece::Text { text, changed } => {
                out.plain("'");
                out.put(&single_quoted_inner(text), *changed);
                out.plain("'");
            }
            Piece::Var { name } => out.plain(&format!("\"${name}\"")),
        }
    }
}

/// Text for inside a JavaScript string literal delimited by `quote`.
fn js_escaped(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            '$' if quote == '`' && chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// One JavaScript string from `pieces`: a template literal when a variable is in it.
fn js_string(out: &mut Writer, pieces: &[Piece]) {
    let has_var = pieces.iter().any(|p| matches!(p, Piece::Var { .. }));
    let quote = if has_var { '`' } else { '\'' };
    let quote_text = quote.to_string();
    out.plain(&quote_text);
    for piece in pieces {
        match piece {
            Piece::Text { text, changed } => out.put(&js_escaped(text, quote), *changed),
            Piece::Var { name } => out.plain(&format!("${{{name}}}")),
        }
    }
    out.plain(&quote_text);
}

/// The header line `name: value` as pieces.
fn header_pieces(name: &str, added: bool, value: &[Piece]) -> Vec<Piece> {
    let mut pieces = vec![Piece::text(format!("{name}: "), added)];
    pieces.extend(value.iter().cloned().map(|p| match p {
        Piece::Text { text, changed } => Piece::text(text, changed || added),
        var @ Piece::Var { .. } => var,
    }));
    pieces
}

const CONTINUE: &str = " \\\n  ";

pub(super) fn curl(draft: &Draft) -> Vec<Segment> {
    let mut out = Writer::default();
    if let Some(secs) = draft.wait {
        out.put(&format!("sleep {secs} && "), true);
    }
    out.plain("curl");
    let implied = if draft.body.is_some() { "POST" } else { "GET" };
    if draft.method == "HEAD" {
        out.put(" --head", draft.method_changed);
    } else if draft.method != implied || draft.method_changed {
        out.plain(" ");
        out.put(&format!("-X {}", draft.method), draft.method_changed);
    }
    out.plain(" ");
    shell_word(&mut out, &draft.url);
    for header in &draft.headers {
        out.plain(CONTINUE);
        out.put("-H", header.added);
        out.put(" ", header.added);
        shell_word(
            &mut out,
            &header_pieces(&header.name, header.added, &header.value),
        );
    }
    if let Some(body) = &draft.body {
        out.plain(CONTINUE);
        out.plain("--data-raw ");
        shell_word(&mut out, body);
    }
    out.segments
}

pub(super) fn fetch(draft: &Draft) -> Vec<Segment> {
    let mut out = Writer::default();
    if let Some(secs) = draft.wait {
        out.put(
            &format!(
                "await new Promise((resolve) => setTimeout(resolve, {}));\n",
                secs.saturating_mul(1000)
            ),
            true,
        );
    }
    out.plain("await fetch(");
    js_string(&mut out, &draft.url);
    let cookie = draft
        .headers
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("cookie"));
    // A page cannot set Cookie; it sends the browser's cookies for the origin when asked.
    let headers: Vec<_> = draft
        .headers
        .iter()
        .filter(|h| !h.name.eq_ignore_ascii_case("cookie"))
        .collect();
    let method = draft.method != "GET" || draft.method_changed;
    if !method && headers.is_empty() && draft.body.is_none() && !cookie {
        out.plain(");");
        return out.segments;
    }
    out.plain(", {\n");
    if method {
        out.plain("  method: ");
        out.put(&format!("'{}'", draft.method), draft.method_changed);
        out.plain(",\n");
    }
    if !headers.is_empty() {
        out.plain("  headers: {\n");
        for header in headers {
            out.plain("    ");
            js_string(&mut out, &[Piece::text(&header.name, header.added)]);
            out.put(": ", header.added);
            let value: Vec<Piece> = header
                .value
                .iter()
                .cloned()
                .map(|p| match p {
                    Piece::Text { text, changed } => Piece::text(text, changed || header.added),
                    var @ Piece::Var { .. } => var,
                })
                .collect();
            js_string(&mut out, &value);
            out.plain(",\n");
        }
        out.plain("  },\n");
    }
    if let Some(body) = &draft.body {
        out.plain("  body: ");
        js_string(&mut out, body);
        out.plain(",\n");
    }
    if cookie {
        out.plain("  credentials: 'include',\n");
    }
    out.plain("});");
    out.segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(pieces: &[Piece]) -> String {
        let mut out = Writer::default();
        shell_word(&mut out, pieces);
        super::super::joined(&out.segments)
    }

    fn js(pieces: &[Piece]) -> String {
        let mut out = Writer::default();
        js_string(&mut out, pieces);
        super::super::joined(&out.segments)
    }

    fn text(t: &str) -> Piece {
        Piece::text(t, false)
    }

    fn var(name: &str) -> Piece {
        Piece::Var { name: name.into() }
    }

    /// What a POSIX shell makes of `word`: the argument it passes (run through `sh`).
    #[cfg(unix)]
    fn through_sh(word: &str, env: &[(&str, &str)]) -> String {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {word}"))
            .envs(env.iter().copied())
            .output()
            .expect("sh runs");
        String::from_utf8(output.stdout).expect("utf-8")
    }

    #[test]
    fn single_quotes_hold_anything_but_a_single_quote() {
        assert_eq!(word(&[text("it's")]), r"'it'\''s'");
        assert_eq!(word(&[text("")]), "''");
        assert_eq!(
            word(&[text("a\nb $HOME `x` \"q\" é ✓")]),
            "'a\nb $HOME `x` \"q\" é ✓'"
        );
    }

    #[test]
    fn variables_expand_and_text_stays_literal() {
        assert_eq!(word(&[text("Bearer "), var("TOKEN")]), "\"Bearer $TOKEN\"");
        assert_eq!(word(&[var("TOKEN"), text("_x")]), "\"${TOKEN}_x\"");
        assert_eq!(
            word(&[text("{\"password\": \""), var("PASSWORD"), text("\"}")]),
            r#"'{"password": "'"$PASSWORD"'"}'"#
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_shell_reads_back_what_was_meant() {
        let env = [("TOKEN", "t0k'en\"$x")];
        for pieces in [
            vec![text("it's a 'quote'")],
            vec![text("line\nbreak\ttab")],
            vec![text("unicode é ✓ 😀 and \\ backslash")],
            vec![text("$HOME `id` !x")],
            vec![text("Bearer "), var("TOKEN")],
            vec![
                text("{\"p\": \"it's\", \"t\": \""),
                var("TOKEN"),
                text("\"}"),
            ],
            vec![var("TOKEN"), text("_suffix")],
        ] {
            let expected: String = pieces
                .iter()
                .map(|p| match p {
                    Piece::Text { text, .. } => text.clone(),
                    Piece::Var { .. } => env[0].1.to_owned(),
                })
                .collect();
            assert_eq!(through_sh(&word(&pieces), &env), expected, "{pieces:?}");
        }
    }

    #[test]
    fn javascript_strings_escape_what_would_end_or_break_them() {
        assert_eq!(js(&[text("it's\n")]), r"'it\'s\n'");
        assert_eq!(js(&[text("a\\b\u{2028}\u{1}")]), r"'a\\b\u2028\u0001'");
        assert_eq!(js(&[text("Bearer "), var("TOKEN")]), "`Bearer ${TOKEN}`");
        assert_eq!(js(&[text("`${x}` "), var("T")]), r"`\`\${x}\` ${T}`");
        assert_eq!(js(&[text("é ✓")]), "'é ✓'");
    }
}
