import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { API_SECURITY_HEADERS } from '@zumo/config';
import { REQUEST_ID_HEADER } from '../plugins/app/request-id.js';
import { errorBody } from './error-handler.js';

/**
 * Answers on a bare socket, for requests that never become a Fastify request (the HTTP parser
 * refused them, or CONNECT took the socket away from the parser): the one error shape, the
 * security headers and the request id, then the connection is closed.
 */
export function writeRawAnswer(
  socket: Socket,
  statusCode: number,
  message: string,
  requestId: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  const body = JSON.stringify(errorBody(statusCode, message));
  const headers = {
    ...API_SECURITY_HEADERS,
    ...extraHeaders,
    [REQUEST_ID_HEADER]: requestId,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\n${head.join('')}\r\n${body}`);
}

/** The response Node is writing on this socket now (`_httpMessage`, set by assignSocket and
 * cleared by detachSocket in Node's lib/_http_server.js), if any. */
const currentResponse = (socket: Socket) => (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;

/** Sockets whose refused request already has an answer waiting, so a later parser error on the
 * same connection (Node calls socketOnError again as more bytes arrive) is ignored. */
const answerWaiting = new WeakSet<Socket>();

/** Whether a refused request on this socket is already waiting for its turn to be answered. */
export const answerIsWaiting = (socket: Socket) => answerWaiting.has(socket);

/**
 * Runs `answer` once every earlier pipelined request on `socket` has been answered: HTTP/1.1
 * answers in request order (RFC 9112, 9.3.2). Node answers pipelined requests one at a time: the
 * one being written is `socket._httpMessage`, the rest wait in a queue, and when it finishes
 * (Node's own 'finish' listener, resOnFinish, runs first) the next is assigned to the socket at
 * once. So: wait for the current one to finish, look again, until none is left, or until the
 * current one belongs to the request the parser refused (its body was malformed: it is not
 * complete and gets this answer instead). `answer` receives the response of that refused
 * request, if it has one, or undefined.
 */
export function afterEarlierAnswers(socket: Socket, answer: (own: ServerResponse | undefined) => void): void {
  if (answerWaiting.has(socket)) return;
  const pending = currentResponse(socket);
  if (!pending || !pending.req.complete) {
    answer(pending ?? undefined);
    return;
  }
  answerWaiting.add(socket);
  const next = () => {
    pending.off('finish', next);
    pending.off('close', next);
    answerWaiting.delete(socket);
    afterEarlierAnswers(socket, answer);
  };
  pending.once('finish', next);
  pending.once('close', next);
}
