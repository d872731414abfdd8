'use strict';
// The seed documents (../shared/seeds) against the default app of the host (--app demo, namespace "/"), with
// socket.io-client 4.8 and raw Engine.IO frames: the exact payloads of seed 001 (counter), seed 002 (chat) and
// seed 003 (custom events), and the seeds' own pages, served as the seeds write them but for the script's src.
// tests/js/v2-demos.test.js drives seeds 000..002 with socket.io-client 2.3.1, the seeds' own client;
// tests/js/browser-seeds.test.js runs their pages in chromium.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { io } = require('socket.io-client');
const WebSocket = require('ws');
const { startServer, once, withTimeout, ROOT } = require('./lib/server');
const { inbox, setUsername } = require('./lib/clients');

const ACK_MS = 5000;
// shared/seeds sits next to the repository, as shared/bench does (test.sh).
const SEEDS = process.env.SOCKETIO_SEEDS_DIR || path.join(ROOT, '..', 'shared', 'seeds');
const CDN_SCRIPT = '<script src="https://cdn.socket.io/socket.io-2.3.1.js"></script>';
const OUR_SCRIPT = '<script src="/socket.io-2.3.1.js"></script>';

let server;
test.before(async () => { server = await startServer(); });
test.after(async () => { await server?.stop(); });

const opened = [];
test.afterEach(() => { for (const s of opened.splice(0)) s.close(); });

const nonce = () => Math.random().toString(36).slice(2, 10);

/** A 4.8 socket of "/" on its own connection, with an inbox of every event it receives; resolves once connected. */
async function connect(opts = {}) {
  const socket = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'], ...opts });
  opened.push(socket);
  const box = inbox(socket);
  await once(socket, 'connect', ACK_MS);
  return Object.assign(socket, { box });
}

/** The server's log lines (message part, after "[eventId] ") with event id `id`, in order. */
function logLines(id) {
  const re = new RegExp(`\\[${id}\\] (.*)$`, 'gm');
  return [...server.output().matchAll(re)].map((m) => m[1]);
}

/** Resolves once the server has logged more than `count` lines with event id `id`; resolves with all of them. */
async function loggedMore(id, count, ms = ACK_MS) {
  await until(() => logLines(id).length > count, `log line [${id}] number ${count + 1}`, ms);
  return logLines(id);
}

/** Resolves once `cond()` is true (polled), or rejects after `ms`. */
function until(cond, what, ms = ACK_MS) {
  return withTimeout((async () => {
    while (!cond()) await new Promise((r) => setTimeout(r, 25));
  })(), ms, what);
}

/** The html code blocks of the seed file whose name starts with `prefix`. */
function seedHtmlBlocks(prefix) {
  const file = fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  assert.ok(file, `no ${prefix}* in ${SEEDS}`);
  const text = fs.readFileSync(path.join(SEEDS, file), 'utf8');
  return [...text.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]);
}

test("the seeds' own pages are served exactly as the seeds write them, but for the script's src",
  { skip: !fs.existsSync(SEEDS) && `no seed documents at ${SEEDS}` }, async () => {
    const pages = [
      ...seedHtmlBlocks('000_').map((html, i) => [['/seeds/000-message.html', '/seeds/000-test-event.html', '/seeds/000-client-event.html'][i], html]),
      ...seedHtmlBlocks('002_').map((html) => ['/seeds/002-chat.html', html]),
    ];
    assert.equal(pages.length, 4, 'three pages in seed 000, one in seed 002');
    for (const [route, html] of pages) {
      assert.equal(html.split(CDN_SCRIPT).length, 2, `${route}: the seed loads the 2.3.1 client from the CDN once`);
      const res = await withTimeout(fetch(server.url + route), ACK_MS, route);
      assert.equal(res.status, 200, route);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(await res.text(), html.replace(CDN_SCRIPT, OUR_SCRIPT), route);
    }
  });

