/**
 * A real PostgreSQL server for one test file: Debian's `postgresql` binaries, a new cluster in a
 * temporary directory, listening on 127.0.0.1 on a free port, stopped and removed when the file's
 * tests end. `npm test` installs the package when it is missing (tools/test-command). PostgreSQL
 * refuses to run as root, so as root the cluster belongs to the `postgres` user the package
 * creates and every command runs through `runuser -u postgres`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { freePort } from '../helper.js';

/** Where Debian puts the server binaries (not on the PATH): the newest installed major version. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

export interface Postgres {
  /** postgres://zumo@127.0.0.1:<port>/zumo (trust authentication: no password in tests). */
  readonly url: string;
  /** Stops the server (fast shutdown: open connections are cut, as in a failover). */
  stop(): void;
  /** Starts it again on the same port and data. */
  start(): void;
  /** Creates a new empty database and returns its URL (one per test keeps tests apart). */
  database(name: string): string;
  /** Runs SQL as the superuser through psql in `database` and returns its unaligned output. */
  sql(statement: string, database?: string): string;
}

/** Starts a new cluster for the calling test file; it is stopped and removed at teardown. */
export async function startPostgres(t: Test): Promise<Postgres> {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'zumo-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0)
      throw new Error(
        `${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
      );
    return result.stdout;
  };
  const port = await freePort();
  // --no-sync and fsync=off: the tests kill the service, never this server, so its own crash
  // safety is not under test and skipping fsyncs keeps the suite fast. synchronous_commit stays on.
  run('initdb', ['-D', data, '-U', 'zumo', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=100`;
  const start = () =>
    void run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  const stop = () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  start();
  t.teardown(() => {
    spawnSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), [
      ...(asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []),
      ...['-D', data, '-m', 'immediate', '-w', 'stop'],
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
  const sql = (statement: string, database = 'postgres') =>
    run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'zumo', '-d', database, '-XAtqc', statement]);
  const database = (name: string) => {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
    sql(`CREATE DATABASE ${name}`);
    return `postgres://zumo@127.0.0.1:${port}/${name}`;
  };
  return { url: database('zumo'), stop, start, sql, database };
}
