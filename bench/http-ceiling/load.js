'use strict';
// Request load shaped like the harness's polling scenario: CONNS keep-alive connections (16), each sending one
// request at a time, alternating a GET and a POST of a 20-byte Socket.IO packet, for SECONDS. Prints one JSON line:
// {"scenario":"ceiling","label","reqPerSec","requests","errors","seconds"}, and a readable line on stderr. Uses the harness's own HTTP client (fasthttp.js) so the client cost per
// request is the polling scenario's. The first second is a warm-up, not counted.
//   node bench/http-ceiling/load.js HARNESS_DIR PORT SECONDS LABEL [CONNS]
const path = require('path');
const [harness, port, seconds, label, conns = '16'] = process.argv.slice(2);
if (!label) { console.error('usage: load.js HARNESS_DIR PORT SECONDS LABEL [CONNS]'); process.exit(2); }
const { HttpConn } = require(path.resolve(harness, 'fasthttp.js'));
const URL_PATH = '/socket.io/?EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA';
let requests = 0;
let errors = 0;

async function connection(warmupEnd, end) {
  const c = new HttpConn('127.0.0.1', Number(port));
  for (let i = 0; Date.now() < end; i++) {
    try {
      const r = i % 2 ? await c.request('POST', URL_PATH, '42["echo",{"a":1}]') : await c.request('GET', URL_PATH);
      if (r.status !== 200) errors++;
    } catch {
      errors++;
    }
    if (Date.now() >= warmupEnd) requests++;
  }
}

const start = Date.now();
const warmupEnd = start + 1000;
const end = warmupEnd + Number(seconds) * 1000;
Promise.all(Array.from({ length: Number(conns) }, () => connection(warmupEnd, end))).then(() => {
  const secs = (Date.now() - warmupEnd) / 1000;
  const reqPerSec = Math.round(requests / secs);
  console.log(JSON.stringify({ scenario: 'ceiling', label, reqPerSec, requests, errors, seconds: secs }));
  console.error(`[${label}] ceiling ${reqPerSec.toLocaleString('en-US')} req/s (${conns} connections, ${errors} errors)`);
  process.exit(errors ? 1 : 0);
});
