import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import { writeRawAnswer } from '../../errors/raw-answer.js';
import { clientRequestId, newRequestId } from './request-id.js';
import type {} from './metrics.js';

/** Marks a request whose Expect header Node could not meet (anything but 100-continue). */
const UNMET_EXPECTATION = Symbol('unmet expectation');
type Marked = IncomingMessage & { [UNMET_EXPECTATION]?: true };

function clientError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}

/**
 * HTTP rules Node's server used to enforce by answering itself, bare (no body, no security
 * headers, no request id, no access line, no metric): now the app answers them in its own shape.
 *
 * - HTTP/1.1 without Host: 400 (RFC 9112, section 3.2). Node's check is off (`requireHostHeader:
 *   false` in server-options.ts) and this hook makes it, so the answer goes through the error handler.
 * - An Expect other than 100-continue: 417 (RFC 9110, section 10.1.1). Node emits
 *   'checkExpectation' for those, instead of answering 417 itself, once a listener exists; the
 *   listener marks the request and hands it to Fastify like any other, and this hook refuses it.
 *   100-continue is still answered by Node.
 * - CONNECT: Node hands the socket to 'connect' listeners and destroys it when there is none (the
 *   client got no answer at all). This is not a proxy: 405, written on the socket, with one
 *   access line and the metric.
 */
export default fp(
  async (fastify) => {
    const { server } = fastify;
    server.on('checkExpectation', (req: Marked, res: ServerResponse) => {
      req[UNMET_EXPECTATION] = true;
      server.emit('request', req, res);
    });
    server.on('connect', (req: IncomingMessage, socket: Socket) => {
      const requestId = newRequestId();
      socket.on('error', () => undefined);
      fastify.log.info(
        {
          requestId,
          clientRequestId: clientRequestId(req.headers),
          method: req.method,
          route: null,
          statusCode: 405,
          clientIp: socket.remoteAddress,
        },
        'request',
      );
      fastify.metrics.observeUnrouted(req.method ?? 'CONNECT', 405);
      writeRawAnswer(socket, 405, 'CONNECT is not supported: this is not a proxy', requestId, {
        allow: 'GET, HEAD, POST',
      });
    });
    fastify.addHook('onRequest', (request, _reply, done) => {
      const raw = request.raw as Marked;
      if (raw[UNMET_EXPECTATION]) {
        done(clientError(417, 'The expectation cannot be met: only Expect: 100-continue is supported'));
      } else if (request.headers.host === undefined && raw.httpVersionMajor === 1 && raw.httpVersionMinor === 1) {
        done(clientError(400, 'The Host header is required in HTTP/1.1 requests'));
      } else done();
    });
  },
  { name: 'http-conformance', dependencies: ['metrics', 'request-id', 'security-headers'] },
);