test('seed 001: countUpdated(count) on connection; increment → count + 1 to every socket, in order', async () => {
  const before = logLines(5201).length;
  const a = await connect();
  const [start] = await a.box.next('countUpdated');
  assert.equal(typeof start, 'number');
  assert.ok((await loggedMore(5201, before)).includes('New WebSocket connection'));
  const b = await connect({ transports: ['polling'] });
  assert.deepEqual(await b.box.next('countUpdated'), [start]);
  a.emit('increment');
  b.emit('increment');
  for (const s of [a, b]) await s.box.next('countUpdated', (n) => n === start + 2);
  assert.deepEqual(a.box.of('countUpdated'), [[start], [start + 1], [start + 2]]);
  assert.deepEqual(b.box.of('countUpdated'), [[start], [start + 1], [start + 2]]);
});

test('seed 002: userSet carries the name itself; userExists the seed\'s text; msg → newmsg, same payload, to everyone', async () => {
  const [alice, bob, carol] = await Promise.all([connect(), connect({ transports: ['polling'] }), connect()]);
  const name = `Alice ${nonce()}`;
  assert.deepEqual(await setUsername(alice, name), ['userSet', name]);
  assert.deepEqual(await setUsername(bob, name.toUpperCase()), ['userExists', `${name.toUpperCase()} username is taken! Try some other username.`]);
  assert.deepEqual(await setUsername(bob, 'Bob'), ['userSet', 'Bob']);

  // The seed's page sends { message, user } with the name it kept from userSet.
  const payload = { message: `hello ${nonce()}`, user: name };
  alice.emit('msg', payload);
  for (const s of [alice, bob, carol]) assert.deepEqual(await s.box.next('newmsg', (m) => m && m.message === payload.message), [payload]);

  // Alice leaves: her name is free again (the release reaches the registry after the disconnect).
  alice.disconnect();
  await withTimeout((async () => {
    for (;;) {
      const [event, answer] = await setUsername(carol, name);
      if (event === 'userSet') return assert.equal(answer, name);
      await new Promise((r) => setTimeout(r, 50));
    }
  })(), ACK_MS, 'the name to be freed');
});

test('seed 003: messageReceived on connection, exactly the article\'s payload on the wire', async () => {
  const s = await connect();
  assert.deepEqual(await s.box.next('messageReceived'), [{ status: 'success', message: 'Message has been successfully received.' }]);
  assert.equal(s.box.of('messageReceived').length, 1);

  const raw = await rawSocket();
  try {
    await raw.frame((f) => f.startsWith('42["messageReceived"'));
    assert.ok(raw.frames.includes('42["messageReceived",{"status":"success","message":"Message has been successfully received."}]'), JSON.stringify(raw.frames));
    raw.ws.send('42["triggerError"]');
    assert.equal(await raw.frame((f) => f.startsWith('42["error"')), '42["error","Something went wrong!"]');
  } finally {
    raw.ws.terminate();
  }
});

test('seed 003: sendMessage logs data.message; with an ack it answers "Message received and processed"', async () => {
  const s = await connect();
  const before = logLines(5301).length;
  s.emit('sendMessage', { message: 'Hello, Server!', sender: 'Client1' });
  assert.deepEqual((await loggedMore(5301, before)).slice(before), ['Received message: Hello, Server!']);
  const response = await s.timeout(ACK_MS).emitWithAck('sendMessage', { message: 'Hello, Server!' });
  assert.equal(response, 'Message received and processed');
  // The ack can overtake the log line on its way to the server's output: wait for the line.
  assert.deepEqual((await loggedMore(5301, before + 1)).slice(before), ['Received message: Hello, Server!', 'Received message: Hello, Server!']);
});

