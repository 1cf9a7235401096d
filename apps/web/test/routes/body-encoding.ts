import { gzipSync } from 'node:zlib';
import t from 'tap';
import { build, request } from '../helper.js';
import { rawExchange } from '../raw-http.js';

// A body is stored only when it is UTF-8 JSON, sent as such. Anything else is
// refused with a clear 400 or 415, and nothing is stored.
function post(port: number, body: Buffer, headers: Record<string, string>) {
  const lines = Object.entries({ 'content-length': String(body.length), ...headers }).map(([k, v]) => `${k}: ${v}`);
  const head = `POST /api/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${lines.join('\r\n')}\r\n\r\n`;
  return rawExchange(port, Buffer.concat([Buffer.from(head, 'latin1'), body]));
}

const json = (text: string) => Buffer.from(`{"content":"${text}"}`, 'utf8');
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const cases: { name: string; body: Buffer; headers: Record<string, string>; status: number; message: RegExp }[] = [
  {
    name: 'Content-Encoding gzip with a plain body',
    body: json('plain'),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    status: 415,
    message: /A Content-Encoding is not accepted; send the body uncompressed/,
  },
  {
    name: 'a real gzip body',
    body: gzipSync(json('zipped')),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    status: 415,
    message: /A Content-Encoding is not accepted; send the body uncompressed/,
  },
  {
    name: 'charset latin1',
    body: bytes('{"content":"caf', [0xe9], '"}'),
    headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    status: 415,
    message: /charset is not accepted: only charset=utf-8 is accepted/,
  },
  {
    name: 'charset utf-16',
    body: Buffer.from('{"content":"x"}', 'utf16le'),
    headers: { 'content-type': 'application/json; charset=utf-16' },
    status: 415,
    message: /charset is not accepted: only charset=utf-8/,
  },
  {
    name: 'invalid UTF-8 (a latin1 byte)',
    body: bytes('{"content":"caf', [0xe9], '"}'),
    headers: { 'content-type': 'application/json' },
    status: 400,
    message: /not valid UTF-8/,
  },
  {
    name: 'an encoded lone surrogate (CESU-8)',
    body: bytes('{"content":"a', [0xed, 0xa0, 0x80], 'b"}'),
    headers: { 'content-type': 'application/json; charset=utf-8' },
    status: 400,
    message: /not valid UTF-8/,
  },
  {
    name: 'an overlong encoding',
    body: bytes('{"content":"', [0xc0, 0xaf], '"}'),
    headers: { 'content-type': 'application/json' },
    status: 400,
    message: /not valid UTF-8/,
  },
  {
    name: 'a truncated sequence',
    body: bytes('{"content":"', [0xe2, 0x82], '"}'),
    headers: { 'content-type': 'application/json' },
    status: 400,
    message: /not valid UTF-8/,
  },
];

t.test('POST /api/messages refuses bodies that are not UTF-8 JSON', async (t) => {
  const { url, app } = await build(t);
  const port = Number(new URL(url).port);
  const before = await app.messages.count();
  for (const c of cases) {
    const r = await post(port, c.body, c.headers);
    t.equal(r.status, c.status, `${c.name}: ${c.status}`);
    t.match(JSON.parse(r.body), { statusCode: c.status, message: c.message }, `${c.name}: says why`);
  }
  t.equal(await app.messages.count(), before, 'nothing was stored');

  for (const [name, contentType] of [
    ['no charset', 'application/json'],
    ['charset utf-8', 'application/json; charset=utf-8'],
    ['charset "UTF-8"', 'application/json; charset="UTF-8"'],
    ['identity encoding', 'application/json'],
  ] as const) {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (name === 'identity encoding') headers['content-encoding'] = 'identity';
    const r = await post(port, json('caf\u00e9 \u{1F600}'), headers);
    t.equal(r.status, 201, `${name}: accepted`);
    t.equal(JSON.parse(r.body).content, 'caf\u00e9 \u{1F600}', `${name}: stored unchanged`);
  }
  t.equal((await request(`${url}/api/messages?limit=1`)).json.items[0].content, 'caf\u00e9 \u{1F600}');
});
