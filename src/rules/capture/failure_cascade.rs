use crate::knowledge::transport::{Failure, classify};
use crate::knowledge::url;
use crate::model::{Capture, Exchange};
use crate::report::{Evidence, Finding, RootFailure, RootFailureKind, input};
use crate::rules::{CaptureCx, Rule};

rule! {
    /// In a capture of several exchanges (a HAR, a console, a paste of several `curl -v`
    /// calls), the first failure explains the later ones: a failed token refresh or login
    /// followed by 401s; a 5xx or unreachable dependency followed by errors whose bodies
    /// quote it; a CORS failure (a rejected preflight) followed by the same failure for the
    /// same origin. Names the first failure and how many followed it; the report carries them
    /// as `root_failure` (docs/protocol.md), and readers should start there.
    CaptureFailureCascade {
        id: "capture.failure-cascade",
        severity: Error,
        title: "One failure explains the ones after it",
        reference: None,
        fixtures: [
            "browser/token-refresh-failed.har",
            "browser/token-refresh-failed-console.txt",
            "cascade/curl-refresh-failed-then-401.txt",
            "cascade/dependency-down.har",
            "cascade/curl-dependency-down.txt",
            "cascade/preflight-rejected.har",
            "cascade/preflight-rejected-console.txt",
        ],
        explanation: "Failures in a capture are rarely independent: when a token refresh fails, every call after it goes out with the old, expired token and gets 401; when a dependency is down, every endpoint that needs it fails and says so; when the browser blocks one cross-origin call, it blocks every call of the same shape. Fixing the first failure fixes the rest, and the later ones say little by themselves.",
        fix: {
            caller: "Start with the first failure named here; the later ones should go away with it. Make the client stop (and re-authenticate, or back off) after such a failure instead of sending calls that cannot succeed.",
            owner: "Fix the first failure; make dependent errors name their cause (as a 503 that quotes the failed dependency does), so a capture points at the root by itself.",
        },
    }
}

impl Rule for CaptureFailureCascade {
    fn check_capture(&self, cx: &CaptureCx, out: &mut Vec<Finding>) {
        let Some(cascade) = cx.root_failure else {
            return;
        };
        let exchanges = &cx.capture.exchanges;
        let root = &exchanges[cascade.root];
        let mut evidence = vec![describe_evidence(root, "first failure")];
        for &i in cascade.consequences.iter().take(3) {
            evidence.push(describe_evidence(&exchanges[i], "followed by"));
        }
        let n = cascade.consequences.len();
        let title = format!(
            "1 root failure, {n} consequence{}: {}",
            if n == 1 { "" } else { "s" },
            cascade.summary.marked()
        );
        out.extend(self.meta().finding_from(title, evidence).map(|f| {
            f.explain(format!(
                "{} {}",
                cascade_explanation(cascade.kind),
                self.meta().explanation
            ))
        }));
    }
}

fn cascade_explanation(kind: RootFailureKind) -> &'static str {
    match kind {
        RootFailureKind::Auth => {
            "The token or login call failed, so the client had no valid credentials for the calls that followed, and each was refused with 401."
        }
        RootFailureKind::Dependency => {
            "A dependency failed first, and the later errors quote it: they failed because it did."
        }
        RootFailureKind::Cors => {
            "The browser blocked the first cross-origin call, and then every following call to the same origin, for the same reason: the server's CORS answer (often to the preflight) does not allow this page."
        }
    }
}

/// The exchange in one line: `POST http://…/oauth/token → 400`.
fn describe_evidence(exchange: &Exchange, location: &str) -> Evidence {
    Evidence::new(location, line_of(exchange), None)
}

/// `POST http://…/oauth/token → 400`.
pub(crate) fn line_of(exchange: &Exchange) -> String {
    let (request, outcome) = line_parts(exchange);
    format!("{request} → {outcome}")
}

/// [`line_of`] for a sentence: the request line and an error code are quoted from the input.
fn line_words(exchange: &Exchange) -> String {
    let (request, outcome) = line_parts(exchange);
    let outcome = match &exchange.transport_error {
        Some(e) if outcome == e.code => input(&outcome),
        _ => outcome,
    };
    format!("{} → {outcome}", input(&request))
}

fn line_parts(exchange: &Exchange) -> (String, String) {
    let request = exchange.request.as_ref().map_or_else(String::new, |r| {
        format!("{} {}", r.method.as_deref().unwrap_or(""), r.url)
            .trim()
            .to_owned()
    });
    let outcome = match (&exchange.response, &exchange.transport_error) {
        (Some(r), _) if r.status != 0 => r.status.to_string(),
        (_, Some(e)) => e.code.clone(),
        _ => "no response".to_owned(),
    };
    (request, outcome)
}

fn status(e: &Exchange) -> Option<u16> {
    e.response.as_ref().map(|r| r.status).filter(|s| *s != 0)
}

fn failed(e: &Exchange) -> bool {
    status(e).is_some_and(|s| s >= 400) || e.transport_error.is_some()
}

