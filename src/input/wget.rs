//! GNU wget's output: `-S`/`--server-response` (the response headers indented by two spaces),
//! `-d` (the raw request and response between `---request begin---` and `---…end---`), the
//! one-line status after `HTTP request sent, awaiting response...`, `ERROR 404: Not Found.`,
//! and the failures wget names in words (DNS, refused, timed out, no data, certificate). The
//! `$ wget …` command line above is the only record of the headers and body it sent.

use super::curl_command::words;
use super::http1::{parse_header_line, parse_request_line, parse_status_line};
use super::lines::{Line, lines};
use crate::model::{
    Body, Capture, Exchange, Header, Note, Request, Response, Span, TransportError, header_name,
};

/// `--2026-11-25 18:20:37--  (try: 2)  http://…` → the URL and where it is.
fn attempt_url(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("--")?;
    let dated = rest
        .get(..4)
        .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
        && rest.get(19..).is_some_and(|r| r.starts_with("--"));
    if !dated {
        return None;
    }
    let rest = rest.get(21..)?.trim_start();
    let rest = match rest.strip_prefix("(try:") {
        Some(after) => after.split_once(')')?.1.trim_start(),
        None => rest,
    };
    Some(rest.trim())
}

/// What the `$ wget …` line says about the request: method, headers, body, URL.
fn command(text: &str, line: &Line) -> Option<Request> {
    let at = line.text.find("wget ")?;
    let (words, _) = words(&text[line.start + at..line.end()], line.start + at);
    let mut request = Request::default();
    let mut iter = words.into_iter().skip(1);
    while let Some(word) = iter.next() {
        let (flag, attached) = match word.text.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (word.text.clone(), None),
        };
        let value = |iter: &mut std::iter::Skip<std::vec::IntoIter<super::curl_command::Word>>| {
            attached
                .clone()
                .map(|v| (v, None))
                .or_else(|| iter.next().map(|w| (w.text, Some(w.span))))
        };
        match flag.as_str() {
            "--header" => {
                if let Some((h, span)) = value(&mut iter)
                    && let Some((name, v)) = h.split_once(':')
                {
                    request.headers.push(Header {
                        name: header_name(name.trim()),
                        value: v.trim().to_owned(),
                        span,
                    });
                }
            }
            "--method" => request.method = value(&mut iter).map(|(m, _)| m.to_ascii_uppercase()),
            "--post-data" | "--body-data" => {
                if let Some((data, _)) = value(&mut iter) {
                    request.method.get_or_insert_with(|| "POST".into());
                    request.body = Some(Body::decoded(data));
                }
            }
            "-O" | "-o" | "-T" | "-t" | "--timeout" | "--tries" | "-U" | "--user-agent"
            | "--output-document" | "--user" | "--password" | "--http-user" | "--http-password"
            | "-e" | "--execute" => {
                value(&mut iter);
            }
            _ if word.text.contains("://") => request.url = word.text,
            _ => {}
        }
    }
    request.method.get_or_insert_with(|| "GET".into());
    Some(request)
}

struct Reader<'a> {
    text: &'a str,
    capture: Capture,
    command: Option<Request>,
    current: Option<Exchange>,
}

