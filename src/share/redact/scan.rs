//! Finds secrets in any text, whatever format it is in and whatever surrounds it: header
//! lines (with curl's, wget's, trace dumps' and Markdown's prefixes), `name=value` pairs
//! (query strings, forms, env lines, connection strings), quoted members (JSON, escaped JSON
//! inside a HAR, Python and JavaScript dumps), credentials by scheme, URL passwords,
//! command-line options, multipart fields, XML elements, JWTs and key shapes.
//!
//! Every scanner is one left-to-right pass: forward searches go through [`Next`], which
//! never scans the same bytes twice, so no input makes them quadratic.

use super::RedactOptions;
use super::site::Sites;
use super::values;
use crate::input::curl_command;
use crate::knowledge::jwt;
use crate::knowledge::secrets::{self, Context, NameClass, Strength};
use crate::model::Span;

/// All scanners over `text`.
pub(crate) fn scan(text: &str, options: &RedactOptions, sites: &mut Sites) {
    header_lines(text, options, sites);
    members(text, options, sites);
    schemes(text, options, sites);
    url_passwords(text, sites);
    commands(text, options, sites);
    multipart(text, options, sites);
    xml(text, options, sites);
    jwts(text, options, sites);
    keys(text, sites);
}

/// The next occurrence of a needle at or after a position, remembering the last answer so
/// that searches from increasing positions scan each byte at most once.
struct Next<'a> {
    hay: &'a [u8],
    find: fn(&[u8]) -> Option<usize>,
    /// The last search started here and found `cached` (or nothing after it).
    from: usize,
    cached: Option<usize>,
    searched: bool,
}

impl<'a> Next<'a> {
    fn new(hay: &'a [u8], find: fn(&[u8]) -> Option<usize>) -> Self {
        Next {
            hay,
            find,
            from: 0,
            cached: None,
            searched: false,
        }
    }

    fn at_or_after(&mut self, from: usize) -> Option<usize> {
        if self.searched && from >= self.from && self.cached.is_none_or(|at| from <= at) {
            return self.cached;
        }
        let found = self
            .hay
            .get(from..)
            .and_then(|rest| (self.find)(rest))
            .map(|i| from + i);
        self.from = from;
        self.cached = found;
        self.searched = true;
        found
    }
}

fn find_quote(hay: &[u8]) -> Option<usize> {
    memchr::memchr(b'"', hay)
}
fn find_apostrophe(hay: &[u8]) -> Option<usize> {
    memchr::memchr(b'\'', hay)
}
fn find_escaped_quote(hay: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, b"\\\"")
}
fn find_newline(hay: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', hay)
}
fn find_lt(hay: &[u8]) -> Option<usize> {
    memchr::memchr(b'<', hay)
}

/// The longest name considered (a header, a field, a parameter).
const NAME_MAX: usize = 80;
/// The longest quoted value considered: a PEM key or a long JWT fits, a lost quote does not.
const VALUE_MAX: usize = 64 * 1024;

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']' | b'%' | b'$' | b'@')
}

fn is_header_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

// ---------------------------------------------------------------------------------------
// Header lines: `Name: value`, after whatever prefix the tool or the paste added.

/// The offset where a header line's `Name` starts, after prefixes: indentation (wget -S),
/// `> `/`< ` (curl -v, Markdown quotes), `* ` (curl), `0000: ` (curl --trace-ascii).
fn header_start(line: &[u8]) -> usize {
    let mut i = 0;
    for _ in 0..4 {
        while i < line.len() && is_space(line[i]) {
            i += 1;
        }
        match line.get(i..) {
            Some([b'>' | b'<' | b'*', b' ', ..]) => i += 2,
            Some([b'>' | b'<']) => i += 1,
            Some([h1, h2, h3, h4, b':', b' ', ..])
                if [h1, h2, h3, h4].iter().all(|x| x.is_ascii_hexdigit()) =>
            {
                i += 6;
            }
            _ => break,
        }
    }
    i
}

