//! One card per cause: the findings of an exchange grouped as the report shows them. A finding
//! whose rule declares that it `restates` another (the specific cause of a general symptom:
//! `auth.token-expired` for `auth.token-rejected`) takes that finding into its card; the cards
//! are ordered by severity, the first failure card is the verdict, and each quotation of the
//! input is shown once.

use crate::report::{Card, CardGroup, Finding, Severity};
use crate::rules::{RULES, RuleMeta};

/// The rule that produced `id`, if any (findings read back from JSON may name rules of a
/// newer release).
fn meta(id: &str) -> Option<&'static RuleMeta> {
    RULES.iter().map(|r| r.meta()).find(|m| m.id == id)
}

/// The cards of an exchange's findings (sorted by severity, as the engine lists them).
pub fn layout(findings: &[Finding]) -> Vec<Card> {
    if findings.is_empty() {
        return Vec::new();
    }
    let count = findings.len();
    // What each finding's rule restates, looked up once per finding.
    let declared: Vec<&[&str]> = findings
        .iter()
        .map(|f| meta(f.id).map_or(&[][..], |m| m.restates))
        .collect();
    let restates = |leader: usize, other: usize| {
        findings[leader].id != findings[other].id && declared[leader].contains(&findings[other].id)
    };
    // The finding each one's card is led by: the first that restates it, else itself.
    let direct: Vec<usize> = (0..count)
        .map(|i| (0..count).find(|&j| restates(j, i)).unwrap_or(i))
        .collect();
    // Follow chains (a restates b restates c) to the card's leader. The relation has no
    // cycles (a test checks the declarations); the bound keeps a future mistake finite.
    let leader = |mut i: usize| {
        for _ in 0..count {
            if direct[i] == i {
                break;
            }
            i = direct[i];
        }
        i
    };
    let mut cards: Vec<(Severity, Vec<usize>)> = Vec::new();
    let mut card_of_leader: Vec<Option<usize>> = vec![None; count];
    for i in 0..count {
        let lead = leader(i);
        let at = *card_of_leader[lead].get_or_insert_with(|| {
            cards.push((findings[lead].severity, vec![lead]));
            cards.len() - 1
        });
        let card = &mut cards[at];
        card.0 = card.0.min(findings[i].severity);
        if i != lead {
            card.1.push(i);
        }
    }
    // Severity first; among equals, a card that explains another finding is the better
    // verdict (it is corroborated); then the engine's order.
    cards.sort_by_key(|(severity, members)| (*severity, members.len() == 1, members[0]));

    let mut quoted: Vec<(&str, Option<crate::model::Span>)> = Vec::new();
    cards
        .into_iter()
        .enumerate()
        .map(|(position, (severity, members))| {
            let group = match severity {
                Severity::Error | Severity::Warning if position == 0 => CardGroup::Verdict,
                Severity::Error => CardGroup::Error,
                Severity::Warning => CardGroup::Contributing,
                Severity::Info => CardGroup::Context,
            };
            let mut evidence = Vec::new();
            for &f in &members {
                for (e, item) in findings[f].evidence().iter().enumerate() {
                    let key = (item.quote.as_str(), item.span);
                    if !quoted.contains(&key) {
                        quoted.push(key);
                        evidence.push([f, e]);
                    }
                }
            }
            // A card always quotes something: its leader's first evidence, even if an
            // earlier card quoted it too.
            if evidence.is_empty() {
                evidence.push([members[0], 0]);
            }
            Card {
                group,
                severity,
                findings: members,
                evidence,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Evidence;

    fn finding(id: &'static str, severity: Severity, quote: &str) -> Finding {
        Finding::new(
            id,
            severity,
            id.to_owned(),
            Evidence::new("response header", quote, None),
            None,
        )
    }

    #[test]
    fn every_restated_id_is_a_rule_and_no_rule_restates_itself_in_a_cycle() {
        for rule in RULES {
            let meta = rule.meta();
            for restated in meta.restates {
                assert!(
                    super::meta(restated).is_some(),
                    "{} restates unknown {restated}",
                    meta.id
                );
            }
            // Walk every path from this rule: it must never come back.
            let mut frontier: Vec<&str> = meta.restates.to_vec();
            let mut seen: Vec<&str> = Vec::new();
            while let Some(id) = frontier.pop() {
                assert_ne!(id, meta.id, "{} restates itself through a cycle", meta.id);
                if !seen.contains(&id) {
                    seen.push(id);
                    frontier.extend(super::meta(id).map_or(&[][..], |m| m.restates));
                }
            }
        }
    }

    #[test]
    fn a_specific_cause_leads_the_card_of_the_symptom_it_explains() {
        let findings = [
            finding(
                "auth.token-rejected",
                Severity::Error,
                "www-authenticate: Bearer",
            ),
            finding(
                "auth.token-expired",
                Severity::Error,
                "Authorization: Bearer eyJ",
            ),
            finding("response.request-id", Severity::Info, "x-request-id: 1"),
        ];
        let cards = layout(&findings);
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].group, CardGroup::Verdict);
        assert_eq!(cards[0].findings, vec![1, 0]);
        assert_eq!(cards[0].evidence, vec![[1, 0], [0, 0]]);
        assert_eq!(cards[1].group, CardGroup::Context);
        assert_eq!(cards[1].findings, vec![2]);
    }

    #[test]
    fn a_warning_that_restates_an_error_leads_a_card_as_severe_as_the_error() {
        let findings = [
            finding("gateway.upstream-timeout", Severity::Error, "504"),
            finding(
                "gateway.timeout-limit",
                Severity::Warning,
                "x-amzn-errortype",
            ),
        ];
        let cards = layout(&findings);
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].severity, Severity::Error);
        assert_eq!(cards[0].findings, vec![1, 0]);
    }

    #[test]
    fn chains_lead_to_the_most_specific_finding_and_groups_follow_severity() {
        let findings = [
            finding("cors.blocked", Severity::Error, "a"),
            finding("cors.preflight-rejected", Severity::Error, "b"),
            finding("cors.missing-allow-origin", Severity::Error, "c"),
            finding("response.html-instead-of-json", Severity::Warning, "d"),
            finding("server.unhandled-exception", Severity::Error, "e"),
        ];
        let cards = layout(&findings);
        let groups: Vec<(CardGroup, &[usize])> =
            cards.iter().map(|c| (c.group, &c.findings[..])).collect();
        assert_eq!(
            groups,
            vec![
                (CardGroup::Verdict, &[2, 0, 1][..]),
                (CardGroup::Error, &[4][..]),
                (CardGroup::Contributing, &[3][..]),
            ]
        );
    }

    #[test]
    fn a_quotation_is_shown_once_and_a_card_never_goes_without_one() {
        let findings = [
            finding(
                "auth.header-missing",
                Severity::Error,
                "www-authenticate: Bearer",
            ),
            finding(
                "gateway.responder-identified",
                Severity::Info,
                "www-authenticate: Bearer",
            ),
        ];
        let cards = layout(&findings);
        assert_eq!(cards[0].evidence, vec![[0, 0]]);
        assert_eq!(cards[1].evidence, vec![[1, 0]]);
    }

    #[test]
    fn only_information_has_no_verdict() {
        let findings = [finding(
            "response.request-id",
            Severity::Info,
            "x-request-id: 1",
        )];
        assert_eq!(layout(&findings)[0].group, CardGroup::Context);
        assert!(layout(&[]).is_empty());
    }
}
