import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { APP, PATHS } from '@zumo/config';
import { WEB_ROOT, request, startService } from '../helper.js';

/**
 * No Docker engine runs here, so this reproduces the image's runtime stage by hand: the same
 * production-only install of the web workspace from the lockfile, the same built files, the exact
 * start command, run as uid 10001 with everything but the data directory owned by root (read-only
 * for the service).
 *
 * The image's build stage compiles better-sqlite3's addon in its `npm ci`; this machine's install
 * compiled the same locked version already, so the install here skips install scripts and takes
 * that compiled build/ directory (addon and build products, as the image carries them) instead of
 * compiling it again, which took most of the test's time on a busy machine.
 */
const REPO_ROOT = join(WEB_ROOT, '../..');
const canSwitchUser = process.getuid?.() === 0;
// The production install still fetches and unpacks every package: the file gets a budget far
// above what that takes (tap's runner enforces the file's timeout, not only the subtest's).
t.setTimeout(300_000);

/** The compiled better-sqlite3 of this checkout's install, after checking it is the locked version. */
function compiledSqlite(): string {
  const installed = join(REPO_ROOT, 'node_modules/better-sqlite3');
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  const locked = lock.packages['node_modules/better-sqlite3']?.version;
  const version = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version;
  if (version !== locked)
    throw new Error(`installed better-sqlite3 ${version} is not the locked ${locked}: run npm ci`);
  const build = join(installed, 'build');
  if (!existsSync(join(build, 'Release/better_sqlite3.node'))) {
    throw new Error(`${build} has no compiled addon: run npm ci (better-sqlite3's install compiles it)`);
  }
  return build;
}

t.test(
  'the runtime stage, reproduced',
  { skip: canSwitchUser ? false : 'needs root to run the service as uid 10001' },
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
      'apps/web/bin',
    ]) {
      cpSync(join(REPO_ROOT, file), join(app, file), { recursive: true });
    }

    execFileSync(
      'npm',
      [
        'ci',
        '--no-audit',
        '--no-fund',
        '--omit=dev',
        '--workspace',
        '@zumo/web',
        '--ignore-scripts',
        '--prefer-offline',
      ],
      { cwd: app, stdio: 'pipe', timeout: 240_000 },
    );
    cpSync(compiledSqlite(), join(app, 'node_modules/better-sqlite3/build'), { recursive: true });
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
    const service = await startService(
      t,
      { NODE_ENV: 'production', DATABASE_PATH: join(data, 'zumo.db') },
      { cwd: join(app, 'apps/web'), user: APP.runAsUser },
    );
    t.equal((await request(`${service.url}${PATHS.ready}`)).status, 200, 'ready: better-sqlite3 loads');
    t.equal(
      (await request(`${service.url}/api/messages`, { json: { content: 'written to /data' } })).status,
      201,
      'the data directory is writable',
    );
    t.match((await request(`${service.url}/`)).text, /Welcome to Zumo!/, 'the page is served');

    // `env -u NODE_OPTIONS`: tap's hooks ride on NODE_OPTIONS and would write as uid 10001.
    const tryWrite = (path: string) =>
      spawn(
        '/usr/bin/env',
        ['-u', 'NODE_OPTIONS', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(path)}, 'x')`],
        { uid: APP.runAsUser, gid: APP.runAsUser, stdio: 'ignore' },
      );
    const codeOf = (p: ReturnType<typeof spawn>) => new Promise((resolve) => p.on('exit', resolve));
    t.not(
      await codeOf(tryWrite(join(app, 'apps/web/dist/evil.js'))),
      0,
      'the code is not writable by the service user',
    );
    t.equal(await codeOf(tryWrite(join(data, 'probe'))), 0, 'the data directory is');

    service.child.kill('SIGTERM');
    t.equal(await service.exited, 0, `SIGTERM stops it cleanly ${service.output().slice(-2000)}`);
  },
);
