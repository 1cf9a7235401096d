import { closeSync, openSync, realpathSync, statSync } from 'node:fs';
import { tryLock } from 'fs-native-extensions';
import { DatabaseError } from './database-error.js';

export interface WriterLock {
  /** The file that carries the lock: the database file itself on Linux. */
  readonly path: string;
  release(): void;
}

/**
 * The byte the writer lock takes: the first one after SQLite's own lock bytes on the main file,
 * PENDING_BYTE 0x40000000, RESERVED_BYTE +1 and SHARED_FIRST +2 for SHARED_SIZE 510 bytes
 * (sqlite3.c in better-sqlite3's deps/sqlite3, SQLite 3.53). No SQLite connection, the service's,
 * a backup's or an operator's shell, ever locks it, so the lock excludes only another service.
 */
export const WRITER_LOCK_BYTE = 0x40000000 + 2 + 510;

/**
 * One writer per database file. SQLite alone lets a second process open the same file and write
 * (each with its own rate-limit store and group commit), and a ReadWriteOnce volume still lets two
 * pods on one node share it. So at boot, before anything is read or written, the service takes an
 * exclusive lock on one byte of the database file itself (WRITER_LOCK_BYTE), and refuses to start
 * when another process holds it.
 *
 * The lock is an open file description (OFD) lock, `fcntl(F_OFD_SETLK)` through
 * fs-native-extensions (src/linux.c), which makes it:
 * - keyed on the file, not its name: the kernel keeps record locks per inode, so every name of the
 *   file (a symlink, a `..` spelling, a directory or file bind mount, a Kubernetes subPath, another
 *   pod on the node) meets the same lock. A lock named after the path could not: a file bind-mounted
 *   into another directory has another realpath and one link, and each process would keep its own
 *   -wal next to the name it used, so writes acknowledged by one were missing from the other;
 * - untouched by SQLite: a classic POSIX lock belongs to the process, and SQLite drops every one the
 *   process holds on the file when it unlocks to NO_LOCK (posixUnlock: `l_start = l_len = 0`),
 *   and closing any descriptor of the file drops them too; an OFD lock belongs to this descriptor
 *   only (fcntl(2), "Open file description locks");
 * - released by the kernel when the process dies, however it dies (SIGKILL, OOM kill): never a
 *   stale lock to wait out or clean up.
 *
 * Elsewhere (a developer's macOS) fs-native-extensions takes a whole-file flock instead
 * (src/apple.c), which must not sit on the file SQLite locks, so the lock is on `<real file>.lock`
 * there: it follows symlinks and `..` (realpath), not bind mounts.
 *
 * A file with several hard links is refused: SQLite names its -wal after the name used, so a
 * restart under another name would miss a -wal left by a crash, and SQLite calls a link count
 * other than 1 undefined behaviour ("How To Corrupt An SQLite Database File"). The database file
 * must exist (openDatabase opens it first, which creates it).
 */
export function acquireWriterLock(databasePath: string): WriterLock {
  const real = realDatabaseFile(databasePath);
  const onFile = process.platform === 'linux';
  const path = onFile ? real : `${real}.lock`;
  let fd: number;
  try {
    // Read-write: a write (exclusive) lock needs a descriptor open for writing.
    fd = openSync(path, onFile ? 'r+' : 'a+');
  } catch (err) {
    throw new DatabaseError(databasePath, `cannot open ${path} for its writer lock`, err);
  }
  let locked: boolean;
  try {
    locked = tryLock(fd, WRITER_LOCK_BYTE, 1);
  } catch (err) {
    closeSync(fd);
    throw new DatabaseError(databasePath, `cannot take its writer lock on ${path}`, err);
  }
  if (!locked) {
    closeSync(fd);
    throw new DatabaseError(
      databasePath,
      'another process is already serving it (it holds the writer lock on this file, under this or another name); only one writer may run: stop the other first',
    );
  }
  return { path, release: () => closeSync(fd) };
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
