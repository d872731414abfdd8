'use strict';
// The bench harness's contract check (../shared/bench, CONTRACT.md) against the default app of the
// host: echo, join, room:emit, io:emit, over websocket, polling and the upgrade, with the real
// socket.io-client and with the harness's raw client.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, withTimeout } = require('./lib/server');

// test.sh copies ../shared/bench next to the test output and runs `npm ci` there.
const BENCH = process.env.SOCKETIO_BENCH_DIR;

test('bench.js --scenario check passes against the demo app', { skip: !BENCH && 'SOCKETIO_BENCH_DIR not set (no ../shared/bench)' }, async () => {
  assert.ok(fs.existsSync(path.join(BENCH, 'node_modules')), `npm ci has not run in ${BENCH}`);
  const server = await startServer([]);
  try {
    const child = spawn(process.execPath, ['bench.js', '--url', server.url, '--scenario', 'check', '--timeout', '60'], { cwd: BENCH });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const code = await withTimeout(new Promise((resolve) => child.on('exit', resolve)), 90000, 'bench.js check');
    const summary = out.split('\n').find((l) => l.startsWith('{"scenario":"check"'));
    assert.ok(summary, `no JSON result line:\n${out}`);
    const result = JSON.parse(summary);
    assert.deepEqual(result.checks.filter((c) => !c.ok), [], out);
    assert.equal(result.failed, 0);
    assert.ok(result.passed >= 10, `only ${result.passed} checks ran`);
    assert.equal(code, 0, out);
  } finally {
    await server.stop();
  }
});