fn header_lines(text: &str, options: &RedactOptions, sites: &mut Sites) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = find_newline(&bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        let line_end = if line.last() == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        let name_at = start + header_start(line);
        header_line(text, name_at, line_end, options, sites);
        // DevTools' Headers panel copies a name with its colon on one line and the value on
        // the next: `authorization:` / `Bearer …`.
        let name_line = &text[name_at..line_end];
        if let Some(name) = name_line.strip_suffix(':')
            && !name.is_empty()
            && name.len() <= NAME_MAX
            && name.bytes().all(is_header_name_byte)
            && end < bytes.len()
        {
            let value_at = end + 1;
            let value_end = find_newline(&bytes[value_at..]).map_or(bytes.len(), |i| value_at + i);
            let value = text[value_at..value_end].trim_end_matches('\r');
            if !value.ends_with(':') {
                sites.parts_at(
                    values::named_value(name, value, Context::Header, options),
                    value_at,
                );
            }
        }
        // curl 8 echoes request headers as `[name: value]` inside its `*` lines.
        if line.starts_with(b"* [HTTP") {
            bracketed(text, start, line_end, options, sites);
        }
        start = end + 1;
    }
}

fn header_line(
    text: &str,
    name_at: usize,
    line_end: usize,
    options: &RedactOptions,
    sites: &mut Sites,
) {
    let bytes = text.as_bytes();
    let mut colon = name_at;
    while colon < line_end && colon - name_at <= NAME_MAX && is_header_name_byte(bytes[colon]) {
        colon += 1;
    }
    if colon == name_at || colon >= line_end || bytes[colon] != b':' {
        return;
    }
    let name = &text[name_at..colon];
    let value_at = colon + 1;
    let value = &text[value_at..line_end];
    // `name: 'value',` is an object literal (a Node inspect dump), not a header: the member
    // scanner reads the quoted value without its quotes.
    let literal = value.trim().trim_end_matches(',');
    if literal.len() >= 2
        && (literal.starts_with('\'') && literal.ends_with('\'')
            || literal.starts_with('"') && literal.ends_with('"'))
    {
        return;
    }
    // `auth: undefined,` in the same dumps: the comma ends the member, it is not the value.
    let value = value.trim_end().strip_suffix(',').unwrap_or(value);
    sites.parts_at(
        values::named_value(name, value, Context::Header, options),
        value_at,
    );
}

fn bracketed(text: &str, start: usize, end: usize, options: &RedactOptions, sites: &mut Sites) {
    let bytes = &text.as_bytes()[..end];
    let mut at = start;
    while let Some(open) = memchr::memchr(b'[', &bytes[at..]).map(|i| at + i) {
        let Some(close) = memchr::memchr(b']', &bytes[open..]).map(|i| open + i) else {
            return;
        };
        let inner = &text[open + 1..close];
        if let Some(colon) = inner.find(": ") {
            let name = &inner[..colon];
            if !name.is_empty() && name.bytes().all(is_header_name_byte) {
                let value_at = open + 1 + colon + 1;
                sites.parts_at(
                    values::named_value(name, &text[value_at..close], Context::Header, options),
                    value_at,
                );
            }
        }
        at = close + 1;
    }
}

// ---------------------------------------------------------------------------------------
// Members and assignments: `"name": "value"`, `'name': 'value'`, `name: 'value'`,
// `\"name\": \"value\"`, `"name": 1234`, `name=value`, `NAME="value"`, `name => "v"`.

/// How a value is quoted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Double,
    Single,
    /// `\"…\"`: a JSON document inside a JSON string (a HAR body).
    EscapedDouble,
    /// `name=[value]`: Java's printed header maps.
    Bracket,
}

struct Finders<'a> {
    quote: Next<'a>,
    apostrophe: Next<'a>,
    escaped: Next<'a>,
}

/// The end (exclusive) of a quoted value starting at `start`, or `None` when it does not
/// close within [`VALUE_MAX`].
fn closing(bytes: &[u8], start: usize, quote: Quote, finders: &mut Finders) -> Option<usize> {
    let mut at = start;
    loop {
        let end = match quote {
            Quote::Double => finders.quote.at_or_after(at)?,
            Quote::Single => finders.apostrophe.at_or_after(at)?,
            Quote::EscapedDouble => finders.escaped.at_or_after(at)?,
            Quote::None | Quote::Bracket => return None,
        };
        if end - start > VALUE_MAX {
            return None;
        }
        // `"…\"…"`: a quote after an odd run of backslashes is part of the value.
        let backslashes = bytes[start..end]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        let escaped = match quote {
            Quote::EscapedDouble => backslashes % 2 == 0 && backslashes > 0,
            _ => backslashes % 2 == 1,
        };
        if !escaped {
            return Some(end);
        }
        at = end + 1;
    }
}

