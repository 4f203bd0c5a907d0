use crate::input::{Format, lines::lines};
use crate::knowledge::text;
use crate::report::{Evidence, Finding, input};
use crate::rules::{CaptureCx, Rule};

rule! {
    /// Nothing in the text could be read as an HTTP exchange, `curl` output, a HAR file, a
    /// console error or a JSON error body. The report says what httpdx expected, quoting the
    /// start of what it got, so the person can paste the right thing.
    InputUnrecognized {
        id: "input.unrecognized",
        severity: Error,
        title: "The input is not a format httpdx reads",
        reference: None,
        fixtures: ["bad/prose.txt", "bad/har-wrong-types.har"],
        explanation: "httpdx reads raw HTTP responses (`curl -i`), `curl -v` output, HAR files, browser console and Node errors, and JSON error bodies. Nothing in this input had the shape of any of them.",
        fix: {
            caller: "Paste the whole failed exchange: `curl -i URL` or `curl -sv URL 2>&1`, a HAR exported from the browser's Network panel (Save all as HAR), the console error, or the response body.",
        },
    }
}

impl Rule for InputUnrecognized {
    fn check_capture(&self, cx: &CaptureCx, out: &mut Vec<Finding>) {
        if !cx.capture.exchanges.is_empty() {
            return;
        }
        // A gRPC client's report of a failed call is recognised (`grpc.status`).
        if crate::rules::grpc::status::client_reports_failure(cx.input) {
            return;
        }
        let first = lines(cx.input).find(|l| !l.text.trim().is_empty());
        let quote = first.map_or_else(String::new, |l| text::clip(l.text.trim(), 120));
        let title = match cx.format {
            Format::Unrecognized => format!(
                "Nothing here reads as an HTTP exchange; the text starts with {}",
                input(&text::clip(&quote, 60))
            ),
            forced => format!("Read as {}, the input holds no exchange", forced.name()),
        };
        let expected: Vec<String> = Format::READABLE
            .iter()
            .map(|f| format!("- {}: {}", f.name(), f.description()))
            .collect();
        out.push(
            self.meta()
                .finding(
                    title,
                    Evidence::new("input, first line", quote, first.map(|l| l.span())),
                )
                .explain(format!(
                    "httpdx reads these formats:\n{}",
                    expected.join("\n")
                )),
        );
    }
}
