#!/usr/bin/env bash
# How many HTTP/1.1 requests per second a bare server answers on one core of this machine, with the request mix
# of the harness's polling scenario (16 keep-alive connections, one request at a time each, GET and POST
# alternating): a bare Kestrel app (bench/http-ceiling, no routing, middleware or logging) against a bare Node
# `http` server, alternating run by run, server on CPU 0 and client on CPU 1. A polling session of the harness is
# 10 such requests, so no Engine.IO server on Kestrel can serve more sessions/s than a tenth of the Kestrel figure.
#
#   bench/ceiling.sh                 # RUNS=3 runs of RUN_S=5 seconds each, Kestrel warmed WARMUP_S=20 s first
#
# Knobs: RUNS, RUN_S, WARMUP_S, PORT_KESTREL (3320), PORT_NODE (3321), BENCH_SRC (../shared/bench), OUT_DIR.
# Stops only the processes it started, by PID.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
RUN_S=${RUN_S:-5}
WARMUP_S=${WARMUP_S:-20}
PORT_KESTREL=${PORT_KESTREL:-3320}
PORT_NODE=${PORT_NODE:-3321}
BENCH_SRC=${BENCH_SRC:-$ROOT/../shared/bench}
OUT_DIR=${OUT_DIR:-$ROOT/bench/results/ceiling-$(date -u +%Y%m%dT%H%M%SZ)}
[ -f "$BENCH_SRC/fasthttp.js" ] || { echo "no harness at $BENCH_SRC (set BENCH_SRC)" >&2; exit 1; }
mkdir -p "$OUT_DIR"
OUT=$OUT_DIR/ceiling.jsonl
: >"$OUT"

if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then SRV_PIN=(taskset -c 0); CLI_PIN=(taskset -c 1); else SRV_PIN=(); CLI_PIN=(); fi

dotnet build "$ROOT/bench/http-ceiling" -c Release --nologo -v q >"$OUT_DIR/build.log" 2>&1 || { cat "$OUT_DIR/build.log" >&2; exit 1; }
DLL=$ROOT/bench/http-ceiling/bin/Release/net10.0/HttpCeiling.dll

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_listening() { # log pid
  for _ in $(seq 1 300); do
    grep -q listening "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$1" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start: $1" >&2; exit 1
}
PORT=$PORT_KESTREL "${SRV_PIN[@]}" dotnet "$DLL" >"$OUT_DIR/kestrel.log" 2>&1 & PIDS+=($!); wait_listening "$OUT_DIR/kestrel.log" $!
PORT=$PORT_NODE "${SRV_PIN[@]}" node "$ROOT/bench/http-ceiling/node-server.js" >"$OUT_DIR/node.log" 2>&1 & PIDS+=($!); wait_listening "$OUT_DIR/node.log" $!

load() { timeout -k 5 $((RUN_S + 30)) "${CLI_PIN[@]}" node "$ROOT/bench/http-ceiling/load.js" "$BENCH_SRC" "$@"; }
load "$PORT_KESTREL" "$WARMUP_S" kestrel-warmup >/dev/null
load "$PORT_NODE" 3 node-warmup >/dev/null
for r in $(seq 1 "$RUNS"); do
  load "$PORT_KESTREL" "$RUN_S" kestrel | tee -a "$OUT"
  load "$PORT_NODE" "$RUN_S" node | tee -a "$OUT"
done

node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const med = (l) => { const v = rows.filter((r) => r.label === l).map((r) => r.reqPerSec).sort((a, b) => a - b); return v[v.length >> 1]; };
const k = med("kestrel"), n = med("node");
console.log(`\n| bare server (polling request mix, 16 connections) | median req/s | runs |\n|---|---|---|`);
for (const [l, m] of [["Kestrel (bench/http-ceiling)", k], ["Node http", n]]) console.log(`| ${l} | ${m.toLocaleString("en-US")} | ${rows.filter((r) => r.label === (l.startsWith("K") ? "kestrel" : "node")).map((r) => r.reqPerSec).join(", ")} |`);
console.log(`\nKestrel ÷ Node: ${(k / n).toFixed(2)}x; at most ${Math.round(k / 10).toLocaleString("en-US")} polling sessions/s (10 requests each) for a server on Kestrel.`);
' "$OUT"
