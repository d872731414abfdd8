'use strict';
// The cluster end to end: real node processes joined as one Akka.Cluster (see lib/cluster.js) and
// socket.io-client 4.8 sockets connected to different nodes.
//  - three e2e fixture nodes (tests/SocketIo.E2E.Server --config cluster.hocon): room fan-out, except, broadcast
//    acks gathered across nodes, fetchSockets / socketsJoin / disconnectSockets of sockets on other nodes,
//    serverSideEmit;
//  - two host nodes with the demo app (src/Node --config cluster.hocon): cluster-wide chat usernames and newmsg,
//    the counter counting cluster-wide.
// Each group runs in a cluster of its own (unique cluster name) so no broadcast crosses between them or runs.
const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { E2E_DLL } = require('./lib/server');
const serverLib = require('./lib/server');
const {
  uniqueClusterName, namesOf, startCluster, stopAll, eventually, clientPool, connected, ack, inbox, withTimeout, ACK_MS,
} = require('./lib/cluster');

const HOST_DLL = process.env.SOCKETIO_NODE_DLL || require('node:path').join(serverLib.ROOT, 'src', 'Node', 'bin', 'Release', 'net10.0', 'SocketIo.Node.dll');

/** Resolves with `socket` once it is connected and knows its node. */
async function on(pool, node, nsp = '/', opts = {}) {
  const s = pool.socket(node.url, nsp, opts);
  const box = inbox(s);
  await connected(s);
  return Object.assign(s, { box });
}

/** A unique scratch namespace of the fixture (/t-xxx), so tests do not see each other's sockets. */
let scratch = 0;
const nsp = () => `/t-${process.pid.toString(36)}${(scratch++).toString(36)}`;

