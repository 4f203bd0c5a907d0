use crate::knowledge::url;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, request::human_bytes};

rule! {
    /// 414 URI Too Long: states the URL's length and what makes it long — the query
    /// parameter with the longest value, or one repeated many times.
    RequestUriTooLong {
        id: "request.uri-too-long",
        severity: Error,
        title: "The URL is longer than the server accepts",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.15"),
        fixtures: ["limits/nginx-414-uri-too-long.txt"],
        explanation: "Servers cap the request line: nginx `large_client_header_buffers` (8 kB by default; a smaller `client_header_buffer_size` on some setups), Apache `LimitRequestLine` (8 kB), IIS 4 kB for the query, CDNs and browsers around 8–16 kB. Long lists of IDs, filters or encoded state in the query string reach them.",
        fix: {
            caller: "Send long inputs in a POST body (many APIs offer a search or batch endpoint), or split the list over several requests.",
            owner: "Offer a POST variant for large queries, or raise the request-line limit where the URL is legitimately long.",
        },
    }
}

impl Rule for RequestUriTooLong {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if cx.status() != Some(414) {
            return;
        }
        let Some(status) = cx.status_evidence() else {
            return;
        };
        let mut finding_evidence = vec![status];
        let title = match cx.request() {
            Some(request) => {
                let length = request.url.len();
                let longest = url::query_pairs(&request.url).max_by_key(|(_, v)| v.len());
                let count = url::query_pairs(&request.url).count();
                let cause = match longest {
                    Some((name, value)) if value.len() * 2 > length => {
                        let items = value.split([',', '+']).count();
                        if items > 3 {
                            format!(
                                "; its {} parameter alone is {} ({items} values)",
                                input(name),
                                human_bytes(value.len())
                            )
                        } else {
                            format!(
                                "; its {} parameter alone is {}",
                                input(name),
                                human_bytes(value.len())
                            )
                        }
                    }
                    Some(_) if count > 20 => format!("; it has {count} query parameters"),
                    _ => String::new(),
                };
                finding_evidence.extend(cx.request_line_evidence().map(|mut e| {
                    // A long URL is quoted by its start.
                    if e.quote.chars().count() > 200 {
                        e.quote = crate::knowledge::text::clip(&e.quote, 200);
                        e.span = None;
                    }
                    e
                }));
                format!("The server refused a URL of {length} characters{cause}")
            }
            None => "The server refused the URL as too long (414)".to_owned(),
        };
        if let Some(finding) = self.meta().finding_from(title, finding_evidence) {
            out.push(finding);
        }
    }
}
