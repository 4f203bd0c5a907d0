use crate::fix::RequestEdit;
use crate::model::HasHeaders;
use crate::report::Finding;
use crate::rules::{Cx, Rule, Side, auth};

rule! {
    /// The server's WWW-Authenticate challenges one scheme (Bearer) and the request used
    /// another (Basic, `Token`, `JWT`, `Api-Key`).
    AuthSchemeMismatch {
        id: "auth.scheme-mismatch",
        severity: Error,
        title: "The request uses another authentication scheme than the server asks for",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-www-authenticate"),
        fixtures: ["fastapi/401-token-scheme.txt"],
        explanation: "WWW-Authenticate lists the schemes the server accepts. A credential in another scheme is not even examined. `Token` and `JWT` are conventions of particular frameworks (DRF's TokenAuthentication, old JWT libraries); standard bearer tokens use `Bearer`.",
        fix: {
            caller: "Use the scheme the server's WWW-Authenticate challenge names.",
            owner: "Accept the scheme your documentation shows, and name it in WWW-Authenticate.",
        },
    }
}

impl Rule for AuthSchemeMismatch {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(h) = cx.request().and_then(|r| r.header("authorization")) else {
            return;
        };
        let Some((used, _)) = h.value.trim().split_once(' ') else {
            return;
        };
        let used = used.trim_end_matches(':').to_ascii_lowercase();
        let challenges = auth::challenges(cx);
        if challenges.is_empty()
            || challenges.iter().any(|(s, _)| *s == used)
            || cx.status() != Some(401)
        {
            return;
        }
        let asked: Vec<&str> = challenges
            .iter()
            .filter_map(|(_, h)| h.value.split([' ', ',']).next())
            .collect();
        let mut finding = self.meta().finding(
            format!(
                "The server asks for {} but the request sent {}",
                asked.join(" or "),
                h.value.split(' ').next().unwrap_or("")
            ),
            cx.header_evidence(Side::Request, h),
        );
        for (_, challenge) in &challenges {
            finding = finding.with_evidence(cx.header_evidence(Side::Response, challenge));
        }
        // A token sent under another token scheme (`Token`, `JWT`) is the same token as a
        // bearer one; a password (Basic) or a challenge answer (Digest) is not.
        let token_scheme = !matches!(used.as_str(), "basic" | "digest" | "negotiate" | "ntlm");
        if token_scheme && asked[0].eq_ignore_ascii_case("bearer") {
            finding = finding.edit(RequestEdit::AuthScheme("Bearer".to_owned()));
        }
        out.push(finding.caller_fix(format!(
            "Send the credential with the {} scheme, in the form the API documents.",
            asked[0]
        )));
    }
}
