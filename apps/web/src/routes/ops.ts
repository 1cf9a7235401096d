import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Gauge } from 'prom-client';
import { PATHS } from '@zumo/config';
import { ErrorResponse } from '../schemas/common.js';
import { errorBody } from '../errors/error-handler.js';

/** Liveness, readiness and metrics: not rate limited, logged at debug only. */
const ops: FastifyPluginAsyncTypebox = async (fastify) => {
  const { config, lifecycle, metrics, messages } = fastify;
  const maxHeapBytes = config.READY_MAX_HEAP_USED_MB * 1024 * 1024;
  const opsRoute = { config: { ops: true } };

  /** Why this instance should not receive traffic now, or null when it should. */
  function notReadyReason(): string | null {
    if (lifecycle.shuttingDown) return 'shutting down';
    const database = messages.notReadyReason();
    if (database) return database;
    const usage = fastify.memoryUsage();
    if (usage.eventLoopDelay > config.READY_MAX_EVENT_LOOP_DELAY_MS) {
      return `event loop delay ${Math.round(usage.eventLoopDelay)} ms is above ${config.READY_MAX_EVENT_LOOP_DELAY_MS} ms`;
    }
    if (usage.heapUsed > maxHeapBytes) {
      return `heap used ${Math.round(usage.heapUsed / 1048576)} MB is above ${config.READY_MAX_HEAP_USED_MB} MB`;
    }
    return null;
  }

  // Readiness as a metric, computed at scrape time by the same check as /readyz: the WebNotReady
  // alert and the dashboard read it (Prometheus scrapes pods whether or not they are ready).
  new Gauge({
    name: 'zumo_ready',
    help: '1 when this instance would answer /readyz with 200, else 0',
    registers: [metrics.registry],
    collect() {
      this.set(notReadyReason() === null ? 1 : 0);
    },
  });

  const Status = Type.Object({ status: Type.String() });

  // Liveness does no I/O: a slow database must not get the pod restarted.
  fastify.get(PATHS.health, { ...opsRoute, schema: { response: { 200: Status } } }, async () => ({ status: 'ok' }));

  fastify.get(
    PATHS.ready,
    { ...opsRoute, schema: { response: { 200: Status, 503: ErrorResponse } } },
    async (_request, reply) => {
      const reason = notReadyReason();
      if (reason)
        return reply
          .code(503)
          .header('retry-after', '5')
          .send(errorBody(503, `Not ready: ${reason}`));
      return { status: 'ready' };
    },
  );

  fastify.get(PATHS.metrics, opsRoute, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};

export default ops;
