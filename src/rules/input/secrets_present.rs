use crate::knowledge::secrets::mask_credential;
use crate::knowledge::{jwt, secrets, text, url};
use crate::model::{Header, Span};
use crate::report::{Evidence, Finding, input};
use crate::rules::{CaptureCx, Rule};

rule! {
    /// The input holds credentials: Authorization, Cookie and Set-Cookie values, API-key
    /// headers or query parameters, JWTs, or well-known key shapes (`sk_live_…`, `ghp_…`,
    /// `AKIA…`). They stay in this browser; a shared link or exported Markdown redacts them.
    /// Rotate any credential that was already pasted somewhere public.
    InputSecretsPresent {
        id: "input.secrets-present",
        severity: Info,
        title: "The input holds credentials",
        reference: None,
        fixtures: ["fastapi/401-expired-jwt.txt", "curl/bare-token.txt"],
        explanation: "Nothing leaves this page, but anything you paste into an issue tracker or chat does. Share links and Markdown exports replace these values with [redacted] (a JWT keeps its header and claims, which the diagnosis needs, and loses its signature).",
        fix: {
            caller: "Share with httpdx's Share button rather than the raw text; rotate any credential already pasted somewhere public.",
        },
    }
}

/// Whether evidence at `outer` already shows what is at `inner`.
fn covers(outer: Option<Span>, inner: Option<Span>) -> bool {
    matches!((outer, inner), (Some(o), Some(i)) if o.start <= i.start && i.end <= o.end)
}

impl Rule for InputSecretsPresent {
    /// Its search for key shapes and JWTs reads every byte of the input: 160 ms of a 58 MB
    /// HAR in Chromium's worker, where the search has no SIMD prefilter.
    fn checks_capture_last(&self) -> bool {
        true
    }

    fn check_capture(&self, cx: &CaptureCx, out: &mut Vec<Finding>) {
        // The kinds named in the title (a few, in order) and how many more there are.
        let mut kinds: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut more = 0;
        let mut evidence: Vec<Evidence> = Vec::new();
        // The evidence is written only when kept: a large HAR repeats the same headers in
        // every entry.
        let mut note = |kind: &str, span: Option<Span>, ev: &dyn Fn() -> Evidence| {
            if !seen.contains(kind) {
                seen.insert(kind.to_owned());
                if kinds.len() < 8 {
                    kinds.push(kind.to_owned());
                } else {
                    more += 1;
                }
            }
            if evidence.len() < 12 && !evidence.iter().any(|e| covers(e.span, span)) {
                evidence.push(ev());
            }
        };
        let header_ev = |location: &str, h: &Header| {
            Evidence::new(
                location,
                format!("{}: {}", h.name, mask_credential(&h.value)),
                h.span,
            )
        };
        // A capture's entries carry the same few header names: each one's words are written
        // once, not for every entry.
        let mut header_kinds: std::collections::HashMap<&str, String> =
            std::collections::HashMap::new();
        for exchange in &cx.capture.exchanges {
            if let Some(request) = &exchange.request {
                for h in request.headers.iter().filter(|h| {
                    secrets::is_credential_header(&h.name) && !h.value.trim().is_empty()
                }) {
                    let kind = header_kinds
                        .entry(h.name.as_ref())
                        .or_insert_with(|| format!("the {} header", input(&h.name)));
                    note(kind, h.span, &|| header_ev("request header", h));
                }
                for (name, value) in url::query_pairs(&request.url)
                    .filter(|(n, v)| secrets::is_secret_name(n) && !v.is_empty())
                {
                    note(
                        &format!("the {} query parameter", input(name)),
                        None,
                        &|| {
                            Evidence::new(
                                "request URL",
                                format!("{name}={}", mask_credential(value)),
                                None,
                            )
                        },
                    );
                }
                if url::origin(&request.url).is_some_and(|o| o.contains('@')) {
                    note("a password in the URL", None, &|| {
                        Evidence::new("request URL", "user:•••@host", None)
                    });
                }
            }
            if let Some(response) = &exchange.response {
                for h in response
                    .headers
                    .iter()
                    .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
                {
                    note("Set-Cookie values", h.span, &|| {
                        header_ev("response header", h)
                    });
                }
            }
        }
        for (start, end) in jwt::find_tokens(cx.input).take(50) {
            let span = Span::new(start, end);
            note("JWTs", Some(span), &|| {
                Evidence::new("input", mask_credential(&cx.input[start..end]), Some(span))
            });
        }
        for key in secrets::find_keys(cx.input) {
            let span = Span::new(key.start, key.end);
            note(&format!("a {}", key.what), Some(span), &|| {
                Evidence::new(
                    "input",
                    mask_credential(&cx.input[span.start..span.end]),
                    Some(span),
                )
            });
        }
        if kinds.is_empty() {
            return;
        }
        out.extend(self.meta().finding_from(
            format!(
                "The input holds credentials ({}{}); a shared link redacts them",
                text::join_words(&kinds),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
            evidence,
        ));
    }
}
