import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Signer } from '@aws-sdk/rds-signer';

/** sha256 of rds-ca/global-bundle.pem (provenance in rds-ca/README.md). */
export const RDS_CA_BUNDLE_SHA256 = '2c151768edd48e9ef6719de74fdcbdebe290d1e87bc02ce9014ea6eea557d2a0';

/**
 * The RDS CA bundle, beside this module in the sources and beside dist/server.js in the build
 * (scripts/build-server.mjs copies it there).
 */
export function rdsCaBundle(): string {
  for (const candidate of ['./rds-ca/global-bundle.pem', './rds-global-bundle.pem']) {
    try {
      return readFileSync(new URL(candidate, import.meta.url), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error('the RDS CA bundle (rds-ca/global-bundle.pem) is missing from the build');
}

/** DATABASE_TLS_CA as CAs: `rds` is the vendored RDS bundle, anything else a PEM file's path. */
export function readTlsCa(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'rds') return rdsCaBundle();
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    throw new Error(`DATABASE_TLS_CA ${value}: cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

export interface ConnectionSettings {
  /** `password`: the URL's password (or none); `iam`: a fresh IAM token for each new connection. */
  readonly auth: 'password' | 'iam';
  /** Verify the server against these CAs (PEM); unset: no TLS (local servers only). */
  readonly tlsCa?: string | undefined;
  /** Where IAM tokens are signed for (the database's region). */
  readonly region?: string | undefined;
  /** Makes the IAM token (tests replace it); default: the RDS signer with the default credential chain. */
  readonly token?: (() => Promise<string>) | undefined;
}

/** libpq TLS parameters in the URL would override the verified `ssl` below (pg reads the URL last). */
const URL_TLS_PARAMETERS = ['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat'];

/**
 * The pg pool's connection options for a URL and the settings. TLS always verifies the chain and
 * the host name (Node's default checkServerIdentity): never `rejectUnauthorized: false`. IAM
 * tokens live 15 minutes and are checked at login only (Aurora user guide, "IAM database
 * authentication"), so pg asks for one per new connection (its `password` may be a function).
 */
export function connectionOptions(url: string, settings: ConnectionSettings) {
  const where = new URL(url);
  const problems: string[] = [];
  if (settings.tlsCa !== undefined && URL_TLS_PARAMETERS.some((p) => where.searchParams.has(p)))
    problems.push('DATABASE_URL carries TLS parameters; with DATABASE_TLS_CA set, leave them out');
  if (settings.auth === 'iam') {
    // Aurora accepts IAM tokens over TLS only (Aurora user guide, IAM database authentication).
    if (settings.tlsCa === undefined)
      problems.push('DATABASE_AUTH=iam needs DATABASE_TLS_CA (tokens go over TLS only)');
    if (where.password) problems.push('DATABASE_AUTH=iam: DATABASE_URL must not carry a password');
    if (!where.username) problems.push('DATABASE_AUTH=iam: DATABASE_URL must name the database user');
    if (!settings.region && !settings.token) problems.push('DATABASE_AUTH=iam needs AWS_REGION');
  }
  if (problems.length) throw new Error(`database settings: ${problems.join('; ')}`);

  if (settings.tlsCa === undefined && settings.auth === 'password') return { connectionString: url };
  // The URL taken apart: pg lets a connection string override `ssl` and `password` (its parser
  // turns a missing password into ''), so neither would survive next to one.
  const ssl: ConnectionOptions | undefined =
    settings.tlsCa === undefined ? undefined : { ca: settings.tlsCa, rejectUnauthorized: true };
  return {
    host: where.hostname,
    port: Number(where.port || 5432),
    user: decodeURIComponent(where.username),
    database: decodeURIComponent(where.pathname.slice(1)),
    password:
      settings.auth === 'iam'
        ? (settings.token ?? rdsToken(where, settings.region!))
        : decodeURIComponent(where.password),
    ...(ssl ? { ssl } : {}),
  };
}

/** An IAM token for the URL's host, port and user, signed with the default credential chain (Pod Identity's container credentials in the cluster). */
function rdsToken(where: URL, region: string): () => Promise<string> {
  const signer = new Signer({
    hostname: where.hostname,
    port: Number(where.port || 5432),
    username: decodeURIComponent(where.username),
    region,
  });
  return () => signer.getAuthToken();
}
