use crate::knowledge::text;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The exception behind a server error can be read from the body: its type and message
    /// (ZeroDivisionError, KeyError, TypeError: Cannot read properties of undefined,
    /// NullPointerException …), from a trace, a debug page or a JSON error field.
    ServerUnhandledException {
        id: "server.unhandled-exception",
        severity: Error,
        title: "An unhandled exception on the server",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-500-internal-server-error"),
        fixtures: ["fastapi/500-unhandled.txt", "django/500-debug.txt", "express/500-stack.txt", "flask/500-debugger.txt"],
        explanation: "The error comes from an exception the application did not catch. The request may have had something unexpected in it, but a server must answer bad input with a 4xx, not crash.",
        fix: {
            caller: "Check the request for the value the exception points at (a missing or empty field, a zero, an unknown ID) and report the exception to the API owner with the request.",
            owner: "Fix the exception at the frame the trace names; validate the input that led there and answer 4xx for it.",
        },
    }
}

impl Rule for ServerUnhandledException {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if !(response.status >= 500 || response.status == 0) {
            return;
        }
        let Some(body) = &response.body else { return };
        let Some(&(at, ref ty, ref message)) = cx.exception() else {
            return;
        };
        let short = ty.rsplit('.').next().unwrap_or(ty);
        let hint = match short {
            "ZeroDivisionError" | "ArithmeticException" | "DivideByZeroException" => {
                "a division by zero: a count or total the request made zero"
            }
            "KeyError"
            | "IndexError"
            | "ArrayIndexOutOfBoundsException"
            | "IndexOutOfRangeException" => {
                "a lookup of a key or index that is not there: a missing field in the request, or missing data"
            }
            "TypeError"
                if message.contains("undefined")
                    || message.contains("null")
                    || message.contains("NoneType") =>
            {
                "code used a value that was undefined/None: a missing field or a lookup that found nothing"
            }
            "AttributeError" if message.contains("NoneType") => {
                "code used a value that was None: a lookup that found nothing"
            }
            "NullPointerException" | "NullReferenceException" => {
                "code used a null reference: a missing field or a lookup that found nothing"
            }
            "ValueError" | "NumberFormatException" | "FormatException" => {
                "a value could not be converted: an unexpected format in the input"
            }
            _ => "an error the code did not handle",
        };
        let title = if message.is_empty() {
            format!("The server crashed with {}", input(ty))
        } else {
            format!(
                "The server crashed with {}: {}",
                input(ty),
                input(&text::clip(message, 90))
            )
        };
        out.push(self.meta()
            .finding(title, cx.body_line_evidence(Side::Response, body, at))
            .explain(format!("The {} comes from an exception the application did not catch: {hint}. The request may have had something unexpected in it, but a server must answer bad input with a 4xx, not crash.", response.status))
            .owner_fix(format!("Fix the {} at the frame the trace names; validate the input that led there and answer 4xx for it.", input(short))));
    }
}
