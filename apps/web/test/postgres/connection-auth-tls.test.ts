import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { makeCertificateAuthority } from '../../scripts/postgres-server.mjs';
import { connectionOptions, rdsCaBundle, RDS_CA_BUNDLE_SHA256, readTlsCa } from '../../src/db/postgres/connection.js';
import { openPostgresMessages } from '../../src/db/postgres/postgres-messages.js';
import { startPostgres } from './server.js';

const PASSWORD = 'token-stand-in';

t.test('IAM login over verified TLS, against a real PostgreSQL', async (t) => {
  const postgres = await startPostgres(t, { password: PASSWORD, tls: true });
  const url = postgres.url; // no password in it, as with DATABASE_AUTH=iam
  let tokens = 0;
  const token = async () => {
    tokens++;
    return PASSWORD;
  };

  t.test('a token is made for each new connection, and the connection is encrypted', async (t) => {
    tokens = 0;
    const pool = new pg.Pool({ ...connectionOptions(url, { auth: 'iam', tlsCa: postgres.ca, token }), max: 3 });
    t.teardown(() => pool.end());
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    t.equal(tokens, 3, 'three connections, three tokens');
    const { rows } = await clients[0]!.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    t.same(rows, [{ ssl: true }], 'TLS');
    clients.forEach((c) => c.release());
    await pool.query('SELECT 1');
    t.equal(tokens, 3, 'a pooled connection is reused without a new token');
  });

  t.test('the repository opens, migrates and writes with IAM settings', async (t) => {
    tokens = 0;
    const messages = await openPostgresMessages(url, {
      onIdleError: () => undefined,
      connection: { auth: 'iam', tlsCa: postgres.ca, token },
    });
    t.teardown(() => messages.close());
    const created = await messages.create({ content: 'over TLS' });
    t.equal((await messages.get(created.id))?.content, 'over TLS');
    t.ok(tokens >= 1, 'the pool asked for a token');
  });

  t.test('a server whose certificate another CA signed is refused', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'zumo-ca-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const other = makeCertificateAuthority(dir, 'other');
    const client = new pg.Client(connectionOptions(url, { auth: 'iam', tlsCa: other.pem, token }));
    await t.rejects(client.connect(), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  t.test('a certificate for another host name is refused', async (t) => {
    const client = new pg.Client(
      connectionOptions(url.replace('127.0.0.1', 'localhost'), { auth: 'iam', tlsCa: postgres.ca, token }),
    );
    await t.rejects(client.connect(), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  t.test('a wrong token is refused by the server', async (t) => {
    const client = new pg.Client(
      connectionOptions(url, { auth: 'iam', tlsCa: postgres.ca, token: async () => 'expired' }),
    );
    await t.rejects(client.connect(), { code: '28P01' });
  });
});

t.test('settings that would weaken the connection are refused with what to change', async (t) => {
  const url = 'postgres://zumo_web@db.example.com:5432/zumo';
  const cases: [string, string, Parameters<typeof connectionOptions>[1], RegExp][] = [
    ['IAM without TLS', url, { auth: 'iam', region: 'eu-west-1' }, /needs DATABASE_TLS_CA/],
    [
      'IAM with a password',
      url.replace('zumo_web@', 'zumo_web:x@'),
      { auth: 'iam', tlsCa: 'x', region: 'eu-west-1' },
      /must not carry a password/,
    ],
    ['IAM without a region', url, { auth: 'iam', tlsCa: 'x' }, /needs AWS_REGION/],
    ['TLS settings in the URL', `${url}?sslmode=no-verify`, { auth: 'password', tlsCa: 'x' }, /carries TLS parameters/],
  ];
  for (const [why, u, settings, message] of cases) t.throws(() => connectionOptions(u, settings), { message }, why);
  t.same(connectionOptions(url, { auth: 'password' }), { connectionString: url }, 'without TLS or IAM: the URL as is');
  t.throws(() => readTlsCa('/nonexistent/ca.pem'), /DATABASE_TLS_CA \/nonexistent\/ca.pem: cannot be read/);
});

t.test('the vendored RDS CA bundle is the one its provenance names, and holds CAs only', async (t) => {
  const pem = rdsCaBundle();
  t.equal(createHash('sha256').update(pem).digest('hex'), RDS_CA_BUNDLE_SHA256);
  t.equal(readTlsCa('rds'), pem);
  const certificates = pem
    .match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!
    .map((c) => new X509Certificate(c));
  t.equal(certificates.length, 118);
  t.ok(
    certificates.every((c) => c.ca),
    'every certificate is a CA',
  );
  const region = certificates.filter(
    (c) => /Amazon RDS eu-west-1 Root CA/.test(c.subject) && new Date(c.validTo) > new Date(),
  );
  t.equal(region.length, 3, "the stacks' region has its three current roots (RSA2048, RSA4096, ECC384)");
});
