#!/usr/bin/env node
'use strict';
// Load client of bench/cluster/run.sh: cross-node broadcast fan-out and the latency of a cross-node hop, against
// any server (or cluster of servers) that serves the bench contract (shared/bench/CONTRACT.md) on every node.
// Clients speak Socket.IO v5 over raw WebSocket frames (fastws.js of the shared harness, copied next to this file
// by run.sh), so that one core of client can drive a few hundred thousand deliveries a second.
//
//   node load.js --mode fanout  --urls http://127.0.0.1:3401,http://127.0.0.1:3402,http://127.0.0.1:3403 [--receivers 999]
//   node load.js --mode latency --urls URL1,URL2,URL3 [--rate 200 --duration 10]
//   node load.js --mode check   --urls URL1,URL2,URL3          (socket.io-client 4.8: cross-node semantics once)
//
// fanout:  R receivers, spread round-robin over the nodes (all on the one node when one URL is given), join room
//          "bench"; one sender on the first node (never in the room) sends room:emit("bench", "tick", {t, s, p})
//          without ack, keeping B broadcasts in flight (sent, not yet received by every receiver), as bench.js's
//          fanout does. Deliveries are counted over a fixed window (--duration s after --warmup s), then sending
//          stops and what is in flight drains. Every receiver must see every tick once and in order ("bad" counts
//          anything else); 5 s without a delivery ends the run as stalled.
// latency: one sender on the first node, K receivers on each node (--per-node, 1) in room "lat"; the sender sends
//          room:emit at --rate per second for --duration s, each tick carrying its send time t (µs of
//          process.hrtime, the clock every client of this process shares). Per receiver: latency = receive time - t.
//          Same-node = receivers on the sender's node, cross-node = the others; hop = cross-node - same-node
//          (p50 from p50, p99 from p99).
// One JSON line per run on stdout; a human line on stderr. --pids PID,PID,... (the server processes, redis
// included) adds their CPU use over the window; cpu0/cpu1 are the machine's two CPUs (servers on 0, load on 1).

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

// fastws.js comes from the shared harness (run.sh copies it here); fall back to the shared folder itself.
let FastWs;
for (const p of [path.join(__dirname, 'fastws.js'), path.join(__dirname, '..', '..', '..', 'shared', 'bench', 'fastws.js')]) {
  if (fs.existsSync(p)) { ({ FastWs } = require(p)); break; }
}
if (!FastWs) { console.error('load.js: fastws.js not found (copy shared/bench/fastws.js next to load.js)'); process.exit(2); }

// ------------------------------------------------------------------------------------------------ options
const o = {
  mode: 'fanout', urls: '', label: '', server: '', topology: '', pids: '',
  receivers: 999, bwindow: 16, duration: 8, warmup: 2, payload: 100, stall: 5,
  rate: 200, perNode: 1, concurrency: 50, connectTimeout: 15,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const k = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  if (!(k in o)) { console.error(`load.js: unknown option ${argv[i]}`); process.exit(2); }
  const v = argv[++i];
  if (v === undefined) { console.error(`load.js: ${argv[i - 1]} needs a value`); process.exit(2); }
  o[k] = typeof o[k] === 'number' ? Number(v) : v;
}
const URLS = o.urls.split(',').map((s) => s.trim()).filter(Boolean);
if (!URLS.length) { console.error('load.js: --urls URL[,URL...] is required (the sender uses the first)'); process.exit(2); }
const PIDS = o.pids.split(',').map(Number).filter((x) => x > 0);

