use crate::knowledge::text;
use crate::knowledge::text::Signatures;
use crate::model::{Body, HasHeaders};
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A JSON body (the request's, or a pasted body) does not parse. Names the line,
    /// column and character, and the usual slip behind it: a trailing comma, a missing
    /// comma, an unquoted key, single quotes, a comment, an unescaped newline, a stray
    /// backslash. When the request body is not visible, the server's own JSON parse error
    /// (FastAPI `json_invalid`, Express body-parser, Flask) is the evidence.
    BodyJsonSyntax {
        id: "body.json-syntax",
        severity: Error,
        title: "The JSON body does not parse",
        reference: Some("https://www.rfc-editor.org/rfc/rfc8259"),
        fixtures: ["fastapi/422-malformed-json.txt", "express/400-bad-json.txt", "flask/400-bad-json.txt"],
        explanation: "httpdx stops reading JSON past 128 levels of nesting, as most parsers do to protect themselves. A body this deep is almost never intended.",
        fix: {
            caller: "Fix the JSON at that position; build bodies with a JSON serializer (JSON.stringify, json.dumps, jq) instead of by hand, and check them with `jq . body.json`.",
            owner: "Return 400 with the parser's position and message, as here, in the API's usual error format.",
        },
    }
}

/// Server messages that mean "your JSON did not parse".
static SERVER_PARSE_ERRORS: Signatures = Signatures::new(&[
    "json_invalid",
    "JSON decode error",
    "in JSON at position",
    "Unexpected token",
    "Failed to decode JSON object",
    "JSON parse error",
    "Malformed JSON",
    "Expected double-quoted property name",
    "Unterminated string in JSON",
]);

fn looks_like_json(body: &Body, content_type: Option<&str>) -> bool {
    let start = body.text.trim_start();
    content_type.is_some_and(|c| c.contains("json")) && !start.is_empty()
        || start.starts_with('{')
        || start.starts_with('[')
}

/// The likely slip behind a `serde_json` error at `offset`.
fn slip(message: &str, text: &str, offset: usize) -> &'static str {
    let here = text[offset.min(text.len())..].chars().next().unwrap_or(' ');
    let before = text[..offset.min(text.len())]
        .trim_end()
        .chars()
        .next_back()
        .unwrap_or(' ');
    if message.contains("trailing comma") || (matches!(here, '}' | ']') && before == ',') {
        "a trailing comma before a closing bracket"
    } else if message.contains("control character") {
        "an unescaped line break or tab inside a string (write \\n)"
    } else if message.contains("invalid escape") {
        "a backslash that starts no valid escape (Windows paths need \\\\)"
    } else if here == '\'' {
        "single quotes; JSON needs double quotes"
    } else if here == '/' || here == '#' {
        "a comment; JSON has none"
    } else if matches!(here, '“' | '”' | '‘' | '’') {
        "typographic quotes from a word processor or chat; JSON needs straight \""
    } else if message.contains("key must be a string") && (here.is_alphabetic() || here == '_') {
        "an unquoted key"
    } else if message.contains("expected `,`") {
        "a missing comma between two members"
    } else if message.contains("EOF while parsing") {
        "the text ends early: a closing bracket or quote is missing"
    } else if message.contains("expected value") && (here.is_alphabetic()) {
        "an unquoted string value (or True/None from Python)"
    } else {
        "a character JSON does not allow here"
    }
}

fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    (line_start + column.saturating_sub(1)).min(text.len())
}

impl BodyJsonSyntax {
    fn check_body(
        &self,
        cx: &Cx,
        side: Side,
        body: &Body,
        content_type: Option<&str>,
        out: &mut Vec<Finding>,
    ) -> bool {
        if !looks_like_json(body, content_type) {
            return false;
        }
        let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(&body.text) else {
            return false;
        };
        let message = error.to_string();
        let whose = if side == Side::Request {
            "request body"
        } else {
            "body"
        };
        if message.contains("recursion limit") {
            out.push(
                self.meta()
                    .finding(
                        format!(
                            "The {whose} nests deeper than 128 levels; it was not read further"
                        ),
                        cx.body_evidence(side, body, 0, body.text.len().min(40)),
                    )
                    .severity(crate::report::Severity::Warning),
            );
            return true;
        }
        let offset = byte_offset(&body.text, error.line(), error.column());
        let offset = body.text.floor_char_boundary(offset);
        let here = body.text[offset..].chars().next();
        let slip = slip(&message, &body.text, offset);
        let (line_start, line) = text::line_around(&body.text, offset);
        let (l, c) = text::line_col(&body.text, offset);
        let shown = here.map_or("the end of the text".to_owned(), |ch| {
            format!("{} (U+{:04X})", input(&ch.to_string()), ch as u32)
        });
        let evidence = Evidence::new(
            format!("{whose}, line {l}, column {c}"),
            text::clip(line.trim_end(), 200),
            body.span_of(line_start, line_start + line.len()),
        );
        let mut finding = self.meta()
            .finding(format!("The {whose} is not valid JSON: {slip}, at line {l}, column {c}"), evidence)
            .explain(format!("The JSON parser stopped at {shown}: {message}. The server cannot read a body it cannot parse, so it rejects the whole request."));
        // The repaired body, when the slip has one reading only.
        if side == Side::Request
            && let Some(repaired) = crate::fix::repair_json(&body.text)
        {
            finding = finding.edit(crate::fix::RequestEdit::Body(repaired));
        }
        out.push(finding);
        true
    }
}

impl Rule for BodyJsonSyntax {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // A server that answered with success read the request body as it was (leniently,
        // or not as JSON at all): its syntax is no cause of anything.
        let succeeded = cx.status().is_some_and(|s| s < 400);
        if let Some(request) = cx.request()
            && !succeeded
            && let Some(body) = &request.body
            && self.check_body(
                cx,
                Side::Request,
                body,
                request.header_value("content-type"),
                out,
            )
        {
            return;
        }
        let Some(response) = cx.response() else {
            return;
        };
        // A pasted bare body is the user's JSON too: check it.
        if response.status == 0
            && response.headers.is_empty()
            && let Some(body) = &response.body
            && self.check_body(cx, Side::Response, body, None, out)
        {
            return;
        }
        if response.status < 400 || cx.request().is_some_and(|r| r.body.is_some()) {
            return;
        }
        let Some(evidence) = cx.response_signature(&SERVER_PARSE_ERRORS).map(|(_, e)| e) else {
            return;
        };
        out.push(self.meta()
            .finding(format!("The server could not parse the request's JSON body ({})", response.status), evidence)
            .explain("The server's JSON parser rejected the request body. The body itself is not in this input, but the server's message names the position where parsing stopped.")
            .caller_fix("Check the body at the position the message gives: trailing commas, single quotes, unquoted keys and unescaped newlines are the usual slips. Build it with a JSON serializer.")
            .owner_fix("Keep returning the parser's position, and omit the stack trace from the response."));
    }
}