/// A call to obtain credentials: an OAuth token endpoint, a login or refresh.
fn is_credential_call(e: &Exchange) -> bool {
    let Some(request) = &e.request else {
        return false;
    };
    let path = url::path_of(&request.url).to_ascii_lowercase();
    let body = request.body.as_ref().map_or("", |b| b.text.as_str());
    body.contains("grant_type=")
        || body.contains("\"grant_type\"")
        || [
            "/token", "/login", "/signin", "/sign-in", "/refresh", "/session",
        ]
        .iter()
        .any(|p| {
            path.ends_with(p) || path.contains(&format!("{p}/")) || path.contains(&format!("{p}?"))
        })
}

/// A browser's CORS failure and what makes two of them the same failure: the reason the
/// browser gave (Chromium's words after `blocked by CORS policy:`, Firefox's `Reason:`), or
/// for Chromium's bare `ERR_FAILED` on a cross-origin request (how a HAR records a CORS
/// block) the preflight it needed: its method and non-safelisted headers.
fn cors_failure(e: &Exchange) -> Option<(String, String)> {
    let error = e.transport_error.as_ref()?;
    let request = e.request.as_ref()?;
    let target = url::origin(&request.url)?.to_owned();
    let cross_origin = e.page_origin.as_deref().is_some_and(|p| p != target);
    match classify(error) {
        Failure::Cors | Failure::PrivateNetwork => {
            let reason = ["CORS policy:", "(Reason:"]
                .iter()
                .find_map(|m| error.message.split(m).nth(1))?;
            // Without the URLs, which differ from call to call.
            let reason: String = reason
                .split_whitespace()
                .filter(|w| !w.contains("://"))
                .collect::<Vec<_>>()
                .join(" ");
            Some((target, reason))
        }
        _ if error.code == "net::ERR_FAILED" && cross_origin => {
            let method = request
                .method
                .as_deref()
                .unwrap_or("GET")
                .to_ascii_uppercase();
            let mut names: Vec<String> = request
                .headers
                .iter()
                .filter(|h| {
                    let name = h.name.to_ascii_lowercase();
                    name == "authorization"
                        || name.starts_with("x-")
                        || (name == "content-type"
                            && ![
                                "application/x-www-form-urlencoded",
                                "multipart/form-data",
                                "text/plain",
                            ]
                            .iter()
                            .any(|t| h.value.to_ascii_lowercase().starts_with(t)))
                })
                .map(|h| h.name.to_ascii_lowercase())
                .collect();
            names.sort();
            let preflighted =
                !matches!(method.as_str(), "GET" | "HEAD" | "POST") || !names.is_empty();
            preflighted.then(|| {
                (
                    target,
                    format!("preflight of {method} with {}", names.join(", ")),
                )
            })
        }
        _ => None,
    }
}

