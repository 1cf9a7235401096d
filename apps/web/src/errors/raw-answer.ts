import { STATUS_CODES } from 'node:http';
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
