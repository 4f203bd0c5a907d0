use crate::knowledge::text::Signatures;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side, request::human_bytes};

rule! {
    /// 431 Request Header Fields Too Large, nginx's `400 Request Header Or Cookie Too Large`
    /// (and its internal 494), IIS's "The size of the request headers is too long": the
    /// request's headers, usually its cookies, exceed the server's buffer. Names the largest
    /// headers and, for Cookie, how many cookies it carries and the largest of them.
    RequestHeadersTooLarge {
        id: "request.headers-too-large",
        severity: Error,
        title: "The request's headers are larger than the server accepts",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6585#section-5"),
        fixtures: [
            "limits/nginx-400-cookie-too-large.txt",
            "limits/node-431-headers-too-large.txt",
        ],
        explanation: "Servers read request headers into a fixed buffer: nginx `large_client_header_buffers` (8 kB per line by default), Node.js `--max-http-header-size` (16 kB in total), Apache `LimitRequestFieldSize` (8 kB), IIS `MaxRequestBytes`, Cloudflare 32 kB in total. Cookies are the usual culprit: every cookie set for the domain and its parents (analytics, A/B tests, large session cookies holding a JWT) is sent on each request, until the header no longer fits.",
        fix: {
            caller: "Clear the site's cookies (or the large ones) and try again; send fewer or smaller custom headers and tokens.",
            owner: "Keep cookies small (a session ID, not a whole JWT or state), scope them to the paths and hosts that need them, and raise the buffer where needed (nginx `large_client_header_buffers 4 32k;`, Node `--max-http-header-size`).",
        },
    }
}

static SIGNS: Signatures = Signatures::ignoring_case(&[
    "request header or cookie too large",
    "request header fields too large",
    "request headers too large",
    "size of the request headers is too long",
    "header too long",
    "headers too large",
]);

impl Rule for RequestHeadersTooLarge {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(status) = cx.status() else { return };
        if !matches!(status, 400 | 431 | 494) {
            return;
        }
        // The body's signatures are searched only where they can decide.
        let sign = cx.response_signature(&SIGNS);
        if status == 400 && sign.is_none() {
            return;
        }
        let mut evidence: Vec<Evidence> = cx.status_evidence().into_iter().collect();
        if let Some((_, e)) = sign {
            evidence.push(e);
        }
        let mut detail = String::new();
        if let Some(request) = cx.request().filter(|r| !r.headers.is_empty()) {
            let total: usize = request
                .headers
                .iter()
                .map(|h| h.name.len() + h.value.len() + 4)
                .sum();
            let mut largest: Vec<_> = request.headers.iter().collect();
            largest.sort_by_key(|h| std::cmp::Reverse(h.value.len()));
            let top = largest[0];
            detail = format!(
                ": {} of headers, the largest {} ({})",
                human_bytes(total),
                top.name,
                human_bytes(top.value.len())
            );
            if top.name.eq_ignore_ascii_case("cookie") {
                let mut cookies: Vec<(&str, usize)> = top
                    .value
                    .split(';')
                    .map(|c| {
                        let c = c.trim();
                        (c.split('=').next().unwrap_or(c), c.len())
                    })
                    .filter(|(n, _)| !n.is_empty())
                    .collect();
                cookies.sort_by_key(|(_, len)| std::cmp::Reverse(*len));
                let names: Vec<String> = cookies
                    .iter()
                    .take(3)
                    .map(|(n, len)| format!("{} {}", input(n), human_bytes(*len)))
                    .collect();
                detail.push_str(&format!(
                    " with {} cookies; largest {}",
                    cookies.len(),
                    names.join(", ")
                ));
            }
            for h in largest
                .iter()
                .enumerate()
                .filter(|(i, h)| *i == 0 || h.value.len() > 1000)
                .map(|(_, h)| h)
                .take(3)
            {
                evidence.push(cx.header_evidence(Side::Request, h));
            }
        }
        let title = format!("The server refused the request's headers as too large{detail}");
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}
