use crate::knowledge::text;
use crate::model::InputIssue;
use crate::report::{Evidence, Finding};
use crate::rules::{CaptureCx, Rule};

rule! {
    /// Part of the input was in a known format but could not be read, for example a HAR
    /// entry whose fields have the wrong types. It was skipped; the rest was diagnosed.
    InputSkippedPart {
        id: "input.skipped-part",
        severity: Warning,
        title: "Part of the input could not be read",
        reference: Some("http://www.softwareishard.com/blog/har-12-spec/"),
        fixtures: ["bad/har-wrong-types.har"],
        explanation: "This part does not have the shape its format requires, so httpdx skipped it and diagnosed the rest.",
        fix: {
            caller: "Export the file again from the browser or tool that made it; edited or converted files often break types.",
        },
    }
}

impl Rule for InputSkippedPart {
    fn check_capture(&self, cx: &CaptureCx, out: &mut Vec<Finding>) {
        for issue in &cx.capture.issues {
            let InputIssue::Skipped { what, span } = issue else {
                continue;
            };
            let quote =
                span.map_or_else(String::new, |s| text::clip(&cx.input[s.start..s.end], 160));
            out.push(
                self.meta()
                    .finding(text::clip(what, 200), Evidence::new("input", quote, *span)),
            );
        }
    }
}
