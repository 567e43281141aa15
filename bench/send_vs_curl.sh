#!/usr/bin/env bash
# Compares `gemini-doctor send` with curl on the same request against a local sandbox.
# The figure is the ratio of mean wall time per call (process start included for both).
# Usage: bench/send_vs_curl.sh [N]   (default 200 calls each)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
cargo build --release --quiet
BIN=target/release/gemini-doctor
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HOME_DIR=$(mktemp -d)
"$BIN" sandbox --listen "127.0.0.1:$PORT" --quiet >/dev/null 2>&1 &
SANDBOX=$!
trap 'kill $SANDBOX 2>/dev/null; rm -rf "$HOME_DIR"' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/v1beta/models?key=bench" && break
  sleep 0.05
done
BASE="http://127.0.0.1:$PORT"
BODY='{"contents":[{"role":"user","parts":[{"text":"Say hello"}]}],"generationConfig":{"temperature":0}}'
# The sandbox rate-limits per key like the free tier; give each tool a fresh key budget.
export GEMINI_DOCTOR_HOME="$HOME_DIR"

now() { date +%s%N; }

t0=$(now)
for i in $(seq 1 "$N"); do
  GEMINI_API_KEY="bench-send-$i" "$BIN" send "Say hello" --temperature 0 --base-url "$BASE" --no-history >/dev/null 2>&1
done
t1=$(now)
for i in $(seq 1 "$N"); do
  curl -s -o /dev/null -H "x-goog-api-key: bench-curl-$i" -H 'content-type: application/json' \
    -d "$BODY" "$BASE/v1beta/models/gemini-2.5-flash:generateContent"
done
t2=$(now)
send_ms=$(( (t1 - t0) / N / 1000 ))
curl_ms=$(( (t2 - t1) / N / 1000 ))
echo "gemini-doctor send: ${send_ms} µs/call"
echo "curl:               ${curl_ms} µs/call"
python3 -c "print(f'ratio send/curl: {$send_ms/$curl_ms:.2f}')"
