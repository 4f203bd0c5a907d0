//! `cargo xtask dist`: the page as one folder to deploy anywhere.
//!
//! Trunk builds the page into dist/ (with relative URLs, so it works under any path); then
//! every file except the HTML pages gets a content hash in its name (Trunk leaves the
//! worker's files unhashed: a new release could load an old worker), the page learns the
//! worker's hashed address from `<meta name="httpdx-worker">`, the inline loader's sha256
//! replaces `'unsafe-inline'` in the CSP, and header files for the usual static hosts are
//! written: `_headers` (Netlify, Cloudflare Pages) and `nginx.conf` (a snippet).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::env::{Env, root, run};

/// Files that keep their names: what a browser asks for by a fixed address.
fn keeps_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html"))
        || matches!(
            name,
            "_headers" | "nginx.conf" | "sw.js" | "manifest.webmanifest"
        )
}

/// Whether a file name already carries a content hash (`name-<hex>.ext`, `name-<hex>_bg.wasm`),
/// as Trunk writes them.
pub(crate) fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=20).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

pub(crate) fn has_extension(name: &str, extension: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// `name` with `hash` before its extension (`httpdx-worker_bg.wasm` →
/// `httpdx-worker-<hash>_bg.wasm`, as Trunk names its own).
fn hashed_name(name: &str, content: &[u8]) -> String {
    let hash = &hex(&Sha256::digest(content))[..16];
    let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
    let dot = if ext.is_empty() { "" } else { "." };
    match stem.strip_suffix("_bg") {
        Some(base) => format!("{base}-{hash}_bg{dot}{ext}"),
        None => format!("{stem}-{hash}{dot}{ext}"),
    }
}

fn is_text(name: &str) -> bool {
    [".html", ".js", ".css", ".svg", ".json", ".webmanifest"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Every file under `dir`, by its path relative to `dir` (with `/`).
fn files(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| e.to_string())?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                walk(&path, &format!("{prefix}{name}/"), out)?;
            } else {
                let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                out.insert(format!("{prefix}{name}"), bytes);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out)?;
    Ok(out)
}

fn replace_all(haystack: &[u8], from: &str, to: &str) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(haystack).ok()?;
    text.contains(from)
        .then(|| text.replace(from, to).into_bytes())
}

