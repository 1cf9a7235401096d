import { request as httpRequest } from 'node:http';
import t from 'tap';
import { build, request } from '../helper.js';

/** Sends raw bytes with an exact Content-Type and returns the status (no client-side encoding). */
function rawPost(url: string, path: string, body: string | Buffer, contentType = 'application/json') {
  return new Promise<number>((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'content-type': contentType } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sqlInjections = [
  "'; DROP TABLE messages; --",
  "1' OR '1'='1",
  "x'); DELETE FROM messages; --",
  '" OR ""="',
  '1; UPDATE messages SET content = 0',
  "admin'--",
  "' UNION SELECT sqlite_version() --",
];

const badBodies: string[] = [
  '{',
  '}',
  '{"content":}',
  '{"content": "unterminated}',
  '[',
  'null',
  'true',
  '42',
  '"just a string"',
  '[]',
  '[{"content":"in an array"}]',
  '{"content": null}',
  '{"content": 12}',
  '{"content": true}',
  '{"content": {"nested": "object"}}',
  '{"content": ["a"]}',
  '{"content": ""}',
  '{"content": "   "}',
  '{"content": "\\t\\n"}',
  '{"content": "ok", "author": ""}',
  '{"content": "ok", "author": 5}',
  '{"content": "ok", "author": null}',
  '{"content": "ok", "author": "' + 'a'.repeat(41) + '"}',
  '{"content": "' + 'x'.repeat(281) + '"}',
  '{"content": "\\u0000"}',
  '{"content": "a\\u0007b"}',
  '{"content": "line\\nbreak"}',
  '{"content": "\\u001b[31mred"}',
  '{"content": "\\ud800"}',
  '{"content": "lone low \\udc00"}',
  '{"content": "\\u0085 next line"}',
  '{"__proto__": {"polluted": true}, "content": "x"}',
  '{"constructor": {"prototype": {"polluted": true}}, "content": "x"}',
  '{"content": "' + '😀'.repeat(281) + '"}',
  '\u0000\u0001\u0002',
  '{"content": "ok"',
  '{"content" "ok"}',
  "{'content': 'single quotes'}",
  '{"content": "ok",}',
  '{"content": NaN}',
  '{"content": Infinity}',
  '{"content": 1e999}',
];

const badQueries = [
  'limit=0',
  'limit=-1',
  'limit=101',
  'limit=1e3',
  'limit=abc',
  'limit=2.5',
  'limit=',
  'limit=%00',
  'limit=1%27%20OR%201=1',
  'before=0',
  'before=-5',
  'before=abc',
  'before=9007199254740993',
  'before=1;DROP%20TABLE%20messages',
  'limit=10&limit=20',
];

t.test('malformed requests are all refused with 4xx and change nothing', async (t) => {
  const { url, app } = await build(t, { MESSAGE_RATE_LIMIT: '1000000' });
  const countBefore = await app.messages.count();
  const newestBefore = await app.messages.page(1);
  const statuses: { what: string; status: number }[] = [];
  const record = (what: string, status: number) => statuses.push({ what, status });

  for (const body of badBodies) {
    record(`POST body ${body.slice(0, 40)}`, await rawPost(url, '/api/messages', body));
    record(
      `POST body with charset ${body.slice(0, 30)}`,
      await rawPost(url, '/api/messages', body, 'application/json; charset=utf-8'),
    );
  }
  for (const contentType of [
    'text/plain',
    'application/xml',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/jsonx',
    'image/png',
  ]) {
    record(`POST as ${contentType}`, await rawPost(url, '/api/messages', '{"content":"hi"}', contentType));
  }
  record('POST 20 KiB', await rawPost(url, '/api/messages', JSON.stringify({ content: 'x'.repeat(20_000) })));
  record('POST 1 MiB', await rawPost(url, '/api/messages', Buffer.alloc(1024 * 1024, 'a')));
  record(
    'POST invalid UTF-8',
    await rawPost(url, '/api/messages', Buffer.from([0x7b, 0x22, 0x63, 0xff, 0xfe, 0x22, 0x7d])),
  );
  for (const query of badQueries) {
    record(`GET ?${query}`, (await request(`${url}/api/messages?${query}`)).status);
  }
  for (const id of [
    '0',
    '-1',
    'abc',
    '1.5',
    '%00',
    "1'OR'1'='1",
    '9'.repeat(30),
    '1;DROP TABLE messages',
    'x'.repeat(150),
  ]) {
    record(`GET /api/messages/${id}`, (await request(`${url}/api/messages/${encodeURIComponent(id)}`)).status);
  }
  for (const injection of sqlInjections) {
    record(
      `GET ?before=${injection}`,
      (await request(`${url}/api/messages?before=${encodeURIComponent(injection)}`)).status,
    );
    record(
      `GET /api/messages/${injection}`,
      (await request(`${url}/api/messages/${encodeURIComponent(injection)}`)).status,
    );
    record(
      `POST author ${injection}`,
      await rawPost(url, '/api/messages', JSON.stringify({ content: '', author: injection })),
    );
  }
  for (const method of ['PUT', 'PATCH', 'DELETE']) {
    record(`${method} /api/messages`, (await request(`${url}/api/messages`, { method, body: '{}' })).status);
    record(`${method} /api/messages/1`, (await request(`${url}/api/messages/1`, { method, body: '{}' })).status);
  }
  for (const header of ['x-request-id', 'x-forwarded-for', 'accept', 'accept-encoding']) {
    for (const value of ['\u00ff\u00fe', 'a'.repeat(4000), '-1', ', , ,', '../../etc/passwd']) {
      const status = (await request(`${url}/api/messages?limit=0`, { headers: { [header]: value } })).status;
      record(`GET ?limit=0 with ${header}: ${value.slice(0, 10)}`, status);
    }
  }
  for (let i = 0; i < 60; i++) {
    // Random printable and non-printable bytes as a JSON body.
    const noise = Buffer.from(Array.from({ length: 1 + ((i * 37) % 300) }, (_, k) => (k * 131 + i * 17) % 256));
    record(`POST noise #${i}`, await rawPost(url, '/api/messages', noise));
  }

  t.ok(statuses.length >= 200, `${statuses.length} malformed requests sent`);
  const not4xx = statuses.filter((s) => s.status < 400 || s.status >= 500);
  t.same(not4xx, [], 'every one was answered with a 4xx');
  t.equal((await request(`${url}/healthz`)).status, 200, 'the server is still up');
  t.equal(await app.messages.count(), countBefore, 'no message was stored');
  t.same(await app.messages.page(1), newestBefore, 'existing data is unchanged');
  t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'no prototype pollution');
});

t.test('SQL-looking text is stored and returned verbatim, never executed', async (t) => {
  const { url, app } = await build(t, { MESSAGE_RATE_LIMIT: '1000000' });
  for (const injection of sqlInjections) {
    const created = await request(`${url}/api/messages`, { json: { content: injection, author: 'mallory' } });
    t.equal(created.status, 201, `stored: ${injection}`);
    t.equal(
      (await request(`${url}/api/messages/${created.json.id}`)).json.content,
      injection,
      `verbatim: ${injection}`,
    );
  }
  t.equal(await app.messages.count(), sqlInjections.length + 1, 'the table is intact');
});
