import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';

/**
 * Rate limiting is opt-in per route (`config.rateLimit`), keyed on request.ip: behind
 * CloudFront and the ALB that is the visitor's address only because trustProxy is a hop count.
 */
export default fp(
  async (fastify) => {
    await fastify.register(rateLimit, {
      global: false,
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, context) => ({
        statusCode: context.statusCode,
        error: 'Too Many Requests',
        message: `Rate limit exceeded: at most ${context.max} requests per minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
      }),
    });
  },
  { name: 'rate-limit' },
);
