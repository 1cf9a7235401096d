import fp from 'fastify-plugin';
import type { Message } from '../../schemas/common.js';
import { groupCommit } from '../../db/group-commit.js';

interface MessageRow {
  id: number;
  author: string | null;
  content: string;
  created_at: string;
}

export interface NewMessage {
  readonly content: string;
  readonly author?: string | undefined;
}

export interface MessagesRepository {
  /** Newest first, `limit` rows with id below `before` (keyset pagination). */
  page(limit: number, before?: number): { items: Message[]; nextBefore: number | null };
  get(id: number): Message | undefined;
  newest(): Message | undefined;
  /** The newest message's text alone: the legacy GET /api/message needs nothing else. */
  newestContent(): string | undefined;
  /** Stores a message durably: resolves once its transaction has been committed and fsynced. */
  create(message: NewMessage): Promise<Message>;
  count(): number;
  /**
   * Why messages cannot be stored now (the SQLite code of the last failed commit, such as
   * SQLITE_FULL), or null. After a failure each call tries one small commit, so readiness
   * recovers by itself once the disk has room again.
   */
  writeProblem(): string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    messages: MessagesRepository;
  }
}

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  author: row.author,
  content: row.content,
  createdAt: row.created_at,
});

export default fp(
  async (fastify) => {
    const { db } = fastify;
    const columns = 'id, author, content, created_at';
    const pageFirst = db.prepare<[number], MessageRow>(`SELECT ${columns} FROM messages ORDER BY id DESC LIMIT ?`);
    const pageBefore = db.prepare<[number, number], MessageRow>(
      `SELECT ${columns} FROM messages WHERE id < ? ORDER BY id DESC LIMIT ?`,
    );
    const byId = db.prepare<[number], MessageRow>(`SELECT ${columns} FROM messages WHERE id = ?`);
    const newest = db.prepare<[], MessageRow>(`SELECT ${columns} FROM messages ORDER BY id DESC LIMIT 1`);
    // One column, plucked: no row object per request on the hottest read (docs/performance.md).
    const newestContent = db.prepare<[], string>('SELECT content FROM messages ORDER BY id DESC LIMIT 1').pluck();
    const insert = db.prepare<[string | null, string, string], MessageRow>(
      `INSERT INTO messages (author, content, created_at) VALUES (?, ?, ?) RETURNING ${columns}`,
    );
    const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages');
    const probe = db.prepare<[string]>('INSERT OR REPLACE INTO write_probe (id, checked_at) VALUES (1, ?)');
    const insertBatch = db.transaction((batch: readonly NewMessage[]) => {
      const createdAt = new Date().toISOString();
      return batch.map((message) => toMessage(insert.get(message.author ?? null, message.content, createdAt)!));
    });
    // Messages posted in the same event-loop turn share one transaction and one fsync.
    const writer = groupCommit(fastify.config.DATABASE_PATH, insertBatch);

    const repository: MessagesRepository = {
      page(limit, before) {
        // One extra row tells whether another page exists without a second query.
        const rows = before === undefined ? pageFirst.all(limit + 1) : pageBefore.all(before, limit + 1);
        const items = rows.slice(0, limit).map(toMessage);
        return { items, nextBefore: rows.length > limit ? items[items.length - 1]!.id : null };
      },
      get(id) {
        const row = byId.get(id);
        return row && toMessage(row);
      },
      newest() {
        const row = newest.get();
        return row && toMessage(row);
      },
      newestContent() {
        return newestContent.get();
      },
      create(message) {
        return writer.push(message);
      },
      count() {
        return count.get()!.n;
      },
      writeProblem() {
        if (writer.failure === null) return null;
        try {
          probe.run(new Date().toISOString());
          writer.record(null);
        } catch (err) {
          writer.record(err);
        }
        return writer.failure;
      },
    };
    fastify.decorate('messages', repository);
  },
  { name: 'messages-repository', dependencies: ['database'] },
);
