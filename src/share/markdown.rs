//! The diagnosis as Markdown, for an issue tracker or a chat. Build it from the report of the
//! redacted input so nothing secret is in it.

use crate::report::{
    CardGroup, CardParts, DecodedToken, Evidence, ExchangeReport, Finding, Report, SegmentKind,
    Severity, Text,
};

fn severity_mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟠 warning",
        Severity::Info => "🔵 info",
    }
}

/// Prose that cannot turn into Markdown structure: no HTML, links, images, tables, headings,
/// code or emphasis can be injected by it.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // An underscore inside a word (`invalid_client`) cannot open emphasis in CommonMark.
        let inside_word = c == '_'
            && previous.is_alphanumeric()
            && chars.peek().is_some_and(|n| n.is_alphanumeric());
        previous = c;
        match c {
            '\n' | '\r' => out.push(' '),
            '_' if inside_word => out.push(c),
            '\\' | '<' | '>' | '[' | ']' | '!' | '|' | '#' | '`' | '*' | '_' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Inline code that cannot be broken by backticks in the quote: its fence is longer than any
/// run of backticks inside, and padded when the quote starts or ends with one.
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// What httpdx wrote, from its segments: code as inline code, emphasis in asterisks, and the
/// rest as [`prose`].
pub fn text(text: &Text) -> String {
    text.segments()
        .map(|segment| match segment.kind {
            SegmentKind::Text => prose(segment.text),
            SegmentKind::Code => code(segment.text),
            SegmentKind::Emphasis => format!("*{}*", prose(segment.text)),
        })
        .collect()
}

fn evidence_line(evidence: &Evidence) -> String {
    format!(
        "  - {}: {}\n",
        prose(&evidence.location),
        code(&crate::knowledge::text::clip(&evidence.quote, 200))
    )
}

fn finding(out: &mut String, finding: &Finding) {
    card(
        out,
        &CardParts {
            group: CardGroup::Error,
            severity: finding.severity,
            lead: finding,
            restated: Vec::new(),
            quotes: finding.evidence().iter().collect(),
        },
    );
}

/// A card: the leading finding's title, the findings that restate it, the quotations, and
/// the leading finding's explanation and fixes.
fn card(out: &mut String, card: &CardParts) {
    let finding = card.lead;
    out.push_str(&format!(
        "#### {} · {} (`{}`)\n\n",
        severity_mark(card.severity),
        text(&finding.title),
        finding.id
    ));
    for other in &card.restated {
        out.push_str(&format!(
            "- Also reported: {} (`{}`)\n",
            text(&other.title),
            other.id
        ));
    }
    if !card.quotes.is_empty() {
        out.push_str("- Evidence:\n");
        for evidence in &card.quotes {
            out.push_str(&evidence_line(evidence));
        }
    }
    if !finding.explanation.is_empty() {
        for paragraph in finding.explanation.paragraphs() {
            out.push_str(&format!("\n{}\n", text(&paragraph)));
        }
    }
    if let Some(caller) = &finding.fix.caller {
        out.push_str(&format!("\n**Fix, as the caller:** {}\n", text(caller)));
    }
    if let Some(owner) = &finding.fix.owner {
        out.push_str(&format!("\n**Fix, as the API owner:** {}\n", text(owner)));
    }
    if let Some(reference) = finding.reference {
        out.push_str(&format!("\nReference: <{reference}>\n"));
    }
    out.push('\n');
}

fn exchange(out: &mut String, exchange: &ExchangeReport) {
    let request = exchange
        .request
        .as_ref()
        .map(|r| {
            format!(
                " — {}",
                code(&format!("{} {}", r.method.as_deref().unwrap_or(""), r.url))
            )
        })
        .unwrap_or_default();
    let outcome = exchange
        .summary
        .as_ref()
        .map_or("Exchange", |s| s.outcome.as_str());
    out.push_str(&format!("### {}{request}\n\n", prose(outcome)));
    if let Some(summary) = &exchange.summary {
        out.push_str(&format!("{}\n\n", text(&summary.meaning)));
    }
    // The verdict's card leads (it names the cause); context is one line per note.
    let (context, cards): (Vec<CardParts>, Vec<CardParts>) = exchange
        .card_parts()
        .into_iter()
        .partition(|c| c.group == CardGroup::Context);
    for c in &cards {
        card(out, c);
    }
    if !context.is_empty() {
        out.push_str("Context:\n");
        for c in &context {
            out.push_str(&format!("- {} (`{}`)\n", text(&c.lead.title), c.lead.id));
        }
        out.push('\n');
    }
    if let Some(fixed) = &exchange.fixed_request {
        fixed_request(out, fixed);
    }
    for t in &exchange.tokens {
        token(out, t);
    }
}

/// A decoded JWT in one line: where it was, its algorithm, the names of its claims (never
/// their values: a shared Markdown keeps to what the diagnosis needs), its times and badges.
fn token(out: &mut String, token: &DecodedToken) {
    let alg = token
        .header
        .string("alg")
        .map(|a| format!("{}; ", code(&a)))
        .unwrap_or_default();
    let names: Vec<&str> = token.claims.names().collect();
    out.push_str(&format!(
        "- JWT in {} ({alg}claims {}; values and signature not shown)",
        prose(&token.location),
        prose(&names.join(", "))
    ));
    for time in &token.times {
        let words = time
            .relative
            .as_deref()
            .map_or(String::new(), |r| format!(", {r}"));
        out.push_str(&format!(
            "; {} {}{}",
            code(&time.claim),
            prose(&time.utc),
            prose(&words)
        ));
    }
    for badge in &token.badges {
        out.push_str(&format!("; **{}**", prose(&badge.text)));
    }
    out.push_str("\n\n");
}

/// A fence longer than any run of backticks in `text`, so the text cannot close it.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The fixed request as a `sh` block: built from the report's segments, whose credentials
/// are variables (`$TOKEN`), never values.
fn fixed_request(out: &mut String, fixed: &crate::fix::FixedRequest) {
    out.push_str("**Fixed request:**\n\n");
    for change in &fixed.changes {
        out.push_str(&format!("- {}\n", text(&change.what)));
    }
    if !fixed.placeholders.is_empty() {
        let names: Vec<String> = fixed
            .placeholders
            .iter()
            .map(|p| code(&format!("{}=…", p.name)))
            .collect();
        out.push_str(&format!("- set {} first\n", names.join(", ")));
    }
    let curl = fixed.curl_text();
    let fence = fence_for(&curl);
    out.push_str(&format!("\n{fence}sh\n{curl}\n{fence}\n\n"));
}

/// The report as Markdown: input-level findings, then the failed exchanges (or all of them
/// when none failed), each with its findings, evidence and fixes.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("## httpdx diagnosis\n\n");
    // The cause leads: findings about the whole capture come first only when they are
    // errors or warnings (a cascade's root); notes about the input follow the exchanges.
    let (leading, trailing): (Vec<&Finding>, Vec<&Finding>) = report
        .findings
        .iter()
        .partition(|f| f.severity != Severity::Info);
    for f in leading {
        finding(&mut out, f);
    }
    let failed: Vec<&ExchangeReport> = report.exchanges.iter().filter(|e| e.failed).collect();
    let shown: Vec<&ExchangeReport> = if failed.is_empty() {
        report.exchanges.iter().collect()
    } else {
        failed
    };
    for e in shown {
        exchange(&mut out, e);
    }
    for f in trailing {
        finding(&mut out, f);
    }
    out.push_str("_Diagnosed with httpdx; secrets were redacted before sharing._\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_input_cannot_inject_structure() {
        let injected = prose(
            "x\n# Heading ![img](https://evil.test/p.png) <img src=x> [link](javascript:x) | a |",
        );
        assert!(!injected.contains('\n'));
        assert!(!injected.contains("](") || injected.contains("\\]("));
        assert!(injected.contains("\\<img") && injected.contains("\\!\\["));
        assert_eq!(code("a`b\nc"), "``a`b c``");
        assert_eq!(code("``x"), "``` ``x ```");
    }

    #[test]
    fn segments_render_as_code_and_text_that_cannot_become_markup() {
        let title = Text::from(format!(
            "The server said {} in *its* body",
            crate::report::input("`**bold**` <b>")
        ));
        assert_eq!(
            text(&title),
            "The server said `` `**bold**` <b> `` in \\*its\\* body"
        );
    }

    #[test]
    fn a_fixed_request_cannot_close_its_fence() {
        assert_eq!(fence_for("curl 'x'"), "```");
        assert_eq!(fence_for("--data-raw '````'"), "`````");
    }
}
