/**
 * Security headers, in two sets. The page (index.html and its assets: documents a browser renders)
 * gets SECURITY_HEADERS: from the service locally and from CloudFront's page policy in front of S3
 * (infra/src/components/edge.ts sends every header of the set, custom headers included).
 * Every other answer (the JSON API, errors, probes, metrics: nothing a browser renders as a page)
 * gets API_SECURITY_HEADERS: from the service, and from CloudFront's API policy in front of the ALB.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** HSTS lifetime: two years, subdomains included. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

const STRICT_TRANSPORT_SECURITY = `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;

/** The page's headers (documents). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': STRICT_TRANSPORT_SECURITY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
});

/**
 * The CSP of the service's own answers: nothing may load in them or frame them. Stricter than the
 * page's, and the value OWASP's REST Security Cheat Sheet gives for API responses.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers of every answer that is not the page. What a JSON answer needs: no sniffing it into
 * HTML, no framing, no loading, no cross-origin reads (CORP), HTTPS only, no referrer. The page's
 * other three (COOP, Permissions-Policy and its longer CSP) only mean something for documents; left
 * off, they also spare every API answer ~300 bytes and two headers, which cost it 10-15 % of its
 * CPU per request (docs/performance.md).
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': API_CONTENT_SECURITY_POLICY,
  'strict-transport-security': STRICT_TRANSPORT_SECURITY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
});
