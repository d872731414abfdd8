'use strict';
// Short soak (the long one is scripts/soak.sh): SOAK_CONNECTIONS (default 2,000) socket.io clients on one
// host with `--app bench` (src/Node: echo, join, room:emit, io:emit, no per-message state, so a memory trend is the
// server's own and not a test fixture's log) for SOAK_DURATION_MS (default 60 s) with light traffic: each socket an acknowledged echo
// every 5 s, one io.emit broadcast every 5 s that every socket must receive; RSS from /proc, GC heap from
// the gc-sampler startup hook. Asserts: every connection
// made, no unexpected disconnect, every echo acknowledged and every broadcast received (messages lost: 0), and
// no upward RSS trend over the second half of the run. Bounded: it stops by itself.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./lib/server');
const os = require('node:os');
const path = require('node:path');
const { runSoak, gcSample, gcSamplerEnv } = require('./tools/soak-client');

const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS || 2000);
const DURATION_MS = Number(process.env.SOAK_DURATION_MS || 60000);

test(`soak: ${CONNECTIONS} connections for ${DURATION_MS / 1000} s, nothing lost, memory flat`, { timeout: DURATION_MS + 180000 }, async () => {
  // The GC heap is sampled by a startup hook loaded into the server (tests/js/tools/gc-sampler).
  const gcFile = path.join(process.env.TEST_OUTPUT_DIR || os.tmpdir(), `soak-gc-${process.pid}.txt`);
  const server = await startServer(['--app', 'bench', '--log-level', 'Warning'], { env: gcSamplerEnv(gcFile) });
  try {
    const stats = await runSoak({
      url: server.url, pid: server.pid, connections: CONNECTIONS, durationMs: DURATION_MS,
      echoEveryMs: 5000, broadcastEveryMs: 5000, sampleEveryMs: 2500, extraSample: async () => gcSample(gcFile),
    });
    const { samples, ...summary } = stats;
    console.log(`soak summary ${JSON.stringify(summary)}`);
    console.log(`soak samples (s: RSS MiB / GC heap MiB) ${samples.map((e) => `${Math.round(e.t / 1000)}:${Math.round(e.rssKiB / 1024)}/${e.heapKiB == null ? '-' : Math.round(e.heapKiB / 1024)}`).join(' ')}`);
    assert.equal(stats.connected, CONNECTIONS);
    assert.equal(stats.connectErrors, 0);
    assert.equal(stats.disconnects, 0, JSON.stringify(stats.disconnectReasons));
    assert.equal(stats.echoesFailed, 0);
    assert.equal(stats.echoesAcked, stats.echoesSent);
    assert.equal(stats.broadcastsReceived, stats.broadcastsExpected);
    assert.equal(stats.messagesLost, 0);
    // "Flat": less than 64 MiB per minute of trend over the second half (GC sawtooth dominates a short run).
    assert.ok(stats.rssSlopeKiBPerMin < 64 * 1024, `RSS trend ${stats.rssSlopeKiBPerMin} KiB/min`);
    if (stats.heapSlopeKiBPerMin != null) assert.ok(stats.heapSlopeKiBPerMin < 32 * 1024, `GC heap trend ${stats.heapSlopeKiBPerMin} KiB/min`);
  } finally {
    await server.stop();
  }
});
