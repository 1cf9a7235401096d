import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly messagesCreated: Counter;
  /** Records one answered request in http_request_duration_seconds (called by the request
   * recorder, logging/request-recorder.ts, once per request: no hook of its own). */
  observeRequest(method: string, route: string | undefined, statusCode: number, elapsedMs: number): void;
  /** Records an answer written outside Fastify (a malformed request, CONNECT): no route, and no
   * duration, since no request was timed (it counts in the fastest bucket). */
  observeUnrouted(method: string, statusCode: number): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

/** Label for requests that matched no route: one series, never the raw URL (unbounded cardinality). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Buckets include 0.3 s because the latency alert fires on p99 above 300 ms. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

export default fp(
  async (fastify) => {
    // A registry per app instance (not prom-client's global one), so two instances in one process
    // (tests) never share or collide on series.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });

    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    const messagesCreated = new Counter({
      name: 'messages_created_total',
      help: 'Messages stored through POST /api/messages',
      registers: [registry],
    });
    const buildInfo = new Gauge({
      name: 'zumo_build_info',
      help: 'Always 1; labelled with the release (git short SHA) this process runs',
      labelNames: ['release', 'node_version'] as const,
      registers: [registry],
    });
    buildInfo.set({ release: fastify.config.RELEASE, node_version: process.version }, 1);

    // The duration is Fastify's reply.elapsedTime, so no timer per request.
    const observeRequest = (method: string, route: string | undefined, statusCode: number, elapsedMs: number) =>
      duration.observe({ method, route: route ?? UNMATCHED_ROUTE, status_code: statusCode }, elapsedMs / 1000);

    const observeUnrouted = (method: string, statusCode: number) =>
      duration.observe({ method, route: UNMATCHED_ROUTE, status_code: statusCode }, 0);

    fastify.decorate('metrics', { registry, messagesCreated, observeRequest, observeUnrouted });
  },
  { name: 'metrics', dependencies: ['config'] },
);
