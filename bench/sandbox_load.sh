#!/usr/bin/env bash
# Load test of the sandbox on loopback: 10k requests over 64 connections (bounded),
# reports throughput, latency percentiles and dropped requests; exits 1 on any failure.
# Usage: bench/sandbox_load.sh [REQUESTS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release --example sandbox_load -- "${1:-10000}" "${2:-64}"
