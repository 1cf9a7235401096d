import type { Message } from '../schemas/common.js';

export interface NewMessage {
  readonly content: string;
  readonly author?: string | undefined;
}

export interface MessagesPage {
  items: Message[];
  nextBefore: number | null;
}

/**
 * The message board's storage, the same on both engines (SQLite, PostgreSQL): ids ascend in
 * insertion order, pages are newest first with keyset pagination, and `create` resolves only
 * once the message is committed. A database that cannot answer now rejects with an
 * UnavailableError (503 + Retry-After); anything else is a 500.
 */
export interface MessagesRepository {
  /** Which engine stores the messages: `sqlite` or `postgres`. */
  readonly engine: 'sqlite' | 'postgres';
  /** Newest first, `limit` rows with id below `before` (keyset pagination). */
  page(limit: number, before?: number): Promise<MessagesPage>;
  get(id: number): Promise<Message | undefined>;
  /** The newest message's text alone: the legacy GET /api/message needs nothing else. */
  newestContent(): Promise<string | undefined>;
  /** Stores a message durably: resolves once its transaction has been committed. */
  create(message: NewMessage): Promise<Message>;
  count(): Promise<number>;
  /**
   * Why this instance should take no traffic because of its database, or null. SQLite: the file
   * does not answer or cannot take writes (the database is this pod's own). PostgreSQL: always
   * null, the database is shared by every replica, so its outage must not empty the load
   * balancer; requests answer 503 with Retry-After meanwhile (docs/service.md).
   */
  notReadyReason(): string | null;
  /** Closes the connection(s); the SQLite writer lock goes last. */
  close(): Promise<void>;
}
