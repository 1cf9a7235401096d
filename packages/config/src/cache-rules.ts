import { PATHS } from './contract.js';

/**
 * Cache rules for the page's static files, shared by the service (local serving) and the S3 sync
 * tool (object metadata), so the two can never disagree.
 *
 * - Content-hashed files under /assets/ never change under their name: cache for a year, immutable.
 * - Everything else (index.html) names the current hashes: browsers and CloudFront must revalidate.
 */
export const CACHE_CONTROL = {
  immutable: 'public, max-age=31536000, immutable',
  revalidate: 'no-cache',
} as const;

/** True for a path under /assets/ (a content-hashed file). Accepts URL paths or bucket keys. */
export function isHashedAsset(path: string): boolean {
  const normalized = path.startsWith('/') ? path : `/${path}`;
  return normalized.startsWith(`${PATHS.assets}/`);
}

/** The Cache-Control header value for a URL path or bucket key. */
export function cacheControlFor(path: string): string {
  return isHashedAsset(path) ? CACHE_CONTROL.immutable : CACHE_CONTROL.revalidate;
}