/// Renames every file of `dir` that does not carry a content hash (except the pages) to a
/// hashed name, rewriting the references to it in the other files first-to-last so a file
/// is hashed only once the names it mentions are final. Returns the renames.
pub(crate) fn hash_assets(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut all = files(dir)?;
    let mut pending: Vec<String> = all
        .keys()
        .filter(|path| {
            let name = path.rsplit('/').next().unwrap_or(path);
            !keeps_name(name) && !is_hashed(name)
        })
        .cloned()
        .collect();
    let mut renames = Vec::new();
    while !pending.is_empty() {
        let base = |path: &str| path.rsplit('/').next().unwrap_or(path).to_owned();
        // A file whose content names no other pending file.
        let next = pending
            .iter()
            .position(|path| {
                !is_text(path)
                    || pending
                        .iter()
                        .all(|other| other == path || !contains(&all[path.as_str()], &base(other)))
            })
            .ok_or_else(|| format!("files that name each other cannot be hashed: {pending:?}"))?;
        let path = pending.remove(next);
        let name = base(&path);
        let content = all.remove(&path).unwrap_or_default();
        let new_name = hashed_name(&name, &content);
        let new_path = format!("{}{new_name}", &path[..path.len() - name.len()]);
        for (other, bytes) in &mut all {
            if is_text(other)
                && let Some(rewritten) = replace_all(bytes, &name, &new_name)
            {
                if is_hashed(&base(other)) && !pending.contains(other) {
                    return Err(format!(
                        "{other} names {name} but already carries a hash of its content"
                    ));
                }
                *bytes = rewritten;
            }
        }
        std::fs::rename(dir.join(&path), dir.join(&new_path))
            .map_err(|e| format!("{path}: {e}"))?;
        all.insert(new_path.clone(), content);
        renames.push((path, new_path));
    }
    for (path, bytes) in &all {
        std::fs::write(dir.join(path), bytes).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(renames)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The CSP of `html` with `'unsafe-inline'` in script-src replaced by the sha256 of each
/// inline script, and the page with that CSP.
pub(crate) fn pin_inline_scripts(html: &str) -> Result<(String, String), String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let open_end = rest[start..].find('>').ok_or("an unclosed <script> tag")? + start;
        let tag = &rest[start..open_end];
        let close = rest[open_end..]
            .find("</script>")
            .ok_or("a <script> without </script>")?
            + open_end;
        if !tag.contains(" src=") {
            let body = &rest[open_end + 1..close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &rest[close..];
    }
    let marker = "http-equiv=\"Content-Security-Policy\" content=\"";
    let at = html.find(marker).ok_or("index.html has no CSP meta tag")? + marker.len();
    let end = html[at..].find('"').ok_or("an unclosed CSP")? + at;
    let csp = &html[at..end];
    let pinned: Vec<String> = csp
        .split(';')
        .map(|directive| {
            let directive = directive.trim();
            if directive.starts_with("script-src ") {
                let sources: Vec<&str> = directive
                    .split_whitespace()
                    .filter(|s| *s != "'unsafe-inline'")
                    .collect();
                format!("{} {}", sources.join(" "), hashes.join(" "))
                    .trim()
                    .to_owned()
            } else {
                directive.to_owned()
            }
        })
        .collect();
    let csp = pinned.join("; ");
    Ok((csp.clone(), format!("{}{csp}{}", &html[..at], &html[end..])))
}

fn renamed(renames: &[(String, String)], name: &str) -> Result<String, String> {
    renames
        .iter()
        .find(|(from, _)| from == name)
        .map(|(_, to)| to.clone())
        .ok_or_else(|| format!("the build has no {name}"))
}

/// Registers the service worker (an external file: the CSP allows no other inline script).
const REGISTER: &str = "// Registers the service worker that keeps the page working offline (sw.js).\nif ('serviceWorker' in navigator) {\n  navigator.serviceWorker.register('./sw.js').catch(() => {});\n}\n";

fn manifest(icon: &str) -> String {
    format!(
        r##"{{
  "name": "httpdx — why did this API call fail?",
  "short_name": "httpdx",
  "description": "Diagnose failed HTTP API calls from what you paste. Runs entirely in your browser.",
  "start_url": "./",
  "scope": "./",
  "display": "standalone",
  "background_color": "#ffffff",
  "theme_color": "#1d4ed8",
  "icons": [{{ "src": "./{icon}", "sizes": "any", "type": "image/svg+xml", "purpose": "any" }}]
}}
"##
    )
}

/// The service worker: caches the page's own files on install under a name that changes
/// with them, deletes older caches on activation, answers from the cache (the page itself
/// network-first, so a release is seen at once when online).
pub(crate) fn service_worker(files: &[String]) -> String {
    let list: Vec<String> = files.iter().map(|f| format!("'./{f}'")).collect();
    let version = &hex(&Sha256::digest(list.join(",").as_bytes()))[..16];
    format!(
        "// Written by `cargo xtask dist`: keeps the page working offline after one visit.
const CACHE = 'httpdx-{version}';
const FILES = ['./', {files}];

self.addEventListener('install', (event) => {{
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
}});

self.addEventListener('activate', (event) => {{
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith('httpdx-') && n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
}});

self.addEventListener('fetch', (event) => {{
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {{
    // The page: the network first (a new release), the cached copy offline.
    event.respondWith(fetch(request).then((response) => {{
      if (response.ok && new URL(request.url).pathname === new URL('./', self.location).pathname) {{
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put('./', copy));
      }}
      return response;
    }}).catch(() => caches.match(request).then((hit) => hit || caches.match('./'))));
    return;
  }}
  // Hashed files never change: the cache first.
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
}});
",
        files = list.join(", ")
    )
}

