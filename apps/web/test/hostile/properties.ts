import fc from 'fast-check';
import t from 'tap';
import { build, request } from '../helper.js';
import { rawExchange } from '../raw-http.js';
import { assertWellFormed } from './well-formed.js';
import { contentEncoding, contentType, headerValue, idSegment, jsonBody, queryString, rawBody } from './generators.js';

// Property-based tests across every route: whatever arrives, the answer is
// never a 5xx, always carries the security headers, every error has the documented shape, and
// nothing from a refused request is stored. Run counts are bounded so `npm test` stays fast.
const RUNS = 150;

const get = (port: number, path: string, headers = '') =>
  rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}\r\n`);

function post(port: number, body: Buffer, type: string, encoding: string | undefined) {
  const head = [
    'POST /api/messages HTTP/1.1',
    'Host: x',
    'Connection: close',
    `Content-Length: ${body.length}`,
    ...(type ? [`Content-Type: ${type}`] : []),
    ...(encoding ? [`Content-Encoding: ${encoding}`] : []),
  ];
  return rawExchange(port, Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}

t.test('GET /api/messages with any query string: 200 or a 400 naming the field', async (t) => {
  const { url } = await build(t);
  const port = Number(new URL(url).port);
  await fc.assert(
    fc.asyncProperty(queryString, async (query) => {
      const r = await get(port, `/api/messages?${query}`);
      return assertWellFormed(t, `?${query}`, r, [200, 400]);
    }),
    { numRuns: RUNS },
  );
});

t.test('GET /api/messages/:id with any segment: 200, 400 or 404', async (t) => {
  const { url } = await build(t);
  const port = Number(new URL(url).port);
  await fc.assert(
    fc.asyncProperty(idSegment, async (segment) => {
      const r = await get(port, `/api/messages/${segment}`);
      return assertWellFormed(t, `/api/messages/${segment.slice(0, 40)}`, r, [200, 400, 404]);
    }),
    { numRuns: RUNS },
  );
});

t.test('POST /api/messages with any body: 201 stores exactly it, anything else stores nothing', async (t) => {
  const { url, app } = await build(t, { MESSAGE_RATE_LIMIT: '1000000' });
  const port = Number(new URL(url).port);
  const body = fc.oneof(
    jsonBody.map((v) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8')),
    rawBody,
  );
  await fc.assert(
    fc.asyncProperty(body, contentType, contentEncoding, async (bytes, type, encoding) => {
      const before = await app.messages.count();
      const r = await post(port, bytes, type, encoding);
      const ok = assertWellFormed(
        t,
        `POST ${bytes.toString('latin1').slice(0, 40)} as ${type}`,
        r,
        [201, 400, 413, 415],
      );
      const after = await app.messages.count();
      if (r.status !== 201) return ok && after === before;
      const stored = JSON.parse(r.body) as { id: number; content: string };
      const sent = JSON.parse(bytes.toString('utf8')) as { content: string };
      return (
        ok &&
        after === before + 1 &&
        stored.content === sent.content.trim() &&
        (await app.messages.get(stored.id))?.content === stored.content
      );
    }),
    { numRuns: RUNS },
  );
});

t.test('every GET route with hostile headers and query strings: never a 5xx', async (t) => {
  const { url } = await build(t, { TRUST_PROXY_HOPS: '2', TRUSTED_PROXY_CIDRS: '127.0.0.1/32' });
  const port = Number(new URL(url).port);
  const routes = fc.constantFrom(
    '/api/info',
    '/api/kubernetes-info',
    '/api/server-info',
    '/api/message',
    '/api/messages',
    '/healthz',
    '/readyz',
    '/metrics',
    '/',
    '/nope',
  );
  const headers = fc.dictionary(
    fc.constantFrom('x-request-id', 'x-forwarded-for', 'accept', 'accept-encoding', 'if-none-match', 'range', 'cookie'),
    headerValue,
    { maxKeys: 4 },
  );
  // A marker in the query string and in a header must never come back.
  const marker = fc.stringMatching(/^[a-z]{12}$/).map((s) => `mk${s}`);
  await fc.assert(
    fc.asyncProperty(routes, queryString, headers, marker, async (route, query, given, mark) => {
      const lines = Object.entries({ ...given, 'x-echo': mark })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      const r = await get(port, `${route}?${query}&echo=${mark}`, lines);
      const wellFormed = assertWellFormed(t, `${route}?${query}`, r, [200, 304, 400, 404, 416]);
      const id = r.headers['x-request-id'] ?? '';
      if (r.body.includes(mark)) t.fail(`${route}: the answer echoes what the client sent`);
      return wellFormed && /^[0-9a-f-]{36}$/.test(id) && !r.body.includes(mark);
    }),
    { numRuns: RUNS },
  );
  t.equal((await request(`${url}/healthz`)).status, 200, 'still alive');
});
