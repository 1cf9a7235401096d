import t, { type Test } from 'tap';
import { API_SECURITY_HEADERS } from '@zumo/config';
import { build, request } from '../helper.js';
import { parseExposition, sampleValue } from '../prometheus-text.js';
import { rawExchange, type RawResponse } from '../raw-http.js';

// Errors raised by the router or the HTTP parser, before any route runs, answer
// like every other error: the one shape, security headers, a request id, an access line, a metric,
// and never an echo of the URL.
function assertOurs(t: Test, name: string, r: RawResponse, status: number) {
  t.equal(r.status, status, `${name}: ${status}`);
  const body = JSON.parse(r.body);
  t.same(Object.keys(body), ['statusCode', 'error', 'message'], `${name}: the one error shape`);
  t.equal(body.statusCode, status, `${name}: statusCode`);
  for (const [header, value] of Object.entries(API_SECURITY_HEADERS)) {
    t.equal(r.headers[header], value, `${name}: ${header}`);
  }
  t.ok(Buffer.byteLength(r.body) < 300, `${name}: a short body (${Buffer.byteLength(r.body)} bytes), no URL echo`);
  return body;
}

t.test('router errors: a bad percent-encoding, an overlong path parameter', async (t) => {
  const { url, app, logs } = await build(t);
  const port = Number(new URL(url).port);
  const long = `/api/messages/${'1'.repeat(150)}`;
  const cases = [
    { name: 'GET /api/%ff', path: '/api/%ff' },
    { name: 'GET /api/messages/<150 digits>', path: long },
    { name: 'GET /api/%ff with a 10 KB tail', path: `/api/%ff${'a'.repeat(10_000)}` },
  ];
  for (const c of cases) {
    const r = await rawExchange(port, `GET ${c.path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const body = assertOurs(t, c.name, r, 400);
    t.equal(body.error, 'Bad Request', `${c.name}: labelled Bad Request`);
    t.match(r.headers['x-request-id'], /^[0-9a-f-]{36}$/, `${c.name}: a request id`);
  }
  await new Promise((r) => setTimeout(r, 50));
  const lines = logs.filter((l) => l['msg'] === 'request' && l['statusCode'] === 400);
  t.equal(lines.length, 3, 'one access line each');
  t.ok(
    lines.every((l) => typeof l['url'] === 'string' && (l['url'] as string).length <= 200),
    'the access line keeps a bounded URL',
  );
  const metrics = parseExposition(await app.metrics.registry.metrics());
  t.equal(
    sampleValue(metrics, 'http_request_duration_seconds_count', { route: 'unmatched', status_code: '400' }),
    3,
    'counted in the request metric',
  );
});

t.test('HTTP parser errors (400, 431) carry the security headers', async (t) => {
  const { url, logs } = await build(t);
  const port = Number(new URL(url).port);
  const broken = await rawExchange(port, 'GET / HTTP/1.1\r\nHost x\r\n\r\n');
  assertOurs(t, 'a malformed header line', broken, 400);
  t.equal(broken.closed, true, 'the connection is closed');
  const huge = await rawExchange(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assertOurs(t, 'headers over the limit', huge, 431);
  await new Promise((r) => setTimeout(r, 50));
  t.ok(
    logs.some((l) => l['statusCode'] === 431 && l['clientIp'] === '127.0.0.1'),
    'logged with the client address',
  );
  t.equal((await request(`${url}/healthz`)).status, 200, 'the server is fine');
});
