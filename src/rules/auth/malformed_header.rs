use crate::model::HasHeaders;
use crate::report::Finding;
use crate::rules::{Cx, Rule, Side};

rule! {
    /// Authorization is present but misshapen: `Bearer: x` (a colon after the scheme), the
    /// scheme written twice, quotes around the token, a line break or trailing whitespace
    /// (from `$(cat token)`), an empty token, a lowercase `bearer` (valid, but refused by some
    /// servers), or a Basic credential that is not base64.
    AuthMalformedHeader {
        id: "auth.malformed-header",
        severity: Error,
        title: "The Authorization header is malformed",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-authorization"),
        fixtures: ["fastapi/401-bearer-colon.txt"],
        explanation: "Servers parse Authorization strictly as `<scheme> <credentials>`. Anything extra becomes part of the token, which then fails to verify, and the request is treated as unauthenticated.",
        fix: {
            caller: "Send exactly `Authorization: Bearer <token>`: one space after the scheme, no colon, no quotes, no line break in the token.",
            owner: "Say in the 401 body what was wrong with the header shape; callers cannot see it otherwise.",
        },
    }
}

fn problem(value: &str) -> Option<(&'static str, &'static str)> {
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let rest_trim = rest.trim();
    if scheme.ends_with(':') {
        return Some((
            "a colon after the scheme (`Bearer: …`)",
            "Write `Bearer <token>`: the colon belongs only after the header name.",
        ));
    }
    if value.ends_with(['\n', '\r', '\t']) || value.contains("\\n") || rest.ends_with(' ') {
        return Some((
            "trailing whitespace or a line break after the token",
            "Strip the token: `$(cat token)` keeps the file's final newline; use `$(tr -d '\\n' < token)`.",
        ));
    }
    let first_word = rest_trim.split(' ').next().unwrap_or("");
    if first_word.eq_ignore_ascii_case(scheme) && !first_word.is_empty() {
        return Some((
            "the scheme twice (`Bearer Bearer …`)",
            "Add the scheme once: the stored token probably already includes it.",
        ));
    }
    if rest_trim.starts_with(['"', '\'']) || rest_trim.ends_with(['"', '\'']) {
        return Some((
            "quotes around the token",
            "Send the token without quotes; quotes in a shell command belong around the whole header.",
        ));
    }
    if rest_trim.is_empty() && !scheme.is_empty() && scheme.len() < 12 {
        return Some((
            "a scheme with no token after it",
            "The variable holding the token is empty: check it is set in this environment.",
        ));
    }
    if scheme.eq_ignore_ascii_case("basic") {
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest_trim)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        if decoded.is_none_or(|d| !d.contains(':')) {
            return Some((
                "a Basic credential that is not base64 of `user:password`",
                "Encode `user:password` with base64 (curl `-u user:password` does it).",
            ));
        }
    }
    if scheme == "bearer" {
        return Some((
            "a lowercase `bearer` scheme",
            "Write `Bearer`: schemes are case-insensitive by the standard, but some servers compare exactly.",
        ));
    }
    None
}

impl Rule for AuthMalformedHeader {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(h) = cx.request().and_then(|r| r.header("authorization")) else {
            return;
        };
        if !h.value.trim().contains(' ')
            && !h.value.trim().ends_with(':')
            && !h.value.ends_with(['\n', '\r'])
        {
            return; // a bare token is auth.scheme-missing
        }
        let Some((what, fix)) = problem(&h.value) else {
            return;
        };
        if cx.status().is_some_and(|s| s < 400) {
            return;
        }
        out.push(
            self.meta()
                .finding(
                    format!("The Authorization header has {what}"),
                    cx.header_evidence(Side::Request, h),
                )
                .with_all_evidence(cx.status_evidence())
                .caller_fix(fix),
        );
    }
}
