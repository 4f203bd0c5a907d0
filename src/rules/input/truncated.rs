use crate::knowledge::text;
use crate::model::InputIssue;
use crate::report::{Evidence, Finding};
use crate::rules::{CaptureCx, Rule};

rule! {
    /// The input ends mid-message: a HAR file cut off, a body shorter than its
    /// Content-Length, `curl` output that stops before the response. Findings about the
    /// missing part cannot be made, and the ones that were made may be incomplete.
    InputTruncated {
        id: "input.truncated",
        severity: Warning,
        title: "The input is cut off",
        reference: None,
        fixtures: ["bad/truncated.har", "bad/truncated-body.txt"],
        explanation: "Part of the exchange is missing, so findings about it could not be made. Copying from a terminal, a size limit in a chat tool, or an export interrupted before it finished cut it.",
        fix: {
            caller: "Paste the whole output again; for a large HAR, drop the file instead of pasting it.",
        },
    }
}

impl Rule for InputTruncated {
    fn check_capture(&self, cx: &CaptureCx, out: &mut Vec<Finding>) {
        for issue in &cx.capture.issues {
            let InputIssue::Truncated { what, span } = issue else {
                continue;
            };
            let quote = match span {
                Some(s) => {
                    let tail = &cx.input[s.start..s.end];
                    let start = tail.char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                    format!("…{}", text::clip(&tail[start..], 80))
                }
                None => format!(
                    "…{}",
                    cx.input
                        .chars()
                        .rev()
                        .take(60)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<String>()
                ),
            };
            out.push(self.meta().finding(
                format!("The input is cut off: {what}"),
                Evidence::new("end of input", quote, *span),
            ));
        }
    }
}
