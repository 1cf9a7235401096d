import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import t from 'tap';
import { PATHS } from '@zumo/config';
import { WRITE_RETRY } from '../../src/db/group-commit.js';
import { request, startService } from '../helper.js';
import { parseExposition, sampleValue } from '../prometheus-text.js';

/** The longest event-loop delay the service saw since the previous scrape (prom-client's default
 * metrics: perf_hooks.monitorEventLoopDelay, reset on every scrape). */
async function maxEventLoopDelayMs(url: string): Promise<number> {
  const metrics = parseExposition((await request(`${url}${PATHS.metrics}`)).text);
  return sampleValue(metrics, 'nodejs_eventloop_lag_max_seconds') * 1000;
}

// While another connection (a backup, an operator's shell) holds the write lock, waiting posts
// must not freeze the event loop: liveness keeps answering while they wait, readiness does not
// report an event-loop stall, and a post that cannot get the lock in time gets 503 + Retry-After.
t.test('a held write lock: liveness answers while posts wait, they get 503 + Retry-After, then succeed', async (t) => {
  const path = join(t.testdir({}), 'zumo.db');
  const service = await startService(t, { DATABASE_PATH: path, MESSAGE_RATE_LIMIT: '1000' });
  const other = new BetterSqlite3(path);
  t.teardown(() => other.close());
  await maxEventLoopDelayMs(service.url); // starts the measured period
  other.exec('BEGIN IMMEDIATE'); // the write lock, held as a backup or a shell would

  let pending = true;
  const posts = Promise.all(
    Array.from({ length: 20 }, (_, i) => request(`${service.url}/api/messages`, { json: { content: `waiting ${i}` } })),
  ).finally(() => (pending = false));
  const livenessWhilePending: number[] = [];
  while (pending) {
    const status = (await request(`${service.url}${PATHS.health}`)).status;
    if (pending) livenessWhilePending.push(status);
    await new Promise((r) => setTimeout(r, 50));
  }
  const answers = await posts;
  t.ok(
    livenessWhilePending.length > 0,
    `liveness answered while the posts waited (${livenessWhilePending.length} times)`,
  );
  t.same([...new Set(livenessWhilePending)], [200], 'always with 200');
  // Waiting for the lock on the event loop would stall it for the whole retry budget at least.
  const delayMs = await maxEventLoopDelayMs(service.url);
  t.ok(
    delayMs < WRITE_RETRY.budgetMs,
    `the event loop never stalled for the retry budget (${WRITE_RETRY.budgetMs} ms); longest delay ${Math.round(delayMs)} ms`,
  );
  const ready = await request(`${service.url}${PATHS.ready}`);
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
