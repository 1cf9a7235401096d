/**
 * Migrations on PostgreSQL run at boot under an advisory lock: replicas starting together apply
 * each migration once, and a replica that finds a newer schema than it knows refuses to start.
 */
import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { loadConfig } from '@zumo/config';
import app from '../../src/app.js';
import { startPostgres } from './server.js';

const postgres = await startPostgres(t);

/** Registers the app on a database without listening; resolves once it is ready or rejects. */
async function boot(t: Test, url: string) {
  const instance = Fastify({ logger: false });
  t.teardown(() => instance.close());
  await instance.register(app, { config: loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }) });
  await instance.ready();
  return instance;
}

t.test('replicas starting together migrate once: one welcome message, one row per version', async (t) => {
  const url = postgres.database('together');
  const replicas = await Promise.all(Array.from({ length: 4 }, () => boot(t, url)));
  t.equal(replicas.length, 4, 'every replica started');
  t.equal(
    postgres.sql("SELECT count(*) FROM messages WHERE content = 'Hello from Kubernetes!'", 'together').trim(),
    '1',
  );
  t.equal(
    postgres.sql("SELECT string_agg(version::text, ',' ORDER BY version) FROM zumo_schema", 'together').trim(),
    '1,2',
  );
});

t.test('a schema newer than the build stops the boot with a clear message', async (t) => {
  const url = postgres.database('newer');
  await (await boot(t, url)).close();
  postgres.sql('INSERT INTO zumo_schema (version) VALUES (99)', 'newer');
  await t.rejects(
    boot(t, url),
    /schema version 99 is newer than this build knows \(2\); refusing to start an older release on it/,
  );
});

t.test('an unreachable server stops the boot naming the database, never its password', async (t) => {
  const url = postgres.url
    .replace('zumo@', 'zumo:s3cret@')
    .replace(/:(\d+)\//, (_m: string, port: string) => `:${Number(port) + 1}/`);
  const error = await boot(t, url).then(
    () => undefined,
    (err: Error) => err,
  );
  t.match(error?.message, /^database postgres:\/\/127\.0\.0\.1:\d+\/zumo: cannot be prepared: /);
  t.notMatch(error?.message, /s3cret/);
});
