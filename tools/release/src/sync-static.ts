import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import mime from 'mime-types';
import { cacheControlFor, isHashedAsset } from '@zumo/config';

export interface SyncOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  /** The built page (apps/web/dist/public). */
  readonly directory: string;
  /** Invalidates CloudFront paths; called only when a non-hashed file changed or was deleted. */
  readonly invalidate: (paths: string[]) => Promise<void>;
}

export interface SyncResult {
  uploaded: string[];
  deleted: string[];
  invalidated: string[];
}

interface LocalFile {
  key: string;
  path: string;
  md5: string;
}

async function localFiles(directory: string): Promise<LocalFile[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Promise.all(
    files.map(async (path) => ({
      key: relative(directory, path).split(sep).join('/'),
      path,
      md5: createHash('md5')
        .update(await readFile(path))
        .digest('hex'),
    })),
  );
}

async function remoteEtags(s3: S3Client, bucket: string): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) etags.set(object.Key!, (object.ETag ?? '').replaceAll('"', ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return etags;
}

/** URL paths CloudFront caches for a key: index.html is also served at "/". */
const urlPaths = (key: string) => (key === 'index.html' ? ['/', '/index.html'] : [`/${key}`]);

/**
 * Publishes the built page to S3 in an order that never serves a broken page:
 * 1. new hashed assets (immutable, so uploading them early breaks nothing),
 * 2. other changed files, index.html last (it switches visitors to the new assets),
 * 3. only then deletes files no longer built (old assets stay until the new index is live),
 * 4. invalidates only the non-hashed paths that changed (hashed names never need it).
 * Unchanged files (same MD5 as the object's ETag) are not uploaded: a second run does nothing.
 */
export async function syncStatic(options: SyncOptions): Promise<SyncResult> {
  const { s3, bucket } = options;
  const [files, remote] = await Promise.all([localFiles(options.directory), remoteEtags(s3, bucket)]);
  if (!files.some((f) => f.key === 'index.html'))
    throw new Error(`${options.directory} has no index.html: build the page first`);

  const changed = files.filter((f) => remote.get(f.key) !== f.md5);
  const order = (f: LocalFile) => (isHashedAsset(f.key) ? 0 : f.key === 'index.html' ? 2 : 1);
  changed.sort((a, b) => order(a) - order(b) || a.key.localeCompare(b.key));

  const uploaded: string[] = [];
  for (const file of changed) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: file.key,
        Body: await readFile(file.path),
        // By extension: contentType() would take a key with a slash for a full MIME type.
        ContentType: mime.contentType(extname(file.key)) || 'application/octet-stream',
        CacheControl: cacheControlFor(file.key),
      }),
    );
    uploaded.push(file.key);
  }

  const built = new Set(files.map((f) => f.key));
  const stale = [...remote.keys()].filter((key) => !built.has(key));
  for (let i = 0; i < stale.length; i += 1000) {
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: stale.slice(i, i + 1000).map((Key) => ({ Key })) },
      }),
    );
  }

  const invalidated = [...uploaded.filter((key) => remote.has(key)), ...stale]
    .filter((key) => !isHashedAsset(key))
    .flatMap(urlPaths);
  if (invalidated.length > 0) await options.invalidate(invalidated);
  return { uploaded, deleted: stale, invalidated };
}
