'use strict';
// The cluster end to end with socket.io-client 2.3.1 (Engine.IO v3, Socket.IO protocol v4) next to 4.8, the clients
// on different nodes of one Akka.Cluster (real node processes, lib/cluster.js):
//  - three e2e fixture nodes: room fan-out in order, except, broadcast acks answered by 2.x clients, fetchSockets and
//    disconnectSockets of a 2.x socket on another node, serverSideEmit reaching a 2.x client;
//  - two host nodes with the demo app: the chat's cluster-wide unique names and the counter, 2.x on one node and 4.8
//    on the other.
// tests/js/cluster.test.js runs the same operations with 4.8 clients only.
const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const ioV2 = require('socket.io-client-v2');
const serverLib = require('./lib/server');
const {
  uniqueClusterName, startCluster, stopAll, eventually, clientPool, connected, ack, inbox, withTimeout, sequenceCheck, ACK_MS,
} = require('./lib/cluster');
const { setUsername } = require('./lib/clients');

const HOST_DLL = process.env.SOCKETIO_NODE_DLL || path.join(serverLib.ROOT, 'src', 'Node', 'bin', 'Release', 'net10.0', 'SocketIo.Node.dll');

/**
 * socket.io-client 2.3.1 sockets (own connection each, no reconnection), with an inbox like lib/clients.js's:
 * 2.x has no onAny, so every event packet is recorded where the client dispatches it (Socket#onevent).
 */
function v2Pool() {
  const opened = [];
  return {
    async socket(url, nsp = '/', transports = ['websocket']) {
      const s = ioV2(url + nsp, { forceNew: true, reconnection: false, transports });
      opened.push(s);
      const events = [];
      const dispatch = s.onevent;
      s.onevent = function onevent(packet) {
        events.push({ event: packet.data[0], args: packet.data.slice(1).filter((a) => typeof a !== 'function') });
        dispatch.call(this, packet);
      };
      s.box = {
        of: (event) => events.filter((e) => e.event === event).map((e) => e.args),
        next: (event, pred = () => true, ms = ACK_MS) => eventually(() => {
          const hit = events.find((e) => e.event === event && pred(...e.args));
          return hit && hit.args;
        }, ms, `'${event}' on a 2.x socket of ${nsp} (got ${JSON.stringify(events.map((e) => e.event))})`, 20),
      };
      await withTimeout(new Promise((resolve, reject) => {
        s.once('connect', resolve);
        s.once('connect_error', (err) => reject(new Error(`connect_error: ${err && err.message}`)));
        s.once('error', (err) => reject(new Error(`error: ${JSON.stringify(err)}`)));
      }), ACK_MS, `a 2.x socket connecting to ${nsp}`);
      return s;
    },
    closeAll() {
      for (const s of opened.splice(0)) {
        try { s.close(); } catch { /* already closed */ }
      }
    },
  };
}

/** Emits `event` with an ack callback from a 2.x socket; resolves with the ack's first argument. */
function ackV2(socket, event, ...args) {
  return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (first) => resolve(first))), ACK_MS, `the ack of '${event}' (2.x)`);
}

let scratch = 0;
const nsp = () => `/t-v2${process.pid.toString(36)}${(scratch++).toString(36)}`;

