import type { Test } from 'tap';
import { API_SECURITY_HEADERS, SECURITY_HEADERS } from '@zumo/config';
import type { RawResponse } from '../raw-http.js';

const ERROR_KEYS = ['statusCode', 'error', 'message'];

/** Every answer carries one whole set: errors and JSON answers the API set; the page's own files
 * (non-JSON successes that carry the page's CSP: index.html, assets, their 304s) the page set
 * (docs/service.md, "Security headers"; which file gets which is tested in
 * test/plugins/security-and-logging.ts). */
function expectedHeaders(r: RawResponse): Readonly<Record<string, string>> {
  const json = (r.headers['content-type'] ?? '').startsWith('application/json');
  const page = r.headers['content-security-policy'] === SECURITY_HEADERS['content-security-policy'];
  return r.status < 400 && !json && page ? SECURITY_HEADERS : API_SECURITY_HEADERS;
}

/** Fails `t` (and returns false) unless the answer has an allowed status, the security headers of
 * its kind and, for errors, the one error shape. */
export function assertWellFormed(t: Test, what: string, r: RawResponse, allowed: number[]): boolean {
  const problems: string[] = [];
  if (!allowed.includes(r.status)) problems.push(`status ${r.status}`);
  for (const [name, value] of Object.entries(expectedHeaders(r))) {
    if (r.headers[name] !== value) problems.push(`no ${name}`);
  }
  if (r.status >= 400) {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(r.body);
    } catch {
      problems.push('error body is not JSON');
    }
    if (JSON.stringify(Object.keys(body).slice(0, 3)) !== JSON.stringify(ERROR_KEYS)) problems.push('error shape');
    if (body['statusCode'] !== r.status) problems.push('statusCode differs');
  }
  if (problems.length > 0) t.fail(`${what}: ${problems.join(', ')}`);
  return problems.length === 0;
}
