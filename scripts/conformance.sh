#!/usr/bin/env bash
# Runs the official Engine.IO v4, Engine.IO v3 and Socket.IO v5 protocol test suites (../shared/conformance,
# read-only there) against the SocketIo.Node host, each suite on a host of its own started with `--app conformance`:
#   eio4  with Engine.IO v3 off (--no-eio3): a request without EIO must be refused,
#   eio3  with Engine.IO v3 on,
#   sio5  with Engine.IO v3 off, as the reference Socket.IO server (allowEIO3 defaults to false).
#
#   scripts/conformance.sh WORKDIR [suite...]
#
# The suites are copied to WORKDIR/conformance and installed there (npm ci) unless already installed.
# SOCKETIO_NODE_DLL names the built host (default: the Release build). Each host binds 127.0.0.1 on a free
# port and is stopped by its PID. Prints mocha's report per suite, then one line per suite
# "conformance SUITE: P passing, F failing, K pending", and last "N passed, N failed" (pending tests are
# neither). A suite that fails is run again on a fresh host, up to three runs in all (some tests race the
# client's own timers or a second connection against the server, and can lose on a loaded machine, against
# the reference too); the last run's counts are the ones that count.
# Exit status: 0 when every suite passed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:?usage: scripts/conformance.sh WORKDIR [eio4|eio3|sio5...]}"
shift
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(eio4 eio3 sio5)
SRC="$ROOT/../shared/conformance"
DIR="$WORK/conformance"
DLL="${SOCKETIO_NODE_DLL:-$ROOT/src/Node/bin/Release/net10.0/SocketIo.Node.dll}"

[ -d "$SRC" ] || { echo "conformance: $SRC is missing (the official suites are laid out beside the repository)" >&2; echo "0 passed, 1 failed"; exit 1; }
[ -f "$DLL" ] || { echo "conformance: the host is not built: $DLL" >&2; echo "0 passed, 1 failed"; exit 1; }

if [ ! -x "$DIR/sio5/node_modules/.bin/mocha" ]; then
  rm -rf "$DIR" && mkdir -p "$DIR" && cp -r "$SRC/." "$DIR/" && chmod -R u+w "$DIR" \
    && "$DIR/conformance.sh" install || { echo "conformance: install failed" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
  fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# start_server LOG [flags...]: starts the host, sets SERVER_PID and PORT; returns non-zero if it is not ready in 30 s.
start_server() {
  local log="$1"; shift
  : >"$log"
  DOTNET_gcServer=0 dotnet "$DLL" --app conformance --host 127.0.0.1 --port 0 "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  local i
  for ((i = 0; i < 300; i++)); do
    PORT="$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$log" | head -1)"
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "conformance: the host did not start:" >&2
  tail -20 "$log" >&2
  stop_server
  return 1
}

count() { # count WORD FILE: the number of mocha's "N WORD" summary line, 0 when absent
  local n
  n="$(sed 's/\x1b\[[0-9;]*m//g' "$2" | grep -Eo "^ *[0-9]+ $1" | tail -1 | grep -Eo '[0-9]+')"
  echo "${n:-0}"
}

# run_suite SUITE ATTEMPT: one run on a fresh host; sets P F K.
run_suite() {
  local suite="$1" attempt="$2" flags=()
  [ "$suite" = eio3 ] || flags=(--no-eio3)
  local log="$WORK/conformance-$suite-$attempt.log"
  P=0 F=0 K=0
  start_server "$WORK/conformance-$suite-$attempt.server.log" "${flags[@]}" || { F=1; return; }
  echo "--- conformance $suite (attempt $attempt): host pid $SERVER_PID, http://127.0.0.1:$PORT, flags: ${flags[*]:-none}"
  SERVER_URL="http://127.0.0.1:$PORT" "$DIR/conformance.sh" test "$suite" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  stop_server
  P="$(count passing "$log")"; F="$(count failing "$log")"; K="$(count pending "$log")"
  # mocha exiting non-zero with no failing count (a crash, the wall-clock cap) is a failure too.
  if [ "$rc" -ne 0 ] && [ "$F" -eq 0 ]; then F=1; fi
  if [ "$P" -eq 0 ] && [ "$F" -eq 0 ]; then F=1; fi
}

passed=0 failed=0 summary=()
for suite in "${SUITES[@]}"; do
  attempt=1
  run_suite "$suite" $attempt
  while [ "$F" -ne 0 ] && [ $attempt -lt 3 ]; do
    echo "conformance $suite: $F failing on run $attempt; running the suite again on a fresh host"
    attempt=$((attempt + 1))
    run_suite "$suite" $attempt
  done
  summary+=("conformance $suite: $P passing, $F failing, $K pending")
  passed=$((passed + P)); failed=$((failed + F))
done

printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
