//! Just enough URL handling for pasted URLs, which may be relative, malformed or partial.

/// Where the `://` after `url`'s scheme starts, when `url` starts with a scheme (letters,
/// digits, `+`, `-`, `.`) and `://`. (Rules ask this of every URL of a capture, several
/// times each: the scan stops at the first byte a scheme cannot hold, a few bytes in.)
fn scheme_separator(url: &str) -> Option<usize> {
    let bytes = url.as_bytes();
    // Nearly every URL of a capture, settled without the scan (the rules' indexes ask this
    // of every exchange's URL, several times each).
    if bytes.starts_with(b"https://") {
        return Some(5);
    }
    if bytes.starts_with(b"http://") {
        return Some(4);
    }
    let end = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
    (end > 0 && bytes[end..].starts_with(b"://")).then_some(end)
}

/// Where the query or the fragment of `text` (a URL past its origin) starts: its length when
/// it has neither. By memchr's vectorised search: the rules ask this of every URL of a
/// capture, several times each, and `str::find` with a list of chars decodes every character.
fn query_start(text: &str) -> usize {
    memchr::memchr2(b'?', b'#', text.as_bytes()).unwrap_or(text.len())
}

/// `https://api.test:8443/v1/x?y#z` → `https://api.test:8443`.
pub(crate) fn origin(url: &str) -> Option<&str> {
    let scheme_end = scheme_separator(url)?;
    let rest = &url[scheme_end + 3..];
    let host_len = memchr::memchr3(b'/', b'?', b'#', rest.as_bytes()).unwrap_or(rest.len());
    (host_len > 0).then(|| &url[..scheme_end + 3 + host_len])
}

/// The host (without port or credentials) of an absolute URL.
pub(crate) fn host(url: &str) -> Option<&str> {
    let origin = origin(url)?;
    let authority = &origin[scheme_separator(origin)? + 3..];
    let authority = authority.rsplit('@').next()?;
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => authority.split(':').next()?,
    };
    Some(host)
}

/// The path of an absolute URL or request target, without query and fragment.
pub(crate) fn path_of(url: &str) -> &str {
    let after_origin = match origin(url) {
        Some(o) => &url[o.len()..],
        None => url,
    };
    let end = query_start(after_origin);
    let path = &after_origin[..end];
    if path.is_empty() { "/" } else { path }
}

/// The query string's `name=value` pairs, undecoded.
pub(crate) fn query_pairs(url: &str) -> impl Iterator<Item = (&str, &str)> {
    let query = url
        .split_once('?')
        .map_or("", |(_, q)| q.split('#').next().unwrap_or(""));
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// Origins compare by scheme, host and port, with default ports made explicit.
pub(crate) fn same_origin(a: &str, b: &str) -> bool {
    normalize_origin(a) == normalize_origin(b)
}

/// What [`same_origin`] compares: equal keys, same origin.
pub(crate) fn normalize_origin(origin: &str) -> String {
    let lower = origin.trim_end_matches('/').to_ascii_lowercase();
    lower
        .strip_suffix(":443")
        .filter(|o| o.starts_with("https://"))
        .or_else(|| {
            lower
                .strip_suffix(":80")
                .filter(|o| o.starts_with("http://"))
        })
        .map(str::to_owned)
        .unwrap_or(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_hosts_and_paths() {
        assert_eq!(
            origin("https://a.test:8443/v1?x"),
            Some("https://a.test:8443")
        );
        assert_eq!(host("http://u:p@[::1]:80/"), Some("::1"));
        assert_eq!(path_of("https://a.test?x=1"), "/");
        // The first `://` is the scheme's, wherever the first colon is.
        assert_eq!(origin("a:b://h/x"), None);
        assert_eq!(origin("git+ssh://h:22/x"), Some("git+ssh://h:22"));
        assert_eq!(origin("http:/h"), None);
        assert_eq!(origin("http://"), None);
        assert_eq!(origin("https://"), None);
        // The common schemes' shortcut gives what the scan gives.
        assert_eq!(origin("http://h/x"), Some("http://h"));
        assert_eq!(origin("HTTPS://h/x"), Some("HTTPS://h"));
        assert_eq!(origin("https+unix://h/x"), Some("https+unix://h"));
        assert_eq!(origin("httpsx://h/x"), Some("httpsx://h"));
        assert_eq!(origin("/a?next=http://h"), None);
        // A scheme is ASCII: a character of several bytes ends it before any `://`.
        assert_eq!(origin("hü://h/x"), None);
        assert_eq!(path_of("hü://h/x"), "hü://h/x");
        assert_eq!(path_of("/v1/items/?q"), "/v1/items/");
        // Characters of several bytes next to the stops: every cut is on a boundary.
        assert_eq!(
            origin("https://bücher.test/ü?é#ß"),
            Some("https://bücher.test")
        );
        assert_eq!(path_of("https://bücher.test/ü/😀?é#ß"), "/ü/😀");
        assert_eq!(path_of("/€#?x"), "/€");
        assert_eq!(
            with_path("https://ü.test/a?é=1", "/ö"),
            "https://ü.test/ö?é=1"
        );
        assert!(same_origin("https://a.test:443", "https://A.test/"));
        assert_eq!(
            query_pairs("/x?a=1&b&c=").collect::<Vec<_>>(),
            vec![("a", "1"), ("b", ""), ("c", "")]
        );
    }
}

/// `url` with its path replaced by `path`, keeping origin, query and fragment.
pub(crate) fn with_path(url: &str, path: &str) -> String {
    let origin = origin(url).unwrap_or("");
    let after_origin = &url[origin.len()..];
    let rest_at = query_start(after_origin);
    format!("{origin}{path}{}", &after_origin[rest_at..])
}

#[cfg(test)]
mod with_path_tests {
    #[test]
    fn only_the_path_changes() {
        use super::with_path;
        assert_eq!(with_path("http://h:1/a/?x=1#f", "/a"), "http://h:1/a?x=1#f");
        assert_eq!(with_path("/v1/items", "/v2/items"), "/v2/items");
        assert_eq!(with_path("https://h", "/x"), "https://h/x");
    }
}