const LONG_CACHE: &str = "public, max-age=31536000, immutable";

/// `_headers` for Netlify and Cloudflare Pages: the security headers everywhere, no-cache
/// for the pages, a year for every hashed file.
fn netlify_headers(csp: &str, hashed: &[&str]) -> String {
    let mut out = format!(
        "# Written by `cargo xtask dist`. Netlify and Cloudflare Pages read this file.\n/*\n  Content-Security-Policy: {csp}; frame-ancestors 'none'\n  Referrer-Policy: no-referrer\n  X-Content-Type-Options: nosniff\n  Cross-Origin-Opener-Policy: same-origin\n\n/\n  Cache-Control: no-cache\n/index.html\n  Cache-Control: no-cache\n/sw.js\n  Cache-Control: no-cache\n/manifest.webmanifest\n  Cache-Control: no-cache\n/findings/*\n  Cache-Control: no-cache\n"
    );
    for path in hashed {
        out.push_str(&format!("/{path}\n  Cache-Control: {LONG_CACHE}\n"));
    }
    out
}

fn nginx_snippet(csp: &str) -> String {
    let headers = format!(
        "    add_header Content-Security-Policy \"{csp}; frame-ancestors 'none'\" always;\n    add_header Referrer-Policy \"no-referrer\" always;\n    add_header X-Content-Type-Options \"nosniff\" always;\n    add_header Cross-Origin-Opener-Policy \"same-origin\" always;\n"
    );
    format!(
        "# Written by `cargo xtask dist`: include it in a `server {{ … }}` whose root is this folder.\n# nginx 1.21+ knows the wasm MIME type; older ones need `application/wasm wasm;` in mime.types.\nindex index.html;\nlocation = /nginx.conf {{ return 404; }}\nlocation = /_headers {{ return 404; }}\n# Content-hashed files never change: cache them for a year.\nlocation ~ \"-[0-9a-f]{{12,20}}(_bg)?\\.[a-z]+$\" {{\n{headers}    add_header Cache-Control \"{LONG_CACHE}\" always;\n}}\n# The pages: always revalidated, so a release is seen at once.\nlocation / {{\n{headers}    add_header Cache-Control \"no-cache\" always;\n}}\n"
    )
}

/// Builds dist/ ready to deploy; the finding pages included.
pub(crate) fn dist(env: &Env) -> Result<(), String> {
    run(
        env,
        "trunk",
        &["build", "--release", "--offline", "--public-url", "./"],
    )?;
    let dir = root().join("dist");
    crate::findings::write(&dir)?;
    write(&dir.join("sw-register.js"), REGISTER)?;
    let renames = hash_assets(&dir)?;
    let index = dir.join("index.html");
    let mut html = std::fs::read_to_string(&index).map_err(|e| format!("index.html: {e}"))?;
    let worker = renamed(&renames, "httpdx-worker_loader.js")?;
    let register = renamed(&renames, "sw-register.js")?;
    html = html.replacen(
        "<meta name=\"referrer\"",
        &format!("<meta name=\"httpdx-worker\" content=\"./{worker}\">\n  <link rel=\"manifest\" href=\"./manifest.webmanifest\">\n  <script src=\"./{register}\" defer></script>\n  <meta name=\"referrer\""),
        1,
    );
    let (csp, html) = pin_inline_scripts(&html)?;
    std::fs::write(&index, html).map_err(|e| format!("index.html: {e}"))?;
    let app: Vec<String> = files(&dir)?
        .into_keys()
        .filter(|p| !p.contains('/') && is_hashed(p) && !p.starts_with("findings-"))
        .collect();
    let icon = app
        .iter()
        .find(|p| p.starts_with("favicon-"))
        .ok_or("the build has no favicon")?;
    write(&dir.join("manifest.webmanifest"), &manifest(icon))?;
    write(&dir.join("sw.js"), &service_worker(&app))?;
    let all = files(&dir)?;
    let hashed: Vec<&str> = all
        .keys()
        .map(String::as_str)
        .filter(|p| is_hashed(p.rsplit('/').next().unwrap_or(p)))
        .collect();
    write(&dir.join("_headers"), &netlify_headers(&csp, &hashed))?;
    write(&dir.join("nginx.conf"), &nginx_snippet(&csp))?;
    // Sizes: `cargo xtask size` (the budget, which `test` checks).
    eprintln!(
        "xtask: dist/ is ready: {} files, {} finding pages",
        all.len() + 2,
        all.keys().filter(|p| p.starts_with("findings/")).count()
    );
    Ok(())
}

