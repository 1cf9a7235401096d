import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { clientRequestId } from '../plugins/app/request-id.js';

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
 * The one access line of a request: method, route pattern, status, duration, client address; no
 * bodies, no headers, no query strings. Also written for router errors (errors/framework-errors.ts),
 * which Fastify answers outside its request lifecycle.
 */
export function writeAccessLine(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
  // routeOptions is rebuilt on every read (a dozen fields): read it once.
  const { url: route, config } = request.routeOptions;
  const line = {
    method: request.method,
    route: route ?? null,
    // The path only when no route matched (bounded), so 404 probes can still be traced; never
    // the query string, which can carry tokens (`?session=...`).
    url: route ? undefined : pathOf(request.url),
    statusCode: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
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
 * Exactly one access line per request, written when the response has been sent: Fastify's
 * "incoming request" and "route not found" lines are dropped and its "request completed" line is
 * replaced by writeAccessLine. The request id is bound to every line of the request as `requestId`.
 */
export class AccessLogController extends LogController {
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
    writeAccessLine(error, request, reply);
  }
}
