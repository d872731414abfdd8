'use strict';
// Starts the SocketIo.Node host as a child process on 127.0.0.1 with a free port, waits for its
// ready line, and stops exactly that process (by PID) afterwards.
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DLL = process.env.SOCKETIO_NODE_DLL
  || path.join(ROOT, 'src', 'Node', 'bin', 'Release', 'net10.0', 'SocketIo.Node.dll');

/** The end-to-end fixture server (tests/SocketIo.E2E.Server), for `startServer(args, { dll: E2E_DLL })`; SOCKETIO_E2E_DLL overrides the path. */
const E2E_DLL = process.env.SOCKETIO_E2E_DLL
  || path.join(ROOT, 'tests', 'SocketIo.E2E.Server', 'bin', 'Release', 'net10.0', 'SocketIo.E2E.Server.dll');

/**
 * Starts a server (the SocketIo.Node host unless `dll` names another). Resolves with
 * { url, port, pid, proc, output(), pause(), resume(), stop() }.
 * Rejects if the ready line does not appear within `timeoutMs`.
 */
function startServer(args = [], { timeoutMs = 30000, env = {}, dll = DLL } = {}) {
  if (!fs.existsSync(dll)) throw new Error(`server not built: ${dll} (run dotnet build -c Release)`);
  const proc = spawn('dotnet', [dll, '--host', '127.0.0.1', '--port', '0', ...args], {
    env: { ...process.env, DOTNET_gcServer: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { out += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
    });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m && !proc.readyUrl) {
        proc.readyUrl = m[1];
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        resolve({
          url: m[1],
          port: Number(m[2]),
          pid: proc.pid,
          proc,
          output: () => out,
          pause: () => process.kill(proc.pid, 'SIGSTOP'),
          resume: () => process.kill(proc.pid, 'SIGCONT'),
          stop: () => stopProcess(proc),
        });
      }
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
function stopProcess(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => { clearTimeout(kill); resolve(); });
    try { process.kill(proc.pid, 'SIGCONT'); } catch { /* already gone */ }
    proc.kill('SIGTERM');
  });
}

/** Rejects after `ms` with a message naming what was awaited. */
function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
  ]);
}

/** Resolves with the arguments of the next `event` on `emitter`, or rejects after `ms`. */
function once(emitter, event, ms = 5000) {
  return withTimeout(new Promise((resolve) => emitter.once(event, (...a) => resolve(a))), ms, `'${event}'`);
}

/** Normalises Buffer / ArrayBuffer / typed arrays to a Buffer. */
function toBuffer(d) {
  if (Buffer.isBuffer(d)) return d;
  if (d instanceof ArrayBuffer) return Buffer.from(d);
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  throw new Error(`not binary: ${typeof d}`);
}

module.exports = { startServer, stopProcess, withTimeout, once, toBuffer, ROOT, E2E_DLL };
