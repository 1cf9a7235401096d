import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import type { ErrorResponse } from '../schemas/common.js';
import { UnavailableError, isBusy, sqliteCode } from '../db/database-error.js';

type Detail = NonNullable<ErrorResponse['details']>[number];

/** Turns one Ajv error into "which field, which rule", in words a form can show next to the field. */
export function describeValidationError(error: ErrorObject, part: string): Detail {
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  const missing = error.keyword === 'required' ? String(error.params['missingProperty']) : undefined;
  const field = missing ?? (path || part);
  let message = error.message ?? 'is invalid';
  if (missing) message = 'is required';
  if (error.keyword === 'type' && missing === undefined && path === '') message = `${part} ${message}`;
  return { in: part, field, message };
}

const statusName = (statusCode: number): string => STATUS_CODES[statusCode] ?? 'Error';

/** Builds the one error shape; `message` must be safe to show (never for a 5xx cause). */
export function errorBody(statusCode: number, message: string, details?: Detail[]): ErrorResponse {
  return details
    ? { statusCode, error: statusName(statusCode), message, details }
    : { statusCode, error: statusName(statusCode), message };
}

/**
 * The one error handler: validation errors name each field and rule; other 4xx keep their
 * (framework-written, safe) message; every 5xx is logged with request context, reported to
 * Sentry, and answered with a generic message: no stack, SQL or path reaches a client.
 */
export function errorHandler(this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation) {
    const part = error.validationContext ?? 'request';
    const details = error.validation.map((e) => describeValidationError(e as ErrorObject, part));
    const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
    request.log.info({ details }, 'validation failed');
    return reply.code(400).send(errorBody(400, `Invalid ${part}: ${summary}`, details));
  }
  const statusCode =
    typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    // Never the header's text: answers and logs do not echo what a client sent (docs/service.md).
    return reply.code(415).send(errorBody(415, 'This Content-Type is not accepted; send application/json'));
  }
  if (statusCode < 500) {
    return reply.code(statusCode).send(errorBody(statusCode, error.message));
  }
  // Database failures name the file in the log, so the one line says which volume to look at.
  const databasePath = sqliteCode(error) || sqliteCode(error.cause) ? this.config.DATABASE_PATH : undefined;
  if (error instanceof UnavailableError) {
    // A held write lock is routine (a backup); a file that cannot take writes needs an operator.
    const routine = isBusy(error.cause);
    request.log[routine ? 'warn' : 'error']({ err: error, databasePath }, 'request refused: database unavailable');
    if (!routine) this.reportError(error, request);
    return reply.code(503).header('retry-after', String(error.retryAfterSeconds)).send(errorBody(503, error.message));
  }
  request.log.error({ err: error, databasePath }, 'request failed');
  this.reportError(error, request);
  return reply
    .code(statusCode)
    .send(errorBody(statusCode, 'The server failed to answer this request; it has been logged.'));
}

/** A 404 names the method only: the path and query string can carry tokens, and echoing them
 * back (and into proxies' logs) helps no one who sent them. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(errorBody(404, `There is no route for ${request.method} on this path`));
}
