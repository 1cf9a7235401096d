import { UnavailableError } from '../database-error.js';

/** Retry-After when PostgreSQL cannot be reached or refuses work for now (restart, failover, resume). */
export const POSTGRES_RETRY_AFTER_SECONDS = 5;

/** Network errors of the socket to the server (node's codes). */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATE classes and codes that mean "not now" rather than "wrong" (PostgreSQL, Appendix A):
 * 08 connection exception, 53 insufficient resources (too many connections, disk full), 57P01-03
 * admin shutdown, crash shutdown, cannot connect now (starting up, recovering), 40001/40P01
 * serialization failure and deadlock (retryable), 25006 read-only transaction (a failover in
 * progress: the old writer became a reader), 57014 statement timeout.
 */
function retryableSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    ['57P01', '57P02', '57P03', '40001', '40P01', '25006', '57014'].includes(code)
  );
}

/**
 * Whether a failure of a query means the database is away for now: a network error, a retryable
 * SQLSTATE, or pg's own messages for a connection that ended or a pool that timed out waiting.
 */
export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (NETWORK.has(code) || (/^[0-9A-Z]{5}$/.test(code) && retryableSqlState(code))))
    return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i.test(
    message,
  );
}

/** A query failure as the API answers it: 503 + Retry-After when the database is away, else as is (500). */
export function asAnswer(error: unknown): unknown {
  return isUnavailable(error)
    ? new UnavailableError('The database is unavailable; try again shortly', POSTGRES_RETRY_AFTER_SECONDS, error)
    : error;
}
