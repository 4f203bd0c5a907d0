//! Any input — binary, huge, truncated, deeply nested, not UTF-8, mangled — gets a report or a
//! clear error, never a panic.

mod common;

use common::{REFERENCE_TIME, all_fixtures, fixtures_dir};
use httpdx::{InputError, Options, diagnose, diagnose_bytes};

fn options() -> Options {
    Options {
        format: None,
        reference_time: Some(REFERENCE_TIME),
    }
}

#[test]
fn binary_and_empty_input_are_errors_with_a_message() {
    let binary = std::fs::read(fixtures_dir().join("bad/binary.bin")).unwrap();
    let error = diagnose_bytes(&binary, &options()).unwrap_err();
    assert!(matches!(error, InputError::Binary { offset: 0 }));
    assert!(error.to_string().contains("binary"));
    assert_eq!(
        diagnose_bytes(b"  \n\t ", &options()).unwrap_err(),
        InputError::Empty
    );
    let mostly_garbage: Vec<u8> = (0..4000u32)
        .map(|i| u8::try_from(i * 131 % 256).unwrap_or(0) | 0x80)
        .collect();
    assert!(matches!(
        diagnose_bytes(&mostly_garbage, &options()),
        Err(InputError::Binary { .. })
    ));
}

#[test]
fn a_readable_message_with_a_binary_body_is_text_not_binary_input() {
    // `curl -sv … > file 2>&1` of a gRPC call: the headers, then the frames with NUL bytes.
    for fixture in ["grpc/grpcio-ok.txt", "grpc/grpcweb-unauthenticated.txt"] {
        let bytes = std::fs::read(fixtures_dir().join(fixture)).unwrap();
        assert!(bytes.contains(&0), "{fixture} has NUL bytes");
        let report =
            diagnose_bytes(&bytes, &options()).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        assert_eq!(report.exchanges[0].response.as_ref().unwrap().status, 200);
    }
    // NUL bytes without a message head before them stay binary input.
    let mut bytes = b"hello\nworld\n".to_vec();
    bytes.extend_from_slice(&[0, 1, 2, 3]);
    assert!(matches!(
        diagnose_bytes(&bytes, &options()),
        Err(InputError::Binary { offset: 12 })
    ));
}

#[test]
fn bytes_given_up_decode_as_bytes_borrowed_do() {
    // The page's worker hands a file's buffer over (`decode_input_owned`): the same text or
    // the same error as `decode_input`, for valid, mended and binary input.
    let valid = std::fs::read(fixtures_dir().join("fastapi/404-item.txt")).unwrap();
    let mut mended = valid.clone();
    let at = mended.len() - 5;
    mended[at] = 0xff;
    let binary = vec![0u8, 159, 146, 150, 1, 2, 3];
    for bytes in [valid, mended, binary, Vec::new()] {
        let borrowed = httpdx::decode_input(&bytes).map(std::borrow::Cow::into_owned);
        assert_eq!(httpdx::decode_input_owned(bytes), borrowed);
    }
}

#[test]
fn invalid_utf8_in_text_is_replaced_and_diagnosed() {
    let mut bytes = std::fs::read(fixtures_dir().join("fastapi/404-item.txt")).unwrap();
    let at = bytes.len() - 5;
    bytes[at] = 0xff;
    let report = diagnose_bytes(&bytes, &options()).unwrap();
    assert_eq!(report.exchanges[0].response.as_ref().unwrap().status, 404);
}

#[test]
fn a_50_mb_single_line_is_unrecognized_not_a_hang() {
    let line = "a".repeat(50 * 1024 * 1024);
    let report = diagnose(&line, &options()).unwrap();
    assert_eq!(report.finding_ids(), vec!["input.unrecognized"]);
}

#[test]
fn json_nested_100000_deep_is_reported_not_overflowed() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let report = diagnose(&deep, &options()).unwrap();
    assert_eq!(report.format, httpdx::input::Format::JsonBody);
    // Valid, if absurd, JSON: read as a body, without a stack overflow.
    assert_eq!(report.exchanges.len(), 1);
    let har = format!("{{\"log\":{{\"entries\":[{}", "[".repeat(100_000));
    let report = diagnose(&har, &options()).unwrap();
    assert!(report.finding_ids().contains(&"input.truncated"));
}

