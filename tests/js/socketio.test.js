'use strict';
// Socket.IO end to end with the real socket.io-client 4.8 (and raw Engine.IO WebSocket frames where the
// wire matters) against the fixture server tests/SocketIo.E2E.Server (see its Fixture.cs for the command
// set each socket understands), then the demo and conformance apps of the SocketIo.Node host.
const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { io, Manager } = require('socket.io-client');
// The WebSocket implementation engine.io-client itself uses in Node (its `ws` dependency).
const WebSocket = require('ws');
const { startServer, once, withTimeout, E2E_DLL } = require('./lib/server');
const { inbox } = require('./lib/clients');

const ACK_MS = 5000;

/** Opens clients that never reconnect, and closes every one of them in `closeAll()`. */
function clients(baseUrl) {
  const opened = [];
  return {
    /** A socket on its own connection (forceNew) to `nsp`; websocket only unless `opts.transports` says otherwise. */
    socket(nsp = '/', opts = {}) {
      const s = io(baseUrl() + nsp, { forceNew: true, reconnection: false, transports: ['websocket'], ...opts });
      opened.push(s.io);
      return s;
    },
    /** A Manager (one connection) for several namespaces. */
    manager(opts = {}) {
      const m = new Manager(baseUrl(), { reconnection: false, transports: ['websocket'], ...opts });
      opened.push(m);
      return m;
    },
    raw(path = '/socket.io/') {
      const r = rawClient(baseUrl().replace(/^http/, 'ws') + path + '?EIO=4&transport=websocket');
      opened.push({ _close: () => r.ws.terminate() });
      return r;
    },
    closeAll() {
      for (const m of opened.splice(0)) {
        try { m._close(); } catch { /* already closed */ }
      }
    },
  };
}

/** Resolves once `socket` is connected (with its welcome event recorded by its inbox, if any). */
async function connected(socket, ms = ACK_MS) {
  if (socket.connected) return socket;
  const result = await withTimeout(new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(new Error(`connect_error: ${err.message}`)));
  }), ms, `connect to ${socket.nsp}`);
  return result;
}

/** Resolves with the connect_error of `socket` (rejects if it connects instead). */
function connectError(socket, ms = ACK_MS) {
  return withTimeout(new Promise((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error(`${socket.nsp} connected, a connect_error was expected`)));
  }), ms, `connect_error on ${socket.nsp}`);
}

/** `socket.emitWithAck` with a client-side timeout: resolves with the first ack argument. */
function ack(socket, event, ...args) {
  return socket.timeout(ACK_MS).emitWithAck(event, ...args);
}

/**
 * A socket on `/` in the fixture's "observers" room: the server reports there every disconnect as
 * `disconnected { id, nsp, reason, rooms }`. `reasonOf(id)` resolves with that report.
 */
async function observer(c) {
  const s = c.socket('/');
  const box = inbox(s);
  await connected(s);
  await ack(s, 'observe');
  return {
    socket: s,
    reportOf: async (id, ms = ACK_MS) => (await box.next('disconnected', (info) => info.id === id, ms))[0],
    reports: () => box.of('disconnected').map((a) => a[0]),
  };
}

