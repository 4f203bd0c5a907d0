use crate::knowledge::url;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule};

rule! {
    /// The URL holds a placeholder or artefact that a program left behind: `undefined`,
    /// `null`, `NaN`, `[object Object]`, a template variable (`{id}`, `:id`, `%7Bid%7D`,
    /// `${id}`), a doubled slash, encoded whitespace or a line break, or an unencoded space.
    UrlSuspiciousPath {
        id: "url.suspicious-path",
        severity: Error,
        title: "The URL holds a placeholder or artefact",
        reference: Some("https://www.rfc-editor.org/rfc/rfc3986#section-3.3"),
        fixtures: ["express/404-undefined-id.txt"],
        explanation: "The server received this text literally as part of the path, so it routes to nothing or to the wrong resource. In JavaScript an unset variable in a template string becomes `undefined`; an object becomes `[object Object]`; an unexpanded template keeps its braces.",
        fix: {
            caller: "Find where the URL is built and check the variable is set (and encoded with encodeURIComponent) before the request is made.",
            owner: "Validate path parameters and answer 400 naming the bad value rather than a bare 404.",
        },
    }
}

fn artefact(path: &str) -> Option<(&'static str, String)> {
    for segment in path.split('/') {
        match segment {
            "undefined" | "null" | "NaN" | "None" | "nil" => {
                return Some(("a variable that was never set", segment.to_owned()));
            }
            "%5Bobject%20Object%5D" | "[object%20Object]" | "[object Object]" => {
                return Some(("an object turned into a string", segment.to_owned()));
            }
            _ => {}
        }
        if (segment.starts_with('{') && segment.ends_with('}'))
            || (segment.starts_with("%7B") && segment.ends_with("%7D"))
            || segment.starts_with("${")
            || segment.starts_with("%24%7B")
        {
            return Some((
                "a template placeholder that was never filled in",
                segment.to_owned(),
            ));
        }
        if segment.len() > 1
            && segment.starts_with(':')
            && segment[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Some(("a route parameter written literally", segment.to_owned()));
        }
    }
    if path.len() > 1 && path.contains("//") {
        return Some((
            "a doubled slash (an empty segment, often an empty variable)",
            "//".to_owned(),
        ));
    }
    for (needle, what) in [
        ("%0A", "an encoded line break"),
        ("%0D", "an encoded carriage return"),
        ("%09", "an encoded tab"),
    ] {
        if path.to_ascii_uppercase().contains(needle) {
            return Some((what, needle.to_owned()));
        }
    }
    if path.ends_with("%20") || path.contains("/%20") || path.contains("%20/") {
        return Some((
            "an encoded space at the edge of a segment",
            "%20".to_owned(),
        ));
    }
    if path.contains(' ') {
        return Some(("an unencoded space", " ".to_owned()));
    }
    None
}

impl Rule for UrlSuspiciousPath {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(request) = cx.request() else { return };
        // A `file://` (or other non-HTTP) address is a page opened from disk, not a path a
        // server was asked for.
        let scheme = request.url.split_once("://").map(|(s, _)| s);
        if scheme
            .is_some_and(|s| !s.eq_ignore_ascii_case("http") && !s.eq_ignore_ascii_case("https"))
        {
            return;
        }
        if cx.status().is_some_and(|s| s < 400) {
            return;
        }
        let path = url::path_of(&request.url);
        let Some((what, segment)) = artefact(path) else {
            return;
        };
        out.extend(self.meta().finding_from(
            format!("The path {} holds {what}: {}", input(path), input(&segment)),
            cx.request_line_evidence(),
        ));
    }
}
