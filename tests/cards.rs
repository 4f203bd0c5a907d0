//! The cards of every fixture whose findings merge: which finding leads, which restate it,
//! and in which group each card goes. One snapshot for the whole corpus, so a reviewer sees
//! every merge at once.

mod common;

use std::fmt::Write;

use common::{all_fixtures, diagnose_fixture};
use httpdx::report::{CardGroup, Severity};

#[test]
fn merged_cards_across_the_fixtures() {
    let mut out = String::new();
    for fixture in all_fixtures() {
        let report = diagnose_fixture(&fixture);
        for exchange in &report.exchanges {
            if exchange.cards.iter().all(|c| c.findings.len() == 1) {
                continue;
            }
            writeln!(out, "{fixture} #{}", exchange.index).unwrap();
            for card in &exchange.cards {
                let ids: Vec<&str> = card
                    .findings
                    .iter()
                    .map(|&f| exchange.findings[f].id)
                    .collect();
                writeln!(out, "  {:?}: {}", card.group, ids.join(" ← ")).unwrap();
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn every_finding_is_on_exactly_one_card_and_the_verdict_is_the_most_severe() {
    for fixture in all_fixtures() {
        let report = diagnose_fixture(&fixture);
        for exchange in &report.exchanges {
            let mut placed: Vec<usize> = exchange
                .cards
                .iter()
                .flat_map(|c| c.findings.iter().copied())
                .collect();
            placed.sort_unstable();
            let all: Vec<usize> = (0..exchange.findings.len()).collect();
            assert_eq!(placed, all, "{fixture} #{}", exchange.index);
            let worst = exchange.findings.iter().map(|f| f.severity).min();
            if let Some(first) = exchange.cards.first() {
                assert_eq!(Some(first.severity), worst, "{fixture} #{}", exchange.index);
                let verdict = first.group == CardGroup::Verdict;
                assert_eq!(verdict, first.severity != Severity::Info, "{fixture}");
            }
            for card in &exchange.cards {
                assert!(
                    !card.evidence.is_empty(),
                    "{fixture}: a card without evidence"
                );
            }
        }
    }
}