/** A raw Engine.IO v4 WebSocket client: frames as strings (text) or Buffers (binary), in order. */
function rawClient(url) {
  const ws = new WebSocket(url);
  const frames = [];
  let waiters = [];
  let closed = null;
  const wake = () => { const w = waiters; waiters = []; for (const f of w) f(); };
  ws.on('message', (data, isBinary) => { frames.push(isBinary ? Buffer.from(data) : data.toString()); wake(); });
  ws.on('close', (code) => { closed = { code }; wake(); });
  ws.on('error', () => { /* reported through close */ });
  const wait = async (check, ms, what) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = check();
      if (v !== undefined) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}; frames ${JSON.stringify(frames.map(String))}`);
      await new Promise((resolve) => { const t = setTimeout(resolve, left); waiters.push(() => { clearTimeout(t); resolve(); }); });
    }
  };
  return {
    ws,
    frames,
    send: (frame) => ws.send(frame),
    opened: () => once(ws, 'open'),
    /** Resolves with the first frame matching `pred`, now or later. */
    frame: (pred, ms = ACK_MS, what = 'a frame') => wait(() => frames.find((f) => typeof f === 'string' && pred(f)), ms, what),
    /** Resolves with { code } once the server closed the socket. */
    closed: (ms = ACK_MS) => wait(() => closed ?? undefined, ms, 'close'),
    isClosed: () => closed !== null,
  };
}


/** A fresh scratch namespace name served by the fixture (/t-xxx). */
const scratch = () => `/t-${Math.random().toString(36).slice(2, 10)}`;

// ---------------------------------------------------------------------------------------------

const hex = (...bytes) => Buffer.from(bytes);
const sortById = (list) => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('socket.io-client 4.8 against the e2e fixture', () => {
  let server;
  const c = clients(() => server.url);
  before(async () => { server = await startServer([], { dll: E2E_DLL }); });
  after(async () => { c.closeAll(); await server?.stop(); });
  afterEach(() => c.closeAll());

  // --- connect and disconnect reasons ---------------------------------------------------------------

  test('client socket.disconnect(): client sees "io client disconnect", server "client namespace disconnect" with its rooms', async () => {
    const obs = await observer(c);
    const s = await connected(c.socket('/'));
    const id = s.id; // the client forgets its id once disconnected
    assert.deepEqual(await ack(s, 'join', 'r1'), [id, 'r1'].sort());
    const closed = once(s, 'disconnect');
    s.disconnect();
    assert.deepEqual(await closed, ['io client disconnect', undefined]);
    assert.deepEqual(await obs.reportOf(id), { id, nsp: '/', reason: 'client namespace disconnect', rooms: [id, 'r1'].sort() });
  });

  test('server socket.Disconnect(): client sees "io server disconnect", server "server namespace disconnect", the connection stays', async () => {
    const obs = await observer(c);
    const m = c.manager();
    const main = m.socket('/');
    const orders = m.socket('/orders');
    await Promise.all([connected(main), connected(orders)]);
    const id = orders.id;
    const closed = once(orders, 'disconnect');
    orders.emit('server:disconnect', false);
    assert.deepEqual(await closed, ['io server disconnect', undefined]);
    assert.deepEqual(await obs.reportOf(id), { id, nsp: '/orders', reason: 'server namespace disconnect', rooms: [id] });
    // The other namespace of the same connection is untouched.
    assert.equal(await ack(main, 'echo', 'still here'), 'still here');
    assert.equal(main.connected, true);
    assert.equal(m.engine.readyState, 'open');
  });

  test('server Disconnect(true): every namespace of the connection gets DISCONNECT, then the server closes the connection', async () => {
    const obs = await observer(c);
    const raw = c.raw();
    await raw.opened();
    const open = JSON.parse((await raw.frame((f) => f.startsWith('0{'))).slice(1));
    assert.deepEqual(Object.keys(open).sort(), ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades']);
    assert.deepEqual(open.upgrades, []);
    raw.send('40');
    const mainSid = JSON.parse((await raw.frame((f) => f.startsWith('40{'))).slice(2)).sid;
    raw.send('40/orders,{"k":1}');
    const ordersSid = JSON.parse((await raw.frame((f) => f.startsWith('40/orders,{'))).slice('40/orders,'.length)).sid;
    assert.equal(await raw.frame((f) => f.startsWith('42/orders,["welcome"')), `42/orders,["welcome",{"nsp":"/orders","id":"${ordersSid}"}]`);
    raw.send('42/orders,["server:disconnect",true]');
    await raw.closed();
    const disconnects = raw.frames.filter((f) => typeof f === 'string' && f.startsWith('41'));
    assert.deepEqual(disconnects.sort(), ['41', '41/orders,']);
    assert.deepEqual((await obs.reportOf(mainSid)).reason, 'server namespace disconnect');
    assert.deepEqual((await obs.reportOf(ordersSid)).reason, 'server namespace disconnect');
  });

  for (const transport of ['websocket', 'polling']) {
    test(`server Disconnect(true) seen by socket.io-client over ${transport}: both namespaces get "io server disconnect"`, async () => {
      const m = c.manager({ transports: [transport] });
      const main = m.socket('/');
      const orders = m.socket('/orders');
      await Promise.all([connected(main), connected(orders)]);
      const reasons = Promise.all([once(main, 'disconnect'), once(orders, 'disconnect')]);
      main.emit('server:disconnect', true);
      assert.deepEqual(await reasons, [['io server disconnect', undefined], ['io server disconnect', undefined]]);
    });
  }

  for (const transport of ['websocket', 'polling']) {
    test(`client closes the ${transport} transport: server sees "transport close"`, async () => {
      const obs = await observer(c);
      const s = await connected(c.socket('/', { transports: [transport] }));
      const id = s.id;
      assert.equal(s.io.engine.transport.name, transport);
      const closed = once(s, 'disconnect');
      s.io.engine.close(); // no DISCONNECT packet: the Engine.IO connection just goes away
      assert.equal((await closed)[0], 'forced close');
      assert.deepEqual(await obs.reportOf(id), { id, nsp: '/', reason: 'transport close', rooms: [id] });
    });
  }

  test('a client that stops answering pings: server sees "ping timeout" and closes the WebSocket', async () => {
    const obs = await observer(c);
    const raw = c.raw('/fast/');
    await raw.opened();
    const open = JSON.parse((await raw.frame((f) => f.startsWith('0{'))).slice(1));
    assert.equal(open.pingInterval, 200);
    assert.equal(open.pingTimeout, 300);
    raw.send('40');
    const sid = JSON.parse((await raw.frame((f) => f.startsWith('40{'))).slice(2)).sid;
    // Answer nothing: the server pings ("2"), waits pingTimeout, then gives up.
    await raw.frame((f) => f === '2', 5000, 'a ping');
    const report = await obs.reportOf(sid, 10000);
    assert.deepEqual(report, { id: sid, nsp: '/', reason: 'ping timeout', rooms: [sid] });
    await raw.closed();
  });

  test('a client that answers pings on the short heartbeat stays connected', async () => {
    const s = await connected(c.socket('/', { path: '/fast/' }));
    const pings = [];
    s.io.on('ping', () => pings.push(Date.now()));
    await withTimeout(new Promise((resolve) => { const check = () => (pings.length >= 3 ? resolve() : setTimeout(check, 50)); check(); }), 5000, '3 pings');
    assert.equal(s.connected, true);
    assert.equal(await ack(s, 'echo', 'alive'), 'alive');
  });

  // --- namespaces, handshake and middleware ---------------------------------------------------------

  test('one connection, several namespaces: a Manager multiplexes "/" and "/orders" with their own auth', async () => {
    const m = c.manager({ query: { conn: 'one' } });
    const main = m.socket('/');
    const orders = m.socket('/orders', { auth: { user: 'bob' } });
    const mainBox = inbox(main);
    const ordersBox = inbox(orders);
    await Promise.all([connected(main), connected(orders)]);
    assert.notEqual(main.id, orders.id);
    assert.deepEqual(await mainBox.next('welcome'), [{ nsp: '/', id: main.id }]);
    assert.deepEqual(await ordersBox.next('welcome'), [{ nsp: '/orders', id: orders.id }]);
    const [h1, h2] = await Promise.all([ack(main, 'server:handshake'), ack(orders, 'server:handshake')]);
    assert.deepEqual(h1.auth, {});
    assert.deepEqual(h2.auth, { user: 'bob' });
    // Same Engine.IO connection: the same request (query, url, time) behind both sockets.
    assert.equal(h1.query.conn, 'one');
    assert.equal(h1.url, h2.url);
    assert.equal(h1.issued, h2.issued);
    assert.deepEqual(h1.query, h2.query);
    assert.equal(main.io, orders.io);
    // An event goes to the namespace it was emitted on.
    assert.equal(await ack(orders, 'echo', 'o'), 'o');
    assert.deepEqual(await ack(orders, 'anyLog'), [['server:handshake'], ['echo', 'o'], ['anyLog']]);
    assert.deepEqual(await ack(main, 'anyLog'), [['server:handshake'], ['anyLog']]);
  });

  test('the handshake carries auth, query, headers and the address', async () => {
    const s = await connected(c.socket('/', {
      auth: { token: 'abc', nested: { n: 1, list: [true, null] } },
      query: { tag: 'q1' },
      extraHeaders: { 'x-test': 'yes' },
    }));
    const h = await ack(s, 'server:handshake');
    assert.deepEqual(h.auth, { token: 'abc', nested: { n: 1, list: [true, null] } });
    assert.equal(h.query.tag, 'q1');
    assert.equal(h.query.EIO, '4');
    assert.equal(h.query.transport, 'websocket');
    assert.equal(h.headers['x-test'], 'yes');
    assert.match(h.url, /^\/socket\.io\/\?/);
    assert.equal(h.address, '127.0.0.1');
    assert.equal(h.secure, false);
    assert.equal(h.xdomain, false);
    assert.ok(Math.abs(h.issued - Date.now()) < 60000, `issued ${h.issued}`);
  });

  test('connection middleware: connect_error carries message and data; the right token connects', async () => {
    const none = await connectError(c.socket('/secure'));
    assert.equal(none.message, 'not authorized');
    assert.deepEqual(none.data, { code: 401, reason: 'missing token' });
    const bad = await connectError(c.socket('/secure', { auth: { token: 'nope' } }));
    assert.equal(bad.message, 'not authorized');
    assert.deepEqual(bad.data, { code: 401, reason: 'bad token' });
    // next(error) style middleware, without data.
    const banned = await connectError(c.socket('/secure', { auth: { token: 'secret', banned: true } }));
    assert.equal(banned.message, 'banned');
    assert.equal(banned.data, undefined);
    const ok = await connected(c.socket('/secure', { auth: { token: 'secret', user: 'alice' } }));
    assert.deepEqual(await ack(ok, 'server:data'), { user: 'alice' });
  });

  test('a refused namespace leaves the other namespaces of the connection working', async () => {
    const m = c.manager();
    const main = m.socket('/');
    await connected(main);
    const secure = m.socket('/secure', { auth: { token: 'wrong' } });
    const err = await connectError(secure);
    assert.equal(err.message, 'not authorized');
    assert.equal(await ack(main, 'echo', 1), 1);
    // The refused socket may try again on the same connection with other credentials.
    secure.auth = { token: 'secret', user: 'carol' };
    secure.connect();
    await connected(secure);
    assert.deepEqual(await ack(secure, 'server:data'), { user: 'carol' });
    const [h1, h2] = await Promise.all([ack(main, 'server:handshake'), ack(secure, 'server:handshake')]);
    assert.equal(h1.issued, h2.issued);
    assert.equal(main.connected, true);
  });

  test('dynamic namespaces: a matching name creates a child on first connection, others get "Invalid namespace"', async () => {
    const ctl = await connected(c.socket('/'));
    const name = `/dyn-${Date.now() % 100000}`;
    assert.equal((await ack(ctl, 'dyn:children')).includes(name), false);
    assert.equal((await ack(ctl, 'namespaces')).includes(name), false);
    const child = c.socket(name);
    const box = inbox(child);
    await connected(child);
    assert.deepEqual(await box.next('welcome'), [{ nsp: name, id: child.id }]);
    assert.equal((await ack(ctl, 'dyn:children')).includes(name), true);
    assert.equal((await ack(ctl, 'namespaces')).includes(name), true);
    // A second client reuses the same child namespace.
    const again = await connected(c.socket(name));
    const found = await ack(ctl, 'fetchSockets', { nsp: name });
    assert.deepEqual(found.map((s) => s.id).sort(), [child.id, again.id].sort());

    const wrong = await connectError(c.socket('/dyn-abc'));
    assert.equal(wrong.message, 'Invalid namespace');
    const unknown = await connectError(c.socket('/nowhere'));
    assert.equal(unknown.message, 'Invalid namespace');
    assert.equal((await ack(ctl, 'namespaces')).includes('/dyn-abc'), false);
  });

  // --- events, binary and acks ------------------------------------------------------------------------

  test('events with 0, 1 and 5 arguments go both ways unchanged', async () => {
    const s = await connected(c.socket('/'));
    const box = inbox(s);
    const five = [1, 'two', { three: [3, { x: null }] }, [4, 4.5, -1e21], false];
    for (const args of [[], ['one'], five]) {
      assert.deepEqual(await ack(s, 'describe', ...args), args);
      s.emit('echo:emit', ...args);
    }
    s.emit('server:emit', 'custom', ...five);
    await box.next('custom');
    assert.deepEqual(box.of('echo'), [[], ['one'], five]);
    assert.deepEqual(box.of('custom'), [five]);
  });

  test('nested binary from the client (Buffer and Uint8Array in objects and arrays) arrives as binary', async () => {
    const s = await connected(c.socket('/'));
    const args = [
      Buffer.from([1, 2, 3]),
      { a: { b: new Uint8Array([4, 5]) }, list: [Buffer.from([6]), 'x', new Uint8Array([7, 8, 9])] },
      [new Uint8Array([0, 10, 11, 12]).subarray(1, 3), { empty: Buffer.alloc(0) }],
    ];
    assert.deepEqual(await ack(s, 'describe', ...args), [
      { $bin: '010203' },
      { a: { b: { $bin: '0405' } }, list: [{ $bin: '06' }, 'x', { $bin: '070809' }] },
      [{ $bin: '0a0b' }, { empty: { $bin: '' } }],
    ]);
    // And back: the ack carries the same structure with Buffers.
    const echoed = await withTimeout(new Promise((resolve) => s.emit('echo', ...args, (...back) => resolve(back))), ACK_MS, 'echo ack');
    assert.deepEqual(echoed, [
      hex(1, 2, 3),
      { a: { b: hex(4, 5) }, list: [hex(6), 'x', hex(7, 8, 9)] },
      [hex(10, 11), { empty: Buffer.alloc(0) }],
    ]);
    assert.ok(Buffer.isBuffer(echoed[1].a.b));
  });

  test('nested binary from the server (byte[], ReadOnlyMemory slices, lists and dictionaries)', async () => {
    const s = await connected(c.socket('/'));
    const box = inbox(s);
    await ack(s, 'server:binary');
    const [args] = box.of('binary');
    assert.deepEqual(args, [
      hex(1, 2, 3),
      { nested: { buf: hex(4, 5) }, list: [hex(6), 'text', hex(7, 8, 9)] },
      hex(10, 11),
      [hex(12), 13, { d: hex(14) }],
    ]);
    assert.ok(Buffer.isBuffer(args[1].nested.buf));
  });

  test('acks both ways: client callbacks, emitWithAck, and server EmitWithAck answered by the client', async () => {
    const s = await connected(c.socket('/'));
    // Client emit with a callback; no arguments back.
    assert.deepEqual(await withTimeout(new Promise((r) => s.emit('echo', (...back) => r(back))), ACK_MS, 'ack'), []);
    // emitWithAck resolves with the first argument.
    assert.deepEqual(await s.emitWithAck('echo', { k: [1, 2] }, 'second'), { k: [1, 2] });
    assert.deepEqual(await ack(s, 'echo', hex(1)), hex(1));
    // Server asks, client answers (with and without a server-side timeout).
    s.on('ask', (a, b, cb) => cb({ got: [a, b] }, Buffer.from([9])));
    assert.deepEqual(await ack(s, 'server:emitWithAck', { event: 'ask', args: ['x', 2], timeout: 3000 }),
      { ok: true, response: [{ got: ['x', 2] }, hex(9)] });
    assert.deepEqual(await ack(s, 'server:emitWithAck', { event: 'ask', args: [hex(1, 2), null] }),
      { ok: true, response: [{ got: [hex(1, 2), null] }, hex(9)] });
  });

  test('server Timeout(t).EmitWithAck to a client that never acks fails with "operation has timed out"', async () => {
    const s = await connected(c.socket('/'));
    const box = inbox(s);
    s.on('ignored', () => {});
    const started = Date.now();
    const result = await ack(s, 'server:emitWithAck', { event: 'ignored', args: [1], timeout: 300 });
    assert.deepEqual(result, { ok: false, error: 'timeout', message: 'operation has timed out' });
    assert.ok(Date.now() - started >= 250, 'the timeout elapsed');
    // The client got the event with an ack callback it never called.
    assert.equal(box.of('ignored').length, 1);
    assert.equal(box.of('ignored')[0][0], 1);
    assert.equal(typeof box.of('ignored')[0][1], 'function');
    // A late client ack for the expired id is ignored and the socket keeps working.
    assert.equal(await ack(s, 'echo', 'after'), 'after');
  });

  test('volatile: a volatile emit reaches a connected writable websocket client, alone and broadcast', async () => {
    const s = await connected(c.socket('/'));
    const box = inbox(s);
    assert.equal(await ack(s, 'server:volatile', 'v1', { n: 1 }), true);
    assert.deepEqual(await box.next('volatile'), ['v1', { n: 1 }]);
    await ack(s, 'join', 'vroom');
    // Broadcast by another socket: the sender's own connection is busy writing its ack when the broadcast goes out,
    // and a volatile packet is dropped there by design; s's connection is idle.
    const sender = await connected(c.socket('/'));
    await ack(sender, 'broadcast', { to: ['vroom'], volatile: true, event: 'vbroadcast', args: ['v2'] });
    assert.deepEqual(await box.next('vbroadcast'), ['v2']);
  });

  test('onAny: the server-side catch-all observes every incoming event before its listeners', async () => {
    const s = await connected(c.socket('/'));
    s.emit('a', 1);
    s.emit('b', { x: Buffer.from([255]) }, [2]);
    s.emit('no listener here');
    assert.deepEqual(await ack(s, 'anyLog'), [['a', 1], ['b', { x: { $bin: 'ff' } }, [2]], ['no listener here'], ['anyLog']]);
  });

  test('socket.Use packet middleware refuses an event: the server error event fires, the listener does not', async () => {
    const s = await connected(c.socket('/'));
    const box = inbox(s);
    s.emit('forbidden', 1);
    assert.deepEqual(await box.next('error:reported'), ['forbidden event']);
    // The socket keeps working; anything the refused listener sent would have come before this ack.
    assert.equal(await ack(s, 'echo', 'next'), 'next');
    assert.deepEqual(box.names(), ['error:reported']);
    // onAny still observed the refused event (socket.io calls catch-all listeners before middlewares).
    assert.deepEqual(await ack(s, 'anyLog'), [['forbidden', 1], ['echo', 'next'], ['anyLog']]);
  });

  // --- rooms and broadcasts ---------------------------------------------------------------------------

  test('rooms: join, leave, to, except and socket.broadcast', async () => {
    const nsp = scratch();
    const [a, b, d] = [c.socket(nsp), c.socket(nsp), c.socket(nsp)];
    const [ba, bb, bd] = [inbox(a), inbox(b), inbox(d)];
    await Promise.all([connected(a), connected(b), connected(d)]);
    assert.deepEqual(await ack(a, 'join', 'r1', 'r2'), [a.id, 'r1', 'r2'].sort());
    assert.deepEqual(await ack(b, 'join', 'r1'), [b.id, 'r1'].sort());
    assert.deepEqual(await ack(d, 'join', 'r2'), [d.id, 'r2'].sort());

    // nsp.to("r1"): members of r1, the sender included if it is a member.
    await ack(d, 'broadcast', { to: ['r1'], event: 'to-r1', args: [1] });
    assert.deepEqual(await ba.next('to-r1'), [1]);
    assert.deepEqual(await bb.next('to-r1'), [1]);

    // to("r1").except("r2"): b only. The sentinel goes through the same room, so it comes after.
    await ack(d, 'broadcast', { to: ['r1'], except: ['r2'], event: 'r1-not-r2', args: [] });
    await ack(d, 'broadcast', { to: ['r1'], event: 'sentinel1', args: [] });
    assert.deepEqual(await bb.next('r1-not-r2'), []);
    await ba.next('sentinel1');
    await bb.next('sentinel1');
    assert.deepEqual(ba.of('r1-not-r2'), []);

    // socket.to("r1") from a: the other members only.
    await ack(a, 'broadcast', { from: 'socket', to: ['r1'], event: 'from-a', args: ['hi'] });
    await ack(d, 'broadcast', { to: ['r1'], event: 'sentinel2', args: [] });
    assert.deepEqual(await bb.next('from-a'), ['hi']);
    await ba.next('sentinel2');
    assert.deepEqual(ba.of('from-a'), []);

    // except("r1") on the whole namespace: d only.
    await ack(a, 'broadcast', { except: ['r1'], event: 'not-r1', args: [] });
    await ack(a, 'broadcast', { event: 'sentinel3', args: [] });
    assert.deepEqual(await bd.next('not-r1'), []);
    await ba.next('sentinel3');
    await bb.next('sentinel3');
    assert.deepEqual([ba.of('not-r1'), bb.of('not-r1')], [[], []]);

    // to(["r1", "r2"]): every member once, a (in both) included once.
    await ack(d, 'broadcast', { to: ['r1', 'r2'], event: 'both', args: [] });
    await ack(d, 'broadcast', { event: 'sentinel4', args: [] });
    for (const box of [ba, bb, bd]) await box.next('sentinel4');
    assert.deepEqual([ba.of('both').length, bb.of('both').length, bd.of('both').length], [1, 1, 1]);

    // socket.broadcast: everyone but the sender.
    await ack(b, 'broadcast', { from: 'socket', event: 'bcast', args: [] });
    await ack(d, 'broadcast', { to: [b.id], event: 'sentinel5', args: [] });
    await ba.next('bcast');
    await bd.next('bcast');
    await bb.next('sentinel5');
    assert.deepEqual(bb.of('bcast'), []);

    // leave: a is no longer reached through r1.
    assert.deepEqual(await ack(a, 'leave', 'r1'), [a.id, 'r2'].sort());
    await ack(d, 'broadcast', { to: ['r1'], event: 'after-leave', args: [] });
    await ack(d, 'broadcast', { event: 'sentinel6', args: [] });
    await bb.next('after-leave');
    await ba.next('sentinel6');
    assert.deepEqual(ba.of('after-leave'), []);
    // The own-id room addresses exactly one socket.
    await ack(d, 'broadcast', { to: [a.id], event: 'private', args: [a.id] });
    assert.deepEqual(await ba.next('private'), [a.id]);
  });

  test('io.emit reaches every socket of the main namespace, the sender included', async () => {
    const socks = [c.socket('/'), c.socket('/'), c.socket('/')];
    const boxes = socks.map(inbox);
    await Promise.all(socks.map((s) => connected(s)));
    const other = c.socket('/orders');
    const otherBox = inbox(other);
    await connected(other);
    const tag = `all-${Date.now()}`;
    await ack(socks[0], 'io:emit', 'to-all', tag, hex(1));
    for (const box of boxes) assert.deepEqual(await box.next('to-all', (t) => t === tag), [tag, hex(1)]);
    await ack(other, 'broadcast', { event: 'sentinel', args: [] });
    await otherBox.next('sentinel');
    assert.deepEqual(otherBox.of('to-all'), []);
  });

  test('broadcast with ack aggregation: three clients answer', async () => {
    const nsp = scratch();
    const socks = [c.socket(nsp), c.socket(nsp), c.socket(nsp)];
    socks.forEach((s, i) => s.on('poll', (n, cb) => cb(`c${i}:${n}`)));
    await Promise.all(socks.map((s) => connected(s)));
    const res = await ack(socks[0], 'broadcast:ack', { timeout: 3000, event: 'poll', args: [7] });
    assert.equal(res.ok, true);
    assert.deepEqual(res.responses.sort(), ['c0:7', 'c1:7', 'c2:7']);
    // Without a timeout, and from socket.broadcast (the sender is not asked).
    const res2 = await ack(socks[1], 'broadcast:ack', { from: 'socket', event: 'poll', args: [8] });
    assert.deepEqual({ ok: res2.ok, responses: res2.responses.sort() }, { ok: true, responses: ['c0:8', 'c2:8'] });
    // To a room nobody is in: completes at once with no answers.
    assert.deepEqual(await ack(socks[0], 'broadcast:ack', { to: ['empty'], timeout: 3000, event: 'poll', args: [9] }), { ok: true, responses: [] });
  });

  test('broadcast with ack aggregation: one client never answers, the timeout error tells how many did', async () => {
    const nsp = scratch();
    const socks = [c.socket(nsp), c.socket(nsp), c.socket(nsp)];
    socks[0].on('poll', (cb) => cb('a'));
    socks[1].on('poll', (cb) => cb('b'));
    socks[2].on('poll', () => { /* never acks */ });
    await Promise.all(socks.map((s) => connected(s)));
    const res = await ack(socks[0], 'broadcast:ack', { timeout: 400, event: 'poll', args: [] });
    assert.deepEqual({ ...res, responses: res.responses.sort() },
      { ok: false, message: 'operation has timed out (2 of 3 clients answered)', expected: 3, responses: ['a', 'b'] });
  });

  test('fetchSockets: ids, rooms, data and handshake, filtered by rooms; remote emit and join', async () => {
    const nsp = scratch();
    const ctl = await connected(c.socket('/'));
    const a = c.socket(nsp, { auth: { name: 'a' }, query: { tag: 'qa' } });
    const b = c.socket(nsp, { auth: { name: 'b' } });
    const [ba, bb] = [inbox(a), inbox(b)];
    await Promise.all([connected(a), connected(b)]);
    await ack(a, 'set:data', { role: 'admin', n: [1, 2] });
    await ack(a, 'join', 'r1');
    const all = await ack(ctl, 'fetchSockets', { nsp });
    assert.deepEqual(all, sortById([
      { id: a.id, rooms: [a.id, 'r1'].sort(), data: { role: 'admin', n: [1, 2] }, auth: { name: 'a' }, query: { tag: 'qa' } },
      { id: b.id, rooms: [b.id], data: null, auth: { name: 'b' }, query: {} },
    ]));
    assert.deepEqual((await ack(ctl, 'fetchSockets', { nsp, to: ['r1'] })).map((s) => s.id), [a.id]);
    assert.deepEqual((await ack(ctl, 'fetchSockets', { nsp, except: ['r1'] })).map((s) => s.id), [b.id]);
    assert.deepEqual(await ack(ctl, 'fetchSockets', { nsp, to: ['nobody'] }), []);
    // Operations on the fetched sockets.
    assert.equal(await ack(ctl, 'fetchSockets:emit', { nsp, event: 'remote', args: ['hey', hex(5)] }), 2);
    assert.deepEqual(await ba.next('remote'), ['hey', hex(5)]);
    assert.deepEqual(await bb.next('remote'), ['hey', hex(5)]);
    assert.equal(await ack(ctl, 'fetchSockets:join', { nsp, except: ['r1'], rooms: ['joined-remotely'] }), 1);
    assert.deepEqual(await ack(b, 'rooms'), [b.id, 'joined-remotely'].sort());
  });

  test('socketsJoin, socketsLeave and disconnectSockets, with rooms', async () => {
    const nsp = scratch();
    const obs = await observer(c);
    const [a, b, d] = [c.socket(nsp), c.socket(nsp), c.socket(nsp)];
    await Promise.all([connected(a), connected(b), connected(d)]);
    const [aId, bId, dId] = [a.id, b.id, d.id];
    await ack(a, 'join', 'r1');
    // obs (on "/") is the controller: the targets are in nsp.
    await ack(obs.socket, 'socketsJoin', { nsp, rooms: ['all', 'x'] });
    await ack(obs.socket, 'socketsJoin', { nsp, to: ['r1'], rooms: ['vip'] });
    assert.deepEqual(await ack(a, 'rooms'), [a.id, 'all', 'r1', 'vip', 'x'].sort());
    assert.deepEqual(await ack(b, 'rooms'), [b.id, 'all', 'x'].sort());
    await ack(obs.socket, 'socketsLeave', { nsp, except: ['r1'], rooms: ['all'] });
    await ack(obs.socket, 'socketsLeave', { nsp, rooms: ['x'] });
    assert.deepEqual(await ack(a, 'rooms'), [a.id, 'all', 'r1', 'vip'].sort());
    assert.deepEqual(await ack(b, 'rooms'), [b.id]);
    assert.deepEqual(await ack(d, 'rooms'), [d.id]);
    assert.deepEqual((await ack(obs.socket, 'fetchSockets', { nsp, to: ['all'] })).map((s) => s.id), [a.id]);

    // disconnectSockets on a room: a only, its connection stays usable by the client.
    const aGone = once(a, 'disconnect');
    await ack(obs.socket, 'disconnectSockets', { nsp, to: ['vip'] });
    assert.deepEqual(await aGone, ['io server disconnect', undefined]);
    assert.deepEqual(await obs.reportOf(aId), { id: aId, nsp, reason: 'server namespace disconnect', rooms: [aId, 'all', 'r1', 'vip'].sort() });
    assert.equal(b.connected && d.connected, true);
    assert.deepEqual((await ack(obs.socket, 'fetchSockets', { nsp })).map((s) => s.id), [bId, dId].sort());

    // disconnectSockets(true) on the rest: both disconnected and their connections closed.
    const rest = Promise.all([once(b, 'disconnect'), once(d, 'disconnect')]);
    await ack(obs.socket, 'disconnectSockets', { nsp, close: true });
    assert.deepEqual(await rest, [['io server disconnect', undefined], ['io server disconnect', undefined]]);
    assert.equal((await obs.reportOf(bId)).reason, 'server namespace disconnect');
    assert.equal((await obs.reportOf(dId)).reason, 'server namespace disconnect');
    assert.deepEqual(await ack(obs.socket, 'fetchSockets', { nsp }), []);
    assert.equal(obs.socket.connected, true);
  });

  // --- transports -------------------------------------------------------------------------------------

  const MODES = [
    { name: 'polling only', opts: { transports: ['polling'], upgrade: false }, final: 'polling' },
    { name: 'websocket only', opts: { transports: ['websocket'] }, final: 'websocket' },
    { name: 'polling then upgrade to websocket', opts: { transports: ['polling', 'websocket'], upgrade: true }, final: 'websocket' },
  ];
  for (const mode of MODES) {
    test(`${mode.name}: connect, events, binary and acks`, async () => {
      const s = c.socket('/', mode.opts);
      const box = inbox(s);
      const upgraded = mode.opts.upgrade ? new Promise((resolve) => s.io.on('open', () => s.io.engine.once('upgrade', resolve))) : null;
      await connected(s);
      // Sent at once: with an upgrade these cross the transport switch and must stay in order.
      for (let i = 0; i < 20; i++) s.emit('echo:emit', i, i % 5 === 0 ? hex(i) : `s${i}`);
      if (upgraded) await withTimeout(upgraded, 10000, 'upgrade');
      assert.equal(s.io.engine.transport.name, mode.final);
      assert.equal(await ack(s, 'server:transport'), mode.final);
      assert.deepEqual(await ack(s, 'echo', { bin: hex(1, 2) }, 'x'), { bin: hex(1, 2) });
      await ack(s, 'server:binary');
      assert.deepEqual(box.of('binary')[0][0], hex(1, 2, 3));
      await box.next('echo', (i) => i === 19);
      assert.deepEqual(box.of('echo'), Array.from({ length: 20 }, (_, i) => [i, i % 5 === 0 ? hex(i) : `s${i}`]));
      const h = await ack(s, 'server:handshake');
      assert.equal(h.query.transport, mode.opts.transports[0]);
    });
  }
});

describe('socket.io-client 4.8 against the demo app (SocketIo.Node --app demo)', () => {
  let server;
  const c = clients(() => server.url);
  before(async () => { server = await startServer(['--app', 'demo']); });
  after(async () => { c.closeAll(); await server?.stop(); });
  afterEach(() => c.closeAll());

  test('"/emitting": the samples of the "Emitting events" page', async () => {
    const s = c.socket('/emitting');
    const box = inbox(s);
    s.on('hello:ack', (arg, callback) => callback({ status: 'ok' }));
    await connected(s);
    assert.deepEqual(await box.next('hello:ack:result'), ['ok']);
    // The volatile emit "might or might not be received": as in the reference server it is dropped when the
    // transport is not writable at that moment (the polling GET already answered with the first two events, or
    // the WebSocket writer still busy with them). When it arrives, it arrives once, in its place.
    const volatileArrived = box.of('volatile').length > 0;
    assert.deepEqual(box.names(), ['hello', 'hello:many', ...(volatileArrived ? ['volatile'] : []), 'hello:ack', 'hello:ack:result']);
    assert.deepEqual(box.of('hello'), [['world']]);
    assert.deepEqual(box.of('hello:many'), [[1, '2', { 3: '4', 5: hex(6) }]]);
    assert.ok(Buffer.isBuffer(box.of('hello:many')[0][2]['5']));
    if (volatileArrived) assert.deepEqual(box.of('volatile'), [['might or might not be received']]);
    assert.equal(box.of('hello:ack')[0][0], 'world');
    // socket.emit("update item", "1", { name: "updated" }, (response) => ...) is answered { status: "ok" }.
    assert.deepEqual(await ack(s, 'update item', '1', { name: 'updated' }), { status: 'ok' });
    s.emit('hello', 'world');
    assert.deepEqual(await ack(s, 'update item', '2', { name: 'again' }), { status: 'ok' });
    assert.equal(s.connected, true);
  });

  test('"/": the counter sends the current count to new clients and every increment to everyone', async () => {
    const a = c.socket('/');
    const ba = inbox(a);
    await connected(a);
    assert.deepEqual(await ba.next('countUpdated'), [0]);
    a.emit('increment');
    await ba.next('countUpdated', (n) => n === 1);
    const b = c.socket('/', { transports: ['polling'] });
    const bb = inbox(b);
    await connected(b);
    assert.deepEqual(await bb.next('countUpdated'), [1]);
    b.emit('increment');
    b.emit('increment');
    await ba.next('countUpdated', (n) => n === 3);
    await bb.next('countUpdated', (n) => n === 3);
    assert.deepEqual(ba.of('countUpdated'), [[0], [1], [2], [3]]);
    assert.deepEqual(bb.of('countUpdated'), [[1], [2], [3]]);
  });

  test('"/": the bench contract (echo, join, room:emit, io:emit)', async () => {
    const [a, b, d] = [c.socket('/'), c.socket('/'), c.socket('/')];
    const [ba, bb, bd] = [inbox(a), inbox(b), inbox(d)];
    await Promise.all([connected(a), connected(b), connected(d)]);
    assert.deepEqual(await withTimeout(new Promise((r) => a.emit('echo', 1, { x: hex(2) }, (...back) => r(back))), ACK_MS, 'echo'), [1, { x: hex(2) }]);
    await ack(a, 'join', 'bench-room');
    await ack(b, 'join', 'bench-room');
    await ack(a, 'room:emit', 'bench-room', 'to-room', { p: 1 });
    assert.deepEqual(await bb.next('to-room'), [{ p: 1 }]);
    await ack(d, 'io:emit', 'to-everyone', 'x');
    for (const box of [ba, bb, bd]) assert.deepEqual(await box.next('to-everyone'), ['x']);
    // room:emit excludes the sender; io:emit came after it through the same namespace.
    assert.deepEqual(ba.of('to-room'), []);
    assert.deepEqual(bd.of('to-room'), []);
  });
});

describe('socket.io-client 4.8 against the conformance app (SocketIo.Node --app conformance)', () => {
  let server;
  const c = clients(() => server.url);
  before(async () => { server = await startServer(['--app', 'conformance']); });
  after(async () => { c.closeAll(); await server?.stop(); });
  afterEach(() => c.closeAll());

  test('"/" and "/custom" answer the connection with the auth object ({} when none)', async () => {
    const cases = [
      { nsp: '/', opts: { auth: { token: 'abc', n: [1, { m: true }] } }, auth: { token: 'abc', n: [1, { m: true }] } },
      { nsp: '/', opts: {}, auth: {} },
      { nsp: '/custom', opts: { auth: { custom: 1 } }, auth: { custom: 1 } },
      { nsp: '/custom', opts: {}, auth: {} },
    ];
    for (const k of cases) {
      const s = c.socket(k.nsp, k.opts);
      const box = inbox(s);
      await connected(s);
      assert.deepEqual(await box.next('auth'), [k.auth], `${k.nsp} ${JSON.stringify(k.opts)}`);
    }
  });

  for (const transport of ['websocket', 'polling']) {
    test(`"message" is answered with "message-back" and "message-with-ack" acked, same arguments, binary included (${transport})`, async () => {
      const s = c.socket('/', { transports: [transport] });
      const box = inbox(s);
      await connected(s);
      const args = [1, '2', { 3: hex(4), list: [hex(5, 6), null] }, hex(), true];
      s.emit('message', ...args);
      assert.deepEqual(await box.next('message-back'), args);
      s.emit('message');
      await box.next('message-back', (...a) => a.length === 0);
      const acked = await withTimeout(new Promise((r) => s.emit('message-with-ack', ...args, (...back) => r(back))), ACK_MS, 'message-with-ack');
      assert.deepEqual(acked, args);
      assert.deepEqual(box.of('message-back'), [args, []]);
    });
  }

  test('an unknown namespace gets connect_error "Invalid namespace"', async () => {
    const err = await connectError(c.socket('/unknown'));
    assert.equal(err.message, 'Invalid namespace');
    assert.equal(err.data, undefined);
    // The refusal concerns that namespace only: "/custom" on the same connection still connects.
    const m = c.manager();
    const bad = m.socket('/nope');
    const good = m.socket('/custom');
    const [refused] = await Promise.all([connectError(bad), connected(good)]);
    assert.equal(refused.message, 'Invalid namespace');
    assert.equal(good.connected, true);
  });
});
