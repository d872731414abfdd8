'use strict';
// No sticky sessions (issue 14): three e2e fixture nodes joined as one Akka.Cluster behind a load balancer that
// spreads every HTTP request (and every WebSocket upgrade) round-robin over them, with no stickiness at all. A polling
// request for a session another node owns is forwarded to the owner through the cluster; a WebSocket upgrade for it is
// relayed to the owner, which keeps the session. socket.io-client 4.8 must not notice.
//
// Two load balancers, in front of the same cluster:
//  - Debian's nginx (an `upstream` of the three nodes, no ip_hash, HTTP/1.1 with keepalive to the upstreams, the
//    Upgrade/Connection headers for WebSocket), run as a child process with its own config, pid and logs in a temp
//    directory and stopped by its PID; its access log ($upstream_addr) shows where each request went. Skipped when
//    nginx is not installed (test.sh installs it).
//  - a round-robin HTTP/WebSocket proxy written here with node:http, per request, one upstream connection per request
//    (so every upgrade reaches a node's direct WebSocket path); it records where each request of a session went.
// Last, nodes go away: a killed owner's sids are answered as unknown by the survivors (its clients reconnect), and a
// node stopped with SIGTERM closes the WebSockets it relays before it leaves.
const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const { spawn } = require('node:child_process');
const { E2E_DLL, withTimeout } = require('./lib/server');
const {
  uniqueClusterName, startCluster, stopAll, eventually, connected, ack, inbox, kill9, terminate, freePort,
} = require('./lib/cluster');

const NGINX = process.env.NGINX || ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

/** The sid of a request URL, or null. */
function sidOf(url) {
  return new URL(url, 'http://x').searchParams.get('sid');
}

/** The transport query parameter of a request URL. */
function transportOf(url) {
  return new URL(url, 'http://x').searchParams.get('transport');
}

/** Request count per upstream ("127.0.0.1:port") among `requests`. */
function countByUpstream(requests) {
  const counts = new Map();
  for (const r of requests) counts.set(r.upstream, (counts.get(r.upstream) || 0) + 1);
  return counts;
}

/**
 * nginx in front of `ports`, round-robin, as a child process (`daemon off`, one process) in a temp dir. Resolves with
 * { url, requestsOf(sid), stop() }: requestsOf reads the access log ($upstream_addr; a WebSocket is logged once it
 * has closed) and lists the session's requests as { upstream, transport }.
 */
