'use strict';
// The polished demo pages in a real browser (headless Debian chromium via playwright-core) against the demo
// app: chat between two pages (seed 002), the shared counter (seed 001), and the event-handling page's delayed
// message and testEvent (seed 000). The seeds' own pages run in browser-seeds.test.js. Each test saves
// screenshots into $TEST_OUTPUT_DIR.
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, withTimeout } = require('./lib/server');
const { launchBrowser, screenshot } = require('./lib/browser');

let server;
let browser;
test.before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Resolves once the server's log contains `text`; rejects after `ms` with the log tail. */
async function serverLogged(text, ms = 5000) {
  const start = Date.now();
  while (!server.output().includes(text)) {
    if (Date.now() - start > ms) throw new Error(`server never logged ${JSON.stringify(text)}:\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function open(pathname) {
  const page = await browser.newPage();
  await page.goto(server.url + pathname, { waitUntil: 'load' });
  return page;
}

test('index page links the demos and the seeds\' own pages', async () => {
  const page = await open('/');
  try {
    const links = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [
      '/events.html', '/counter.html', '/chat.html', '/custom-events.html',
      '/seeds/000-message.html', '/seeds/000-test-event.html', '/seeds/000-client-event.html', '/seeds/002-chat.html',
    ]);
    await screenshot(page, 'browser-index');
  } finally {
    await page.close();
  }
});

test('chat: two pages pick names (a taken name is refused), exchange messages and both see them', async () => {
  const alice = await open('/chat.html');
  const bob = await open('/chat.html');
  try {
    await alice.fill('#name', 'Alice');
    await alice.click('#set-username');
    await alice.locator('#chat').waitFor({ state: 'visible' });
    assert.equal(await alice.textContent('#me'), 'Alice');

    // The same name in another case is taken: the tutorial's userExists text shows in the error container.
    await bob.fill('#name', 'alice');
    await bob.click('#set-username');
    await bob.locator('#error-container', { hasText: 'taken' }).waitFor();
    assert.equal(await bob.textContent('#error-container'), 'alice username is taken! Try some other username.');
    assert.equal(await bob.locator('#chat').isVisible(), false);
    await screenshot(bob, 'browser-chat-name-taken');

    await bob.fill('#name', 'Bob');
    await bob.click('#set-username');
    await bob.locator('#chat').waitFor({ state: 'visible' });

    await alice.fill('#message', 'Hello Bob <b>not bold</b>');
    await alice.click('#send');
    await bob.locator('#message-container li', { hasText: 'Hello Bob' }).waitFor();
    await bob.fill('#message', 'Hi Alice!');
    await bob.press('#message', 'Enter');

    const expected = ['Alice: Hello Bob <b>not bold</b>', 'Bob: Hi Alice!'];
    for (const page of [alice, bob]) {
      await page.locator('#message-container li', { hasText: 'Hi Alice!' }).waitFor();
      assert.deepEqual(await page.locator('#message-container li').allTextContents(), expected);
      // Messages are text: the markup in Alice's message was not rendered.
      assert.equal(await page.locator('#message-container li b').count(), 2);
    }
    await screenshot(alice, 'browser-chat-alice');
    await screenshot(bob, 'browser-chat-bob');
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('counter: an increment in one page updates the other', async () => {
  const first = await open('/counter.html');
  const second = await open('/counter.html');
  try {
    const number = async (page) => {
      await page.waitForFunction(() => /^\d+$/.test(document.getElementById('count').textContent), null, { timeout: 10000 });
      return Number(await page.textContent('#count'));
    };
    const before = await number(first);
    assert.equal(await number(second), before);

    await first.click('#increment');
    for (const page of [first, second]) {
      await page.waitForFunction((n) => document.getElementById('count').textContent === String(n), before + 1, { timeout: 10000 });
    }
    await second.click('#increment');
    await second.click('#increment');
    for (const page of [first, second]) {
      await page.waitForFunction((n) => document.getElementById('count').textContent === String(n), before + 3, { timeout: 10000 });
    }
    await screenshot(first, 'browser-counter-first');
    await screenshot(second, 'browser-counter-second');
  } finally {
    await first.close();
    await second.close();
  }
});

test('event handling (socket.io-client 2.3.1): the page shows the 4-second message and testEvent; the server logs clientEvent', async () => {
  const disconnects = () => (server.output().match(/\[5003\] A user disconnected$/gm) || []).length;
  const page = await open('/events.html');
  let before;
  try {
    assert.equal(await page.evaluate(() => typeof io === 'function' && io.protocol), 4, 'the page runs the 2.x client (Socket.IO protocol v4)');
    await page.locator('#status.connected').waitFor();
    await serverLogged('[5002] Client event received: Hello from the client\n', 5000);
    await page.locator('#messages li.message').waitFor({ timeout: 10000 });
    await page.locator('#messages li.testEvent').waitFor({ timeout: 5000 });
    assert.deepEqual(await page.locator('#messages li').allTextContents(), [
      'Sent a message 4 seconds after connection!',
      'Sent a testEvent 4 seconds after connection!',
    ]);
    assert.equal(await page.evaluate(() => socket.io.engine.transport.name), 'websocket', 'upgraded to WebSocket');

    await page.fill('#client-text', 'clicked in the browser');
    await page.click('#send-client-event');
    await serverLogged('[5002] Client event received: clicked in the browser\n');
    assert.match(server.output(), /\[5001\] A user connected\.\.\.$/m);
    await screenshot(page, 'browser-events');
  } finally {
    before = disconnects();
    await page.close();
  }
  await withTimeout((async () => { while (disconnects() <= before) await new Promise((r) => setTimeout(r, 50)); })(), 6000, 'the disconnect log line');
  assert.deepEqual(browser.errors, []);
});
