//! One real capture per field-guide status code, from tests/fixtures, for the Examples menu.

pub(crate) struct Example {
    pub label: &'static str,
    pub text: &'static str,
}

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $path
        ))
    };
}

pub(crate) const EXAMPLES: &[Example] = &[
    Example {
        label: "400 · malformed JSON (Express)",
        text: fixture!("express/400-bad-json.txt"),
    },
    Example {
        label: "401 · expired JWT (FastAPI, curl -v)",
        text: fixture!("fastapi/401-expired-jwt.txt"),
    },
    Example {
        label: "403 · missing scope (FastAPI)",
        text: fixture!("fastapi/403-insufficient-scope.txt"),
    },
    Example {
        label: "404 · no such route (Express)",
        text: fixture!("express/404-cannot-get.txt"),
    },
    Example {
        label: "405 · POST turned into GET by a redirect",
        text: fixture!("curl/post-redirect-get.txt"),
    },
    Example {
        label: "422 · missing field (FastAPI)",
        text: fixture!("fastapi/422-missing-field.txt"),
    },
    Example {
        label: "429 · rate limited (Express)",
        text: fixture!("express/429-rate-limit.txt"),
    },
    Example {
        label: "500 · unhandled exception with stack (Express)",
        text: fixture!("express/500-stack.txt"),
    },
    Example {
        label: "502 · dead upstream (nginx)",
        text: fixture!("nginx/502-dead-upstream.txt"),
    },
    Example {
        label: "503 · maintenance (Flask)",
        text: fixture!("flask/503-maintenance.txt"),
    },
    Example {
        label: "HAR · blocked by CORS (Chromium)",
        text: fixture!("chromium/cors-blocked.har"),
    },
    Example {
        label: "Console · CORS errors (Chromium)",
        text: fixture!("console/chromium-cors.txt"),
    },
];