async function startNginx(ports) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socketio-nginx-'));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  const accessLog = path.join(dir, 'access.log');
  fs.writeFileSync(conf, `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  log_format upstreams '$upstream_addr $request_method "$request_uri" $status';
  access_log ${accessLog} upstreams;
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  # Round-robin, no ip_hash, no sticky cookie: every request may land on another node.
  upstream socketio {
${ports.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://socketio;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_buffering off;
      proxy_read_timeout 120s;
      proxy_next_upstream off;
    }
  }
}
`);
  const proc = spawn(NGINX, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  await eventually(async () => {
    if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}: ${out}`);
    return new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
  }, 10000, 'nginx to listen');
  return {
    url: `http://127.0.0.1:${port}`,
    requestsOf(sid) {
      const requests = [];
      for (const line of fs.readFileSync(accessLog, 'utf8').split('\n')) {
        const m = /^(\S+) (\S+) "([^"]*)" (\d+)$/.exec(line);
        if (m && sidOf(m[3]) === sid) requests.push({ upstream: m[1], transport: transportOf(m[3]) });
      }
      return requests;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        process.kill(proc.pid, 'SIGQUIT');
        const kill = setTimeout(() => { try { process.kill(proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
        await exited;
        clearTimeout(kill);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A round-robin proxy with node:http: each request and each WebSocket upgrade goes to the next of `ports`, over a new
 * upstream connection; `ports` may be a function, asked each time (a balancer's health check). With `randomUpgrades`
 * WebSocket upgrades go to a node drawn at random instead (with two nodes, a fixed number of requests per session could
 * otherwise send every upgrade to its session's owner). Resolves with
 * { url, requestsOf(sid), stop() } (requestsOf as nginx's).
 */
function startRoundRobinProxy(ports, { randomUpgrades = false } = {}) {
  const live = typeof ports === 'function' ? ports : () => ports;
  let next = 0;
  const perSid = new Map();
  const open = new Set();
  const pick = (url, upgrade = false) => {
    const targets = live();
    const port = upgrade && randomUpgrades ? targets[Math.floor(Math.random() * targets.length)] : targets[next++ % targets.length];
    const sid = sidOf(url);
    if (sid) {
      const requests = perSid.get(sid) || [];
      requests.push({ upstream: `127.0.0.1:${port}`, transport: transportOf(url) });
      perSid.set(sid, requests);
    }
    return port;
  };
  const track = (s) => { open.add(s); s.on('close', () => open.delete(s)); };
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    const upstream = http.request({ host: '127.0.0.1', port: pick(req.url), method: req.method, path: req.url, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
    req.pipe(upstream);
  });
  server.on('connection', track);
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(pick(req.url, true), '127.0.0.1', () => {
      let lines = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      upstream.write(`${lines}\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        requestsOf: (sid) => [...(perSid.get(sid) || [])],
        stop: () => new Promise((done) => {
          for (const s of open) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

/** socket.io-client 4.8 sockets through a proxy (own connection each, no reconnection), all closed by closeAll(). */
function pool() {
  const { io } = require('socket.io-client');
  const opened = [];
  return {
    async socket(url, nsp, opts = {}) {
      const s = io(url + nsp, { forceNew: true, reconnection: false, ...opts });
      opened.push(s);
      const box = inbox(s);
      await connected(s, 10000);
      return Object.assign(s, { box });
    },
    closeAll() {
      for (const s of opened.splice(0)) {
        try { s.disconnect(); s.io._close(); } catch { /* already closed */ }
      }
    },
  };
}

/** Resolves once the client's engine runs over WebSocket (upgraded through the balancer). */
function upgraded(s, ms = 10000) {
  const engine = s.io.engine;
  if (engine.transport.name === 'websocket') return Promise.resolve();
  return withTimeout(new Promise((resolve, reject) => {
    engine.once('upgrade', () => resolve());
    engine.once('upgradeError', (e) => reject(new Error(`upgradeError: ${e.message}`)));
  }), ms, 'the upgrade to websocket');
}

const range = (first, last) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

let scratch = 0;
const nsp = () => `/t-rr${process.pid.toString(36)}${(scratch++).toString(36)}`;

/** The numbers of the `num` events the server logged for `s`, in the order it received them. */
async function numbersReceivedByServer(s) {
  const log = await ack(s, 'anyLog');
  return log.filter((e) => e[0] === 'num').map((e) => e[1]);
}

let nodes = [];
before(async () => {
  nodes = await startCluster({ clusterName: uniqueClusterName('e2e-rr'), names: ['rr-a', 'rr-b', 'rr-c'], dll: E2E_DLL });
  // Every node must know the two others before a request can be forwarded to them.
  const { io } = require('socket.io-client');
  const probes = nodes.map((n) => io(n.url, { forceNew: true, reconnection: false, transports: ['websocket'] }));
  try {
    await Promise.all(probes.map((s) => connected(s, 10000)));
    await eventually(async () => {
      const seen = await Promise.all(probes.map((s) => ack(s, 'cluster:members')));
      return seen.every((m) => m.length === 2);
    }, 15000, 'every node to see the two others');
  } finally {
    for (const s of probes) s.disconnect();
  }
});
after(async () => { await stopAll(nodes); });

const balancers = [
  { name: 'nginx round-robin', start: (ports) => startNginx(ports), skip: NGINX ? false : 'nginx is not installed' },
  { name: 'node:http round-robin proxy', start: (ports) => startRoundRobinProxy(ports), skip: false },
];

for (const balancer of balancers) {
  describe(`no sticky sessions behind ${balancer.name}`, { skip: balancer.skip }, () => {
    let lb;
    const clients = pool();

    before(async () => { lb = await balancer.start(nodes.map((n) => n.port)); });
    afterEach(() => clients.closeAll());
    after(async () => { clients.closeAll(); if (lb) await lb.stop(); });

    test('polling only: connect, events and acks both ways; the session\'s requests went to several nodes', async () => {
      const s = await clients.socket(lb.url, '/', { transports: ['polling'] });
      const sid = s.io.engine.id;
      const owner = await ack(s, 'server:node');
      assert.ok(['rr-a', 'rr-b', 'rr-c'].includes(owner), owner);
      // client → server, with the server's ack
      assert.deepEqual(await ack(s, 'echo', { hello: 'world', n: [1, 2] }), { hello: 'world', n: [1, 2] });
      // server → client event
      s.emit('echo:emit', 'from the server', 42);
      assert.deepEqual(await s.box.next('echo', (...a) => a[0] === 'from the server'), ['from the server', 42]);
      // server → client, with the client's ack
      s.on('ask', (...args) => args.pop()({ got: args.slice() }));
      assert.deepEqual(await ack(s, 'server:emitWithAck', { event: 'ask', args: ['x', 2], timeout: 3000 }),
        { ok: true, response: [{ got: ['x', 2] }] });
      assert.equal(await ack(s, 'server:transport'), 'polling');
      assert.equal(s.io.engine.transport.name, 'polling');
      // Bodies larger than Akka.Remote's frame (128,000 bytes) cross in fragments: a 300 kB POST and its 300 kB answer.
      const large = 'x'.repeat(300_000) + 'é☃';
      assert.equal(await ack(s, 'echo', large), large);
      // Served everywhere, owned by one node: the same owner answers after all those requests.
      assert.equal(await ack(s, 'server:node'), owner);
      const upstreams = countByUpstream(lb.requestsOf(sid));
      assert.ok(upstreams.size >= 2, `the requests of ${sid} went to ${JSON.stringify([...upstreams])}`);
    });

    test('polling only: 200 numbered messages each way arrive in order, none lost', async () => {
      const s = await clients.socket(lb.url, '/', { transports: ['polling'] });
      for (const n of range(1, 200)) s.emit('num', n);
      await eventually(async () => (await numbersReceivedByServer(s)).length >= 200, 15000, 'the server to log 200 numbers');
      assert.deepEqual(await numbersReceivedByServer(s), range(1, 200));
      for (const n of range(1, 200)) s.emit('echo:emit', n);
      await s.box.next('echo', (n) => n === 200, 15000);
      assert.deepEqual(s.box.of('echo').map((a) => a[0]), range(1, 200));
    });

    test('default transports: the upgrade to websocket is relayed to the owner; events, acks and order survive it', async () => {
      const s = await clients.socket(lb.url, '/');
      const sid = s.io.engine.id;
      const owner = await ack(s, 'server:node');
      // Numbered messages both ways from the start, so some cross the upgrade.
      for (const n of range(1, 150)) { s.emit('num', n); s.emit('echo:emit', n); }
      await upgraded(s);
      for (const n of range(151, 300)) { s.emit('num', n); s.emit('echo:emit', n); }
      assert.equal(await ack(s, 'server:transport'), 'websocket');
      assert.equal(await ack(s, 'server:node'), owner, 'the owner keeps the session after the upgrade');
      await eventually(async () => (await numbersReceivedByServer(s)).length >= 300, 15000, 'the server to log 300 numbers');
      assert.deepEqual(await numbersReceivedByServer(s), range(1, 300));
      await s.box.next('echo', (n) => n === 300, 15000);
      assert.deepEqual(s.box.of('echo').map((a) => a[0]), range(1, 300));
      // Acks both ways over the relay, and binary attachments (binary frames) intact.
      assert.deepEqual(await ack(s, 'echo', 'over', { the: 'relay' }), 'over');
      s.on('ask', (...args) => args.pop()({ got: args.slice() }));
      assert.deepEqual(await ack(s, 'server:emitWithAck', { event: 'ask', args: [7], timeout: 3000 }), { ok: true, response: [{ got: [7] }] });
      // Messages larger than Akka.Remote's frame, both ways, text and binary.
      const large = 'y'.repeat(300_000) + '☃';
      assert.equal(await ack(s, 'echo', large), large);
      const blob = Buffer.alloc(200_000, 7);
      blob[199_999] = 9;
      const [echoed] = await ack(s, 'echo', blob).then((b) => [b]);
      assert.ok(Buffer.from(echoed).equals(blob));
      await ack(s, 'server:binary');
      const [bin] = await s.box.next('binary');
      assert.deepEqual([...Buffer.from(bin)], [1, 2, 3]);
      const upstreams = countByUpstream(lb.requestsOf(sid));
      assert.ok(upstreams.size >= 2, `the requests of ${sid} went to ${JSON.stringify([...upstreams])}`);
    });

    test('rooms and broadcasts reach clients whose sessions live on different nodes, polling and websocket alike', async () => {
      const ns = nsp();
      const opts = [{ transports: ['polling'] }, {}, { transports: ['polling'] }, {}, { transports: ['polling'] }, {}];
      const sockets = [];
      for (const o of opts) sockets.push(await clients.socket(lb.url, ns, o));
      const owners = await Promise.all(sockets.map((s) => ack(s, 'server:node')));
      assert.ok(new Set(owners).size >= 2, `sessions on ${owners}`);
      await Promise.all(sockets.slice(1).map(upgradedIfWebSocket));
      const [sender, ...rest] = sockets;
      const members = rest.slice(0, 4);
      const outsider = rest[4];
      await Promise.all(members.map((s) => ack(s, 'join', 'room-rr')));
      await ack(sender, 'broadcast', { to: ['room-rr'], event: 'room-msg', args: ['hello', { n: 1 }] });
      for (const m of members) assert.deepEqual(await m.box.next('room-msg'), ['hello', { n: 1 }]);
      // io.Emit to everyone after it: once it arrived, the room message would have too (per-origin order).
      await ack(sender, 'broadcast', { event: 'marker', args: [owners[0]] });
      for (const s of sockets) assert.deepEqual(await s.box.next('marker'), [owners[0]]);
      assert.equal(outsider.box.of('room-msg').length, 0);
      assert.equal(sender.box.of('room-msg').length, 0);
    });

    test('an upgrade that lands on a node other than the owner is relayed (the owner keeps the session)', async () => {
      // Round-robin decides where each upgrade lands: open sessions until one upgrade went to a non-owner (2 in 3 do).
      const tried = [];
      for (let i = 0; i < 8; i++) {
        const s = await clients.socket(lb.url, '/');
        const sid = s.io.engine.id;
        const ownerName = await ack(s, 'server:node');
        await upgraded(s);
        assert.equal(await ack(s, 'server:transport'), 'websocket');
        assert.deepEqual(await ack(s, 'echo', `relayed ${i}`), `relayed ${i}`);
        assert.equal(await ack(s, 'server:node'), ownerName);
        s.disconnect();
        // nginx logs a WebSocket when it closes.
        const [upgrade] = await eventually(async () => {
          const ws = lb.requestsOf(sid).filter((r) => r.transport === 'websocket');
          return ws.length > 0 && ws;
        }, 10000, `the upgrade of ${sid} in the balancer's log`);
        const ownerUpstream = `127.0.0.1:${nodes.find((n) => n.name === ownerName).port}`;
        tried.push({ owner: ownerUpstream, upgrade: upgrade.upstream });
        if (upgrade.upstream !== ownerUpstream) return;
      }
      assert.fail(`no upgrade landed on a non-owner: ${JSON.stringify(tried)}`);
    });

    test('a client closing its session through the balancer disconnects it on the owner', async () => {
      const observer = await clients.socket(lb.url, '/', { transports: ['polling'] });
      await ack(observer, 'observe');
      const s = await clients.socket(lb.url, '/');
      await upgradedIfWebSocket(s);
      const id = s.id;
      s.disconnect();
      const [report] = await observer.box.next('disconnected', (r) => r.id === id, 10000);
      assert.equal(report.reason, 'client namespace disconnect');
    });
  });
}

// Last: it kills a node of the shared cluster.
describe('when nodes go away', () => {
  let lb;
  // The nodes the balancer sends to (a health check would drop a dead node).
  let alive = [];
  const clients = pool();
  after(async () => { clients.closeAll(); if (lb) await lb.stop(); });

  test('survivors answer its sids as unknown, its clients reconnect to a live node, and sessions not passing through it go on', async () => {
    alive = nodes.map((n) => n.port);
    // The balancer stops sending to a dead node, as a health check would: what remains is forwarding to it.
    lb = await startRoundRobinProxy(() => alive);
    const opts = { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 500 };
    const sessions = [];
    for (let i = 0; i < 12; i++) {
      // Shift the round-robin, so that the sessions' requests do not always fall on the same nodes.
      for (let k = 0; k < i % 3; k++) await (await fetch(`${lb.url}/cluster/members`)).text();
      const s = await clients.socket(lb.url, '/', i % 2 === 0 ? { ...opts, transports: ['polling'] } : opts);
      await upgradedIfWebSocket(s);
      const sid = s.io.engine.id;
      s.on('disconnect', () => { s.dropped = true; });
      const upgrade = lb.requestsOf(sid).find((r) => r.transport === 'websocket');
      sessions.push(Object.assign(s, { sid, owner: await ack(s, 'server:node'), through: upgrade && upgrade.upstream }));
    }
    // The victim: a node owning some of these sessions while another node owns a WebSocket session that does not pass
    // through it (a polling session, or a WebSocket relayed through it, has requests on it and may break with it).
    const upstreamOf = (node) => `127.0.0.1:${node.port}`;
    const victim = nodes.find((v) => sessions.some((s) => s.owner === v.name)
      && sessions.some((s) => s.owner !== v.name && s.through && s.through !== upstreamOf(v)));
    assert.ok(victim, `sessions: ${JSON.stringify(sessions.map((s) => [s.owner, s.through]))}`);
    const orphans = sessions.filter((s) => s.owner === victim.name);
    const survivor = sessions.find((s) => s.owner !== victim.name && s.through && s.through !== upstreamOf(victim));
    const survivorId = survivor.id;

    await kill9(victim);
    alive = nodes.filter((n) => n !== victim).map((n) => n.port);
    // A survivor asked about the dead owner's session answers as the reference does for an unknown sid (at the latest
    // once the owner is unreachable, about 1.5 s), so that its client reconnects.
    for (const n of nodes.filter((x) => x !== victim)) {
      const answer = await withTimeout(fetch(`${n.url}/socket.io/?EIO=4&transport=polling&sid=${orphans[0].sid}`), 10000, 'the answer about a dead owner\'s sid');
      assert.equal(answer.status, 400);
      assert.equal(await answer.text(), '{"code":1,"message":"Session ID unknown"}');
    }
    for (const s of orphans) {
      await eventually(() => s.dropped && s.connected && s.io.engine.id !== s.sid, 15000, 'the orphan to reconnect with a new session');
      assert.notEqual(await ack(s, 'server:node'), victim.name);
      assert.deepEqual(await ack(s, 'echo', 'back'), 'back');
    }
    assert.deepEqual(await ack(survivor, 'echo', 'still here'), 'still here');
    assert.equal(survivor.id, survivorId);
    assert.ok(!survivor.dropped, 'the survivor kept its connection');
  });

  test('a node shutting down (SIGTERM) closes the WebSockets it relays for the other node at once; their clients reconnect', async (t) => {
    const live = nodes.filter((n) => n.proc.exitCode === null && n.proc.signalCode === null);
    assert.equal(live.length, 2);
    // The killed node must be downed and removed first: until then the cluster has no convergence, and a leave waits.
    await eventually(async () => {
      const views = await Promise.all(live.map(async (n) => (await fetch(`${n.url}/cluster/members`)).json()));
      return views.every((v) => v.members.length === 2 && v.members.every((m) => m.status === 'Up' && m.reachable));
    }, 30000, 'the two live nodes to be the whole cluster', 250);
    const opts = { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 500 };
    // A WebSocket session owned by one node, relayed through the other (the entry), which is then stopped.
    const balancer = await startRoundRobinProxy(() => alive, { randomUpgrades: true });
    t.after(() => balancer.stop());
    let relayed;
    for (let i = 0; i < 20 && !relayed; i++) {
      const s = await clients.socket(balancer.url, '/', opts);
      await upgraded(s);
      const ownerName = await ack(s, 'server:node');
      const upgrade = balancer.requestsOf(s.io.engine.id).find((r) => r.transport === 'websocket');
      const entry = live.find((n) => `127.0.0.1:${n.port}` === upgrade.upstream);
      if (entry.name !== ownerName) relayed = { s, entry, owner: live.find((n) => n.name === ownerName) };
    }
    assert.ok(relayed, 'an upgrade relayed through the other node');
    const { s, entry, owner } = relayed;
    const sid = s.io.engine.id;
    const seen = [];
    s.on('disconnect', (reason) => { s.dropped = true; seen.push(`disconnect ${reason}`); });
    s.io.on('reconnect_attempt', (n) => seen.push(`attempt ${n}`));
    s.io.on('reconnect_error', (e) => seen.push(`error ${e.message}`));
    s.on('connect_error', (e) => seen.push(`connect_error ${e.message}`));
    const stopping = Date.now();
    alive = [owner.port];
    const exited = withTimeout(terminate(entry), 25000, 'the entry node to exit');
    // Its relays are closed before it leaves the cluster: the client notices within moments, not after Kestrel's
    // shutdown timeout, and its reconnection lands on the owner (the only node left).
    await eventually(() => s.dropped, 5000, 'the relayed socket to be closed', 20);
    // About 0.1 s here; without closing the relays first, about 4 s (once the owner saw the entry leave).
    assert.ok(Date.now() - stopping < 2000, `closed after ${Date.now() - stopping} ms`);
    const { code, at } = await exited;
    assert.equal(code, 0);
    // Nothing it forwards holds its shutdown (a GET held on the owner is answered unknown sid at once).
    assert.ok(at - stopping < 15000, `exited after ${at - stopping} ms`);
    await eventually(() => s.connected && s.io.engine.id !== sid, 15000, 'the client to reconnect')
      .catch((e) => { throw new Error(`${e.message}; the client saw ${JSON.stringify(seen)}`); });
    assert.equal(await ack(s, 'server:node'), owner.name);
  });
});

/** Waits for the upgrade of a socket opened with the default transports. */
function upgradedIfWebSocket(s) {
  return (s.io.engine.transports || []).includes('websocket') ? upgraded(s) : Promise.resolve();
}
