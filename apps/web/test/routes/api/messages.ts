import t from 'tap';
import { build, request } from '../../helper.js';

t.test('GET /api/messages', async (t) => {
  const { url } = await build(t);

  t.test('a new database holds the welcome message, seeded once', async (t) => {
    const page = await request(`${url}/api/messages`);
    t.equal(page.status, 200);
    t.same(
      page.json.items.map((m: { content: string }) => m.content),
      ['Hello from Kubernetes!'],
    );
    t.equal(page.json.nextBefore, null);
  });

  t.test('pages newest first with keyset pagination', async (t) => {
    for (let i = 1; i <= 5; i++) {
      const created = await request(`${url}/api/messages`, { json: { content: `message ${i}` } });
      t.equal(created.status, 201, `message ${i} stored`);
    }
    const first = await request(`${url}/api/messages?limit=2`);
    t.same(
      first.json.items.map((m: { content: string }) => m.content),
      ['message 5', 'message 4'],
    );
    const second = await request(`${url}/api/messages?limit=2&before=${first.json.nextBefore}`);
    t.same(
      second.json.items.map((m: { content: string }) => m.content),
      ['message 3', 'message 2'],
    );
    const third = await request(`${url}/api/messages?limit=2&before=${second.json.nextBefore}`);
    t.same(
      third.json.items.map((m: { content: string }) => m.content),
      ['message 1', 'Hello from Kubernetes!'],
    );
    t.equal(third.json.nextBefore, null, 'the last page says there is no more');
    const defaults = await request(`${url}/api/messages`);
    t.equal(defaults.json.items.length, 6, 'default limit (20) returns all six');
  });
});

t.test('POST /api/messages', async (t) => {
  const { url } = await build(t, { MESSAGE_RATE_LIMIT: '1000' });

  t.test('stores trimmed text and answers 201 with a Location that resolves', async (t) => {
    const created = await request(`${url}/api/messages`, { json: { content: '  Hi Zumo  ', author: ' Ada ' } });
    t.equal(created.status, 201);
    t.match(created.json, { content: 'Hi Zumo', author: 'Ada', id: Number });
    t.ok(!Number.isNaN(Date.parse(created.json.createdAt)), 'createdAt is a timestamp');
    const location = created.headers.get('location');
    t.equal(location, `/api/messages/${created.json.id}`);
    const fetched = await request(`${url}${location}`);
    t.same(fetched.json, created.json, 'GET on the Location returns the stored message');
    const legacy = await request(`${url}/api/message`);
    t.same(legacy.json, { message: 'Hi Zumo' }, 'the seed route shows the newest message');
  });

  t.test('author is optional', async (t) => {
    const created = await request(`${url}/api/messages`, { json: { content: 'anonymous' } });
    t.equal(created.status, 201);
    t.equal(created.json.author, null);
  });

  t.test('limits count characters, not bytes or UTF-16 units', async (t) => {
    const emoji280 = '😀'.repeat(280);
    t.equal((await request(`${url}/api/messages`, { json: { content: emoji280 } })).status, 201, '280 emoji fit');
    t.equal((await request(`${url}/api/messages`, { json: { content: `${emoji280}!` } })).status, 400, '281 do not');
    const padded = `   ${'a'.repeat(280)}   `;
    t.equal(
      (await request(`${url}/api/messages`, { json: { content: padded } })).status,
      201,
      'blanks around do not count',
    );
  });
});

t.test('GET /api/messages/:id', async (t) => {
  const { url } = await build(t);
  const missing = await request(`${url}/api/messages/999`);
  t.equal(missing.status, 404);
  t.same(missing.json, { statusCode: 404, error: 'Not Found', message: 'Message 999 does not exist' });
});

t.test('POST /api/messages is rate limited per client', async (t) => {
  const { url } = await build(t, { MESSAGE_RATE_LIMIT: '3' });
  for (let i = 0; i < 3; i++) {
    t.equal(
      (await request(`${url}/api/messages`, { json: { content: `ok ${i}` } })).status,
      201,
      `post ${i + 1} of 3 accepted`,
    );
  }
  const limited = await request(`${url}/api/messages`, { json: { content: 'one too many' } });
  t.equal(limited.status, 429);
  t.match(limited.json, {
    statusCode: 429,
    error: 'Too Many Requests',
    message: /at most 3 requests per minute; retry in \d+ s/,
  });
  const retryAfter = Number(limited.headers.get('retry-after'));
  t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After is in seconds within the window (${retryAfter})`);
  const page = await request(`${url}/api/messages`);
  t.notOk(
    page.json.items.some((m: { content: string }) => m.content === 'one too many'),
    'the refused message was not stored',
  );
  t.equal((await request(`${url}/api/messages`)).status, 200, 'reads are not rate limited');

  const spoofed = await request(`${url}/api/messages`, {
    json: { content: 'spoofed' },
    headers: { 'x-forwarded-for': '203.0.113.9' },
  });
  t.equal(spoofed.status, 429, 'a client cannot escape the limit with its own X-Forwarded-For');
});

t.test('behind trusted proxies the limit keys on the visitor address', async (t) => {
  const { url } = await build(t, {
    MESSAGE_RATE_LIMIT: '1',
    TRUST_PROXY_HOPS: '2',
    TRUSTED_PROXY_CIDRS: '127.0.0.0/8',
  });
  const via = (visitor: string) => ({ 'x-forwarded-for': `${visitor}, 130.176.0.1` });
  t.equal((await request(`${url}/api/messages`, { json: { content: 'a' }, headers: via('198.51.100.1') })).status, 201);
  t.equal(
    (await request(`${url}/api/messages`, { json: { content: 'b' }, headers: via('198.51.100.1') })).status,
    429,
    'same visitor is limited',
  );
  t.equal(
    (await request(`${url}/api/messages`, { json: { content: 'c' }, headers: via('198.51.100.2') })).status,
    201,
    'another visitor is not',
  );
});
