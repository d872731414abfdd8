'use strict';
// The seeds' own pages in a real browser (headless Debian chromium via playwright-core) against the default
// app: seed 000's three event-handling pages and seed 002's chat, as the seeds write them (only the script's
// src points at this server), and the seed 003 page (src/Node/wwwroot/custom-events.html). Each test saves
// screenshots into $TEST_OUTPUT_DIR.
//
// The seed pages connect with io( "127.0.0.1:3000" ), the seeds' address, and the test server listens on a free
// port (port 3000 may be another program's). So chromium starts with --host-resolver-rules mapping
// 127.0.0.1:3000 to the test server's port, and the pages are opened at http://127.0.0.1:3000/seeds/…: the page
// text stays the seed's, page and socket share one origin (no CORS, no private-network checks), and nothing
// reaches whatever listens on port 3000. (Intercepting requests instead would have chromium treat the page as
// public and block its WebSocket to 127.0.0.1.)
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, withTimeout } = require('./lib/server');
const { launchBrowser, screenshot } = require('./lib/browser');

/** The address the seed pages name. */
const SEED_ORIGIN = 'http://127.0.0.1:3000';

let server;
let browser;
test.before(async () => {
  server = await startServer();
  browser = await launchBrowser({ args: [`--host-resolver-rules=MAP 127.0.0.1:3000 127.0.0.1:${server.port}`] });
});
test.after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The message parts of the server's log lines with event id `id`. */
function logLines(id) {
  return [...server.output().matchAll(new RegExp(`\\[${id}\\] (.*)$`, 'gm'))].map((m) => m[1]);
}

/** Resolves once `cond()` is true (polled), or rejects after `ms`. */
function until(cond, what, ms = 10000) {
  return withTimeout((async () => {
    while (!cond()) await new Promise((r) => setTimeout(r, 50));
  })(), ms, what);
}

async function open(url) {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** The page's socket, once it runs on WebSocket at the seed's address (the 2.3.1 client starts with polling). */
async function onSeedsSocket(page) {
  await page.waitForFunction(() => typeof socket === 'object' && socket.connected && socket.io.engine.transport.name === 'websocket', null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => io.protocol), 4, 'the page runs socket.io-client 2.x (Socket.IO protocol v4)');
  assert.equal(await page.evaluate(() => socket.io.uri), SEED_ORIGIN, 'the socket connects where the seed says');
}

test('seed 000 pages: the message page and the testEvent page write their string 4 s after connecting', async () => {
  const connectedBefore = logLines(5001).length;
  const disconnected = logLines(5003).length;
  const message = await open(`${SEED_ORIGIN}/seeds/000-message.html`);
  const testEvent = await open(`${SEED_ORIGIN}/seeds/000-test-event.html`);
  try {
    assert.equal(message.url(), `${SEED_ORIGIN}/seeds/000-message.html`);
    for (const page of [message, testEvent]) await onSeedsSocket(page);
    await until(() => logLines(5001).length >= connectedBefore + 2, 'two "A user connected..." lines');
    assert.deepEqual(logLines(5001).slice(connectedBefore), ['A user connected...', 'A user connected...']);

    // document.write(data) replaces the empty page with the text.
    for (const [page, text] of [[message, 'Sent a message 4 seconds after connection!'], [testEvent, 'Sent a testEvent 4 seconds after connection!']]) {
      await page.waitForFunction((t) => document.body && document.body.textContent.includes(t), text, { timeout: 10000 });
      assert.equal(await page.evaluate(() => document.body.textContent), text);
    }
    await screenshot(message, 'browser-seed-000-message');
    await screenshot(testEvent, 'browser-seed-000-test-event');
  } finally {
    await message.close();
    await testEvent.close();
  }
  await until(() => logLines(5003).length >= disconnected + 2, 'two "A user disconnected" lines');
  assert.deepEqual(browser.errors, []);
});

test('seed 000 pages: the clientEvent page makes the server log "Client event received: Hello from the client"', async () => {
  const received = logLines(5002).length;
  const disconnected = logLines(5003).length;
  const page = await open(`${SEED_ORIGIN}/seeds/000-client-event.html`);
  try {
    await onSeedsSocket(page);
    await until(() => logLines(5002).length > received, 'the clientEvent log line');
    assert.deepEqual(logLines(5002).slice(received), ['Client event received: Hello from the client']);
    await screenshot(page, 'browser-seed-000-client-event');
  } finally {
    await page.close();
  }
  await until(() => logLines(5003).length > disconnected, 'the disconnect log line');
  assert.deepEqual(logLines(5003).slice(disconnected), ['A user disconnected']);
  assert.deepEqual(browser.errors, []);
});

