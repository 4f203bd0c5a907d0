//! Node's `util.inspect` output: what `console.log(error)` prints for an axios error, a fetch
//! `Response` or an Error with a `[cause]`. It looks like JavaScript but is not JSON (keys
//! unquoted, strings in single quotes, `[Function: x]`, `<ref *1>`, `[Object: null prototype]`),
//! and pastes are often cut off. The parser is tolerant: it keeps what it could read, never
//! fails, and runs in one pass over the text.

use crate::model::Span;

/// One value of the dump, with where it is in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// `{ key: value, … }` with the words before it (`Object [AxiosHeaders]`, `Headers`).
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Str(String),
    /// An Error as a value (`[cause]: Error: socket hang up\n at … { code: … }`): its first
    /// line and its own properties.
    Error {
        message: String,
        props: Vec<(String, Node)>,
    },
    /// Numbers, `true`, `null`, `undefined`, `[Function: x]`, `[Object]` …: as written.
    Atom(String),
}

impl Node {
    /// The member `key` of an object (or of an error's properties).
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.members()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub(crate) fn members(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Object(members) | Value::Error { props: members, .. } => members,
            _ => &[],
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A string or a number, as text.
    pub(crate) fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) | Value::Atom(s) => Some(s),
            _ => None,
        }
    }

    /// The value as JSON: what a parsed body looked like before `util.inspect` printed it.
    /// `undefined`, functions and references have no JSON form and become `null`.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Object(members) => J::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Str(s) => J::String(s.clone()),
            Value::Error { message, .. } => J::String(message.clone()),
            Value::Atom(a) => match a.as_str() {
                "true" => J::Bool(true),
                "false" => J::Bool(false),
                _ => serde_json::from_str::<serde_json::Number>(a).map_or(J::Null, J::Number),
            },
        }
    }
}

/// Nesting beyond this is read as an atom: real dumps stop at depth 2 to 4 (`[Object]`).
const MAX_DEPTH: usize = 48;

