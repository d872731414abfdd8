'use strict';
// Helpers over a socket.io-client socket (4.x or 2.x) shared by the end-to-end tests.
const { withTimeout } = require('./server');

const DEFAULT_MS = 5000;

/**
 * Records every event `socket` receives (onAny), in order, each with the time it came (`at`).
 * of(event) lists the argument lists received so far, names() the event names; next(event, pred, ms)
 * resolves with the arguments of the first `event` matching `pred`, received now or later, and rejects
 * after `ms` naming what did come.
 */
function inbox(socket) {
  const events = [];
  let waiters = [];
  socket.onAny((event, ...args) => {
    events.push({ event, args, at: Date.now() });
    const ws = waiters;
    waiters = [];
    for (const w of ws) w();
  });
  return {
    events,
    names: () => events.map((e) => e.event),
    of: (event) => events.filter((e) => e.event === event).map((e) => e.args),
    async next(event, pred = () => true, ms = DEFAULT_MS) {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = events.find((e) => e.event === event && pred(...e.args));
        if (hit) return hit.args;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for '${event}' on ${socket.nsp}; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => { clearTimeout(t); resolve(); });
        });
      }
    },
  };
}

/** The chat's setUsername(name); resolves with ['userSet', payload] or ['userExists', payload], whichever comes first. */
function setUsername(socket, name, ms = DEFAULT_MS) {
  return withTimeout(new Promise((resolve) => {
    const done = (event) => (payload) => {
      socket.off('userSet');
      socket.off('userExists');
      resolve([event, payload]);
    };
    socket.once('userSet', done('userSet'));
    socket.once('userExists', done('userExists'));
    socket.emit('setUsername', name);
  }), ms, `the answer to setUsername(${JSON.stringify(name)})`);
}

module.exports = { inbox, setUsername };
