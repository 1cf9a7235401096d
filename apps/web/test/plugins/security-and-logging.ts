import t from 'tap';
import { API_SECURITY_HEADERS, SECURITY_HEADERS } from '@zumo/config';
import { censorHeaders } from '../../src/logging/log-serializers.js';
import { build, request } from '../helper.js';

t.test('security headers are on every response, whatever the status', async (t) => {
  const { url, app } = await build(t);
  const responses: Record<string, Awaited<ReturnType<typeof request>>> = {
    'GET /api/info (200)': await request(`${url}/api/info`),
    'POST /api/messages (201)': await request(`${url}/api/messages`, { json: { content: 'hi' } }),
    'GET /api/messages?limit=0 (400)': await request(`${url}/api/messages?limit=0`),
    'GET /nope (404)': await request(`${url}/nope`),
    'GET /metrics': await request(`${url}/metrics`),
  };
  await app.messages.close();
  responses['GET /api/messages (500)'] = await request(`${url}/api/messages`);
  for (const [name, response] of Object.entries(responses)) {
    const csp = response.headers.get('content-security-policy') ?? '';
    t.match(csp, /default-src 'none'/, `${name}: nothing may load in an answer that is not the page`);
    t.match(csp, /frame-ancestors 'none'/, `${name}: cannot be framed`);
    t.match(response.headers.get('strict-transport-security') ?? '', /max-age=\d+/, `${name}: HSTS`);
    t.equal(response.headers.get('x-content-type-options'), 'nosniff', `${name}: nosniff`);
    t.equal(response.headers.get('x-frame-options'), 'DENY', `${name}: X-Frame-Options`);
    t.equal(response.headers.get('referrer-policy'), 'no-referrer', `${name}: Referrer-Policy`);
    t.equal(response.headers.get('cross-origin-resource-policy'), 'same-origin', `${name}: CORP`);
    t.equal(response.headers.get('x-powered-by'), null, `${name}: no x-powered-by`);
  }
  const page = await request(`${url}/`);
  t.equal(page.status, 200, 'the page is served');
  for (const [header, value] of Object.entries(SECURITY_HEADERS)) {
    t.equal(page.headers.get(header), value, `the page: ${header} from the page set`);
  }
  const pageCsp = page.headers.get('content-security-policy') ?? '';
  t.match(pageCsp, /script-src 'self'/, 'the page: scripts from this origin only');
  t.notMatch(pageCsp, /unsafe-inline|unsafe-eval/, 'the page: no inline script or eval');
  t.notOk(Object.hasOwn(API_SECURITY_HEADERS, 'permissions-policy'), 'Permissions-Policy is for documents only');
  t.ok(
    Object.isFrozen(SECURITY_HEADERS) && Object.isFrozen(API_SECURITY_HEADERS),
    'the header sets are built once and cannot change per request',
  );
});

t.test('request ids are generated and echoed; a plain caller id is logged beside, an unsafe one dropped', async (t) => {
  const { url, logs } = await build(t);
  const given = await request(`${url}/api/info`, { headers: { 'x-request-id': 'abc-123.def' } });
  const givenId = given.headers.get('x-request-id');
  t.match(givenId, /^[0-9a-f-]{36}$/, 'a caller id is not adopted');
  const forged = await request(`${url}/api/info`, { headers: { 'x-request-id': 'x"} {"level":60' } });
  const forgedId = forged.headers.get('x-request-id');
  t.match(forgedId, /^[0-9a-f-]{36}$/, 'nor an unsafe one');
  const none = await request(`${url}/api/info`);
  t.match(none.headers.get('x-request-id'), /^[0-9a-f-]{36}$/, 'a missing id is generated');
  await new Promise((r) => setTimeout(r, 50));
  t.equal(logs.find((l) => l['requestId'] === givenId)?.['clientRequestId'], 'abc-123.def', 'the plain one is logged');
  t.equal(logs.find((l) => l['requestId'] === forgedId)?.['clientRequestId'], undefined, 'the unsafe one is not');
});

t.test('exactly one access line per request: route pattern, status, duration, id; no bodies or secrets', async (t) => {
  const { url, logs } = await build(t);
  const created = await request(`${url}/api/messages`, {
    json: { content: 'secret body text' },
    headers: { authorization: 'Bearer hunter2', cookie: 'session=s3cr3t' },
  });
  t.equal(created.status, 201);
  const got = await request(`${url}/api/messages/${created.json.id}`);
  const probe = await request(`${url}/healthz`);
  await new Promise((r) => setTimeout(r, 50));

  const postLines = logs.filter((l) => l['requestId'] === created.headers.get('x-request-id'));
  t.equal(postLines.length, 1, 'one line for the POST');
  t.match(postLines[0], { level: 30, method: 'POST', route: '/api/messages', statusCode: 201, durationMs: Number });
  const getLines = logs.filter((l) => l['requestId'] === got.headers.get('x-request-id'));
  t.equal(getLines.length, 1, 'one line for the GET');
  t.equal(getLines[0]!['route'], '/api/messages/:id', 'the route pattern, not the URL');
  t.equal(
    logs.filter((l) => l['requestId'] === probe.headers.get('x-request-id')).length,
    0,
    'probes are not logged at info',
  );
  const everything = JSON.stringify(logs);
  for (const secret of ['secret body text', 'hunter2', 's3cr3t']) {
    t.notOk(everything.includes(secret), `"${secret}" is not in the logs`);
  }
});

t.test('credentials in logged headers are censored, the other headers and lines kept as they are', async (t) => {
  const { app, logs } = await build(t);
  app.log.warn(
    {
      headers: {
        authorization: 'Bearer hunter2',
        Cookie: 'session=s3cr3t',
        'set-cookie': ['a=1', 'b=2'],
        accept: 'application/json',
      },
    },
    'a line that carries headers',
  );
  app.log.warn({ method: 'GET', headers: 'not an object' }, 'headers that are not an object');
  const [carried, plain] = logs.filter(
    (l) => String(l['msg']).startsWith('a line') || String(l['msg']).startsWith('headers'),
  );
  t.same(
    carried?.['headers'],
    { authorization: '[redacted]', Cookie: '[redacted]', 'set-cookie': '[redacted]', accept: 'application/json' },
    'authorization, cookie and set-cookie censored whatever their case; accept kept',
  );
  t.equal(plain?.['headers'], 'not an object', 'a value that is not a headers object is written as given');
  t.notOk(JSON.stringify(logs).includes('hunter2'), 'the token is in no line');
  const given = { authorization: 'x' };
  censorHeaders(given);
  t.same(given, { authorization: 'x' }, 'the logged object itself is not changed');
});
