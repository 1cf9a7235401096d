/**
 * One contract, two engines: the same requests against the service on SQLite and on PostgreSQL
 * give the same answers (ids, order, keyset pagination, limits, validation, 201 only once
 * committed), apart from the timestamps. Each engine is a real one: a SQLite file, a PostgreSQL
 * server.
 */
import t from 'tap';
import { build, request } from '../helper.js';
import { engines } from './engines.js';

const { engines: both } = await engines(t);

/** A scripted session on a fresh database, recorded as the client sees it (timestamps aside). */
async function session(url: string) {
  const seen: unknown[] = [];
  const record = async (what: string, response: Awaited<ReturnType<typeof request>>) => {
    const body = JSON.parse(
      JSON.stringify(response.json ?? null, (key, value) => (key === 'createdAt' ? typeof value : value)),
    );
    seen.push({
      what,
      status: response.status,
      location: response.headers.get('location'),
      retryAfter: response.headers.get('retry-after'),
      body,
    });
    return response;
  };
  await record('first page', await request(`${url}/api/messages`));
  for (let n = 1; n <= 7; n++) {
    await record(
      `post ${n}`,
      await request(`${url}/api/messages`, {
        json: { content: `  message ${n} ✓ `, author: n % 2 ? 'ana' : undefined },
      }),
    );
  }
  let before: number | null = null;
  do {
    const page = await record(
      `page before ${before}`,
      await request(`${url}/api/messages?limit=3${before ? `&before=${before}` : ''}`),
    );
    before = page.json.nextBefore;
  } while (before);
  await record('one', await request(`${url}/api/messages/3`));
  await record('missing', await request(`${url}/api/messages/999`));
  await record('legacy newest', await request(`${url}/api/message`));
  await record('empty content', await request(`${url}/api/messages`, { json: { content: '   ' } }));
  await record('too long', await request(`${url}/api/messages`, { json: { content: 'x'.repeat(281) } }));
  await record('limit 0', await request(`${url}/api/messages?limit=0`));
  await record('limit 101', await request(`${url}/api/messages?limit=101`));
  await record('before 0', await request(`${url}/api/messages?before=0`));
  await record('page past the end', await request(`${url}/api/messages?before=1`));
  return seen;
}

t.test('both engines answer the same session identically', async (t) => {
  const sessions: Record<string, unknown[]> = {};
  for (const engine of both) {
    const { url } = await build(t, { ...engine.freshDatabase(t), MESSAGE_RATE_LIMIT: '1000' });
    sessions[engine.name] = await session(url);
  }
  t.same(sessions['postgres'], sessions['sqlite'], 'PostgreSQL answers as SQLite does');
  // And what they agree on is the contract, not a shared mistake:
  const sqlite = sessions['sqlite'] as { what: string; status: number; body: any }[];
  t.same(
    sqlite[0]!.body.items.map((m: any) => m.content),
    ['Hello from Kubernetes!'],
    'a new database holds the welcome message',
  );
  t.match(
    sqlite.find((s) => s.what === 'post 1'),
    {
      status: 201,
      location: '/api/messages/2',
      body: { id: 2, content: 'message 1 ✓', author: 'ana', createdAt: 'string' },
    },
  );
  const pages = sqlite.filter((s) => s.what.startsWith('page before'));
  t.same(
    pages.flatMap((p) => p.body.items.map((m: any) => m.id)),
    [8, 7, 6, 5, 4, 3, 2, 1],
    'pages cover every message once, newest first',
  );
  t.same(sqlite.find((s) => s.what === 'legacy newest')!.body, { message: 'message 7 ✓' });
  for (const what of ['empty content', 'too long', 'limit 0', 'limit 101', 'before 0'])
    t.equal(sqlite.find((s) => s.what === what)!.status, 400, `${what}: 400`);
  t.equal(sqlite.find((s) => s.what === 'missing')!.status, 404);
});

for (const engine of both) {
  t.test(
    `${engine.name}: a 201 is committed: a new app on the same database reads it, welcome seeded once`,
    async (t) => {
      const env = engine.freshDatabase(t);
      const first = await build(t, env);
      const created = await request(`${first.url}/api/messages`, { json: { content: 'kept' } });
      t.equal(created.status, 201);
      await first.app.close();
      const second = await build(t, env);
      const page = await request(`${second.url}/api/messages`);
      t.same(
        page.json.items.map((m: any) => m.content),
        ['kept', 'Hello from Kubernetes!'],
      );
    },
  );

  t.test(`${engine.name}: concurrent posts all get distinct ascending ids and are all stored`, async (t) => {
    const { url, app } = await build(t, { ...engine.freshDatabase(t), MESSAGE_RATE_LIMIT: '1000' });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) => request(`${url}/api/messages`, { json: { content: `c${n}` } })),
    );
    t.same(
      answers.map((a) => a.status),
      Array(40).fill(201),
    );
    const ids = answers.map((a) => a.json.id as number);
    t.equal(new Set(ids).size, 40, 'distinct ids');
    t.equal(await app.messages.count(), 41, 'all stored (and the welcome message)');
    const page = await request(`${url}/api/messages?limit=100`);
    const listed = page.json.items.map((m: any) => m.id as number);
    t.same(
      listed,
      [...listed].sort((a, b) => b - a),
      'listed newest first by id',
    );
  });
}
