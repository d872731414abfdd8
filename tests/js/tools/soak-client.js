'use strict';
// Soak client: holds N socket.io connections (WebSocket) to a server that speaks the bench contract (`echo` acked
// with its arguments, `io:emit` EVENT ARG broadcast to the namespace; the host's `--app bench`, or the e2e fixture
// server, which understands the same two commands), sends light traffic
// (each socket an `echo` with ack every `echoEveryMs`, one `io:emit` broadcast every `broadcastEveryMs`
// that every socket must receive), samples the server's RSS (/proc/PID/status) every `sampleEveryMs`, and
// reports counts: acks expected/received, broadcasts expected/received, unexpected disconnects.
// Used by tests/js/robustness-soak.test.js (short) and scripts/soak.sh (long; run as a CLI, see bottom).
const fs = require('node:fs');
const { io } = require('socket.io-client');

/** VmRSS of `pid` in KiB from /proc, or null when unavailable. */
function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}

/**
 * The last sample of the GC sampler startup hook (tests/js/tools/gc-sampler) from `file`:
 * { heapKiB, committedKiB, gen2 }, or {} when there is none yet.
 */
function gcSample(file) {
  try {
    const [, heap, , committed, , , gen2] = fs.readFileSync(file, 'utf8').trim().split(' ').map(Number);
    return { heapKiB: Math.round(heap / 1024), committedKiB: Math.round(committed / 1024), gen2 };
  } catch { return {}; }
}

/**
 * Builds the GC sampler startup hook once (bounded) and returns the env that loads it into a .NET process
 * writing to `file`, or {} when it cannot be built.
 */
function gcSamplerEnv(file) {
  const path = require('node:path');
  const dir = path.join(__dirname, 'gc-sampler');
  const dll = path.join(dir, 'bin', 'Release', 'net10.0', 'GcSampler.dll');
  if (!fs.existsSync(dll)) {
    require('node:child_process').spawnSync('dotnet', ['build', dir, '-c', 'Release', '-nologo', '-clp:ErrorsOnly'], { stdio: 'ignore', timeout: 180000 });
  }
  return fs.existsSync(dll) ? { DOTNET_STARTUP_HOOKS: dll, GC_SAMPLER_FILE: file, GC_SAMPLER_INTERVAL_MS: '1000' } : {};
}

/** Least-squares slope of ys over xs (units of y per unit of x). */
function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0; let den = 0;
  for (let i = 0; i < n; i++) { num += (xs[i] - mx) * (ys[i] - my); den += (xs[i] - mx) ** 2; }
  return den === 0 ? 0 : num / den;
}

