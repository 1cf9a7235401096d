import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CACHE_CONTROL } from '@zumo/config';
import { PUBLIC_DIR, build, rawGet, request } from '../helper.js';

const assets = readdirSync(join(PUBLIC_DIR, 'assets'));
const asset = (prefix: string, ext: string) => {
  const name = assets.find((f) => f.startsWith(`${prefix}-`) && f.endsWith(ext));
  if (!name) throw new Error(`no built ${prefix}*${ext} in ${assets.join(', ')}`);
  return `/assets/${name}`;
};

t.test('the built page is served with the shared cache rules', async (t) => {
  const { url } = await build(t);
  const cases = [
    { path: '/', type: /^text\/html/, cache: CACHE_CONTROL.revalidate },
    { path: '/index.html', type: /^text\/html/, cache: CACHE_CONTROL.revalidate },
    { path: asset('main', '.js'), type: /^(text|application)\/javascript/, cache: CACHE_CONTROL.immutable },
    { path: asset('main', '.css'), type: /^text\/css/, cache: CACHE_CONTROL.immutable },
    { path: asset('logo', '.svg'), type: /^image\/svg\+xml/, cache: CACHE_CONTROL.immutable },
  ];
  for (const c of cases) {
    const response = await request(`${url}${c.path}`);
    t.equal(response.status, 200, `${c.path}: 200`);
    t.match(response.headers.get('content-type'), c.type, `${c.path}: content type`);
    t.equal(response.headers.get('cache-control'), c.cache, `${c.path}: cache rule`);
    const etag = response.headers.get('etag');
    t.ok(etag, `${c.path}: has an ETag`);
    const revalidated = await rawGet(`${url}${c.path}`, { 'if-none-match': etag! });
    t.equal(revalidated.status, 304, `${c.path}: 304 when unchanged`);
    const reload = await rawGet(`${url}${c.path}`, { 'if-none-match': etag!, 'cache-control': 'no-cache' });
    t.equal(reload.status, 200, `${c.path}: a forced reload gets the file`);
  }
});

t.test('index.html references only hashed assets by relative URL', async (t) => {
  const { url } = await build(t);
  const html = (await request(`${url}/`)).text;
  const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  t.ok(references.length >= 3, `references: ${references.join(', ')}`);
  for (const ref of references) {
    t.match(ref, /^assets\/[a-z]+-[A-Z0-9]{8}\.(js|css|svg)$/, `${ref} is relative and content-hashed`);
  }
  t.notMatch(html, /<script>|<style|\sstyle=|\son[a-z]+=/i, 'no inline script, style or handler');
  t.notMatch(html, /https?:\/\//, 'no absolute URLs (no CDN host, no third party)');
});

t.test('unknown paths are the JSON 404, not a file lookup', async (t) => {
  const { url } = await build(t);
  for (const path of ['/assets/missing-ABCDEFGH.js', '/../package.json', '/%2e%2e/package.json', '/.env']) {
    const response = await request(`${url}${path}`);
    t.equal(response.status, 404, `${path}: 404`);
    t.equal(response.json?.statusCode, 404, `${path}: the JSON error shape`);
  }
});
