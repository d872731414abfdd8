'use strict';
// Hostile input and slow consumers end to end, against the e2e fixture server (tests/SocketIo.E2E.Server):
// every malformed input closes only its own connection with "parse error" (the fixture reports every
// disconnect reason to its observers) while a healthy socket.io client keeps exchanging acknowledged
// messages; a client that stops reading is disconnected with "outbound queue full" while the server's
// memory stays bounded and the healthy client keeps its throughput; a client that sends faster than its listener
// finishes is paused by inbound flow control (MaxInboundBacklog) and loses nothing. Bounded: each test stops by itself.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { io } = require('socket.io-client');
const WebSocket = require('ws');
const { startServer, withTimeout, E2E_DLL } = require('./lib/server');
const { rssKiB } = require('./tools/soak-client');

const MS = 10000;

/** A raw Engine.IO v4 WebSocket client that joins "/" and records frames. */
async function rawSocket(baseUrl) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const frames = [];
  let closed = null;
  let wake = () => {};
  ws.on('message', (data, isBinary) => { frames.push(isBinary ? Buffer.from(data) : data.toString()); wake(); });
  ws.on('close', (code) => { closed = { code }; wake(); });
  ws.on('error', () => {});
  const until = (check, what, ms = MS) => withTimeout(new Promise((resolve) => {
    const test = () => { const v = check(); if (v !== undefined) { wake = () => {}; resolve(v); } };
    wake = test;
    test();
  }), ms, what);
  await until(() => frames.find((f) => typeof f === 'string' && f.startsWith('0{')), 'open packet');
  ws.send('40');
  const connect = await until(() => frames.find((f) => typeof f === 'string' && f.startsWith('40{')), 'CONNECT answer');
  return { ws, frames, until, id: JSON.parse(connect.slice(2)).sid, closed: (ms) => until(() => closed ?? undefined, 'close', ms) };
}

/** A healthy client that keeps emitting acknowledged echoes until stopped; counts everything. */
function healthyLoop(socket) {
  const stats = { sent: 0, acked: 0, failed: 0, disconnected: null };
  let running = true;
  const onDisconnect = (reason) => { stats.disconnected = reason; };
  socket.on('disconnect', onDisconnect);
  const done = (async () => {
    while (running) {
      stats.sent++;
      try {
        const v = await socket.timeout(MS).emitWithAck('echo', stats.sent);
        if (v === stats.sent) stats.acked++; else stats.failed++;
      } catch { stats.failed++; }
    }
  })();
  return { stats, stop: async () => { running = false; await done; socket.off('disconnect', onDisconnect); return stats; } };
}

