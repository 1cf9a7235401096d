import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrations.js';

/**
 * Opens the SQLite file with the settings the service relies on and brings its schema up to date.
 *
 * - WAL: readers never block the single writer, and a commit is one append to the log.
 * - synchronous=FULL: every commit fsyncs the WAL before it returns, so a 201 survives not only a
 *   killed process (NORMAL would already cover that) but also a kernel crash or power loss.
 * - busy_timeout: a second connection (a backup, the sqlite3 shell) holding the write lock is
 *   waited for up to 1 s; not longer, because better-sqlite3 waits synchronously and stalls the
 *   event loop meanwhile.
 */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 1000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
