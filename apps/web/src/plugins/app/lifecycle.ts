import fp from 'fastify-plugin';
import { CONNECTIONS_CUT, cutAfterMs } from '../../http/graceful-server.js';

export interface Lifecycle {
  readonly startedAt: Date;
  /** True from the first shutdown signal on: readiness answers 503 so the load balancer drains us. */
  shuttingDown: boolean;
  /** True once the listener closes (after the drain): answers then end their connection. */
  closing: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

export default fp(
  async (fastify) => {
    const lifecycle: Lifecycle = { startedAt: new Date(), shuttingDown: false, closing: false };
    fastify.decorate('lifecycle', lifecycle);
    fastify.addHook('preClose', async () => {
      lifecycle.shuttingDown = true;
      lifecycle.closing = true;
    });
    fastify.server.on(CONNECTIONS_CUT, (connections: number) => {
      fastify.log.warn(
        { connections, afterMs: cutAfterMs(fastify.config.SHUTDOWN_GRACE_MS) },
        'shutdown: cut connections still sending at the end of the grace',
      );
    });
    // Once the listener closes every answer says `Connection: close`, so keep-alive clients (the
    // ALB) let go of the socket: a request in flight at that moment then ends its connection
    // instead of holding it open until the grace period runs out (exit 1, database not closed).
    // (During the drain before it, connections are kept: the service still serves normally.)
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (lifecycle.closing) reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'lifecycle', dependencies: ['config'] },
);
