// The teardown's scripts/empty-bucket.sh (docs/infra.md), run with the real AWS CLI against
// moto's S3 on 127.0.0.1: a versioned bucket with more versions and delete markers than one round
// of the script takes ends up deletable, with no request over DeleteObjects' 1,000 keys, and an
// object S3 refuses to delete stops it.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { REPO_ROOT } from '../mocks.js';

// About 20 runs of the AWS CLI (Python, a second or more each to start) and a moto server: 30 s
// alone, up to 100 s with a second \`npm test\` beside it. The project's 120 s limit would be near.
t.setTimeout(300_000);

const which = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
const aws = which('aws');
const motoServer = which('moto_server');
const missing = [!aws && 'aws', !motoServer && 'moto_server'].filter(Boolean).join(', ');
t.test(
  "the teardown's empty-bucket.sh against a local S3",
  {
    skip: missing && `needs the AWS CLI and moto's S3 server (pip install awscli 'moto[server]'); missing: ${missing}`,
  },
  run,
);

const EMPTY_BUCKET = join(REPO_ROOT, 'infra/scripts/empty-bucket.sh');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function run(t: Test) {
  const dir = t.testdir({});
  const port = await freePort();
  const moto = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  t.teardown(() => void moto.kill());
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(endpoint).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  // Every call of the CLI goes through a shim that counts the keys each DeleteObjects carries.
  const shims = join(dir, 'bin');
  const counts = join(dir, 'delete-objects.log');
  mkdirSync(shims);
  writeFileSync(
    join(shims, 'aws'),
    // The batch reaches the CLI as --delete file://<path>: count the keys in that file.
    `#!/bin/sh\nif [ "$2" = delete-objects ]; then for a; do case "$a" in file://*) grep -o '"Key"' "\${a#file://}" | wc -l >> '${counts}';; esac; done; fi\nexec '${aws}' "$@"\n`,
  );
  chmodSync(join(shims, 'aws'), 0o755);
  writeFileSync(counts, '');
  const env = {
    ...process.env,
    PATH: `${shims}:${process.env['PATH']}`,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  const sh = (script: string, timeout = 60_000) =>
    spawnSync('bash', ['-c', `set -u\n${script}`], { env, encoding: 'utf8', timeout });
  const emptyBucket = (bucket: string) =>
    spawnSync(EMPTY_BUCKET, [bucket], { env, encoding: 'utf8', timeout: 120_000 });
  // The CLI applies --query to each page it fetches: one line of [versions, markers] per page.
  const versions = (bucket: string) =>
    sh(
      `aws s3api list-object-versions --bucket ${bucket} --query '[length(Versions || \`[]\`), length(DeleteMarkers || \`[]\`)]' --output text`,
    )
      .stdout.trim()
      .split('\n')
      .map((line) => line.split(/\s+/).map(Number))
      .reduce<[number, number]>(([v, m], [pv = 0, pm = 0]) => [v + pv, m + pm], [0, 0])
      .join(' ');

  t.test('a versioned state bucket: every version and delete marker goes, then the bucket', async (t) => {
    const seed = join(dir, 'seed');
    mkdirSync(seed);
    for (let i = 0; i < 150; i++) {
      writeFileSync(join(seed, `a-${i}.json`), '{}');
      writeFileSync(join(seed, `b-${i}.json`), '{}');
    }
    const bucket = 'zumo-pulumi-state-123456789012';
    const seeded = sh(
      [
        `aws s3api create-bucket --bucket ${bucket} --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null`,
        `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`,
        // Two checkpoints of 300 files (600 versions), then 150 deleted (delete markers): 750
        // keys, more than one round of the script takes (it lists 500 at a time).
        `aws s3 cp '${seed}' s3://${bucket}/.pulumi/ --recursive --quiet`,
        `aws s3 cp '${seed}' s3://${bucket}/.pulumi/ --recursive --quiet`,
        `aws s3 rm s3://${bucket}/.pulumi/ --recursive --exclude '*' --include 'a-*' --quiet`,
      ].join(' && '),
      90_000,
    );
    t.equal(seeded.status, 0, `seeded (${seeded.stderr})`);
    t.equal(versions(bucket), '600 150', '600 versions and 150 delete markers: more than one round takes');
    const gone = emptyBucket(bucket);
    t.equal(gone.status, 0, `it succeeds (${gone.stderr})`);
    t.equal(versions(bucket), '0 0', 'no version and no delete marker is left');
    const batches = readFileSync(counts, 'utf8').trim().split('\n').map(Number);
    t.ok(batches.length >= 2, `it deleted in rounds (${batches.join(', ')} keys)`);
    t.ok(
      batches.every((n) => n > 0 && n <= 1000),
      'never more than DeleteObjects takes (1,000), never an empty request',
    );
    t.equal(sh(`aws s3api delete-bucket --bucket ${bucket}`).status, 0, 'S3 now deletes the bucket');
  });

  t.test('a listing S3 refuses stops it with a failure status, instead of reporting an empty bucket', async (t) => {
    const missing = emptyBucket('zumo-no-such-bucket-123456789012');
    t.not(missing.status, 0, 'a failure status');
    t.match(missing.stderr, /NoSuchBucket/, "with S3's error");
  });

  t.test('an object S3 refuses to delete stops it with the error, instead of looping', async (t) => {
    const bucket = 'zumo-locked-123456789012';
    const body = join(dir, 'held.json');
    writeFileSync(body, '{}');
    const seeded = sh(
      [
        `aws s3api create-bucket --bucket ${bucket} --create-bucket-configuration LocationConstraint=eu-west-1 --object-lock-enabled-for-bucket >/dev/null`,
        `aws s3api put-object --bucket ${bucket} --key held --body '${body}' --object-lock-legal-hold-status ON >/dev/null`,
      ].join(' && '),
    );
    t.equal(seeded.status, 0, `seeded (${seeded.stderr})`);
    const stopped = emptyBucket(bucket);
    t.equal(stopped.signal, null, 'it returns (no endless retry)');
    t.not(stopped.status, 0, 'with a failure status');
    t.match(stopped.stderr, /"Errors"[\s\S]*"Key": "held"/, 'showing which object S3 refused');
  });
}
