use crate::knowledge::transport::Failure;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, browser};

rule! {
    /// Private Network Access: the browser refused a request from a page to a more private
    /// address space (a public page to a private or loopback address, a private page to
    /// `localhost`): `ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS`, Chromium's `Permission was
    /// denied for this request to access the \`loopback\` address space`, a preflight answered
    /// without `Access-Control-Allow-Private-Network`.
    BrowserPrivateNetworkBlocked {
        id: "browser.private-network-blocked",
        severity: Error,
        title: "The browser blocked a request into a private network",
        reference: Some("https://developer.chrome.com/blog/private-network-access-preflight"),
        fixtures: ["browser/private-network-console.txt"],
        explanation: "Chromium's Private Network Access protects devices on private networks and the local machine from web pages: a page may only reach a more private address space than its own (`local` is a private network, `loopback` the machine itself) if it is a secure context and the target answers the preflight with `Access-Control-Allow-Private-Network: true`, or the user grants the permission. Here the target's address space is more private than the page's, and the check failed, so the browser withheld the request like a CORS failure.",
        fix: {
            caller: "Serve the page over HTTPS (a secure context), or call the service through an address in the same space as the page (a public host name instead of an IP on the LAN); for local development, run page and API on the same origin.",
            owner: "Answer the preflight (`OPTIONS` with `Access-Control-Request-Private-Network: true`) with `Access-Control-Allow-Private-Network: true` besides the usual CORS headers, and serve the page over HTTPS.",
        },
    }
}

impl Rule for BrowserPrivateNetworkBlocked {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // The preflight asked for private-network access and the answer did not grant it.
        if let Some(request) = cx.request()
            && let Some(asked) = request
                .header("access-control-request-private-network")
                .filter(|h| h.value.trim().eq_ignore_ascii_case("true"))
            && let Some(response) = cx.response().filter(|r| r.status != 0)
            && response
                .header_value("access-control-allow-private-network")
                .is_none_or(|v| !v.trim().eq_ignore_ascii_case("true"))
        {
            let target = crate::knowledge::url::origin(&request.url)
                .map_or_else(|| "the server".to_owned(), input);
            out.extend(
                self.meta()
                    .finding_from(
                        format!("The preflight to {target} asked for private-network access and was not granted it"),
                        [cx.header_evidence(crate::rules::Side::Request, asked)]
                            .into_iter()
                            .chain(cx.status_evidence()),
                    )
                    .map(|f| {
                        f.explain(format!(
                            "The browser sent `Access-Control-Request-Private-Network: true` with the preflight, and the answer ({}) carries no `Access-Control-Allow-Private-Network: true`, so the request it was for is blocked. {}",
                            response.status,
                            self.meta().explanation
                        ))
                    }),
            );
            return;
        }
        // `… to access the \`loopback\` address space.`, `… from a less private address
        // space \`public\` …`
        let space = cx.transport_error().and_then(|e| {
            if let Some(end) = e.message.find("` address space") {
                let start = e.message[..end].rfind('`')? + 1;
                return Some(e.message[start..end].to_owned());
            }
            let at = e.message.find("address space `")? + "address space `".len();
            e.message[at..].split('`').next().map(str::to_owned)
        });
        out.extend(browser::blocked(
            cx,
            self.meta(),
            Failure::PrivateNetwork,
            |host, page| {
                let target = match space {
                    Some(s) => format!("{host} (the {} address space)", input(&s)),
                    None => host.to_owned(),
                };
                match page {
                    Some(page) => format!(
                        "The browser blocked {page} from reaching {target}: Private Network Access"
                    ),
                    None => format!(
                        "The browser blocked the request to {target}: Private Network Access"
                    ),
                }
            },
        ));
    }
}
