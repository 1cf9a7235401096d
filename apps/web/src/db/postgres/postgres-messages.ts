import pg from 'pg';
import type { Message } from '../../schemas/common.js';
import type { MessagesRepository } from '../messages-repository.js';
import { asAnswer } from './postgres-error.js';
import { migratePostgres } from './migrations.js';
import { connectionOptions, type ConnectionSettings } from './connection.js';

interface MessageRow {
  id: string;
  author: string | null;
  content: string;
  created_at: Date;
}

/** Ids are bigint (int8, which pg returns as text); the API's ids stop at 2^53 - 1 (schemas/common.ts). */
const toMessage = (row: MessageRow): Message => ({
  id: Number(row.id),
  author: row.author,
  content: row.content,
  createdAt: row.created_at.toISOString(),
});

/** Pool settings: every wait is bounded, so a database that is away gives a 503, never a hang. */
export const POSTGRES_POOL = {
  max: 10,
  /** A request waits at most this long for a connection before it is answered 503. */
  connectionTimeoutMillis: 2_000,
  idleTimeoutMillis: 30_000,
  /** Enforced by the server: a statement that runs longer is cancelled (SQLSTATE 57014). */
  statement_timeout: 5_000,
  /** Enforced by the client too, for a server that stopped answering altogether. */
  query_timeout: 6_000,
} as const;

/**
 * How long the boot waits for a database that is starting: Aurora Serverless v2 resumes from an
 * auto-pause in about 15 s (Aurora user guide, "Scaling to zero ACUs"), during which connections
 * time out. Below the Fastify plugin timeout (server-options.ts) and the pod's startup probe (60 s).
 */
export const BOOT_WAIT_MS = 40_000;

/** A connection that timed out, or a server that says it is starting (SQLSTATE 57P03): worth another try. */
function isStarting(err: unknown): boolean {
  const { message, code } = err as { message?: string; code?: string };
  return (
    code === '57P03' ||
    /timeout exceeded when trying to connect|Connection terminated due to connection timeout/.test(message ?? '')
  );
}

export interface PostgresOptions {
  /** Called with errors of idle connections (server restarted, network cut): logged, never thrown. */
  onIdleError(error: Error): void;
  /** Authentication and TLS; default: the URL's password, no TLS. */
  readonly connection?: ConnectionSettings;
  /** How long the boot retries a database that is starting (default BOOT_WAIT_MS). */
  readonly bootWaitMs?: number;
}

/**
 * The shared engine: every replica uses one PostgreSQL database. Each insert is its own
 * transaction; PostgreSQL's default `synchronous_commit = on` returns from COMMIT only once the
 * commit record is flushed to its WAL, so a 201 means committed and durable. Migrations run once at
 * open, under an advisory lock (migrations.ts).
 */
export async function openPostgresMessages(url: string, options: PostgresOptions): Promise<MessagesRepository> {
  const pool = new pg.Pool({
    ...connectionOptions(url, options.connection ?? { auth: 'password' }),
    application_name: 'zumo-web',
    ...POSTGRES_POOL,
  });
  // Without a listener, an idle connection's error would be an uncaught 'error' event and end the process.
  pool.on('error', options.onIdleError);
  const deadline = Date.now() + (options.bootWaitMs ?? BOOT_WAIT_MS);
  try {
    for (;;) {
      try {
        const client = await pool.connect();
        try {
          await migratePostgres(client);
        } finally {
          client.release();
        }
        break;
      } catch (err) {
        // Refused, wrong credentials or a newer schema end the boot at once; only a start waits.
        if (!isStarting(err) || Date.now() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  } catch (err) {
    await pool.end().catch(() => undefined); // the boot error below is what matters
    const where = new URL(url);
    throw new Error(
      `database postgres://${where.host}${where.pathname}: cannot be prepared: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }

  const columns = 'id, author, content, created_at';
  // Named: each connection parses and plans a statement once, then only binds and executes it.
  const query = async <Row extends pg.QueryResultRow>(name: string, text: string, values: unknown[] = []) => {
    try {
      return (await pool.query<Row>({ name, text, values })).rows;
    } catch (err) {
      throw asAnswer(err);
    }
  };

  return {
    engine: 'postgres',
    async page(limit, before) {
      // One extra row tells whether another page exists without a second query.
      const rows =
        before === undefined
          ? await query<MessageRow>('page-first', `SELECT ${columns} FROM messages ORDER BY id DESC LIMIT $1`, [
              limit + 1,
            ])
          : await query<MessageRow>(
              'page-before',
              `SELECT ${columns} FROM messages WHERE id < $1 ORDER BY id DESC LIMIT $2`,
              [before, limit + 1],
            );
      const items = rows.slice(0, limit).map(toMessage);
      return { items, nextBefore: rows.length > limit ? items[items.length - 1]!.id : null };
    },
    async get(id) {
      const [row] = await query<MessageRow>('by-id', `SELECT ${columns} FROM messages WHERE id = $1`, [id]);
      return row && toMessage(row);
    },
    async newestContent() {
      const [row] = await query<{ content: string }>(
        'newest-content',
        'SELECT content FROM messages ORDER BY id DESC LIMIT 1',
      );
      return row?.content;
    },
    async create(message) {
      const [row] = await query<MessageRow>(
        'insert',
        `INSERT INTO messages (author, content) VALUES ($1, $2) RETURNING ${columns}`,
        [message.author ?? null, message.content],
      );
      return toMessage(row!);
    },
    async count() {
      const [row] = await query<{ n: string }>('count', 'SELECT count(*) AS n FROM messages');
      return Number(row!.n);
    },
    notReadyReason() {
      return null;
    },
    async close() {
      await pool.end();
    },
  };
}
