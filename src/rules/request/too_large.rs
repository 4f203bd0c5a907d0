use crate::knowledge::text::Signatures;
use crate::model::HasHeaders;
use crate::report::{Evidence, Finding};
use crate::rules::{Cx, Rule, Side, request::human_bytes};

rule! {
    /// 413 Content Too Large, or a server's or proxy's size refusal under another status
    /// (body-parser's `request entity too large`, API Gateway's `Request Too Long`, Vercel's
    /// `FUNCTION_PAYLOAD_TOO_LARGE`). Compares the request's size (its Content-Length or
    /// body) with the limit of the software that answered when it is known: nginx's
    /// `client_max_body_size` (1 MB by default), Express body-parser (100 kB), API Gateway
    /// (10 MB), Vercel functions (4.5 MB), Cloudflare (100 MB).
    RequestTooLarge {
        id: "request.too-large",
        severity: Error,
        title: "The request body is larger than the server accepts",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14"),
        fixtures: [
            "limits/nginx-413-body-too-large.txt",
            "limits/express-413-request-entity-too-large.txt",
        ],
        explanation: "Every layer between client and application caps the request body: the reverse proxy (nginx `client_max_body_size`, 1 MB by default), the platform (API Gateway 10 MB, Lambda 6 MB, Vercel 4.5 MB, Cloudflare 100 MB on most plans) and the framework's body parser (Express `express.json()` 100 kB). A body over any of them is refused before the application sees it, often by the layer's own error page.",
        fix: {
            caller: "Send less per request: paginate or batch, compress, or upload large files directly to storage (a pre-signed URL) or in chunks.",
            owner: "Raise the limit at the layer that refused (nginx `client_max_body_size 20m;`, `express.json({ limit: '5mb' })`) and keep the others consistent, or document the limit and answer with it in the error.",
        },
    }
}

static SIGNS: Signatures = Signatures::ignoring_case(&[
    "request entity too large",
    "payload too large",
    "content too large",
    "request body too large",
    "request too long",
    "function_payload_too_large",
    "maximum request body size",
    "client intended to send too large body",
    "exceeds the maximum allowed size",
]);

/// The layer that refused and its default limit, by the response's signs.
fn limit(cx: &Cx) -> Option<(&'static str, usize, &'static str)> {
    let response = cx.response()?;
    let body = response.body_text();
    let server = response
        .header_value("server")
        .unwrap_or("")
        .to_ascii_lowercase();
    if body.contains("PayloadTooLargeError") || body.contains("raw-body") {
        return Some(("Express body-parser's default limit", 100 * 1024, "100 kB"));
    }
    if body.contains("FUNCTION_PAYLOAD_TOO_LARGE") {
        return Some(("Vercel's function body limit", 4_500_000, "4.5 MB"));
    }
    if response.header("x-amz-apigw-id").is_some() || response.header("x-amzn-errortype").is_some()
    {
        return Some(("API Gateway's payload limit", 10 * 1024 * 1024, "10 MB"));
    }
    if server.starts_with("nginx") || body.contains("<center>nginx") {
        return Some(("nginx's default client_max_body_size", 1024 * 1024, "1 MB"));
    }
    if server == "cloudflare" {
        return Some((
            "Cloudflare's upload limit (Free and Pro plans)",
            100 * 1024 * 1024,
            "100 MB",
        ));
    }
    None
}

impl Rule for RequestTooLarge {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(status) = cx.status() else { return };
        // A success is never refused; the body's signatures are searched on errors only.
        if status < 400 {
            return;
        }
        let sign = cx.response_signature(&SIGNS);
        if status != 413 && sign.is_none() {
            return;
        }
        let request = cx.request();
        let length = request.and_then(|r| r.header("content-length"));
        let size = length
            .and_then(|h| h.value.trim().parse::<usize>().ok())
            .or_else(|| {
                request
                    .and_then(|r| r.body.as_ref())
                    .map(|b| b.text.len())
                    .filter(|n| *n > 0)
            });
        let limit = limit(cx);
        let title = match (size, limit) {
            (Some(size), Some((layer, max, words))) if size > max => format!(
                "The server refused the {} request body as too large: {layer} is {words}",
                human_bytes(size)
            ),
            (Some(size), Some((layer, _, words))) => format!(
                "The server refused the {} request body as too large: under {layer} ({words}), so a lower limit is configured",
                human_bytes(size)
            ),
            (Some(size), None) => format!(
                "The server refused the {} request body as too large ({status})",
                human_bytes(size)
            ),
            (None, Some((layer, _, words))) => {
                format!("The server refused the request body as too large: {layer} is {words}")
            }
            (None, None) => format!("The server refused the request body as too large ({status})"),
        };
        let mut evidence: Vec<Evidence> = cx.status_evidence().into_iter().collect();
        if let Some((_, e)) = sign {
            evidence.push(e);
        }
        if let Some(h) = length {
            evidence.push(cx.header_evidence(Side::Request, h));
        }
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}
