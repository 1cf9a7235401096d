/**
 * The two storage engines as the contract tests meet them: each gives a fresh, empty database for
 * one app (a SQLite file in a temp directory, or a new database on one real PostgreSQL server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { startPostgres, type Postgres } from '../postgres/server.js';

export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  /** The environment that points a new app at a fresh database of this engine. */
  freshDatabase(t: Test): Record<string, string>;
}

let counter = 0;

/** SQLite always; PostgreSQL on a server started for this test file (stopped at its end). */
export async function engines(t: Test): Promise<{ engines: Engine[]; postgres: Postgres }> {
  const postgres = await startPostgres(t);
  return {
    postgres,
    engines: [
      {
        name: 'sqlite',
        // Its own directory: t.testdir() is one per test and emptied on each call (build() calls it too).
        freshDatabase: (t) => {
          const dir = mkdtempSync(join(tmpdir(), 'zumo-sqlite-'));
          t.teardown(() => rmSync(dir, { recursive: true, force: true }));
          return { DATABASE_PATH: join(dir, 'zumo.db') };
        },
      },
      {
        name: 'postgres',
        freshDatabase: () => ({ DATABASE_URL: postgres.database(`zumo_${process.pid}_${++counter}`) }),
      },
    ],
  };
}
