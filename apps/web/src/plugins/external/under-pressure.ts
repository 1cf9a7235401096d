import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';

/**
 * Samples event-loop delay and heap use (`fastify.memoryUsage()`); readiness compares them with
 * its limits (routes/ops.ts). No limit is given to the plugin itself: with one it adds an onRequest
 * hook to every request to refuse work under pressure, which we do not want (the load balancer
 * drains an unready pod instead) and which cost CPU on every request (docs/performance.md).
 */
export default fp(
  async (fastify) => {
    await fastify.register(underPressure, {});
  },
  { name: 'under-pressure', dependencies: ['config'] },
);
