import t from 'tap';
import { build } from '../helper.js';
import { rawExchange } from '../raw-http.js';

// Attack review of issue 12, item 6: the charset check read the Content-Type with a regex, so a
// charset hidden in a quoted parameter, a second charset, or an extended `charset*` got past it
// (201). The header is now parsed by a real parser (fast-content-type-parse) and ambiguous
// spellings are refused.
function post(port: number, contentType: string) {
  const body = '{"content":"typed"}';
  return rawExchange(
    port,
    `POST /api/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
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
  const before = app.messages.count();
  for (const [contentType, message] of refused) {
    const r = await post(port, contentType);
    t.equal(r.status, 415, `${contentType}: 415`);
    t.match(JSON.parse(r.body), { statusCode: 415, message }, `${contentType}: says why`);
    t.notMatch(r.body, /utf-16|x=/i, `${contentType}: the header value is not echoed`);
  }
  t.equal(app.messages.count(), before, 'nothing refused was stored');
  for (const contentType of accepted) {
    t.equal((await post(port, contentType)).status, 201, `${contentType}: accepted`);
  }
});
