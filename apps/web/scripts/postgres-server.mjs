/**
 * A throw-away PostgreSQL server on 127.0.0.1 for the tests and the benchmark: Debian's
 * `postgresql` binaries (kept off the PATH in /usr/lib/postgresql/<major>/bin), a new cluster in a
 * temporary directory, a free port, trust authentication for the `zumo` superuser. PostgreSQL
 * refuses to run as root, so as root the directory belongs to the `postgres` user the package
 * creates and every command runs through `runuser -u postgres`. `npm test` and `npm run bench`
 * install the package when it is missing (tools/test-command).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

/** The newest installed major version's bin directory, or undefined. */
export function postgresBinDir(root = '/usr/lib/postgresql') {
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((major) => existsSync(join(root, major, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] && join(root, majors[0], 'bin');
}

/**
 * Starts a new cluster. `fsync` off by default: the tests kill the service, never this server,
 * so its own crash safety is not under test (synchronous_commit stays on: a COMMIT still waits
 * for its WAL write). The benchmark turns it on to measure what production pays.
 * @param {{ fsync?: boolean }} [options]
 */
export async function startPostgres({ fsync = false } = {}) {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'zumo-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  /** @param {string} command @param {string[]} args */
  const run = (command, args) => {
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
  run('initdb', ['-D', data, '-U', 'zumo', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=${fsync ? 'on' : 'off'} -c max_connections=100`;
  const start = () =>
    void run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  /** Fast shutdown: open connections are cut, as in a restart or failover. */
  const stop = () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  /** Stops it at once, whatever its state, and removes everything. */
  const remove = () => {
    spawnSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), [
      ...(asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []),
      ...['-D', data, '-m', 'immediate', '-w', 'stop'],
    ]);
    rmSync(dir, { recursive: true, force: true });
  };
  /** Runs SQL as the superuser through psql in `database`; returns its unaligned output. */
  const sql = (statement, database = 'postgres') =>
    run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'zumo', '-d', database, '-XAtqc', statement]);
  /** Creates an empty database and returns its URL. @param {string} name */
  const database = (name) => {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
    sql(`CREATE DATABASE ${name}`);
    return `postgres://zumo@127.0.0.1:${port}/${name}`;
  };
  try {
    start();
    return { url: database('zumo'), start, stop, remove, sql, database };
  } catch (err) {
    remove();
    throw err;
  }
}
