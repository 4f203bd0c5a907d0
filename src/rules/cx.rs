//! What a rule sees: one exchange with the rest of the capture in view ([`Cx`]), or the
//! whole capture ([`CaptureCx`]), and helpers that quote evidence from the input.

use crate::knowledge::secrets::mask_credential;
use crate::knowledge::text::{self, Needles, Signatures};
use crate::knowledge::time;
use crate::knowledge::url;
use crate::model::{
    Body, Capture, Exchange, HasHeaders, Header, Note, Request, Response, Span, TransportError,
};
use crate::report::Evidence;
use crate::rules::Lookup;

/// The whole input, for input-level and cross-exchange rules.
pub struct CaptureCx<'a> {
    pub input: &'a str,
    pub capture: &'a Capture,
    pub format: crate::input::Format,
    pub reference_time: Option<i64>,
    /// The capture's root failure ([`crate::rules::root_failure`]), found once for the
    /// rule that words it, a first screen and the report.
    pub root_failure: Option<&'a crate::report::RootFailure>,
    /// The cross-exchange indexes, as the exchanges' rules have them.
    pub lookup: &'a Lookup,
}

/// One exchange, with the rest of the capture in view.
pub struct Cx<'a> {
    pub input: &'a str,
    pub capture: &'a Capture,
    pub lookup: &'a Lookup,
    pub index: usize,
    pub exchange: &'a Exchange,
    pub reference_time: Option<i64>,
    /// The response body parsed as JSON, once, for the rules that read it.
    pub json: std::cell::OnceCell<Option<serde_json::Value>>,
    /// The response's OAuth error, searched once for the rules that read it.
    pub(crate) oauth: std::cell::OnceCell<Option<super::oauth::OAuthError>>,
    /// Which layer answered (`knowledge::responders::identify`), once: eight rules ask.
    pub(crate) responder: std::cell::OnceCell<Option<Responder<'a>>>,
    /// The response body read by its error shape, once: five rules ask.
    pub(crate) error_body: std::cell::OnceCell<Option<crate::knowledge::frameworks::ErrorBody>>,
    /// What the layers that answered say went wrong upstream, once: four gateway rules ask.
    pub(crate) upstream: std::cell::OnceCell<Option<Upstream>>,
    /// The exception the response body names, once: two server rules ask.
    exception: std::cell::OnceCell<Option<Exception>>,
}

/// An exception named in a body: its offset, type and message (`knowledge::stack::exception`).
type Exception = (usize, String, String);

type Upstream = (
    crate::knowledge::responders::Upstream,
    Option<(
        &'static crate::knowledge::responders::UpstreamSign,
        crate::knowledge::responders::Place,
    )>,
);

type Responder<'a> = (
    &'static crate::knowledge::responders::Responder,
    crate::knowledge::responders::Match<'a>,
);

/// The moment a time-dependent rule measures against, and where it came from.
pub struct Clock<'a> {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    pub source: ClockSource,
    /// What the moment was read from. It is quoted ([`Clock::evidence`]) only when a finding
    /// shows it: most rules ask for the time and find nothing to say.
    read_from: ReadFrom<'a>,
}

