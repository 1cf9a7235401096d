import t from 'tap';
import { build, request } from '../helper.js';
import { rawExchange } from '../raw-http.js';

// A 404 echoed the path and query string (`?session=SECRET`
// came back and was logged), a 415 echoed the Content-Type. Answers now name the method or say a
// fixed sentence, and the access log keeps the path without the query string.
t.test('what a client sent in the URL or a header is not echoed, nor logged with its query', async (t) => {
  const { url, logs } = await build(t);
  const port = Number(new URL(url).port);
  const answers: string[] = [];

  const notFound = await request(`${url}/nope/SECRET1?session=SECRET2`);
  t.equal(notFound.status, 404);
  t.equal(notFound.json.message, 'There is no route for GET on this path');
  answers.push(notFound.text);

  const wrongType = await request(`${url}/api/messages`, {
    body: 'x',
    headers: { 'content-type': 'text/html; secret=SECRET3' },
  });
  t.equal(wrongType.status, 415);
  answers.push(wrongType.text);

  const encoded = await request(`${url}/api/messages`, {
    body: '{"content":"x"}',
    headers: { 'content-type': 'application/json', 'content-encoding': 'x-SECRET4' },
  });
  t.equal(encoded.status, 415);
  answers.push(encoded.text);

  const badUrl = await rawExchange(port, 'GET /api/%ff?token=SECRET5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  t.equal(badUrl.status, 400);
  answers.push(badUrl.body);

  for (const [i, answer] of answers.entries()) t.notMatch(answer, /SECRET/, `answer ${i + 1} echoes nothing sent`);

  await new Promise((r) => setTimeout(r, 50));
  const lines = logs.filter((l) => l['msg'] === 'request');
  t.notMatch(JSON.stringify(logs), /SECRET[2345]/, 'no query string or header value in any log line');
  t.ok(
    lines.some((l) => l['statusCode'] === 404 && l['url'] === '/nope/SECRET1'),
    'an unmatched request logs its path (without the query) so probes can be traced',
  );
});

t.test('the request id is always ours; a caller-sent one is logged beside it', async (t) => {
  const { url, logs } = await build(t, { TRUST_PROXY_HOPS: '2', TRUSTED_PROXY_CIDRS: '127.0.0.1/32' });
  const r = await request(`${url}/api/info`, { headers: { 'x-request-id': 'chosen-by-client' } });
  const id = r.headers.get('x-request-id') ?? '';
  t.match(id, /^[0-9a-f-]{36}$/, 'even through a trusted proxy, the answer carries a generated id');
  await new Promise((r) => setTimeout(r, 50));
  t.match(
    logs.find((l) => l['requestId'] === id),
    { clientRequestId: 'chosen-by-client', route: '/api/info' },
    "the access line keeps the caller's id as clientRequestId",
  );
});
