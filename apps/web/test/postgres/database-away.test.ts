/**
 * PostgreSQL going away and coming back under a running service: every request that needs it is
 * answered 503 with Retry-After (never a hang, never a 500 with a cause), the pod stays ready (the
 * database is shared: its outage must not empty the load balancer), and the service recovers by
 * itself once the server is back, without a restart.
 */
import { connect, createServer, type Socket } from 'node:net';
import t from 'tap';
import { build, request } from '../helper.js';
import { startPostgres } from './server.js';

t.test('the database away: 503 + Retry-After, still ready; back: served again without a restart', async (t) => {
  const postgres = await startPostgres(t);
  const { url, logs } = await build(t, { DATABASE_URL: postgres.url });
  t.equal((await request(`${url}/api/messages`, { json: { content: 'before' } })).status, 201);

  postgres.stop();
  for (const [what, answer] of [
    ['list', await request(`${url}/api/messages`)],
    ['one', await request(`${url}/api/messages/1`)],
    ['post', await request(`${url}/api/messages`, { json: { content: 'during' } })],
    ['legacy', await request(`${url}/api/message`)],
  ] as const) {
    t.equal(answer.status, 503, `${what}: 503`);
    t.equal(answer.headers.get('retry-after'), '5', `${what}: Retry-After`);
    t.notMatch(answer.text, /ECONNREFUSED|127\.0\.0\.1|postgres/i, `${what}: the cause is not shown`);
  }
  t.equal((await request(`${url}/readyz`)).status, 200, 'still ready: the load balancer keeps its targets');
  t.equal((await request(`${url}/healthz`)).status, 200, 'alive');

  postgres.start();
  const after = await request(`${url}/api/messages`, { json: { content: 'after' } });
  t.equal(after.status, 201, 'writes again without a restart');
  const page = await request(`${url}/api/messages`);
  t.same(
    page.json.items.map((m: { content: string }) => m.content),
    ['after', 'before', 'Hello from Kubernetes!'],
    'nothing acknowledged was lost, nothing refused was stored',
  );
  t.ok(
    logs.some((line) => line['level'] === 50 || line['level'] === 40),
    'the outage is logged',
  );
});

t.test(
  'a database still starting at boot (Aurora resuming): the service waits for it instead of failing',
  async (t) => {
    const postgres = await startPostgres(t);
    const target = new URL(postgres.url);
    // A gate in front of the server: connections hang (as while Aurora resumes) until it opens.
    let open = false;
    let attempts = 0;
    const held: Socket[] = [];
    const gate = createServer((socket) => {
      attempts++;
      if (!open) {
        held.push(socket);
        socket.on('error', () => undefined);
        return;
      }
      const upstream = connect(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    t.teardown(() => {
      held.forEach((s) => s.destroy());
      gate.close();
    });
    const gated = new URL(postgres.url);
    gated.port = String((gate.address() as { port: number }).port);

    const booting = build(t, { DATABASE_URL: gated.toString() });
    // Open once the boot has seen its first connection time out (pool timeout 2 s) and tried again.
    while (attempts < 2) await new Promise((resolve) => setTimeout(resolve, 200));
    open = true;
    const { url } = await booting;
    t.ok(attempts >= 2, `the boot tried again after a connection timed out (${attempts} connections)`);
    t.equal((await request(`${url}/api/messages`, { json: { content: 'resumed' } })).status, 201, 'then serves');
  },
);
