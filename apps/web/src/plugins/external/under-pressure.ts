import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';

/**
 * Samples event-loop delay and heap use. The limits feed readiness only (see routes/ops.ts):
 * the load balancer stops sending traffic to a struggling pod instead of each request being
 * refused here, so `pressureHandler` lets requests through.
 */
export default fp(
  async (fastify) => {
    await fastify.register(underPressure, {
      maxEventLoopDelay: fastify.config.READY_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapUsedBytes: fastify.config.READY_MAX_HEAP_USED_MB * 1024 * 1024,
      pressureHandler: () => undefined,
    });
  },
  { name: 'under-pressure', dependencies: ['config'] },
);
