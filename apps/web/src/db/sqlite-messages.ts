import type { Message } from '../schemas/common.js';
import { groupCommit } from './group-commit.js';
import { openDatabase } from './open-database.js';
import type { MessagesRepository, NewMessage } from './messages-repository.js';

interface MessageRow {
  id: number;
  author: string | null;
  content: string;
  created_at: string;
}

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  author: row.author,
  content: row.content,
  createdAt: row.created_at,
});

/**
 * The embedded engine: one SQLite file, one writer (open-database.ts). Reads are synchronous
 * better-sqlite3 calls behind the async interface; writes go through group commit.
 */
export function openSqliteMessages(path: string): MessagesRepository {
  const opened = openDatabase(path);
  const { db } = opened;
  const columns = 'id, author, content, created_at';
  const pageFirst = db.prepare<[number], MessageRow>(`SELECT ${columns} FROM messages ORDER BY id DESC LIMIT ?`);
  const pageBefore = db.prepare<[number, number], MessageRow>(
    `SELECT ${columns} FROM messages WHERE id < ? ORDER BY id DESC LIMIT ?`,
  );
  const byId = db.prepare<[number], MessageRow>(`SELECT ${columns} FROM messages WHERE id = ?`);
  // One column, plucked: no row object per request on the hottest read (docs/performance.md).
  const newestContent = db.prepare<[], string>('SELECT content FROM messages ORDER BY id DESC LIMIT 1').pluck();
  const insert = db.prepare<[string | null, string, string], MessageRow>(
    `INSERT INTO messages (author, content, created_at) VALUES (?, ?, ?) RETURNING ${columns}`,
  );
  const count = db.prepare<[], number>('SELECT count(*) FROM messages').pluck();
  const ping = db.prepare('SELECT 1');
  const probe = db.prepare<[string]>('INSERT OR REPLACE INTO write_probe (id, checked_at) VALUES (1, ?)');
  const insertBatch = db.transaction((batch: readonly NewMessage[]) => {
    const createdAt = new Date().toISOString();
    return batch.map((message) => toMessage(insert.get(message.author ?? null, message.content, createdAt)!));
  });
  // Messages posted in the same event-loop turn share one transaction and one fsync.
  const writer = groupCommit(path, insertBatch);

  /** The SQLite code of the last failed commit; after a failure each call tries one small commit. */
  function writeProblem(): string | null {
    if (writer.failure === null) return null;
    try {
      probe.run(new Date().toISOString());
      writer.record(null);
    } catch (err) {
      writer.record(err);
    }
    return writer.failure;
  }

  return {
    engine: 'sqlite',
    async page(limit, before) {
      // One extra row tells whether another page exists without a second query.
      const rows = before === undefined ? pageFirst.all(limit + 1) : pageBefore.all(before, limit + 1);
      const items = rows.slice(0, limit).map(toMessage);
      return { items, nextBefore: rows.length > limit ? items[items.length - 1]!.id : null };
    },
    async get(id) {
      const row = byId.get(id);
      return row && toMessage(row);
    },
    async newestContent() {
      return newestContent.get();
    },
    create(message) {
      return writer.push(message);
    },
    async count() {
      return count.get()!;
    },
    notReadyReason() {
      try {
        ping.get();
      } catch {
        return 'database unavailable';
      }
      const problem = writeProblem();
      return problem ? `database cannot store messages (${problem})` : null;
    },
    async close() {
      if (!db.open) return;
      // A clean close checkpoints the WAL into the main file, so a copy of it alone is complete;
      // the writer lock goes last, so no second writer can start before the file is settled.
      opened.close();
    },
  };
}
