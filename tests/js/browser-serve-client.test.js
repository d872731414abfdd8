'use strict';
// What a browser loads from the demo app: the socket.io client (serveClient) at /socket.io/socket.io.js and
// friends (4.8.x) and /socket.io-2.3.1.js, with ETag revalidation; --no-serve-client; a clear 404 when the
// npm files are missing; and the demo pages. The files must be the npm packages' dist files, byte for byte.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { io: ioV4 } = require('socket.io-client');
const { startServer, once, ROOT } = require('./lib/server');

const CLIENT_MODULES = path.join(ROOT, 'src', 'Node', 'client', 'node_modules');
const V4_DIST = path.join(CLIENT_MODULES, 'socket.io-client', 'dist');
const V2_DIST = path.join(CLIENT_MODULES, 'socket.io-client-v2', 'dist');

function get(url, { method = 'GET', headers = {} } = {}) {
  return fetch(url, { method, headers, signal: AbortSignal.timeout(5000) });
}

async function body(response) {
  return Buffer.from(await response.arrayBuffer());
}

test('the 4.8 client files and the 2.3.1 client are served with ETag and caching headers', async () => {
  const version = JSON.parse(fs.readFileSync(path.join(CLIENT_MODULES, 'socket.io-client', 'package.json'), 'utf8')).version;
  assert.match(version, /^4\.8\./, 'src/Node/client installs socket.io-client 4.8.x');
  const server = await startServer();
  try {
    const files = [
      ['/socket.io/socket.io.js', path.join(V4_DIST, 'socket.io.js'), 'application/javascript; charset=utf-8'],
      ['/socket.io/socket.io.min.js', path.join(V4_DIST, 'socket.io.min.js'), 'application/javascript; charset=utf-8'],
      ['/socket.io/socket.io.js.map', path.join(V4_DIST, 'socket.io.js.map'), 'application/json; charset=utf-8'],
      ['/socket.io/socket.io.min.js.map', path.join(V4_DIST, 'socket.io.min.js.map'), 'application/json; charset=utf-8'],
      ['/socket.io/socket.io.esm.min.js', path.join(V4_DIST, 'socket.io.esm.min.js'), 'application/javascript; charset=utf-8'],
      ['/socket.io-2.3.1.js', path.join(V2_DIST, 'socket.io.js'), 'application/javascript; charset=utf-8'],
    ];
    const etags = new Set();
    for (const [route, file, type] of files) {
      const res = await get(server.url + route);
      assert.equal(res.status, 200, route);
      assert.equal(res.headers.get('content-type'), type, route);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=0', route);
      const etag = res.headers.get('etag');
      assert.match(etag, /^"[0-9a-f]+"$/, route);
      etags.add(etag);
      assert.deepEqual(await body(res), fs.readFileSync(file), `${route} is ${file}`);

      // Revalidation: the same ETag (strong or weak, or in a list) answers 304 without a body.
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await get(server.url + route, { headers: { 'If-None-Match': ifNoneMatch } });
        assert.equal(again.status, 304, `${route} If-None-Match: ${ifNoneMatch}`);
        assert.equal(again.headers.get('etag'), etag);
        assert.equal((await body(again)).length, 0);
      }
      const changed = await get(server.url + route, { headers: { 'If-None-Match': '"stale"' } });
      assert.equal(changed.status, 200);
      await body(changed);

      const head = await get(server.url + route, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(Number(head.headers.get('content-length')), fs.statSync(file).size);
    }
    assert.equal(etags.size, files.length, 'one ETag per file');
    assert.match(fs.readFileSync(path.join(V2_DIST, 'socket.io.js'), 'utf8').slice(0, 200), /Socket\.IO v2\.3\.1/);

    // The Engine.IO endpoint still owns its own path.
    const handshake = await get(`${server.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(handshake.status, 200);
    assert.match((await body(handshake)).toString(), /^0\{"sid":/);
    const unknown = await get(`${server.url}/socket.io/socket.io.slim.js`);
    assert.equal(unknown.status, 404);
    await body(unknown);
  } finally {
    await server.stop();
  }
});

test('the demo pages are served at /, the polished demos and the seeds\' own pages under /seeds/', async () => {
  const server = await startServer();
  try {
    const pages = [
      ['/', null], ['/index.html', null], ['/events.html', '/socket.io-2.3.1.js'], ['/chat.html', '/socket.io/socket.io.js'],
      ['/counter.html', '/socket.io/socket.io.js'], ['/custom-events.html', '/socket.io/socket.io.js'],
      ['/seeds/000-message.html', '/socket.io-2.3.1.js'], ['/seeds/000-test-event.html', '/socket.io-2.3.1.js'],
      ['/seeds/000-client-event.html', '/socket.io-2.3.1.js'], ['/seeds/002-chat.html', '/socket.io-2.3.1.js'],
    ];
    for (const [route, script] of pages) {
      const res = await get(server.url + route);
      assert.equal(res.status, 200, route);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      const html = (await body(res)).toString();
      if (script) assert.ok(html.includes(`<script src="${script}"></script>`), `${route} loads ${script}`);
      const again = await get(server.url + route, { headers: { 'If-None-Match': res.headers.get('etag') } });
      assert.equal(again.status, 304);
      await body(again);
    }
    // The seed pages declare no icon: the browser's /favicon.ico gets "no content", not a 404.
    const icon = await get(`${server.url}/favicon.ico`);
    assert.equal(icon.status, 204);
    await body(icon);
    const css = await get(`${server.url}/style.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    await body(css);
  } finally {
    await server.stop();
  }
});

test('--no-serve-client: no client routes; pages and the Engine.IO endpoint still work', async () => {
  const server = await startServer(['--no-serve-client']);
  try {
    for (const route of ['/socket.io/socket.io.js', '/socket.io/socket.io.min.js', '/socket.io-2.3.1.js']) {
      const res = await get(server.url + route);
      assert.equal(res.status, 404, route);
      await body(res);
    }
    assert.equal((await get(`${server.url}/chat.html`)).status, 200);
    const socket = ioV4(server.url, { forceNew: true, reconnection: false });
    try {
      await once(socket, 'connect');
    } finally {
      socket.close();
    }
  } finally {
    await server.stop();
  }
});

test('--path moves the client with the Engine.IO endpoint', async () => {
  const server = await startServer(['--path', '/realtime/']);
  try {
    const res = await get(`${server.url}/realtime/socket.io.js`);
    assert.equal(res.status, 200);
    assert.deepEqual(await body(res), fs.readFileSync(path.join(V4_DIST, 'socket.io.js')));
    const socket = ioV4(server.url, { path: '/realtime/', forceNew: true, reconnection: false });
    try {
      await once(socket, 'connect');
    } finally {
      socket.close();
    }
  } finally {
    await server.stop();
  }
});

test('missing npm files: the server starts, logs it once, and the client routes answer 404 with how to fix it', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'socketio-no-client-'));
  const server = await startServer([], { env: { SOCKETIO_NODE_CLIENT_DIR: empty } });
  try {
    for (const route of ['/socket.io/socket.io.js', '/socket.io/socket.io.min.js', '/socket.io-2.3.1.js']) {
      const res = await get(server.url + route);
      assert.equal(res.status, 404, route);
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.match((await body(res)).toString(), /socket\.io client files are not installed: run `npm ci` in src\/Node\/client/);
    }
    const warnings = server.output().match(/socket\.io client files not found under/g) || [];
    assert.equal(warnings.length, 1, server.output());
    const socket = ioV4(server.url, { forceNew: true, reconnection: false });
    try {
      await once(socket, 'connect');
    } finally {
      socket.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
