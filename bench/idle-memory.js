// Memory per idle Socket.IO WebSocket connection, measured on a server you started:
//   node bench/idle-memory.js PORT PID [CONNECTIONS=2000]
// Opens 200 warm-up connections and closes them, then reads the server's reachable managed heap (tests/js/tools/
// heap-histogram, ClrMD: the server is suspended while its heap is walked) and RSS (/proc/PID/status); opens
// CONNECTIONS WebSocket-only connections to /socket.io/ (each joins namespace / with "40" and answers pings), waits
// 1.5 s and reads both again. Prints one JSON line: KiB per connection of reachable heap and of RSS. The heap figure
// is what the connections keep alive; the RSS figure also holds whatever garbage the GC has not collected yet.
// Bounded: every connection must open within 10 s; the script exits by itself (closing its connections).
// Needs `npm ci` in tests/js (for ws) and `dotnet build tests/js/tools/heap-histogram -c Release`. Example:
//   dotnet src/Node/bin/Release/net10.0/SocketIo.Node.dll --app bench --port 3314 & node bench/idle-memory.js 3314 $!
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const WebSocket = require(path.join(__dirname, '..', 'tests', 'js', 'node_modules', 'ws'));

const [port, pid, count = '2000'] = process.argv.slice(2);
if (!port || !pid) {
  console.error('usage: node bench/idle-memory.js PORT PID [CONNECTIONS]');
  process.exit(2);
}
const histogram = path.join(__dirname, '..', 'tests', 'js', 'tools', 'heap-histogram', 'bin', 'Release', 'net10.0', 'HeapHistogram.dll');
const reachableBytes = () => {
  const out = execFileSync('dotnet', [histogram, pid, '5'], { encoding: 'utf8', timeout: 120_000 });
  return Number(/TOTAL \d+ objects (\d+) bytes/.exec(out)[1]);
};
const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const open = () => new Promise((resolve, reject) => {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
  const timer = setTimeout(() => reject(new Error('connection not open within 10 s')), 10_000);
  socket.on('message', (data) => {
    const text = data.toString();
    if (text[0] === '0') socket.send('40');
    else if (text.startsWith('40')) { clearTimeout(timer); resolve(socket); }
    else if (text === '2') socket.send('3');
  });
  socket.on('error', reject);
});
const openMany = async (n) => {
  const sockets = [];
  for (let i = 0; i < n; i += 50) sockets.push(...await Promise.all(Array.from({ length: Math.min(50, n - i) }, open)));
  return sockets;
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

(async () => {
  const n = Number(count);
  for (const socket of await openMany(200)) socket.close();
  await pause(1500);
  const heapBefore = reachableBytes();
  const rssBefore = rssKiB();
  const sockets = await openMany(n);
  await pause(1500);
  const heapAfter = reachableBytes();
  const rssAfter = rssKiB();
  console.log(JSON.stringify({
    connections: n,
    heapKiBPerConn: Number(((heapAfter - heapBefore) / n / 1024).toFixed(2)),
    rssKiBPerConn: Number(((rssAfter - rssBefore) / n).toFixed(2)),
  }));
  for (const socket of sockets) socket.terminate();
  process.exit(0);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
