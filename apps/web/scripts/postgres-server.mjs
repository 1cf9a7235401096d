/**
 * A throw-away PostgreSQL server on 127.0.0.1 for the tests and the benchmark: Debian's
 * `postgresql` binaries (kept off the PATH in /usr/lib/postgresql/<major>/bin), a new cluster in a
 * temporary directory, a free port, trust authentication for the `zumo` superuser. PostgreSQL
 * refuses to run as root, so as root the directory belongs to the `postgres` user the package
 * creates and every command runs through `runuser -u postgres`. `npm test` and `npm run bench`
 * install the package when it is missing (tools/test-command).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
 * for its WAL write). The benchmark turns it on to measure what production pays. `password`: the
 * superuser logs in with it (scram-sha-256) instead of trust. `tls`: the server takes TLS with a
 * certificate for 127.0.0.1 from a throw-away CA, returned as `ca` (PEM).
 * @param {{ fsync?: boolean, password?: string, tls?: boolean }} [options]
 */
export async function startPostgres({ fsync = false, password, tls = false } = {}) {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  const asRoot = process.getuid?.() === 0;
  /** @param {string} flag */
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  const dir = mkdtempSync(join(tmpdir(), 'zumo-pg-'));
  const data = join(dir, 'data');
  if (asRoot) chownSync(dir, id('-u'), id('-g'));
  /** @param {string} command @param {string[]} args */
  const run = (command, args) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    const env = password === undefined ? process.env : { ...process.env, PGPASSWORD: password };
    const result = spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000, env });
    if (result.status !== 0)
      throw new Error(
        `${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
      );
    return result.stdout;
  };
  const port = await freePort();
  /** Files the server reads belong to the user it runs as, private (PostgreSQL refuses a readable key). */
  const own = (/** @type {string} */ file) => {
    chmodSync(file, 0o600);
    if (asRoot) chownSync(file, id('-u'), id('-g'));
  };
  const auth = password === undefined ? ['-A', 'trust'] : ['-A', 'scram-sha-256', `--pwfile=${join(dir, 'pwfile')}`];
  if (password !== undefined) {
    writeFileSync(join(dir, 'pwfile'), `${password}\n`);
    own(join(dir, 'pwfile'));
  }
  run('initdb', ['-D', data, '-U', 'zumo', ...auth, '--no-sync', '-E', 'UTF8', '--locale=C']);
  const ca = tls ? serverCertificate(dir, own) : undefined;
  const ssl = tls
    ? ` -c ssl=on -c ssl_cert_file=${join(dir, 'server.crt')} -c ssl_key_file=${join(dir, 'server.key')}`
    : '';
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=${fsync ? 'on' : 'off'} -c max_connections=100${ssl}`;
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
    return { url: database('zumo'), start, stop, remove, sql, database, ca };
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * A CA of its own (a P-256 key, valid a day) and the server's certificate for IP 127.0.0.1 signed
 * by it, written into `dir`; returns the CA's certificate (PEM).
 * @param {string} dir @param {(file: string) => void} own
 */
function serverCertificate(dir, own) {
  const ca = makeCertificateAuthority(dir, 'ca');
  const openssl = (/** @type {string[]} */ args) => execFileSync('openssl', args, { stdio: 'pipe' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    ...key,
    '-keyout',
    join(dir, 'server.key'),
    '-out',
    join(dir, 'server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl([
    ...['x509', '-req', '-in', join(dir, 'server.csr'), '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial'],
    ...['-out', join(dir, 'server.crt'), '-days', '1', '-extfile', join(dir, 'server.ext')],
  ]);
  own(join(dir, 'server.key'));
  own(join(dir, 'server.crt'));
  return ca.pem;
}

/**
 * A self-signed certificate authority (P-256, valid a day) in `dir` as `<name>.crt`/`<name>.key`.
 * @param {string} dir @param {string} name
 */
export function makeCertificateAuthority(dir, name) {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=zumo test ${name}`],
    ],
    { stdio: 'pipe' },
  );
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8') };
}
