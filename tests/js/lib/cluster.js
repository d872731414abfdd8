'use strict';
// Cluster end-to-end helpers: N node processes (the e2e fixture or the host) joined as one Akka.Cluster (no broker),
// and a tiny TCP "load balancer" in front of them.
//
// Each cluster gets a name of its own (the actor system name, part of every Akka address), so clusters of different
// tests or runs can never join each other. Every node's Akka.Remote listens on a free 127.0.0.1 port; the first node
// of a startCluster call is the seed of the others (and of nodes added later with `seed`). The nodes read
// cluster.hocon plus a short failure detector and split brain resolver (testHocon): a silent node is unreachable
// after about 1.5 s and downed 4 s later. Every process started here is stopped by its PID (stopAll / node.stop()).
const net = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { startServer, withTimeout, ROOT, E2E_DLL } = require('./server');
const { inbox } = require('./clients');

const CLUSTER_HOCON = path.join(ROOT, 'cluster.hocon');

/** A cluster name of letters, digits and '-' that no other run uses, so runs on one machine never meet. */
function uniqueClusterName(prefix) {
  return `${prefix}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
}

/** cluster.hocon followed by quicker failure detection and downing, written once to a temporary file; returns its path. */
let testHoconPath;
function testHocon() {
  if (testHoconPath) return testHoconPath;
  testHoconPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'socketio-cluster-')), 'cluster-test.hocon');
  fs.writeFileSync(testHoconPath, `${fs.readFileSync(CLUSTER_HOCON, 'utf8')}
# Tests: a silent node is unreachable after ~1.5 s, downed 4 s after that.
akka.cluster.failure-detector { heartbeat-interval = 250ms, acceptable-heartbeat-pause = 1s }
akka.cluster.split-brain-resolver.stable-after = 4s
`);
  return testHoconPath;
}

/** A free TCP port on 127.0.0.1 (bound and released at once). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The Akka address of the node of cluster `clusterName` whose Akka.Remote port is `port`. */
function akkaAddress(clusterName, port) {
  return `akka.tcp://${clusterName}@127.0.0.1:${port}`;
}

/**
 * Starts one node per name, in parallel, all in cluster `clusterName`, with the test HOCON and SOCKETIO__* overrides.
 * The first node is the seed unless `seed` (an Akka.Remote port of a running node) is given. `dll` picks the program:
 * the e2e fixture (default) or the host (lib/server.js DLL, with `args` such as ['--app', 'demo']). Resolves with the
 * nodes ({ name, akka, akkaPort, url, port, pid, proc, output(), stop() }) in the order of `names`, each an Up
 * member; on failure stops the ones that did start and rethrows.
 */
async function startCluster({ clusterName, names, dll = E2E_DLL, args = [], env = {}, requestTimeout = '20s', timeoutMs = 60000, seed }) {
  const ports = await Promise.all(names.map(() => freePort()));
  const seedPort = seed ?? ports[0];
  const start = (name, i) => startServer(['--config', testHocon(), ...args], {
    dll,
    timeoutMs,
    env: {
      SOCKETIO__CLUSTER__ENABLED: 'true',
      SOCKETIO__CLUSTER__CLUSTER_NAME: clusterName,
      SOCKETIO__CLUSTER__PORT: String(ports[i]),
      SOCKETIO__CLUSTER__SEED_NODES: `127.0.0.1:${seedPort}`,
      SOCKETIO__CLUSTER__REQUEST_TIMEOUT: requestTimeout,
      SOCKETIO__NODE__NAME: name,
      ...env,
    },
  }).then((node) => Object.assign(node, { name, akkaPort: ports[i], akka: akkaAddress(clusterName, ports[i]) }));
  const results = await Promise.allSettled(names.map(start));
  const nodes = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(nodes);
    throw failed.reason;
  }
  return nodes;
}

/** The names of `nodes` whose Akka addresses are in `addresses` (what cluster:members answers), sorted. */
function namesOf(addresses, nodes) {
  return addresses.map((a) => (nodes.find((n) => n.akka === a) || { name: a }).name).sort();
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
  ACK_MS, clientPool, connected, ack, inbox, freePort,
  uniqueClusterName, startCluster, namesOf, stopAll, kill9, terminate, sequenceCheck, startProxy, eventually, withTimeout,
};