/// The cascade of `root`, when it has consequences: its summary is written from their count
/// and the plural ending that count takes.
fn cascade(
    root: usize,
    consequences: Vec<usize>,
    kind: RootFailureKind,
    summary: impl FnOnce(usize, &'static str) -> String,
) -> Option<RootFailure> {
    let count = consequences.len();
    (count > 0).then(|| RootFailure {
        root,
        summary: summary(count, if count == 1 { "" } else { "s" }).into(),
        consequences,
        kind,
    })
}

/// How many of the first failures are tried as the root of a cascade.
const MAX_ROOTS: usize = 16;

/// The first failure that explains later ones, when the capture shows one.
pub(crate) fn detect(capture: &Capture) -> Option<RootFailure> {
    let exchanges = &capture.exchanges;
    if exchanges.len() < 2 {
        return None;
    }
    // Each exchange's CORS shape, once; the root is among the first failures (a capture of
    // thousands of unrelated failures costs a bounded number of passes).
    let shapes: Vec<Option<(String, String)>> = exchanges.iter().map(cors_failure).collect();
    // The 5xx answers, once: each root that could be a failed dependency looks through
    // those after it, not through every exchange.
    let server_errors: Vec<usize> = (0..exchanges.len())
        .filter(|&j| status(&exchanges[j]).is_some_and(|s| s >= 500))
        .collect();
    let roots = exchanges
        .iter()
        .enumerate()
        .filter(|(_, e)| failed(e))
        .take(MAX_ROOTS);
    for (i, root) in roots {
        let later = || exchanges.iter().enumerate().skip(i + 1);
        // A failed token refresh or login, then 401s.
        if is_credential_call(root) {
            let consequences: Vec<usize> = later()
                .filter(|(_, e)| status(e) == Some(401) && !is_credential_call(e))
                .map(|(j, _)| j)
                .collect();
            if let Some(found) = cascade(i, consequences, RootFailureKind::Auth, |count, plural| {
                format!(
                    "the credentials call {} failed, and {} call{} after it got 401",
                    line_words(root),
                    count,
                    plural
                )
            }) {
                return Some(found);
            }
        }
        // A dependency that failed, quoted by the errors after it.
        if let Some(request) = &root.request
            && (status(root).is_some_and(|s| s >= 500) || root.transport_error.is_some())
        {
            let path = url::path_of(&request.url);
            let path = path.split('?').next().unwrap_or(path);
            // A path specific enough to be quoted only about this call (`/inventory/stock`,
            // not `/api`), or the whole URL.
            let specific = path.split('/').filter(|s| !s.is_empty()).count() >= 2;
            if path.len() > 1 {
                // The path is part of the URL, so a body that quotes the URL quotes the path:
                // one search per body, for the path when it is specific, else the URL. The
                // searcher is set up once for every later body (thousands, in a HAR).
                let needle = if specific { path } else { request.url.as_str() };
                let quoting = memchr::memmem::Finder::new(needle.as_bytes());
                let quoted = |body: &str| quoting.find(body.as_bytes()).is_some();
                let after_root = server_errors.partition_point(|&j| j <= i);
                let consequences: Vec<usize> = server_errors[after_root..]
                    .iter()
                    .copied()
                    .filter(|&j| {
                        exchanges[j]
                            .response
                            .as_ref()
                            .is_some_and(|r| quoted(r.body_text()))
                    })
                    .collect();
                if let Some(found) = cascade(
                    i,
                    consequences,
                    RootFailureKind::Dependency,
                    |count, plural| {
                        format!(
                            "{} failed, and {} call{} after it failed quoting it",
                            line_words(root),
                            count,
                            plural
                        )
                    },
                ) {
                    return Some(found);
                }
            }
        }
        // A rejected preflight (DevTools records it as its own OPTIONS entry), then the
        // blocked calls it was for.
        if let Some(request) = root
            .request
            .as_ref()
            .filter(|r| r.method_is("OPTIONS") && status(root).is_some_and(|s| s >= 400))
        {
            let consequences: Vec<usize> = later()
                .filter(|(_, e)| {
                    e.transport_error.is_some()
                        && e.request.as_ref().is_some_and(|r| r.url == request.url)
                })
                .map(|(j, _)| j)
                .collect();
            if let Some(found) = cascade(i, consequences, RootFailureKind::Cors, |_, plural| {
                format!(
                    "the preflight {} was rejected, so the browser blocked the call{} it was for",
                    line_words(root),
                    plural
                )
            }) {
                return Some(found);
            }
        }
        // A CORS block, then the same block for the same origin.
        if let Some(shape) = &shapes[i] {
            let origin = &shape.0;
            let consequences: Vec<usize> = later()
                .filter(|(j, _)| shapes[*j].as_ref() == Some(shape))
                .map(|(j, _)| j)
                .collect();
            let preflight = root
                .transport_error
                .as_ref()
                .is_some_and(|e| e.message.contains("preflight"))
                || shape.1.starts_with("preflight");
            let how = if preflight {
                " (its preflight failed)"
            } else {
                ""
            };
            if let Some(found) = cascade(i, consequences, RootFailureKind::Cors, |count, plural| {
                format!(
                    "the browser blocked {}{how}, and {count} more call{plural} to {} the same way",
                    line_words(root),
                    input(origin)
                )
            }) {
                return Some(found);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(url: &str, status: u16, body: &str) -> Exchange {
        Exchange::answered(url, status, Vec::new(), Some(body))
    }

    fn consequences(exchanges: Vec<Exchange>) -> Option<Vec<usize>> {
        detect(&Capture {
            exchanges,
            ..Capture::default()
        })
        .map(|root| root.consequences)
    }

    /// A later 5xx quotes a failed dependency by its specific path (with or without its
    /// origin), a path of one segment only by the whole URL; earlier errors and other
    /// statuses are not its consequences.
    #[test]
    fn a_dependency_is_quoted_by_its_specific_path_or_by_its_whole_url() {
        let stock = "http://127.0.0.1:8080/inventory/stock?warehouse=2";
        assert_eq!(
            consequences(vec![
                answered("http://127.0.0.1:8080/api/early", 503, "/inventory/stock"),
                answered(stock, 502, "Bad Gateway"),
                answered("http://127.0.0.1:8080/api/orders", 404, "/inventory/stock"),
                answered(
                    "http://127.0.0.1:8080/api/orders",
                    503,
                    "inventory at /inventory/stock failed"
                ),
                answered(
                    "http://127.0.0.1:8080/api/cart",
                    500,
                    &format!("upstream {stock}")
                ),
                answered("http://127.0.0.1:8080/api/cart", 500, "/inventory/other"),
            ]),
            Some(vec![3, 4])
        );
        let health = "http://127.0.0.1:8080/health";
        assert_eq!(
            consequences(vec![
                answered(health, 502, "Bad Gateway"),
                answered("http://127.0.0.1:8080/api/orders", 503, "/health is down"),
                answered(
                    "http://127.0.0.1:8080/api/cart",
                    503,
                    &format!("{health} is down")
                ),
            ]),
            Some(vec![2])
        );
        // Characters of several bytes in the path, quoted beside punctuation.
        let books = "https://bücher.test/lager/😀é?x=ü";
        assert_eq!(
            consequences(vec![
                answered(books, 500, ""),
                answered("https://bücher.test/a", 503, "«/lager/😀é»"),
                answered("https://bücher.test/b", 503, "/lager/😀"),
            ]),
            Some(vec![1])
        );
    }
}
