import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Operations endpoints (probes, scrapes): logged at debug, never rate limited. */
    ops?: boolean;
  }
}

/**
 * The one access line of a request: method, route pattern, status, duration, client address; no
 * bodies, no headers. Also written for router errors (errors/framework-errors.ts), which Fastify
 * answers outside its request lifecycle.
 */
export function writeAccessLine(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
  // routeOptions is rebuilt on every read (a dozen fields): read it once.
  const { url: route, config } = request.routeOptions;
  const line = {
    method: request.method,
    route: route ?? null,
    // The raw URL only when no route matched (bounded), so 404 probes can still be traced.
    url: route ? undefined : request.url.slice(0, 200),
    statusCode: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
    // After the X-Forwarded-For rules (server-options.ts): the visitor, not the load balancer.
    clientIp: request.ip,
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
