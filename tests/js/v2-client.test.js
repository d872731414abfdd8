'use strict';
// socket.io-client 2.3.1 (Engine.IO v3, Socket.IO protocol v4) against the demo app, over long-polling,
// WebSocket and the upgrade between them: the implicit connection to "/", send/message, custom events and
// acks both ways, binary, a namespace with a query string (which the server sees as the CONNECT auth), and
// disconnect reasons on both sides. Server-side behaviour comes from the test-only namespace /v2-test
// (src/Node/Apps/V2TestNamespace.cs) and the bench contract on "/".
const test = require('node:test');
const assert = require('node:assert/strict');
const ioV2 = require('socket.io-client-v2');
const { startServer, once, withTimeout, toBuffer } = require('./lib/server');

const MODES = [
  { name: 'polling only', opts: { transports: ['polling'] }, final: 'polling' },
  { name: 'websocket only', opts: { transports: ['websocket'] }, final: 'websocket' },
  { name: 'polling then upgrade', opts: { transports: ['polling', 'websocket'], upgrade: true }, final: 'websocket' },
];

let server;
test.before(async () => { server = await startServer(); });
test.after(async () => { await server?.stop(); });

/** A 2.3.1 client of its own (no shared Manager), no reconnection. */
function connect(path, mode, opts = {}) {
  return ioV2(server.url + path, { forceNew: true, reconnection: false, ...mode.opts, ...opts });
}

/** Emits with an ack; resolves with the ack's arguments. */
function emitWithAck(socket, event, ...args) {
  return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (...reply) => resolve(reply))), 5000, `the ack of '${event}'`);
}

/** Resolves once the socket runs on the mode's final transport (after the upgrade when there is one). */
async function onFinalTransport(socket, mode) {
  const engine = socket.io.engine;
  if (engine.transport.name !== mode.final) await once(engine, 'upgrade', 5000);
  assert.equal(engine.transport.name, mode.final);
}

/** An observer socket on /v2-test: resolves with a function that awaits the server-side disconnect reason of a socket id. */
async function observer(mode) {
  const socket = connect('/v2-test', mode);
  await once(socket, 'connect');
  await emitWithAck(socket, 'observe');
  const reasons = new Map();
  const waiters = new Map();
  socket.on('disconnected', (id, reason) => {
    reasons.set(id, reason);
    waiters.get(id)?.(reason);
  });
  return {
    socket,
    reasonOf: (id) => withTimeout(new Promise((resolve) => {
      if (reasons.has(id)) resolve(reasons.get(id));
      else waiters.set(id, resolve);
    }), 5000, `the server-side disconnect of ${id}`),
  };
}

