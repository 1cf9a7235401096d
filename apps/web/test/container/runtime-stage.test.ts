import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { APP, PATHS } from '@zumo/config';
import { START_ARGS, WEB_ROOT, freePort, request } from '../helper.js';

/**
 * No Docker engine runs here, so this reproduces the image's runtime stage by hand: the same
 * production-only install of the web workspace, the same built files, the exact CMD, run as uid
 * 10001 with everything but the data directory owned by root (read-only for the service).
 */
const REPO_ROOT = join(WEB_ROOT, '../..');
const canSwitchUser = process.getuid?.() === 0;
// The production install compiles better-sqlite3 from source (minutes on 2 busy cores): the file,
// not only the subtest, gets the longer budget (tap's runner enforces the file's timeout).
t.setTimeout(600_000);

t.test(
  'the runtime stage, reproduced',
  { skip: canSwitchUser ? false : 'needs root to run the service as uid 10001', timeout: 600_000 },
  async (t) => {
    const app = mkdtempSync(join(tmpdir(), 'zumo-runtime-'));
    chmodSync(app, 0o755);
    t.teardown(() => rmSync(app, { recursive: true, force: true }));
    for (const file of [
      'package.json',
      'package-lock.json',
      'packages/config/package.json',
      'packages/config/dist',
      'apps/web/package.json',
      'apps/web/dist',
    ]) {
      cpSync(join(REPO_ROOT, file), join(app, file), { recursive: true });
    }

    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--omit=dev', '--workspace', '@zumo/web'], {
      cwd: app,
      stdio: 'pipe',
      timeout: 540_000,
    });
    const bytes = Number(
      execFileSync('du', ['-sb', join(app, 'node_modules')])
        .toString()
        .split('\t')[0],
    );
    const megabytes = Math.round(bytes / 1e5) / 10;
    console.log(`# runtime node_modules: ${megabytes} MB`);
    t.ok(megabytes < 200, `production dependencies are ${megabytes} MB`);
    for (const devTool of ['typescript', 'tap', 'nx', 'esbuild', 'playwright-core', 'eslint', 'pino-pretty']) {
      t.notOk(existsSync(join(app, 'node_modules', devTool)), `${devTool} is not installed`);
    }

    const data = join(app, 'data');
    mkdirSync(data);
    chownSync(data, APP.runAsUser, APP.runAsUser);
    const port = await freePort();
    // `env -u NODE_OPTIONS`: tap's coverage hook rides on NODE_OPTIONS and would try to write its
    // report as uid 10001 into the checkout; the image runs without it.
    const asServiceUser = (args: readonly string[]) => ['-u', 'NODE_OPTIONS', process.execPath, ...args];
    const child = spawn('/usr/bin/env', asServiceUser(START_ARGS), {
      cwd: join(app, 'apps/web'),
      uid: APP.runAsUser,
      gid: APP.runAsUser,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_PATH: join(data, 'zumo.db'),
        SHUTDOWN_DRAIN_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    t.teardown(() => child.kill('SIGKILL'));

    const url = `http://127.0.0.1:${port}`;
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await request(`${url}${PATHS.ready}`).then(
        (r) => r.status,
        () => 0,
      );
    }
    t.equal(ready, 200, `/readyz answers 200 (better-sqlite3 loads) ${stderr}`);
    t.equal(
      (await request(`${url}/api/messages`, { json: { content: 'written to /data' } })).status,
      201,
      'the data directory is writable',
    );
    t.match((await request(`${url}/`)).text, /Welcome to Zumo!/, 'the page is served');

    const tryWrite = (path: string) =>
      spawn('/usr/bin/env', asServiceUser(['-e', `require('fs').writeFileSync(${JSON.stringify(path)}, 'x')`]), {
        uid: APP.runAsUser,
        gid: APP.runAsUser,
        stdio: 'ignore',
      });
    const codeOf = (p: ReturnType<typeof spawn>) => new Promise((resolve) => p.on('exit', resolve));
    t.not(
      await codeOf(tryWrite(join(app, 'apps/web/dist/evil.js'))),
      0,
      'the code is not writable by the service user',
    );
    t.equal(await codeOf(tryWrite(join(data, 'probe'))), 0, 'the data directory is');

    child.kill('SIGTERM');
    t.equal(await exited, 0, `SIGTERM stops it cleanly ${stderr}${stdout.slice(-2000)}`);
  },
);
