import { DatabaseError, UnavailableError, cannotWrite, isBusy, sqliteCode } from './database-error.js';

/**
 * While another connection holds the write lock (a backup, an operator's shell), a commit is
 * retried off the event loop with backoff; a message still waiting after the budget gets a 503
 * with Retry-After. Each attempt blocks the loop for at most BUSY_TIMEOUT_MS (open-database.ts).
 */
export const WRITE_RETRY = { firstDelayMs: 10, maxDelayMs: 200, budgetMs: 2_000, retryAfterSeconds: 1 } as const;

/** Retry-After when the file cannot take writes (disk full, I/O error): an operator must act. */
const CANNOT_WRITE_RETRY_AFTER_SECONDS = 30;

export interface GroupCommit<Item, Result> {
  /** Resolves once the transaction holding `item` has committed (and, with synchronous=FULL, fsynced). */
  push(item: Item): Promise<Result>;
  /** The SQLite code of the last failed commit when the file could not take writes, else null. */
  readonly failure: string | null;
  /** Records the outcome of a write made outside the queue (the readiness probe). */
  record(error: unknown): void;
}

interface Waiter<Item, Result> {
  item: Item;
  since: number;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items pushed in the same event-loop turn share one transaction (`write`), so one
 * fsync acknowledges all of them. If the commit fails, every item in it fails and none is stored.
 */
export function groupCommit<Item, Result>(
  databasePath: string,
  write: (batch: readonly Item[]) => Result[],
): GroupCommit<Item, Result> {
  let queue: Waiter<Item, Result>[] = [];
  let scheduled = false;
  let retryDelay: number = WRITE_RETRY.firstDelayMs;
  let failure: string | null = null;

  const schedule = (delayMs: number) => {
    scheduled = true;
    if (delayMs === 0) setImmediate(flush);
    else setTimeout(flush, delayMs);
  };

  function retryLater(batch: Waiter<Item, Result>[], cause: unknown) {
    const now = Date.now();
    for (const waiter of batch.filter((w) => now - w.since >= WRITE_RETRY.budgetMs)) {
      waiter.reject(
        new UnavailableError('The database is busy; try again shortly', WRITE_RETRY.retryAfterSeconds, cause),
      );
    }
    queue = [...batch.filter((w) => now - w.since < WRITE_RETRY.budgetMs), ...queue];
    if (queue.length > 0) schedule(retryDelay);
    retryDelay = Math.min(retryDelay * 2, WRITE_RETRY.maxDelayMs);
  }

  function flush() {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    let results: Result[];
    try {
      results = write(batch.map((w) => w.item));
    } catch (err) {
      if (isBusy(err)) return retryLater(batch, err);
      const error = new DatabaseError(databasePath, 'a write failed', err);
      commit.record(err);
      const answer = cannotWrite(err)
        ? new UnavailableError('The database cannot store messages right now', CANNOT_WRITE_RETRY_AFTER_SECONDS, error)
        : error;
      for (const waiter of batch) waiter.reject(answer);
      return;
    }
    commit.record(null);
    retryDelay = WRITE_RETRY.firstDelayMs;
    batch.forEach((waiter, i) => waiter.resolve(results[i]!));
  }

  const commit: GroupCommit<Item, Result> = {
    push(item) {
      return new Promise((resolve, reject) => {
        queue.push({ item, since: Date.now(), resolve, reject });
        if (!scheduled) schedule(0);
      });
    },
    get failure() {
      return failure;
    },
    record(error) {
      if (error === null) failure = null;
      else if (cannotWrite(error)) failure = sqliteCode(error) ?? 'SQLITE_ERROR';
    },
  };
  return commit;
}