async function runSoak({
  url, pid, connections = 2000, durationMs = 60000, echoEveryMs = 5000, broadcastEveryMs = 5000,
  sampleEveryMs = 2000, connectBatch = 100, log = () => {}, extraSample = null,
}) {
  const sockets = [];
  const stats = {
    connections, connected: 0, connectErrors: 0, disconnects: 0, disconnectReasons: {},
    echoesSent: 0, echoesAcked: 0, echoesFailed: 0, broadcastsSent: 0, broadcastsExpected: 0, broadcastsReceived: 0,
    samples: [], connectMs: 0, durationMs,
  };
  let phase = 'connect';
  const started = Date.now();
  // Connect in batches so the handshake burst does not starve the event loop.
  for (let i = 0; i < connections; i += connectBatch) {
    const batch = [];
    for (let j = i; j < Math.min(connections, i + connectBatch); j++) {
      const s = io(url, { forceNew: true, reconnection: false, transports: ['websocket'], timeout: 60000 });
      s.received = 0;
      s.on('soak', () => { s.received++; stats.broadcastsReceived++; });
      s.on('disconnect', (reason) => {
        if (phase === 'closing') return;
        stats.disconnects++;
        stats.disconnectReasons[reason] = (stats.disconnectReasons[reason] || 0) + 1;
      });
      sockets.push(s);
      batch.push(new Promise((resolve) => {
        s.once('connect', () => { stats.connected++; resolve(); });
        s.once('connect_error', () => { stats.connectErrors++; resolve(); });
      }));
    }
    await Promise.all(batch);
  }
  stats.connectMs = Date.now() - started;
  log(`connected ${stats.connected}/${connections} in ${stats.connectMs} ms`);
  phase = 'run';

  const sample = async () => {
    const entry = { t: Date.now() - started, rssKiB: rssKiB(pid), connected: sockets.filter((s) => s.connected).length };
    if (extraSample) Object.assign(entry, await extraSample());
    stats.samples.push(entry);
    log(`sample ${JSON.stringify(entry)}`);
  };
  await sample();

  const timers = [];
  const pending = new Set();
  // Each socket echoes on its own phase so the load is spread evenly over the interval.
  sockets.forEach((s, i) => {
    const fire = () => {
      if (!s.connected) return;
      stats.echoesSent++;
      const n = stats.echoesSent;
      const p = s.timeout(30000).emitWithAck('echo', n).then(
        (v) => { if (v === n) stats.echoesAcked++; else stats.echoesFailed++; },
        () => { stats.echoesFailed++; },
      ).finally(() => pending.delete(p));
      pending.add(p);
    };
    const offset = Math.floor((i / sockets.length) * echoEveryMs);
    timers.push(setTimeout(() => { fire(); timers.push(setInterval(fire, echoEveryMs)); }, offset));
  });
  const broadcaster = sockets.find((s) => s.connected);
  if (broadcaster && broadcastEveryMs > 0) {
    timers.push(setInterval(() => {
      stats.broadcastsSent++;
      stats.broadcastsExpected += sockets.filter((s) => s.connected).length;
      const p = broadcaster.timeout(30000).emitWithAck('io:emit', 'soak', stats.broadcastsSent)
        .catch(() => { stats.echoesFailed++; }).finally(() => pending.delete(p));
      pending.add(p);
    }, broadcastEveryMs));
  }
  timers.push(setInterval(() => { sample().catch(() => {}); }, sampleEveryMs));

  await new Promise((resolve) => setTimeout(resolve, durationMs));
  for (const t of timers) { clearTimeout(t); clearInterval(t); }
  // Let in-flight acks and broadcasts land (bounded).
  const drainUntil = Date.now() + 30000;
  while ((pending.size > 0 || stats.broadcastsReceived < stats.broadcastsExpected) && Date.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await sample();
  phase = 'closing';
  for (const s of sockets) s.disconnect();

  // Trend of RSS over the second half of the run (the first half includes warm-up and JIT).
  const half = stats.samples.filter((e) => e.t >= stats.connectMs + durationMs / 2 && e.rssKiB != null);
  stats.rssSlopeKiBPerMin = Math.round(slope(half.map((e) => e.t / 60000), half.map((e) => e.rssKiB)));
  const rss = stats.samples.map((e) => e.rssKiB).filter((v) => v != null);
  const heapHalf = half.filter((e) => e.heapKiB != null);
  if (heapHalf.length > 1) {
    stats.heapSlopeKiBPerMin = Math.round(slope(heapHalf.map((e) => e.t / 60000), heapHalf.map((e) => e.heapKiB)));
    const heap = stats.samples.map((e) => e.heapKiB).filter((v) => v != null);
    stats.heapMinKiB = Math.min(...heap);
    stats.heapMaxKiB = Math.max(...heap);
  }
  stats.rssMinKiB = Math.min(...rss);
  stats.rssMaxKiB = Math.max(...rss);
  stats.messagesLost = (stats.echoesSent - stats.echoesAcked) + (stats.broadcastsExpected - stats.broadcastsReceived);
  return stats;
}

module.exports = { runSoak, rssKiB, slope, gcSample, gcSamplerEnv };

// CLI: node tests/js/tools/soak-client.js URL PID CONNECTIONS DURATION_MS [ECHO_MS] [BROADCAST_MS] [SAMPLE_MS]
// Prints progress lines and finally one line "RESULT {json}". GC_SAMPLER_FILE, when set, is read at every
// sample (the server must run with the gc-sampler startup hook writing to it; scripts/soak.sh does that).
if (require.main === module) {
  const [url, pid, connections, durationMs, echoMs, broadcastMs, sampleMs] = process.argv.slice(2);
  runSoak({
    url,
    pid: Number(pid),
    connections: Number(connections || 10000),
    durationMs: Number(durationMs || 600000),
    echoEveryMs: Number(echoMs || 10000),
    broadcastEveryMs: Number(broadcastMs || 10000),
    sampleEveryMs: Number(sampleMs || 10000),
    connectBatch: 200,
    extraSample: process.env.GC_SAMPLER_FILE ? async () => gcSample(process.env.GC_SAMPLER_FILE) : null,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  }).then((stats) => {
    console.log(`RESULT ${JSON.stringify({ ...stats, samples: undefined })}`);
    fs.writeFileSync(process.env.SOAK_SAMPLES || '/dev/null', JSON.stringify(stats.samples));
    process.exit(0);
  }, (err) => { console.error(err); process.exit(1); });
}
