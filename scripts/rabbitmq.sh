#!/usr/bin/env bash
# Private RabbitMQ broker for the cluster tests, bound to 127.0.0.1 only.
#
#   scripts/rabbitmq.sh start   install rabbitmq-server when missing, start the private broker
#                               (idempotent: a running one is reused), wait until it accepts AMQP
#                               connections, print its AMQP URI on stdout
#   scripts/rabbitmq.sh stop    stop exactly that broker (by node name, then by its PID file)
#   scripts/rabbitmq.sh status  print the URI and exit 0 when it is running, exit 1 otherwise
#
# Environment (all optional):
#   RABBITMQ_NODE_PORT      AMQP port                               (5672)
#   RABBITMQ_DIST_PORT      Erlang distribution port                (AMQP port + 20000)
#   RABBITMQ_NODENAME       Erlang node name                        (socketio-test@localhost)
#   RABBITMQ_HOME_DIR       data, logs, pid file, config, cookie    (<repo>/.rabbitmq, git-ignored)
#   RABBITMQ_START_TIMEOUT  seconds to wait for the broker to boot  (120)
#
# Everything binds to 127.0.0.1: AMQP (listeners.tcp.default), Erlang distribution
# (inet_dist_use_interface) and epmd (ERL_EPMD_ADDRESS). No plugin is enabled, so there is no
# management listener. The account guest/guest works because clients connect from localhost.
# Human-readable progress goes to stderr; stdout carries only the URI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${RABBITMQ_NODE_PORT:-5672}"
DIST_PORT="${RABBITMQ_DIST_PORT:-$((PORT + 20000))}"
NODENAME="${RABBITMQ_NODENAME:-socketio-test@localhost}"
HOME_DIR="${RABBITMQ_HOME_DIR:-$ROOT/.rabbitmq}"
TIMEOUT="${RABBITMQ_START_TIMEOUT:-120}"
URI="amqp://guest:guest@127.0.0.1:${PORT}/"
SBIN=/usr/lib/rabbitmq/bin

say() { echo "rabbitmq.sh: $*" >&2; }
die() { say "$*"; exit 1; }

