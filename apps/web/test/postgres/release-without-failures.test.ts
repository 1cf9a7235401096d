/**
 * A release as the cluster runs one, here on one machine: two service processes on one real
 * PostgreSQL behind a local reverse proxy that, like the load balancer, sends traffic only to
 * targets whose /readyz answers 200. Under continuous reads and writes: start the new process,
 * wait until it is ready, shift traffic to it, send the old one SIGTERM (it drains: readiness 503,
 * still serving, for SHUTDOWN_DRAIN_MS) and let it stop. No request may fail and every
 * acknowledged write must be in the database afterwards.
 */
import t, { type Test } from 'tap';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { request, startService, type ServiceProcess } from '../helper.js';
import { startPostgres } from './server.js';

/** The load balancer's part: health checks every 100 ms, round robin over healthy targets. */
function loadBalancer(t: Test) {
  const targets = new Map<number, { healthy: boolean }>();
  let next = 0;
  const check = setInterval(() => {
    for (const [port, state] of targets) {
      fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(500) }).then(
        (r) => (state.healthy = r.status === 200),
        () => (state.healthy = false),
      );
    }
  }, 100);
  const server = createServer((req, res) => {
    const healthy = [...targets].filter(([, s]) => s.healthy).map(([port]) => port);
    if (healthy.length === 0) return void res.writeHead(502).end('no healthy target');
    const port = healthy[next++ % healthy.length]!;
    // One upstream connection per request (no keep-alive): the proxy's own connection reuse is
    // not what is under test.
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' } },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.headersSent || res.writeHead(502).end('upstream error'));
    req.pipe(upstream);
  });
  t.teardown(() => {
    clearInterval(check);
    server.close();
  });
  return {
    server,
    add: (service: ServiceProcess) => targets.set(service.port, { healthy: false }),
    remove: (service: ServiceProcess) => targets.delete(service.port),
    healthy: (service: ServiceProcess) => targets.get(service.port)?.healthy === true,
  };
}

const until = async (what: string, condition: () => boolean, limitMs = 30_000) => {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

t.test('a release under load: 0 failed requests, every acknowledged write kept', async (t) => {
  const postgres = await startPostgres(t);
  const env = { DATABASE_URL: postgres.url, MESSAGE_RATE_LIMIT: '1000000', SHUTDOWN_DRAIN_MS: '1500' };
  const balancer = loadBalancer(t);
  await new Promise<void>((r) => balancer.server.listen(0, '127.0.0.1', r));
  const address = balancer.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const old = await startService(t, env);
  balancer.add(old);
  await until('the old process is in service', () => balancer.healthy(old));

  const failures: string[] = [];
  const acknowledged: number[] = [];
  let requests = 0;
  let running = true;
  const client = async (n: number) => {
    for (let i = 0; running; i++) {
      try {
        const answer =
          i % 2 === 0
            ? await request(`${url}/api/messages`, { json: { content: `client ${n} write ${i}` } })
            : await request(`${url}/api/messages?limit=5`);
        requests++;
        if (answer.status === 201) acknowledged.push(answer.json.id);
        else if (answer.status !== 200) failures.push(`${answer.status} ${answer.text.slice(0, 80)}`);
      } catch (err) {
        failures.push(String(err));
      }
    }
  };
  const clients = Array.from({ length: 8 }, (_, n) => client(n));
  await until('load is flowing', () => requests >= 100);

  const fresh = await startService(t, env);
  balancer.add(fresh);
  await until('the new process is in service', () => balancer.healthy(fresh));
  old.child.kill('SIGTERM');
  await until('the balancer took the old process out', () => !balancer.healthy(old));
  t.equal(await old.exited, 0, 'the old process stopped cleanly');
  balancer.remove(old);
  const served = requests;
  await until('the new process serves alone', () => requests >= served + 100);
  running = false;
  await Promise.all(clients);

  t.same(failures, [], `no request failed (${requests} requests, ${acknowledged.length} writes)`);
  const stored = new Set(postgres.sql('SELECT id FROM messages', 'zumo').trim().split('\n').map(Number));
  t.same(
    acknowledged.filter((id) => !stored.has(id)),
    [],
    'every acknowledged write is in the database',
  );
});
