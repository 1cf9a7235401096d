import fp from 'fastify-plugin';
import type { MessagesRepository } from '../../db/messages-repository.js';
import { openSqliteMessages } from '../../db/sqlite-messages.js';
import { openPostgresMessages } from '../../db/postgres/postgres-messages.js';
import { readTlsCa } from '../../db/postgres/connection.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The message board's storage: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
    messages: MessagesRepository;
  }
}

/** Opens the engine the configuration names; closed in onClose, after in-flight requests end. */
export default fp(
  async (fastify) => {
    const { DATABASE_URL, DATABASE_PATH, DATABASE_AUTH, DATABASE_TLS_CA, AWS_REGION } = fastify.config;
    const messages = DATABASE_URL
      ? await openPostgresMessages(DATABASE_URL, {
          onIdleError: (err) => fastify.log.warn({ err }, 'an idle database connection failed; the pool replaces it'),
          connection: { auth: DATABASE_AUTH, tlsCa: readTlsCa(DATABASE_TLS_CA), region: AWS_REGION },
        })
      : openSqliteMessages(DATABASE_PATH);
    fastify.decorate('messages', messages);
    fastify.addHook('onClose', () => messages.close());
  },
  { name: 'database', dependencies: ['config'] },
);
