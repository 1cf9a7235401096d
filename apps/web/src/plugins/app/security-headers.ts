import fp from 'fastify-plugin';
import { API_SECURITY_HEADERS } from '@zumo/config';

/**
 * Security headers for every response: the API set (@zumo/config, shared with CloudFront's API
 * policy); the page's own files add the page set over it (plugins/external/static.ts). They never
 * vary by request, so the frozen object is handed to `reply.headers` as is, cheaper than
 * @fastify/helmet's per-request middleware.
 */
export default fp(
  async (fastify) => {
    // Callback style: no promise per request on the hot path.
    fastify.addHook('onRequest', (_request, reply, done) => {
      reply.headers(API_SECURITY_HEADERS);
      done();
    });
  },
  { name: 'security-headers' },
);
