//! The `gateway.*` findings.

pub(super) mod cdn_origin_error;
pub(super) mod responder_identified;
pub(super) mod timeout_limit;
pub(super) mod upstream_bad_response;
pub(super) mod upstream_timeout;
pub(super) mod upstream_unreachable;

use crate::knowledge::responders::{self, Match, Place, Upstream, UpstreamSign};
use crate::report::{Evidence, input};
use crate::rules::{Cx, Side};

/// Where a proxy's own account of the failure was read: the status line or a body line.
fn place_evidence(cx: &Cx, place: Place) -> Option<Evidence> {
    match place {
        Place::Reason => cx.status_evidence(),
        Place::Body(at) => {
            let body = cx.response()?.body.as_ref()?;
            Some(cx.body_line_evidence(Side::Response, body, at))
        }
    }
}

/// The header, body line or status line a responder's signature matched.
pub(super) fn match_evidence(cx: &Cx, matched: &Match) -> Option<Evidence> {
    match matched {
        Match::Header(h) => Some(cx.header_evidence(Side::Response, h)),
        Match::Body(at) => place_evidence(cx, Place::Body(*at)),
        Match::Reason => cx.status_evidence(),
    }
}

/// What the layer that answered says went wrong upstream, when it says `kind`: its words as
/// evidence (or its status line and stock page), and what they mean.
pub(super) struct Account {
    pub who: &'static str,
    pub evidence: Vec<Evidence>,
    pub sign: Option<&'static UpstreamSign>,
    pub hint: &'static str,
}

pub(super) fn account(cx: &Cx, kind: Upstream) -> Option<Account> {
    let response = cx.response()?;
    // Upstream failures are told with a 5xx (or a vendor's 52x); everything else of a large
    // capture skips the search through the responders' texts.
    if (100..500).contains(&response.status) {
        return None;
    }
    let (found, sign) = cx.upstream()?;
    if found != kind {
        return None;
    }
    let responder = cx.responder().map(|(r, _)| r);
    let who = responder
        .map(|r| r.name)
        .or_else(|| sign.map(|(s, _)| s.by).filter(|by| !by.is_empty()));
    let mut evidence = Vec::new();
    if let Some((_, place)) = sign {
        evidence.extend(place_evidence(cx, place));
    } else {
        evidence.extend(cx.status_evidence());
        evidence.extend(
            responder
                .and_then(|r| responders::stock_match(r, response))
                .and_then(|m| match_evidence(cx, &m)),
        );
    }
    if !matches!(sign, Some((_, Place::Reason))) && sign.is_some() {
        evidence.extend(cx.status_evidence());
    }
    evidence.dedup();
    Some(Account {
        who: who.unwrap_or("The proxy"),
        evidence,
        sign: sign.map(|(s, _)| s),
        hint: responder.map_or("", |r| r.hint),
    })
}

/// "Envoy says: … " followed by the general explanation and where to look.
pub(super) fn explain(account: &Account, general: &str) -> String {
    let mut text = String::new();
    if let Some(sign) = account.sign.filter(|s| !s.means.is_empty()) {
        text.push_str(&format!("{} — {} ", input(sign.text), sign.means));
    }
    text.push_str(general);
    if !account.hint.is_empty() {
        text.push(' ');
        text.push_str(account.hint);
    }
    text
}
