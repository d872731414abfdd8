'use strict';
// The demo pages in a real browser (headless Debian chromium via playwright-core) against the demo app:
// chat between two pages, the shared counter, and the event-handling page's delayed message. Each test
// saves screenshots into $TEST_OUTPUT_DIR.
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

test('index page links the three demos', async () => {
  const page = await open('/');
  try {
    const links = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['/events.html', '/chat.html', '/counter.html']);
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

test('event handling (socket.io-client 2.3.1): the page shows the 4-second message and testerEvent; the server logs clientEvent', async () => {
  const page = await open('/events.html');
  try {
    assert.equal(await page.evaluate(() => typeof io === 'function' && io.protocol), 4, 'the page runs the 2.x client (Socket.IO protocol v4)');
    await page.locator('#status.connected').waitFor();
    await serverLogged('clientEvent from ', 5000);
    await page.locator('#messages li.message').waitFor({ timeout: 10000 });
    await page.locator('#messages li.testerEvent').waitFor({ timeout: 5000 });
    assert.deepEqual(await page.locator('#messages li').allTextContents(), [
      'Sent a message 4seconds after connection!',
      'A custom event named testerEvent!',
    ]);
    assert.equal(await page.evaluate(() => socket.io.engine.transport.name), 'websocket', 'upgraded to WebSocket');

    await page.fill('#client-text', 'clicked in the browser');
    await page.click('#send-client-event');
    await serverLogged(': clicked in the browser');
    assert.match(server.output(), /A user connected \(/);
    assert.match(server.output(), /clientEvent from \S+: Sent an event from the client!/);
    await screenshot(page, 'browser-events');
  } finally {
    await page.close();
  }
  await withTimeout(serverLogged('A user disconnected ('), 6000, 'the disconnect log line');
  assert.deepEqual(browser.errors, []);
});

// The tutorial's own pages, as the tutorial writes them, loaded in the server's origin: they must work
// unchanged against our handlers.
const TUTORIAL_CHAT = `<!DOCTYPE html>
<html>
   <head><title>Hello world</title></head>
   <script src = "/socket.io/socket.io.js"></script>
   <script>
      var socket = io();
      function setUsername() {
         socket.emit('setUsername', document.getElementById('name').value);
      };
      var user;
      socket.on('userExists', function(data) {
         document.getElementById('error-container').innerHTML = data;
      });
      socket.on('userSet', function(data) {
         user = data.username;
         document.body.innerHTML = '<input type = "text" id = "message">\\
         <button type = "button" name = "button" onclick = "sendMessage()">Send</button>\\
         <div id = "message-container"></div>';
      });
      function sendMessage() {
         var msg = document.getElementById('message').value;
         if(msg) {
            socket.emit('msg', {message: msg, user: user});
         }
      }
      socket.on('newmsg', function(data) {
         if(user) {
            document.getElementById('message-container').innerHTML += '<div><b>' +
               data.user + '</b>: ' + data.message + '</div>'
         }
      })
   </script>
   <body>
      <div id = "error-container"></div>
      <input id = "name" type = "text" name = "name" value = "" placeholder = "Enter your name!">
      <button type = "button" name = "button" onclick = "setUsername()">Let me chat!</button>
   </body>
</html>`;

const TUTORIAL_EVENTS_V2 = `<!DOCTYPE html>
<html>
   <head><title>Hello world</title></head>
   <script src = "/socket.io-2.3.1.js"></script>
   <script>
      var socket = io();
      socket.on('message', function(data){document.write(data)});
      socket.on('testerEvent', function(data){document.write(data.description)});
      socket.emit('clientEvent', 'Sent an event from the client!');
   </script>
   <body>Hello world</body>
</html>`;

/**
 * Opens the server's origin, then replaces the document with the tutorial's page (page.setContent keeps the
 * URL), so relative script paths and io() resolve against our server. (Fulfilling an intercepted request
 * instead would make chromium treat the page as public and block its WebSocket to 127.0.0.1.)
 */
async function openTutorialPage(html) {
  const page = await browser.newPage();
  await page.goto(`${server.url}/index.html`, { waitUntil: 'load' });
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

test("the tutorial's own pages work unchanged: chat (4.8 client) and event handling (2.3.1 client)", async () => {
  const first = await openTutorialPage(TUTORIAL_CHAT);
  const second = await openTutorialPage(TUTORIAL_CHAT);
  const events = await openTutorialPage(TUTORIAL_EVENTS_V2);
  try {
    await first.fill('#name', 'Tutorial');
    await first.click('text=Let me chat!');
    await first.locator('#message-container').waitFor({ state: 'attached' });
    await second.fill('#name', 'TUTORIAL');
    await second.click('text=Let me chat!');
    await second.locator('#error-container', { hasText: 'TUTORIAL username is taken! Try some other username.' }).waitFor();
    await second.fill('#name', 'Reader');
    await second.click('text=Let me chat!');
    await second.locator('#message-container').waitFor({ state: 'attached' });
    await first.fill('#message', 'from the tutorial page');
    await first.click('text=Send');
    for (const page of [first, second]) {
      await page.locator('#message-container div', { hasText: 'from the tutorial page' }).waitFor();
      assert.equal(await page.textContent('#message-container'), 'Tutorial: from the tutorial page');
      await page.waitForFunction(() => socket.io.engine.transport.name === 'websocket', null, { timeout: 10000 });
    }
    await screenshot(second, 'browser-tutorial-chat');

    await events.waitForFunction(() => document.body && document.body.textContent.includes('A custom event named testerEvent!'), null, { timeout: 10000 });
    assert.equal(await events.evaluate(() => document.body.textContent), 'Sent a message 4seconds after connection!A custom event named testerEvent!');
    await screenshot(events, 'browser-tutorial-events');
    assert.deepEqual(browser.errors, []);
  } finally {
    await first.close();
    await second.close();
    await events.close();
  }
});