fn write(path: &PathBuf, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_hashed_like_trunks() {
        assert!(is_hashed("httpdx-web-63630d48121979c_bg.wasm"));
        assert!(is_hashed("style-60ee78aa45601b7c.css"));
        assert!(!is_hashed("httpdx-worker_loader.js"));
        assert!(!is_hashed("httpdx-worker_bg.wasm"));
        let name = hashed_name("httpdx-worker_bg.wasm", b"x");
        assert!(name.starts_with("httpdx-worker-") && name.ends_with("_bg.wasm"));
        assert!(is_hashed(&name));
        assert_ne!(name, hashed_name("httpdx-worker_bg.wasm", b"y"));
    }

    #[test]
    fn a_loader_is_hashed_after_the_files_it_names() {
        let dir = std::env::temp_dir().join(format!("xtask-dist-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("findings")).unwrap();
        let put = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
        put(
            "w_loader.js",
            "importScripts(\"./w.js\");wasm_bindgen(\"./w_bg.wasm\");",
        );
        put("w.js", "/* worker glue */");
        put("w_bg.wasm", "\0asm");
        put("index.html", "<link href=\"w_loader.js\">");
        put("findings/a.html", "<link href=\"../f.css\">");
        put("f.css", "body{}");
        put("app-0123456789abcdef.js", "app");
        let renames = hash_assets(&dir).unwrap();
        assert_eq!(renames.len(), 4, "{renames:?}");
        assert_eq!(renames.last().unwrap().0, "w_loader.js");
        let all = files(&dir).unwrap();
        for name in all.keys() {
            let base = name.rsplit('/').next().unwrap();
            assert!(
                has_extension(base, "html") || is_hashed(base),
                "{name} is not hashed"
            );
        }
        let loader = all
            .iter()
            .find(|(k, _)| k.starts_with("w_loader-"))
            .unwrap();
        let loader = String::from_utf8(loader.1.clone()).unwrap();
        assert!(
            !loader.contains("./w.js") && loader.contains("./w-"),
            "{loader}"
        );
        let index = String::from_utf8(all["index.html"].clone()).unwrap();
        assert!(index.contains("w_loader-"));
        assert!(
            String::from_utf8(all["findings/a.html"].clone())
                .unwrap()
                .contains("../f-")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_service_workers_cache_is_named_after_the_files_it_keeps() {
        let one = service_worker(&["app-0123456789abcdef.js".to_owned()]);
        let two = service_worker(&["app-fedcba9876543210.js".to_owned()]);
        let name = |sw: &str| {
            sw.lines()
                .find(|l| l.starts_with("const CACHE"))
                .unwrap()
                .to_owned()
        };
        assert_ne!(name(&one), name(&two));
        assert!(one.contains("'./app-0123456789abcdef.js'"));
    }

    #[test]
    fn the_inline_loader_is_pinned_by_its_sha256() {
        let html = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'; style-src 'self' 'unsafe-inline'\">\n<script type=\"module\">\nimport init from './a.js';\n</script><script src=\"x.js\"></script>";
        let (csp, page) = pin_inline_scripts(html).unwrap();
        // echo -n "\nimport init from './a.js';\n" | sha256sum | xxd -r -p | base64
        let digest = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"\nimport init from './a.js';\n"));
        assert_eq!(
            csp,
            format!(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}'; style-src 'self' 'unsafe-inline'"
            )
        );
        assert!(page.contains(&csp));
        assert_eq!(page.matches("sha256-").count(), 1, "one inline script");
    }
}
