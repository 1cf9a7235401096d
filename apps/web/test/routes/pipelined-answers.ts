import { connect } from 'node:net';
import t from 'tap';
import BetterSqlite3 from 'better-sqlite3';
import { build } from '../helper.js';
import { parseResponse } from '../raw-http.js';

/** Splits what arrived on one connection into its responses (Content-Length bodies). */
function responses(data: Buffer): { status: number; body: string }[] {
  const found: { status: number; body: string }[] = [];
  let rest = data;
  for (;;) {
    const r = parseResponse(rest);
    if (!r) return found;
    found.push({ status: r.status, body: r.body });
    const headEnd = rest.indexOf('\r\n\r\n');
    rest = rest.subarray(headEnd + 4 + Buffer.byteLength(r.body));
  }
}

/** Waits for `check` to hold, looking again after each event-loop turn, a bounded number of times. */
async function eventually(check: () => boolean, turns = 2000): Promise<boolean> {
  for (let i = 0; i < turns; i++) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return check();
}

// HTTP/1.1 answers pipelined requests in order (RFC 9112, 9.3.2). A request the parser refuses
// after one still being answered must be answered after it, not before.
t.test('a malformed request pipelined after a slow one is answered after it, in order', async (t) => {
  const { url, config, logs } = await build(t);
  // The first request is slow: another connection holds the write lock, so the post waits.
  const holder = new BetterSqlite3(config.DATABASE_PATH);
  t.teardown(() => holder.close());
  holder.exec('BEGIN IMMEDIATE');

  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  t.teardown(() => socket.destroy());
  let data = Buffer.alloc(0);
  let closed = false;
  socket.on('data', (chunk) => (data = Buffer.concat([data, chunk])));
  socket.on('close', () => (closed = true));
  const body = JSON.stringify({ content: 'first in line' });
  socket.write(
    `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
      'GET /healthz HTTP/1.1\r\nHost: x\r\nThis line is no header\r\n\r\n',
  );

  t.ok(await eventually(() => logs.some((l) => l['msg'] === 'client error')), 'the parser refused the second request');
  holder.exec('COMMIT');
  t.ok(await eventually(() => closed || responses(data).length >= 2), 'both answers arrived');
  const answers = responses(data);
  t.same(
    answers.map((a) => a.status),
    [201, 400],
    'the post is answered first, then the malformed request',
  );
  t.equal(JSON.parse(answers[0]?.body ?? '{}').content, 'first in line', 'the first answer is the stored message');
  t.match(
    JSON.parse(answers[1]?.body ?? '{}'),
    { statusCode: 400, error: 'Bad Request' },
    'the second, the error shape',
  );
  t.ok(await eventually(() => closed), 'then the connection is closed');
});

t.test('bytes sent after the refused request while it waits add no log line and no second answer', async (t) => {
  const { url, config, logs } = await build(t);
  const holder = new BetterSqlite3(config.DATABASE_PATH);
  t.teardown(() => holder.close());
  holder.exec('BEGIN IMMEDIATE');
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  t.teardown(() => socket.destroy());
  let data = Buffer.alloc(0);
  let closed = false;
  socket.on('data', (chunk) => (data = Buffer.concat([data, chunk])));
  socket.on('close', () => (closed = true));
  const body = JSON.stringify({ content: 'first in line' });
  socket.write(
    `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
      'GET /healthz HTTP/1.1\r\nHost: x\r\nThis line is no header\r\n\r\n',
  );
  const refused = () => logs.filter((l) => l['msg'] === 'client error').length;
  t.ok(await eventually(() => refused() === 1), 'the parser refused the second request');
  for (let i = 0; i < 20; i++) socket.write('more garbage\r\n');
  await new Promise((resolve) => setImmediate(resolve));
  holder.exec('COMMIT');
  t.ok(await eventually(() => closed), 'the connection is closed after the answers');
  t.same(
    responses(data).map((a) => a.status),
    [201, 400],
    'two answers, in order',
  );
  t.equal(refused(), 1, 'one log line for the refused request');
});
