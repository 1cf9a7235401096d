import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type * as SentrySdk from '@sentry/node';
import { baseSentryOptions, isTracing } from '../../observability/sentry-options.js';

/**
 * Reports a server-side failure: a 5xx (with its request) or a fatal process error (without).
 * A no-op unless SENTRY_DSN is set.
 */
export type ErrorReporter = (error: unknown, request?: FastifyRequest) => void;

declare module 'fastify' {
  interface FastifyInstance {
    reportError: ErrorReporter;
  }
}

type Sentry = typeof SentrySdk;

/** Errors waiting for the SDK to load (bounded: a flood of failures must not grow memory). */
const MAX_PENDING = 100;

/**
 * Sends failures to Sentry, tagged with the route pattern, method and request id.
 *
 * With tracing, the preload (instrument.ts) started the SDK. For error reporting alone the SDK is
 * imported when the first error needs it: @sentry/node costs about 250 ms of CPU and 20 MB of
 * memory to load, which a healthy process never has to pay (docs/performance.md). Errors wait in
 * a short queue meanwhile; a fatal error waits for the load and the flush before the process
 * exits (server.ts reports it, and onClose flushes).
 */
export default fp(
  async (fastify) => {
    const { config } = fastify;
    if (!config.SENTRY_DSN) {
      fastify.decorate('reportError', () => {
        // Sentry is off: the error is already in the log.
      });
      return;
    }

    let sentry: Sentry | undefined;
    let loading: Promise<void> | undefined;
    const pending: { error: unknown; tags: Record<string, string> }[] = [];

    const capture = (S: Sentry, error: unknown, tags: Record<string, string>) =>
      S.withScope((scope) => {
        scope.setTags(tags);
        S.captureException(error);
      });

    const load = async () => {
      const S = await import('@sentry/node');
      if (!isTracing(config)) {
        S.init({
          ...baseSentryOptions(config),
          // Only what error events need; no per-request instrumentation, no module patching.
          // Uncaught errors are reported through server.ts, not by the SDK's own handlers.
          defaultIntegrations: false,
          enableRuntimeChannelInjection: false,
          integrations: [
            S.eventFiltersIntegration(),
            S.functionToStringIntegration(),
            S.linkedErrorsIntegration(),
            S.dedupeIntegration(),
            S.contextLinesIntegration(),
            S.nodeContextIntegration(),
          ],
        });
      }
      sentry = S;
      for (const { error, tags } of pending.splice(0)) capture(S, error, tags);
    };

    fastify.decorate('reportError', (error: unknown, request?: FastifyRequest) => {
      const tags: Record<string, string> = request
        ? { route: request.routeOptions.url ?? 'unmatched', method: request.method, request_id: request.id }
        : { fatal: 'true' };
      if (sentry) return capture(sentry, error, tags);
      if (pending.length < MAX_PENDING) pending.push({ error, tags });
      loading ??= load().catch((err: unknown) => {
        fastify.log.error({ err }, 'Sentry could not be started; errors are only logged');
      });
    });

    fastify.addHook('onClose', async () => {
      await loading;
      await sentry?.flush(2000);
    });
  },
  { name: 'sentry', dependencies: ['config'] },
);
