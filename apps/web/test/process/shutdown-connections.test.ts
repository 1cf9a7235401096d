import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { startService } from '../helper.js';

// One connection that never finished its request (no bytes,
// partial headers, a trickled body) made SIGTERM end with exit 1 after the whole budget: Node's
// server.close() stops the timer that enforces the header and request timeouts, such sockets are
// not "idle" to closeIdleConnections(), and the request timeout (20 s) outlives the grace.

/** A raw client: writes `first`, records what comes back and when the server closes it. */
function client(port: number, first?: string) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let received = '';
  let closedAt = 0;
  socket.on('data', (chunk) => (received += chunk.toString()));
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      closedAt = Date.now();
      resolve();
    }),
  );
  const opened = new Promise((resolve) => socket.once('connect', resolve));
  if (first) socket.write(first);
  return { socket, closed, opened, received: () => received, closedAt: () => closedAt };
}

const DRAIN_MS = 300;
const GRACE_MS = 4000;

t.test('SIGTERM with idle, half-sent and trickling connections: exit 0, database closed', async (t) => {
  const dir = t.testdir({});
  const service = await startService(t, {
    DATABASE_PATH: join(dir, 'zumo.db'),
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
  });
  const silent = client(service.port);
  const partial = client(service.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
  const keptAlive = client(service.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const upload = client(
    service.port,
    'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
  );
  await Promise.all([silent, partial, keptAlive, upload].map((c) => c.opened));
  const drip = setInterval(() => upload.socket.write(' '), 500);
  t.teardown(() => clearInterval(drip));
  await new Promise((r) => setTimeout(r, 200));
  t.match(keptAlive.received(), /^HTTP\/1.1 200 /, 'the kept-alive connection had its answer');

  const signalled = Date.now();
  service.child.kill('SIGTERM');
  const listenerClosed = signalled + DRAIN_MS;
  const code = await service.exited;
  const tookMs = Date.now() - signalled;
  clearInterval(drip);

  t.equal(code, 0, `exit code 0 (after ${tookMs} ms)`);
  t.ok(tookMs < DRAIN_MS + GRACE_MS, `within the drain + grace budget (${DRAIN_MS + GRACE_MS} ms)`);
  t.notMatch(service.stdout(), /killed by timeout/, 'not killed by the budget');
  t.notOk(existsSync(join(dir, 'zumo.db-wal')), 'the database was closed (its WAL checkpointed away)');
  for (const [name, c] of [
    ['a silent connection', silent],
    ['partial headers', partial],
    ['an idle kept-alive connection', keptAlive],
  ] as const) {
    const afterClose = c.closedAt() - listenerClosed;
    t.ok(c.closedAt() > 0 && afterClose < 1000, `${name}: closed when the listener closed (${afterClose} ms after)`);
  }
  const uploadCut = upload.closedAt() - listenerClosed;
  t.ok(
    uploadCut > GRACE_MS / 4 && uploadCut < GRACE_MS,
    `a trickling upload is cut before the grace runs out, not at once (${uploadCut} ms after the listener closed)`,
  );
  t.match(service.stdout(), /"msg":"shutdown: cut connections still sending at the end of the grace"/);
});