impl Reader<'_> {
    fn finish(&mut self) {
        if let Some(exchange) = self.current.take() {
            self.capture.exchanges.push(exchange);
        }
    }

    fn exchange(&mut self, line: &Line) -> &mut Exchange {
        let exchange = self.current.get_or_insert_with(|| Exchange {
            span: Some(line.span()),
            ..Exchange::default()
        });
        if let Some(span) = exchange.span.as_mut() {
            span.end = span.end.max(line.end());
        }
        exchange
    }

    fn fail(&mut self, line: &Line, code: &str, message: &str) {
        let exchange = self.exchange(line);
        exchange.transport_error = Some(TransportError {
            code: code.to_owned(),
            message: message.trim().to_owned(),
            span: Some(line.span()),
        });
    }

    fn note(&mut self, line: &Line) {
        let text = line.text.trim().to_owned();
        self.exchange(line).notes.push(Note {
            text,
            span: Some(line.span()),
        });
    }

    /// An attempt: a new exchange, unless it retries the one before (`(try: 2)`).
    fn attempt(&mut self, line: &Line, url: &str) {
        let retry = line.text.contains("(try:")
            && self
                .current
                .as_ref()
                .and_then(|e| e.request.as_ref())
                .is_some_and(|r| r.url == url);
        if !retry {
            self.finish();
            let mut request = self.command.clone().unwrap_or_default();
            url.clone_into(&mut request.url);
            request.method.get_or_insert_with(|| "GET".into());
            request.span = Some(line.span());
            self.exchange(line).request = Some(request);
        } else if let Some(exchange) = self.current.as_mut() {
            // The last attempt's outcome is the one that counts.
            exchange.transport_error = None;
            exchange.response = None;
            if let Some(span) = exchange.span.as_mut() {
                span.end = line.end();
            }
        }
    }

    /// Header lines from `all[from]` on while they match `prefix`: the response of `-S`.
    fn response(&mut self, all: &[Line], from: usize, indented: bool) -> usize {
        let mut i = from;
        let mut response: Option<Response> = None;
        while let Some(line) = all.get(i) {
            let t = line.text;
            if indented && !t.starts_with("  ") {
                break;
            }
            let lead = t.len() - t.trim_start().len();
            let content = t.trim_start();
            if indented && content.is_empty() {
                break;
            }
            if let Some(status) = parse_status_line(content) {
                let interim = response.take().map(|r| vec![r.status]).unwrap_or_default();
                response = Some(Response {
                    status: status.status,
                    reason: status.reason.to_owned(),
                    version: Some(status.version.to_owned()),
                    interim,
                    span: Some(line.span()),
                    ..Response::default()
                });
            } else if let Some(header) = parse_header_line(content, line.start + lead) {
                if let Some(response) = response.as_mut() {
                    response.headers.push(header);
                    if let Some(span) = response.span.as_mut() {
                        span.end = line.end();
                    }
                }
            } else {
                break;
            }
            i += 1;
        }
        if let Some(response) = response {
            let exchange = self.exchange(&all[i.saturating_sub(1).max(from)]);
            exchange.response = Some(response);
        }
        i
    }
}

/// The body wget printed to standard output (`-O -`): after `Saving to: ‘STDOUT’`, up to the
/// progress line or the final `ERROR` line.
fn body(text: &str, all: &[Line], from: usize) -> (Option<Body>, usize) {
    let mut end = from;
    while let Some(line) = all.get(end) {
        let t = line.text.trim_start();
        if t.starts_with("0K ")
            || t.starts_with("0K\t")
            || line.text.contains(" ERROR ") && line.text.starts_with("20")
        {
            break;
        }
        end += 1;
    }
    let (Some(first), Some(last)) = (all.get(from), end.checked_sub(1).and_then(|e| all.get(e)))
    else {
        return (None, end);
    };
    let body = text[first.start..last.end()].trim_end();
    if body.is_empty() {
        return (None, end);
    }
    (Some(Body::verbatim(body, first.start)), end)
}

/// A status in wget's words in another language: `…HTTP…... 403 Forbidden`, or the final
/// error line `2024-12-23 19:00:27 错误 403：Forbidden。`.
fn localized_status(line: &str) -> Option<(u16, &str)> {
    let t = line.trim();
    let rest = if t.contains("HTTP") && !t.starts_with("HTTP") {
        t.rsplit_once("... ")?.1
    } else if t.starts_with("20") && t.get(10..11) == Some(" ") && t.get(13..14) == Some(":") {
        // After the date and time, one word, then `NNN:` (a full-width colon too).
        let after = t.get(20..)?.trim_start();
        let (_, rest) = after.split_once(' ')?;
        let rest = rest.trim_start();
        let code = rest.get(..3)?;
        let after_code = &rest[3..];
        if !(after_code.starts_with(':') || after_code.starts_with('：')) {
            return None;
        }
        let reason = after_code
            .trim_start_matches([':', '：'])
            .trim()
            .trim_end_matches(['.', '。']);
        let status: u16 = code.parse().ok()?;
        return (100..600).contains(&status).then_some((status, reason));
    } else {
        return None;
    };
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    let status: u16 = code.parse().ok().filter(|_| code.len() == 3)?;
    (100..600)
        .contains(&status)
        .then_some((status, reason.trim()))
}

