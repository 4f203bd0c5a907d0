#!/usr/bin/env bash
# Fuzzes one target, seeded from the fixtures (and, for open_link, from links made of them).
# Usage: fuzz/run.sh diagnose|open_link|redact|share [SECONDS] — needs a nightly toolchain
# and cargo-fuzz (`cargo install cargo-fuzz`). Crashes land in fuzz/artifacts/TARGET/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?target}
seconds=${2:-1800}
corpus=$here/corpus/$target
mkdir -p "$corpus"
if [ -z "$(ls -A "$corpus")" ]; then
  if [ "$target" = open_link ]; then
    (cd "$here/.." && cargo build -q --release)
    for f in "$here"/../tests/fixtures/*/*.{txt,har,json}; do
      "$here/../target/release/httpdx" share "$f" --base http://x/ 2>/dev/null \
        | sed 's/^[^#]*#//' >"$corpus/$(basename "$f").link" || true
    done
  else
    for f in "$here"/../tests/fixtures/*/*.{txt,har,json}; do
      # Seeds stay small: libFuzzer mutates short inputs best.
      head -c 65536 "$f" >"$corpus/$(basename "$(dirname "$f")")__$(basename "$f")"
    done
  fi
fi
cd "$here"
exec cargo +nightly fuzz run "$target" "$corpus" -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
