#!/usr/bin/env node
/**
 * Bundles the service into dist/server.js and dist/instrument.js with esbuild (types are checked
 * by the typecheck target, not here). One file instead of ~400 ES modules cuts cold start by
 * about 120 ms and a few MB of RSS (docs/performance.md). Kept external: the native addons
 * (better-sqlite3, fs-native-extensions: they load their .node files by path), the Sentry SDK
 * (imported only when SENTRY_DSN is set) and pino (its transports load files by path in worker
 * threads). Not minified, so stack traces stay readable.
 */
import { copyFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await Promise.all(
  ['server.js', 'instrument.js', 'server.js.map', 'instrument.js.map'].map((f) =>
    rm(join(root, 'dist', f), { force: true }),
  ),
);

await build({
  absWorkingDir: root,
  entryPoints: ['src/server.ts', 'src/instrument.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22.13',
  external: ['better-sqlite3', 'fs-native-extensions', '@sentry/node', 'pino', 'pino-pretty'],
  // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __zumoCreateRequire } from 'node:module'; const require = __zumoCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
// Read beside the bundle at run time (src/db/postgres/connection.ts rdsCaBundle).
await copyFile(join(root, 'src/db/postgres/rds-ca/global-bundle.pem'), join(root, 'dist/rds-global-bundle.pem'));
console.log('service bundled into dist/server.js and dist/instrument.js');
