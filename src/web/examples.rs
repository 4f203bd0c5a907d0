//! One real capture per field-guide status code, from tests/fixtures, for the Examples menu.
//! The page holds only the labels; the texts live in the worker, which sends the chosen one
//! (they are 26 KB the first screen does not need).

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $path
        ))
    };
}

/// Declares the menu once: its labels for the page, the same examples' texts for the worker.
macro_rules! examples {
    ($(($label:literal, $path:literal)),* $(,)?) => {
        /// What the menu lists, in order.
        pub(crate) const LABELS: &[&str] = &[$($label),*];
        /// The capture behind each label, in the same order.
        pub(crate) const TEXTS: &[&str] = &[$(fixture!($path)),*];
    };
}

examples! {
    ("400 · malformed JSON (Express)", "express/400-bad-json.txt"),
    ("401 · expired JWT (FastAPI, curl -v)", "fastapi/401-expired-jwt.txt"),
    ("403 · missing scope (FastAPI)", "fastapi/403-insufficient-scope.txt"),
    ("404 · no such route (Express)", "express/404-cannot-get.txt"),
    ("405 · POST turned into GET by a redirect", "curl/post-redirect-get.txt"),
    ("422 · missing field (FastAPI)", "fastapi/422-missing-field.txt"),
    ("429 · rate limited (Express)", "express/429-rate-limit.txt"),
    ("500 · unhandled exception with stack (Express)", "express/500-stack.txt"),
    ("502 · dead upstream (nginx)", "nginx/502-dead-upstream.txt"),
    ("503 · maintenance (Flask)", "flask/503-maintenance.txt"),
    ("HAR · blocked by CORS (Chromium)", "chromium/cors-blocked.har"),
    ("Console · CORS errors (Chromium)", "console/chromium-cors.txt"),
}
