import fp from 'fastify-plugin';

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
  },
  { name: 'lifecycle' },
);
