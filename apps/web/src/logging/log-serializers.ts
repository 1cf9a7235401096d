/** Headers whose values are credentials: never written to a log line. */
export const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'] as const;

export const CENSORED = '[redacted]';

/** A headers object as it may be logged: credentials replaced by CENSORED, nothing else changed. */
export function censorHeaders(headers: unknown): unknown {
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return headers;
  const copy: Record<string, unknown> = { ...(headers as Record<string, unknown>) };
  for (const name of Object.keys(copy)) {
    if ((SECRET_HEADERS as readonly string[]).includes(name.toLowerCase())) copy[name] = CENSORED;
  }
  return copy;
}

/**
 * pino serializers: run only for lines that carry the key, so a line without headers (the access
 * line of every request) pays nothing. pino's `redact` option did the same job for every line,
 * about 1 µs each, a third of the cost of writing one (docs/performance.md). Fastify's own `req` and
 * `res` serializers write no headers at all, so `headers` is the one key that can carry them.
 */
export const LOG_SERIALIZERS = { headers: censorHeaders } as const;
