import type { ErrorEvent, NodeOptions } from '@sentry/node';
import type { Env } from '@zumo/config';

/** No PII leaves the process: no user, IPs, cookies, bodies or headers other than the user agent. */
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

/** Whether Sentry traces requests: only then does it need the preload and its instrumentation. */
export const isTracing = (config: Readonly<Env>) => config.SENTRY_TRACES_SAMPLE_RATE > 0;

/** Options shared by both ways the SDK starts (preloaded for tracing, lazily for errors only). */
export function baseSentryOptions(config: Readonly<Env>): NodeOptions {
  return {
    dsn: config.SENTRY_DSN,
    release: config.RELEASE,
    environment: config.SENTRY_ENVIRONMENT,
    // Collect no personal data at the source; scrubEvent is the second line of defence.
    dataCollection: { userInfo: false, cookies: false, httpHeaders: false, httpBodies: [], urlQueryParams: false },
    beforeSend: scrubEvent,
  };
}
