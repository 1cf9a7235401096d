import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { HTTP_LIMITS } from '@zumo/config';
import { request, startService } from '../helper.js';

// Slow or silent clients are cut off after seconds, and the number of sockets held at once is
// capped, so they cannot exhaust the pod's memory (docs/service.md, "Slow clients").

/** The order in which the server closed the test's sockets. */
const closedOrder: string[] = [];

/** Opens a socket, writes `first`, and resolves with what the server said when it closed it;
 * `openedAt` and `closedAt` are in the test's clock (only compared with the lower bounds below). */
function slowClient(name: string, port: number, first: string) {
  const socket = connect(port, '127.0.0.1');
  const openedAt = performance.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  socket.write(first);
  const closed = new Promise<{ afterMs: number; received: string }>((resolve) =>
    socket.on('close', () => {
      closedOrder.push(name);
      resolve({ afterMs: performance.now() - openedAt, received });
    }),
  );
  return { socket, closed };
}

t.test('timeouts: headers and whole requests that never finish are cut off, headers first', async (t) => {
  const service = await startService(t, { DATABASE_PATH: join(t.testdir({}), 'zumo.db') });

  const partialHeaders = slowClient('partial headers', service.port, 'GET /api/info HTTP/1.1\r\nHost: x\r\n');
  const trickle = slowClient(
    'trickled body',
    service.port,
    'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
  );
  const dripping = setInterval(() => trickle.socket.write(' '), 500);
  t.teardown(() => clearInterval(dripping));

  // Lower bounds only: the server must not cut a client early; how late it is depends on the
  // machine's load (its check runs every connectionsCheckingIntervalMs).
  const headers = await partialHeaders.closed;
  t.ok(
    headers.afterMs >= HTTP_LIMITS.headersTimeoutMs - 100,
    `partial headers were given the headers timeout (${HTTP_LIMITS.headersTimeoutMs} ms)`,
  );
  t.match(headers.received, /^HTTP\/1.1 408 /, 'and then cut with a 408');
  t.match(headers.received, /content-security-policy: /i, 'carrying the security headers');

  const body = await trickle.closed;
  clearInterval(dripping);
  t.ok(
    body.afterMs >= HTTP_LIMITS.requestTimeoutMs - 100,
    `a trickled body was given the request timeout (${HTTP_LIMITS.requestTimeoutMs} ms), though it kept sending`,
  );
  t.match(body.received, /^HTTP\/1.1 408 /, 'and then cut with a 408');
  t.same(closedOrder, ['partial headers', 'trickled body'], 'headers are due before the whole request');
  t.ok(HTTP_LIMITS.headersTimeoutMs <= HTTP_LIMITS.requestTimeoutMs, 'as the limits say');
  t.ok(
    HTTP_LIMITS.keepAliveTimeoutMs > HTTP_LIMITS.loadBalancerIdleTimeoutMs,
    'idle keep-alive connections outlive the ALB idle timeout (the ALB closes first, no 502)',
  );
});

t.test('at most maxConnections sockets are held; the rest are dropped at once', async (t) => {
  // Every socket comes from 127.0.0.1: one client, allowed the whole server (the per-client limit
  // is test/http/connections-per-client.test.ts).
  const service = await startService(t, {
    DATABASE_PATH: join(t.testdir({}), 'zumo.db'),
    MAX_CONNECTIONS_PER_CLIENT: String(HTTP_LIMITS.maxConnections),
  });
  const held: Socket[] = [];
  t.teardown(() => held.forEach((s) => s.destroy()));
  // Each held socket gets one answer and then idles in keep-alive (keepAliveTimeout, 65 s): a
  // socket that never sent a request would be cut at the 10 s headers timeout, which opening
  // thousands of sockets can outlast on a loaded machine.
  const answered: Promise<unknown>[] = [];
  for (let i = 0; i < HTTP_LIMITS.maxConnections; i++) {
    const socket = connect(service.port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    socket.on('error', () => undefined);
    answered.push(
      new Promise((r) => {
        socket.once('data', r);
        socket.once('close', r);
      }),
    );
    held.push(socket);
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(answered);
  await new Promise((r) => setTimeout(r, 300));
  // (The readiness poll's fetch may keep a pooled connection of its own: it counts too.)
  const open = held.filter((s) => !s.destroyed).length;
  t.ok(
    open >= HTTP_LIMITS.maxConnections - 5,
    `up to the cap, connections are held (${open} of ${HTTP_LIMITS.maxConnections})`,
  );

  const extra = slowClient('one too many', service.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const refused = await extra.closed;
  t.equal(refused.received, '', 'one more is dropped without an answer');
  t.equal(
    held.filter((s) => !s.destroyed).length,
    open,
    'while every held connection stays open (it was dropped, not made to wait for a timeout)',
  );

  held.splice(0, 10).forEach((s) => s.destroy());
  await new Promise((r) => setTimeout(r, 200));
  t.equal((await request(`${service.url}/healthz`)).status, 200, 'below the cap, new connections are served');
});
