'use strict';
// socket.io-client 2.3.1 heartbeats: with Engine.IO v3 the client pings and the server answers. Runs the
// demo app with a 200 ms ping interval; a paused server makes the client give up with "ping timeout", and a
// stopping server disconnects it with "transport close".
const test = require('node:test');
const assert = require('node:assert/strict');
const ioV2 = require('socket.io-client-v2');
const { startServer, once, withTimeout } = require('./lib/server');

const PING_INTERVAL_MS = 200;
const PING_TIMEOUT_MS = 300;
const HEARTBEAT_ARGS = ['--ping-interval', String(PING_INTERVAL_MS), '--ping-timeout', String(PING_TIMEOUT_MS)];

function connect(url, opts) {
  return ioV2(`${url}/v2-test`, { forceNew: true, reconnection: false, ...opts });
}

function emitWithAck(socket, event, ...args) {
  return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (...reply) => resolve(reply))), 5000, `the ack of '${event}'`);
}

/** Resolves once `n` events named `event` have arrived on `emitter`. */
function count(emitter, event, n, ms) {
  let seen = 0;
  return withTimeout(new Promise((resolve) => emitter.on(event, () => { if (++seen === n) resolve(seen); })), ms, `${n} '${event}' events`);
}

for (const transports of [['polling'], ['websocket']]) {
  test(`v2 ${transports[0]}: the client pings, the server pongs, the connection stays up`, async () => {
    const server = await startServer(HEARTBEAT_ARGS);
    const socket = connect(server.url, { transports });
    try {
      await once(socket, 'connect');
      assert.equal(socket.io.engine.pingInterval, PING_INTERVAL_MS, 'pingInterval from the v3 handshake');
      assert.equal(socket.io.engine.pingTimeout, PING_TIMEOUT_MS, 'pingTimeout from the v3 handshake');
      let disconnected = null;
      socket.on('disconnect', (reason) => { disconnected = reason; });
      // Six round trips take at least five ping intervals, longer than interval + timeout.
      const pings = count(socket, 'ping', 6, 5000);
      const pongs = count(socket, 'pong', 6, 5000);
      await pings;
      await pongs;
      assert.equal(disconnected, null);
      assert.deepEqual(await emitWithAck(socket, 'echo', 'alive'), ['alive']);
    } finally {
      socket.close();
      await server.stop();
    }
  });
}

test('v2: a server that stops answering pings is left with "ping timeout"', async () => {
  const server = await startServer(HEARTBEAT_ARGS);
  const socket = connect(server.url, { transports: ['websocket'] });
  try {
    await once(socket, 'connect');
    await once(socket, 'pong', 2000);
    const reason = once(socket, 'disconnect', 5000);
    server.pause();
    assert.deepEqual(await reason, ['ping timeout']);
  } finally {
    server.resume();
    socket.close();
    await server.stop();
  }
});

for (const transports of [['polling'], ['websocket']]) {
  test(`v2 ${transports[0]}: a stopping server disconnects the client with "transport close"`, async () => {
    const server = await startServer();
    const socket = connect(server.url, { transports });
    try {
      await once(socket, 'connect');
      assert.deepEqual(await emitWithAck(socket, 'echo', 1), [1]);
      const reason = once(socket, 'disconnect', 10000);
      await server.stop();
      assert.deepEqual(await reason, ['transport close']);
    } finally {
      socket.close();
      await server.stop();
    }
  });
}
