'use strict';
// The seed demos on namespace "/" of the demo app, driven by socket.io-client 2.3.1 as the seeds' pages do
// (and, for the chat, next to a socket.io-client 4.8 user): seed 000's event handling, seed 002's chat with
// usernames kept by an actor (a race for one name has exactly one winner), and seed 001's shared counter.
// tests/js/seeds.test.js checks the same seeds (and seed 003) with socket.io-client 4.8.
const test = require('node:test');
const assert = require('node:assert/strict');
const ioV2 = require('socket.io-client-v2');
const { io: ioV4 } = require('socket.io-client');
const { startServer, once, withTimeout } = require('./lib/server');
const { setUsername } = require('./lib/clients');

let server;
test.before(async () => { server = await startServer(); });
test.after(async () => { await server?.stop(); });

const open = [];
test.afterEach(() => { for (const s of open.splice(0)) s.close(); });

async function connectV2(opts = {}) {
  const socket = ioV2(server.url, { forceNew: true, reconnection: false, ...opts });
  open.push(socket);
  // The count the counter demo sends on connection; listened to before the CONNECT answer can arrive.
  socket.firstCount = new Promise((resolve) => socket.once('countUpdated', resolve));
  await once(socket, 'connect');
  return socket;
}

async function connectV4() {
  const socket = ioV4(server.url, { forceNew: true, reconnection: false });
  open.push(socket);
  await once(socket, 'connect');
  return socket;
}

/** Resolves once the server's log contains a line matching `pattern`. */
async function serverLogged(pattern, ms = 5000) {
  const start = Date.now();
  while (!pattern.test(server.output())) {
    if (Date.now() - start > ms) throw new Error(`server never logged ${pattern}:\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const nonce = () => Math.random().toString(36).slice(2, 10);

/** The number of seed 000 "A user disconnected" log lines so far. */
const disconnectLines = () => (server.output().match(/\[5003\] A user disconnected$/gm) || []).length;

test('seed 000, event handling: message and testEvent (strings) 4 s after connecting; clientEvent and disconnects are logged', async () => {
  for (const transports of [['polling'], ['websocket']]) {
    const socket = await connectV2({ transports });
    const message = once(socket, 'message', 8000);
    const custom = once(socket, 'testEvent', 8000);
    let oldEvent = false;
    socket.on('testerEvent', () => { oldEvent = true; });
    const text = `Hello from the client ${nonce()}`;
    socket.emit('clientEvent', text);
    await serverLogged(new RegExp(`\\[5002\\] Client event received: ${text}$`, 'm'));
    assert.deepEqual(await message, ['Sent a message 4 seconds after connection!']);
    assert.deepEqual(await custom, ['Sent a testEvent 4 seconds after connection!']);
    assert.equal(oldEvent, false, 'no testerEvent any more');

    const before = disconnectLines();
    socket.disconnect();
    await withTimeout((async () => {
      while (disconnectLines() <= before) await new Promise((r) => setTimeout(r, 50));
    })(), 5000, 'the disconnect log line');
  }
  assert.match(server.output(), /\[5001\] A user connected\.\.\.$/m);
});

test('seed 000, event handling: a socket that leaves before 4 s is skipped by the timer without errors', async () => {
  const socket = await connectV2({ transports: ['websocket'] });
  socket.disconnect();
  // A socket connected after that one gets its delayed message later than the first one's timer fired.
  const fresh = await connectV2({ transports: ['websocket'] });
  assert.deepEqual(await once(fresh, 'message', 8000), ['Sent a message 4 seconds after connection!']);
  assert.doesNotMatch(server.output(), /\b(fail|crit): /, 'no error was logged');
});

test('seed 002, chat: userSet(name), userExists (case-insensitive), newmsg to everyone, name freed on disconnect', async () => {
  const alice = await connectV2();
  const bob = await connectV2({ transports: ['websocket'] });
  const carol = await connectV4();
  const aliceName = `Alice-${nonce()}`;
  const bobName = `Bob-${nonce()}`;

  assert.deepEqual(await setUsername(alice, aliceName), ['userSet', aliceName]);
  assert.deepEqual(await setUsername(bob, aliceName.toUpperCase()),
    ['userExists', `${aliceName.toUpperCase()} username is taken! Try some other username.`]);
  // One's own name is taken too, as in the seed's array (ArrayFindNoCase finds it).
  assert.deepEqual(await setUsername(alice, aliceName.toLowerCase()),
    ['userExists', `${aliceName.toLowerCase()} username is taken! Try some other username.`]);
  assert.deepEqual(await setUsername(bob, bobName), ['userSet', bobName]);

  // msg → newmsg to every socket of "/", the sender and the 4.8 client included, payload untouched.
  const payload = { message: 'hello everyone', user: aliceName };
  const received = [alice, bob, carol].map((s) => once(s, 'newmsg'));
  alice.emit('msg', payload);
  for (const r of received) assert.deepEqual(await r, [payload]);

  // Alice leaves: her name becomes free (the release reaches the registry after the disconnect).
  alice.disconnect();
  const deadline = Date.now() + 5000;
  let answer;
  do {
    answer = await setUsername(carol, aliceName.toLowerCase());
    if (answer[0] === 'userSet') break;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  assert.deepEqual(answer, ['userSet', aliceName.toLowerCase()]);
  // Bob changes his name: the old one is free at once, for anyone.
  assert.deepEqual(await setUsername(bob, `${bobName}-2`), ['userSet', `${bobName}-2`]);
  assert.deepEqual(await setUsername(carol, bobName), ['userSet', bobName]);
});

test('seed 002, chat: clients racing for one name: exactly one gets it', async () => {
  const racers = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? connectV2({ transports: ['websocket'] }) : connectV2())));
  for (let round = 0; round < 5; round++) {
    const name = `Racer-${nonce()}`;
    // Every client asks at once, in different cases.
    const answers = await Promise.all(racers.map((s, i) => setUsername(s, i % 2 ? name.toUpperCase() : name)));
    const winners = answers.filter(([event]) => event === 'userSet');
    assert.equal(winners.length, 1, `round ${round}: ${JSON.stringify(answers)}`);
    assert.equal(answers.filter(([event]) => event === 'userExists').length, racers.length - 1);
  }
});

test('seed 001, counter: countUpdated on connection, then increment → countUpdated to everyone, in order', async () => {
  const [a, startA] = await connectWithCount(() => connectV2());
  const [b, startB] = await connectWithCount(() => connectV2({ transports: ['websocket'] }));
  assert.equal(typeof startA, 'number');
  assert.equal(startB, startA);
  const updates = [a, b].map((s) => collect(s, 'countUpdated', 3));
  a.emit('increment');
  b.emit('increment');
  a.emit('increment');
  for (const u of updates) assert.deepEqual(await u, [startA + 1, startA + 2, startA + 3]);
});

/** Connects and resolves with [socket, the count the server sent on connection]. */
async function connectWithCount(connect) {
  const socket = await connect();
  return [socket, await withTimeout(socket.firstCount, 5000, 'countUpdated on connection')];
}

/** Resolves with the first argument of the next `n` events named `event`. */
function collect(socket, event, n) {
  const got = [];
  return withTimeout(new Promise((resolve) => {
    const on = (value) => {
      got.push(value);
      if (got.length === n) {
        socket.off(event, on);
        resolve(got);
      }
    };
    socket.on(event, on);
  }), 5000, `${n} '${event}' events`);
}
