import { realpathSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { DatabaseError, isBusy } from './database-error.js';

export interface WriterLock {
  readonly path: string;
  release(): void;
}

/**
 * One writer per database file. SQLite alone lets a second process open the same file and write
 * (each with its own rate-limit store and group commit), and a ReadWriteOnce volume still lets two
 * pods on one node share it. So at boot the service takes an exclusive lock on `<file>.lock`: an
 * SQLite database of its own, put in `locking_mode=EXCLUSIVE` and written once, so SQLite holds
 * its POSIX lock on it until the connection closes. The kernel releases that lock when the process
 * dies (even by SIGKILL or the OOM killer), so there is never a stale lock to clean up, and it
 * excludes any process on the same kernel (two pods on one node share it). The main file stays in
 * normal WAL mode, so a backup or an operator's sqlite3 shell can still read it.
 *
 * The lock is named after the real file, not the name given: symlinks and `..` are resolved (as
 * SQLite itself does before naming its -wal and -shm files), so `alias.db -> zumo.db` or
 * `linked-dir/zumo.db` meet the same lock. A file with several hard links is refused: no name is
 * more real than another, and SQLite calls a link count other than 1 undefined behaviour (its WAL
 * is named after the name used, so two names can corrupt the file). The database file must exist
 * (openDatabase opens it first, which creates it).
 */
export function acquireWriterLock(databasePath: string): WriterLock {
  const path = `${realDatabaseFile(databasePath)}.lock`;
  let lock: BetterSqlite3.Database;
  try {
    lock = new BetterSqlite3(path);
  } catch (err) {
    throw new DatabaseError(databasePath, `cannot open its writer lock ${path}`, err);
  }
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS writer (since TEXT NOT NULL)');
    lock.prepare('INSERT INTO writer (since) VALUES (?)').run(new Date().toISOString());
  } catch (err) {
    lock.close();
    if (isBusy(err)) {
      throw new DatabaseError(
        databasePath,
        `another process is already serving it (it holds ${path}); only one writer may run: stop the other first`,
      );
    }
    throw new DatabaseError(databasePath, `cannot take its writer lock ${path}`, err);
  }
  return { path, release: () => lock.close() };
}

/** The file DATABASE_PATH names, with every symlink and `..` resolved; refused when it has more than one name. */
function realDatabaseFile(databasePath: string): string {
  let real: string;
  let links: number;
  try {
    real = realpathSync(databasePath);
    links = statSync(real).nlink;
  } catch (err) {
    throw new DatabaseError(databasePath, 'cannot resolve its real path for the writer lock', err);
  }
  if (links !== 1) {
    throw new DatabaseError(
      databasePath,
      `has ${links} names (hard links); SQLite names its WAL after the name used, so two names can corrupt it: keep one`,
    );
  }
  return real;
}
