'use strict';
// Engine.IO end to end: the real engine.io-client 6.6 (EIO4) and 3.5 (EIO3) against
// `--app conformance` (/engine.io/ echo, pingInterval 300 ms, pingTimeout 200 ms).
const test = require('node:test');
const assert = require('node:assert/strict');
const { Socket: Eio4Socket } = require('engine.io-client');
const eio3 = require('engine.io-client-v3');
const { startServer, once, withTimeout, toBuffer } = require('./lib/server');

const CLIENTS = [
  { name: 'engine.io-client 6.6 (EIO4)', eio: 4, open: (url, opts) => new Eio4Socket(url, { path: '/engine.io/', ...opts }) },
  { name: 'engine.io-client 3.5 (EIO3)', eio: 3, open: (url, opts) => eio3(url, { path: '/engine.io/', ...opts }) },
];
const MODES = [
  { name: 'polling only', opts: { transports: ['polling'], upgrade: false }, final: 'polling' },
  { name: 'websocket only', opts: { transports: ['websocket'] }, final: 'websocket' },
  { name: 'polling then upgrade', opts: { transports: ['polling', 'websocket'], upgrade: true }, final: 'websocket' },
];

let server;
test.before(async () => { server = await startServer(['--app', 'conformance']); });
test.after(async () => { await server?.stop(); });

/** Collects every message the socket receives, text as string and binary as Buffer. */
function collect(socket) {
  const got = [];
  const waiters = [];
  socket.on('message', (data) => {
    got.push(typeof data === 'string' ? data : toBuffer(data));
    for (const w of waiters.splice(0)) w();
  });
  return {
    got,
    async until(n, ms = 5000) {
      const start = Date.now();
      while (got.length < n) {
        const left = ms - (Date.now() - start);
        if (left <= 0) throw new Error(`got ${got.length} of ${n} messages: ${JSON.stringify(got.map(String))}`);
        await withTimeout(new Promise((r) => waiters.push(r)), left, `${n} messages`).catch(() => {});
      }
      return got;
    },
  };
}

const TEXTS = ['hello', 'héllo € 😀 ✓', 'x'.repeat(20000), '{"json":[1,2,3]}'];
const BINARY = Buffer.from([0, 1, 2, 3, 127, 128, 254, 255]);

for (const client of CLIENTS) {
  for (const mode of MODES) {
    test(`${client.name}, ${mode.name}: text and binary go both ways in order`, async () => {
      const socket = client.open(server.url, mode.opts);
      const inbox = collect(socket);
      const upgraded = mode.final === 'websocket' && mode.opts.transports.length > 1 ? once(socket, 'upgrade', 5000) : null;
      try {
        await once(socket, 'open');
        // Sent right after open: during an upgrade these cross the transport switch and must not be lost or reordered.
        const sent = [];
        for (let i = 0; i < 10; i++) { socket.send(`m${i}`); sent.push(`m${i}`); }
        for (const t of TEXTS) { socket.send(t); sent.push(t); }
        socket.send(BINARY); sent.push(BINARY);
        if (upgraded) await upgraded;
        socket.send('after'); sent.push('after');
        socket.send(Buffer.from('bin-after')); sent.push(Buffer.from('bin-after'));
        const got = await inbox.until(sent.length, 10000);
        assert.equal(got.length, sent.length);
        sent.forEach((s, i) => {
          if (Buffer.isBuffer(s)) {
            assert.ok(Buffer.isBuffer(got[i]), `message ${i} should be binary, got ${typeof got[i]}`);
            assert.deepEqual(got[i], s);
          } else {
            assert.equal(got[i], s, `message ${i}`);
          }
        });
        assert.equal(socket.transport.name, mode.final);
      } finally {
        socket.close();
      }
    });
  }

  test(`${client.name}: detects a server that stops answering pings`, async () => {
    const own = await startServer(['--app', 'conformance']);
    const socket = client.open(own.url, { transports: ['websocket'] });
    try {
      await once(socket, 'open');
      // The engine answers pings while it runs: the session survives several heartbeats.
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(socket.readyState, 'open');
      const closed = once(socket, 'close', 5000);
      own.pause();
      const [reason] = await closed;
      assert.equal(reason, 'ping timeout');
    } finally {
      own.resume();
      socket.close();
      await own.stop();
    }
  });
}

test('conformance endpoint refuses other protocol versions with 400 and code 5', async () => {
  const res = await fetch(`${server.url}/engine.io/?EIO=5&transport=polling`);
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { code: 5, message: 'Unsupported protocol version' });
});

test('a close packet releases the pending GET with a noop and later requests get 400', async () => {
  const hs = await (await fetch(`${server.url}/engine.io/?EIO=4&transport=polling`)).text();
  assert.match(hs, /^0\{"sid":"[^"]+","upgrades":\["websocket"\],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000\}$/);
  const sid = JSON.parse(hs.slice(1)).sid;
  const base = `${server.url}/engine.io/?EIO=4&transport=polling&sid=${sid}`;
  const pending = fetch(base).then((r) => r.text());
  await new Promise((r) => setTimeout(r, 50));
  const post = await fetch(base, { method: 'POST', body: '1' });
  assert.equal(post.status, 200);
  assert.equal(await post.text(), 'ok');
  assert.equal(await withTimeout(pending, 2000, 'pending GET'), '6');
  const after = await fetch(base);
  assert.equal(after.status, 400);
  assert.deepEqual(await after.json(), { code: 1, message: 'Session ID unknown' });
});

/** Sends a raw WebSocket handshake and returns the response head (up to the blank line). */
async function rawUpgradeHead(port) {
  const net = require('node:net');
  const socket = net.connect(port, '127.0.0.1');
  try {
    await withTimeout(once(socket, 'connect'), 2000, 'tcp connect');
    socket.write('GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n'
      + 'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    let text = '';
    while (!text.includes('\r\n\r\n')) text += (await withTimeout(once(socket, 'data'), 2000, 'upgrade answer'))[0].toString('latin1');
    return text.slice(0, text.indexOf('\r\n\r\n'));
  } finally {
    socket.destroy();
  }
}

test('the host answers WebSocket handshakes on the connection layer, and through ASP.NET Core with --no-direct-websockets', async () => {
  // The connection-layer 101 carries only the WebSocket headers; Kestrel's HTTP layer adds Date and Server.
  assert.equal(await rawUpgradeHead(server.port),
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  const own = await startServer(['--app', 'conformance', '--no-direct-websockets']);
  try {
    const head = await rawUpgradeHead(own.port);
    assert.match(head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(head, /\r\nServer: Kestrel(\r\n|$)/);
    // Either way a real client works over WebSocket.
    const socket = new Eio4Socket(own.url, { path: '/engine.io/', transports: ['websocket'] });
    const got = collect(socket);
    await withTimeout(once(socket, 'open'), 5000, 'open');
    socket.send('over asp.net');
    await got.until(1);
    assert.equal(got.got[0], 'over asp.net');
    socket.close();
  } finally {
    await own.stop();
  }
});