describe('cluster: three fixture nodes', () => {
  let nodes = [];
  let A; let B; let C;
  const pool = clientPool();

  before(async () => {
    nodes = await startCluster({ clusterName: uniqueClusterName('e2e-fix'), names: ['fix-a', 'fix-b', 'fix-c'], dll: E2E_DLL });
    [A, B, C] = nodes;
    // Requests wait for the members a node knows: let every node see the two others first.
    const probes = await Promise.all(nodes.map((n) => on(pool, n)));
    await eventually(async () => {
      const seen = await Promise.all(probes.map((s) => ack(s, 'cluster:members')));
      return seen.every((m) => m.length === 2);
    }, 15000, 'every node to see the two others');
    pool.closeAll();
  });
  afterEach(() => pool.closeAll());
  after(async () => { pool.closeAll(); await stopAll(nodes); });

  test('each node answers with its own node id', async () => {
    const ids = await Promise.all(nodes.map(async (n) => ack(await on(pool, n), 'server:node')));
    assert.deepEqual(ids, ['fix-a', 'fix-b', 'fix-c']);
  });

  test('a room broadcast from node C reaches the room members on nodes A and B, and nobody else', async () => {
    const ns = nsp();
    const [a, b, c, other] = await Promise.all([on(pool, A, ns), on(pool, B, ns), on(pool, C, ns), on(pool, B, ns)]);
    await Promise.all([ack(a, 'join', 'r1'), ack(b, 'join', 'r1')]);
    await ack(c, 'broadcast', { to: ['r1'], event: 'room-msg', args: ['hello', { n: 1 }] });
    assert.deepEqual(await a.box.next('room-msg'), ['hello', { n: 1 }]);
    assert.deepEqual(await b.box.next('room-msg'), ['hello', { n: 1 }]);
    // A broadcast to everyone sent after it: once it arrived, the room message would have too (per-origin order).
    await ack(c, 'broadcast', { event: 'marker' });
    await Promise.all([other.box.next('marker'), c.box.next('marker')]);
    assert.equal(other.box.of('room-msg').length, 0);
    assert.equal(c.box.of('room-msg').length, 0);
  });

  test('except: a broadcast to a room skips the members of the excepted room on every node', async () => {
    const ns = nsp();
    const [a, b, b2, c] = await Promise.all([on(pool, A, ns), on(pool, B, ns), on(pool, B, ns), on(pool, C, ns)]);
    await Promise.all([ack(a, 'join', 'r2'), ack(b, 'join', 'r2', 'vip'), ack(b2, 'join', 'r2'), ack(c, 'join', 'r2', 'vip')]);
    await ack(a, 'broadcast', { to: ['r2'], except: ['vip'], event: 'not-vip', args: [1] });
    await ack(a, 'broadcast', { event: 'marker' });
    await Promise.all([a, b, b2, c].map((s) => s.box.next('marker')));
    assert.deepEqual([a, b, b2, c].map((s) => s.box.of('not-vip').length), [1, 0, 1, 0]);
    // socket.broadcast (from: "socket") excludes the sender only, on every node.
    await ack(b, 'broadcast', { from: 'socket', to: ['r2'], event: 'from-b' });
    await ack(b, 'broadcast', { event: 'marker2' });
    await Promise.all([a, b, b2, c].map((s) => s.box.next('marker2')));
    assert.deepEqual([a, b, b2, c].map((s) => s.box.of('from-b').length), [1, 0, 1, 1]);
  });

  test('a broadcast with ack gathers the answers of clients on every node', async () => {
    const ns = nsp();
    const clients = await Promise.all([on(pool, A, ns), on(pool, B, ns), on(pool, C, ns), on(pool, C, ns)]);
    clients.forEach((s, i) => s.on('question', (q, cb) => cb(`${q}:${i}`)));
    const result = await ack(clients[0], 'broadcast:ack', { event: 'question', args: ['q'], timeout: 4000 });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.responses.sort(), ['q:0', 'q:1', 'q:2', 'q:3']);
  });

  test('a broadcast with ack that times out lists the answers that came, from every node', async () => {
    const ns = nsp();
    const [a, b, c, silent] = await Promise.all([on(pool, A, ns), on(pool, B, ns), on(pool, C, ns), on(pool, C, ns)]);
    [a, b, c].forEach((s, i) => s.on('question', (q, cb) => cb(i)));
    silent.on('question', () => { /* never answers */ });
    const result = await ack(a, 'broadcast:ack', { event: 'question', args: ['q'], timeout: 1000 });
    assert.equal(result.ok, false);
    assert.equal(result.expected, 4);
    assert.deepEqual(result.responses.sort(), [0, 1, 2]);
  });

  test('fetchSockets from node A lists the sockets of B and C with their rooms and data', async () => {
    const ns = nsp();
    const [a, b, c] = await Promise.all([on(pool, A, ns), on(pool, B, ns, { auth: { user: 'bob' } }), on(pool, C, ns)]);
    await ack(b, 'join', 'team');
    await ack(b, 'set:data', { role: 'admin' });
    const all = await ack(a, 'fetchSockets', {});
    assert.deepEqual(all.map((s) => s.id).sort(), [a.id, b.id, c.id].sort());
    const team = await ack(a, 'fetchSockets', { to: ['team'] });
    assert.equal(team.length, 1);
    assert.equal(team[0].id, b.id);
    assert.deepEqual(team[0].rooms, [b.id, 'team'].sort());
    assert.deepEqual(team[0].data, { role: 'admin' });
    assert.deepEqual(team[0].auth, { user: 'bob' });
    // A RemoteSocket's emit reaches the socket on its node.
    assert.equal(await ack(a, 'fetchSockets:emit', { to: ['team'], event: 'direct', args: ['to-bob'] }), 1);
    assert.deepEqual(await b.box.next('direct'), ['to-bob']);
  });

  test('socketsJoin and disconnectSockets act on a socket on another node', async () => {
    const ns = nsp();
    const [a, b, c] = await Promise.all([on(pool, A, ns), on(pool, B, ns), on(pool, C, ns)]);
    await ack(a, 'socketsJoin', { to: [b.id], rooms: ['joined'] });
    assert.deepEqual(await ack(b, 'rooms'), [b.id, 'joined'].sort());
    await ack(c, 'broadcast', { to: ['joined'], event: 'in-joined' });
    assert.deepEqual(await b.box.next('in-joined'), []);

    const reason = new Promise((resolve) => b.once('disconnect', resolve));
    await ack(a, 'disconnectSockets', { to: [b.id] });
    assert.equal(await reason, 'io server disconnect');
    // c, on a third node, is untouched.
    assert.equal(c.connected, true);
    assert.deepEqual((await ack(a, 'fetchSockets', {})).map((s) => s.id).sort(), [a.id, c.id].sort());
  });

  test('serverSideEmit reaches the other nodes (not the sender), and with ack gathers one answer per node', async () => {
    const [a, b, c] = await Promise.all([on(pool, A), on(pool, B), on(pool, C)]);
    await ack(a, 'serverSideEmit', { event: 'sse', args: ['ping', 1] });
    assert.deepEqual(await b.box.next('sse:received'), [{ node: 'fix-b', args: ['ping', 1] }]);
    assert.deepEqual(await c.box.next('sse:received'), [{ node: 'fix-c', args: ['ping', 1] }]);
    const result = await ack(a, 'serverSideEmit', { event: 'sse', args: ['with-ack'], ack: true });
    assert.equal(result.ok, true);
    assert.deepEqual(result.responses.map((r) => r.node).sort(), ['fix-b', 'fix-c']);
    assert.equal(a.box.of('sse:received').length, 0);
  });
});

