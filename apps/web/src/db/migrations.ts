import type { Database } from 'better-sqlite3';

/**
 * Versioned schema changes, applied in order at boot. `PRAGMA user_version` records the last one
 * applied, so each runs exactly once per database file. Never edit a shipped migration: add one.
 */
export const MIGRATIONS: readonly ((db: Database) => void)[] = [
  // 1: the message board.
  (db) => {
    db.exec(`
      CREATE TABLE messages (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        author     TEXT,
        content    TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
  // 2: the welcome message, seeded here so it is written once per database, never per start.
  (db) => {
    db.prepare('INSERT INTO messages (author, content, created_at) VALUES (?, ?, ?)').run(
      'zumo',
      'Hello from Kubernetes!',
      new Date().toISOString(),
    );
  },
  // 3: one row that readiness rewrites to test, after a failed write, whether commits work again.
  (db) => {
    db.exec(`
      CREATE TABLE write_probe (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at TEXT NOT NULL
      ) STRICT;
    `);
  },
];

/** Applies pending migrations, each with its version bump in one transaction. Returns the new version. */
export function migrate(db: Database, migrations = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this build knows (${migrations.length}); refusing to start an older release on it`,
    );
  }
  for (let version = current + 1; version <= migrations.length; version++) {
    const apply = migrations[version - 1]!;
    db.transaction(() => {
      apply(db);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return migrations.length;
}
