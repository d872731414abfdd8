#!/usr/bin/env bash
# Long soak: holds CONNECTIONS (default 10,000) socket.io connections on one node (the e2e fixture server,
# 127.0.0.1) for DURATION_S (default 600) with light traffic (each socket an acknowledged echo every ECHO_MS,
# default 10 s; one io.emit broadcast to every socket every BROADCAST_MS, default 10 s), sampling the server's
# RSS (/proc/PID/status) and GC heap (the gc-sampler startup hook, tests/js/tools/gc-sampler, loaded with
# DOTNET_STARTUP_HOOKS) every SAMPLE_MS (default 10 s). Prints the samples and a RESULT line with messages lost
# and the RSS / GC-heap trend over the second half; exits non-zero if anything was lost or a connection dropped.
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
DLL=tests/SocketIo.E2E.Server/bin/Release/net10.0/SocketIo.E2E.Server.dll
[ -f "$DLL" ] || dotnet build tests/SocketIo.E2E.Server -c Release -nologo -clp:ErrorsOnly
dotnet build tests/js/tools/gc-sampler -c Release -nologo -clp:ErrorsOnly >/dev/null
HOOK=$ROOT/tests/js/tools/gc-sampler/bin/Release/net10.0/GcSampler.dll
GC_FILE=$OUT/gc.txt
rm -f "$GC_FILE"

# Both processes need a file descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((CONNECTIONS + 1000))
[ "$(ulimit -n)" -ge "$need" ] || { echo "soak.sh: ulimit -n is $(ulimit -n); $need needed for $CONNECTIONS connections" >&2; exit 2; }

DOTNET_gcServer=0 DOTNET_STARTUP_HOOKS=$HOOK GC_SAMPLER_FILE=$GC_FILE GC_SAMPLER_INTERVAL_MS=1000 \
  dotnet "$DLL" --host 127.0.0.1 --port 0 > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
cleanup() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  URL=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$OUT/server.log" | head -1 | sed 's/listening on //') || true
  [ -n "${URL:-}" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
  sleep 0.1
done
[ -n "${URL:-}" ] || { echo "soak.sh: server did not start" >&2; exit 1; }
echo "server $URL (pid $SERVER_PID); $CONNECTIONS connections for $DURATION_S s"

GC_SAMPLER_FILE=$GC_FILE SOAK_SAMPLES=$OUT/samples.json \
  timeout $((DURATION_S + 600)) node tests/js/tools/soak-client.js "$URL" "$SERVER_PID" "$CONNECTIONS" "$((DURATION_S * 1000))" \
  "$ECHO_MS" "$BROADCAST_MS" "$SAMPLE_MS" | tee "$OUT/soak.log"
RESULT=$(grep '^RESULT ' "$OUT/soak.log" | sed 's/^RESULT //')
[ -n "$RESULT" ] || { echo "soak.sh: no result" >&2; exit 1; }
node -e '
  const r = JSON.parse(process.argv[1]);
  const ok = r.messagesLost === 0 && r.disconnects === 0 && r.connected === r.connections && r.echoesFailed === 0;
  console.log(`connections ${r.connected}/${r.connections}, echoes ${r.echoesAcked}/${r.echoesSent}, broadcasts ${r.broadcastsReceived}/${r.broadcastsExpected}, lost ${r.messagesLost}, disconnects ${r.disconnects}`);
  console.log(`RSS ${Math.round(r.rssMinKiB/1024)}..${Math.round(r.rssMaxKiB/1024)} MiB, trend ${r.rssSlopeKiBPerMin} KiB/min; GC heap ${Math.round((r.heapMinKiB||0)/1024)}..${Math.round((r.heapMaxKiB||0)/1024)} MiB, trend ${r.heapSlopeKiBPerMin} KiB/min`);
  process.exit(ok ? 0 : 1);
' "$RESULT"
