import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { startService } from '../helper.js';

// Node's server.close() stops the timer that enforces the header and request timeouts, such
// sockets are not "idle" to closeIdleConnections(), and the request timeout (20 s) outlives the
// grace: without the service's own cut, one connection that never finished its request (no bytes,
// partial headers, a trickled body) would make SIGTERM end with exit 1 after the whole budget.

/** The order in which things ended, as the test saw it. */
const ended: string[] = [];

/** A raw client: writes `first`, records what comes back and notes when the server closes it. */
function client(name: string, port: number, first?: string) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      ended.push(name);
      resolve();
    }),
  );
  const opened = new Promise((resolve) => socket.once('connect', resolve));
  if (first) socket.write(first);
  return { socket, closed, opened, received: () => received };
}

t.test('SIGTERM with idle, half-sent and trickling connections: exit 0, database closed', async (t) => {
  const dir = t.testdir({});
  const service = await startService(t, {
    DATABASE_PATH: join(dir, 'zumo.db'),
    SHUTDOWN_DRAIN_MS: '300',
    SHUTDOWN_GRACE_MS: '6000',
  });
  const silent = client('silent', service.port);
  const partial = client('partial headers', service.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
  const keptAlive = client('kept alive', service.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const upload = client(
    'trickling upload',
    service.port,
    'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
  );
  await Promise.all([silent, partial, keptAlive, upload].map((c) => c.opened));
  const drip = setInterval(() => upload.socket.write(' '), 250);
  t.teardown(() => clearInterval(drip));
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (keptAlive.received()) resolve(void clearInterval(check));
    }, 20);
  });
  t.match(keptAlive.received(), /^HTTP\/1.1 200 /, 'the kept-alive connection had its answer');

  service.child.kill('SIGTERM');
  const code = await service.exited;
  ended.push('exit');
  await Promise.all([silent, partial, keptAlive, upload].map((c) => c.closed));
  clearInterval(drip);

  t.equal(code, 0, 'exit code 0');
  t.notMatch(service.output(), /killed by timeout/, 'not killed by the budget');
  t.notOk(existsSync(join(dir, 'zumo.db-wal')), 'the database was closed (its WAL checkpointed away)');
  t.same(
    ended.slice(-2),
    ['trickling upload', 'exit'],
    'the idle, silent and half-sent connections closed first; the trickling upload last, before the exit',
  );
  t.match(
    service.logs().filter((l) => l['msg'] === 'shutdown: cut connections still sending at the end of the grace'),
    [{ connections: 1 }],
    'the upload kept its connection until the cut near the end of the grace, and was then the only one open',
  );
});
