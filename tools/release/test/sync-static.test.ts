import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import S3rver from 's3rver';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { CACHE_CONTROL } from '@zumo/config';
import { syncStatic } from '../src/sync-static.js';

/** A real S3-compatible server on 127.0.0.1 (s3rver), not a mocked client. */
async function localS3(t: Test, directory: string) {
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = await server.run();
  t.teardown(() => server.close());
  const s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'site' }));
  return s3;
}

function writeSite(dir: string, files: Record<string, string>) {
  rmSync(dir, { recursive: true, force: true });
  for (const [key, body] of Object.entries(files)) {
    mkdirSync(join(dir, key, '..'), { recursive: true });
    writeFileSync(join(dir, key), body);
  }
}

t.test('sync-static against a local S3 server', async (t) => {
  const dir = t.testdir({ s3: {}, public: {} });
  const s3 = await localS3(t, join(dir, 's3'));
  const site = join(dir, 'public');
  const calls: { uploads: string[]; invalidations: string[][] } = { uploads: [], invalidations: [] };
  const originalSend = s3.send.bind(s3);
  // Records the order of uploads as they reach the server (the real client still sends them).
  s3.send = ((command: { constructor: { name: string }; input: { Key?: string } }, ...rest: unknown[]) => {
    if (command.constructor.name === 'PutObjectCommand') calls.uploads.push(command.input.Key!);
    return (originalSend as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof s3.send;
  const sync = () =>
    syncStatic({
      s3,
      bucket: 'site',
      directory: site,
      invalidate: async (paths) => void calls.invalidations.push(paths),
    });

  writeSite(site, {
    'index.html': '<!doctype html><script type="module" src="assets/main-AAAA1111.js"></script>',
    'assets/main-AAAA1111.js': 'console.log(1)',
    'assets/main-BBBB2222.css': 'body{}',
    'assets/logo-CCCC3333.svg': '<svg/>',
  });
  const first = await sync();

  t.test('first run uploads everything, hashed assets first and index.html last', async (t) => {
    t.same(first.uploaded, [
      'assets/logo-CCCC3333.svg',
      'assets/main-AAAA1111.js',
      'assets/main-BBBB2222.css',
      'index.html',
    ]);
    t.same(calls.uploads, first.uploaded, 'the server saw them in that order');
    t.same(first.invalidated, [], 'nothing to invalidate on a new bucket');
  });

  t.test('content types and cache rules are the ones the service uses', async (t) => {
    const head = (Key: string) => s3.send(new HeadObjectCommand({ Bucket: 'site', Key }));
    const index = await head('index.html');
    t.match(index.ContentType, /^text\/html/);
    t.equal(index.CacheControl, CACHE_CONTROL.revalidate);
    const js = await head('assets/main-AAAA1111.js');
    t.match(js.ContentType, /javascript/);
    t.equal(js.CacheControl, CACHE_CONTROL.immutable);
    t.match((await head('assets/main-BBBB2222.css')).ContentType, /^text\/css/);
    t.equal((await head('assets/logo-CCCC3333.svg')).ContentType, 'image/svg+xml');
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: 'site', Key: 'assets/main-AAAA1111.js' }))
    ).Body!.transformToString();
    t.equal(body, 'console.log(1)', 'the bytes arrived');
  });

  t.test('a second run with nothing changed uploads, deletes and invalidates nothing', async (t) => {
    calls.uploads.length = 0;
    const again = await sync();
    t.same(again, { uploaded: [], deleted: [], invalidated: [] });
    t.same(calls.uploads, []);
  });

  t.test('a new release: new assets, new index, old files deleted after, only index invalidated', async (t) => {
    calls.uploads.length = 0;
    writeSite(site, {
      'index.html': '<!doctype html><script type="module" src="assets/main-DDDD4444.js"></script>',
      'assets/main-DDDD4444.js': 'console.log(2)',
      'assets/main-BBBB2222.css': 'body{}',
      'assets/logo-CCCC3333.svg': '<svg/>',
    });
    const release = await sync();
    t.same(
      release.uploaded,
      ['assets/main-DDDD4444.js', 'index.html'],
      'only what changed, the asset before the index',
    );
    t.same(release.deleted, ['assets/main-AAAA1111.js'], 'the old bundle is deleted');
    t.same(release.invalidated, ['/', '/index.html'], 'only the non-hashed path that changed');
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: 'site' }))).Contents!.map((o) => o.Key).sort();
    t.same(keys, ['assets/logo-CCCC3333.svg', 'assets/main-BBBB2222.css', 'assets/main-DDDD4444.js', 'index.html']);
    t.same(calls.invalidations.at(-1), ['/', '/index.html']);
  });

  t.test('refuses to publish a directory without index.html', async (t) => {
    writeSite(site, { 'assets/x-AAAAAAAA.js': '' });
    await t.rejects(sync(), /has no index.html: build the page first/);
  });
});
