import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { SECURITY_HEADERS, cacheControlFor } from '@zumo/config';

/**
 * Serves the built page (dist/public) under the same paths CloudFront uses, so the page works
 * unchanged locally: index.html must revalidate, /assets/* are immutable (rules shared with the
 * S3 sync tool through @zumo/config). ETag and 304 come from @fastify/static.
 */
export default fp<{ publicDir: string | undefined }>(
  async (fastify, { publicDir }) => {
    if (!publicDir || !existsSync(publicDir)) {
      fastify.log.warn({ publicDir }, 'the page is not built; serving the API only (run the build)');
      return;
    }
    await fastify.register(fastifyStatic, {
      root: publicDir,
      prefix: '/',
      // One route per built file, found at boot: no filesystem lookups for unknown URLs, and the
      // metrics' route label stays bounded.
      wildcard: false,
      cacheControl: false,
      etag: true,
      lastModified: true,
      setHeaders: (reply, path) => {
        // The page's security headers over the API set every answer starts with (its CSP
        // replaced, COOP and Permissions-Policy added): these files are what a browser renders.
        reply.headers(SECURITY_HEADERS);
        reply.header('cache-control', cacheControlFor(relative(publicDir, path).split(sep).join('/')));
      },
    });
  },
  { name: 'static', dependencies: ['config'] },
);
