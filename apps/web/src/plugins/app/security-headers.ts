import fp from 'fastify-plugin';
import { SECURITY_HEADERS } from '@zumo/config';

/**
 * Security headers for every response. They never vary by request, so the frozen object from the
 * contract (shared with CloudFront's response headers policy) is handed to `reply.headers` as is,
 * cheaper than @fastify/helmet's per-request middleware.
 */
export default fp(
  async (fastify) => {
    // Callback style: no promise per request on the hot path.
    fastify.addHook('onRequest', (_request, reply, done) => {
      reply.headers(SECURITY_HEADERS);
      done();
    });
  },
  { name: 'security-headers' },
);