describe('robustness end to end (e2e fixture server)', () => {
  let server;
  let observer;
  const reasons = new Map();
  const reasonOf = (id) => withTimeout(new Promise((resolve) => {
    const poll = () => (reasons.has(id) ? resolve(reasons.get(id)) : setTimeout(poll, 20));
    poll();
  }), MS, `the disconnect reason of ${id}`);

  before(async () => {
    server = await startServer([], { dll: E2E_DLL });
    observer = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'] });
    observer.on('disconnected', (e) => { if (e.nsp === '/') reasons.set(e.id, e.reason); });
    await observer.timeout(MS).emitWithAck('observe');
  });
  after(async () => {
    observer?.close();
    await server?.stop();
  });

  test('each malformed input closes only its own connection with parse error; a healthy client loses nothing', async () => {
    const samples = [
      ['42garbage'], ['42["a",'], ['42["a"]x'], ['42[1]'], ['43[]'], ['4'], ['49'], ['45-["a"]'], ['4511-["a"]'],
      ['42/nsp'], ['429999999999999999999999["a"]'], ['42["deep",' + '['.repeat(40) + ']'.repeat(40) + ']'],
      ['451-["a",{"_placeholder":true,"num":5}]'], ['451-["a",{"_placeholder":true,"num":0}]', '42["b"]'],
      ['452147483649-["a"]'], [Buffer.from([1, 2, 3])], ['9'], [''], ['b!!!'], ['4\u0000'],
      ['42["a",{"k":' + '{"k":'.repeat(50) + '1' + '}'.repeat(51) + ']'],
    ];
    const healthySocket = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'] });
    await withTimeout(new Promise((resolve) => healthySocket.once('connect', resolve)), MS, 'healthy connect');
    const healthy = healthyLoop(healthySocket);
    const results = [];
    for (const frames of samples) {
      const raw = await rawSocket(server.url);
      for (const f of frames) raw.ws.send(f);
      await raw.closed();
      results.push({ input: String(frames[frames.length - 1]).slice(0, 40), reason: await reasonOf(raw.id) });
    }
    const stats = await healthy.stop();
    healthySocket.close();
    for (const r of results) assert.equal(r.reason, 'parse error', `input ${r.input}`);
    assert.equal(stats.disconnected, null);
    assert.equal(stats.failed, 0);
    assert.equal(stats.acked, stats.sent);
    assert.ok(stats.acked > samples.length, `healthy client exchanged only ${stats.acked} messages`);
    console.log(`malformed inputs: ${samples.length} connections closed with parse error; healthy client: ${stats.acked}/${stats.sent} acks, lost 0`);
  });

  test('a client that stops reading is disconnected with outbound queue full; memory stays bounded, others keep their throughput', async () => {
    const healthySocket = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'] });
    await withTimeout(new Promise((resolve) => healthySocket.once('connect', resolve)), MS, 'healthy connect');
    // Baseline throughput of the healthy client over one second.
    let healthy = healthyLoop(healthySocket);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const baseline = await healthy.stop();
    const rssBefore = rssKiB(server.pid);

    const stalled = await rawSocket(server.url);
    stalled.ws._socket.pause(); // stop reading: the server's writes back up into its queue
    healthy = healthyLoop(healthySocket);
    const started = Date.now();
    const big = 'x'.repeat(64 * 1024);
    let peak = rssBefore;
    // Ask the server for up to 1,200 x 64 KiB (75 MiB) of replies; the queue bound (16 MiB) cuts it first.
    for (let i = 0; i < 1200 && !reasons.has(stalled.id); i++) {
      stalled.ws.send(`42["server:emit","big","${big}"]`);
      if (i % 50 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        peak = Math.max(peak, rssKiB(server.pid) ?? 0);
      }
    }
    const reason = await reasonOf(stalled.id);
    peak = Math.max(peak, rssKiB(server.pid) ?? 0);
    const elapsed = (Date.now() - started) / 1000;
    const during = await healthy.stop();
    stalled.ws.terminate();
    healthySocket.close();

    assert.equal(reason, 'outbound queue full');
    assert.equal(during.failed, 0);
    assert.equal(during.disconnected, null);
    const growthMiB = (peak - rssBefore) / 1024;
    assert.ok(growthMiB < 256, `server RSS grew by ${growthMiB.toFixed(0)} MiB`);
    const rate = during.acked / elapsed;
    console.log(`slow consumer: closed with "${reason}" after ${elapsed.toFixed(1)} s; server RSS +${growthMiB.toFixed(0)} MiB (peak ${(peak / 1024).toFixed(0)} MiB); healthy client ${baseline.acked}/s before, ${rate.toFixed(0)}/s during, lost 0`);
    assert.ok(during.acked > 0);
  });

  test('a client flooding a slow listener is paused by flow control: nothing lost, memory bounded, others keep their throughput', async () => {
    const count = 600;
    const pad = 'p'.repeat(8 * 1024);
    const healthySocket = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'] });
    await withTimeout(new Promise((resolve) => healthySocket.once('connect', resolve)), MS, 'healthy connect');
    let healthy = healthyLoop(healthySocket);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const baseline = await healthy.stop();
    const pausesBefore = await observer.timeout(MS).emitWithAck('server:receivePauses');
    const rssBefore = rssKiB(server.pid);

    // The fixture's "slow" listener awaits 2 ms per event, so 600 events (4.7 MiB) take seconds to handle while
    // the client writes them all at once: the server stops reading at 256 unhandled events (the default
    // MaxInboundBacklog) and the rest waits in the TCP buffers and on the client's side of the connection.
    const flooder = await rawSocket(server.url);
    healthy = healthyLoop(healthySocket);
    const started = Date.now();
    let peak = rssBefore;
    const sample = () => { peak = Math.max(peak, rssKiB(server.pid) ?? 0); };
    const sampler = setInterval(sample, 50);
    const ackPattern = /^43(\d+)\[(\d+)\]$/;
    const acks = [];
    let scanned = 0;
    let answered;
    try {
      for (let i = 0; i < count; i++) flooder.ws.send(`42${i}["slow",${i},2,"${pad}"]`);
      sample();
      answered = await flooder.until(() => {
        for (; scanned < flooder.frames.length; scanned++) {
          const m = typeof flooder.frames[scanned] === 'string' && ackPattern.exec(flooder.frames[scanned]);
          if (m) acks.push([Number(m[1]), Number(m[2])]);
        }
        return acks.length >= count || reasons.has(flooder.id) ? acks : undefined;
      }, `${count} acks of the flooded events`, 60000);
    } finally {
      clearInterval(sampler);
    }
    sample();
    const elapsed = (Date.now() - started) / 1000;
    const during = await healthy.stop();
    const pausesAfter = await observer.timeout(MS).emitWithAck('server:receivePauses');
    const flooderReason = reasons.get(flooder.id) ?? null;
    flooder.ws.terminate();
    healthySocket.close();

    assert.equal(flooderReason, null, 'the flooding client was disconnected');
    assert.equal(answered.length, count);
    const outOfOrder = answered.filter(([id, n], i) => id !== i || n !== i).length;
    assert.equal(outOfOrder, 0, 'every event acked once, in order');
    assert.ok(pausesAfter > pausesBefore, 'the server never paused reading the flooding client');
    assert.equal(during.failed, 0);
    assert.equal(during.disconnected, null);
    assert.ok(during.acked > 0);
    const growthMiB = (peak - rssBefore) / 1024;
    assert.ok(growthMiB < 128, `server RSS grew by ${growthMiB.toFixed(0)} MiB`);
    console.log(`inbound flood: ${count} events of 8 KiB to a 2 ms listener, all ${answered.length} handled and acked in order in ${elapsed.toFixed(1)} s (lost 0); server paused reading ${pausesAfter - pausesBefore} times; server RSS +${growthMiB.toFixed(0)} MiB; healthy client ${baseline.acked}/s before, ${(during.acked / elapsed).toFixed(0)}/s during, lost 0`);
  });
});
