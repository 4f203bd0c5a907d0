use crate::knowledge::url;
use crate::model::{HasHeaders, Span};
use crate::report::{Evidence, Finding, input};
use crate::rules::grpc;
use crate::rules::{CaptureCx, Cx, Rule, Side};

rule! {
    /// A gRPC call ended with a status other than OK: `grpc-status` in the response headers
    /// (a trailers-only answer) or trailers, the trailer frame of a gRPC-Web body (binary or
    /// base64 `grpc-web-text`), a Connect
    /// error body (`{"code": "unauthenticated", "message": …}`), or a gRPC client's own
    /// report (grpcio's `status = StatusCode.UNAVAILABLE`, grpc-go's `rpc error: code =
    /// Unavailable desc = …`, grpc-js's `14 UNAVAILABLE: …`). Names the code, its
    /// `grpc-message`, and what the HTTP status hides (gRPC answers HTTP 200 for failures).
    GrpcStatus {
        id: "grpc.status",
        severity: Error,
        title: "The gRPC call failed",
        reference: Some("https://grpc.io/docs/guides/status-codes/"),
        fixtures: [
            "grpc/grpcio-permission-denied.txt",
            "grpc/grpcio-unauthenticated.txt",
            "grpc/grpcweb-unauthenticated.txt",
            "grpc/connect-unauthenticated.txt",
            "grpc/connect-unavailable.txt",
            "grpc/chromium-connect.har",
            "grpc/grpcio-client-permission-denied.txt",
            "grpc/grpcio-client-deadline-exceeded.txt",
            "grpc/grpcio-client-unavailable.txt",
        ],
        explanation: "gRPC carries its outcome in `grpc-status` (and the text in `grpc-message`), not in the HTTP status: a failed call is usually an HTTP 200 whose status arrives in the trailers, or in the headers when the server failed before sending any message. Connect's JSON form maps codes to HTTP statuses instead. The code names the kind of failure.",
        fix: {
            caller: "Act on the code, not the HTTP status: UNAUTHENTICATED — send valid credentials in the `authorization` metadata; PERMISSION_DENIED — use an identity with access; UNAVAILABLE — retry with back-off; DEADLINE_EXCEEDED — raise the deadline or make the call cheaper; UNIMPLEMENTED — check the service and method name and the port; INVALID_ARGUMENT — fix the request message.",
            owner: "Return the most specific code with a `grpc-message` a caller can act on (and rich error details, google.rpc.Status, where useful); never report a domain failure as UNKNOWN or INTERNAL.",
        },
    }
}

impl Rule for GrpcStatus {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        let http = response.status;
        // grpc-status in the headers or trailers.
        let (number, status_evidence, message) =
            if let Some(header) = response.header("grpc-status") {
                let message = response.header("grpc-message").map(|h| {
                    (
                        percent_decode(&h.value),
                        cx.header_evidence(Side::Response, h),
                    )
                });
                (
                    header.value.clone(),
                    cx.header_evidence(Side::Response, header),
                    message,
                )
            } else if let Some(found) = body_trailer(cx) {
                found
            } else if let Some(found) = connect_error(cx) {
                found
            } else {
                return;
            };
        let Some(code) = grpc::code(&number).filter(|c| c.0 != 0) else {
            return;
        };
        let hides = if (200..300).contains(&http) {
            format!(
                " The HTTP status, {http}, hides it: gRPC reports failures in its own status, so a client or proxy that looks only at HTTP sees success."
            )
        } else if http != 0 {
            format!(" The HTTP status is {http}.")
        } else {
            String::new()
        };
        let words = message
            .as_ref()
            .map(|(m, _)| format!(": {}", input(m)))
            .unwrap_or_default();
        let mut evidence = vec![status_evidence];
        evidence.extend(message.map(|(_, e)| e));
        if !(200..300).contains(&http)
            && let Some(status) = cx.status_evidence()
        {
            evidence.insert(0, status);
        }
        out.extend(
            self.meta()
                .finding_from(
                    format!("The gRPC call failed with `{}` ({}){words}", code.1, code.0),
                    evidence,
                )
                .map(|mut f| {
                    f.dedup_evidence();
                    f.explain(format!(
                        "{} ({}) means {}.{hides} {}",
                        code.1,
                        code.0,
                        code.3,
                        self.meta().explanation
                    ))
                }),
        );
    }

    fn check_capture(&self, cx: &CaptureCx, out: &mut Vec<Finding>) {
        // A client's own report, when no response is in the paste.
        if cx.capture.exchanges.iter().any(|e| e.response.is_some()) {
            return;
        }
        let Some((code, line, span, details)) = client_report(cx.input) else {
            return;
        };
        let words = details
            .as_ref()
            .map(|(d, _, _)| format!(": {}", input(d)))
            .unwrap_or_default();
        let mut evidence = vec![Evidence::new("client output", line, Some(span))];
        if let Some((_, quote, span)) = details {
            evidence.push(Evidence::new("client output", quote, Some(span)));
        }
        out.extend(
            self.meta()
                .finding_from(
                    format!("The gRPC call failed with `{}` ({}){words}", code.1, code.0),
                    evidence,
                )
                .map(|f| {
                    f.explain(format!(
                        "The gRPC client reports {} ({}), which means {}. {}",
                        code.1,
                        code.0,
                        code.3,
                        self.meta().explanation
                    ))
                }),
        );
    }
}

type Found = (String, Evidence, Option<(String, Evidence)>);

