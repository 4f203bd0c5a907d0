use crate::knowledge::transport::{Failure, classify};
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, network};

rule! {
    /// The client gave up before the server answered: a browser's `net::ERR_ABORTED`,
    /// `AbortError` or a `TimeoutError` from `AbortSignal.timeout()`, Go's `context
    /// canceled`, nginx's 499 (the status it logs when the client closed the connection),
    /// or curl (28) under the caller's own `-m`/`--max-time` limit after the connection was
    /// made.
    ClientClosedRequest {
        id: "client.closed-request",
        severity: Error,
        title: "The client gave up before the server answered",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal/timeout_static"),
        fixtures: [
            "browser/aborted-timeout.har",
            "browser/aborted-timeout-console.txt",
            "timeouts/curl-gave-up-after-2s.txt",
        ],
        explanation: "The request was sent and the server was still working on it when the client closed the connection: a timeout the caller set (an `AbortSignal.timeout()`, an HTTP client's timeout, curl's `-m`), a user navigating away, or code cancelling the request. The server logs it as 499 (nginx) or a broken pipe, and may still finish the work.",
        fix: {
            caller: "Compare the client's limit with how long this call really takes (the server's logs, a run without the limit); raise the limit for legitimately slow calls, or use the API's asynchronous variant. Do not retry non-idempotent calls blindly: the first may have succeeded.",
            owner: "Find why the call is slower than callers wait (slow query, lock, dependency); make long work asynchronous (202 + a status URL) and document the expected latency.",
        },
    }
}

impl Rule for ClientClosedRequest {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if cx.status() == Some(499) {
            out.extend(self.meta().finding_from(
                "The client closed the connection before the server answered (499)",
                cx.status_evidence(),
            ));
            return;
        }
        let Some(error) = cx.transport_error() else {
            return;
        };
        match classify(error) {
            Failure::Aborted => {
                out.extend(network::finding(
                    cx,
                    self.meta(),
                    Failure::Aborted,
                    |host| {
                        format!("The client cancelled the request to {host} before it was answered")
                    },
                ));
            }
            Failure::Timeout => {
                let connected = cx
                    .exchange
                    .notes
                    .iter()
                    .any(|n| n.text.starts_with("Connected to"));
                let Some((limit, command)) = max_time(cx).filter(|_| connected) else {
                    return;
                };
                out.extend(
                    network::finding(cx, self.meta(), Failure::Timeout, |host| {
                        format!("The client's own time limit (`curl {}`) ended the request before {host} answered", input(&limit))
                    })
                    .map(|f| f.with_evidence(command)),
                );
            }
            _ => {}
        }
    }
}

/// curl's `-m N` / `--max-time N` on the command line the paste shows, and that line.
fn max_time(cx: &Cx) -> Option<(String, Evidence)> {
    for line in cx.input.lines().take(50) {
        let command = line.trim_start_matches(['$', '>', '%', '#', ' ']);
        if !command.starts_with("curl ") {
            continue;
        }
        let words: Vec<&str> = command.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let value = match *word {
                "-m" | "--max-time" => words.get(i + 1).copied(),
                w if w.starts_with("--max-time=") => w.strip_prefix("--max-time="),
                w if w.starts_with("-m") && w.len() > 2 && w[2..].parse::<f64>().is_ok() => {
                    Some(&w[2..])
                }
                _ => None,
            };
            if let Some(value) = value.filter(|v| v.parse::<f64>().is_ok()) {
                let start = line.as_ptr() as usize - cx.input.as_ptr() as usize;
                let limit = if word.ends_with(value) {
                    (*word).to_owned()
                } else {
                    format!("{word} {value}")
                };
                let evidence = Evidence::new(
                    "command line",
                    line,
                    Some(crate::model::Span::new(start, start + line.len())),
                );
                return Some((limit, evidence));
            }
        }
    }
    None
}
