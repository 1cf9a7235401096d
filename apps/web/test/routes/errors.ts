import t from 'tap';
import { build, request } from '../helper.js';

const ERROR_KEYS = ['statusCode', 'error', 'message'];

interface Case {
  name: string;
  path: string;
  init?: Parameters<typeof request>[1];
  status: number;
  message: RegExp;
  fields?: string[];
}

const cases: Case[] = [
  { name: 'unknown route', path: '/api/nope', status: 404, message: /^There is no route for GET on this path$/ },
  {
    name: 'unknown method',
    path: '/api/info',
    init: { method: 'DELETE' },
    status: 404,
    message: /no route for DELETE/,
  },
  {
    name: 'limit not a number',
    path: '/api/messages?limit=ten',
    status: 400,
    message: /limit must be integer/,
    fields: ['limit'],
  },
  {
    name: 'limit above 100',
    path: '/api/messages?limit=101',
    status: 400,
    message: /limit must be <= 100/,
    fields: ['limit'],
  },
  { name: 'limit zero', path: '/api/messages?limit=0', status: 400, message: /limit must be >= 1/, fields: ['limit'] },
  {
    name: 'before negative',
    path: '/api/messages?before=-3',
    status: 400,
    message: /before must be >= 1/,
    fields: ['before'],
  },
  { name: 'id not a number', path: '/api/messages/abc', status: 400, message: /id must be integer/, fields: ['id'] },
  {
    name: 'content missing',
    path: '/api/messages',
    init: { json: { author: 'x' } },
    status: 400,
    message: /content is required/,
    fields: ['content'],
  },
  {
    name: 'content empty after trim',
    path: '/api/messages',
    init: { json: { content: '   ' } },
    status: 400,
    message: /content must contain a visible character/,
    fields: ['content'],
  },
  {
    name: 'content too long',
    path: '/api/messages',
    init: { json: { content: 'x'.repeat(281) } },
    status: 400,
    message: /content must NOT have more than 280 characters/,
    fields: ['content'],
  },
  {
    name: 'content a number',
    path: '/api/messages',
    init: { json: { content: 42 } },
    status: 400,
    message: /content must be string/,
    fields: ['content'],
  },
  {
    name: 'control character',
    path: '/api/messages',
    init: { json: { content: 'bell\u0007' } },
    status: 400,
    message: /content must not contain control characters/,
    fields: ['content'],
  },
  {
    name: 'author too long',
    path: '/api/messages',
    init: { json: { content: 'hi', author: 'a'.repeat(41) } },
    status: 400,
    message: /author must NOT have more than 40 characters/,
    fields: ['author'],
  },
  {
    name: 'two bad fields',
    path: '/api/messages',
    init: { json: { content: '', author: 7 } },
    status: 400,
    message: /content .*; author /,
    fields: ['content', 'author'],
  },
  {
    name: 'body is an array',
    path: '/api/messages',
    init: { json: ['hi'] },
    status: 400,
    message: /body must be object/,
    fields: ['body'],
  },
  {
    name: 'malformed JSON',
    path: '/api/messages',
    init: { body: '{"content": "hi"', headers: { 'content-type': 'application/json' } },
    status: 400,
    message: /not valid JSON/,
  },
  {
    name: 'empty JSON body',
    path: '/api/messages',
    init: { method: 'POST', body: '', headers: { 'content-type': 'application/json' } },
    status: 400,
    message: /empty/i,
  },
  {
    name: 'body over 16 KiB',
    path: '/api/messages',
    init: { json: { content: 'x'.repeat(17_000) } },
    status: 413,
    message: /too large/,
  },
  {
    name: 'text/plain body',
    path: '/api/messages',
    init: { body: 'hello', headers: { 'content-type': 'text/plain' } },
    status: 415,
    message: /^This Content-Type is not accepted; send application\/json$/,
  },
  {
    name: 'form body',
    path: '/api/messages',
    init: { body: 'content=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    status: 415,
    message: /not accepted/,
  },
];

t.test('error answers share one shape and say what was wrong', async (t) => {
  const { url } = await build(t);
  for (const c of cases) {
    const response = await request(`${url}${c.path}`, c.init);
    t.equal(response.status, c.status, `${c.name}: status ${c.status}`);
    t.equal(response.headers.get('content-type'), 'application/json; charset=utf-8', `${c.name}: JSON`);
    t.same(Object.keys(response.json).slice(0, 3), ERROR_KEYS, `${c.name}: {statusCode, error, message}`);
    t.equal(response.json.statusCode, c.status, `${c.name}: statusCode in the body`);
    t.match(response.json.message, c.message, `${c.name}: message "${response.json.message}"`);
    if (c.fields) {
      t.same(
        response.json.details.map((d: { field: string }) => d.field),
        c.fields,
        `${c.name}: details name the fields`,
      );
    }
  }
});

t.test('a 500 never leaks the cause; the same request id is logged and returned', async (t) => {
  const { url, app, logs } = await build(t);
  await app.messages.close(); // the database goes away under the running service
  const failed = await request(`${url}/api/messages`);
  t.equal(failed.status, 500);
  t.same(failed.json, {
    statusCode: 500,
    error: 'Internal Server Error',
    message: 'The server failed to answer this request; it has been logged.',
  });
  t.notMatch(failed.text, /database|sqlite|SELECT|\/tmp|\.ts|\.js|at /i, 'no SQL, paths or stack frames');
  const id = failed.headers.get('x-request-id');
  const logged = logs.find((l) => l['requestId'] === id && l['level'] === 50);
  t.ok(logged, 'the failure is logged at error level with the request id');
  t.match(logged, { err: { message: /database connection is not open/ } }, 'the log keeps the cause');

  const ready = await request(`${url}/readyz`);
  t.equal(ready.status, 503, 'readiness fails while the database is unavailable');
  t.match(ready.json, { statusCode: 503, error: 'Service Unavailable', message: 'Not ready: database unavailable' });
  t.equal((await request(`${url}/healthz`)).status, 200, 'liveness does no I/O and still passes');
});

t.test('readiness reports pressure with the reason', async (t) => {
  const { url } = await build(t, { READY_MAX_HEAP_USED_MB: '16' });
  // under-pressure samples once a second; the heap of a running app is far above 16 MB.
  await new Promise((r) => setTimeout(r, 1200));
  const ready = await request(`${url}/readyz`);
  t.equal(ready.status, 503);
  t.match(ready.json.message, /^Not ready: heap used \d+ MB is above 16 MB$/);
  t.equal(
    (await request(`${url}/api/info`)).status,
    200,
    'requests are still served (the balancer drains, we do not refuse)',
  );
});
