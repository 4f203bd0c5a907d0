//! Shell prompts in front of a pasted command: `$ `, `# `, `% `, `❯ `, `λ `,
//! `[root@web01 ~]# `, `dev@build:~/src$ `, `user@mac api % `, `➜  api git:(main) ✗ `,
//! `PS C:\Users\dev> `, `C:\src> `, with a `(venv) ` in front of any of them.

/// How far into a line a prompt may reach.
const LONGEST_PROMPT: usize = 160;

/// Programs people run to call an API, seen at the start of a pasted command line.
const PROGRAMS: &[&str] = &[
    "curl",
    "curl.exe",
    "wget",
    "http",
    "https",
    "httpie",
    "xh",
    "python",
    "python3",
    "py",
    "node",
    "deno",
    "bun",
    "npx",
    "npm",
    "go",
    "java",
    "dotnet",
    "ruby",
    "php",
    "pwsh",
    "powershell",
    "Invoke-RestMethod",
    "Invoke-WebRequest",
    "irm",
    "iwr",
    "aws",
    "az",
    "gcloud",
    "kubectl",
    "gh",
    "uv",
    "poetry",
    "pipenv",
    "cargo",
    "./gradlew",
    "mvn",
];

/// Where the command starts when `line` begins with a shell prompt.
pub(crate) fn command_start(line: &str) -> Option<usize> {
    let head = &line[..line.floor_char_boundary(LONGEST_PROMPT)];
    let trimmed = head.trim_start();
    let mut at = head.len() - trimmed.len();
    // `(venv) `, `(base) `
    while line[at..].starts_with('(') {
        let close = line[at..].find(") ").filter(|c| *c < 40)?;
        at += close + 2;
    }
    let rest = &head[at..];
    for simple in ["$ ", "% ", "# ", "❯ ", "λ ", "> "] {
        if let Some(after) = rest.strip_prefix(simple) {
            return Some(at + simple.len() + (after.len() - after.trim_start().len()));
        }
    }
    // Oh My Zsh: `➜  dir git:(branch) ✗ command`.
    if let Some(after) = rest.strip_prefix('➜') {
        let mut words = after.split_whitespace().peekable();
        let mut consumed = 0;
        // the folder, then `git:(…)`, then `✗`.
        if words.next().is_some() {
            consumed += 1;
        }
        while words
            .peek()
            .is_some_and(|w| w.starts_with("git:(") || w.starts_with("hg:(") || *w == "✗")
        {
            words.next();
            consumed += 1;
        }
        return skip_words(line, at + '➜'.len_utf8(), consumed);
    }
    // PowerShell and cmd: `PS C:\Users\dev> `, `C:\src> `.
    let windows = rest.starts_with("PS ") || rest.as_bytes().get(1..3) == Some(b":\\");
    if windows && let Some(gt) = rest.find("> ") {
        return Some(at + gt + 2);
    }
    // `[root@web01 ~]# `, `[dev@host api]$ `
    if rest.starts_with('[') {
        let close = rest.find(']')?;
        let sign = rest[close + 1..].trim_start();
        let prompt_char = sign.strip_prefix(['$', '#', '%'])?;
        if prompt_char.starts_with(' ') && rest[1..close].contains('@') {
            return Some(at + rest.len() - prompt_char.len() + 1);
        }
        return None;
    }
    // `dev@build-7:~/src/api$ `, `me@mac api % `: a `user@host` word, then the prompt
    // character within a few words.
    let first = rest.split(' ').next().unwrap_or("");
    if first.contains('@') && !first.contains(['/', '='])
        || first.contains('@') && first.contains(':')
    {
        let mut offset = 0;
        for word in rest.split(' ').take(4) {
            offset += word.len() + 1;
            if word.ends_with(['$', '#', '%', '>']) && offset <= rest.len() {
                return Some(at + offset);
            }
            if matches!(word, "$" | "#" | "%") {
                return Some(at + offset);
            }
        }
    }
    None
}

/// Skips `count` whitespace-separated words after `from`, and the spaces after them.
fn skip_words(line: &str, from: usize, count: usize) -> Option<usize> {
    let mut at = from;
    for _ in 0..count {
        at += line[at..].len() - line[at..].trim_start().len();
        at += line[at..].find(char::is_whitespace)?;
    }
    Some(at + line[at..].len() - line[at..].trim_start().len())
}

/// Where the command starts when `line` is a command line: after a prompt, or at the start
/// when it names a program people run (`python3 x.py URL`) or sets variables for one
/// (`API_TOKEN=… node app.js`).
pub(crate) fn command_line(line: &str) -> Option<usize> {
    if let Some(at) = command_start(line) {
        return Some(at);
    }
    let at = line.len() - line.trim_start().len();
    // PowerShell's error record names the command it is about: `Invoke-RestMethod : …`.
    if line[at..]
        .split_once(' ')
        .is_some_and(|(_, rest)| rest.starts_with(": ") || rest == ":")
    {
        return None;
    }
    let mut words = line[at..].split(' ');
    let mut word = words.next()?;
    // `NAME=value NAME2=value program …`
    while word.contains('=')
        && word.split('=').next().is_some_and(|n| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
    {
        word = words.next()?;
        if !word.contains('=') {
            return PROGRAMS.contains(&program_name(word)).then_some(at);
        }
    }
    PROGRAMS.contains(&program_name(word)).then_some(at)
}

/// `/usr/bin/python3` → `python3`, `sudo` aside.
fn program_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_people_paste() {
        for (line, command) in [
            ("$ curl -v http://a", "curl -v http://a"),
            ("[root@web01 ~]# curl -v http://a", "curl -v http://a"),
            (
                "dev@build-7:~/src/api$ curl -v http://a",
                "curl -v http://a",
            ),
            ("me@mac api % curl -v http://a", "curl -v http://a"),
            ("➜  api git:(main) ✗ curl -v http://a", "curl -v http://a"),
            ("➜  ~ curl -v http://a", "curl -v http://a"),
            (
                "PS C:\\Users\\dev> curl.exe -v http://a",
                "curl.exe -v http://a",
            ),
            ("C:\\src> curl -v http://a", "curl -v http://a"),
            ("(venv) $ python3 x.py", "python3 x.py"),
            ("❯ http :8080/me", "http :8080/me"),
        ] {
            let at = command_start(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(&line[at..], command, "{line}");
        }
        for line in [
            "HTTP/1.1 200 OK",
            "Traceback (most recent call last):",
            "user@example.com wrote:",
            "{\"a\": 1}",
        ] {
            assert_eq!(command_start(line), None, "{line}");
        }
        assert_eq!(command_line("API_TOKEN=abc python3 x.py http://a"), Some(0));
        assert_eq!(command_line("Thanks for the help"), None);
        assert_eq!(command_line("Invoke-RestMethod : 401: Unauthorized"), None);
    }
}
