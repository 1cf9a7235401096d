import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { eventually, portAnswers, request, startService, type ServiceProcess } from '../helper.js';

/** Starts a POST whose body is only half sent: a request that is in flight until we finish it. */
function slowPost(port: number, content: string) {
  const body = JSON.stringify({ content });
  const socket = connect(port, '127.0.0.1');
  let response = '';
  socket.on('data', (chunk) => (response += chunk.toString()));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(response)));
  socket.write(
    `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
  );
  return { finish: () => socket.end(body.slice(5)), closed, socket };
}

/** Sends a GET on an already-open keep-alive connection and returns the status line, or
 * "closed" when the server has closed the connection instead. */
function getOn(socket: Socket, path: string) {
  return new Promise<string>((resolve) => {
    if (socket.destroyed) return resolve('closed');
    const onClose = () => resolve('closed');
    socket.once('close', onClose);
    socket.once('data', (chunk) => {
      socket.off('close', onClose);
      resolve(chunk.toString().split('\r\n')[0]!);
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });
}

/** The log lines of the given message, in the order written. */
const linesOf = (service: ServiceProcess, msg: string) => service.logs().filter((line) => line['msg'] === msg);

t.test('SIGTERM: readiness turns 503 during the drain, in-flight requests finish, the process exits 0', async (t) => {
  const env = { DATABASE_PATH: join(t.testdir({}), 'zumo.db'), SHUTDOWN_GRACE_MS: '20000', SHUTDOWN_DRAIN_MS: '4000' };
  const service = await startService(t, env);
  const keepAlive = connect(service.port, '127.0.0.1');
  keepAlive.on('error', () => undefined); // a write racing the server's close: seen as "closed"
  await new Promise((r) => keepAlive.once('connect', r));
  t.match(await getOn(keepAlive, '/readyz'), /^HTTP\/1.1 200/, 'ready before the signal');

  const slow = [slowPost(service.port, 'slow one'), slowPost(service.port, 'slow two')];
  service.child.kill('SIGTERM');
  const readiness = await eventually('readiness to change', async () => {
    const status = await getOn(keepAlive, '/readyz');
    return /^HTTP\/1.1 200/.test(status) ? undefined : status;
  });
  t.match(readiness, /^HTTP\/1.1 503/, 'readiness answers 503 while draining');
  t.match(await getOn(keepAlive, '/api/info'), /^HTTP\/1.1 200/, 'other requests are still served while draining');
  await eventually('the listener to close', async () => ((await portAnswers(service.port)) ? undefined : true));
  t.pass('no new connections after the drain period');
  t.equal(service.child.exitCode, null, 'still running while requests are in flight');

  for (const s of slow) s.finish();
  const responses = await Promise.all(slow.map((s) => s.closed));
  for (const response of responses) t.match(response, /^HTTP\/1.1 201 Created/, 'the in-flight request completed');
  t.equal(await service.exited, 0, 'exit code 0');
  t.match(linesOf(service, 'shutting down'), [{ signal: 'SIGTERM', drainMs: 4000 }], 'SIGTERM drains');

  const restarted = await startService(t, env);
  const page = await request(`${restarted.url}/api/messages`);
  const contents = page.json.items.map((m: { content: string }) => m.content);
  t.ok(
    contents.includes('slow one') && contents.includes('slow two'),
    'both were stored and the database closed cleanly',
  );
});

t.test('SIGINT (Ctrl-C) skips the drain: the listener closes at once and the process exits 0', async (t) => {
  // A drain this long would outlast the test if it ran.
  const service = await startService(t, {
    DATABASE_PATH: join(t.testdir({}), 'zumo.db'),
    SHUTDOWN_DRAIN_MS: '60000',
    SHUTDOWN_GRACE_MS: '10000',
  });
  service.child.kill('SIGINT');
  t.equal(await service.exited, 0, 'exit code 0');
  t.match(linesOf(service, 'shutting down'), [{ signal: 'SIGINT', drainMs: 0 }], 'no drain on SIGINT');
  t.same(linesOf(service, 'drain over, closing the listener'), [], 'the drain never ran');
});

t.test('without SHUTDOWN_DRAIN_MS, SIGTERM does not drain either (the cluster manifests set it)', async (t) => {
  const service = await startService(t, { DATABASE_PATH: join(t.testdir({}), 'zumo.db') });
  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0, 'exit code 0');
  t.match(linesOf(service, 'shutting down'), [{ signal: 'SIGTERM', drainMs: 0 }]);
});

t.test('a second signal exits at once, without waiting for the drain or the grace', async (t) => {
  const service = await startService(t, {
    DATABASE_PATH: join(t.testdir({}), 'zumo.db'),
    SHUTDOWN_GRACE_MS: '60000',
    SHUTDOWN_DRAIN_MS: '60000',
  });
  const slow = slowPost(service.port, 'never finished');
  t.teardown(() => slow.socket.destroy());
  service.child.kill('SIGTERM');
  await eventually('the first signal to be handled', () =>
    linesOf(service, 'shutting down').length ? true : undefined,
  );
  service.child.kill('SIGTERM');
  t.equal(await service.exited, 1, 'exit code 1 on the second signal');
  t.notMatch(service.output(), /killed by timeout/, 'not the budget running out');
});

t.test(
  'SIGTERM with a keep-alive client mid-request: answered with Connection: close, exit 0 before the grace ends',
  async (t) => {
    const dir = t.testdir({});
    const service = await startService(t, {
      DATABASE_PATH: join(dir, 'zumo.db'),
      SHUTDOWN_GRACE_MS: '20000',
      // Long enough for the half-sent request to reach the server before the listener closes.
      SHUTDOWN_DRAIN_MS: '3000',
    });
    // As the ALB does: one kept-alive connection, a request in flight when the listener closes.
    const socket = connect(service.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const body = JSON.stringify({ content: 'in flight at shutdown' });
    socket.write(
      `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    service.child.kill('SIGTERM');
    await eventually('the listener to close', async () => ((await portAnswers(service.port)) ? undefined : true));
    socket.write(body.slice(5));
    await closed;
    t.match(response, /^HTTP\/1.1 201 Created/, 'the in-flight request is answered');
    t.match(response, /\r\nconnection: close\r\n/i, 'with Connection: close');
    t.equal(await service.exited, 0, 'exit code 0');
    t.same(
      linesOf(service, 'shutdown: cut connections still sending at the end of the grace'),
      [],
      'the client let go of the socket: nothing was left to cut at the end of the grace',
    );
    t.notOk(existsSync(join(dir, 'zumo.db-wal')), 'the database was closed cleanly (its WAL checkpointed away)');
  },
);

t.test('stdout closed by its reader: the service keeps answering, and SIGTERM still ends it', async (t) => {
  // A reader that takes one byte and goes away, as a log collector that dies would: the service's
  // next writes to stdout get EPIPE (sonic-boom 4 retried such a write for ever: the process froze).
  const reader = spawn('head', ['-c', '1'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const readerGone = new Promise((r) => reader.on('exit', r));
  const service = await startService(t, { DATABASE_PATH: join(t.testdir({}), 'zumo.db') }, { stdout: reader.stdin! });
  await readerGone;
  // A few lines (less than a 4 KiB batch), so the first write to meet the closed pipe is the
  // periodic flush (LOG_BUFFER.flushEveryMs, 500 ms; two periods are waited here).
  await request(`${service.url}/api/info`);
  await new Promise((r) => setTimeout(r, 1000));
  const statuses: (number | string)[] = [];
  for (let i = 0; i < 40; i++) {
    statuses.push(
      await fetch(`${service.url}/api/info`, { signal: AbortSignal.timeout(10_000) }).then(
        (response) => response.status,
        (err: Error) => err.name,
      ),
    );
  }
  t.same(statuses, Array(40).fill(200), 'every request answered after stdout closed');
  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0, 'exit code 0');
});
