#!/usr/bin/env bash
# Runs every fuzz target for a fixed time each (default 60 s) and prints executions and crashes.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain is used with
# RUSTC_BOOTSTRAP=1 because the sanitizer flags are nightly-only.
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-60}
export RUSTC_BOOTSTRAP=1
for t in $(cargo fuzz list); do
  mkdir -p "corpus/$t"
  echo "== $t ($SECS s)"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$SECS" -print_final_stats=1 2>&1 \
    | grep -E "stat::number_of_executed_units|ERROR|panicked|SUMMARY" || true
done
ls artifacts/*/crash-* 2>/dev/null && { echo "crashes found"; exit 1; } || echo "no crashes"