/// How far a decision about a line's shape looks ahead.
const LOOKAHEAD: usize = 240;

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    /// The rest of the current line, at most [`LOOKAHEAD`] bytes: the decisions made from a
    /// line's shape look this far, so a huge one-line dump stays linear.
    fn line_ahead(&self) -> &str {
        let rest = self.rest();
        let rest = &rest[..rest.floor_char_boundary(LOOKAHEAD)];
        rest.split('\n').next().unwrap_or("")
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// `'…'`, `"…"` or `` `…` `` with backslash escapes; `'a' +\n 'b'` joins (older Node split
    /// long strings that way).
    fn string(&mut self) -> Option<String> {
        let mut out = String::new();
        loop {
            let quote = self.peek().filter(|q| matches!(q, b'\'' | b'"' | b'`'))?;
            self.at += 1;
            let mut chars = self.rest().char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some((_, 'n')) => out.push('\n'),
                        Some((_, 't')) => out.push('\t'),
                        Some((_, 'r')) => out.push('\r'),
                        Some((_, other)) => out.push(other),
                        None => {}
                    }
                } else if c as u32 == u32::from(quote) {
                    end = Some(i + 1);
                    break;
                } else {
                    out.push(c);
                }
            }
            // A string cut off by the end of the paste keeps what it had.
            self.at = end.map_or(self.text.len(), |e| self.at + e);
            let save = self.at;
            self.skip_space();
            if self.peek() == Some(b'+') {
                self.at += 1;
                self.skip_space();
                if matches!(self.peek(), Some(b'\'' | b'"' | b'`')) {
                    continue;
                }
            }
            self.at = save;
            return Some(out);
        }
    }

    /// A key: an identifier, a quoted name, or `[Symbol(x)]`/`[cause]`.
    fn key(&mut self) -> Option<String> {
        self.skip_space();
        match self.peek()? {
            b'\'' | b'"' => self.string(),
            b'[' => {
                let end = self.line_ahead().find(']')?;
                let key = self.rest()[..=end].to_owned();
                self.at += end + 1;
                Some(key)
            }
            _ => {
                let len = self
                    .rest()
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(self.rest().len());
                (len > 0).then(|| {
                    let key = self.rest()[..len].to_owned();
                    self.at += len;
                    key
                })
            }
        }
    }

    /// A bracketed atom such as `[Function: x]`, `[class Blob]`, `[Circular *1]`, `[Object]`,
    /// `[Object: null prototype]`: it starts with a letter right after the bracket.
    fn bracket_atom(&mut self) -> Option<String> {
        let rest = self.line_ahead();
        if !rest.starts_with('[') || !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        // `[Object [AxiosHeaders]]` nests one level.
        let mut depth = 0usize;
        for (i, c) in rest.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        let atom = rest[..=i].to_owned();
                        self.at += i + 1;
                        return Some(atom);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn value(&mut self, depth: usize) -> Node {
        self.skip_space();
        let start = self.at;
        let value = self.value_inner(depth);
        Node {
            value,
            span: Span::new(start, self.at.max(start)),
        }
    }

    fn value_inner(&mut self, depth: usize) -> Value {
        // Words and markers before an object: `<ref *1> ClientRequest {`, `Headers {`,
        // `[Object: null prototype] {`, `Object [AxiosHeaders] {`.
        loop {
            self.skip_space();
            let rest = self.rest();
            if rest.starts_with("<ref *") {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                self.at += end;
                continue;
            }
            if let Some(error) = self.error_value(depth) {
                return error;
            }
            let save = self.at;
            if let Some(atom) = self.bracket_atom() {
                let after = self.at;
                self.skip_space();
                if matches!(self.peek(), Some(b'{' | b'['))
                    || self.rest().starts_with(|c: char| c.is_ascii_alphabetic())
                        && self.word_then_brace()
                {
                    continue;
                }
                self.at = after;
                return Value::Atom(atom);
            }
            self.at = save;
            if self.rest().starts_with(|c: char| c.is_ascii_alphabetic()) && self.word_then_brace()
            {
                let len = self.rest().find([' ', '{']).unwrap_or(0);
                self.at += len;
                continue;
            }
            break;
        }
        match self.peek() {
            Some(b'{') if depth < MAX_DEPTH => {
                self.at += 1;
                Value::Object(self.members(depth + 1, b'}'))
            }
            Some(b'[') if depth < MAX_DEPTH => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.peek() {
                        None => break,
                        Some(b']') => {
                            self.at += 1;
                            break;
                        }
                        Some(b',') => self.at += 1,
                        Some(_) => {
                            let before = self.at;
                            items.push(self.value(depth + 1));
                            if self.at == before {
                                self.at += self.rest().chars().next().map_or(1, char::len_utf8);
                            }
                        }
                    }
                }
                Value::Array(items)
            }
            Some(b'\'' | b'"' | b'`') => Value::Str(self.string().unwrap_or_default()),
            _ => {
                let len = self
                    .rest()
                    .find([',', '\n', '}', ']'])
                    .unwrap_or(self.rest().len());
                let atom = self.rest()[..len].trim().to_owned();
                self.at += len;
                Value::Atom(atom)
            }
        }
    }

    /// Whether the text at the cursor is a word (and more words) then ` {` on the same line:
    /// `Headers {`, `Object [AxiosHeaders] {`, `ClientRequest {`.
    fn word_then_brace(&self) -> bool {
        let line = self.line_ahead();
        let Some(brace) = line.find(" {") else {
            return false;
        };
        let words = &line[..brace];
        !words.contains([':', ',', '\'', '"', '('])
    }

    /// `Error: message` or `SomeError [Code]: message`, its stack, and `{ props }` when the
    /// last stack line ends with `{`.
    fn error_value(&mut self, depth: usize) -> Option<Value> {
        let head = self.line_ahead();
        let (name, _) = head.split_once(": ")?;
        let name_ok = !name.is_empty()
            && name
                .split(' ')
                .next()
                .is_some_and(|w| w.ends_with("Error") || w.ends_with("Exception") || w == "Error")
            && !name.contains(['{', '\'', '"']);
        if !name_ok {
            return None;
        }
        let rest = self.rest();
        let line = rest.split('\n').next().unwrap_or("");
        let mut message = line.trim_end().to_owned();
        let mut end = line.len();
        let mut props = Vec::new();
        let mut last_line = line;
        for next in rest[line.len()..].split_inclusive('\n').skip(1) {
            let t = next.trim();
            if !t.starts_with("at ") {
                break;
            }
            end += next.len();
            last_line = next;
        }
        if last_line.trim_end().ends_with('{') {
            // The properties start after the `{` that ends the stack's last line.
            let after_stack = self.at + end.min(rest.len());
            self.at = self.text[..after_stack].trim_end().len();
            if depth < MAX_DEPTH {
                props = self.members(depth + 1, b'}');
            }
            if message.ends_with('{') {
                message = message.trim_end_matches('{').trim_end().to_owned();
            }
        } else {
            self.at += line.len();
        }
        Some(Value::Error { message, props })
    }

    fn members(&mut self, depth: usize, close: u8) -> Vec<(String, Node)> {
        let mut out = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return out,
                Some(b) if b == close => {
                    self.at += 1;
                    return out;
                }
                Some(b',') => {
                    self.at += 1;
                    continue;
                }
                Some(_) => {}
            }
            if self.rest().starts_with("...") {
                // `... 3 more items`
                self.at += self.rest().find('\n').unwrap_or(self.rest().len());
                continue;
            }
            let before = self.at;
            let Some(key) = self.key() else {
                self.at = before + self.rest().chars().next().map_or(1, char::len_utf8);
                continue;
            };
            self.skip_space();
            if self.peek() != Some(b':') {
                // Not `key: value`: skip the rest of the line.
                self.at += self.rest().find('\n').unwrap_or(self.rest().len());
                continue;
            }
            self.at += 1;
            let value = self.value(depth);
            out.push((key, value));
        }
    }
}

