import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_SECURITY_HEADERS } from '@zumo/config';
import { REQUEST_ID_HEADER } from '../plugins/app/request-id.js';
import type {} from '../plugins/app/metrics.js';
import { recordRequest } from '../logging/request-recorder.js';
import { errorBody } from './error-handler.js';
import { afterEarlierAnswers, answerIsWaiting, writeRawAnswer } from './raw-answer.js';

/** The method label of requests the parser refused before their method was known. */
const UNPARSED_METHOD = 'unparsed';

/** The longest path parameter the router accepts (a message id needs 16 digits). */
export const MAX_PARAM_LENGTH = 100;

const ROUTER_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_BAD_URL: 'The URL is not valid: it contains a malformed percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: `A path segment is longer than ${MAX_PARAM_LENGTH} characters`,
};

/**
 * Fastify `frameworkErrors`: errors the router raises before any route or hook runs (a bad
 * percent-encoding, an overlong path parameter). Without this Fastify answers them itself, in
 * another shape, echoing the whole URL, without our headers, request id, access line or metric.
 * Here they get what any other 400 gets. No hook runs for these requests (Fastify builds them
 * outside the request lifecycle), so the headers, the metric and the access line are added here.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const statusCode = (error.statusCode ?? 500) >= 500 ? 500 : 400;
  const message = ROUTER_MESSAGES[error.code] ?? 'The request could not be routed';
  if (statusCode === 500) request.log.error({ err: error }, 'router failure');
  reply.raw.once('finish', () => recordRequest(undefined, request, reply));
  return reply
    .headers(API_SECURITY_HEADERS)
    .header(REQUEST_ID_HEADER, request.id)
    .code(statusCode)
    .send(errorBody(statusCode, statusCode === 500 ? 'The server failed to answer this request' : message));
}

const PARSER_ERRORS: Readonly<Record<string, [status: number, message: string]>> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large'],
};

/**
 * Fastify `clientErrorHandler` (the node server's 'clientError' event): requests the HTTP parser
 * rejects (malformed, headers too large, too slow) never become a request object. They get the
 * one error shape, the security headers and a fresh request id, the connection is closed, and one
 * log line (with that id) says who. The answer waits for the answers to every earlier pipelined
 * request on the connection (raw-answer.ts, afterEarlierAnswers), so answers stay in request
 * order. As Node's own handler does, nothing is written when the refused request's own response
 * is already under way: the connection is closed instead.
 */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket) {
  // Once the answer is written (the socket ended) or waiting, more bytes on the connection are
  // the same refused request to Node's parser: no second answer, no second log line.
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable || answerIsWaiting(socket)) return;
  const [statusCode, message] = PARSER_ERRORS[error.code ?? ''] ?? [400, 'The request is not valid HTTP'];
  const requestId = randomUUID();
  this.log.info({ requestId, statusCode, clientIp: socket.remoteAddress, reason: error.code }, 'client error');
  afterEarlierAnswers(socket, (own) => {
    if (!socket.writable || own?.headersSent) {
      socket.destroy();
      return;
    }
    this.metrics?.observeUnrouted(UNPARSED_METHOD, statusCode);
    writeRawAnswer(socket, statusCode, message, requestId);
  });
}