for (const mode of MODES) {
  test(`v2 ${mode.name}: connects to "/" implicitly; counter and bench echo answer`, async () => {
    const socket = connect('', mode);
    try {
      const counted = once(socket, 'countUpdated');
      await once(socket, 'connect');
      assert.equal(socket.nsp, '/');
      const [count] = await counted;
      assert.equal(typeof count, 'number');
      assert.deepEqual(await emitWithAck(socket, 'echo', 'a', 1, { b: [true, null] }), ['a', 1, { b: [true, null] }]);
      await onFinalTransport(socket, mode);
      assert.deepEqual(await emitWithAck(socket, 'echo', 'after'), ['after']);
    } finally {
      socket.close();
    }
  });

  test(`v2 ${mode.name}: send/message, custom events and acks both ways, binary`, async () => {
    const socket = connect('/v2-test', mode);
    try {
      await once(socket, 'connect');
      assert.equal(socket.nsp, '/v2-test');

      // socket.send → the server's "message" listener, which answers with socket.send.
      const echoed = once(socket, 'message');
      socket.send('hello', 42, { deep: ['x'] });
      assert.deepEqual(await echoed, ['hello', 42, { deep: ['x'] }]);

      // A custom event without ack: the server emits it back.
      const back = once(socket, 'echo');
      socket.emit('echo', 'héllo € 😀', { n: 1.5 });
      assert.deepEqual(await back, ['héllo € 😀', { n: 1.5 }]);

      // Client → server ack.
      assert.deepEqual(await emitWithAck(socket, 'echo', 'ack me', [1, 2]), ['ack me', [1, 2]]);

      // Server → client ack: the server emits "question" with an ack id; the client's callback answers.
      socket.on('question', (a, b, cb) => cb(`answer to ${a}`, b * 2));
      const answer = once(socket, 'answer');
      socket.emit('ask', 'question', 'life', 21);
      assert.deepEqual(await answer, ['answer to life', 42]);

      // Binary both ways, top level and nested, with and without ack.
      const bin = Buffer.from([0, 1, 2, 253, 254, 255]);
      const reply = await emitWithAck(socket, 'echo', bin, { nested: Buffer.from('nested'), list: [Buffer.from([9])] }, 'text');
      assert.deepEqual(toBuffer(reply[0]), bin);
      assert.deepEqual(toBuffer(reply[1].nested), Buffer.from('nested'));
      assert.deepEqual(toBuffer(reply[1].list[0]), Buffer.from([9]));
      assert.equal(reply[2], 'text');
      const binBack = once(socket, 'echo');
      socket.emit('echo', { file: Buffer.alloc(70000, 7) });
      const [withFile] = await binBack;
      assert.deepEqual(toBuffer(withFile.file), Buffer.alloc(70000, 7));

      // Server → client ack carrying binary.
      socket.on('binary question', (data, cb) => cb(Buffer.concat([toBuffer(data), Buffer.from([255])])));
      const binAnswer = once(socket, 'answer');
      socket.emit('ask', 'binary question', Buffer.from([1, 2]));
      assert.deepEqual(toBuffer((await binAnswer)[0]), Buffer.from([1, 2, 255]));

      await onFinalTransport(socket, mode);
      assert.deepEqual(await emitWithAck(socket, 'echo', 'still here'), ['still here']);
    } finally {
      socket.close();
    }
  });

  test(`v2 ${mode.name}: a namespace query string reaches the server as the handshake auth`, async () => {
    const socket = connect('/v2-test?token=abc&role=admin', mode);
    try {
      await once(socket, 'connect');
      await onFinalTransport(socket, mode);
      const [info] = await emitWithAck(socket, 'handshake');
      assert.deepEqual(info.auth, { token: 'abc', role: 'admin' });
      assert.equal(info.query.EIO, '3');
      assert.equal(info.transport, mode.final);
    } finally {
      socket.close();
    }
  });

  test(`v2 ${mode.name}: disconnect reasons on both sides`, async () => {
    const watch = await observer(mode);
    try {
      // A connected socket on its final transport, and its server-side id.
      const open = async () => {
        const s = connect('/v2-test', mode);
        await once(s, 'connect');
        await onFinalTransport(s, mode);
        return [s, (await emitWithAck(s, 'handshake'))[0].id];
      };

      // The client leaves: "io client disconnect" here, "client namespace disconnect" on the server.
      let [socket, id] = await open();
      let reason = once(socket, 'disconnect');
      socket.disconnect();
      assert.deepEqual(await reason, ['io client disconnect']);
      assert.equal(await watch.reasonOf(id), 'client namespace disconnect');

      // The server disconnects the socket: "io server disconnect" / "server namespace disconnect".
      [socket, id] = await open();
      reason = once(socket, 'disconnect');
      socket.emit('disconnect-me');
      assert.deepEqual(await reason, ['io server disconnect']);
      assert.equal(await watch.reasonOf(id), 'server namespace disconnect');
      socket.close();

      // The server closes the whole connection: the DISCONNECT packet still arrives before the close.
      [socket, id] = await open();
      reason = once(socket, 'disconnect');
      socket.emit('close-me');
      assert.deepEqual(await reason, ['io server disconnect']);
      assert.equal(await watch.reasonOf(id), 'server namespace disconnect');
      socket.close();

      // The client closes its engine: "forced close" here (engine.io-client's reason), "transport close" on the server.
      [socket, id] = await open();
      reason = once(socket, 'disconnect');
      socket.io.engine.close();
      assert.deepEqual(await reason, ['forced close']);
      assert.equal(await watch.reasonOf(id), 'transport close');
    } finally {
      watch.socket.close();
    }
  });
}
