import fp from 'fastify-plugin';
import { CONNECTIONS_CUT, cutAfterMs } from '../../http/graceful-server.js';

export interface Lifecycle {
  readonly startedAt: Date;
  /** True from the first shutdown signal on: readiness answers 503 so the load balancer drains us. */
  shuttingDown: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

export default fp(
  async (fastify) => {
    const lifecycle: Lifecycle = { startedAt: new Date(), shuttingDown: false };
    fastify.decorate('lifecycle', lifecycle);
    fastify.addHook('preClose', async () => {
      lifecycle.shuttingDown = true;
    });
    fastify.server.on(CONNECTIONS_CUT, (connections: number) => {
      fastify.log.warn(
        { connections, afterMs: cutAfterMs(fastify.config.SHUTDOWN_GRACE_MS) },
        'shutdown: cut connections still sending at the end of the grace',
      );
    });
  },
  { name: 'lifecycle', dependencies: ['config'] },
);