describe('cluster: the demo app on two host nodes', () => {
  let nodes = [];
  let D1; let D2;
  const pool = clientPool();

  before(async () => {
    nodes = await startCluster({
      clusterName: uniqueClusterName('e2e-demo'), names: ['demo-1', 'demo-2'], dll: HOST_DLL, args: ['--log-level', 'Warning'],
    });
    [D1, D2] = nodes;
  });
  afterEach(() => pool.closeAll());
  after(async () => { pool.closeAll(); await stopAll(nodes); });

  /** Emits setUsername(name); resolves with ['userSet', payload] or ['userExists', text], whichever answers it. */
  function claim(s, name, ms = 8000) {
    let done;
    return withTimeout(new Promise((resolve) => {
      // userSet carries the name itself, as seed 002's server sends it.
      const onSet = (p) => { if (p === name) { done(); resolve(['userSet', p]); } };
      const onExists = (t) => { if (typeof t === 'string' && t.startsWith(`${name} `)) { done(); resolve(['userExists', t]); } };
      done = () => { s.off('userSet', onSet); s.off('userExists', onExists); };
      s.on('userSet', onSet);
      s.on('userExists', onExists);
      s.emit('setUsername', name);
    }), ms, `the answer to setUsername(${name})`).finally(() => done());
  }

  test('chat: two users on different nodes racing for one name, exactly one wins; newmsg reaches every node', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const names = [0, 1, 2, 3, 4].map((i) => `Racer${i}-${tag}`);
    const left = await Promise.all(names.map(() => on(pool, D1)));
    const right = await Promise.all(names.map(() => on(pool, D2)));
    // Each pair emits at once, the second one in another case: names compare case-insensitively.
    const answers = await Promise.all(names.map((name, i) => Promise.all([claim(left[i], name), claim(right[i], name.toLowerCase())])));
    for (const [x, y] of answers) {
      assert.deepEqual([x[0], y[0]].sort(), ['userExists', 'userSet'], JSON.stringify([x, y]));
    }

    // newmsg: from a user on node 1 to every user on both nodes.
    const everyone = [...left, ...right];
    left[0].emit('msg', { message: `hi-${tag}`, user: names[0] });
    for (const s of everyone) assert.deepEqual(await s.box.next('newmsg', (m) => m.message === `hi-${tag}`), [{ message: `hi-${tag}`, user: names[0] }]);

    // The winner of pair 0 disconnects: the name is free again for the loser, on the other node.
    const [x] = answers[0];
    const winner = x[0] === 'userSet' ? left[0] : right[0];
    const loser = winner === left[0] ? right[0] : left[0];
    const loserName = winner === left[0] ? names[0].toLowerCase() : names[0];
    winner.disconnect();
    await eventually(async () => (await claim(loser, loserName))[0] === 'userSet', 10000, 'the released name to be free on the other node', 200);
  });

  test('chat: a socket holds one name; claiming another frees the first, across nodes', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const [a, b] = await Promise.all([on(pool, D1), on(pool, D2)]);
    assert.deepEqual(await claim(a, `first-${tag}`), ['userSet', `first-${tag}`]);
    assert.equal((await claim(b, `FIRST-${tag}`))[0], 'userExists');
    assert.equal((await claim(a, `second-${tag}`))[0], 'userSet');
    // The release is told after the new claim's answer: it may still be on its way.
    await eventually(async () => (await claim(b, `FIRST-${tag}`))[0] === 'userSet', 10000, 'the first name to be freed', 200);
  });

  test('counter: increments on both nodes count once, cluster-wide; a new client gets the current count', async () => {
    const [a, b] = await Promise.all([on(pool, D1), on(pool, D2)]);
    const [start] = await a.box.next('countUpdated', () => true, ACK_MS);
    const [startB] = await b.box.next('countUpdated', () => true, ACK_MS);
    assert.equal(startB, start);
    a.emit('increment');
    b.emit('increment');
    b.emit('increment');
    await a.box.next('countUpdated', (n) => n === start + 3);
    await b.box.next('countUpdated', (n) => n === start + 3);
    // Never goes back at a socket: the counts leave the entity's node in order.
    for (const box of [a.box, b.box]) {
      const seen = box.of('countUpdated').map(([n]) => n);
      assert.deepEqual(seen, [...seen].sort((x, y) => x - y));
    }
    const c = await on(pool, D2);
    assert.deepEqual(await c.box.next('countUpdated'), [start + 3]);
  });
});