/// The trailer frame of a gRPC-Web body (or trailers curl printed after the body):
/// `grpc-status: 16` and `grpc-message: …` lines.
fn body_trailer(cx: &Cx) -> Option<Found> {
    let response = cx.response()?;
    if !response
        .media_type()
        .is_some_and(|m| m.starts_with("application/grpc"))
    {
        return None;
    }
    let body = response.body.as_ref()?;
    if response
        .media_type()
        .is_some_and(|m| m.starts_with("application/grpc-web-text"))
    {
        return text_trailer(cx, body);
    }
    let line_of = |name: &str| {
        let at = body.text.find(name)?;
        let value = body.text[at + name.len()..]
            .split(['\r', '\n'])
            .next()?
            .trim()
            .to_owned();
        Some((
            value,
            cx.body_evidence(
                Side::Response,
                body,
                at,
                at + name.len()
                    + body.text[at + name.len()..]
                        .find(['\r', '\n'])
                        .unwrap_or(body.text.len() - at - name.len()),
            ),
        ))
    };
    let (number, evidence) = line_of("grpc-status:")?;
    let message = line_of("grpc-message:").map(|(m, e)| (percent_decode(&m), e));
    Some((number, evidence, message))
}

/// The trailer of a `grpc-web-text` body: base64 frames (each chunk padded on its own).
fn text_trailer(cx: &Cx, body: &crate::model::Body) -> Option<Found> {
    use base64::Engine;
    let mut bytes = Vec::new();
    for chunk in body.text.split_inclusive('=').map(str::trim) {
        let chunk: String = chunk.chars().filter(|c| !c.is_whitespace()).collect();
        if chunk.is_empty() || chunk.chars().all(|c| c == '=') {
            continue;
        }
        bytes.extend(
            base64::engine::general_purpose::STANDARD
                .decode(chunk.as_bytes())
                .ok()?,
        );
    }
    let decoded = String::from_utf8_lossy(&bytes);
    let value = |name: &str| {
        let at = decoded.find(name)? + name.len();
        Some(decoded[at..].split(['\r', '\n']).next()?.trim().to_owned())
    };
    let number = value("grpc-status:")?;
    let evidence = cx.body_evidence(Side::Response, body, 0, body.text.len().min(120));
    let message = value("grpc-message:").map(|m| (percent_decode(&m), evidence.clone()));
    Some((number, evidence, message))
}

/// Connect's error body: `{"code": "unauthenticated", "message": …}` from a
/// `/package.Service/Method` URL or a request with `Connect-Protocol-Version`.
fn connect_error(cx: &Cx) -> Option<Found> {
    let request = cx.request()?;
    let path = url::path_of(&request.url);
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let method = segments.next()?;
    let service = segments.next()?;
    let rpc_path = service.contains('.')
        && !method.is_empty()
        && method.chars().next().is_some_and(char::is_uppercase);
    if !rpc_path && request.header("connect-protocol-version").is_none() {
        return None;
    }
    if cx.status().is_none_or(|s| s < 400) {
        return None;
    }
    let json = cx.response_json()?.as_object()?;
    let code = json.get("code")?.as_str()?;
    grpc::code(code).filter(|c| c.2 == code)?;
    let evidence = cx.response_body_match(&format!("\"{code}\""))?;
    let message = json
        .get("message")
        .and_then(|m| m.as_str())
        .map(|m| (m.to_owned(), evidence.clone()));
    Some((code.to_owned(), evidence, message))
}

type ClientReport = (
    &'static (u8, &'static str, &'static str, &'static str),
    String,
    Span,
    Option<(String, String, Span)>,
);

/// A gRPC client's report of a failed call: grpcio's `status = StatusCode.X` with
/// `details = "…"`, grpc-go's `rpc error: code = X desc = …`, grpc-js's `14 UNAVAILABLE: …`.
fn client_report(input: &str) -> Option<ClientReport> {
    let mut at = 0;
    let mut found: Option<ClientReport> = None;
    for raw in input.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let line = raw.trim_end();
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        let span = Span::new(start + lead, start + line.len());
        if let Some(rest) = trimmed.strip_prefix("status = StatusCode.") {
            if found.is_none()
                && let Some(code) = grpc::code(rest)
            {
                found = Some((code, trimmed.to_owned(), span, None));
            }
        } else if let Some(rest) = trimmed.strip_prefix("details = \"") {
            if let Some(report) = found.as_mut().filter(|f| f.3.is_none()) {
                report.3 = Some((
                    rest.trim_end_matches('"').to_owned(),
                    trimmed.to_owned(),
                    span,
                ));
            }
        } else if found.is_none()
            && let Some(at) = trimmed.find("rpc error: code = ")
        {
            let rest = &trimmed[at + "rpc error: code = ".len()..];
            let (name, desc) = rest.split_once(" desc = ").unwrap_or((rest, ""));
            if let Some(code) = grpc::code(name) {
                let details =
                    (!desc.is_empty()).then(|| (desc.to_owned(), trimmed.to_owned(), span));
                found = Some((code, trimmed.to_owned(), span, details));
            }
        } else if found.is_none()
            && let Some((number, rest)) = trimmed
                .strip_prefix("Error: ")
                .unwrap_or(trimmed)
                .split_once(' ')
            && let Some((name, desc)) = rest.split_once(": ")
            && let Some(code) = grpc::code(number).filter(|c| c.1 == name && c.0 != 0)
        {
            found = Some((
                code,
                trimmed.to_owned(),
                span,
                Some((desc.to_owned(), trimmed.to_owned(), span)),
            ));
        }
    }
    found.filter(|f| f.0.0 != 0)
}

/// Whether the input holds a gRPC client's report of a failed call.
pub(crate) fn client_reports_failure(input: &str) -> bool {
    client_report(input).is_some()
}

/// `grpc-message` is percent-encoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
