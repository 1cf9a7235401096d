import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrations.js';
import { DatabaseError } from './database-error.js';
import { acquireWriterLock, type WriterLock } from './writer-lock.js';

/**
 * How long one statement waits for another connection's write lock, synchronously (better-sqlite3
 * blocks the event loop meanwhile). Kept tiny: writes retry later off the event loop instead
 * (db/group-commit.ts), so a held lock never freezes the process.
 */
export const BUSY_TIMEOUT_MS = 5;

export interface OpenedDatabase {
  readonly db: Database;
  readonly lock: WriterLock | undefined;
  /** Closes the database (a clean close checkpoints the WAL), then releases the writer lock. */
  close(): void;
}

/**
 * Opens the SQLite file with the settings the service relies on, refuses a damaged one, and brings
 * its schema up to date. Every failure names the file.
 *
 * - One writer: an exclusive lock on a byte of the database file itself (writer-lock.ts), taken
 *   before any read or write, so a second process refuses to start whatever name it uses.
 * - WAL: readers never block the single writer, and a commit is one append to the log.
 * - synchronous=FULL: every commit fsyncs the WAL before it returns, so a 201 survives not only a
 *   killed process (NORMAL would already cover that) but also a kernel crash or power loss.
 * - quick_check at boot: a damaged file stops the boot (exit 1, the path and SQLite's findings in
 *   the log) instead of serving 500s from the damaged pages while reporting ready.
 */
/** PRAGMA quick_check: a damaged file either reports findings or fails the check outright. */
function checkIntegrity(db: Database, path: string): void {
  let findings: string[];
  try {
    findings = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((row) => row.quick_check);
  } catch (err) {
    throw new DatabaseError(path, 'failed its integrity check (PRAGMA quick_check)', err);
  }
  if (findings.join() !== 'ok') {
    throw new DatabaseError(path, `failed its integrity check (PRAGMA quick_check): ${findings.join('; ')}`);
  }
}

export function openDatabase(path: string): OpenedDatabase {
  const inMemory = path === ':memory:';
  if (!inMemory) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new DatabaseError(path, 'cannot create its directory', err);
    }
  }
  let db: Database;
  try {
    // Opening only creates the file when missing; nothing is read or written before the lock.
    db = new BetterSqlite3(path);
  } catch (err) {
    throw new DatabaseError(path, 'cannot be opened', err);
  }
  let lock: WriterLock | undefined;
  try {
    lock = inMemory ? undefined : acquireWriterLock(path);
  } catch (err) {
    db.close();
    throw err;
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    checkIntegrity(db, path);
    migrate(db);
  } catch (err) {
    db.close();
    lock?.release();
    throw err instanceof DatabaseError ? err : new DatabaseError(path, 'cannot be prepared', err);
  }
  return {
    db,
    lock,
    close() {
      db.close();
      lock?.release();
    },
  };
}
