import fp from 'fastify-plugin';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../db/open-database.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The one SQLite connection (one writer); closed in onClose after in-flight requests end. */
    db: Database;
  }
}

export default fp(
  async (fastify) => {
    const opened = openDatabase(fastify.config.DATABASE_PATH);
    fastify.decorate('db', opened.db);
    fastify.addHook('onClose', async () => {
      // A clean close checkpoints the WAL into the main file, so a copy of it alone is complete;
      // the writer lock goes last, so no second writer can start before the file is settled.
      opened.close();
    });
  },
  { name: 'database', dependencies: ['config'] },
);
