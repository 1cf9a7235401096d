import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import t, { type Test } from 'tap';
import { eventually, request, startService } from '../helper.js';

interface Envelope {
  items: { type: string; payload: any }[];
}

/** A local stand-in for Sentry's ingest: records every envelope the SDK sends. */
async function sentrySink(t: Test) {
  const envelopes: Envelope[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const lines = body.toString().split('\n').filter(Boolean);
    const items: Envelope['items'] = [];
    for (let i = 1; i + 1 < lines.length; i += 2) {
      items.push({ type: JSON.parse(lines[i]!).type, payload: JSON.parse(lines[i + 1]!) });
    }
    envelopes.push({ items });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address() as { port: number };
  const events = () => envelopes.flatMap((e) => e.items.filter((i) => i.type === 'event').map((i) => i.payload));
  return { dsn: `http://publickey@127.0.0.1:${address.port}/42`, events };
}

t.test('Sentry: a 500 sends exactly one event with release and route; a 400 sends none', async (t) => {
  const sink = await sentrySink(t);
  const databasePath = join(t.testdir({}), 'zumo.db');
  const service = await startService(t, {
    DATABASE_PATH: databasePath,
    SENTRY_DSN: sink.dsn,
    SENTRY_ENVIRONMENT: 'test',
    RELEASE: 'c0ffee1',
  });

  const invalid = await request(`${service.url}/api/messages`, { json: { content: '' } });
  t.equal(invalid.status, 400);

  const failed = await failOnePost(service.url, databasePath, {
    'x-request-id': 'req-sentry-1',
    cookie: 'session=secret',
    authorization: 'Bearer hunter2',
  });
  t.equal(failed.status, 500);
  t.notMatch(failed.text, /SQLITE|messages_away|table|database/i, 'the client sees no cause');

  await eventually('the event at the sink', () => (sink.events().length > 0 ? true : undefined));
  // The service flushes Sentry as it stops: a duplicate or a 400 event would have arrived by its exit.
  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0, 'the service stops cleanly');
  const events = sink.events();
  t.equal(events.length, 1, 'exactly one event');
  const [event] = events;
  t.equal(event.release, 'c0ffee1', 'release = RELEASE');
  t.equal(event.environment, 'test');
  t.match(event.tags, { route: '/api/messages', method: 'POST', request_id: failed.headers.get('x-request-id') });
  t.match(JSON.stringify(event.exception), /no such table: messages/i, 'the cause goes to Sentry');
  t.equal(event.user, undefined, 'no user (and so no IP address)');
  const serialized = JSON.stringify(event);
  for (const secret of ['hunter2', 'session=secret', 'ip_address', 'blocked']) {
    t.notOk(serialized.includes(secret), `no PII or body in the event: ${secret}`);
  }
});

/**
 * Makes the next POST fail with a 500: another connection moves the table away for a moment, an
 * error the service cannot expect. (A held write lock is a routine 503 now, not reported.)
 */
async function failOnePost(url: string, databasePath: string, headers: Record<string, string> = {}) {
  const other = new BetterSqlite3(databasePath);
  other.exec('ALTER TABLE messages RENAME TO messages_away');
  try {
    return await request(`${url}/api/messages`, { json: { content: 'blocked' }, headers });
  } finally {
    other.exec('ALTER TABLE messages_away RENAME TO messages');
    other.close();
  }
}

const SDK_MODULE = /node_modules\/@sentry\//;

t.test('the Sentry SDK is loaded only when there is something to report', async (t) => {
  // NODE_DEBUG=esm makes Node log every module it loads, so the check sees real imports.
  const dir = t.testdir({});
  const without = await startService(t, { DATABASE_PATH: join(dir, 'a.db'), NODE_DEBUG: 'esm' });
  t.equal((await failOnePost(without.url, join(dir, 'a.db'))).status, 500);
  // Whatever the 500 would load is loaded by the time the process exits.
  without.child.kill('SIGTERM');
  await without.exited;
  t.notMatch(without.stderr(), SDK_MODULE, 'without SENTRY_DSN no @sentry module is loaded, even after a 500');

  const sink = await sentrySink(t);
  const withDsn = await startService(t, { DATABASE_PATH: join(dir, 'b.db'), NODE_DEBUG: 'esm', SENTRY_DSN: sink.dsn });
  for (let i = 0; i < 20; i++) await request(`${withDsn.url}/api/info`);
  t.notMatch(withDsn.stderr(), SDK_MODULE, 'with a DSN, a healthy process has not loaded the SDK');
  t.equal((await failOnePost(withDsn.url, join(dir, 'b.db'))).status, 500);
  await eventually('the event at the sink', () => (sink.events().length > 0 ? true : undefined));
  t.match(withDsn.stderr(), SDK_MODULE, 'the first 500 loads it (and the same check sees it)');
  t.equal(sink.events().length, 1, 'and the error that loaded it was sent');
});
