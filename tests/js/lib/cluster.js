'use strict';
// Cluster end-to-end helpers: N node processes (the e2e fixture or the host) joined through a RabbitMQ broker,
// a tiny TCP "load balancer" in front of them, and control of test.sh's private broker for fault tests.
//
// The broker comes from the environment: RABBITMQ_URI (test.sh starts a private broker and exports it). When it
// is unset the cluster tests fail with a message saying so, unless SOCKETIO_SKIP_RABBITMQ=1 (then they are
// skipped). Every process started here is stopped by its PID (stopAll / node.stop()).
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFile } = require('node:child_process');
const { startServer, withTimeout, ROOT, E2E_DLL } = require('./server');
const { inbox } = require('./clients');

const CLUSTER_HOCON = path.join(ROOT, 'cluster.hocon');
const RABBITMQ_SH = path.join(ROOT, 'scripts', 'rabbitmq.sh');

/**
 * The broker to run against: { uri } or { skip: reason }. Throws when RABBITMQ_URI is unset and
 * SOCKETIO_SKIP_RABBITMQ is not 1, so a missing broker is a failure, not a silent skip.
 */
function rabbitmq() {
  const uri = process.env.RABBITMQ_URI;
  if (uri) return { uri };
  const reason = 'RABBITMQ_URI is not set: start a broker (scripts/rabbitmq.sh start prints its URI) and export '
    + 'RABBITMQ_URI, or run ./test.sh; set SOCKETIO_SKIP_RABBITMQ=1 to skip the cluster tests';
  if (process.env.SOCKETIO_SKIP_RABBITMQ === '1') return { skip: reason };
  throw new Error(reason);
}

