/** SQLite error codes that mean the file cannot take writes now: disk full, I/O, read-only, damage. */
const CANNOT_WRITE = /^SQLITE_(FULL|IOERR|READONLY|CORRUPT|CANTOPEN|NOTADB)/;

/** The code of a SQLite error (better-sqlite3 sets `code`), or undefined for anything else. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(error) ?? '');
export const cannotWrite = (error: unknown) => CANNOT_WRITE.test(sqliteCode(error) ?? '');

/**
 * A database failure that names the file (DATABASE_PATH), so an operator reading one log line
 * knows which volume to look at. The cause is kept for the log and Sentry (pino's error
 * serializer appends the cause's message to this one).
 */
export class DatabaseError extends Error {
  readonly path: string;
  readonly code: string | undefined;

  constructor(path: string, what: string, cause?: unknown) {
    super(`database ${path}: ${what}`, { cause });
    this.name = 'DatabaseError';
    this.path = path;
    this.code = sqliteCode(cause);
  }
}

/**
 * An answer the client may retry: 503 with Retry-After. The message is safe to show (it names no
 * path or SQL); the error handler sends it as is.
 */
export class UnavailableError extends Error {
  readonly statusCode = 503;
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, cause?: unknown) {
    super(message, { cause });
    this.name = 'UnavailableError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