test('seed 002 page: two tabs chat and each sees both lines as <b>name</b>: text, never [object Object]', async () => {
  // This file's server is its own: the names are free.
  const [aliceName, bobName] = ['Alice', 'Bob'];
  const alice = await open(`${SEED_ORIGIN}/seeds/002-chat.html`);
  const bob = await open(`${SEED_ORIGIN}/seeds/002-chat.html`);
  try {
    for (const page of [alice, bob]) await onSeedsSocket(page);
    await alice.fill('#name', aliceName);
    await alice.click('text=Let me chat!');
    await alice.locator('#message-container').waitFor({ state: 'attached' });
    assert.equal(await alice.evaluate(() => user), aliceName, 'the page keeps the name userSet carries');

    // The same name in another case is taken: the seed's userExists text lands in the error container.
    await bob.fill('#name', aliceName.toLowerCase());
    await bob.click('text=Let me chat!');
    await bob.locator('#error-container', { hasText: 'taken' }).waitFor();
    assert.equal(await bob.textContent('#error-container'), `${aliceName.toLowerCase()} username is taken! Try some other username.`);
    await screenshot(bob, 'browser-seed-002-name-taken');
    await bob.fill('#name', bobName);
    await bob.click('text=Let me chat!');
    await bob.locator('#message-container').waitFor({ state: 'attached' });

    await alice.fill('#message', 'Hello Bob');
    await alice.click('text=Send');
    await bob.locator('#message-container div', { hasText: 'Hello Bob' }).waitFor();
    await bob.fill('#message', 'Hi Alice!');
    await bob.click('text=Send');

    const expected = `<div><b>${aliceName}</b>: Hello Bob</div><div><b>${bobName}</b>: Hi Alice!</div>`;
    for (const page of [alice, bob]) {
      await page.locator('#message-container div', { hasText: 'Hi Alice!' }).waitFor();
      assert.equal(await page.innerHTML('#message-container'), expected);
      assert.doesNotMatch(await page.evaluate(() => document.body.innerHTML), /\[object Object\]/);
    }
    await screenshot(alice, 'browser-seed-002-alice');
    await screenshot(bob, 'browser-seed-002-bob');
  } finally {
    await alice.close();
    await bob.close();
  }
  assert.deepEqual(browser.errors, []);
});

test('seed 003 page (socket.io-client 4.8): every example shows its result; room1 only reaches its members', async () => {
  const received = logLines(5301).length;
  const page = await open(`${server.url}/custom-events.html`);
  const other = await open(`${server.url}/custom-events.html`);
  try {
    for (const p of [page, other]) await p.locator('#status.connected').waitFor();
    assert.match(await page.textContent('#status'), /^connected \(socket\.io-client 4\.8, id /);
    await page.locator('#message-received', { hasText: 'Server response' }).waitFor();
    assert.equal(await page.textContent('#message-received'), 'Server response: Message has been successfully received. (status: success)');

    await page.click('#send-message');
    await until(() => logLines(5301).length > received, 'the sendMessage log line');
    assert.deepEqual(logLines(5301).slice(received), ['Received message: Hello, Server!']);
    await page.click('#send-message-ack');
    await page.locator('#send-message-result', { hasText: 'Acknowledgment' }).waitFor();
    assert.equal(await page.textContent('#send-message-result'), 'Acknowledgment from server: Message received and processed');

    await page.click('#send-data');
    await page.locator('#send-data-result', { hasText: 'received' }).waitFor();
    assert.equal(await page.textContent('#send-data-result'), 'The server received: "Hello", 42, {"user":"Client1"}');

    await page.click('#join-room1');
    await page.locator('#new-messages li', { hasText: 'Room 1' }).waitFor();
    await other.click('#broadcast');
    for (const p of [page, other]) await p.locator('#new-messages li', { hasText: 'available' }).waitFor();
    assert.deepEqual(await page.locator('#new-messages li').allTextContents(), ['newMessage: Hello, Room 1!', 'newMessage: A new message is available!']);
    // The other page never joined room1: it got the broadcast only.
    assert.deepEqual(await other.locator('#new-messages li').allTextContents(), ['newMessage: A new message is available!']);

    await page.click('#trigger-error');
    await page.locator('#error-result', { hasText: 'Something' }).waitFor();
    assert.equal(await page.textContent('#error-result'), 'Error from server: Something went wrong!');
    assert.equal(await other.textContent('#error-result'), '');
    assert.equal(await page.evaluate(() => socket.connected), true);
    await screenshot(page, 'browser-seed-003-custom-events');
  } finally {
    await page.close();
    await other.close();
  }
  // The article's client logs the error with console.error; nothing else went wrong.
  assert.deepEqual(browser.errors, ['console: Error from server: Something went wrong!']);
});
