#!/usr/bin/env bash
# Our server against the Node reference (socket.io 4.8.4), in one go, on this machine.
#
#   bench/run.sh                                   # full run: RUNS=3, 10 s windows (about 12 minutes)
#   RUNS=1 DURATION=5 WARMUP_S=20 bench/run.sh     # quick run (about 3 minutes)
#   SCENARIOS=echo,fanout RUNS=1 bench/run.sh      # some scenarios only
#   SCENARIOS=polling,ceiling RUNS=3 bench/run.sh  # polling and the bare HTTP ceiling alone
#   BASE_DLL=/tmp/before/SocketIo.Node.dll bench/run.sh  # an earlier build of ours too ("base"), in the same rounds
#
# What it does:
#   1. builds our host (src/Node) in Release, unless OURS_DLL points at a built SocketIo.Node.dll;
#   2. copies the harness (../shared/bench: bench.js, ref-node-server.js, ...) to a cache folder under
#      $TMPDIR and runs `npm ci` there once (the shared folder is never written to);
#   3. checks the contract on our server (`bench.js --scenario check`);
#   4. starts both servers pinned to CPU 0 (the harness runs on CPU 1), warms them up (ours gets
#      WARMUP_S seconds of echo load first: tiered JIT on one core needs ~25 s), then runs every
#      measured scenario RUNS times, alternating Node / ours run by run, same options for both;
#      `connect` runs on a fresh server process each time (the RSS delta per connection only means
#      something there), then once more per round on the warmed servers;
#   5. `ceiling`: in every round, after the polling runs, the same request mix as the polling scenario
#      (bench/http-ceiling/load.js) against a bare Kestrel app (bench/http-ceiling) and a bare Node `http`
#      server, both on CPU 0 and idle otherwise: the most requests/s any server on Kestrel (or on Node) can
#      answer at that moment, measured beside the polling figures it bounds;
#   6. prints a Markdown table of medians with the ratio ours ÷ Node, the ceiling, and the harness's own table.
# Raw JSON lines (one per run; the ceiling's in ceiling.jsonl) and the log go to $OUT_DIR (default
# bench/results/<UTC time>/).
#
# Knobs (environment): RUNS (3), DURATION (10: echo and polling windows, s), SCENARIOS
# (echo,fanout,connect,polling,ceiling), WARMUP_S (25), BWINDOW (16: fanout broadcasts in flight, both
# servers), BROADCASTS (1000), RECEIVERS (1000), CONNS (2000), TIME_LIMIT (1800 s: the whole run is
# cut off after it), PORT_NODE (3310), PORT_OURS (3311), PORT_KESTREL_HTTP (3312), PORT_NODE_HTTP (3313), BENCH_SRC (../shared/bench), OURS_DLL,
# OURS_ARGS (extra host flags), OUT_DIR, BASE_DLL (a SocketIo.Node.dll built from an earlier commit: it runs as server
# "base" beside Node and ours in every round, with BASE_ARGS, on PORT_BASE (3314), so a change is measured before and
# after against the same Node runs). Stops only the processes it started, by PID.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
SCENARIOS=${SCENARIOS:-echo,fanout,connect,polling,ceiling}
WARMUP_S=${WARMUP_S:-25}
BWINDOW=${BWINDOW:-16}
BROADCASTS=${BROADCASTS:-1000}
RECEIVERS=${RECEIVERS:-1000}
CONNS=${CONNS:-2000}
TIME_LIMIT=${TIME_LIMIT:-1800}
PORT_NODE=${PORT_NODE:-3310}
PORT_OURS=${PORT_OURS:-3311}
PORT_KESTREL_HTTP=${PORT_KESTREL_HTTP:-3312}
PORT_NODE_HTTP=${PORT_NODE_HTTP:-3313}
PORT_BASE=${PORT_BASE:-3314}
BASE_ARGS=${BASE_ARGS:-}
BENCH_SRC=${BENCH_SRC:-$ROOT/../shared/bench}
OUT_DIR=${OUT_DIR:-$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
OURS_ARGS=${OURS_ARGS:-}
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
OUT=$OUT_DIR/results.jsonl
WARM_OUT=$OUT_DIR/warmup.jsonl
CEIL_OUT=$OUT_DIR/ceiling.jsonl
LOG=$OUT_DIR/run.log
STARTED=$(date +%s)

log() { echo "$*" | tee -a "$LOG" >&2; }
want() { [[ ",$SCENARIOS," == *",$1,"* ]]; }

if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  SRV_PIN=(taskset -c 0); CLI_PIN=(taskset -c 1); PINNED="server on CPU 0, harness on CPU 1"
else
  SRV_PIN=(); CLI_PIN=(); PINNED="not pinned (no taskset or fewer than 2 CPUs)"
fi

# --- our server ---------------------------------------------------------------------------------
if [ -z "${OURS_DLL:-}" ]; then
  log "# building src/Node (Release)"
  dotnet build "$ROOT/src/Node" -c Release --nologo -v q >"$OUT_DIR/build.log" 2>&1 || { cat "$OUT_DIR/build.log" >&2; exit 1; }
  OURS_DLL=$ROOT/src/Node/bin/Release/net10.0/SocketIo.Node.dll
fi
[ -f "$OURS_DLL" ] || { echo "no $OURS_DLL" >&2; exit 1; }
# The servers measured in every round, in this order: Node, then the earlier build of ours if given, then ours.
SERVERS=(node ours)
if [ -n "${BASE_DLL:-}" ]; then
  [ -f "$BASE_DLL" ] || { echo "no $BASE_DLL" >&2; exit 1; }
  SERVERS=(node base ours)
fi

# --- the harness, in a private copy -------------------------------------------------------------
[ -f "$BENCH_SRC/bench.js" ] || { echo "no harness at $BENCH_SRC (set BENCH_SRC)" >&2; exit 1; }
HASH=$(cat "$BENCH_SRC/package-lock.json" "$BENCH_SRC"/*.js | sha1sum | cut -c1-12)
HARNESS=${TMPDIR:-/tmp}/socketio-bench-harness-$HASH
if [ ! -f "$HARNESS/node_modules/.package-lock.json" ]; then
  log "# copying the harness to $HARNESS and running npm ci"
  rm -rf "$HARNESS.tmp"; mkdir -p "$HARNESS.tmp"
  cp "$BENCH_SRC"/*.js "$BENCH_SRC"/package.json "$BENCH_SRC"/package-lock.json "$HARNESS.tmp/"
  (cd "$HARNESS.tmp" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  rm -rf "$HARNESS"; mv "$HARNESS.tmp" "$HARNESS"
fi

log "# $(date -u +%FT%TZ) $(nproc) CPUs, $PINNED; node $(node --version); dotnet $(dotnet --version)"
log "# RUNS=$RUNS DURATION=$DURATION SCENARIOS=$SCENARIOS WARMUP_S=$WARMUP_S BWINDOW=$BWINDOW RECEIVERS=$RECEIVERS BROADCASTS=$BROADCASTS CONNS=$CONNS"
log "# ours: $OURS_DLL --app bench $OURS_ARGS; results -> $OUT_DIR"
[ -n "${BASE_DLL:-}" ] && log "# base: $BASE_DLL --app bench $BASE_ARGS"

# --- processes we started -----------------------------------------------------------------------
declare -A PIDS=()
start_server() { # name port
  local name=$1 port=$2 slog="$OUT_DIR/$1.server.log"
  case $name in
    node) (cd "$HARNESS" && PORT=$port HOST=127.0.0.1 exec "${SRV_PIN[@]}" node ref-node-server.js) >"$slog" 2>&1 & ;;
    # shellcheck disable=SC2086
    ours) PORT=$port exec_ours "$OURS_DLL" "$port" $OURS_ARGS >"$slog" 2>&1 & ;;
    # shellcheck disable=SC2086
    base) PORT=$port exec_ours "$BASE_DLL" "$port" $BASE_ARGS >"$slog" 2>&1 & ;;
    kestrel-http) PORT=$port exec "${SRV_PIN[@]}" dotnet "$CEILING_DLL" >"$slog" 2>&1 & ;;
    node-http) PORT=$port exec "${SRV_PIN[@]}" node "$ROOT/bench/http-ceiling/node-server.js" >"$slog" 2>&1 & ;;
  esac
  PIDS[$name]=$!
  for _ in $(seq 1 300); do
    grep -q listening "$slog" 2>/dev/null && return 0
    kill -0 "${PIDS[$name]}" 2>/dev/null || { cat "$slog" >&2; echo "server $name exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "server $name did not start within 30 s" >&2; exit 1
}
exec_ours() { exec "${SRV_PIN[@]}" dotnet "$1" --app bench --port "$2" --log-level Warning "${@:3}"; }
stop_server() { # name
  local pid=${PIDS[$1]:-}
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  PIDS[$1]=
}
cleanup() { for n in "${!PIDS[@]}"; do stop_server "$n"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port() {
  case $1 in
    node) echo "$PORT_NODE" ;; ours) echo "$PORT_OURS" ;; base) echo "$PORT_BASE" ;;
    kestrel-http) echo "$PORT_KESTREL_HTTP" ;; node-http) echo "$PORT_NODE_HTTP" ;;
  esac
}
url() { echo "http://127.0.0.1:$(port "$1")"; }

left() { echo $((TIME_LIMIT - ($(date +%s) - STARTED))); }
# run_bench FILE name label args...: one harness run against server `name`, bounded by the time left.
run_bench() {
  local file=$1 name=$2 label=$3; shift 3
  local t; t=$(left)
  if [ "$t" -le 5 ]; then log "time limit ($TIME_LIMIT s) reached: stopping"; exit 3; fi
  timeout -k 5 "$t" "${CLI_PIN[@]}" node "$HARNESS/bench.js" --url "$(url "$name")" --pid "${PIDS[$name]}" \
    --label "$label" --quiet "$@" >>"$file" 2> >(tee -a "$LOG" >&2) || log "   (run failed: $name $label $*)"
  sleep 1
}
measure() { run_bench "$OUT" "$@"; }
warm() { run_bench "$WARM_OUT" "$1" "$2-warmup" "${@:3}"; }
# ceiling FILE name label seconds: one bare-HTTP load run against server `name`.
ceiling() {
  local t; t=$(left)
  if [ "$t" -le 5 ]; then log "time limit ($TIME_LIMIT s) reached: stopping"; exit 3; fi
  timeout -k 5 "$t" "${CLI_PIN[@]}" node "$ROOT/bench/http-ceiling/load.js" "$HARNESS" "$(port "$2")" "$4" "$3" \
    >>"$1" 2> >(tee -a "$LOG" >&2) || log "   (run failed: $2 $3)"
  sleep 1
}

ECHO=(--scenario echo --clients 50 --window 32 --duration "$DURATION" --warmup 2)
FANOUT=(--scenario fanout --receivers "$RECEIVERS" --broadcasts "$BROADCASTS" --bwindow "$BWINDOW")
CONNECT=(--scenario connect --conns "$CONNS" --concurrency 100)
POLLING=(--scenario polling --sessions 5000 --concurrency 16 --messages 3 --duration "$DURATION")

if want ceiling; then
  dotnet build "$ROOT/bench/http-ceiling" -c Release --nologo -v q >"$OUT_DIR/ceiling-build.log" 2>&1 \
    || { cat "$OUT_DIR/ceiling-build.log" >&2; exit 1; }
  CEILING_DLL=$ROOT/bench/http-ceiling/bin/Release/net10.0/HttpCeiling.dll
fi

# --- contract check -----------------------------------------------------------------------------
start_server ours "$PORT_OURS"
log "## contract check (ours)"
timeout -k 5 120 node "$HARNESS/bench.js" --url "$(url ours)" --scenario check >"$OUT_DIR/check.txt" 2>&1 \
  || { cat "$OUT_DIR/check.txt" >&2; echo "contract check failed" >&2; exit 1; }
stop_server ours

# --- connect on fresh servers (memory per connection) -------------------------------------------
if want connect; then
  for r in $(seq 1 "$RUNS"); do
    for s in "${SERVERS[@]}"; do
      log "## $s, fresh server, connect $r/$RUNS"
      start_server "$s" "$(port "$s")"
      measure "$s" "$s-fresh" "${CONNECT[@]}"
      stop_server "$s"
    done
  done
fi

# --- warmed servers, alternating ----------------------------------------------------------------
for s in "${SERVERS[@]}"; do start_server "$s" "$(port "$s")"; done
if want ceiling; then start_server kestrel-http "$PORT_KESTREL_HTTP"; start_server node-http "$PORT_NODE_HTTP"; fi
log "## warm-up (not counted)"
warm ours ours --scenario echo --clients 50 --window 32 --duration "$WARMUP_S" --warmup 2
[ -n "${BASE_DLL:-}" ] && warm base base --scenario echo --clients 50 --window 32 --duration "$WARMUP_S" --warmup 2
warm node node --scenario echo --clients 50 --window 32 --duration 5 --warmup 2
for s in "${SERVERS[@]}"; do
  want fanout && warm "$s" "$s" --scenario fanout --receivers "$RECEIVERS" --broadcasts 300 --bwindow "$BWINDOW"
  want polling && warm "$s" "$s" --scenario polling --sessions 2000 --concurrency 16 --messages 3 --duration 5
  want connect && warm "$s" "$s" "${CONNECT[@]}"
done
if want ceiling; then
  ceiling "$OUT_DIR/ceiling-warmup.jsonl" kestrel-http kestrel-http-warmup "$WARMUP_S"
  ceiling "$OUT_DIR/ceiling-warmup.jsonl" node-http node-http-warmup 3
fi
for r in $(seq 1 "$RUNS"); do
  for s in "${SERVERS[@]}"; do
    log "## $s, warmed server, round $r/$RUNS"
    want echo && measure "$s" "$s" "${ECHO[@]}"
    want fanout && measure "$s" "$s" "${FANOUT[@]}"
    want connect && measure "$s" "$s" "${CONNECT[@]}"
    want polling && measure "$s" "$s" "${POLLING[@]}"
  done
  if want ceiling; then
    for s in kestrel-http node-http; do
      log "## $s (bare HTTP ceiling), round $r/$RUNS"
      ceiling "$CEIL_OUT" "$s" "$s" "$DURATION"
    done
  fi
done
for s in "${SERVERS[@]}" kestrel-http node-http; do stop_server "$s"; done

# --- tables -------------------------------------------------------------------------------------
{
  echo
  echo "Run: $(date -u +%F), $(nproc) CPUs, $PINNED, RUNS=$RUNS DURATION=$DURATION BWINDOW=$BWINDOW; raw: $OUT"
  echo
  # shellcheck disable=SC2046
  node "$ROOT/bench/ratios.js" "$OUT" $([ -s "$CEIL_OUT" ] && echo "$CEIL_OUT")
  echo
  node "$HARNESS/summarize.js" "$OUT"
} | tee -a "$LOG"
