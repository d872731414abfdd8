#!/usr/bin/env bash
# Cross-node broadcast fan-out and the latency of a cross-node hop (issue 14): our 3-node Akka cluster against
# Node socket.io 4.8 with @socket.io/redis-adapter and a private redis-server, and one node of each, in one run
# on this machine.
#
#   bench/cluster/run.sh                                     # full run: RUNS=3 (about 8 minutes with the build)
#   RUNS=1 DURATION=3 LAT_DURATION=4 WARMUP_S=8 bench/cluster/run.sh   # smoke run (about 3 minutes)
#
# What it does:
#   1. builds our host (dotnet build src/Node -c Release) unless OURS_DLL points at a built SocketIo.Node.dll;
#      installs redis-server with apt-get when it is missing (needs root);
#   2. copies bench/cluster (package.json, package-lock.json, *.js) and the shared harness's fastws.js to a
#      cache folder under $TMPDIR and runs `npm ci` there once (socket.io 4.8.4, @socket.io/redis-adapter 8.3.0,
#      redis 4.7.1, socket.io-client 4.8.4);
#   3. starts, all pinned to CPU 0 (the load client runs on CPU 1): a private redis-server (free 127.0.0.1 port,
#      --save '' --appendonly no, its own temporary dir); 3 Node nodes (node-cluster-server.js, redis adapter)
#      and 1 Node node alone (in-memory adapter); 3 of our nodes (`SocketIo.Node.dll --app bench --config
#      cluster.hocon`, SOCKETIO__CLUSTER__ENABLED=true, node 1 the seed; waits until /cluster/members shows 3
#      Up members) and 1 of ours alone (same file, cluster off). Everything stays up for the whole run;
#   4. checks the cross-node semantics once on each with socket.io-client 4.8 (load.js --mode check);
#   5. warms every server up (ours WARMUP_S seconds of fan-out, for tiered JIT on one shared core), then RUNS
#      rounds; each round runs fan-out then latency on the four topologies, Node and ours alternating run by run
#      (the order flips every round);
#   6. prints a Markdown table of medians (bench/cluster/table.js).
# Raw JSON lines (one per run) go to $OUT_DIR/results.jsonl, warm-ups to warmup.jsonl, checks to check.jsonl,
# the log to run.log, each server's output to *.server.log (default OUT_DIR: bench/results/cluster-<UTC time>/).
#
# Knobs (environment): RUNS (3), RECEIVERS (999: 333 per node), BWINDOW (16 broadcasts in flight), DURATION (8 s
# fan-out window, after FANOUT_WARMUP 2 s), LAT_RATE (200 msgs/s), LAT_DURATION (10 s, of which the first 2 are
# not counted), WARMUP_S (20), TIME_LIMIT (900 s: the run stops after it), PORT_BASE (3430: the first port tried;
# every port is checked free), BENCH_SRC (../shared/bench), OURS_DLL, OUT_DIR. Stops only what it started, by PID.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/cluster
RUNS=${RUNS:-3}
RECEIVERS=${RECEIVERS:-999}
BWINDOW=${BWINDOW:-16}
DURATION=${DURATION:-8}
FANOUT_WARMUP=${FANOUT_WARMUP:-2}
LAT_RATE=${LAT_RATE:-200}
LAT_DURATION=${LAT_DURATION:-10}
WARMUP_S=${WARMUP_S:-20}
TIME_LIMIT=${TIME_LIMIT:-900}
PORT_BASE=${PORT_BASE:-3430}
BENCH_SRC=${BENCH_SRC:-$ROOT/../shared/bench}
OUT_DIR=${OUT_DIR:-$ROOT/bench/results/cluster-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
OUT=$OUT_DIR/results.jsonl
LOG=$OUT_DIR/run.log
STARTED=$(date +%s)

log() { echo "$*" | tee -a "$LOG" >&2; }
die() { log "error: $*"; exit 1; }
left() { echo $((TIME_LIMIT - ($(date +%s) - STARTED))); }

if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  SRV_PIN=(taskset -c 0); CLI_PIN=(taskset -c 1); PINNED="every server (3+1 ours, 3+1 Node, redis) on CPU 0, load client on CPU 1"
else
  SRV_PIN=(); CLI_PIN=(); PINNED="not pinned (no taskset or fewer than 2 CPUs)"
fi

# --- what it needs ------------------------------------------------------------------------------
if [ -z "${OURS_DLL:-}" ]; then
  log "# building src/Node (Release)"
  (cd "$ROOT" && timeout 900 dotnet build src/Node -c Release --nologo -v q) >"$OUT_DIR/build.log" 2>&1 \
    || { cat "$OUT_DIR/build.log" >&2; die "build failed"; }
  OURS_DLL=$ROOT/src/Node/bin/Release/net10.0/SocketIo.Node.dll
fi
[ -f "$OURS_DLL" ] || die "no $OURS_DLL"
if ! command -v redis-server >/dev/null 2>&1; then
  log "# installing redis-server (apt-get)"
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y redis-server >"$OUT_DIR/apt.log" 2>&1 \
    || { [ "$(id -u)" -eq 0 ] || log "(apt-get needs root)"; cat "$OUT_DIR/apt.log" >&2; die "cannot install redis-server"; }
fi
[ -f "$BENCH_SRC/fastws.js" ] || die "no harness at $BENCH_SRC (set BENCH_SRC)"
HASH=$(cat "$HERE/package-lock.json" "$HERE"/*.js "$BENCH_SRC/fastws.js" | sha1sum | cut -c1-12)
CACHE=${TMPDIR:-/tmp}/socketio-cluster-bench-$HASH
if [ ! -f "$CACHE/node_modules/.package-lock.json" ]; then
  log "# copying bench/cluster to $CACHE and running npm ci"
  rm -rf "$CACHE.tmp"; mkdir -p "$CACHE.tmp"
  cp "$HERE"/*.js "$HERE/package.json" "$HERE/package-lock.json" "$BENCH_SRC/fastws.js" "$CACHE.tmp/"
  (cd "$CACHE.tmp" && timeout 600 npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed"
  rm -rf "$CACHE"; mv "$CACHE.tmp" "$CACHE"
fi

# --- ports: each one checked free on 127.0.0.1, none handed out twice --------------------------------
TAKEN=" "
pick_port() { # first free port from $1 on
  local p=$1 i
  for i in $(seq 1 500); do
    if [[ "$TAKEN" != *" $p "* ]] && ! ss -Htln "sport = :$p" 2>/dev/null | grep -q .; then TAKEN="$TAKEN$p "; echo "$p"; return 0; fi
    p=$((p + 1))
  done
  die "no free port from $1"
}
# pick_port runs in a subshell when called as $(...), so TAKEN is kept here by hand.
take() { local v=$1 p; p=$(pick_port "$2") || exit 1; [ -n "$p" ] || die "no free port from $2"; TAKEN="$TAKEN$p "; printf -v "$v" %s "$p"; }
take P_OURS1 "$PORT_BASE"; take P_OURS2 $((P_OURS1 + 1)); take P_OURS3 $((P_OURS2 + 1)); take P_OURS_SINGLE $((P_OURS3 + 1))
take A_OURS1 $((PORT_BASE + 1000)); take A_OURS2 $((A_OURS1 + 1)); take A_OURS3 $((A_OURS2 + 1))
take P_NODE1 $((P_OURS_SINGLE + 1)); take P_NODE2 $((P_NODE1 + 1)); take P_NODE3 $((P_NODE2 + 1)); take P_NODE_SINGLE $((P_NODE3 + 1))
take P_REDIS 6390

log "# $(date -u +%FT%TZ) $(nproc) CPUs, $PINNED; node $(node --version); dotnet $(dotnet --version); $(redis-server --version | cut -d' ' -f1-3)"
log "# load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows here)"
log "# RUNS=$RUNS RECEIVERS=$RECEIVERS BWINDOW=$BWINDOW DURATION=$DURATION FANOUT_WARMUP=$FANOUT_WARMUP LAT_RATE=$LAT_RATE LAT_DURATION=$LAT_DURATION WARMUP_S=$WARMUP_S"
log "# ours: $OURS_DLL --app bench --config cluster.hocon; HTTP $P_OURS1..$P_OURS3 (Akka.Remote $A_OURS1..$A_OURS3), alone $P_OURS_SINGLE"
log "# Node: $CACHE/node-cluster-server.js; HTTP $P_NODE1..$P_NODE3 (redis 127.0.0.1:$P_REDIS), alone $P_NODE_SINGLE; results -> $OUT_DIR"

# --- processes we started -----------------------------------------------------------------------
declare -A PIDS=()
REDIS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/socketio-cluster-bench-redis.XXXXXX")
stop_pid() { # pid: SIGTERM, then SIGKILL after 20 s
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() { # the servers in parallel (ours leave their cluster), then redis; waits only for those stoppers
  local n stoppers=()
  for n in "${!PIDS[@]}"; do
    [ "$n" = redis ] && continue
    stop_pid "${PIDS[$n]}" & stoppers+=($!)
  done
  for n in "${stoppers[@]}"; do wait "$n" 2>/dev/null || true; done
  if [ -n "${PIDS[redis]:-}" ]; then stop_pid "${PIDS[redis]}"; fi
  rm -rf "$REDIS_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_listening() { # name logfile seconds
  local i
  for i in $(seq 1 $(($3 * 10))); do
    grep -q "$4" "$2" 2>/dev/null && return 0
    kill -0 "${PIDS[$1]}" 2>/dev/null || { cat "$2" >&2; die "$1 exited during start-up"; }
    sleep 0.1
  done
  cat "$2" >&2; die "$1 did not start within $3 s"
}

# redis: private, no persistence, bound to 127.0.0.1
(cd "$REDIS_DIR" && exec "${SRV_PIN[@]}" redis-server --bind 127.0.0.1 --port "$P_REDIS" --save '' --appendonly no \
  --dir "$REDIS_DIR" --protected-mode yes --daemonize no) >"$OUT_DIR/redis.server.log" 2>&1 &
PIDS[redis]=$!
wait_listening redis "$OUT_DIR/redis.server.log" 20 "Ready to accept connections"

start_node() { # name port [redis url]
  (cd "$CACHE" && PORT=$2 HOST=127.0.0.1 REDIS_URL=${3:-} exec "${SRV_PIN[@]}" node node-cluster-server.js) >"$OUT_DIR/$1.server.log" 2>&1 &
  PIDS[$1]=$!
}
start_ours() { # name http-port [akka-port] (with an akka port: a cluster member whose seed is ours-1)
  if [ -n "${3:-}" ]; then
    SOCKETIO__HTTP__PORT=$2 SOCKETIO__NODE__NAME=$1 SOCKETIO__CLUSTER__ENABLED=true SOCKETIO__CLUSTER__PORT=$3 \
    SOCKETIO__CLUSTER__SEED_NODES=127.0.0.1:$A_OURS1 SOCKETIO__CLUSTER__CLUSTER_NAME=bench$$ \
      "${SRV_PIN[@]}" dotnet "$OURS_DLL" --app bench --config "$ROOT/cluster.hocon" --log-level Warning >"$OUT_DIR/$1.server.log" 2>&1 </dev/null &
  else
    SOCKETIO__HTTP__PORT=$2 SOCKETIO__NODE__NAME=$1 SOCKETIO__CLUSTER__ENABLED=false \
      "${SRV_PIN[@]}" dotnet "$OURS_DLL" --app bench --config "$ROOT/cluster.hocon" --log-level Warning >"$OUT_DIR/$1.server.log" 2>&1 </dev/null &
  fi
  PIDS[$1]=$!
}
log "## starting the servers"
start_node node-1 "$P_NODE1" "redis://127.0.0.1:$P_REDIS"
start_node node-2 "$P_NODE2" "redis://127.0.0.1:$P_REDIS"
start_node node-3 "$P_NODE3" "redis://127.0.0.1:$P_REDIS"
start_node node-single "$P_NODE_SINGLE"
start_ours ours-1 "$P_OURS1" "$A_OURS1"
start_ours ours-2 "$P_OURS2" "$A_OURS2"
start_ours ours-3 "$P_OURS3" "$A_OURS3"
start_ours ours-single "$P_OURS_SINGLE"
for n in node-1 node-2 node-3 node-single ours-1 ours-2 ours-3 ours-single; do wait_listening "$n" "$OUT_DIR/$n.server.log" 90 listening; done
up=0
for _ in $(seq 1 300); do
  up=$(curl -fsS --max-time 3 "http://127.0.0.1:$P_OURS1/cluster/members" 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      try { console.log(JSON.parse(s).members.filter((m) => m.status === "Up" && m.reachable).length); } catch { console.log(0); } });') || up=0
  [ "$up" -eq 3 ] && break
  sleep 0.2
done
[ "$up" -eq 3 ] || die "our cluster has $up Up members, not 3"
log "# our cluster: 3 Up members ($(curl -fsS --max-time 3 "http://127.0.0.1:$P_OURS1/cluster/members"))"

U_OURS="http://127.0.0.1:$P_OURS1,http://127.0.0.1:$P_OURS2,http://127.0.0.1:$P_OURS3"
U_NODE="http://127.0.0.1:$P_NODE1,http://127.0.0.1:$P_NODE2,http://127.0.0.1:$P_NODE3"
# topology (server:nodes) -> urls, server pids (CPU figures: Node's cluster includes redis)
declare -A URLS=([ours:3]=$U_OURS [node:3]=$U_NODE [ours:1]="http://127.0.0.1:$P_OURS_SINGLE" [node:1]="http://127.0.0.1:$P_NODE_SINGLE")
declare -A SPIDS=(
  [ours:3]="${PIDS[ours-1]},${PIDS[ours-2]},${PIDS[ours-3]}" [node:3]="${PIDS[node-1]},${PIDS[node-2]},${PIDS[node-3]},${PIDS[redis]}"
  [ours:1]="${PIDS[ours-single]}" [node:1]="${PIDS[node-single]}")

# load FILE topology label args...: one load.js run (pinned to CPU 1), bounded by the time left.
load() {
  local file=$1 topo=$2 label=$3; shift 3
  local t; t=$(left)
  [ "$t" -gt 5 ] || { log "time limit ($TIME_LIMIT s) reached: stopping"; exit 3; }
  timeout -k 5 "$t" "${CLI_PIN[@]}" node "$CACHE/load.js" --urls "${URLS[$topo]}" --pids "${SPIDS[$topo]}" \
    --server "${topo%:*}" --topology "${topo#*:}-node" --label "$label" "$@" >>"$file" 2> >(tee -a "$LOG" >&2) \
    || log "   (run failed: $topo $label $*)"
  sleep 1
}
FANOUT=(--mode fanout --receivers "$RECEIVERS" --bwindow "$BWINDOW" --duration "$DURATION" --warmup "$FANOUT_WARMUP")
LATENCY=(--mode latency --rate "$LAT_RATE" --duration "$LAT_DURATION" --warmup 2)

log "## checks (socket.io-client 4.8: room:emit and io:emit across the nodes, echo)"
for topo in ours:3 node:3 ours:1 node:1; do
  load "$OUT_DIR/check.jsonl" "$topo" check --mode check
done
node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").map(JSON.parse); if(l.length!==4||!l.every(x=>x.result.pass)) process.exit(1)' \
  "$OUT_DIR/check.jsonl" || die "a check failed (see $OUT_DIR/check.jsonl)"

log "## warm-up (not counted)"
load "$OUT_DIR/warmup.jsonl" ours:3 warmup "${FANOUT[@]}" --duration "$WARMUP_S"
load "$OUT_DIR/warmup.jsonl" ours:1 warmup "${FANOUT[@]}" --duration "$WARMUP_S"
load "$OUT_DIR/warmup.jsonl" node:3 warmup "${FANOUT[@]}" --duration 5
load "$OUT_DIR/warmup.jsonl" node:1 warmup "${FANOUT[@]}" --duration 5
for topo in ours:3 node:3 ours:1 node:1; do load "$OUT_DIR/warmup.jsonl" "$topo" warmup "${LATENCY[@]}" --duration 4; done

for r in $(seq 1 "$RUNS"); do
  if [ $((r % 2)) -eq 1 ]; then ORDER=(node:3 ours:3 node:1 ours:1); else ORDER=(ours:3 node:3 ours:1 node:1); fi
  log "## round $r/$RUNS: fan-out (${ORDER[*]})"
  for topo in "${ORDER[@]}"; do load "$OUT" "$topo" "round$r" "${FANOUT[@]}"; done
  log "## round $r/$RUNS: latency (${ORDER[*]})"
  for topo in "${ORDER[@]}"; do load "$OUT" "$topo" "round$r" "${LATENCY[@]}"; done
done
log "# finished in $(($(date +%s) - STARTED)) s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo
  echo "Run: $(date -u +%F), $(nproc) CPUs, $PINNED; RUNS=$RUNS RECEIVERS=$RECEIVERS BWINDOW=$BWINDOW DURATION=$DURATION LAT_RATE=$LAT_RATE LAT_DURATION=$LAT_DURATION; raw: $OUT"
  echo
  node "$HERE/table.js" "$OUT"
} | tee -a "$LOG"
