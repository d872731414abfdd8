#!/usr/bin/env bash
# run-cluster.sh start [N] | stop | status
#
#   start [N]  start a private RabbitMQ on 127.0.0.1 (scripts/rabbitmq.sh; installed when missing), build the
#              host in Release when needed, start N nodes (default 3) on 127.0.0.1:3001..300N with
#              `--config cluster.hocon` and the cluster enabled, wait until every node printed its
#              "listening on" line, and print their URLs. Refuses to start when a cluster it started runs.
#   stop       stop exactly the nodes it started (PID files: SIGTERM, SIGKILL after 15 s), then the broker
#   status     print each node's state and the broker's; exit 0 when everything runs
#
# Everything it writes lives under logs/cluster/ (git-ignored through logs/): node-K.log, node-K.pid,
# rabbitmq/ (the broker's data, logs, pid and cookie). Environment (optional): CLUSTER_RABBITMQ_PORT (5682),
# CLUSTER_START_TIMEOUT seconds per wait (60), CLUSTER_NAME (socketio).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$ROOT/logs/cluster"
DLL="$ROOT/src/Node/bin/Release/net10.0/SocketIo.Node.dll"
RABBIT_PORT="${CLUSTER_RABBITMQ_PORT:-5682}"
TIMEOUT="${CLUSTER_START_TIMEOUT:-60}"
export RABBITMQ_NODE_PORT="$RABBIT_PORT"
export RABBITMQ_NODENAME="socketio-cluster@localhost"
export RABBITMQ_HOME_DIR="$STATE/rabbitmq"

say() { echo "run-cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid_file() {
  local pid_file=$1 pid i
  [ -s "$pid_file" ] || { rm -f "$pid_file"; return 0; }
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "node pid $pid did not stop within 15 s; killing it"
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
  local uri
  uri=$("$ROOT/scripts/rabbitmq.sh" start) || die "RabbitMQ did not start (see $STATE/rabbitmq/log)"
  build_if_needed
  local k
  for k in $(seq 1 "$count"); do
    SOCKETIO__HTTP__HOST=127.0.0.1 SOCKETIO__HTTP__PORT=$((3000 + k)) SOCKETIO__NODE__NAME="node-$k" \
    SOCKETIO__CLUSTER__ENABLED=true SOCKETIO__CLUSTER__RABBITMQ__URI="$uri" \
    SOCKETIO__CLUSTER__CLUSTER_NAME="${CLUSTER_NAME:-socketio}" \
      setsid dotnet "$DLL" --config "$ROOT/cluster.hocon" >"$STATE/node-$k.log" 2>&1 </dev/null &
    echo $! >"$STATE/node-$k.pid"
  done
  local deadline=$((SECONDS + TIMEOUT)) ready
  while :; do
    ready=0
    for k in $(seq 1 "$count"); do
      alive "$STATE/node-$k.pid" || die "node-$k exited during start-up; see $STATE/node-$k.log"
      grep -q "listening on" "$STATE/node-$k.log" && ready=$((ready + 1))
    done
    [ "$ready" -eq "$count" ] && break
    [ "$SECONDS" -ge "$deadline" ] && die "only $ready of $count nodes ready after ${TIMEOUT}s; see $STATE/node-*.log ('$0 stop' cleans up)"
    sleep 0.2
  done
  say "broker $uri"
  for k in $(seq 1 "$count"); do echo "http://127.0.0.1:$((3000 + k))"; done
}

stop() {
  local f
  for f in "$STATE"/node-*.pid; do
    [ -e "$f" ] || continue
    stop_pid_file "$f"
  done
  if [ -d "$RABBITMQ_HOME_DIR" ]; then "$ROOT/scripts/rabbitmq.sh" stop || say "broker stop reported an error"; fi
  say "stopped"
}

status() {
  local f ok=0 any=0 k
  for f in "$STATE"/node-*.pid; do
    [ -e "$f" ] || continue
    any=1
    k=$(basename "$f" .pid)
    if alive "$f"; then echo "$k: running (pid $(cat "$f"), http://127.0.0.1:$((3000 + ${k#node-})))"; else echo "$k: not running"; ok=1; fi
  done
  [ "$any" -eq 1 ] || { echo "no nodes started"; ok=1; }
  if "$ROOT/scripts/rabbitmq.sh" status >/dev/null 2>&1; then echo "broker: running"; else echo "broker: not running"; ok=1; fi
  return $ok
}

case "${1:-}" in
  start) shift; start "${1:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
