import type { PoolClient } from 'pg';

/**
 * Versioned schema changes for PostgreSQL, applied in order at boot. `zumo_schema` records the
 * versions applied. Never edit a shipped migration: add one. (The SQLite engine has its own list,
 * db/migrations.ts: the two schemas differ in types, not in what the API sees.)
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: the message board. Identity ids ascend in insertion order, as SQLite's AUTOINCREMENT does.
  `CREATE TABLE messages (
     id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     author     text,
     content    text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  // 2: the welcome message, written once per database, never per start.
  `INSERT INTO messages (author, content) VALUES ('zumo', 'Hello from Kubernetes!')`,
];

/**
 * Any constant shared by every replica: the advisory lock that serialises migrations. Replicas
 * starting together wait here; the first applies the migrations, the others then find nothing
 * to do.
 */
export const MIGRATION_LOCK_KEY = 0x7a756d6f; // "zumo"

/**
 * Applies pending migrations in one transaction, under a transaction-level advisory lock (released
 * by the commit or the rollback, even if the process dies). A database newer than this build is
 * refused: an older release must not run on a schema it does not know.
 */
export async function migratePostgres(client: PoolClient, migrations = POSTGRES_MIGRATIONS): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS zumo_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM zumo_schema');
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(
        `database schema version ${current} is newer than this build knows (${migrations.length}); refusing to start an older release on it`,
      );
    }
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1]!);
      await client.query('INSERT INTO zumo_schema (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (err) {
    // The migration's own error is the one to report; a failed rollback ends the connection anyway.
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return migrations.length;
}
