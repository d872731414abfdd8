#!/usr/bin/env bash
# run-cluster.sh start [N] | stop | status
#
#   start [N]  build the host in Release when needed, start N nodes (default 3) with `--config cluster.hocon`
#              and the cluster enabled: node K serves HTTP on 127.0.0.1:300K and Akka.Remote on 127.0.0.1:400K,
#              and every node's seed is node 1 (127.0.0.1:4001), which forms the cluster. Waits until every
#              node is an Up member (each prints its "listening on" line only then, and node 1's
#              /cluster/members lists N Up members), and prints their URLs. No broker: Akka.Cluster is the
#              cluster. Then, when nginx is installed (Debian's `nginx`), starts a round-robin proxy in front of the
#              nodes on 127.0.0.1:3000 (no ip_hash, no sticky cookie: every request may land on any node, which
#              forwards it to the session's owner), so the seeds' own pages, which connect to 127.0.0.1:3000, go
#              through it too. Refuses to start when a cluster it started runs.
#   stop       stop exactly the proxy and the nodes it started (PID files: SIGTERM, so each node leaves the
#              cluster gracefully; SIGKILL after 20 s)
#   status     each node's process, and the members as node 1 (or the first node that answers) sees them;
#              exit 0 when every node runs and all of them are Up and reachable
#
# Everything it writes lives under logs/cluster/ (git-ignored through logs/): node-K.log, node-K.pid, and the
# proxy's nginx.conf, proxy.pid and logs. Environment (optional): CLUSTER_START_TIMEOUT seconds (90), CLUSTER_NAME
# (socketio), CLUSTER_AKKA_PORT_BASE (4000: node K uses base + K), CLUSTER_PROXY_PORT (3000; 0: no proxy).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$ROOT/logs/cluster"
DLL="$ROOT/src/Node/bin/Release/net10.0/SocketIo.Node.dll"
TIMEOUT="${CLUSTER_START_TIMEOUT:-90}"
AKKA_BASE="${CLUSTER_AKKA_PORT_BASE:-4000}"
PROXY_PORT="${CLUSTER_PROXY_PORT:-3000}"

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
  for f in "$STATE"/node-*.pid "$STATE"/proxy.pid; do
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
  start_proxy "$count"
}

# nginx round-robin in front of nodes 1..$1 on 127.0.0.1:$PROXY_PORT, one foreground process (its PID in proxy.pid).
start_proxy() {
  local count=$1 nginx k servers="" deadline
  [ "$PROXY_PORT" -ne 0 ] || return 0
  nginx=$(command -v nginx || true)
  [ -n "$nginx" ] || { [ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx; }
  if [ -z "$nginx" ]; then
    say "no round-robin proxy: nginx is not installed (apt-get install nginx); the nodes serve directly"
    return 0
  fi
  for k in $(seq 1 "$count"); do servers+="    server 127.0.0.1:$((3000 + k));"$'\n'; done
  mkdir -p "$STATE/nginx"
  cat >"$STATE/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $STATE/nginx/nginx.pid;
error_log $STATE/nginx/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $STATE/nginx/body;
  proxy_temp_path $STATE/nginx/proxy;
  fastcgi_temp_path $STATE/nginx/fastcgi;
  uwsgi_temp_path $STATE/nginx/uwsgi;
  scgi_temp_path $STATE/nginx/scgi;
  access_log $STATE/nginx/access.log;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  # Round-robin, no ip_hash, no sticky cookie: the nodes forward each request to the owner of its session.
  upstream socketio {
$servers    keepalive 8;
  }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://socketio;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$host;
      proxy_buffering off;
      proxy_read_timeout 120s;
    }
  }
}
CONF
  setsid "$nginx" -p "$STATE/nginx" -c "$STATE/nginx.conf" -e "$STATE/nginx/error.log" >"$STATE/proxy.log" 2>&1 </dev/null &
  echo $! >"$STATE/proxy.pid"
  deadline=$((SECONDS + 10))
  until curl -fsS --max-time 2 "http://127.0.0.1:$PROXY_PORT/cluster/members" >/dev/null 2>&1; do
    alive "$STATE/proxy.pid" || { say "the proxy did not start; see $STATE/proxy.log (the nodes keep running)"; rm -f "$STATE/proxy.pid"; return 0; }
    [ "$SECONDS" -ge "$deadline" ] && { say "the proxy does not answer on 127.0.0.1:$PROXY_PORT; see $STATE/proxy.log"; return 0; }
    sleep 0.2
  done
  say "nginx round-robin over the $count nodes (no sticky sessions):"
  echo "http://127.0.0.1:$PROXY_PORT"
}

# The members as the node on HTTP port $1 sees them (its /cluster/members JSON), or nothing.
members_json() { curl -fsS --max-time 3 "http://127.0.0.1:$1/cluster/members" 2>/dev/null || true; }

stop() {
  local f
  for f in "$STATE"/proxy.pid "$STATE"/node-*.pid; do
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
  if [ -e "$STATE/proxy.pid" ]; then
    if alive "$STATE/proxy.pid"; then echo "proxy: running (pid $(cat "$STATE/proxy.pid"), http://127.0.0.1:$PROXY_PORT, nginx round-robin)"
    else echo "proxy: not running"; ok=1; fi
  fi
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
