/**
 * A real PostgreSQL server for one test file (scripts/postgres-server.mjs), stopped and removed
 * when the file's tests end.
 */
import type { Test } from 'tap';
import { startPostgres as start } from '../../scripts/postgres-server.mjs';

export type Postgres = Awaited<ReturnType<typeof start>>;

export async function startPostgres(t: Test, options?: Parameters<typeof start>[0]): Promise<Postgres> {
  const postgres = await start(options);
  t.teardown(postgres.remove);
  return postgres;
}
