#!/usr/bin/env bash
# Long soak: holds CONNECTIONS (default 10,000) socket.io connections on one node (127.0.0.1) for DURATION_S
# (default 600) with light traffic (each socket an acknowledged echo every ECHO_MS,
# default 10 s; one io.emit broadcast to every socket every BROADCAST_MS, default 10 s), sampling the server's
# RSS (/proc/PID/status) and GC heap (the gc-sampler startup hook, tests/js/tools/gc-sampler, loaded with
# DOTNET_STARTUP_HOOKS) every SAMPLE_MS (default 10 s). Prints the samples and a RESULT line with messages lost
# and the RSS / GC-heap trend over the second half; exits non-zero if anything was lost or a connection dropped.
# The server is the host with `--app bench` (src/Node: only echo, join, room:emit, io:emit; no per-message state,
# so a memory trend is the server's own); SOAK_SERVER=fixture runs the e2e fixture server instead (it keeps a log of
# every inbound event per socket for its `anyLog` command, so its memory grows with traffic by design).
# SOAK_FULL_GC_MS=N makes the sampler force a full compacting GC every N ms, so the GC-heap figure is the live set
# (without it a lightly loaded server may run no gen2 GC for the whole run, and the heap figure includes gen2 garbage).
# SOAK_HEAP_HISTOGRAM=1 also takes two histograms of the server's reachable heap by type (tests/js/tools/heap-histogram,
# ClrMD; the server is suspended while its heap is walked, about 25 s at 10,000 connections on 2 cores) at a third
# and at nine tenths of the run, and prints the types that grew most between them.
# Stops by itself; stops only the server it started (by PID). Usage: scripts/soak.sh [CONNECTIONS] [DURATION_S]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CONNECTIONS=${1:-${CONNECTIONS:-10000}}
DURATION_S=${2:-${DURATION_S:-600}}
ECHO_MS=${ECHO_MS:-10000}
BROADCAST_MS=${BROADCAST_MS:-10000}
SAMPLE_MS=${SAMPLE_MS:-10000}
OUT=${SOAK_OUT:-$ROOT/.soak-out}
mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

[ -d tests/js/node_modules ] || (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
SOAK_SERVER=${SOAK_SERVER:-bench}
case "$SOAK_SERVER" in
  bench)
    DLL=src/Node/bin/Release/net10.0/SocketIo.Node.dll
    SERVER_ARGS=(--app bench --log-level Warning)
    [ -f "$DLL" ] || dotnet build src/Node -c Release -nologo -clp:ErrorsOnly ;;
  fixture)
    DLL=tests/SocketIo.E2E.Server/bin/Release/net10.0/SocketIo.E2E.Server.dll
    SERVER_ARGS=()
    [ -f "$DLL" ] || dotnet build tests/SocketIo.E2E.Server -c Release -nologo -clp:ErrorsOnly ;;
  *) echo "soak.sh: SOAK_SERVER must be bench or fixture" >&2; exit 2 ;;
esac
dotnet build tests/js/tools/gc-sampler -c Release -nologo -clp:ErrorsOnly >/dev/null
HOOK=$ROOT/tests/js/tools/gc-sampler/bin/Release/net10.0/GcSampler.dll
HEAP_HISTOGRAM=${SOAK_HEAP_HISTOGRAM:-0}
HISTOGRAM_DLL=$ROOT/tests/js/tools/heap-histogram/bin/Release/net10.0/HeapHistogram.dll
[ "$HEAP_HISTOGRAM" = 1 ] && dotnet build tests/js/tools/heap-histogram -c Release -nologo -clp:ErrorsOnly >/dev/null
rm -f "$OUT"/heap-early.txt "$OUT"/heap-late.txt
GC_FILE=$OUT/gc.txt
rm -f "$GC_FILE"

# Both processes need a file descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((CONNECTIONS + 1000))
[ "$(ulimit -n)" -ge "$need" ] || { echo "soak.sh: ulimit -n is $(ulimit -n); $need needed for $CONNECTIONS connections" >&2; exit 2; }

DOTNET_gcServer=0 DOTNET_STARTUP_HOOKS=$HOOK GC_SAMPLER_FILE=$GC_FILE GC_SAMPLER_INTERVAL_MS=1000 GC_SAMPLER_FULL_GC_MS=${SOAK_FULL_GC_MS:-0} \
  dotnet "$DLL" --host 127.0.0.1 --port 0 "${SERVER_ARGS[@]}" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