describe('cluster: socket.io-client 2.3.1 and 4.8 on three fixture nodes', () => {
  let nodes = [];
  let A; let B; let C;
  const pool = clientPool();
  const pool2 = v2Pool();

  before(async () => {
    nodes = await startCluster({ clusterName: uniqueClusterName('e2e-v2'), names: ['v2-a', 'v2-b', 'v2-c'] });
    [A, B, C] = nodes;
    // Requests wait for the members a node knows: let every node see the two others first.
    const probes = await Promise.all(nodes.map(async (n) => connected(pool.socket(n.url))));
    await eventually(async () => {
      const seen = await Promise.all(probes.map((s) => ack(s, 'cluster:members')));
      return seen.every((m) => m.length === 2);
    }, 15000, 'every node to see the two others');
    pool.closeAll();
  });
  afterEach(() => { pool.closeAll(); pool2.closeAll(); });
  after(async () => { pool.closeAll(); pool2.closeAll(); await stopAll(nodes); });

  /** A 4.8 socket on `node`, connected, with an inbox. */
  async function v4(node, ns) {
    const s = pool.socket(node.url, ns);
    const box = inbox(s);
    await connected(s);
    return Object.assign(s, { box });
  }

  test('room fan-out from a 4.8 client on A reaches 2.x clients on B (websocket) and C (polling) in order; except skips on every node', async () => {
    const ns = nsp();
    const a = await v4(A, ns);
    const [b, c, cVip] = await Promise.all([pool2.socket(B.url, ns), pool2.socket(C.url, ns, ['polling']), pool2.socket(C.url, ns)]);
    assert.ok((await ackV2(b, 'join', 'r')).includes('r'));
    await ackV2(c, 'join', 'r');
    await ackV2(cVip, 'join', 'r', 'vip');

    const count = 40;
    for (let n = 0; n < count; n++) a.emit('broadcast', { to: ['r'], except: ['vip'], event: 'seq', args: [n] });
    await ack(a, 'broadcast', { event: 'marker' });
    await Promise.all([b, c, cVip].map((s) => s.box.next('marker')));
    for (const s of [b, c]) {
      const got = s.box.of('seq').map(([n]) => n);
      assert.deepEqual(sequenceCheck(got, 0, count - 1), { lost: [], duplicated: [], outOfOrder: 0 }, JSON.stringify(got));
      assert.equal(got.length, count);
    }
    assert.equal(cVip.box.of('seq').length, 0, 'the excepted room got nothing');
    assert.equal(a.box.of('seq').length, 0, 'the sender is not in the room');
  });

  test('a broadcast with ack from A gathers the answers of 2.x clients on B and C', async () => {
    const ns = nsp();
    const a = await v4(A, ns);
    const [b, c] = await Promise.all([pool2.socket(B.url, ns), pool2.socket(C.url, ns, ['polling'])]);
    b.on('question', (q, cb) => cb(`${q}:b`));
    c.on('question', (q, cb) => cb(`${q}:c`));
    a.on('question', (q, cb) => cb(`${q}:a`));
    const result = await ack(a, 'broadcast:ack', { event: 'question', args: ['q'], timeout: 4000 });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.responses.sort(), ['q:a', 'q:b', 'q:c']);
  });

  test('fetchSockets and disconnectSockets from A act on a 2.x socket on B; a 2.x socket on C is untouched', async () => {
    const ns = nsp();
    const a = await v4(A, ns);
    const [b, c] = await Promise.all([pool2.socket(B.url, ns), pool2.socket(C.url, ns)]);
    await ackV2(b, 'join', 'v2-target');
    const found = await ack(a, 'fetchSockets', { to: ['v2-target'] });
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.ok(found[0].rooms.includes('v2-target'), JSON.stringify(found[0].rooms));
    assert.equal(await ack(a, 'fetchSockets:emit', { to: ['v2-target'], event: 'direct', args: ['to-b'] }), 1);
    assert.deepEqual(await b.box.next('direct'), ['to-b']);

    const reason = withTimeout(new Promise((resolve) => b.once('disconnect', resolve)), ACK_MS, 'the 2.x socket on B to be disconnected');
    await ack(a, 'disconnectSockets', { to: ['v2-target'] });
    assert.equal(await reason, 'io server disconnect');
    assert.equal(c.connected, true);
    assert.equal((await ack(a, 'fetchSockets', {})).length, 2, 'a and c remain');
  });

  test('serverSideEmit from A reaches the 2.x clients on B and C', async () => {
    const a = await v4(A, '/');
    const [b, c] = await Promise.all([pool2.socket(B.url, '/'), pool2.socket(C.url, '/', ['polling'])]);
    await ack(a, 'serverSideEmit', { event: 'sse', args: ['to-v2', 2] });
    assert.deepEqual(await b.box.next('sse:received'), [{ node: 'v2-b', args: ['to-v2', 2] }]);
    assert.deepEqual(await c.box.next('sse:received'), [{ node: 'v2-c', args: ['to-v2', 2] }]);
  });
});

describe('cluster: the demo app with socket.io-client 2.3.1 on one node and 4.8 on the other', () => {
  let nodes = [];
  let D1; let D2;
  const pool = clientPool();
  const pool2 = v2Pool();

  before(async () => {
    nodes = await startCluster({
      clusterName: uniqueClusterName('e2e-v2demo'), names: ['v2demo-1', 'v2demo-2'], dll: HOST_DLL, args: ['--log-level', 'Warning'],
    });
    [D1, D2] = nodes;
  });
  afterEach(() => { pool.closeAll(); pool2.closeAll(); });
  after(async () => { pool.closeAll(); pool2.closeAll(); await stopAll(nodes); });

  test('chat: a name taken by a 2.x user on node 1 is taken for a 4.8 user on node 2 (any case); newmsg reaches both', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const old = await pool2.socket(D1.url, '/', ['polling']);
    const neu = pool.socket(D2.url);
    const neuBox = inbox(neu);
    await connected(neu);
    assert.deepEqual(await setUsername(old, `Ada-${tag}`), ['userSet', `Ada-${tag}`]);
    const [event, text] = await setUsername(neu, `ADA-${tag}`);
    assert.equal(event, 'userExists');
    assert.equal(text, `ADA-${tag} username is taken! Try some other username.`);
    assert.deepEqual(await setUsername(neu, `Bob-${tag}`), ['userSet', `Bob-${tag}`]);

    old.emit('msg', { message: `hi-${tag}`, user: `Ada-${tag}` });
    const expected = [{ message: `hi-${tag}`, user: `Ada-${tag}` }];
    assert.deepEqual(await old.box.next('newmsg', (m) => m.message === `hi-${tag}`), expected);
    assert.deepEqual(await neuBox.next('newmsg', (m) => m.message === `hi-${tag}`), expected);
  });

  test('counter: a 2.x client on node 1 and a 4.8 client on node 2 count cluster-wide, in order', async () => {
    const old = await pool2.socket(D1.url, '/', ['websocket']);
    const neu = pool.socket(D2.url);
    const neuBox = inbox(neu);
    await connected(neu);
    const [start] = await neuBox.next('countUpdated');
    old.emit('increment');
    neu.emit('increment');
    await neuBox.next('countUpdated', (n) => n === start + 2);
    await old.box.next('countUpdated', (n) => n === start + 2);
    const seen = neuBox.of('countUpdated').map(([n]) => n);
    assert.deepEqual(seen, [...seen].sort((x, y) => x - y));
  });
});