/// The name before a separator at `sep`: `(name, quoted)`.
fn name_before(text: &str, sep: usize) -> Option<(&str, bool)> {
    let bytes = text.as_bytes();
    let mut end = sep;
    while end > 0 && sep - end < 4 && is_space(bytes[end - 1]) {
        end -= 1;
    }
    if end == 0 {
        return None;
    }
    let quote = bytes[end - 1];
    if quote == b'"' || quote == b'\'' {
        let escaped = quote == b'"' && end >= 2 && bytes[end - 2] == b'\\';
        let close = if escaped { end - 2 } else { end - 1 };
        let mut open = close;
        while open > 0 && close - open <= NAME_MAX {
            open -= 1;
            if bytes[open] == quote {
                let name_start = open + 1;
                let open = if escaped {
                    if open == 0 || bytes[open - 1] != b'\\' {
                        return None;
                    }
                    name_start
                } else {
                    name_start
                };
                return Some((&text[open..close], true));
            }
            if bytes[open] == b'\n' {
                return None;
            }
        }
        return None;
    }
    let mut start = end;
    while start > 0 && end - start < NAME_MAX && is_name_byte(bytes[start - 1]) {
        start -= 1;
    }
    (start < end).then(|| (&text[start..end], false))
}

fn members(text: &str, options: &RedactOptions, sites: &mut Sites) {
    let bytes = text.as_bytes();
    let mut finders = Finders {
        quote: Next::new(bytes, find_quote),
        apostrophe: Next::new(bytes, find_apostrophe),
        escaped: Next::new(bytes, find_escaped_quote),
    };
    let mut skip_until = 0;
    let mut i = 0;
    while let Some(found) = memchr::memchr2(b':', b'=', &bytes[i..]) {
        let sep = i + found;
        i = sep + 1;
        if sep < skip_until {
            continue;
        }
        let mut value_at = sep + 1;
        match (bytes[sep], bytes.get(value_at)) {
            (b':', Some(b':' | b'/')) => continue,
            (b':', Some(b'=')) | (b'=', Some(b'=' | b'>')) => value_at += 1,
            _ => {}
        }
        let Some((name, quoted_name)) = name_before(text, sep) else {
            continue;
        };
        while value_at < bytes.len() && value_at - sep <= 4 && is_space(bytes[value_at]) {
            value_at += 1;
        }
        let quote = match bytes.get(value_at..) {
            Some([b'\\', b'"', ..]) => Quote::EscapedDouble,
            Some([b'"', ..]) => Quote::Double,
            Some([b'\'', ..]) => Quote::Single,
            Some([b'[', ..]) if bytes[sep] == b'=' => Quote::Bracket,
            _ => Quote::None,
        };
        let context = if bytes[sep] == b'=' && !quoted_name && quote == Quote::None {
            Context::Form
        } else {
            Context::Json
        };
        let class = secrets::classify_name(name, context);
        let authorization = name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("proxy-authorization")
            || name.eq_ignore_ascii_case("cookie");
        if class == NameClass::NotSecret && !authorization {
            continue;
        }
        let (start, end) = match quote {
            Quote::None => {
                let start = value_at;
                let mut end = start;
                while end < bytes.len()
                    && !matches!(
                        bytes[end],
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b'&'
                            | b';'
                            | b','
                            | b'"'
                            | b'\''
                            | b'<'
                            | b'>'
                            | b'\\'
                            | b'#'
                            | b')'
                            | b']'
                            | b'}'
                            | b'|'
                    )
                {
                    end += 1;
                }
                // `name: value` with an unquoted value is a header line or prose; header
                // lines have their own scanner. Only `=` assignments and numbers under
                // password-like names are read here.
                let number = end > start && bytes[start..end].iter().all(u8::is_ascii_digit);
                if bytes[sep] == b':' && !(class == NameClass::Password && quoted_name && number) {
                    continue;
                }
                (start, end)
            }
            Quote::Double | Quote::Single => {
                let start = value_at + 1;
                let Some(end) = closing(bytes, start, quote, &mut finders) else {
                    continue;
                };
                (start, end)
            }
            Quote::EscapedDouble => {
                let start = value_at + 2;
                let Some(end) = closing(bytes, start, quote, &mut finders) else {
                    continue;
                };
                (start, end)
            }
            Quote::Bracket => {
                // Up to the `]` on the same line (values do not hold one).
                let start = value_at + 1;
                let window = &bytes[start..bytes.len().min(start + VALUE_MAX)];
                let Some(close) =
                    memchr::memchr2(b']', b'\n', window).filter(|c| window[*c] == b']')
                else {
                    continue;
                };
                (start, start + close)
            }
        };
        skip_until = end;
        let value = &text[start..end];
        let parts = if authorization {
            values::named_value(name, value, Context::Header, options)
        } else {
            let kind = match context {
                Context::Form => format!("parameter {}", name.trim_start_matches('-')),
                _ => format!("field {name}"),
            };
            values::plain(value, class, context, &kind, options)
        };
        sites.parts_at(parts, start);
    }
}

