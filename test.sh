#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: installs what the tests need when it is missing
# (apt packages, npm ci, dotnet restore), builds the solution, runs the official Engine.IO/Socket.IO protocol
# suites (../shared/conformance, copied into .test-out), every xunit project, then the JavaScript end-to-end
# tests with real npm clients, and ends with one line "N passed, N failed".
# Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
OUT="$ROOT/.test-out"
rm -rf "$OUT" && mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\n=== %s\n' "$*"; }
die() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# --- prerequisites -------------------------------------------------------------------------
apt_missing=()
command -v node >/dev/null 2>&1 || apt_missing+=(nodejs npm)
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)   # headless browser for tests/js/browser*.test.js
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || apt_missing+=(nginx)   # round-robin proxy of tests/js/cluster-roundrobin.test.js
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "installing apt packages: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${apt_missing[@]}" >/dev/null || die "apt-get install failed"
fi
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"

if [ ! -d tests/js/node_modules ] || [ tests/js/package-lock.json -nt tests/js/node_modules/.package-lock.json ]; then
  log "npm ci (tests/js)"
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in tests/js"
fi
# The socket.io browser clients the Node host serves (copied next to it by the build).
if [ ! -d src/Node/client/node_modules ] || [ src/Node/client/package-lock.json -nt src/Node/client/node_modules/.package-lock.json ]; then
  log "npm ci (src/Node/client)"
  (cd src/Node/client && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in src/Node/client"
fi

# The bench harness (../shared/bench) is read-only material: its contract check runs from a copy.
if [ -d ../shared/bench ]; then
  export SOCKETIO_BENCH_DIR="$OUT/bench"
  mkdir -p "$SOCKETIO_BENCH_DIR" && cp -r ../shared/bench/. "$SOCKETIO_BENCH_DIR/" \
    && (cd "$SOCKETIO_BENCH_DIR" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in the bench harness copy"
fi

# --- build -----------------------------------------------------------------------------------
log "dotnet build (Release)"
dotnet build SocketIo.Actors.sln -c Release -nologo -clp:ErrorsOnly || die "build failed"

passed=0
failed=0

# --- the official protocol suites (../shared/conformance) -----------------------------------------
# Engine.IO v4, Engine.IO v3 and Socket.IO v5, each against a host of its own; their mocha counts join ours.
log "official protocol suites (eio4, eio3, sio5)"
SOCKETIO_NODE_DLL="$ROOT/src/Node/bin/Release/net10.0/SocketIo.Node.dll" scripts/conformance.sh "$OUT" > "$OUT/conformance.log" 2>&1
rc=$?
grep -E '^(conformance |  [0-9]+\) )' "$OUT/conformance.log" | sed 's/^/  /'
counts=$(tail -1 "$OUT/conformance.log")
p=$(echo "$counts" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$counts" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && { echo "conformance: exited $rc"; tail -30 "$OUT/conformance.log"; failed=$((failed + 1)); }

# --- xunit projects ----------------------------------------------------------------------------
for proj in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  log "dotnet test $name"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$OUT" > "$OUT/$name.log" 2>&1
  rc=$?
  grep -E '^\s*(Failed|Passed!|Failed!|Total tests|  Error Message)' "$OUT/$name.log" | grep -v '^\s*Passed ' | tail -40
  trx="$OUT/$name.trx"
  if [ -f "$trx" ]; then
    p=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*')
    f=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && { echo "$name: dotnet test exited $rc"; tail -30 "$OUT/$name.log"; failed=$((failed + 1)); }
  else
    echo "$name: no results (dotnet test exited $rc)"; tail -30 "$OUT/$name.log"; failed=$((failed + 1))
  fi
done

# --- JavaScript end-to-end tests -----------------------------------------------------------------
export SOCKETIO_NODE_DLL="$ROOT/src/Node/bin/Release/net10.0/SocketIo.Node.dll"
export TEST_OUTPUT_DIR="$OUT"
js_files=(tests/js/*.test.js)
if [ -e "${js_files[0]}" ]; then
  log "node --test (${#js_files[@]} files)"
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$OUT/js.tap" \
    "${js_files[@]}"
  rc=$?
  p=$(grep -E '^# pass [0-9]+' "$OUT/js.tap" | tail -1 | grep -o '[0-9]*')
  f=$(grep -E '^# fail [0-9]+' "$OUT/js.tap" | tail -1 | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && { echo "node --test exited $rc"; failed=$((failed + 1)); }
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