pub(crate) fn read(text: &str) -> Capture {
    let all: Vec<Line> = lines(text).collect();
    let mut r = Reader {
        text,
        capture: Capture::default(),
        command: None,
        current: None,
    };
    let mut i = 0;
    while let Some(line) = all.get(i).copied() {
        let t = line.text;
        i += 1;
        if t.contains("wget ") && r.command.is_none() && r.current.is_none() {
            r.command = command(r.text, &line);
            continue;
        }
        if let Some(url) = attempt_url(t) {
            r.attempt(&line, url);
        } else if t == "---request begin---" {
            let end = all[i..]
                .iter()
                .position(|l| l.text == "---request end---")
                .map_or(all.len(), |p| i + p);
            if let (Some(first), Some(start)) = (
                all.get(i),
                all.get(i).and_then(|l| parse_request_line(l.text)),
            ) {
                let exchange = r.exchange(first);
                let request = exchange.request.get_or_insert_with(Request::default);
                request.method = Some(start.method.to_owned());
                request.version = start.version.map(str::to_owned);
                let command_headers = std::mem::take(&mut request.headers);
                for l in &all[i + 1..end] {
                    if let Some(header) = parse_header_line(l.text, l.start) {
                        request.headers.push(header);
                    }
                }
                // Headers only the command line shows stay (none are lost).
                for header in command_headers {
                    if !request
                        .headers
                        .iter()
                        .any(|h| h.name.eq_ignore_ascii_case(&header.name))
                    {
                        request.headers.push(header);
                    }
                }
            }
            i = end + 1;
        } else if t == "---response begin---" {
            let end = all[i..]
                .iter()
                .position(|l| l.text == "---response end---")
                .map_or(all.len(), |p| i + p);
            r.response(&all[..end], i, false);
            i = end + 1;
        } else if let Some(rest) = t
            .strip_prefix("HTTP request sent, awaiting response...")
            .or_else(|| t.strip_prefix("Proxy request sent, awaiting response..."))
        {
            let rest = rest.trim();
            if rest.is_empty() {
                // `-S` indents the server's response; `-d` prints it flush left.
                let flush = all
                    .get(i)
                    .is_some_and(|l| parse_status_line(l.text).is_some());
                i = r.response(&all, i, !flush);
            } else if rest.starts_with("Read error") {
                r.fail(&line, "wget timeout", rest);
            } else if rest.starts_with("No data received") {
                r.fail(&line, "wget empty reply", rest);
            } else if let Some((code, reason)) = rest.split_once(' ').filter(|(c, _)| c.len() == 3)
                && let Ok(status) = code.parse::<u16>()
            {
                let exchange = r.exchange(&line);
                exchange.response.get_or_insert_with(|| Response {
                    status,
                    reason: reason.trim().to_owned(),
                    span: Some(line.span()),
                    ..Response::default()
                });
            }
        } else if let Some((status, reason)) =
            r.current.is_some().then(|| localized_status(t)).flatten()
        {
            // A translated `HTTP request sent, awaiting response... 403 Forbidden` (it
            // keeps `HTTP` and the dots), or `错误 403：Forbidden。` after the date.
            let exchange = r.exchange(&line);
            exchange.response.get_or_insert_with(|| Response {
                status,
                reason: reason.to_owned(),
                span: Some(line.span()),
                ..Response::default()
            });
        } else if let Some((_, why)) = t.split_once("... failed: ") {
            let code = if t.starts_with("Resolving") {
                "wget dns"
            } else {
                "wget connect"
            };
            r.fail(
                &line,
                code,
                &format!("{} failed: {why}", t.split("... ").next().unwrap_or("")),
            );
        } else if t.starts_with("wget: unable to resolve host address") {
            r.fail(&line, "wget dns", t);
        } else if t.starts_with("ERROR: ")
            && (t.contains("certificate") || t.contains("SSL") || t.contains("TLS"))
        {
            if r.current
                .as_ref()
                .is_none_or(|e| e.transport_error.is_none())
            {
                r.fail(&line, "wget tls", t);
            } else {
                r.note(&line);
            }
        } else if let Some(at) = t.find(" ERROR ").filter(|_| t.starts_with("20")) {
            // `2026-11-25 18:20:37 ERROR 404: Not Found.`
            let rest = &t[at + 7..];
            if let Some((code, reason)) = rest.split_once(':')
                && let Ok(status) = code.trim().parse::<u16>()
            {
                let exchange = r.exchange(&line);
                exchange.response.get_or_insert_with(|| Response {
                    status,
                    reason: reason.trim().trim_end_matches('.').to_owned(),
                    span: Some(line.span()),
                    ..Response::default()
                });
            }
        } else if t.starts_with("Saving to: ") {
            let (found, end) = body(text, &all, i);
            if let Some(response) = r.current.as_mut().and_then(|e| e.response.as_mut()) {
                response.body = found;
            }
            i = end;
        } else if let Some(skipped) = t.strip_prefix("Skipping ") {
            // `-d` shows a body it skipped: `Skipping 30 bytes of body: [{…}] done.`
            if let (Some(open), Some(close)) = (skipped.find(": ["), skipped.rfind("] done.")) {
                let at = line.start + "Skipping ".len() + open + 3;
                let body = &text[at..line.start + "Skipping ".len() + close];
                if let Some(response) = r.current.as_mut().and_then(|e| e.response.as_mut()) {
                    response
                        .body
                        .get_or_insert_with(|| Body::verbatim(body, at));
                }
            }
        } else if (t.starts_with("Connecting to ")
            || t.starts_with("Username/Password Authentication Failed")
            || t == "Giving up."
            || t.starts_with("Resolving "))
            && r.current.is_some()
        {
            r.note(&line);
        }
    }
    r.finish();
    // Transport errors named by the tool: keep the exchange span covering them.
    for exchange in &mut r.capture.exchanges {
        if let (Some(error), Some(span)) = (
            exchange.transport_error.as_ref().and_then(|e| e.span),
            exchange.span.as_mut(),
        ) {
            *span = Span::new(span.start.min(error.start), span.end.max(error.end));
        }
    }
    r.capture
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_server_response_and_errors() {
        let text = "$ wget -S --header 'Authorization: Bearer abc.def.ghi' http://a.test/me\n--2026-11-25 18:20:37--  http://a.test/me\nConnecting to a.test:80... connected.\nHTTP request sent, awaiting response... \n  HTTP/1.1 401 Unauthorized\n  www-authenticate: Bearer error=\"invalid_token\"\n  content-length: 30\n\nUsername/Password Authentication Failed.\n";
        let capture = read(text);
        assert_eq!(capture.exchanges.len(), 1);
        let exchange = &capture.exchanges[0];
        let request = exchange.request.as_ref().unwrap();
        assert_eq!(request.url, "http://a.test/me");
        assert_eq!(request.headers[0].name, "Authorization");
        let response = exchange.response.as_ref().unwrap();
        assert_eq!(response.status, 401);
        let header = &response.headers[0];
        assert_eq!(
            &text[header.span.unwrap().start..header.span.unwrap().end],
            "www-authenticate: Bearer error=\"invalid_token\""
        );
        let refused = read(
            "--2026-11-25 18:20:37--  http://127.0.0.1:1/me\nConnecting to 127.0.0.1:1... failed: Connection refused.\n",
        );
        assert_eq!(
            refused.exchanges[0].transport_error.as_ref().unwrap().code,
            "wget connect"
        );
    }
}
