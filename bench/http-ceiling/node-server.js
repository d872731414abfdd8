'use strict';
// The Node counterpart of Program.cs: a bare `http` server answering every request 200 "ok" once its body is read.
const port = Number(process.env.PORT || 3003);
require('http')
  .createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8', 'Content-Length': 2 });
      res.end('ok');
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