#[test]
fn a_har_with_wrong_types_says_which_entries_were_skipped() {
    let bytes = std::fs::read(fixtures_dir().join("bad/har-wrong-types.har")).unwrap();
    let report = diagnose_bytes(&bytes, &options()).unwrap();
    assert_eq!(
        report.finding_ids(),
        vec!["input.unrecognized", "input.skipped-part"]
    );
    assert!(report.findings[1].title.contains("HAR entry 1"));
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn mangled_fixtures_never_panic() {
    let mut rng = Lcg(0x5eed);
    for fixture in all_fixtures() {
        let original = std::fs::read(fixtures_dir().join(&fixture)).unwrap();
        for round in 0..12 {
            let mut bytes = original.clone();
            match round % 4 {
                // cut anywhere
                0 => bytes.truncate(rng.next() % (bytes.len() + 1)),
                // overwrite a few bytes with structural characters
                1 => {
                    for _ in 0..8 {
                        let at = rng.next() % bytes.len().max(1);
                        if let Some(b) = bytes.get_mut(at) {
                            const STRUCTURAL: &[u8] = b"{}[]\":,\n\r <>*@";
                            *b = STRUCTURAL[rng.next() % STRUCTURAL.len()];
                        }
                    }
                }
                // drop a slice from the middle
                2 => {
                    let a = rng.next() % (bytes.len() + 1);
                    let b = (a + rng.next() % 400).min(bytes.len());
                    bytes.drain(a..b);
                }
                // duplicate the input onto itself
                _ => {
                    let copy = bytes.clone();
                    bytes.extend_from_slice(&copy[..copy.len() / 2]);
                }
            }

            let _ = diagnose_bytes(&bytes, &options());
            for format in httpdx::input::Format::READABLE {
                let _ = diagnose_bytes(
                    &bytes,
                    &Options {
                        format: Some(format),
                        reference_time: None,
                    },
                );
            }
        }
    }
}

/// Ordinary non-English text next to every delimiter the readers and redaction slice at:
/// `{"detail":"Ungültige Größe: 5"}`, `Ошибка: …`, `Größe=5`.
fn with_multibyte(text: &str, before: bool, round: usize) -> String {
    const CHARACTERS: &[char] = &['ü', 'é', 'Ш', '错', '😀', 'ß', '\u{200b}'];
    let mut out = String::with_capacity(text.len() * 2);
    let mut k = round;
    for c in text.chars() {
        let delimiter = matches!(c, ':' | '=' | '"');
        if delimiter && !before {
            out.push(c);
        }
        if delimiter {
            out.push(CHARACTERS[k % CHARACTERS.len()]);
            k += 1;
        }
        if !delimiter || before {
            out.push(c);
        }
    }
    out
}

/// Values written in other scripts: after the first `:`, `=` or `"` of each
/// line every vowel becomes a run of two-, three- and four-byte characters,
/// so values grow past the fixed byte offsets rules quote up to (40, 120,
/// 200 …) and those offsets land inside a character.
fn with_multibyte_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for line in text.split_inclusive('\n') {
        let cut = line.find([':', '=', '"']).map_or(line.len(), |i| i + 1);
        out.push_str(&line[..cut]);
        for c in line[cut..].chars() {
            if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u') {
                out.push_str("ä€😀üШ错ä€😀");
            } else {
                out.push(c);
            }
        }
    }
    out
}

#[test]
fn multibyte_characters_at_every_delimiter_never_panic() {
    let redact = httpdx::share::RedactOptions::default();
    for fixture in all_fixtures() {
        let Ok(original) = std::fs::read_to_string(fixtures_dir().join(&fixture)) else {
            continue;
        };
        let variants = [
            with_multibyte(&original, true, 0),
            with_multibyte(&original, false, 3),
            with_multibyte_values(&original),
        ];
        for text in variants {
            let Ok(report) = diagnose(&text, &options()) else {
                continue;
            };
            let draft = httpdx::share::Draft::new(&text, &report, None, &redact);
            if let Ok(draft) = draft {
                let _ = draft.markdown();
                if let Ok(link) = draft.link("http://127.0.0.1:8080/") {
                    let _ = httpdx::share::open(&link);
                }
            }
            let _ = httpdx::share::redact_file(&text, &redact);
            let _ = httpdx::share::markdown_for(&text, &options(), Some(&[0]), &redact);
        }
    }
}

/// A HEAD answer (`curl -I`), or headers pasted alone, declare a Content-Length and carry no
/// body: that is not a cut paste.
#[test]
fn header_only_pastes_are_not_called_truncated() {
    let pastes = [
        std::fs::read_to_string(fixtures_dir().join("curl/head-200.txt")).expect("fixture"),
        std::fs::read_to_string(fixtures_dir().join("curl/head-verbose.txt")).expect("fixture"),
        std::fs::read_to_string(fixtures_dir().join("handmade/headers-without-status-line.txt"))
            .expect("fixture"),
        // The same headers without the blank line that ends them.
        "HTTP/1.1 200 OK\ncontent-type: application/json\ncontent-length: 5216".to_owned(),
    ];
    for paste in pastes {
        let report = diagnose(&paste, &options()).expect("diagnoses");
        let ids: Vec<String> = report.findings.iter().map(|f| f.id.to_string()).collect();
        assert!(
            !ids.iter().any(|i| i == "input.truncated"),
            "{ids:?} for\n{paste}"
        );
    }
    // A body shorter than its Content-Length still is.
    let cut = "HTTP/1.1 200 OK\ncontent-length: 500\n\n{\"items\": [1, 2";
    let report = diagnose(cut, &options()).expect("diagnoses");
    assert!(report.findings.iter().any(|f| f.id == "input.truncated"));
}