/** A cluster name of letters, digits and '-' that no other run uses, so runs sharing a broker never meet. */
function uniqueClusterName(prefix) {
  return `${prefix}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
}

/**
 * Starts one node per name, in parallel, all in cluster `clusterName` of broker `uri`, with cluster.hocon and
 * SOCKETIO__* overrides (short heartbeats so a dead node is noticed quickly; see the top of cluster.hocon). `dll` picks the program: the e2e
 * fixture (default) or the host (lib/server.js DLL, with `args` such as ['--app', 'demo']). `sequential` starts
 * each node once the previous one is ready: nodes running shard regions (the host's demo) must not start at the
 * same moment (a region starting while another node's hand-off reaches it can fail, see the report of issue 6).
 * Resolves with the
 * nodes ({ name, url, port, pid, proc, output(), stop() }) in the order of `names`; on failure stops the ones
 * that did start and rethrows.
 */
async function startCluster({
  uri, clusterName, names, dll = E2E_DLL, args = [], env = {},
  heartbeatInterval = '250ms', heartbeatTimeout = '1500ms', requestTimeout = '20s', timeoutMs = 60000, sequential = false,
}) {
  const start = (name) => startServer(['--config', CLUSTER_HOCON, ...args], {
    dll,
    timeoutMs,
    env: {
      SOCKETIO__CLUSTER__ENABLED: 'true',
      SOCKETIO__CLUSTER__RABBITMQ__URI: uri,
      SOCKETIO__CLUSTER__CLUSTER_NAME: clusterName,
      SOCKETIO__NODE__NAME: name,
      SOCKETIO__CLUSTER__HEARTBEAT_INTERVAL: heartbeatInterval,
      SOCKETIO__CLUSTER__HEARTBEAT_TIMEOUT: heartbeatTimeout,
      SOCKETIO__CLUSTER__REQUEST_TIMEOUT: requestTimeout,
      ...env,
    },
  }).then((node) => Object.assign(node, { name }));
  let results;
  if (sequential) {
    results = [];
    for (const name of names) {
      const r = await start(name).then((value) => ({ status: 'fulfilled', value }), (reason) => ({ status: 'rejected', reason }));
      results.push(r);
      if (r.status === 'rejected') break;
    }
  } else {
    results = await Promise.allSettled(names.map(start));
  }
  const nodes = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(nodes);
    throw failed.reason;
  }
  return nodes;
}

/** Stops every node still running (SIGTERM, then SIGKILL after 5 s), each by its PID. */
async function stopAll(nodes) {
  await Promise.all(nodes.filter(Boolean).map((n) => n.stop().catch(() => {})));
}

/** SIGKILL of exactly this node's process (a crash: no graceful leave); resolves once it has exited. */
function kill9(node) {
  return new Promise((resolve) => {
    if (node.proc.exitCode !== null || node.proc.signalCode !== null) { resolve(); return; }
    node.proc.once('exit', () => resolve());
    process.kill(node.pid, 'SIGKILL');
  });
}

/**
 * SIGTERM of exactly this node's process (a graceful shutdown); resolves with { code, signal, at } once it has
 * exited (at: Date.now() of the exit). Bounded by the caller (withTimeout); node.stop() still escalates to SIGKILL.
 */
function terminate(node) {
  return new Promise((resolve) => {
    if (node.proc.exitCode !== null || node.proc.signalCode !== null) {
      resolve({ code: node.proc.exitCode, signal: node.proc.signalCode, at: Date.now() });
      return;
    }
    node.proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
    process.kill(node.pid, 'SIGTERM');
  });
}

/**
 * Checks the numbers a client received against the sequence first..last (inclusive): { lost, duplicated,
 * outOfOrder } with the missing numbers, the numbers received more than once, and how many times a number was
 * smaller than the one before it. Numbers outside first..last are ignored.
 */
function sequenceCheck(received, first, last) {
  const seen = new Map();
  let outOfOrder = 0;
  let prev = -Infinity;
  for (const n of received) {
    if (n < first || n > last) continue;
    seen.set(n, (seen.get(n) || 0) + 1);
    if (n < prev) outOfOrder++;
    prev = n;
  }
  const lost = [];
  for (let n = first; n <= last; n++) if (!seen.has(n)) lost.push(n);
  const duplicated = [...seen].filter(([, c]) => c > 1).map(([n]) => n);
  return { lost, duplicated, outOfOrder };
}

/**
 * A TCP load balancer on 127.0.0.1: each connection goes to the first target in `targets()` (host ports) that
 * accepts it, so when a node dies its clients' reconnects land on the next live node. Plain byte piping, so it
 * carries HTTP and WebSocket alike. Resolves with { url, port, close() }.
 */
function startProxy(targets) {
  const open = new Set();
  const server = net.createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    client.pause();
    const ports = [...targets()];
    const tryNext = () => {
      const port = ports.shift();
      if (port === undefined) { client.destroy(); return; }
      const upstream = net.connect({ host: '127.0.0.1', port });
      upstream.once('error', () => { upstream.destroy(); tryNext(); });
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        open.add(upstream);
        upstream.on('close', () => { open.delete(upstream); client.destroy(); });
        upstream.on('error', () => upstream.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryNext();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () => new Promise((done) => {
          for (const s of open) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

/** The broker-control environment test.sh exports (RABBITMQ_NODE_PORT, RABBITMQ_NODENAME, RABBITMQ_HOME_DIR), or null when incomplete. */
function brokerControlEnv() {
  const keys = ['RABBITMQ_NODE_PORT', 'RABBITMQ_NODENAME', 'RABBITMQ_HOME_DIR'];
  return keys.every((k) => process.env[k]) ? Object.fromEntries(keys.map((k) => [k, process.env[k]])) : null;
}

/** Runs `scripts/rabbitmq.sh <command>` for test.sh's broker; resolves with its stdout, rejects with its stderr. */
function rabbitmqCtl(command, timeoutMs = 150000) {
  const env = brokerControlEnv();
  if (!env) return Promise.reject(new Error('RABBITMQ_NODE_PORT, RABBITMQ_NODENAME and RABBITMQ_HOME_DIR must be set'));
  return new Promise((resolve, reject) => {
    execFile(RABBITMQ_SH, [command], { env: { ...process.env, ...env }, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`rabbitmq.sh ${command} failed: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** Polls `probe()` every `intervalMs` until it returns a truthy value (resolved with it) or `ms` pass. */
async function eventually(probe, ms, what, intervalMs = 100) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const ACK_MS = 5000;

/** Opens socket.io-client 4.8 sockets (own connection each, websocket only, no reconnection unless asked) and closes them all in closeAll(). */
function clientPool() {
  const { io } = require('socket.io-client');
  const opened = [];
  return {
    socket(url, nsp = '/', opts = {}) {
      const s = io(url + nsp, { forceNew: true, reconnection: false, transports: ['websocket'], ...opts });
      opened.push(s);
      return s;
    },
    closeAll() {
      for (const s of opened.splice(0)) {
        try { s.io.opts.reconnection = false; s.io.reconnection(false); s.disconnect(); s.io._close(); } catch { /* already closed */ }
      }
    },
  };
}

/** Resolves once `socket` is connected; rejects on connect_error or after `ms`. */
function connected(socket, ms = ACK_MS) {
  if (socket.connected) return Promise.resolve(socket);
  return withTimeout(new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(new Error(`connect_error: ${err.message}`)));
  }), ms, `connect to ${socket.nsp}`);
}

/** `emitWithAck` with a client-side timeout: resolves with the first ack argument. */
function ack(socket, event, ...args) {
  return socket.timeout(ACK_MS).emitWithAck(event, ...args);
}

module.exports = {
  ACK_MS, clientPool, connected, ack, inbox,
  rabbitmq, uniqueClusterName, startCluster, stopAll, kill9, terminate, sequenceCheck, startProxy, brokerControlEnv, rabbitmqCtl, eventually, withTimeout,
};