// ------------------------------------------------------------------------------------------------ helpers
const nowUs = () => { const [s, ns] = process.hrtime(); return s * 1e6 + Math.floor(ns / 1e3); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
const r3 = (x) => (x == null ? null : Math.round(x * 1000) / 1000);
const log = (s) => process.stderr.write(`${s}\n`);

class Samples { // values in ms
  constructor() { this.a = new Float64Array(1 << 14); this.n = 0; }
  add(v) {
    if (this.n === this.a.length) { if (this.n >= 1 << 24) return; const b = new Float64Array(this.n * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  summary() {
    const n = this.n;
    if (!n) return { count: 0, p50: null, p90: null, p99: null, max: null, mean: null };
    const s = this.a.slice(0, n).sort();
    const q = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
    let sum = 0; for (let i = 0; i < n; i++) sum += s[i];
    return { count: n, p50: r3(q(0.5)), p90: r3(q(0.9)), p99: r3(q(0.99)), max: r3(s[n - 1]), mean: r3(sum / n) };
  }
}

let CLK_TCK = 100;
try { CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { /* default */ }
function procTicks(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch { return null; }
}
function cpuTicks() { // per CPU: [busy, total] for cpu0, cpu1
  const out = {};
  try {
    for (const line of fs.readFileSync('/proc/stat', 'utf8').split('\n')) {
      const m = /^cpu(\d+) (.*)$/.exec(line);
      if (!m) continue;
      const v = m[2].trim().split(/\s+/).map(Number);
      const idle = v[3] + (v[4] || 0);
      const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
      out[m[1]] = [total - idle, total];
    }
  } catch { /* not Linux */ }
  return out;
}
function cpuSnap() { return { t: performance.now(), self: process.cpuUsage(), srv: PIDS.map(procTicks), cpu: cpuTicks() }; }
function cpuDelta(a, b) {
  const wallMs = b.t - a.t;
  const out = { clientCpuPct: r1(((b.self.user - a.self.user + b.self.system - a.self.system) / 1000 / wallMs) * 100) };
  if (PIDS.length) {
    let ticks = 0;
    for (let i = 0; i < PIDS.length; i++) if (a.srv[i] != null && b.srv[i] != null) ticks += b.srv[i] - a.srv[i];
    out.serverCpuPct = r1(((ticks * 1000) / CLK_TCK / wallMs) * 100);
  }
  for (const c of ['0', '1']) {
    if (a.cpu[c] && b.cpu[c]) out[`cpu${c}BusyPct`] = r1(((b.cpu[c][0] - a.cpu[c][0]) / Math.max(1, b.cpu[c][1] - a.cpu[c][1])) * 100);
  }
  return out;
}

// Runs fn(i) for i in [0, n) with at most `conc` at once.
async function pool(n, conc, fn) {
  const res = new Array(n); let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, conc) }, async () => { while (next < n) { const i = next++; res[i] = await fn(i); } }));
  return res;
}

// ------------------------------------------------------------------------------------------------ raw Socket.IO client
// Engine.IO v4 websocket straight away, Socket.IO CONNECT to '/', pings answered; EVENT frames go to onEvent(buf)
// (a view valid during the call), ACKs resolve emitWithAck.
class RawSio {
  constructor(url) {
    const u = new URL(url); u.protocol = 'ws:'; u.pathname = '/socket.io/'; u.search = '?EIO=4&transport=websocket';
    this.url = u.toString(); this.fw = null; this.nextId = 0; this.acks = new Map(); this.onEvent = null; this.closed = false;
  }
  connect() {
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => fail(new Error(`connect timeout (${this.url})`)), o.connectTimeout * 1000);
      const fail = (e) => { if (done) return; done = true; clearTimeout(timer); if (this.fw) this.fw.terminate(); reject(e); };
      const fw = new FastWs(this.url, { timeoutMs: o.connectTimeout * 1000 });
      this.fw = fw;
      fw.onClose = () => { this.closed = true; fail(new Error('closed during handshake')); };
      fw.onError = fail;
      fw.onMessage = (d) => {
        const c0 = d[0];
        if (c0 === 0x34) {
          const c1 = d[1];
          if (c1 === 0x32) { if (this.onEvent) this.onEvent(d); } else if (c1 === 0x33) {
            let id = 0; let i = 2;
            for (; i < d.length; i++) { const x = d[i] - 48; if (x < 0 || x > 9) break; id = id * 10 + x; }
            const cb = this.acks.get(id); if (cb) { this.acks.delete(id); cb(); }
          } else if (c1 === 0x30) { if (!done) { done = true; clearTimeout(timer); resolve(this); } } else if (c1 === 0x34) fail(new Error(`CONNECT_ERROR ${d}`));
        } else if (c0 === 0x32) fw.sendText('3');
        else if (c0 === 0x30) fw.sendText('40');
      };
      fw.connect().catch(fail);
    });
  }
  send(s) { this.fw.sendText(s); }
  emitWithAck(argsJson) {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const t = setTimeout(() => { this.acks.delete(id); reject(new Error('ack timeout')); }, o.connectTimeout * 1000);
      this.acks.set(id, () => { clearTimeout(t); resolve(); });
      this.send(`42${id}${argsJson}`);
    });
  }
  close() { return this.fw ? this.fw.close() : Promise.resolve(); }
}

