import t from 'tap';
import { build, request } from '../helper.js';

// Behind CloudFront and the ALB (here: one trusted hop from 127.0.0.1) the rate limit keys on
// the visitor, taken from X-Forwarded-For.
const behindProxy = { TRUST_PROXY_HOPS: '1', TRUSTED_PROXY_CIDRS: '127.0.0.1/32', MESSAGE_RATE_LIMIT: '5' };

const post = (url: string, forwardedFor: string) =>
  request(`${url}/api/messages`, { json: { content: 'hi' }, headers: { 'x-forwarded-for': forwardedFor } });

t.test('POST /api/messages: IPv6 visitors share one rate limit per /64', async (t) => {
  const { url } = await build(t, behindProxy);
  const statuses: number[] = [];
  for (let i = 1; i <= 20; i++) statuses.push((await post(url, `2001:db8:1:2::${i.toString(16)}`)).status);
  t.same(
    statuses,
    [...Array(5).fill(201), ...Array(15).fill(429)],
    'twenty addresses of one /64: five posts, then 429',
  );
  t.equal((await post(url, '2001:db8:1:3::1')).status, 201, 'the next /64 has its own budget');
  t.equal((await post(url, '::ffff:192.0.2.7')).status, 201, 'an IPv4-mapped address counts as its IPv4 address');
});

t.test('X-Forwarded-For entries that are not addresses are ignored', async (t) => {
  const { url, logs } = await build(t, behindProxy);
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await post(url, `not-an-ip-${i}`)).status);
  t.same(statuses, [...Array(5).fill(201), 429, 429, 429], 'made-up keys do not buy new budgets');
  await new Promise((r) => setTimeout(r, 50));
  const lines = logs.filter((l) => l['route'] === '/api/messages');
  t.ok(
    lines.every((l) => l['clientIp'] === '127.0.0.1'),
    'the client is the peer that sent the garbage, not the garbage',
  );
  t.equal(
    (await post(url, '198.51.100.9, foo')).status,
    429,
    'an address before the garbage is not believed either: still the peer, still limited',
  );
});

t.test('every access line names the client address, 429s included', async (t) => {
  const { url, logs } = await build(t, { ...behindProxy, MESSAGE_RATE_LIMIT: '1' });
  await post(url, '203.0.113.5');
  const limited = await post(url, '203.0.113.5');
  t.equal(limited.status, 429);
  t.ok(limited.headers.get('retry-after'), 'the 429 says when to retry');
  await request(`${url}/api/info`, { headers: { 'x-forwarded-for': '203.0.113.6' } });
  await new Promise((r) => setTimeout(r, 50));
  const access = logs.filter((l) => l['msg'] === 'request');
  t.same(
    access.map((l) => [l['statusCode'], l['clientIp']]),
    [
      [201, '203.0.113.5'],
      [429, '203.0.113.5'],
      [200, '203.0.113.6'],
    ],
  );
});
