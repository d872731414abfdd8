#!/usr/bin/env bash
# run-cluster.sh start [N] | stop | status
#
#   start [N]  build the host in Release when needed, start N nodes (default 3) with `--config cluster.hocon`
#              and the cluster enabled: node K serves HTTP on 127.0.0.1:300K and Akka.Remote on 127.0.0.1:400K,
#              and every node's seed is node 1 (127.0.0.1:4001), which forms the cluster. Waits until every
#              node is an Up member (each prints its "listening on" line only then, and node 1's
#              /cluster/members lists N Up members), and prints their URLs. No broker: Akka.Cluster is the
#              cluster. Refuses to start when a cluster it started runs.
#   stop       stop exactly the nodes it started (PID files: SIGTERM, so each leaves the cluster gracefully;
#              SIGKILL after 20 s)
#   status     each node's process, and the members as node 1 (or the first node that answers) sees them;
#              exit 0 when every node runs and all of them are Up and reachable
#
# Everything it writes lives under logs/cluster/ (git-ignored through logs/): node-K.log, node-K.pid.
# Environment (optional): CLUSTER_START_TIMEOUT seconds (90), CLUSTER_NAME (socketio), CLUSTER_AKKA_PORT_BASE
# (4000: node K uses base + K).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$ROOT/logs/cluster"
DLL="$ROOT/src/Node/bin/Release/net10.0/SocketIo.Node.dll"
TIMEOUT="${CLUSTER_START_TIMEOUT:-90}"
AKKA_BASE="${CLUSTER_AKKA_PORT_BASE:-4000}"

say() { echo "run-cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid_file() {
  local pid_file=$1 pid i
  [ -s "$pid_file" ] || { rm -f "$pid_file"; return 0; }
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "node pid $pid did not stop within 20 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pid_file"
}

build_if_needed() {
  local newest
  newest=$(find "$ROOT/src" -name '*.cs' -newer "$DLL" -print -quit 2>/dev/null || true)
  if [ ! -f "$DLL" ] || [ -n "$newest" ]; then
    say "building src/Node (Release)"
    (cd "$ROOT" && timeout 600 dotnet build src/Node -c Release -v q -nologo >&2) || die "build failed"
  fi
}

start() {
  local count=${1:-3}
  [[ "$count" =~ ^[1-9]$ ]] || die "N must be 1..9 (ports 3001..300N)"
  mkdir -p "$STATE"
  for f in "$STATE"/node-*.pid; do
    [ -e "$f" ] || continue
    alive "$f" && die "a cluster started by this script is running; run '$0 stop' first"
    rm -f "$f"
  done
  build_if_needed
  local k
  for k in $(seq 1 "$count"); do
    SOCKETIO__HTTP__HOST=127.0.0.1 SOCKETIO__HTTP__PORT=$((3000 + k)) SOCKETIO__NODE__NAME="node-$k" \
    SOCKETIO__CLUSTER__ENABLED=true SOCKETIO__CLUSTER__CLUSTER_NAME="${CLUSTER_NAME:-socketio}" \
    SOCKETIO__CLUSTER__PORT=$((AKKA_BASE + k)) SOCKETIO__CLUSTER__SEED_NODES="127.0.0.1:$((AKKA_BASE + 1))" \
      setsid dotnet "$DLL" --config "$ROOT/cluster.hocon" >"$STATE/node-$k.log" 2>&1 </dev/null &
    echo $! >"$STATE/node-$k.pid"
  done
  local deadline=$((SECONDS + TIMEOUT)) ready up
  while :; do
    ready=0
    for k in $(seq 1 "$count"); do
      alive "$STATE/node-$k.pid" || die "node-$k exited during start-up; see $STATE/node-$k.log"
      grep -q "listening on" "$STATE/node-$k.log" && ready=$((ready + 1))
    done
    if [ "$ready" -eq "$count" ]; then
      up=$(members_json 3001 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).members.filter(m=>m.status==="Up"&&m.reachable).length)}catch{console.log(0)}})')
      [ "$up" -eq "$count" ] && break
    fi
    [ "$SECONDS" -ge "$deadline" ] && die "only $ready of $count nodes ready after ${TIMEOUT}s; see $STATE/node-*.log ('$0 stop' cleans up)"
    sleep 0.2
  done
  say "$count Up members; Akka.Remote on 127.0.0.1:$((AKKA_BASE + 1))..$((AKKA_BASE + count))"
  for k in $(seq 1 "$count"); do echo "http://127.0.0.1:$((3000 + k))"; done
}

# The members as the node on HTTP port $1 sees them (its /cluster/members JSON), or nothing.
members_json() { curl -fsS --max-time 3 "http://127.0.0.1:$1/cluster/members" 2>/dev/null || true; }

stop() {
  local f
  for f in "$STATE"/node-*.pid; do
    [ -e "$f" ] || continue
    stop_pid_file "$f"
  done
  say "stopped"
}

status() {
  local f ok=0 any=0 k json="" port
  for f in "$STATE"/node-*.pid; do
    [ -e "$f" ] || continue
    any=1
    k=$(basename "$f" .pid)
    port=$((3000 + ${k#node-}))
    if alive "$f"; then
      echo "$k: running (pid $(cat "$f"), http://127.0.0.1:$port)"
      [ -n "$json" ] || json=$(members_json "$port")
    else
      echo "$k: not running"; ok=1
    fi
  done
  [ "$any" -eq 1 ] || { echo "no nodes started"; return 1; }
  [ -n "$json" ] || { echo "members: no node answered /cluster/members"; return 1; }
  echo "$json" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const view = JSON.parse(s);
      console.log(`members as ${view.self} sees them (leader ${view.leader}):`);
      for (const m of view.members) console.log(`  ${m.address}  ${m.status}${m.reachable ? "" : " UNREACHABLE"}  roles ${m.roles.join(",")}`);
      process.exit(view.members.every((m) => m.status === "Up" && m.reachable) ? 0 : 1);
    });' || ok=1
  return $ok
}

case "${1:-}" in
  start) shift; start "${1:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
