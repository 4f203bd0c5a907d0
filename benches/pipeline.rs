#![allow(clippy::expect_used)] // benchmark set-up: missing inputs should stop the run
//! The whole pipeline (detect → read → rules → report) on the inputs people paste: a 2 KB
//! `curl -v` capture and a HAR of more than 50 MB built from a real Chromium recording.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use httpdx::{Options, diagnose};

// As the command line's (src/bin/httpdx/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

/// A HAR of at least `min_bytes`, repeating the entries of a real recording (successes,
/// a 401, a 404 and a 500 with an HTML stack trace).
fn large_har(min_bytes: usize) -> String {
    let recorded = fixture("chromium/mixed-page.har");
    let value: serde_json::Value = serde_json::from_str(&recorded).expect("HAR");
    let entries = value["log"]["entries"].as_array().expect("entries");
    let entry_texts: Vec<String> = entries
        .iter()
        .map(|e| serde_json::to_string_pretty(e).expect("entry"))
        .collect();
    let mut out = String::from(
        "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"httpdx-bench\", \"version\": \"1\"}, \"entries\": [\n",
    );
    let mut first = true;
    while out.len() < min_bytes {
        for entry in &entry_texts {
            if !first {
                out.push_str(",\n");
            }
            first = false;
            out.push_str(entry);
        }
    }
    out.push_str("\n]}}\n");
    out
}

fn pipeline(c: &mut Criterion) {
    let options = Options {
        format: None,
        reference_time: Some(1_795_600_800),
    };
    let paste = fixture("curl/post-redirect-get.txt");
    let mut group = c.benchmark_group("paste");
    group.throughput(Throughput::Bytes(paste.len() as u64));
    group.bench_function(BenchmarkId::new("curl-verbose", paste.len()), |b| {
        b.iter(|| diagnose(&paste, &options).expect("report"));
    });
    group.finish();

    let har = large_har(50 * 1024 * 1024);
    let mut group = c.benchmark_group("har");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(har.len() as u64));
    group.bench_function(BenchmarkId::new("chromium", har.len()), |b| {
        b.iter(|| diagnose(&har, &options).expect("report"));
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
