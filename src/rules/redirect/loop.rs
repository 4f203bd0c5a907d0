use crate::knowledge::url;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, redirect};

rule! {
    /// A redirect chain that revisits a URL, or a client that stopped at its redirect limit:
    /// curl's `(47) Maximum (50) redirects followed`, Chromium's `ERR_TOO_MANY_REDIRECTS`,
    /// Firefox's "The page isn't redirecting properly", axios' `Maximum number of redirects
    /// exceeded`, Python requests' `Exceeded 30 redirects`, Go's `stopped after 10
    /// redirects`. Reported once, on the chain's last exchange, with the cycle it found.
    RedirectLoop {
        id: "redirect.loop",
        severity: Error,
        title: "The redirects loop",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.4"),
        fixtures: ["redirect/loop.txt", "redirect/chromium-redirects.har", "redirect/chromium-redirects-console.txt"],
        explanation: "Each answer redirects to a URL that redirects back, so the client gives up after its limit (curl 50, Chromium 20, Go 10, requests 30). Common causes: an app and a proxy disagreeing about http vs https (the proxy terminates TLS, the app sees http and redirects to https again), trailing-slash rules that undo each other, a login page that itself requires login, or a cookie the client never stores so every request looks new.",
        fix: {
            caller: "Follow the chain by hand (`curl -sv` without `-L`) to see the cycle; send the cookie the server sets (`-b`/`-c` with curl), and call the final URL directly.",
            owner: "Break the cycle: trust `X-Forwarded-Proto` from the TLS-terminating proxy (Django `SECURE_PROXY_SSL_HEADER`, Express `trust proxy`, Rails `assume_ssl`), make login pages public, and make slash rules agree.",
        },
    }
}

const LIMIT_SIGNS: &[&str] = &[
    "ERR_TOO_MANY_REDIRECTS",
    "redirects followed",
    "too many redirects",
    "Too many redirects",
    "Maximum number of redirects exceeded",
    "Exceeded 30 redirects",
    "stopped after 10 redirects",
    "isn't redirecting properly",
    "TooManyRedirects",
    "redirect count exceeded",
];

impl Rule for RedirectLoop {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let exchanges = &cx.capture.exchanges;
        // Only at the end of a chain.
        if redirect::followed(exchanges, cx.index) {
            return;
        }
        let chain = redirect::chain_ending_at(cx, cx.index);
        let urls: Vec<&str> = chain
            .clone()
            .filter_map(|i| exchanges[i].request.as_ref().map(|r| r.url.as_str()))
            .collect();
        // The first URL asked for again: one look-up per hop, so a chain of thousands of
        // redirects costs thousands of steps, not millions.
        let mut revisit = None;
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        // One URL (an exchange no redirect led to: most of a capture) asks for none again.
        for (i, u) in urls.iter().enumerate().filter(|_| urls.len() > 1) {
            let key = redirect::url_key(u);
            if let Some(&j) = seen.get(&key) {
                revisit = Some((j, i));
                break;
            }
            seen.insert(key, i);
        }
        // The last answer may point back into the chain, unfollowed.
        if revisit.is_none()
            && let Some((target, _)) = redirect::redirect_of(cx.exchange)
            && let Some(j) = urls.iter().position(|p| redirect::same_url(p, &target))
        {
            revisit = Some((j, urls.len()));
        }
        let limit = cx.transport_error().filter(|e| {
            LIMIT_SIGNS
                .iter()
                .any(|s| e.message.contains(s) || e.code.contains(s))
        });
        if revisit.is_none() && limit.is_none() {
            return;
        }
        // The redirects the client followed.
        let redirects = chain.clone().count() - 1;
        let cycle = revisit.map(|(j, i)| {
            let mut steps: Vec<&str> = urls[j..i.min(urls.len())]
                .iter()
                .map(|u| url::path_of(u))
                .collect();
            steps.push(url::path_of(urls[j]));
            input(&steps.join(" → "))
        });
        let title = match (&cycle, limit) {
            (Some(c), Some(_)) => format!(
                "The redirects loop ({c} …) until the client gave up after following {redirects}"
            ),
            (Some(c), None) => format!("The redirects loop: {c}"),
            (None, Some(_)) => {
                "The client stopped at its redirect limit: the redirects loop".to_owned()
            }
            (None, None) => return,
        };
        let mut evidence = Vec::new();
        if let Some((j, _)) = revisit {
            for i in chain.clone().skip(j).take(2) {
                if let Some((_, location)) = redirect::redirect_of(&exchanges[i]) {
                    evidence.push(crate::rules::Cx::header_evidence(
                        cx,
                        crate::rules::Side::Response,
                        location,
                    ));
                }
            }
        }
        evidence.extend(cx.transport_evidence());
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}
