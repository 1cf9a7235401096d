/**
 * Preloaded with `node --import ./dist/instrument.js`. When Sentry traces requests
 * (SENTRY_TRACES_SAMPLE_RATE > 0) the SDK must instrument modules before the service imports
 * them, so it starts here. Error reporting alone needs no instrumentation and starts lazily in
 * plugins/external/sentry.ts; without SENTRY_DSN nothing is imported at all. An invalid
 * environment is left for server.ts to report (one error, exit 1).
 */
import { loadConfig, type Env } from '@zumo/config';
import { baseSentryOptions, isTracing } from './observability/sentry-options.js';

function configOrUndefined(): Readonly<Env> | undefined {
  try {
    return loadConfig(process.env);
  } catch {
    return undefined;
  }
}

const config = configOrUndefined();
if (config?.SENTRY_DSN && isTracing(config)) {
  const Sentry = await import('@sentry/node');
  Sentry.init({
    ...baseSentryOptions(config),
    tracesSampleRate: config.SENTRY_TRACES_SAMPLE_RATE,
    // The service's error handler is the one place that reports (5xx only, tagged with route and
    // request id); the SDK's own Fastify hook would report the same error again, untagged.
    integrations: [Sentry.fastifyIntegration({ shouldHandleError: () => false })],
  });
}
