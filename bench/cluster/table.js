#!/usr/bin/env node
'use strict';
// Markdown table of medians from bench/cluster/run.sh's results.jsonl (one JSON line per load.js run):
//   node bench/cluster/table.js docs/bench/2026-12-05-cluster/results.jsonl

const fs = require('fs');

const file = process.argv[2];
if (!file) { console.error('usage: table.js results.jsonl'); process.exit(2); }
const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

const median = (xs) => {
  const s = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const runs = (server, topology, mode) => lines.filter((l) => l.server === server && l.topology === topology && l.mode === mode);
const med = (server, topology, mode, get) => median(runs(server, topology, mode).map((l) => { try { return get(l.result); } catch { return null; } }));
const int = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));
const ms = (x) => (x == null ? '–' : x.toFixed(2));
const pair = (a, b) => `${ms(a)} / ${ms(b)}`;
const ratio = (a, b) => (a == null || b == null || !b ? '–' : `${(a / b).toFixed(2)}×`);

const F = (s, t) => med(s, t, 'fanout', (r) => r.deliveriesPerSec);
const oF3 = F('ours', '3-node'); const nF3 = F('node', '3-node');
const oF1 = F('ours', '1-node'); const nF1 = F('node', '1-node');
const L = (s, t, get) => med(s, t, 'latency', get);
const hop50 = (s) => L(s, '3-node', (r) => r.hopAddedMs.p50);
const hop99 = (s) => L(s, '3-node', (r) => r.hopAddedMs.p99);
const n = Math.max(...['ours', 'node'].flatMap((s) => ['3-node', '1-node'].flatMap((t) => ['fanout', 'latency'].map((m) => runs(s, t, m).length))));

const fanRatio = oF3 != null && nF3 ? oF3 / nF3 : null;
const oHop = hop50('ours');
const rows = [
  ['fan-out across 3 nodes, deliveries/s', int(oF3), int(nF3), ratio(oF3, nF3), fanRatio == null ? '≥ 3× Node' : `≥ 3× Node: ${fanRatio >= 3 ? 'met' : 'missed'}`],
  ['fan-out on 1 node, deliveries/s', int(oF1), int(nF1), ratio(oF1, nF1), ''],
  ['fan-out, 3 nodes ÷ 1 node', ratio(oF3, oF1), ratio(nF3, nF1), '', ''],
  ['fan-out delivery latency, 3 nodes, p50 / p99 ms', pair(med('ours', '3-node', 'fanout', (r) => r.latencyMs.p50), med('ours', '3-node', 'fanout', (r) => r.latencyMs.p99)),
    pair(med('node', '3-node', 'fanout', (r) => r.latencyMs.p50), med('node', '3-node', 'fanout', (r) => r.latencyMs.p99)), '', ''],
  ['CPU 0 busy during fan-out, 3 nodes (servers\' share)', `${int(med('ours', '3-node', 'fanout', (r) => r.cpu0BusyPct))} % (${int(med('ours', '3-node', 'fanout', (r) => r.serverCpuPct))} %)`,
    `${int(med('node', '3-node', 'fanout', (r) => r.cpu0BusyPct))} % (${int(med('node', '3-node', 'fanout', (r) => r.serverCpuPct))} %)`, '', ''],
  ['latency on 1 node, p50 / p99 ms', pair(L('ours', '1-node', (r) => r.sameNodeMs.p50), L('ours', '1-node', (r) => r.sameNodeMs.p99)),
    pair(L('node', '1-node', (r) => r.sameNodeMs.p50), L('node', '1-node', (r) => r.sameNodeMs.p99)), '', ''],
  ['latency in the 3-node cluster, same node, p50 / p99 ms', pair(L('ours', '3-node', (r) => r.sameNodeMs.p50), L('ours', '3-node', (r) => r.sameNodeMs.p99)),
    pair(L('node', '3-node', (r) => r.sameNodeMs.p50), L('node', '3-node', (r) => r.sameNodeMs.p99)), '', ''],
  ['latency in the 3-node cluster, cross-node, p50 / p99 ms', pair(L('ours', '3-node', (r) => r.crossNodeMs.p50), L('ours', '3-node', (r) => r.crossNodeMs.p99)),
    pair(L('node', '3-node', (r) => r.crossNodeMs.p50), L('node', '3-node', (r) => r.crossNodeMs.p99)), '', ''],
  ['**added by the cross-node hop**, p50 / p99 ms', pair(oHop, hop99('ours')), pair(hop50('node'), hop99('node')), '',
    oHop == null ? '≤ 1 ms at p50' : `≤ 1 ms at p50: ${oHop <= 1 ? 'met' : 'missed'}`],
];

const problems = lines.filter((l) => l.result && (l.result.bad || l.result.stalled || l.result.undrained || l.result.missing));
console.log(`| median of ${n} runs | ours (Akka.Cluster) | Node socket.io 4.8 + redis adapter | ours ÷ Node | goal |`);
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log();
console.log(problems.length
  ? `Runs with errors: ${problems.map((l) => `${l.server} ${l.topology} ${l.mode} ${l.label} (bad ${l.result.bad}, stalled ${l.result.stalled}, undrained ${l.result.undrained ?? '-'}, missing ${l.result.missing ?? '-'})`).join('; ')}`
  : `No run had a lost, duplicated or reordered delivery, a stall or an undrained broadcast (${lines.length} runs).`);
