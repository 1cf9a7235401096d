import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';

/** Reports server-side failures. A no-op unless SENTRY_DSN is set. */
export type ErrorReporter = (error: unknown, request: FastifyRequest) => void;

declare module 'fastify' {
  interface FastifyInstance {
    reportError: ErrorReporter;
  }
}

/**
 * Wires 5xx errors to Sentry with the route pattern and request id as tags. The SDK itself is
 * initialised by the preload (`instrument.ts`); without a DSN the SDK is never even imported.
 */
export default fp(
  async (fastify) => {
    if (!fastify.config.SENTRY_DSN) {
      fastify.decorate('reportError', () => {
        // Sentry is off: the error is already in the log.
      });
      return;
    }
    const Sentry = await import('@sentry/node');
    fastify.decorate('reportError', (error: unknown, request: FastifyRequest) => {
      Sentry.withScope((scope) => {
        scope.setTag('route', request.routeOptions.url ?? 'unmatched');
        scope.setTag('method', request.method);
        scope.setTag('request_id', request.id);
        Sentry.captureException(error);
      });
    });
    fastify.addHook('onClose', async () => {
      await Sentry.flush(2000);
    });
  },
  { name: 'sentry', dependencies: ['config'] },
);