enum ReadFrom<'a> {
    Date(&'a Header),
    /// The HAR entry's `startedDateTime`, as written.
    Started(&'a str),
    Reference,
}

impl Clock<'_> {
    /// The moment with nothing to quote: for tests of what is said about it.
    #[cfg(test)]
    pub(crate) fn bare(secs: i64, source: ClockSource) -> Clock<'static> {
        Clock {
            secs,
            source,
            read_from: ReadFrom::Reference,
        }
    }

    /// The header, HAR timestamp or reference time the moment was read from.
    pub fn evidence(&self, cx: &Cx) -> Evidence {
        match self.read_from {
            ReadFrom::Date(date) => cx.header_evidence(Side::Response, date),
            ReadFrom::Started(started) => {
                // The timestamp as written in the entry, so the page can point at it.
                let span = cx.exchange.span.and_then(|entry| {
                    let at = cx.input.get(entry.start..entry.end)?.find(started)?;
                    Some(Span::new(
                        entry.start + at,
                        entry.start + at + started.len(),
                    ))
                });
                Evidence::new("HAR startedDateTime", started, span)
            }
            ReadFrom::Reference => Evidence::new(
                "reference time (no Date header)",
                time::format_utc(self.secs),
                None,
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSource {
    /// The response's own Date header.
    ResponseDate,
    /// When the HAR entry started (the response has no Date).
    HarStarted,
    /// The reference time the caller passed (now, or a shared link's moment).
    Reference,
}

impl ClockSource {
    /// The moment in words, for titles: "this response", "the request's start" …
    pub fn moment(self) -> &'static str {
        match self {
            ClockSource::ResponseDate => "this response",
            ClockSource::HarStarted => "the request's start",
            ClockSource::Reference => "the reference time",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

impl<'a> Cx<'a> {
    pub fn request(&self) -> Option<&'a Request> {
        self.exchange.request.as_ref()
    }

    pub fn response(&self) -> Option<&'a Response> {
        self.exchange.response.as_ref()
    }

    /// The layer that answered, from the response's headers and body, and what showed it.
    /// The context of exchange `index` of `capture`, its lazily computed parts not yet known.
    pub(crate) fn new(
        input: &'a str,
        capture: &'a Capture,
        lookup: &'a Lookup,
        index: usize,
        reference_time: Option<i64>,
    ) -> Cx<'a> {
        Cx {
            input,
            capture,
            lookup,
            index,
            exchange: &capture.exchanges[index],
            reference_time,
            json: std::cell::OnceCell::new(),
            oauth: std::cell::OnceCell::new(),
            responder: std::cell::OnceCell::new(),
            error_body: std::cell::OnceCell::new(),
            upstream: std::cell::OnceCell::new(),
            exception: std::cell::OnceCell::new(),
        }
    }

    /// The exception the response body names (`knowledge::stack::exception`).
    pub(crate) fn exception(&self) -> Option<&Exception> {
        self.exception
            .get_or_init(|| {
                let body = self.response()?.body.as_ref()?;
                crate::knowledge::stack::exception(&body.text)
            })
            .as_ref()
    }

    /// What went wrong upstream, by the words of the layers that answered
    /// (`knowledge::responders::upstream_account`).
    pub(crate) fn upstream(&self) -> Option<Upstream> {
        *self.upstream.get_or_init(|| {
            let answered = self.responder().map(|(r, _)| r);
            crate::knowledge::responders::upstream_account(self.response()?, answered)
        })
    }

    pub(crate) fn responder(&self) -> Option<Responder<'a>> {
        *self.responder.get_or_init(|| {
            self.response()
                .and_then(crate::knowledge::responders::identify)
        })
    }

    pub fn status(&self) -> Option<u16> {
        self.response().map(|r| r.status).filter(|s| *s != 0)
    }

    pub fn transport_error(&self) -> Option<&'a TransportError> {
        self.exchange.transport_error.as_ref()
    }

    pub fn previous(&self) -> &'a [Exchange] {
        &self.capture.exchanges[..self.index]
    }

    pub fn header_evidence(&self, side: Side, header: &Header) -> Evidence {
        let value = if crate::knowledge::secrets::is_credential_header(&header.name) {
            mask_credential(&header.value)
        } else {
            text::clip(&header.value, 240)
        };
        Evidence::new(
            format!("{} header", side.word()),
            format!("{}: {}", header.name, value),
            header.span,
        )
    }

    /// A piece of a body, located by line. Offsets may fall inside a
    /// character (rules quote "the first 120 bytes"); they are moved back
    /// to the nearest boundary so any text can be quoted.
    pub fn body_evidence(&self, side: Side, body: &Body, start: usize, end: usize) -> Evidence {
        let start = body.text.floor_char_boundary(start);
        let end = body.text.floor_char_boundary(end).max(start);
        let (line, _) = text::line_col(&body.text, start);
        let quote = text::clip(&body.text[start..end], 300);
        Evidence::new(
            format!("{} body, line {line}", side.word()),
            quote,
            body.span_of(start, end),
        )
    }

    /// The whole body line around `offset`.
    pub fn body_line_evidence(&self, side: Side, body: &Body, offset: usize) -> Evidence {
        let (line_start, line) = text::line_around(&body.text, offset);
        let trimmed = line.trim_start();
        let start = line_start + (line.len() - trimmed.len());
        self.body_evidence(side, body, start, line_start + line.len())
    }

    /// The first occurrence of `needle` in the response body, as evidence of its line.
    pub fn response_body_match(&self, needle: &str) -> Option<Evidence> {
        let body = self.response()?.body.as_ref()?;
        // `text::find` (memchr), not `str::find`: rules look for several words in each error body.
        let at = text::find(body.text.as_bytes(), needle.as_bytes())?;
        Some(self.body_line_evidence(Side::Response, body, at))
    }

    /// The first of `needles`, in their order, that occurs in the response body: its label
    /// (empty for a plain list) and the evidence of its line.
    pub fn response_body_first(&self, needles: &Needles) -> Option<(&'static str, Evidence)> {
        self.labeled_body_line(|text| {
            let (index, at) = needles.first_in(text)?;
            Some((needles.label(index), at))
        })
    }

    /// The highest-priority signature of `signatures` in the response body: its label and
    /// the evidence of its line.
    pub fn response_signature(&self, signatures: &Signatures) -> Option<(&'static str, Evidence)> {
        self.labeled_body_line(|text| {
            let (index, at) = signatures.first_in(text)?;
            Some((signatures.label(index), at))
        })
    }

    /// What `search` finds in the response body (a label and an offset): the label and the
    /// evidence of the offset's line.
    fn labeled_body_line(
        &self,
        search: impl FnOnce(&str) -> Option<(&'static str, usize)>,
    ) -> Option<(&'static str, Evidence)> {
        let body = self.response()?.body.as_ref()?;
        let (label, at) = search(&body.text)?;
        Some((label, self.body_line_evidence(Side::Response, body, at)))
    }

    pub fn status_evidence(&self) -> Option<Evidence> {
        let response = self.response()?;
        let span = response
            .span
            .filter(|s| self.input.get(s.start..s.start + 5) == Some("HTTP/"))
            .map(|s| {
                let end = self.input[s.start..]
                    .find(['\r', '\n'])
                    .map_or(self.input.len(), |i| s.start + i);
                Span::new(s.start, end)
            });
        let quote = match span {
            Some(s) => self.input[s.start..s.end].to_owned(),
            None => format!("status {} {}", response.status, response.reason)
                .trim_end()
                .to_owned(),
        };
        Some(Evidence::new("response status", quote, span))
    }

    pub fn request_line_evidence(&self) -> Option<Evidence> {
        let request = self.request()?;
        let quote = format!(
            "{} {}",
            request.method.as_deref().unwrap_or("(method not shown)"),
            request.url
        );
        let span = request.span.and_then(|s| {
            let line = crate::input::lines::lines(&self.input[s.start..]).next()?;
            Some(Span::new(
                s.start + line.start,
                s.start + line.start + line.text.len(),
            ))
        });
        Some(Evidence::new(
            "request",
            quote,
            span.filter(|s| {
                self.input[s.start..s.end].contains(&request.url)
                    || self.input[s.start..s.end].contains(url::path_of(&request.url))
            }),
        ))
    }

    pub fn transport_evidence(&self) -> Option<Evidence> {
        let error = self.transport_error()?;
        Some(Evidence::new(
            "client error",
            text::clip(&error.message, 300),
            error.span,
        ))
    }

    pub fn note_evidence(&self, note: &Note) -> Evidence {
        Evidence::new("client output", note.text.clone(), note.span)
    }

    /// The time the response was produced: its Date header, else when a HAR entry started,
    /// else the caller's reference time.
    pub fn now(&self) -> Option<Clock<'a>> {
        if let Some(date) = self.response().and_then(|r| r.header("date"))
            && let Some(secs) = time::parse_http_date(&date.value)
        {
            return Some(Clock {
                secs,
                source: ClockSource::ResponseDate,
                read_from: ReadFrom::Date(date),
            });
        }
        if let Some(timings) = self.exchange.timings.as_ref()
            && let Some(ms) = timings.started_ms
        {
            return Some(Clock {
                secs: ms.div_euclid(1000),
                source: ClockSource::HarStarted,
                read_from: ReadFrom::Started(timings.started.as_deref().unwrap_or_default()),
            });
        }
        let secs = self.reference_time?;
        Some(Clock {
            secs,
            source: ClockSource::Reference,
            read_from: ReadFrom::Reference,
        })
    }

    /// The human message of a JSON error body: `detail`, `message`, `error` (or
    /// `error.message`), `title`, `error_description`.
    /// Else the message of the API's error envelope (AWS `Message`, S3's XML `<Message>`).
    pub fn response_message(&self) -> Option<String> {
        if let Some(serde_json::Value::Object(json)) = self.response_json()
            && let Some(message) = ["detail", "message", "error", "title", "error_description"]
                .iter()
                .find_map(|k| match json.get(*k) {
                    Some(serde_json::Value::String(s)) => Some(s.clone()),
                    Some(serde_json::Value::Object(o)) => {
                        o.get("message").and_then(|m| m.as_str()).map(str::to_owned)
                    }
                    _ => None,
                })
        {
            return Some(message);
        }
        self.error_body()?.message
    }

    /// The response body read by its error shape: an API's envelope (codes, message, field
    /// errors, request IDs) or a framework's field errors.
    pub(crate) fn error_body(&self) -> Option<crate::knowledge::frameworks::ErrorBody> {
        self.error_body
            .get_or_init(|| {
                let response = self.response()?;
                let hints = crate::knowledge::frameworks::BodyHints {
                    problem_json: response
                        .media_type()
                        .is_some_and(|m| m == "application/problem+json"),
                    aws_error_type: response.header_value("x-amzn-errortype"),
                };
                crate::knowledge::frameworks::read_error(
                    self.response_json(),
                    response.body_text(),
                    hints,
                )
            })
            .clone()
    }

    /// A success status whose body says the call failed (Slack's `"ok": false`).
    pub fn hidden_failure(&self) -> bool {
        // Every success of a large capture passes here: parse only bodies with an `ok` member.
        static OK_MEMBER: Needles = Needles::new(&["\"ok\""]);
        self.status().is_some_and(|s| s < 400)
            && self
                .response()
                .is_some_and(|r| OK_MEMBER.any_in(r.body_text()))
            && self.error_body().is_some_and(|e| e.hidden_failure)
    }

    /// Whether the response body is JSON, by media type or by shape.
    pub fn response_json(&self) -> Option<&serde_json::Value> {
        self.json
            .get_or_init(|| {
                let text = self.response()?.body_text().trim();
                if !(text.starts_with('{') || text.starts_with('[')) {
                    return None;
                }
                serde_json::from_str(text).ok()
            })
            .as_ref()
    }
}
