/**
 * Preloaded with `node --import ./dist/instrument.js` so Sentry can instrument modules before the
 * service imports them. Without SENTRY_DSN it imports nothing and does nothing. An invalid
 * environment is left for server.ts to report (one error, exit 1).
 */
import { loadConfig, type Env } from '@zumo/config';
import type { ErrorEvent } from '@sentry/node';

function configOrUndefined(): Readonly<Env> | undefined {
  try {
    return loadConfig(process.env);
  } catch {
    return undefined;
  }
}

/** No PII leaves the process: no IPs, cookies, bodies or headers other than the user agent. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  delete event.user;
  if (event.request) {
    delete event.request.cookies;
    delete event.request.data;
    const userAgent = event.request.headers?.['user-agent'];
    event.request.headers = userAgent ? { 'user-agent': userAgent } : {};
  }
  return event;
}

const config = configOrUndefined();
if (config?.SENTRY_DSN) {
  const Sentry = await import('@sentry/node');
  Sentry.init({
    dsn: config.SENTRY_DSN,
    release: config.RELEASE,
    environment: config.SENTRY_ENVIRONMENT,
    tracesSampleRate: config.SENTRY_TRACES_SAMPLE_RATE,
    // Collect no personal data at the source; scrubEvent is the second line of defence.
    dataCollection: { userInfo: false, cookies: false, httpHeaders: false, httpBodies: [], urlQueryParams: false },
    beforeSend: scrubEvent,
    // The service's error handler is the one place that reports (5xx only, tagged with route and
    // request id); the SDK's own Fastify hook would report the same error again, untagged.
    integrations: [Sentry.fastifyIntegration({ shouldHandleError: () => false })],
  });
}
