import t from 'tap';
import { build } from '../helper.js';
import { rawExchange } from '../raw-http.js';

// A charset hidden in a quoted parameter, a second charset, an extended `charset*` or a second
// Content-Type header must not get past the charset check: the header is parsed by a real parser
// (fast-content-type-parse) and ambiguous spellings are refused.
function post(port: number, ...contentTypes: string[]) {
  const body = '{"content":"typed"}';
  const typeLines = contentTypes.map((type) => `Content-Type: ${type}\r\n`).join('');
  return rawExchange(
    port,
    `POST /api/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${typeLines}Content-Length: ${body.length}\r\n\r\n${body}`,
  );
}

const refused: [contentType: string, message: RegExp][] = [
  ['application/json; x="a;charset=utf-8"; charset=utf-16', /only charset=utf-8 is accepted/],
  ['application/json; charset="utf-8"; charset=utf-16', /charset is given more than once/],
  ['application/json; charset=utf-8; CHARSET=utf-8', /charset is given more than once/],
  ['application/json; charset*=utf-16', /extended parameters \(name\*=\.\.\.\) are not accepted/],
  ["application/json; charset*=UTF-8''utf-8", /extended parameters/],
  ['application/json; charset=', /malformed/],
  ['application/json; charset="utf-8', /malformed/],
];

const accepted = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset="utf-8"',
  'Application/JSON; Charset=utf8',
  'application/json; x="a;charset=utf-16"; charset=utf-8',
];

t.test('POST /api/messages: Content-Type parameters are parsed, not pattern-matched', async (t) => {
  const { url, app } = await build(t);
  const port = Number(new URL(url).port);
  const before = await app.messages.count();
  for (const [contentType, message] of refused) {
    const r = await post(port, contentType);
    t.equal(r.status, 415, `${contentType}: 415`);
    t.match(JSON.parse(r.body), { statusCode: 415, message }, `${contentType}: says why`);
    t.notMatch(r.body, /utf-16|x=/i, `${contentType}: the header value is not echoed`);
  }
  t.equal(await app.messages.count(), before, 'nothing refused was stored');
  for (const contentType of accepted) {
    t.equal((await post(port, contentType)).status, 201, `${contentType}: accepted`);
  }
});

t.test('POST /api/messages: a second Content-Type header is refused, whatever the two say', async (t) => {
  const { url, app } = await build(t);
  const port = Number(new URL(url).port);
  const before = await app.messages.count();
  // Node keeps only the first of repeated Content-Type lines in request.headers; other software
  // keeps the last, so the two could read the body differently.
  for (const types of [
    ['application/json', 'application/json; charset=utf-16'],
    ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
    ['application/json', 'text/plain'],
  ]) {
    const r = await post(port, ...types);
    t.equal(r.status, 415, `${types.join(' + ')}: 415`);
    t.match(JSON.parse(r.body), {
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: /Content-Type header is given more than once/,
    });
    t.notMatch(r.body, /utf-16|text\/plain/i, `${types.join(' + ')}: no header value is echoed`);
  }
  t.equal(await app.messages.count(), before, 'nothing was stored');
  t.equal((await post(port, 'application/json')).status, 201, 'one Content-Type: accepted');
});
