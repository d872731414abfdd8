#!/usr/bin/env node
'use strict';
// One node of the Node reference cluster for bench/cluster/run.sh: socket.io 4.8 serving the bench contract
// (../../../shared/bench/CONTRACT.md: echo, join, room:emit, io:emit on namespace '/') with
// @socket.io/redis-adapter 8.x over node-redis 4.x, so that broadcasts reach the sockets of the other nodes
// through Redis pub/sub, as a socket.io cluster is usually run. Handlers are the same as ref-node-server.js.
//
//   PORT=3401 REDIS_URL=redis://127.0.0.1:6390 node node-cluster-server.js   # a cluster node (redis adapter)
//   PORT=3404 node node-cluster-server.js                                    # one node alone (in-memory adapter)
//
// Listens on 127.0.0.1 only (HOST overrides). Prints "listening on http://HOST:PORT" once the adapter's Redis
// connections are up, and leaves on SIGTERM/SIGINT (closing its Redis connections).

const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
const redisUrl = process.env.REDIS_URL || '';

async function main() {
  const httpServer = http.createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  const io = new Server(httpServer, { serveClient: false });

  let clients = [];
  let adapterName = 'in-memory';
  if (redisUrl) {
    const { createClient } = require('redis');
    const { createAdapter } = require('@socket.io/redis-adapter');
    const pubClient = createClient({ url: redisUrl });
    const subClient = pubClient.duplicate();
    for (const c of [pubClient, subClient]) c.on('error', (e) => console.error(`redis: ${e.message}`));
    await Promise.all([pubClient.connect(), subClient.connect()]);
    io.adapter(createAdapter(pubClient, subClient));
    clients = [pubClient, subClient];
    adapterName = `@socket.io/redis-adapter ${require('@socket.io/redis-adapter/package.json').version} (${redisUrl})`;
  }

  io.on('connection', (socket) => {
    socket.on('echo', (...args) => {
      const ack = args.length && typeof args[args.length - 1] === 'function' ? args.pop() : null;
      if (ack) ack(...args);
    });
    socket.on('join', (room, ack) => {
      socket.join(String(room));
      if (typeof ack === 'function') ack();
    });
    socket.on('room:emit', (room, event, data, ack) => {
      if (typeof data === 'function') { ack = data; data = undefined; }
      socket.to(String(room)).emit(String(event), data);
      if (typeof ack === 'function') ack();
    });
    socket.on('io:emit', (event, data, ack) => {
      if (typeof data === 'function') { ack = data; data = undefined; }
      io.emit(String(event), data);
      if (typeof ack === 'function') ack();
    });
  });

  httpServer.listen(port, host, () => {
    console.log(`listening on http://${host}:${port} (socket.io ${require('socket.io/package.json').version}, adapter ${adapterName}, pid ${process.pid})`);
  });

  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      io.close();
      httpServer.close();
      Promise.allSettled(clients.map((c) => c.quit())).finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 2000).unref();
    });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
