#!/usr/bin/env node
/**
 * Builds the page into dist/public: index.html plus content-hashed files under assets/ (JS, CSS,
 * logo). esbuild does the bundling and hashing; this script only fills the hashed names into
 * index.html. Relative URLs only, so the page works unchanged locally and behind CloudFront.
 */
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/public');
const assets = join(outdir, 'assets');

await rm(outdir, { recursive: true, force: true });
await mkdir(assets, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'client/main.ts', logo: 'client/logo.svg' },
  loader: { '.svg': 'copy' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome120', 'firefox120', 'safari16'],
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

/** The output file whose name starts with `name-` and ends with `ext`, as a URL relative to index.html. */
function output(name, ext) {
  const file = Object.keys(result.metafile.outputs).find((o) => basename(o).startsWith(`${name}-`) && o.endsWith(ext));
  if (!file) throw new Error(`esbuild produced no ${name}*${ext}`);
  return relative(outdir, join(root, file)).split('\\').join('/');
}

const html = (await readFile(join(root, 'client/index.html'), 'utf8'))
  .replaceAll('%JS%', output('main', '.js'))
  .replaceAll('%CSS%', output('main', '.css'))
  .replaceAll('%LOGO%', output('logo', '.svg'));
if (/%[A-Z]+%/.test(html)) throw new Error('index.html still has a placeholder');
await writeFile(join(outdir, 'index.html'), html);
console.log(
  `page built into ${relative(root, outdir)}: ${Object.keys(result.metafile.outputs)
    .map((o) => basename(o))
    .join(', ')}`,
);
