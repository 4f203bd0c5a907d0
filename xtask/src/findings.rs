//! A page per finding: `dist/findings/<id>.html` from each rule's metadata (the same text as
//! docs/findings.md and `httpdx explain ID`), and `dist/findings/index.html`, a list with a
//! filter. Plain HTML generated here, so the page's wasm does not grow; no input is ever
//! shown on them. The report's finding cards link to them with relative links.

use std::fmt::Write as _;
use std::path::Path;

use httpdx::report::{SegmentKind, Text};
use httpdx::rules::{RULES, RuleMeta};

const STYLE: &str = r":root { color-scheme: light dark; --muted: #666; --line: #ddd; }
@media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #444; } }
body { font: 16px/1.55 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; }
nav { font-size: .9rem; color: var(--muted); }
code { font: .9em ui-monospace, monospace; }
.severity { font-weight: 600; text-transform: uppercase; font-size: .8rem; }
.error { color: #c62828; } .warning { color: #b26a00; } .info { color: #1565c0; }
#filter { width: 100%; font: inherit; padding: .4rem; box-sizing: border-box; }
#findings { list-style: none; padding: 0; }
#findings li { padding: .5rem 0; border-bottom: 1px solid var(--line); }
#findings .title { display: block; color: var(--muted); }
";

const SCRIPT: &str = r"// The finding index's filter: hides the entries that do not match what is typed.
const input = document.getElementById('filter');
const items = [...document.querySelectorAll('#findings li')];
const count = document.getElementById('count');
function apply() {
  const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const item of items) {
    const hit = words.every((w) => item.dataset.search.includes(w));
    item.hidden = !hit;
    if (hit) shown += 1;
  }
  count.textContent = `${shown} of ${items.length}`;
}
input.addEventListener('input', apply);
apply();
";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A title from its segments: code in `<code>`, emphasis in `<em>`, everything escaped.
fn html_text(text: &Text) -> String {
    text.segments()
        .map(|segment| match segment.kind {
            SegmentKind::Text => escape(segment.text),
            SegmentKind::Code => format!("<code>{}</code>", escape(segment.text)),
            SegmentKind::Emphasis => format!("<em>{}</em>", escape(segment.text)),
        })
        .collect()
}

fn page(title: &str, nav: &str, body: &str, script: bool) -> String {
    let script = if script {
        "\n<script src=\"../findings.js\" defer></script>"
    } else {
        ""
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>{}</title>\n<link rel=\"stylesheet\" href=\"../findings.css\">{script}\n</head>\n<body>\n<nav>{nav}</nav>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

/// The finding's documentation as HTML: its Markdown page, rendered.
pub(crate) fn finding_page(meta: &RuleMeta) -> String {
    let markdown = meta.markdown();
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, pulldown_cmark::Parser::new(&markdown));
    let body = body.replacen(
        "<h2>",
        &format!(
            "<p class=\"severity {0}\">{0}</p>\n<h2>",
            meta.severity.as_str()
        ),
        1,
    );
    page(
        &format!("{} — httpdx findings", meta.id),
        "<a href=\"../\">httpdx</a> › <a href=\"./\">Findings</a>",
        &body,
        false,
    )
}

fn metas() -> Vec<&'static RuleMeta> {
    let mut metas: Vec<&RuleMeta> = RULES.iter().map(|r| r.meta()).collect();
    metas.sort_by_key(|m| m.id);
    metas
}

pub(crate) fn index_page() -> String {
    let metas = metas();
    let mut body = format!(
        "<h1>Findings</h1>\n<p>Every finding httpdx reports, by its stable ID. Type to filter: an ID, a word of the title, a severity.</p>\n<input id=\"filter\" type=\"search\" placeholder=\"Filter, e.g. cors, token, 502\" aria-label=\"Filter the findings\" autofocus>\n<p id=\"count\" aria-live=\"polite\">{0} of {0}</p>\n<ul id=\"findings\">\n",
        metas.len()
    );
    for meta in metas {
        let search = format!(
            "{} {} {}",
            meta.id,
            meta.severity.as_str(),
            Text::from(meta.title).plain().to_lowercase()
        );
        let _ = writeln!(
            body,
            "<li data-search=\"{}\"><a href=\"{id}.html\"><code>{id}</code></a> <span class=\"severity {sev}\">{sev}</span><span class=\"title\">{}</span></li>",
            escape(&search.to_lowercase()),
            html_text(&Text::from(meta.title)),
            id = escape(meta.id),
            sev = meta.severity.as_str(),
        );
    }
    body.push_str("</ul>\n");
    page(
        "Findings — httpdx",
        "<a href=\"../\">httpdx</a> › Findings",
        &body,
        true,
    )
}

/// Writes the pages into `dist`: findings/*.html, and their style and script beside the app's
/// files (hashed with them).
pub(crate) fn write(dist: &Path) -> Result<(), String> {
    let dir = dist.join("findings");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let put = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    for meta in metas() {
        put(&dir.join(format!("{}.html", meta.id)), &finding_page(meta))?;
    }
    put(&dir.join("index.html"), &index_page())?;
    put(&dist.join("findings.css"), STYLE)?;
    put(&dist.join("findings.js"), SCRIPT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_has_a_page_with_its_documentation() {
        let metas = metas();
        assert!(metas.len() > 50);
        for meta in &metas {
            let page = finding_page(meta);
            assert!(
                page.contains(&format!("<code>{}</code>", meta.id)),
                "{}",
                meta.id
            );
            // The documentation's first sentence, as in docs/findings.md.
            let first = meta.doc.lines().next().unwrap_or("").trim();
            let first_words: String = first
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                !first_words.contains('`') || page.contains("<code>"),
                "{}",
                meta.id
            );
            assert!(page.contains("href=\"../findings.css\""));
        }
        let page = finding_page(metas.iter().find(|m| m.id == "auth.token-expired").unwrap());
        assert!(page.contains("<strong>Why.</strong>"), "{page}");
        assert!(
            page.contains("href=\"https://www.rfc-editor.org/rfc/rfc7519"),
            "{page}"
        );
        let index = index_page();
        for meta in &metas {
            assert!(index.contains(&format!("href=\"{}.html\"", meta.id)));
        }
        assert!(index.contains("id=\"filter\"") && index.contains("../findings.js"));
    }
}
