import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is logged only when it is short and plain, so it cannot forge log lines. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify `genReqId`: always a new UUID. The caller's x-request-id is never adopted: behind
 * CloudFront (which forwards every viewer header) and the ALB it would be whatever the visitor
 * chose, so one client could make its requests share an id with anyone else's log lines and
 * Sentry events. A trusted-proxy rule would not help: the proxies pass the header through.
 */
export const newRequestId = (): string => randomUUID();

/** The caller's own x-request-id, when plain: logged beside ours (`clientRequestId`) to correlate. */
export function clientRequestId(headers: IncomingHttpHeaders): string | undefined {
  const given = headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : undefined;
}

/** Echoes the request id so a client can quote it in a bug report and we can find the log line. */
export default fp(
  async (fastify) => {
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
  },
  { name: 'request-id' },
);
