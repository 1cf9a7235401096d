import { connect, type Socket } from 'node:net';
import t from 'tap';
import type { Test } from 'tap';
import { clientKey } from '../../src/http/connection-limit.js';
import { build } from '../helper.js';

const LIMIT = 4;

/**
 * A keep-alive connection from `localAddress` (Linux routes all of 127.0.0.0/8 to loopback, so
 * each address is another client to the service) that asks for /healthz once. Resolves with
 * 'answered' when the answer arrives, or 'dropped' when the service closes it without one.
 */
function client(
  t: Test,
  port: number,
  localAddress: string,
): { socket: Socket; outcome: Promise<'answered' | 'dropped'> } {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  socket.on('error', () => undefined);
  t.teardown(() => socket.destroy());
  const outcome = new Promise<'answered' | 'dropped'>((resolve) => {
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.startsWith('HTTP/1.1 200 ')) resolve('answered');
    });
    socket.on('close', () => resolve('dropped'));
  });
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  return { socket, outcome };
}

/** Opens `count` connections from one address, one after the other, each answered or dropped. */
async function open(t: Test, port: number, address: string, count: number) {
  const outcomes: string[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const c = client(t, port, address);
    outcomes.push(await c.outcome);
    sockets.push(c.socket);
  }
  return { outcomes, sockets };
}

t.test(
  'one client cannot hold more than MAX_CONNECTIONS_PER_CLIENT connections; others are still served',
  async (t) => {
    const { url } = await build(t, { MAX_CONNECTIONS_PER_CLIENT: String(LIMIT) });
    const port = Number(new URL(url).port);

    const greedy = await open(t, port, '127.0.0.2', LIMIT + 3);
    t.same(
      greedy.outcomes,
      [...Array(LIMIT).fill('answered'), ...Array(3).fill('dropped')],
      `the first ${LIMIT} connections are served, every one above is closed without an answer`,
    );
    t.same(
      (await open(t, port, '127.0.0.3', LIMIT)).outcomes,
      Array(LIMIT).fill('answered'),
      'another client is served',
    );

    // Once the greedy client lets one go, it may connect again (the service sees the close a
    // moment after the client: a few attempts, counted, not timed).
    greedy.sockets[0]!.destroy();
    let again: string | undefined;
    for (let attempt = 0; attempt < 50 && again !== 'answered'; attempt++) {
      again = await client(t, port, '127.0.0.2').outcome;
    }
    t.equal(again, 'answered', 'below its limit again, the client is served');
  },
);

t.test('the trusted load balancer is not limited: every visitor arrives through its few addresses', async (t) => {
  const { url } = await build(t, {
    MAX_CONNECTIONS_PER_CLIENT: String(LIMIT),
    TRUST_PROXY_HOPS: '1',
    TRUSTED_PROXY_CIDRS: '127.0.0.2/32',
  });
  const port = Number(new URL(url).port);
  const balancer = await open(t, port, '127.0.0.2', LIMIT + 3);
  t.same(balancer.outcomes, Array(LIMIT + 3).fill('answered'), 'a peer in TRUSTED_PROXY_CIDRS holds more');
  const direct = await open(t, port, '127.0.0.3', LIMIT + 1);
  t.equal(direct.outcomes.at(-1), 'dropped', 'a peer outside the range is still limited');
});

t.test('without trusted proxies the private ranges are clients like any other', async (t) => {
  // Loopback is named as trusted, so that only TRUST_PROXY_HOPS=0 decides.
  const { url } = await build(t, { MAX_CONNECTIONS_PER_CLIENT: String(LIMIT), TRUSTED_PROXY_CIDRS: '127.0.0.0/8' });
  const port = Number(new URL(url).port);
  const { outcomes } = await open(t, port, '127.0.0.4', LIMIT + 1);
  t.equal(outcomes.at(-1), 'dropped', 'with TRUST_PROXY_HOPS=0 no range is exempt');
});

t.test('a client is an IPv4 address or an IPv6 /64', async (t) => {
  const cases: [address: string, key: string][] = [
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
  ];
  for (const [address, key] of cases) t.equal(clientKey(address), key, address);
});