test('seed 003: sendData gets its three arguments in order (logged; echoed when the client asks for an ack)', async () => {
  const s = await connect();
  const lines = () => server.output().split('\n').filter((l) => /\[530[234]\] /.test(l)).map((l) => l.replace(/^.*\[\d+\] /, ''));
  const before = lines().length;
  s.emit('sendData', 'Hello', 42, { user: 'Client1' });
  await until(() => lines().length >= before + 3, 'the sendData log lines');
  assert.deepEqual(lines().slice(before), ['sendData greeting: Hello', 'sendData number: 42', 'sendData userData: {"user":"Client1"}']);
  const echoed = await withTimeout(new Promise((resolve) => s.emit('sendData', 'Hello', 42, { user: 'Client1' }, (...args) => resolve(args))), ACK_MS, 'the sendData ack');
  assert.deepEqual(echoed, ['Hello', 42, { user: 'Client1' }]);
});

test('seed 003: joinRoom1 → io.to("room1") newMessage "Hello, Room 1!" reaches room1 only; broadcastNewMessage reaches everyone', async () => {
  const [a, b, c] = await Promise.all([connect(), connect({ transports: ['polling'] }), connect()]);
  const room = (m) => m && m.message === 'Hello, Room 1!';
  const all = (m) => m && m.message === 'A new message is available!';

  a.emit('joinRoom1');
  assert.deepEqual(await a.box.next('newMessage', room), [{ message: 'Hello, Room 1!' }]);
  b.emit('joinRoom1');
  // b's join: both members get the room's message, a for the second time.
  assert.deepEqual(await b.box.next('newMessage', room), [{ message: 'Hello, Room 1!' }]);
  await until(() => a.box.of('newMessage').length === 2, "a's second room message");

  c.emit('broadcastNewMessage');
  for (const s of [a, b, c]) assert.deepEqual(await s.box.next('newMessage', all), [{ message: 'A new message is available!' }]);
  // The broadcast came after both room messages through the same namespace: c, outside room1, got none of them,
  // and b got only the one of its own join.
  assert.deepEqual(c.box.of('newMessage'), [[{ message: 'A new message is available!' }]]);
  assert.deepEqual(b.box.of('newMessage'), [[{ message: 'Hello, Room 1!' }], [{ message: 'A new message is available!' }]]);
  assert.deepEqual(a.box.of('newMessage'), [[{ message: 'Hello, Room 1!' }], [{ message: 'Hello, Room 1!' }], [{ message: 'A new message is available!' }]]);
});

test('seed 003: triggerError → socket.emit("error", "Something went wrong!") to the sender only; it stays connected', async () => {
  const [a, b] = await Promise.all([connect(), connect()]);
  a.emit('triggerError');
  assert.deepEqual(await a.box.next('error'), ['Something went wrong!']);
  // The bench contract's echo still answers on a, and b, which asked nothing, got no error.
  assert.equal(await a.timeout(ACK_MS).emitWithAck('echo', 'still here'), 'still here');
  assert.equal(a.connected, true);
  b.emit('broadcastNewMessage');
  await b.box.next('newMessage', (m) => m && m.message === 'A new message is available!');
  assert.deepEqual(b.box.of('error'), []);
});

/** A raw Engine.IO v4 WebSocket to "/" that has sent the CONNECT; `frame(pred)` waits for a text frame. */
async function rawSocket() {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const frames = [];
  let waiters = [];
  ws.on('message', (data) => {
    const text = data.toString();
    if (text === '2') ws.send('3');
    frames.push(text);
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  });
  ws.on('error', () => { /* the awaits below time out */ });
  const frame = (pred, ms = ACK_MS) => withTimeout((async () => {
    for (;;) {
      const hit = frames.find(pred);
      if (hit !== undefined) return hit;
      await new Promise((r) => waiters.push(r));
    }
  })(), ms, 'a frame');
  await frame((f) => f.startsWith('0{'));
  ws.send('40');
  await frame((f) => f.startsWith('40{"sid":'));
  return { ws, frames, frame };
}
