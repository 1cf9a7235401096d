/** The page's only way to the backend: same-origin, relative URLs (works locally and behind CloudFront). */

export interface FieldError {
  in: string;
  field: string;
  message: string;
}

/** A non-2xx answer, carrying the server's error shape and Retry-After when present. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: FieldError[] = [],
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
    credentials: 'omit',
    cache: 'no-store',
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => null)) as { message?: string; details?: FieldError[] } | null;
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      body?.message ?? `The server answered ${response.status}`,
      body?.details ?? [],
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  return body as T;
}

// The answers' types come from the routes' own schemas: the page cannot drift from the API.
export type { Info, Message, MessagePage } from '../src/schemas/common.js';
