//! Inputs with planted secrets: every kind of place a secret hides in real traffic, written
//! the way each format writes it (raw HTTP, `curl -v` with its command line and curl 8's
//! echo, HAR with base64 bodies, params, cookie arrays, escaped quotes and an unreadable
//! first entry, console dumps, JSON bodies). Shared by the corpus test and the property test.

// Test inputs are built for reading, not for speed.
#![allow(clippy::format_collect)]

use base64::Engine;

/// One planted secret: what it is, and the text that must never be shared.
#[derive(Debug, Clone)]
pub(crate) struct Planted {
    pub(crate) what: &'static str,
    pub(crate) secret: String,
}

/// A secret value for every kind, from `seed` text (letters, digits, `-`, `_`).
#[derive(Debug, Clone)]
pub(crate) struct Vault {
    values: Vec<(&'static str, String)>,
}

/// The kinds, each with a distinct prefix so the values never collide.
pub(crate) const KINDS: &[&str] = &[
    "bearer",
    "jwtsig",
    "basicpw",
    "cookie",
    "setcookie",
    "apikey",
    "vault",
    "shopify",
    "datadog",
    "rapidapi",
    "stripesig",
    "digestresp",
    "digestcnonce",
    "queryapikey",
    "queryaccess",
    "querysig",
    "querycode",
    "formpw",
    "nestedformpw",
    "accesstoken",
    "clientsecret",
    "newpassword",
    "awssecret",
    "awssession",
    "refreshtoken",
    "numericpw",
    "pem",
    "slackhook",
    "discordhook",
    "urlpw",
    "urltoken",
    "curluser",
    "curlproxy",
    "curlcert",
    "oauth2bearer",
    "envkey",
    "axiospw",
    "multipartpw",
    "xmlpw",
    "ya29",
    "openai",
    "gitlab",
    "slackrefresh",
    "accountkey",
    "awsenv",
    "harcookie",
    "harparam",
    "base64token",
    "base64refresh",
];

impl Vault {
    /// Values made from `material` (at least 12 characters), one per kind.
    pub(crate) fn new(material: &str) -> Vault {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        let material: String = material
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let values = KINDS
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                // Each kind gets its own characters (no 8-character window is shared between
                // two secrets), with digits and mixed case: a credential, never a word.
                let mut state = material
                    .bytes()
                    .chain(kind.bytes())
                    .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                    });
                let body: String = (0..material.len())
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        char::from(
                            ALPHABET[usize::try_from(state % ALPHABET.len() as u64).unwrap_or(0)],
                        )
                    })
                    .collect();
                let value = format!("{}{body}Q7x{i:02}", &kind[..3.min(kind.len())]);
                (*kind, value)
            })
            .collect();
        Vault { values }
    }

    pub(crate) fn get(&self, kind: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every secret planted by [`inputs`], as it must never appear.
    pub(crate) fn planted(&self) -> Vec<Planted> {
        self.values
            .iter()
            .map(|(what, value)| Planted {
                what,
                secret: if *what == "numericpw" {
                    numeric_password(self)
                } else {
                    value.clone()
                },
            })
            .collect()
    }
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn b64url(text: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

/// A JWT whose signature is the planted `jwtsig` (its claims are not secret).
fn jwt(v: &Vault) -> String {
    format!(
        "{}.{}.{}",
        b64url(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(r#"{"sub":"alice","exp":1795598625}"#),
        v.get("jwtsig")
    )
}

fn pem(v: &Vault) -> String {
    format!(
        "-----BEGIN PRIVATE KEY-----\nMIIEv{}\n{}QIDAQAB\n-----END PRIVATE KEY-----",
        v.get("pem"),
        v.get("pem")
    )
}

/// The headers every request format carries, as `(name, value)`.
fn headers(v: &Vault) -> Vec<(&'static str, String)> {
    vec![
        ("Host", "api.example.test".into()),
        ("Authorization", format!("Bearer {}", jwt(v))),
        (
            "Proxy-Authorization",
            format!("Basic {}", b64(&format!("alice:{}", v.get("basicpw")))),
        ),
        (
            "X-Forwarded-Authorization",
            format!("Bearer {}", v.get("bearer")),
        ),
        (
            "Cookie",
            format!("session={}; theme=dark; consent=true", v.get("cookie")),
        ),
        ("X-Api-Key", v.get("apikey").into()),
        ("X-Vault-Token", format!("hvs.{}", v.get("vault"))),
        (
            "X-Shopify-Access-Token",
            format!("shpat_{}", v.get("shopify")),
        ),
        ("DD-API-KEY", v.get("datadog").into()),
        ("X-RapidAPI-Key", v.get("rapidapi").into()),
        (
            "Stripe-Signature",
            format!("t=1700000000,v1={}", v.get("stripesig")),
        ),
        (
            "X-Keys",
            format!(
                "ya29.{} sk-{}AB12 glpat-{} xoxe.xoxp-1-{}",
                v.get("ya29"),
                v.get("openai"),
                v.get("gitlab"),
                v.get("slackrefresh")
            ),
        ),
        ("Content-Type", "application/json".into()),
    ]
}

fn url(v: &Vault) -> String {
    format!(
        "https://alice:{}@api.example.test/v1/login?api_key={}&access_token={}&signature={}&code={}&page=2",
        v.get("urlpw"),
        v.get("queryapikey"),
        v.get("queryaccess"),
        v.get("querysig"),
        v.get("querycode")
    )
}

fn json_body(v: &Vault) -> String {
    serde_json::json!({
        "username": "alice",
        "accessToken": v.get("accesstoken"),
        "clientSecret": v.get("clientsecret"),
        "newPassword": v.get("newpassword"),
        "Credentials": {"AccessKeyId": "ASIAEXAMPLEEXAMPLE", "SecretAccessKey": v.get("awssecret"), "SessionToken": v.get("awssession")},
        "refresh_token": v.get("refreshtoken"),
        "pin_password": numeric_password(v).parse::<u64>().unwrap_or(0),
        "private_key": pem(v),
        "webhook": format!("https://hooks.slack.com/services/T0000/B0000/{}", v.get("slackhook")),
        "discord": format!("https://discord.com/api/webhooks/123456789/{}", v.get("discordhook")),
        "connection": format!("DefaultEndpointsProtocol=https;AccountName=x;AccountKey={}==;EndpointSuffix=core.windows.net", v.get("accountkey")),
        "code": "INVALID_ARGUMENT",
        "key": "email"
    })
    .to_string()
}

/// A numeric password as the JSON body writes it (its digits differ per vault).
pub(crate) fn numeric_password(v: &Vault) -> String {
    let digits: String = v
        .get("numericpw")
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(char::from)
        .take(6)
        .collect();
    format!("98765{digits}")
}

fn form_body(v: &Vault) -> String {
    format!(
        "username=alice&password={}&user%5Bpassword%5D={}&consent=true",
        v.get("formpw"),
        v.get("nestedformpw")
    )
}

fn multipart(v: &Vault) -> String {
    format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nalice\r\n--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n{}\r\n--XyZ--\r\n",
        v.get("multipartpw")
    )
}

fn extras(v: &Vault) -> String {
    format!(
        "API_KEY=\"{}\"\naws_secret_access_key = {}\n<creds><password>{}</password></creds>\n",
        v.get("envkey"),
        v.get("awsenv"),
        v.get("xmlpw")
    )
}

/// `curl --trace-ascii` of `data` sent as one header event: 64 characters a line, a line
/// break in the data ending a dump line, offsets counting the `\r\n`.
fn trace_ascii(data: &str) -> String {
    let mut out = format!(
        "=> Send header, {} bytes (0x{:x})\n",
        data.len(),
        data.len()
    );
    let mut offset = 0;
    for line in data.split_inclusive("\r\n") {
        let content = line.trim_end_matches("\r\n");
        let mut chunks: Vec<&str> = content
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        if chunks.is_empty() {
            chunks.push("");
        }
        for chunk in chunks {
            out.push_str(&format!("{offset:04x}: {chunk}\n"));
            offset += chunk.len();
        }
        offset += line.len() - content.len();
    }
    out
}

/// `curl --trace` of `data`: 16 bytes a line as hex pairs, then the ASCII column.
fn trace_hex(data: &str) -> String {
    let mut out = format!(
        "=> Send header, {} bytes (0x{:x})\n",
        data.len(),
        data.len()
    );
    for (row, chunk) in data.as_bytes().chunks(16).enumerate() {
        let pairs: String = chunk.iter().map(|b| format!("{b:02x} ")).collect();
        let column: String = chunk
            .iter()
            .map(|b| {
                if (0x20..0x7f).contains(b) {
                    char::from(*b)
                } else {
                    '.'
                }
            })
            .collect();
        out.push_str(&format!("{:04x}: {pairs:<48}{column}\n", row * 16));
    }
    out
}

/// Hard-wraps every line at `width` columns, as a console does.
fn hard_wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for piece in chars.chunks(width) {
            out.extend(piece);
            out.push('\n');
        }
    }
    out
}

/// Every format, with every kind it can hold: `(format, text)`.
pub(crate) fn inputs(v: &Vault) -> Vec<(&'static str, String)> {
    let headers = headers(v);
    let raw_headers: String = headers
        .iter()
        .map(|(n, value)| format!("{n}: {value}\n"))
        .collect();
    let raw = format!(
        "POST {} HTTP/1.1\n{raw_headers}\n{}\nHTTP/1.1 401 Unauthorized\nSet-Cookie: session={}; HttpOnly\nContent-Type: application/json\n\n{{\"error\": \"invalid_token\", \"detail\": \"{}\"}}\n",
        url(v),
        json_body(v),
        v.get("setcookie"),
        extras(v).replace('"', "'").replace('\n', " ")
    );
    let curl_headers: String = headers
        .iter()
        .map(|(n, value)| format!("> {n}: {value}\r\n"))
        .collect();
    let curl8: String = headers
        .iter()
        .map(|(n, value)| format!("* [HTTP/2] [1] [{}: {value}]\n", n.to_ascii_lowercase()))
        .collect();
    let curl = format!(
        "[root@host ~]# curl -sv -u alice:{} -U proxy:{} -E client.pem:{} --oauth2-bearer {} -H 'X-Api-Key: {}' -b 'session={}' -d '{}' '{}'\n*   Trying 127.0.0.1:443...\n{curl8}> POST /v1/login HTTP/2\r\n{curl_headers}>\r\n< HTTP/2 401\r\n< set-cookie: session={}\r\n<\r\n{}\n",
        v.get("curluser"),
        v.get("curlproxy"),
        v.get("curlcert"),
        v.get("oauth2bearer"),
        v.get("apikey"),
        v.get("cookie"),
        form_body(v),
        url(v),
        v.get("setcookie"),
        json_body(v)
    );
    let header = |n: &str, value: &str| serde_json::json!({"name": n, "value": value});
    let har_headers: Vec<serde_json::Value> =
        headers.iter().map(|(n, value)| header(n, value)).collect();
    let digest = format!(
        "Digest username=\"alice\", realm=\"api\", nonce=\"abc\", uri=\"/v1\", response=\"{}\", cnonce=\"{}\"",
        v.get("digestresp"),
        v.get("digestcnonce")
    );
    let token_response = serde_json::json!({"access_token": v.get("base64token"), "refresh_token": v.get("base64refresh"), "token_type": "Bearer", "expires_in": 3600}).to_string();
    let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [
        {"time": "n/a", "request": {"url": 5, "headers": [header("X-Api-Key", v.get("apikey")), header("Cookie", &format!("sid={}", v.get("cookie")))]}, "response": {"status": 200}},
        {"startedDateTime": "2026-11-25T10:00:00.000Z", "time": 12.0,
         "request": {"method": "POST", "url": url(v), "httpVersion": "HTTP/1.1",
            "headers": har_headers.iter().cloned().chain([header("Authorization", &digest)]).collect::<Vec<_>>(),
            "cookies": [{"name": "sid", "value": v.get("harcookie")}],
            "queryString": [{"name": "api_key", "value": v.get("queryapikey")}],
            "postData": {"mimeType": "application/x-www-form-urlencoded", "text": form_body(v), "params": [{"name": "password", "value": v.get("formpw")}, {"name": "otp_secret", "value": v.get("harparam")}]}},
         "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
            "headers": [header("Set-Cookie", &format!("session={}; HttpOnly", v.get("setcookie")))],
            "cookies": [{"name": "session", "value": v.get("setcookie")}],
            "content": {"mimeType": "application/json", "encoding": "base64", "text": b64(&token_response)}}},
        {"startedDateTime": "2026-11-25T10:00:01.000Z", "time": 10.0,
         "request": {"method": "POST", "url": "https://api.example.test/v1/users", "headers": [], "postData": {"mimeType": "multipart/form-data; boundary=XyZ", "text": multipart(v)}},
         "response": {"status": 422, "headers": [], "content": {"mimeType": "application/json", "text": json_body(v)}}}
    ]}});
    let console = format!(
        "[Error] Access to fetch at '{}' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\nGET https://api.example.test/v1/me?access_token={} net::ERR_FAILED\nAxiosError: Request failed with status code 401\n  config: {{\n    auth: {{ username: 'alice', password: '{}' }},\n    headers: {{ Authorization: 'Bearer {}', 'X-Api-Key': '{}' }},\n    data: '{}'\n  }}\n{}",
        url(v),
        jwt(v),
        v.get("axiospw"),
        v.get("bearer"),
        v.get("apikey"),
        json_body(v).replace('\'', "\\'"),
        extras(v)
    );
    let json = format!(
        "{{\"error\": \"invalid_token\", \"request\": {{\"url\": \"{}\", \"token_url\": \"https://{}@git.example.test/x\"}}, \"body\": {}, \"form\": \"{}\"}}",
        url(v),
        v.get("urltoken"),
        json_body(v),
        form_body(v)
    );
    let request_bytes = format!(
        "POST /v1/login HTTP/1.1\r\n{}\r\n",
        headers
            .iter()
            .map(|(n, value)| format!("{n}: {value}\r\n"))
            .collect::<String>()
    );
    let trace_ascii = format!(
        "$ curl --trace-ascii - '{}'\n== Info: Connected to api.example.test\n{}=> Send data, 10 bytes (0xa)\n0000: {}\n<= Recv header, 27 bytes (0x1b)\n0000: HTTP/1.1 401 Unauthorized\n",
        url(v),
        trace_ascii(&request_bytes),
        form_body(v)
    );
    let trace_hex = format!(
        "$ curl --trace - '{}'\n{}<= Recv header, 27 bytes (0x1b)\n",
        url(v),
        trace_hex(&request_bytes)
    );
    let python_headers: String = headers
        .iter()
        .map(|(n, value)| format!("'{n}': '{value}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let java_headers: String = headers
        .iter()
        .map(|(n, value)| format!("{}=[{value}]", n.to_ascii_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    let client = format!(
        "$ API_TOKEN={} STRIPE_KEY=sk_live_{} python3 client.py '{}'\n401 Unauthorized\n{{{python_headers}}}\nStatus: 401\nHeaders: {{{java_headers}}}\n",
        jwt(v),
        v.get("envkey"),
        url(v)
    );
    let powershell = hard_wrap(
        &format!(
            "PS C:\\Users\\dev> Invoke-RestMethod -Uri '{}' -Method Post -Headers @{{Authorization = \"Bearer {}\"; 'X-Api-Key' = '{}'}} -Body '{}'\nInvoke-RestMethod : {{\"error\":\"invalid_token\"}}\nAt line:1 char:1\n",
            url(v),
            jwt(v),
            v.get("apikey"),
            form_body(v)
        ),
        120,
    );
    let panel: String = format!(
        "Request URL:\n{}\nRequest Method:\nPOST\nStatus Code:\n401 Unauthorized\nRemote Address:\n203.0.113.7:443\nResponse Headers\nset-cookie:\nsession={}; HttpOnly\nRequest Headers\n{}",
        url(v),
        v.get("setcookie"),
        headers
            .iter()
            .map(|(n, value)| format!("{}:\n{value}\n", n.to_ascii_lowercase()))
            .collect::<String>()
    );
    let wget = format!(
        "$ wget -d --header='Authorization: Bearer {}' '{}'\n---request begin---\n{}---request end---\nHTTP request sent, awaiting response... \n---response begin---\nHTTP/1.1 401 Unauthorized\nSet-Cookie: session={}\n---response end---\n",
        jwt(v),
        url(v),
        request_bytes.replace("\r\n", "\n"),
        v.get("setcookie")
    );
    vec![
        ("curl-trace-ascii", trace_ascii),
        ("curl-trace-hex", trace_hex),
        ("client-error", client),
        ("powershell", powershell),
        ("panel", panel),
        ("wget", wget),
        ("raw-http", raw),
        ("curl-verbose", curl),
        (
            "har",
            serde_json::to_string_pretty(&har).unwrap_or_default(),
        ),
        ("console", console),
        ("json-body", json),
    ]
}

/// Every way a secret could be written in shared text: as is, JSON-escaped,
/// percent-encoded, in base64 (any alignment). Each 8-character window of each form is a
/// pattern; one automaton finds them all in one pass over a text.
pub(crate) struct Detector {
    automaton: aho_corasick::AhoCorasick,
    owner: Vec<usize>,
    patterns: Vec<String>,
}

fn forms(secret: &str) -> Vec<String> {
    let windows = |s: &str| -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        if chars.len() < 8 {
            return vec![s.to_owned()];
        }
        (0..=chars.len() - 8)
            .map(|i| chars[i..i + 8].iter().collect())
            .collect()
    };
    let json = serde_json::to_string(secret).unwrap_or_default();
    let percent: String = secret
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut out: Vec<String> = [
        secret.to_owned(),
        json.trim_matches('"').to_owned(),
        percent,
    ]
    .iter()
    .flat_map(|f| windows(f))
    .collect();
    for offset in 0..3 {
        let mut bytes = vec![b'#'; offset];
        bytes.extend_from_slice(secret.as_bytes());
        for encoded in [
            base64::engine::general_purpose::STANDARD.encode(&bytes),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes),
        ] {
            let skip = (offset * 4).div_ceil(3);
            let whole = (bytes.len() / 3) * 4;
            if whole > skip + 8 {
                out.push(encoded[skip..whole].to_owned());
            }
        }
    }
    out
}

impl Detector {
    pub(crate) fn new(planted: &[Planted]) -> Detector {
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        for (index, p) in planted.iter().enumerate() {
            for form in forms(&p.secret) {
                patterns.push(form);
                owner.push(index);
            }
        }
        let automaton = aho_corasick::AhoCorasick::new(&patterns).expect("patterns");
        Detector {
            automaton,
            owner,
            patterns,
        }
    }

    /// `(index of the planted secret, window)` for every secret found in `text`.
    pub(crate) fn find(&self, text: &str) -> Vec<(usize, String)> {
        let mut found: Vec<(usize, String)> = Vec::new();
        for hit in self.automaton.find_overlapping_iter(text) {
            let owner = self.owner[hit.pattern().as_usize()];
            if !found.iter().any(|(o, _)| *o == owner) {
                found.push((owner, self.patterns[hit.pattern().as_usize()].clone()));
            }
        }
        found
    }
}
