import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import t from 'tap';
import { request, startService } from '../helper.js';

// While another connection (a backup, an operator's shell) holds the write lock,
// waiting posts must not freeze the event loop: liveness keeps answering fast, readiness does not
// report an event-loop stall, and a post that cannot get the lock in time gets 503 + Retry-After.
t.test('a held write lock: liveness stays fast, posts get 503 + Retry-After, then succeed', async (t) => {
  const path = join(t.testdir({}), 'zumo.db');
  const service = await startService(t, { DATABASE_PATH: path, MESSAGE_RATE_LIMIT: '1000' });
  const other = new BetterSqlite3(path);
  t.teardown(() => other.close());
  other.exec('BEGIN IMMEDIATE'); // the write lock, held as a backup or a shell would

  const posts = Array.from({ length: 20 }, (_, i) =>
    request(`${service.url}/api/messages`, { json: { content: `waiting ${i}` } }),
  );
  const livenessMs: number[] = [];
  const started = Date.now();
  while (Date.now() - started < 3000) {
    const sent = Date.now();
    t.equal((await request(`${service.url}/healthz`)).status, 200);
    livenessMs.push(Date.now() - sent);
    await new Promise((r) => setTimeout(r, 100));
  }
  const answers = await Promise.all(posts);
  t.ok(Math.max(...livenessMs) < 500, `liveness answered within ${Math.max(...livenessMs)} ms throughout`);
  const ready = await request(`${service.url}/readyz`);
  t.equal(ready.status, 200, `readiness is not tripped by an event-loop stall: ${ready.text}`);
  t.same([...new Set(answers.map((a) => a.status))], [503], 'every post that could not get the lock in time: 503');
  t.equal(answers[0]!.headers.get('retry-after'), '1', 'with Retry-After');
  t.match(answers[0]!.json, { statusCode: 503, error: 'Service Unavailable', message: /database is busy/ });

  other.exec('ROLLBACK');
  const after = await request(`${service.url}/api/messages`, { json: { content: 'after the lock' } });
  t.equal(after.status, 201, 'once the lock is released, posts are stored');
  const stored = (await request(`${service.url}/api/messages?limit=100`)).json.items.map(
    (m: { content: string }) => m.content,
  );
  t.notOk(
    stored.some((c: string) => c.startsWith('waiting')),
    'nothing refused was stored',
  );
});

t.test('a lock held briefly is waited for off the event loop: the post succeeds', async (t) => {
  const path = join(t.testdir({}), 'zumo.db');
  const service = await startService(t, { DATABASE_PATH: path });
  const other = new BetterSqlite3(path);
  t.teardown(() => other.close());
  other.exec('BEGIN IMMEDIATE');
  const post = request(`${service.url}/api/messages`, { json: { content: 'patient' } });
  await new Promise((r) => setTimeout(r, 400));
  other.exec('COMMIT');
  t.equal((await post).status, 201);
});