// ---------------------------------------------------------------------------------------
// Credentials by scheme, wherever they are written (a console dump, prose, a URL).

fn schemes(text: &str, options: &RedactOptions, sites: &mut Sites) {
    static SCHEMES: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    #[allow(clippy::expect_used, reason = "built from constant patterns")]
    let automaton = SCHEMES.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "bearer ",
                "basic ",
                "token ",
                "bearer%20",
                "basic%20",
                "bearer+",
                "bearer\t",
            ])
            .expect("valid patterns")
    });
    let bytes = text.as_bytes();
    for hit in automaton.find_iter(text) {
        if hit.start() > 0 && bytes[hit.start() - 1].is_ascii_alphanumeric() {
            continue;
        }
        let start = hit.end();
        let mut end = start;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || b"._~+/=-".contains(&bytes[end]))
        {
            end += 1;
        }
        let token = &text[start..end];
        if !secrets::looks_like_credential(token) {
            continue;
        }
        let scheme = text[hit.start()..hit.end()]
            .trim_end_matches([' ', '\t', '+'])
            .to_owned();
        let kind = format!("{} credential", scheme.trim_end_matches("%20"));
        let value = format!("{} {token}", scheme.trim_end_matches("%20"));
        let parts = values::credential(&value, &kind, options);
        let offset = start - (value.len() - token.len());
        for part in parts {
            // Parts are relative to `Scheme token`; only the token is in the text as is.
            if part.start >= value.len() - token.len() {
                sites.push(part.at(offset));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Passwords and tokens in URLs: `scheme://user:password@host`, `https://TOKEN@host`.

fn url_passwords(text: &str, sites: &mut Sites) {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices("://") {
        let authority_start = at + 3;
        let mut end = authority_start;
        while end < bytes.len() && end - authority_start < 512 {
            match bytes[end] {
                b'/' | b'?' | b'#' | b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'<' | b'>'
                | b'\\' | b'`' => break,
                _ => end += 1,
            }
        }
        let authority = &text[authority_start..end];
        let Some(userinfo_end) = authority.rfind('@') else {
            continue;
        };
        let userinfo = &authority[..userinfo_end];
        match userinfo.find(':') {
            Some(colon) => {
                let password = &userinfo[colon + 1..];
                if !password.is_empty() && !secrets::is_mask(password) {
                    let start = authority_start + colon + 1;
                    let strength = values::strength_of(password);
                    sites.secret(
                        Span::new(start, start + password.len()),
                        password,
                        strength,
                        "password in URL",
                    );
                }
            }
            None if secrets::looks_like_credential(userinfo) => {
                sites.secret(
                    Span::new(authority_start, authority_start + userinfo.len()),
                    userinfo,
                    Strength::Strong,
                    "token in URL",
                );
            }
            None => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Command lines: `curl -u user:pass`, `-U proxyuser:pass`, `-E cert.pem:pass`,
// `--oauth2-bearer`, `-H 'Name: value'`, `-b 'a=b'`, wget's and HTTPie's options.

/// Where a command that takes credentials starts in `line`.
fn command_at(line: &str) -> Option<usize> {
    const COMMANDS: &[&str] = &["curl ", "curl.exe ", "wget ", "http ", "https ", "httpie "];
    COMMANDS
        .iter()
        .filter_map(|c| {
            line.match_indices(c)
                .find(|(at, _)| *at == 0 || !line.as_bytes()[*at - 1].is_ascii_alphanumeric())
                .map(|(at, _)| at)
        })
        .min()
}

fn commands(text: &str, options: &RedactOptions, sites: &mut Sites) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = find_newline(&bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &text[start..end];
        let Some(at) = command_at(line) else {
            start = end + 1;
            continue;
        };
        let (words, consumed) = curl_command::words(&text[start + at..], start + at);
        command_words(text, &words, options, sites);
        // A command continues over `\`-newlines; the next line to look at is after it.
        start = (start + at + consumed).max(end + 1);
    }
}

/// Where a quoted word's value sits in the input, when the quotes only surround it
/// (`'Authorization: Bearer x'`, `--header="X-Key: y"`): then it maps byte for byte.
fn located(text: &str, word_span: Span, value: &str) -> Option<Span> {
    let raw = text.get(word_span.start..word_span.end)?;
    let at = raw.find(value)?;
    (raw[at + 1..].find(value).is_none() && !value.is_empty())
        .then(|| Span::new(word_span.start + at, word_span.start + at + value.len()))
}

fn command_words(
    text: &str,
    words: &[curl_command::Word],
    options: &RedactOptions,
    sites: &mut Sites,
) {
    let mut iter = words.iter().peekable();
    while let Some(word) = iter.next() {
        let arg = word.text.as_str();
        let (flag, attached) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (arg, None),
        };
        // Short options may carry their value attached: `-uuser:pass`.
        let (flag, attached_short) = if attached.is_none()
            && arg.len() > 2
            && arg.starts_with('-')
            && !arg.starts_with("--")
            && arg.is_char_boundary(2)
            && matches!(&arg[..2], "-u" | "-U" | "-E" | "-H" | "-b" | "-a")
        {
            (&arg[..2], Some(&arg[2..]))
        } else {
            (flag, None)
        };
        let takes_value = matches!(
            flag,
            "-u" | "--user"
                | "-U"
                | "--proxy-user"
                | "-a"
                | "--auth"
                | "-E"
                | "--cert"
                | "--oauth2-bearer"
                | "-H"
                | "--header"
                | "-b"
                | "--cookie"
                | "--password"
                | "--http-password"
                | "--proxy-password"
                | "--ftp-password"
                | "--pass"
                | "--key-password"
        );
        if !takes_value {
            // HTTPie request items: `Authorization:Bearer x`, `X-API-Key:abc`.
            if let Some((name, value)) = arg.split_once(':')
                && !arg.starts_with('-')
                && !name.is_empty()
                && name.bytes().all(is_header_name_byte)
                && !value.starts_with('/')
                && !value.starts_with('=')
                && word.verbatim
            {
                sites.parts_at(
                    values::named_value(name, value, Context::Header, options),
                    word.span.start + name.len() + 1,
                );
            }
            continue;
        }
        // The value: attached (`--user=a:b`, `-ua:b`), or the next word.
        let (value, value_span, verbatim) = match attached.or(attached_short) {
            Some(value) if word.verbatim => {
                let offset = arg.len() - value.len();
                (
                    value,
                    Span::new(word.span.start + offset, word.span.end),
                    true,
                )
            }
            Some(value) => match located(text, word.span, value) {
                Some(span) => (value, span, true),
                None => (value, word.span, false),
            },
            None => match iter.next() {
                Some(next) if next.verbatim => (next.text.as_str(), next.span, true),
                Some(next) => match located(text, next.span, &next.text) {
                    Some(span) => (next.text.as_str(), span, true),
                    None => (next.text.as_str(), next.span, false),
                },
                None => continue,
            },
        };
        let kind = format!("{flag} option");
        let whole = |sites: &mut Sites| {
            sites.secret(value_span, value, values::strength_of(value), &kind);
        };
        match flag {
            "-u" | "--user" | "-U" | "--proxy-user" | "-a" | "--auth" | "-E" | "--cert" => {
                // `user:password` (`file:password` for a certificate): the part after the
                // first colon; a Windows path's drive letter is not a separator.
                let skip_drive = usize::from(
                    value.len() > 2
                        && value.as_bytes()[1] == b':'
                        && value.as_bytes()[0].is_ascii_alphabetic(),
                ) * 2;
                let Some(colon) = value[skip_drive..].find(':').map(|c| c + skip_drive) else {
                    continue;
                };
                let password = &value[colon + 1..];
                if password.is_empty() {
                    continue;
                }
                if verbatim {
                    let start = value_span.start + colon + 1;
                    sites.secret(
                        Span::new(start, start + password.len()),
                        password,
                        values::strength_of(password),
                        &format!("password in {flag}"),
                    );
                } else {
                    whole(sites);
                }
            }
            "-H" | "--header" => {
                if let Some((name, header_value)) = value.split_once(':') {
                    let parts = values::named_value(name, header_value, Context::Header, options);
                    if verbatim {
                        sites.parts_at(parts, value_span.start + name.len() + 1);
                    } else if !parts.is_empty() {
                        whole(sites);
                    }
                }
            }
            "-b" | "--cookie" => {
                if value.contains('=') {
                    let parts = values::cookies(value, options);
                    if verbatim {
                        sites.parts_at(parts, value_span.start);
                    } else if !parts.is_empty() {
                        whole(sites);
                    }
                }
            }
            _ => whole(sites),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Multipart fields: `Content-Disposition: form-data; name="password"`, blank line, value.

fn multipart(text: &str, options: &RedactOptions, sites: &mut Sites) {
    let bytes = text.as_bytes();
    let mut blank_crlf = Next::new(bytes, |h| memchr::memmem::find(h, b"\r\n\r\n"));
    let mut blank_lf = Next::new(bytes, |h| memchr::memmem::find(h, b"\n\n"));
    let mut blank_escaped = Next::new(bytes, |h| memchr::memmem::find(h, b"\\r\\n\\r\\n"));
    let mut next_line = Next::new(bytes, |h| memchr::memchr2(b'\r', b'\n', h));
    let mut next_escaped_line = Next::new(bytes, |h| memchr::memmem::find(h, b"\\r\\n"));
    for (at, needle) in text.match_indices("form-data; name=") {
        let mut i = at + needle.len();
        let escaped = bytes.get(i) == Some(&b'\\');
        i += usize::from(escaped);
        if bytes.get(i) != Some(&b'"') {
            continue;
        }
        let name_start = i + 1;
        let Some(name_end) = memchr::memchr(
            b'"',
            &bytes[name_start..(name_start + NAME_MAX).min(bytes.len())],
        )
        .map(|e| name_start + e) else {
            continue;
        };
        let name_end = if escaped {
            name_end.saturating_sub(1)
        } else {
            name_end
        };
        let name = &text[name_start..name_end];
        let class = secrets::classify_name(name, Context::Form);
        if class == NameClass::NotSecret {
            continue;
        }
        let (value_start, value_end) = if escaped {
            let Some(blank) = blank_escaped.at_or_after(name_end) else {
                continue;
            };
            let start = blank + 8;
            (
                start,
                next_escaped_line.at_or_after(start).unwrap_or(bytes.len()),
            )
        } else {
            let blank = match (
                blank_crlf.at_or_after(name_end),
                blank_lf.at_or_after(name_end),
            ) {
                (Some(a), Some(b)) if b < a => b + 2,
                (Some(a), _) => a + 4,
                (None, Some(b)) => b + 2,
                (None, None) => continue,
            };
            (blank, next_line.at_or_after(blank).unwrap_or(bytes.len()))
        };
        if value_end <= value_start || value_end - value_start > VALUE_MAX {
            continue;
        }
        let value = &text[value_start..value_end];
        sites.parts_at(
            values::plain(
                value,
                class,
                Context::Form,
                &format!("form field {name}"),
                options,
            ),
            value_start,
        );
    }
}

// ---------------------------------------------------------------------------------------
// XML elements: `<password>hunter2</password>`, `<SecretAccessKey>…</SecretAccessKey>`.

fn xml(text: &str, options: &RedactOptions, sites: &mut Sites) {
    let bytes = text.as_bytes();
    let mut lt = Next::new(bytes, find_lt);
    let mut at = 0;
    while let Some(open) = lt.at_or_after(at) {
        at = open + 1;
        let name_start = open + 1;
        let mut name_end = name_start;
        while name_end < bytes.len()
            && name_end - name_start < NAME_MAX
            && (bytes[name_end].is_ascii_alphanumeric()
                || matches!(bytes[name_end], b'_' | b'-' | b':'))
        {
            name_end += 1;
        }
        if name_end == name_start || bytes.get(name_end) != Some(&b'>') {
            continue;
        }
        let name = &text[name_start..name_end];
        let class = secrets::classify_name(name.rsplit(':').next().unwrap_or(name), Context::Json);
        if class == NameClass::NotSecret {
            continue;
        }
        let value_start = name_end + 1;
        let Some(value_end) = lt.at_or_after(value_start) else {
            return;
        };
        if bytes.get(value_end + 1) != Some(&b'/') || value_end - value_start > VALUE_MAX {
            continue;
        }
        let value = &text[value_start..value_end];
        sites.parts_at(
            values::plain(
                value,
                class,
                Context::Json,
                &format!("element {name}"),
                options,
            ),
            value_start,
        );
        at = value_end;
    }
}

// ---------------------------------------------------------------------------------------
// Shapes: JWTs (signature only, unless claims are redacted too) and well-known keys (the
// prefix that says what they are stays).

fn jwts(text: &str, options: &RedactOptions, sites: &mut Sites) {
    for (start, end) in jwt::find_tokens(text) {
        if let Some(parts) = values::jwt_parts(&text[start..end], 0, "JWT", options) {
            sites.parts_at(parts, start);
        }
    }
}

fn keys(text: &str, sites: &mut Sites) {
    for key in secrets::find_keys(text) {
        let secret_start = key.start + key.keep;
        let value = &text[secret_start..key.end];
        if value.is_empty() || secrets::is_mask(value) {
            continue;
        }
        sites.secret(
            Span::new(secret_start, key.end),
            value,
            Strength::Strong,
            key.what,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        let mut sites = Sites::default();
        scan(text, &RedactOptions::default(), &mut sites);
        super::super::site::apply(text, sites.list).0
    }

    #[test]
    fn finds_what_surrounds_a_paste() {
        let out = masked(
            "> Authorization: Bearer opaque-tok-9f8e7d6c5b4a\r\n< Set-Cookie: sid=abcdef123456; Path=/\n* [HTTP/2] [1] [x-api-key: xk-5544332211]\n",
        );
        assert!(
            !out.contains("opaque-tok")
                && !out.contains("abcdef123456")
                && !out.contains("xk-5544332211"),
            "{out}"
        );
        let out = masked(
            "$ curl -u alice:hunter2secret -U proxy:pr0xy-pass -E client.pem:certpass1 https://x.test/",
        );
        assert!(
            out.contains("alice:")
                && !out.contains("hunter2secret")
                && !out.contains("pr0xy-pass")
                && !out.contains("certpass1"),
            "{out}"
        );
        let out = masked(
            r#"{"accessToken": "at-123456789", "nested": {"clientSecret": "cs-998877"}, "key": "email", "password": 98765432}"#,
        );
        assert!(
            !out.contains("at-123456789")
                && !out.contains("cs-998877")
                && out.contains("\"email\"")
                && !out.contains("98765432"),
            "{out}"
        );
        let out = masked(r#"{"text": "{\"refresh_token\": \"rt-1122334455\"}"}"#);
        assert!(!out.contains("rt-1122334455"), "{out}");
        let out = masked(
            "  auth: { username: 'alice', password: 'hunter2hunter2' },\nAPI_KEY=\"sk-abc\" password = hunter2",
        );
        assert!(!out.contains("hunter2hunter2"), "{out}");
        let out = masked("user[password]=p4ssw0rd99&new_password=n3wpass99&consent=true");
        assert!(
            !out.contains("p4ssw0rd99")
                && !out.contains("n3wpass99")
                && out.contains("consent=true"),
            "{out}"
        );
        let out = masked(
            "https://ghp_ABCDEFGHIJKLMNOP1234567890abcd@github.com/x and https://user:urlpass-778899@h/",
        );
        assert!(
            !out.contains("urlpass") && !out.contains("ABCDEFGHIJ"),
            "{out}"
        );
        let out = masked("The token provided is invalid; error=invalid_token");
        assert_eq!(out, "The token provided is invalid; error=invalid_token");
    }

    #[test]
    fn linear_on_adversarial_shapes() {
        // Each of these was quadratic (or worse) in an earlier version; they must finish.
        for text in [
            "key=".repeat(50_000),
            "\"password\":'".repeat(20_000),
            "curl -H \\\n".repeat(20_000),
            "form-data; name=\"password\"".repeat(10_000),
            "<password>".repeat(20_000),
        ] {
            masked(&text);
        }
    }
}
