#!/usr/bin/env bash
# SDK conformance: the official Python and Node SDKs against the sandbox on 127.0.0.1.
# Installs google-genai (venv) and @google/genai (npm) here, starts the sandbox binary
# (SANDBOX_BIN, else a debug build), runs both scripts, exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"

BIN="${SANDBOX_BIN:-}"
if [ -z "$BIN" ]; then
  (cd "$ROOT" && cargo build --quiet --bin gemini-doctor)
  BIN="$ROOT/target/debug/gemini-doctor"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
npm install --no-audit --no-fund --silent

TMP="$(mktemp -d)"
"$BIN" sandbox --listen 127.0.0.1:0 --config conformance.toml --quiet >"$TMP/out" 2>"$TMP/err" &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# The binary prints its base URL on stdout once it is listening: wait for that line.
BASE=""
for _ in $(seq 1 100); do
  BASE="$(head -n1 "$TMP/out" 2>/dev/null || true)"
  [ -n "$BASE" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$TMP/err"; echo "sandbox exited early"; exit 1; }
  sleep 0.1
done
[ -n "$BASE" ] || { cat "$TMP/err"; echo "sandbox did not start"; exit 1; }
export SANDBOX_BASE_URL="$BASE"
echo "sandbox at $BASE"

status=0
.venv/bin/python conformance.py || status=1
node conformance.mjs || status=1
exit $status