async function openOn(urls, count, room) { // count clients, round-robin over urls; joined to room when given
  return pool(count, o.concurrency, async (i) => {
    const c = await new RawSio(urls[i % urls.length]).connect();
    c.node = (i % urls.length) + 1;
    if (room) await c.emitWithAck(JSON.stringify(['join', room]));
    return c;
  });
}

// Reads t and s from '42["tick",{"t":<int>,"s":<int>,...}]'; anything else through JSON.parse; null if not a tick.
const PREFIX = Buffer.from('42["tick",{"t":');
const PL = PREFIX.length;
function parseTick(buf) {
  let ok = buf.length > PL + 8;
  for (let i = 0; ok && i < PL; i++) if (buf[i] !== PREFIX[i]) ok = false;
  if (ok) {
    let i = PL; let t = 0; let d;
    while ((d = buf[i] - 48) >= 0 && d <= 9) { t = t * 10 + d; i++; }
    if (buf[i] === 0x2c && buf[i + 1] === 0x22 && buf[i + 2] === 0x73 && buf[i + 3] === 0x22 && buf[i + 4] === 0x3a) {
      i += 5; let s = 0; const i0 = i;
      while ((d = buf[i] - 48) >= 0 && d <= 9) { s = s * 10 + d; i++; }
      if (i > i0) { TICK.t = t; TICK.s = s; return TICK; }
    }
  }
  try { const a = JSON.parse(buf.toString('utf8', 2)); if (a[0] === 'tick') { TICK.t = a[1].t; TICK.s = a[1].s; return TICK; } } catch { /* not ours */ }
  return null;
}
const TICK = { t: 0, s: 0 };

