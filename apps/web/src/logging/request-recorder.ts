import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { clientRequestId } from '../plugins/app/request-id.js';
import type {} from '../plugins/app/metrics.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Operations endpoints (probes, scrapes): logged at debug, never rate limited. */
    ops?: boolean;
  }
}

/** The path of a request target, without its query string, at most 200 characters. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return (query === -1 ? url : url.slice(0, query)).slice(0, 200);
}

/**
 * Records a finished request: its one access line (method, route pattern, status, duration,
 * client address; no bodies, no headers, no query strings) and its sample of
 * http_request_duration_seconds. Both in this one place rather than an access line here and an
 * onResponse hook for the metric: a hook costs every request a hook run, and both need the route
 * pattern, which Fastify's request.routeOptions rebuilds (a dozen fields) on every read
 * (docs/performance.md). Also called for router errors (errors/framework-errors.ts), which
 * Fastify answers outside its request lifecycle.
 */
export function recordRequest(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
  const { url: route, config } = request.routeOptions;
  const { method } = request;
  const { statusCode, elapsedTime } = reply;
  reply.server.metrics?.observeRequest(method, route, statusCode, elapsedTime);
  const line = {
    method,
    route: route ?? null,
    // The path only when no route matched (bounded), so 404 probes can still be traced; never
    // the query string, which can carry tokens (`?session=...`).
    url: route ? undefined : pathOf(request.url),
    statusCode,
    durationMs: Math.round(elapsedTime * 100) / 100,
    // After the X-Forwarded-For rules (server-options.ts): the visitor, not the load balancer.
    clientIp: request.ip,
    // The caller's own id, when it sent a plain one (ours is requestId: plugins/app/request-id.ts).
    clientRequestId: clientRequestId(request.headers),
    err: error ?? undefined,
  };
  if (config.ops && !error) request.log.debug(line, 'request');
  else request.log.info(line, 'request');
}

/**
 * Exactly one access line and one metric sample per request, when the response has been sent
 * (Fastify calls its log controller for every answered request when a logger is configured, which
 * the service always does, server-options.ts; a request aborted before its answer, and the 503
 * Fastify itself writes while closing, are recorded by neither this nor an onResponse hook):
 * Fastify's "incoming request" and "route not found" lines are dropped and its "request
 * completed" line is replaced by recordRequest. The request id is bound to every line of the
 * request as `requestId`.
 */
export class RequestRecorder extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {
    // Nothing when a request arrives: requestCompleted writes the one line.
  }

  override routeNotFound(): void {
    // The 404 is in the access line already.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    recordRequest(error, request, reply);
  }
}
