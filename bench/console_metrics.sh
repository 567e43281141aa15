#!/usr/bin/env bash
# Builds the release binary and measures the console on a pseudo-terminal:
# first frame, idle CPU, memory at start and with 100k history entries, key latency.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
exec python3 bench/console_metrics.py target/release/gemini-doctor