// ------------------------------------------------------------------------------------------------ fanout
async function fanout() {
  const R = o.receivers; const B = Math.max(1, o.bwindow);
  log(`fanout: ${R} receivers over ${URLS.length} node(s), sender on ${URLS[0]}, ${B} broadcasts in flight`);
  const receivers = await openOn(URLS, R, 'bench');
  const [sender] = await openOn([URLS[0]], 1, null);
  const perNode = URLS.map((_, k) => receivers.filter((r) => r.node === k + 1).length);
  const pad = 'x'.repeat(Math.max(0, o.payload - `{"t":${nowUs()},"s":100000,"p":""}`.length));
  const RING = 1 << 16; const counts = new Uint32Array(RING);
  const lat = new Samples();
  let sent = 0; let completed = 0; let delivered = 0; let measured = 0; let bad = 0; let measuring = false; let stopping = false;
  let lastProgress = performance.now();
  const expect = new Float64Array(R);
  const pump = () => { while (!stopping && sent - completed < B) { const s = sent++; counts[s & (RING - 1)] = 0; sender.send(`42["room:emit","bench","tick",{"t":${nowUs()},"s":${s},"p":"${pad}"}]`); } };
  receivers.forEach((r, idx) => {
    r.onEvent = (buf) => {
      const tk = parseTick(buf);
      if (!tk) return;
      const s = tk.s;
      if (s !== expect[idx] || s >= sent) bad++;
      expect[idx] = s + 1;
      delivered++; lastProgress = performance.now();
      if (measuring) { measured++; lat.add((nowUs() - tk.t) / 1000); }
      if (++counts[s & (RING - 1)] === R) { completed++; pump(); }
    };
  });
  pump();
  let stalled = false;
  const watchdog = setInterval(() => { if (performance.now() - lastProgress > o.stall * 1000) stalled = true; }, 200);
  await sleep(o.warmup * 1000);
  const c0 = cpuSnap(); measuring = true; const d0 = delivered;
  const t0 = performance.now();
  for (let waited = 0; waited < o.duration * 1000 && !stalled; waited += 100) await sleep(100);
  measuring = false; const t1 = performance.now(); const c1 = cpuSnap(); const dWin = delivered - d0;
  stopping = true;
  for (let i = 0; i < o.stall * 10 && completed < sent && !stalled; i++) await sleep(100);
  clearInterval(watchdog);
  const undrained = sent - completed;
  await Promise.all([...receivers, sender].map((c) => c.close()));
  const secs = (t1 - t0) / 1000;
  const latency = lat.summary();
  const cpu = cpuDelta(c0, c1);
  const dps = Math.round(dWin / secs);
  return {
    params: { receivers: R, receiversPerNode: perNode, bwindow: B, duration: o.duration, warmup: o.warmup, payloadBytes: `{"t":${nowUs()},"s":100000,"p":"${pad}"}`.length },
    result: { deliveriesPerSec: dps, broadcastsPerSec: r1(dWin / R / secs), delivered: dWin, sentBroadcasts: sent, seconds: r3(secs), latencyMs: latency, bad, undrained, stalled, measuredTicks: measured, ...cpu },
    human: `fanout ${dps.toLocaleString('en-US')} deliveries/s  p50 ${latency.p50} ms p99 ${latency.p99} ms (${R} receivers ${perNode.join('/')}, B=${B}, client CPU ${cpu.clientCpuPct}%, server CPU ${cpu.serverCpuPct ?? '?'}%, cpu0 ${cpu.cpu0BusyPct}%${bad ? `, BAD ${bad}` : ''}${stalled ? ', STALLED' : ''}${undrained ? `, undrained ${undrained}` : ''})`,
  };
}

// ------------------------------------------------------------------------------------------------ latency
async function latency() {
  const K = Math.max(1, o.perNode);
  // With one node, K x 3 receivers on it (the same client load as three nodes); otherwise K per node.
  const urls = URLS.length === 1 ? [URLS[0], URLS[0], URLS[0]] : URLS;
  const receivers = await openOn(urls, K * urls.length, 'lat');
  for (const r of receivers) r.node = URLS.indexOf(urls[(r.node - 1) % urls.length]) + 1;
  const [sender] = await openOn([URLS[0]], 1, null);
  log(`latency: sender on ${URLS[0]}, receivers on node(s) ${receivers.map((r) => r.node).join(',')}, ${o.rate}/s for ${o.duration} s`);
  const same = new Samples(); const cross = new Samples(); const perNode = URLS.map(() => new Samples());
  let bad = 0; let got = 0;
  const total = Math.round(o.rate * o.duration);
  const expect = new Float64Array(receivers.length);
  receivers.forEach((r, idx) => {
    r.onEvent = (buf) => {
      const tRecv = nowUs();
      const tk = parseTick(buf);
      if (!tk) return;
      if (tk.s !== expect[idx]) bad++;
      expect[idx] = tk.s + 1; got++;
      if (tk.s < Math.round(o.rate * o.warmup)) return; // the first --warmup seconds are not counted
      const ms = (tRecv - tk.t) / 1000;
      (r.node === 1 ? same : cross).add(ms);
      perNode[r.node - 1].add(ms);
    };
  });
  // Paced by the schedule, not by setInterval's drift: message i leaves at start + i / rate.
  const c0 = cpuSnap();
  const start = performance.now(); const periodMs = 1000 / o.rate;
  for (let i = 0; i < total; i++) {
    const due = start + i * periodMs - performance.now();
    if (due > 0.5) await sleep(due);
    sender.send(`42["room:emit","lat","tick",{"t":${nowUs()},"s":${i},"p":"x"}]`);
  }
  const c1 = cpuSnap();
  for (let i = 0; i < o.stall * 10 && got < total * receivers.length; i++) await sleep(100);
  const missing = total * receivers.length - got;
  await Promise.all([...receivers, sender].map((c) => c.close()));
  const S = same.summary(); const C = cross.summary();
  const hop = C.count && S.count ? { p50: r3(C.p50 - S.p50), p99: r3(C.p99 - S.p99) } : { p50: null, p99: null };
  const cpu = cpuDelta(c0, c1);
  return {
    params: { rate: o.rate, duration: o.duration, warmup: o.warmup, receiversPerNode: URLS.map((_, k) => receivers.filter((r) => r.node === k + 1).length) },
    result: { sameNodeMs: S, crossNodeMs: C, hopAddedMs: hop, perNodeMs: perNode.map((p) => p.summary()), bad, missing, ...cpu },
    human: `latency same-node p50 ${S.p50} p99 ${S.p99} ms; cross-node p50 ${C.p50} p99 ${C.p99} ms; hop +${hop.p50} / +${hop.p99} ms (server CPU ${cpu.serverCpuPct ?? '?'}%${bad ? `, BAD ${bad}` : ''}${missing ? `, MISSING ${missing}` : ''})`,
  };
}

