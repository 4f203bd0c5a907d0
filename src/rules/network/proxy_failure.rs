use crate::knowledge::transport::{Failure, classify};
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, network};

rule! {
    /// The client's own proxy failed: curl (5) `Could not resolve proxy`, curl (56)
    /// `CONNECT tunnel failed, response 403`, Chromium's `ERR_PROXY_CONNECTION_FAILED` and
    /// `ERR_TUNNEL_CONNECTION_FAILED`, Python's `ProxyError`. The request never reached the
    /// API.
    NetworkProxyFailure {
        id: "network.proxy-failure",
        severity: Error,
        title: "The proxy between the client and the API failed",
        reference: Some("https://everything.curl.dev/usingcurl/proxies/"),
        fixtures: [
            "proxy/proxy-unresolvable.txt",
            "proxy/squid-connect-403.txt",
            "proxy/chromium-proxy-dead.har",
            "proxy/chromium-tunnel-refused.har",
            "proxy/chromium-proxy-dead-console.txt",
            "proxy/proxy-refused.txt",
        ],
        explanation: "The client was configured to go through a forward proxy (an `HTTPS_PROXY`/`HTTP_PROXY` variable, `-x`, the system or PAC settings), and the proxy could not be reached, could not be resolved, or refused to open a tunnel to the API's host. The API itself was never contacted, so nothing about it can be judged from this.",
        fix: {
            caller: "Check which proxy the client uses (`env | grep -i proxy`, the browser's proxy settings or PAC file); fix its address, or exclude the API's host with `NO_PROXY`. A tunnel refused with 403 means the proxy's policy forbids that host or port: ask its administrators.",
            owner: "Nothing on the API's side: the request stopped at the caller's proxy. If many callers sit behind corporate proxies, document the hosts and ports to allow.",
        },
    }
}

impl Rule for NetworkProxyFailure {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let message = cx.transport_error().map_or("", |e| e.message.as_str());
        let how = if message.contains("resolve proxy") {
            "The proxy's host name could not be resolved"
        } else if message.contains("TUNNEL") || message.contains("CONNECT tunnel") {
            "The proxy refused to open a tunnel"
        } else {
            "The proxy could not be reached"
        };
        if let Some(f) = network::finding(cx, self.meta(), Failure::Proxy, |host| {
            format!("{how}: the request to {host} never left it")
        }) {
            out.push(f);
            return;
        }
        let Some((proxy, command)) = unreachable_proxy(cx) else {
            return;
        };
        let Some(error) = cx.transport_error() else {
            return;
        };
        out.extend(
            network::finding(cx, self.meta(), classify(error), |target| {
                format!(
                    "The proxy {} could not be reached: the request to {target} never left the client",
                    input(&proxy)
                )
            })
            .map(|f| f.with_evidence(command)),
        );
    }
}

/// The proxy the command line names, when the connection that failed was the one to it:
/// curl's words for a proxy it could not reach are those of any connection (`Failed to
/// connect to 127.0.0.1 port 18239`); the command's `-x` says whose.
pub(super) fn unreachable_proxy(cx: &Cx) -> Option<(String, Evidence)> {
    let error = cx.transport_error()?;
    if !matches!(
        classify(error),
        Failure::Refused | Failure::Dns | Failure::Timeout
    ) {
        return None;
    }
    let (proxy, command) = proxy_option(cx)?;
    let host = proxy.split("://").nth(1).unwrap_or(&proxy);
    let (name, port) = host
        .trim_end_matches('/')
        .rsplit_once(':')
        .unwrap_or((host, ""));
    let names_proxy = error.message.contains(&format!("{name} port {port}"))
        || error.message.contains(&format!("{name}:{port}"))
        || (port.is_empty() && error.message.contains(name));
    names_proxy.then_some((proxy, command))
}

/// curl's `-x URL` / `--proxy URL` on the command line the paste shows, and that line.
fn proxy_option(cx: &Cx) -> Option<(String, Evidence)> {
    for line in cx.input.lines().take(50) {
        let command = line.trim_start_matches(['$', '>', '%', '#', ' ']);
        if !command.starts_with("curl ") {
            continue;
        }
        let words: Vec<&str> = command.split_whitespace().collect();
        let proxy = words.iter().enumerate().find_map(|(i, w)| match *w {
            "-x" | "--proxy" => words.get(i + 1).map(|v| (*v).to_owned()),
            w if w.starts_with("--proxy=") => Some(w["--proxy=".len()..].to_owned()),
            _ => None,
        })?;
        let proxy = proxy.trim_matches(['\'', '"']).to_owned();
        let start = line.as_ptr() as usize - cx.input.as_ptr() as usize;
        let evidence = Evidence::new(
            "command line",
            line,
            Some(crate::model::Span::new(start, start + line.len())),
        );
        return Some((proxy, evidence));
    }
    None
}