case "$HOME_DIR" in /*) ;; *) HOME_DIR="$PWD/$HOME_DIR" ;; esac
PID_FILE="$HOME_DIR/rabbit.pid"

# The broker's whole environment. HOME points into our directory so the Erlang cookie is private
# to this broker and rabbitmqctl (run with the same HOME) can talk to it.
broker_env() {
  export HOME="$HOME_DIR"
  export RABBITMQ_NODENAME="$NODENAME"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$PORT"
  export RABBITMQ_DIST_PORT="$DIST_PORT"
  export RABBITMQ_MNESIA_BASE="$HOME_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$HOME_DIR/log"
  export RABBITMQ_PID_FILE="$PID_FILE"
  export RABBITMQ_CONFIG_FILE="$HOME_DIR/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$HOME_DIR/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$HOME_DIR/enabled_plugins"
  export RABBITMQ_CONF_ENV_FILE="$HOME_DIR/rabbitmq-env.conf"
  export RABBITMQ_SERVER_ERL_ARGS="+P 1048576 -kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

# Installs rabbitmq-server when missing without leaving the package's own system-wide broker
# running: services are kept from starting during the install (policy-rc.d, only when the
# machine has none), and whatever started anyway is stopped and disabled afterwards.
install_if_missing() {
  [ -x "$SBIN/rabbitmq-server" ] && return 0
  [ "$(id -u)" -eq 0 ] || die "rabbitmq-server is not installed and installing it needs root"
  say "installing rabbitmq-server (apt-get)"
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && added_policy=1
  fi
  local epmd_was_active=inactive
  command -v systemctl >/dev/null 2>&1 && epmd_was_active=$(systemctl is-active epmd.socket 2>/dev/null || true)
  export DEBIAN_FRONTEND=noninteractive
  local rc=0
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends rabbitmq-server; } >&2 || rc=$?
  [ "$added_policy" -eq 1 ] && rm -f "$policy"
  [ "$rc" -eq 0 ] || die "apt-get install rabbitmq-server failed (exit $rc)"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now rabbitmq-server.service >/dev/null 2>&1 || true
    # Socket-activated epmd listens on all interfaces; stop it only if this install enabled it.
    [ "$epmd_was_active" = active ] || systemctl disable --now epmd.socket epmd.service >/dev/null 2>&1 || true
  elif [ -s /run/rabbitmq/pid ] && kill -0 "$(cat /run/rabbitmq/pid)" 2>/dev/null; then
    # No systemd, but an init script started the system broker anyway. Stopping it runs
    # rabbitmqctl, which would start an epmd on all interfaces unless told otherwise.
    ERL_EPMD_ADDRESS=127.0.0.1 /etc/init.d/rabbitmq-server stop >/dev/null 2>&1 || true
  fi
  [ -x "$SBIN/rabbitmq-server" ] || die "rabbitmq-server installed but $SBIN/rabbitmq-server is missing"
}

write_config() {
  mkdir -p "$HOME_DIR/mnesia" "$HOME_DIR/log"
  cat > "$HOME_DIR/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:${PORT}
loopback_users.guest = true
log.file.level = info
log.console = false
CONF
  echo "[]." > "$HOME_DIR/advanced.config"
  echo "[]." > "$HOME_DIR/enabled_plugins"
  : > "$HOME_DIR/rabbitmq-env.conf"
  chmod 700 "$HOME_DIR"
}

# True when the AMQP port accepts a TCP connection and the node answers a ping.
is_up() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || return 1
  timeout 30 "$SBIN/rabbitmq-diagnostics" -q -n "$NODENAME" ping >/dev/null 2>&1
}

pid_alive() {
  [ -s "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

start() {
  install_if_missing
  broker_env
  if is_up; then say "already running ($NODENAME)"; echo "$URI"; return 0; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT is taken by something other than $NODENAME; set RABBITMQ_NODE_PORT"
  fi
  write_config
  local began=$SECONDS
  say "starting $NODENAME on 127.0.0.1:$PORT (data in $HOME_DIR)"
  # Fully detached from the caller: its stdout must not hold a `$(...)` open.
  setsid "$SBIN/rabbitmq-server" >>"$HOME_DIR/log/startup.log" 2>&1 </dev/null &
  local deadline=$((SECONDS + TIMEOUT))
  until is_up; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$HOME_DIR/log/startup.log" >&2 || true
      die "broker did not accept AMQP connections within ${TIMEOUT}s"
    fi
    sleep 0.5
  done
  say "up after $((SECONDS - began))s"
  echo "$URI"
}

stop() {
  broker_env
  [ -x "$SBIN/rabbitmqctl" ] || { say "not installed; nothing to stop"; return 0; }
  local pid=""
  pid_alive && pid=$(cat "$PID_FILE")
  if [ -z "$pid" ] && ! is_up; then
    say "$NODENAME is not running"; rm -f "$PID_FILE"; return 0
  fi
  # Ask the node to stop; with the PID file rabbitmqctl also waits until that process is gone.
  if timeout 60 "$SBIN/rabbitmqctl" -q -n "$NODENAME" stop ${pid:+"$PID_FILE"} >/dev/null 2>&1; then
    say "stopped $NODENAME"; rm -f "$PID_FILE"; return 0
  fi
  # The node did not answer (e.g. half-booted): end it by the PID it wrote, and only that PID.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    say "stopped $NODENAME (pid $pid)"
  else
    say "could not stop $NODENAME (no answer, no live PID in $PID_FILE)"; return 1
  fi
  rm -f "$PID_FILE"
}

status() {
  [ -x "$SBIN/rabbitmqctl" ] || { say "not installed"; return 1; }
  broker_env
  if is_up; then echo "$URI"; else say "$NODENAME is not running"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