// ------------------------------------------------------------------------------------------------ check
// With the real socket.io-client 4.8: a receiver on every node joins "check"; room:emit from node 1 reaches each
// receiver once with the same value and not the sender; io:emit reaches every socket, the sender included; echo acks.
async function check() {
  const { io } = require('socket.io-client');
  const connect = (url) => new Promise((resolve, reject) => {
    const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: o.connectTimeout * 1000 });
    s.once('connect', () => resolve(s)); s.once('connect_error', reject);
  });
  const fails = [];
  const expectEq = (what, a, b) => { if (JSON.stringify(a) !== JSON.stringify(b)) fails.push(`${what}: got ${JSON.stringify(a)}, want ${JSON.stringify(b)}`); };
  const receivers = await Promise.all(URLS.map(connect));
  const sender = await connect(URLS[0]);
  for (const r of receivers) await r.timeout(5000).emitWithAck('join', 'check');
  const data = { t: 1, s: 2, p: 'ü€', n: [1.5, null, true], o: { k: 'v' } };
  expectEq('echo', await sender.timeout(5000).emitWithAck('echo', data, 'two'), data);
  const got = new Map(); const all = [...receivers, sender];
  all.forEach((c, i) => { got.set(i, []); c.onAny((ev, ...args) => got.get(i).push([ev, ...args])); });
  await sender.timeout(5000).emitWithAck('room:emit', 'check', 'c1', data);
  await sender.timeout(5000).emitWithAck('io:emit', 'c2', data);
  await sleep(1000);
  all.forEach((c, i) => {
    const who = i < receivers.length ? `receiver on node ${i + 1}` : 'sender (node 1)';
    const want = i < receivers.length ? [['c1', data], ['c2', data]] : [['c2', data]];
    expectEq(`${who} received`, got.get(i), want);
  });
  all.forEach((c) => c.close());
  return { params: { nodes: URLS.length }, result: { pass: fails.length === 0, failures: fails }, human: fails.length ? `check FAILED:\n  ${fails.join('\n  ')}` : `check passed on ${URLS.length} node(s)` };
}

// ------------------------------------------------------------------------------------------------ main
(async () => {
  const fn = { fanout, latency, check }[o.mode];
  if (!fn) { console.error(`load.js: --mode fanout|latency|check, not ${o.mode}`); process.exit(2); }
  const hard = setTimeout(() => { console.error('load.js: hard timeout'); process.exit(3); }, (o.warmup + o.duration + 4 * o.stall + 120) * 1000);
  hard.unref();
  const out = await fn();
  const line = { time: new Date().toISOString(), mode: o.mode, server: o.server, topology: o.topology || `${URLS.length}-node`, label: o.label, urls: URLS, ...out };
  delete line.human;
  process.stdout.write(`${JSON.stringify(line)}\n`);
  log(`  ${o.server || ''} ${line.topology} ${out.human}`);
  process.exit(o.mode === 'check' && !out.result.pass ? 1 : 0);
})().catch((e) => { console.error(`load.js: ${e.stack || e}`); process.exit(1); });