/// The dumps in `text`: each object that starts at the end of a line (`… {`) or on a line
/// of its own, read to its end. Objects inside a dump are not listed again.
pub(crate) fn dumps(text: &str) -> Vec<Node> {
    let mut out = Vec::new();
    let mut parser = Parser { text, at: 0 };
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |e| line_start + e);
        let line = &text[line_start..line_end];
        let trimmed = line.trim_end();
        let opens = trimmed.ends_with('{') || line.trim_start().starts_with('{');
        if opens {
            // The object starts at the line's first `{` when the line is only the object
            // (`{ detail: 'x' }`), else at its final `{` (after a stack frame or a name).
            let brace = if line.trim_start().starts_with('{') {
                line_start + (line.len() - line.trim_start().len())
            } else {
                line_start + trimmed.len() - 1
            };
            parser.at = brace;
            let node = parser.value(0);
            if matches!(node.value, Value::Object(_)) && !node.members().is_empty() {
                out.push(node);
            }
            // Whatever the parse read is not looked at again (linear on any input).
            let next = text[parser.at..]
                .find('\n')
                .map_or(text.len(), |e| parser.at + e + 1);
            line_start = next.max(line_end + 1);
            continue;
        }
        line_start = line_end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_axios_dump() {
        let text = "AxiosError: Request failed with status code 401\n    at settle (x.js:1:1) {\n  code: 'ERR_BAD_REQUEST',\n  config: [Object: null prototype] {\n    adapter: [ 'xhr', 'http' ],\n    validateStatus: [Function: validateStatus],\n    headers: Object [AxiosHeaders] {\n      Authorization: 'Bearer a.b.c',\n      'User-Agent': 'axios/1.7.2'\n    },\n    method: 'get',\n    url: 'http://a.test/me'\n  },\n  request: <ref *1> ClientRequest { _last: true, res: [IncomingMessage] },\n  response: {\n    status: 401,\n    data: { detail: 'Token has expired', n: [ 1, 2 ] }\n  },\n  [cause]: Error: socket hang up\n      at Socket.x (node:_http_client:1:1) {\n    code: 'ECONNRESET'\n  }\n}\n";
        let dumps = dumps(text);
        assert_eq!(dumps.len(), 1, "{dumps:#?}");
        let top = &dumps[0];
        let config = top.get("config").unwrap();
        assert_eq!(
            config.get("url").and_then(Node::as_str),
            Some("http://a.test/me")
        );
        let headers = config.get("headers").unwrap();
        assert_eq!(
            headers.get("User-Agent").and_then(Node::as_str),
            Some("axios/1.7.2")
        );
        let data = top.get("response").unwrap().get("data").unwrap();
        assert_eq!(
            data.to_json(),
            serde_json::json!({"detail": "Token has expired", "n": [1, 2]})
        );
        let cause = top.get("[cause]").unwrap();
        assert!(
            matches!(&cause.value, Value::Error { message, .. } if message == "Error: socket hang up")
        );
        assert_eq!(cause.get("code").and_then(Node::as_str), Some("ECONNRESET"));
    }

    #[test]
    fn a_cut_off_dump_keeps_what_it_had() {
        let text = "{\n  response: {\n    status: 500,\n    statusText: 'Internal Server Error',\n    data: { error: 'boom";
        let dumps = dumps(text);
        let response = dumps[0].get("response").unwrap();
        assert_eq!(response.get("status").and_then(Node::as_text), Some("500"));
        assert_eq!(
            response
                .get("data")
                .unwrap()
                .get("error")
                .and_then(Node::as_str),
            Some("boom")
        );
    }
}
