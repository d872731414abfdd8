#!/usr/bin/env node
'use strict';
// Medians of bench.js JSON lines (labels node, ours, node-fresh, ours-fresh as bench/run.sh writes them, and base,
// base-fresh for an earlier build of ours) as one Markdown table with the ratio ours ÷ Node per scenario and the
// targets of issue 7.
//   node bench/ratios.js results.jsonl...

const fs = require('fs');

const files = process.argv.slice(2);
if (!files.length) { console.error('usage: node bench/ratios.js FILE.jsonl...'); process.exit(2); }
const rows = [];
const ceilingRows = []; // bench/http-ceiling/load.js lines (bench/run.sh's ceiling.jsonl)
for (const f of files)
  for (const line of fs.readFileSync(f, 'utf8').split('\n'))
    if (line.startsWith('{')) try { const r = JSON.parse(line); (r.scenario === 'ceiling' ? ceilingRows : rows).push(r); } catch { /* skip */ }

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x, d = 0) => (x == null ? '-' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const bad = (r) => !!(r.error || r.stalled || r.failed > 0 || r.badAcks > 0 || r.bad > 0 || r.closedEarly > 0);

// [row name, scenario, label suffix, metric, unit, decimals, target ratio, higher is better]
const ROWS = [
  ['echo (50 conns × 32 acked in flight)', 'echo', '', 'msgsPerSec', 'acked msgs/s', 0, 3, true],
  ['fanout (1000 receivers in a room)', 'fanout', '', 'deliveriesPerSec', 'deliveries/s', 0, 3, true],
  ['connect, fresh server', 'connect', '-fresh', 'connsPerSec', 'conns/s', 0, 2, true],
  ['connect, fresh server: memory', 'connect', '-fresh', 'kibPerConn', 'KiB RSS per idle conn', 1, null, false],
  ['connect, warmed server', 'connect', '', 'connsPerSec', 'conns/s', 0, 2, true],
  ['polling (16 sessions at once, 3 echoes)', 'polling', '', 'sessionsPerSec', 'sessions/s', 0, 2, true],
];

// Rows labelled "base" (bench/run.sh with BASE_DLL: an earlier build of ours in the same rounds) add two columns.
const withBase = rows.some((r) => r.label === 'base' || r.label === 'base-fresh');
const out = [];
out.push(`| scenario | Node (median) |${withBase ? ' base (median) | base ÷ Node |' : ''} ours (median) | unit | ours ÷ Node | target | met | runs N/${withBase ? 'base/' : ''}ours | CPU% server N/ours | CPU% harness N/ours | errors |`);
out.push(`|---|---|${withBase ? '---|---|' : ''}---|---|---|---|---|---|---|---|---|`);
for (const [name, scenario, suffix, key, unit, d, target, higherBetter] of ROWS) {
  const of = (server) => rows.filter((r) => r.scenario === scenario && r.label === server + suffix);
  const n = of('node'); const o = of('ours'); const b = of('base');
  if (!n.length && !o.length) continue;
  const mn = median(n.map((r) => r[key])); const mo = median(o.map((r) => r[key])); const mb = median(b.map((r) => r[key]));
  const ratio = mn && mo != null ? mo / mn : null;
  const baseRatio = mn && mb != null ? mb / mn : null;
  const baseCols = withBase ? ` ${fmt(mb, d)} | ${baseRatio == null ? '-' : baseRatio.toFixed(2) + '×'} |` : '';
  let tgt = '-'; let met = '-';
  if (target != null) { tgt = `≥ ${target}×`; met = ratio == null ? '?' : ratio >= target ? 'yes' : 'no'; }
  if (key === 'kibPerConn') { tgt = '≤ 8 KiB'; met = mo == null ? '?' : mo <= 8 ? 'yes' : 'no'; }
  const errs = [...n, ...b, ...o].filter(bad).length;
  const cpu = (rs, k) => fmt(median(rs.map((r) => r[k])));
  out.push(`| ${name} | ${fmt(mn, d)} |${baseCols} **${fmt(mo, d)}** | ${unit} | **${ratio == null ? '-' : ratio.toFixed(2) + '×'}** | ${tgt} | ${met} | ${n.length}/${withBase ? b.length + '/' : ''}${o.length} | ${cpu(n, 'serverCpuPct')}/${cpu(o, 'serverCpuPct')} | ${cpu(n, 'harnessCpuPct')}/${cpu(o, 'harnessCpuPct')} | ${errs} |`);
  void higherBetter;
}
console.log(out.join('\n'));
const errored = rows.filter(bad);
console.log(errored.length
  ? `\n${errored.length} run(s) reported errors, bad acks, stalls or early closes: ${errored.map((r) => `${r.label}/${r.scenario}: ${r.error || r.lastError || 'see JSON'}`).join('; ')}`
  : `\nZero errors, bad acks, stalls or early closes in ${rows.length} runs.`);
if (ceilingRows.length) {
  // What the polling figures mean next to the bare servers measured in the same rounds.
  const cm = (label) => median(ceilingRows.filter((r) => r.label === label).map((r) => r.reqPerSec));
  const pm = (label) => median(rows.filter((r) => r.scenario === 'polling' && r.label === label).map((r) => r.requestsPerSec));
  const k = cm('kestrel-http'); const nh = cm('node-http'); const po = pm('ours'); const pn = pm('node');
  const pct = (a, b) => (a != null && b ? `${Math.round((100 * a) / b)} %` : '-');
  console.log('\n| bare HTTP server, polling request mix (same rounds) | median req/s | runs | polling server on it | its polling req/s | share of the bare rate |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| Kestrel (bench/http-ceiling) | ${fmt(k)} | ${ceilingRows.filter((r) => r.label === 'kestrel-http').length} | ours | ${fmt(po)} | ${pct(po, k)} |`);
  console.log(`| Node http | ${fmt(nh)} | ${ceilingRows.filter((r) => r.label === 'node-http').length} | Node socket.io | ${fmt(pn)} | ${pct(pn, nh)} |`);
  if (k && pn) console.log(`\n2× Node's polling (${fmt(2 * pn)} req/s, 10 requests a session) is ${pct(2 * pn, k)} of what bare Kestrel answered in the same rounds.`);
  const cerr = ceilingRows.filter((r) => r.errors > 0).length;
  if (cerr) console.log(`\n${cerr} ceiling run(s) had errors.`);
}
const harnessBusy = rows.filter((r) => r.harnessCpuPct >= 90).map((r) => `${r.label}/${r.scenario} ${r.harnessCpuPct}%`);
if (harnessBusy.length) console.log(`\nHarness at ≥ 90 % of its core (it may be the limit there): ${harnessBusy.join(', ')}`);