HISTOGRAM_PID=
cleanup() {
  [ -n "$HISTOGRAM_PID" ] && { kill "$HISTOGRAM_PID" 2>/dev/null || true; wait "$HISTOGRAM_PID" 2>/dev/null || true; }
  kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  URL=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$OUT/server.log" | head -1 | sed 's/listening on //') || true
  [ -n "${URL:-}" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
  sleep 0.1
done
[ -n "${URL:-}" ] || { echo "soak.sh: server did not start" >&2; exit 1; }
echo "server $URL ($SOAK_SERVER, pid $SERVER_PID); $CONNECTIONS connections for $DURATION_S s"

if [ "$HEAP_HISTOGRAM" = 1 ]; then
  # Once every connection is made (the client's "connected" line), a third of the run in, then at nine tenths.
  (
    for _ in $(seq 1 600); do grep -q ' connected ' "$OUT/soak.log" 2>/dev/null && break; sleep 1; done
    sleep $((DURATION_S / 3)); timeout 300 dotnet "$HISTOGRAM_DLL" "$SERVER_PID" 300 > "$OUT/heap-early.txt" 2>&1
    sleep $((DURATION_S * 9 / 10 - DURATION_S / 3)); timeout 300 dotnet "$HISTOGRAM_DLL" "$SERVER_PID" 300 > "$OUT/heap-late.txt" 2>&1
  ) &
  HISTOGRAM_PID=$!
fi

GC_SAMPLER_FILE=$GC_FILE SOAK_SAMPLES=$OUT/samples.json \
  timeout $((DURATION_S + 600)) node tests/js/tools/soak-client.js "$URL" "$SERVER_PID" "$CONNECTIONS" "$((DURATION_S * 1000))" \
  "$ECHO_MS" "$BROADCAST_MS" "$SAMPLE_MS" | tee "$OUT/soak.log"
RESULT=$(grep '^RESULT ' "$OUT/soak.log" | sed 's/^RESULT //')
if [ "$HEAP_HISTOGRAM" = 1 ] && [ -s "$OUT/heap-late.txt" ]; then
  echo "reachable heap, types that grew most between the two histograms ($OUT/heap-early.txt, heap-late.txt):"
  node -e '
    const fs = require("node:fs");
    const read = (f) => new Map(fs.readFileSync(f, "utf8").split("\n").map((l) => /^\s*(\d+)\s+(\d+) (.+)$/.exec(l)).filter(Boolean).map((m) => [m[3], { n: +m[1], b: +m[2] }]));
    const [a, b] = [read(process.argv[1]), read(process.argv[2])];
    // Only types in both top-300 lists: a type missing from one list did not necessarily appear or vanish.
    const rows = [...b].filter(([t]) => a.has(t)).map(([t, v]) => ({ t, dn: v.n - a.get(t).n, db: v.b - a.get(t).b })).sort((x, y) => y.db - x.db).slice(0, 10);
    for (const r of rows) console.log(`  ${String(r.db).padStart(11)} B ${String(r.dn).padStart(8)} objects  ${r.t}`);
    for (const f of process.argv.slice(1)) console.log("  " + (fs.readFileSync(f, "utf8").split("\n").find((l) => l.startsWith("TOTAL")) || `${f}: no total`));
  ' "$OUT/heap-early.txt" "$OUT/heap-late.txt"
fi
[ -n "$RESULT" ] || { echo "soak.sh: no result" >&2; exit 1; }
node -e '
  const r = JSON.parse(process.argv[1]);
  const ok = r.messagesLost === 0 && r.disconnects === 0 && r.connected === r.connections && r.echoesFailed === 0;
  console.log(`connections ${r.connected}/${r.connections}, echoes ${r.echoesAcked}/${r.echoesSent}, broadcasts ${r.broadcastsReceived}/${r.broadcastsExpected}, lost ${r.messagesLost}, disconnects ${r.disconnects}`);
  console.log(`RSS ${Math.round(r.rssMinKiB/1024)}..${Math.round(r.rssMaxKiB/1024)} MiB, trend ${r.rssSlopeKiBPerMin} KiB/min; GC heap ${Math.round((r.heapMinKiB||0)/1024)}..${Math.round((r.heapMaxKiB||0)/1024)} MiB, trend ${r.heapSlopeKiBPerMin} KiB/min`);
  process.exit(ok ? 0 : 1);
' "$RESULT"
