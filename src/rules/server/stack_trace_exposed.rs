use crate::knowledge::stack;
use crate::knowledge::text::{self, Signatures};
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The response body leaks a stack trace or a debug page: Python tracebacks, Django's
    /// technical 500 page, the Werkzeug debugger, Java and .NET traces, Node's frames in
    /// Express's development error page, PHP, Ruby, Go panics. A security defect on its own
    /// (it reveals paths, versions and code), and the fastest route to the bug.
    ServerStackTraceExposed {
        id: "server.stack-trace-exposed",
        severity: Warning,
        title: "The response leaks a stack trace",
        reference: Some("https://owasp.org/www-community/Improper_Error_Handling"),
        fixtures: ["django/500-debug.txt", "flask/500-debugger.txt", "express/500-stack.txt", "fastapi/500-unhandled.txt"],
        explanation: "Stack traces tell an attacker the language, framework, file layout and library versions, and sometimes configuration values. They also tell you, right now, where the request failed: start at the frame the trace names.",
        fix: {
            caller: "Send the trace's exception line and top frame to the API owner; look at what your request sent that this line could not handle.",
            owner: "Turn debug mode off in every deployed environment (Django DEBUG=False, Flask debug off, NODE_ENV=production), log traces server-side, and return a generic error with a request ID.",
        },
    }
}

/// What only a framework's debug page writes.
static DEBUG_PAGES: Signatures = Signatures::new(&[
    "Werkzeug Debugger",
    "technical_500",
    "You're seeing this error because you have <code>DEBUG = True</code>",
    "Exception Location:",
]);

impl Rule for ServerStackTraceExposed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(body) = cx.response().and_then(|r| r.body.as_ref()) else {
            return;
        };
        let Some(trace) = stack::find_trace(&body.text) else {
            return;
        };
        let exception = cx.exception();
        let what = exception
            .as_ref()
            .map(|(_, ty, _)| format!(" ({})", input(ty)))
            .unwrap_or_default();
        let mut finding = self.meta().finding(
            format!(
                "The response leaks a {} stack trace{what}{}",
                trace.language,
                trace
                    .top_frame
                    .as_ref()
                    .map(|(_, f)| {
                        // A Node or Java frame starts with its own `at `.
                        let frame = f.trim_start();
                        let frame = frame.strip_prefix("at ").unwrap_or(frame);
                        format!(", failing at {}", text::quoted(&text::clip(frame, 80)))
                    })
                    .unwrap_or_default()
            ),
            cx.body_line_evidence(Side::Response, body, trace.at),
        );
        if let Some((at, _)) = &trace.top_frame {
            finding = finding.with_evidence(cx.body_line_evidence(Side::Response, body, *at));
        }
        let debug_page = DEBUG_PAGES.contains_any(&body.text);
        let mut explanation = "Stack traces tell an attacker the language, framework, file layout and library versions, and sometimes configuration values. They also tell you, right now, where the request failed: start at the frame above.".to_owned();
        if debug_page {
            explanation.push_str(" This is a framework debug page, which means debug mode is on in this deployment; the Werkzeug debugger even allows running code on the server if its PIN is known.");
        }
        out.push(finding.explain(explanation));
    }
}
