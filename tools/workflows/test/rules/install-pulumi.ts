// install-pulumi.sh against a release served from 127.0.0.1: the archive is installed only when
// it matches the release's checksums file (the real hosts cannot be reached here).
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arch } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { SCRIPTS_DIR } from '../workflows.js';

const VERSION = '3.248.0';
const ARCHIVE = `pulumi-v${VERSION}-linux-${arch() === 'arm64' ? 'arm64' : 'x64'}.tar.gz`;
const run = promisify(execFile);

/** A release like Pulumi's: pulumi/pulumi in a tarball, and "<sha256>  <file>" lines. */
function release(t: Test, reportedVersion = `v${VERSION}`) {
  const dir = t.testdir({ build: { pulumi: { pulumi: `#!/bin/sh\necho ${reportedVersion}\n` } }, serve: {} });
  chmodSync(join(dir, 'build/pulumi/pulumi'), 0o755);
  execFileSync('tar', ['-czf', join(dir, 'serve', ARCHIVE), '-C', join(dir, 'build'), 'pulumi']);
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const checksums = (lines: string) => writeFileSync(join(dir, 'serve', `pulumi-${VERSION}-checksums.txt`), lines);
  checksums(
    `${'0'.repeat(64)}  pulumi-v${VERSION}-darwin-x64.tar.gz\n${sha(join(dir, 'serve', ARCHIVE))}  ${ARCHIVE}\n`,
  );
  return { dir, checksums, tamper: () => writeFileSync(join(dir, 'serve', ARCHIVE), 'not the release') };
}

async function serve(t: Test, root: string) {
  const server = createServer((req, res) => {
    const file = join(root, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (existsSync(file)) res.writeHead(200).end(readFileSync(file));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function install(t: Test, root: string, dest: string, version = VERSION) {
  const base = await serve(t, root);
  mkdirSync(join(root, 'gh'), { recursive: true });
  const githubPath = join(root, 'gh/path');
  writeFileSync(githubPath, '');
  return run('bash', [join(SCRIPTS_DIR, 'install-pulumi.sh'), version, dest], {
    timeout: 30_000,
    env: { ...process.env, PULUMI_DOWNLOAD_BASE: base, PULUMI_CHECKSUMS_BASE: base, GITHUB_PATH: githubPath },
  }).then(
    (r) => ({ status: 0, ...r, githubPath: readFileSync(githubPath, 'utf8') }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      status: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
      githubPath: '',
    }),
  );
}

t.test('installs the release whose archive matches its checksum, and puts it on the PATH', async (t) => {
  const { dir } = release(t);
  const dest = join(dir, 'bin');
  const result = await install(t, join(dir, 'serve'), dest);
  t.equal(result.status, 0, result.stderr);
  t.match(result.stdout, `Pulumi v${VERSION} in ${dest} (sha256 checked against pulumi-${VERSION}-checksums.txt)`);
  t.equal(execFileSync(join(dest, 'pulumi'), ['version'], { encoding: 'utf8' }).trim(), `v${VERSION}`);
  t.equal(result.githubPath, `${dest}\n`, 'the next steps find it');
});

t.test('refuses an archive that does not match the checksums file', async (t) => {
  const { dir, tamper } = release(t);
  tamper();
  const dest = join(dir, 'bin');
  const result = await install(t, join(dir, 'serve'), dest);
  t.equal(result.status, 1);
  t.match(result.stderr, `${ARCHIVE} does not match pulumi-${VERSION}-checksums.txt: refusing to install`);
  t.notOk(existsSync(join(dest, 'pulumi')), 'nothing installed');
});

t.test('refuses a checksums file without (exactly one) line for the archive', async (t) => {
  const { dir, checksums } = release(t);
  checksums(`${'1'.repeat(64)}  pulumi-v${VERSION}-windows-x64.zip\n`);
  const result = await install(t, join(dir, 'serve'), join(dir, 'bin'));
  t.equal(result.status, 1);
  t.match(result.stderr, `has no single line for ${ARCHIVE}`);
});

t.test('bad input: a version that is not a release, a missing release, a CLI of another version', async (t) => {
  const { dir } = release(t);
  const bad = await install(t, join(dir, 'serve'), join(dir, 'bin'), 'latest');
  t.equal(bad.status, 2);
  t.match(bad.stderr, "'latest' is not a release version such as 3.248.0");
  const missing = await install(t, join(dir, 'serve'), join(dir, 'bin'), '3.1.0');
  t.not(missing.status, 0, 'a version the server does not have fails');
  t.match(missing.stderr, /404|error/i);

  const { dir: other } = release(t, 'v3.1.0');
  const wrong = await install(t, join(other, 'serve'), join(other, 'bin'));
  t.equal(wrong.status, 1);
  t.match(wrong.stderr, `installed CLI reports v3.1.0, expected v${VERSION}`);
});
