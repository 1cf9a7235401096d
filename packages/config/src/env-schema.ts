import { Type, type Static } from 'typebox';
import { isIP } from 'node:net';
import { APP } from './contract.js';
import { HTTP_LIMITS } from './http-limits.js';
import { MEMORY_BUDGET } from './memory-budget.js';

/** Pino's levels; `silent` turns logging off (tests only). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * An IPv4 address with a prefix of 1-32, or an IPv6 address with 1-128: what the service's proxy
 * matcher compiles. @fastify/proxy-addr (index.js, parseipNotation) throws a TypeError for an
 * address ipaddr.js cannot parse and for `range <= 0 || range > max`, so a /0 would pass a plain
 * CIDR check and then crash the boot. (It would also trust every peer, letting any client choose
 * its own address.) Node's isIP accepts a subset of what ipaddr.js parses; the web project's
 * property test checks both directions against proxy-addr itself.
 */
function isCidr(cidr: string): boolean {
  const [address = '', prefix = ''] = cidr.split('/');
  const family = isIP(address);
  const bits = Number(prefix);
  return family !== 0 && /^[0-9]{1,3}$/.test(prefix) && bits >= 1 && bits <= (family === 4 ? 32 : 128);
}

/** A postgres:// or postgresql:// URL with a host and a database name, as `pg` parses it. */
function isPostgresUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1
  );
}

const optionalText = (description: string, maxLength = 253) =>
  Type.Optional(Type.String({ minLength: 1, maxLength, description }));

/**
 * The service's environment. Every variable the service reads is here, with its default and
 * bounds; `loadConfig` validates `process.env` against it once at boot. The TypeScript type is
 * derived from this schema (never written twice), and the table in docs/service.md is generated from it.
 */
export const EnvSchema = Type.Object({
  PORT: Type.Integer({
    minimum: 1,
    maximum: 65535,
    default: APP.containerPort,
    description: 'TCP port to listen on',
  }),
  HOST: Type.String({
    minLength: 1,
    maxLength: 253,
    pattern: '^[A-Za-z0-9.:\\-]+$',
    default: '0.0.0.0',
    description: 'address to bind (an IP or host name)',
  }),
  DATABASE_PATH: Type.String({
    minLength: 1,
    maxLength: 4096,
    default: './data/zumo.db',
    description: 'SQLite file; its directory is created at boot',
  }),
  DATABASE_URL: Type.Optional(
    Type.Refine(
      Type.String({
        maxLength: 2048,
        description:
          'PostgreSQL to store messages in (postgres://user@host:port/database, libpq parameters such as sslmode allowed); unset: the SQLite file at DATABASE_PATH',
      }),
      isPostgresUrl,
    ),
  ),
  DATABASE_AUTH: Type.Union([Type.Literal('password'), Type.Literal('iam')], {
    default: 'password',
    description:
      "how the service logs in to PostgreSQL: password (the URL's, or none) or iam (an IAM token per new connection, from the default AWS credential chain: Pod Identity in the cluster; needs DATABASE_TLS_CA and AWS_REGION)",
  }),
  DATABASE_TLS_CA: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 4096,
      description:
        "TLS to PostgreSQL, verified against these CAs: rds (AWS's RDS bundle shipped with the service) or a PEM file's path; unset: no TLS",
    }),
  ),
  AWS_REGION: Type.Optional(
    Type.String({
      pattern: '^[a-z]{2}(-[a-z]+)+-\\d$',
      maxLength: 32,
      description: 'AWS region the IAM database tokens are signed for (DATABASE_AUTH=iam)',
    }),
  ),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((level) => Type.Literal(level)),
    { default: 'info', description: 'pino log level' },
  ),
  SENTRY_DSN: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s@/]+@[^\\s/]+(/[^\\s]*)?/[0-9]+$',
      maxLength: 512,
      description: 'Sentry DSN (https://<key>@<host>/<project>); unset disables Sentry entirely',
    }),
  ),
  SENTRY_ENVIRONMENT: Type.String({
    pattern: '^[A-Za-z0-9_.-]{1,64}$',
    default: 'local',
    description: 'Sentry environment name (letters, digits, _ . -)',
  }),
  SENTRY_TRACES_SAMPLE_RATE: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0,
    description: 'share of requests traced by Sentry, 0..1',
  }),
  RELEASE: Type.String({
    pattern: '^(dev|[0-9a-f]{7,40})$',
    default: 'dev',
    description: 'git short SHA of the build (or `dev`); also the Sentry release',
  }),
  POD_NAME: optionalText('Downward API metadata.name; unset outside Kubernetes'),
  POD_NAMESPACE: optionalText('Downward API metadata.namespace; unset outside Kubernetes', 63),
  POD_IP: optionalText('Downward API status.podIP; unset outside Kubernetes', 45),
  NODE_NAME: optionalText('Downward API spec.nodeName; unset outside Kubernetes'),
  KUBERNETES_SERVICE_HOST: optionalText('set by Kubernetes in every pod; the API server address'),
  KUBERNETES_SERVICE_PORT: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 65535, description: 'set by Kubernetes in every pod' }),
  ),
  MESSAGE_RATE_LIMIT: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 30,
    description: 'messages one client may post per minute',
  }),
  SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0,
    maximum: 120_000,
    default: 10_000,
    description: 'how long in-flight requests may run after SIGTERM',
  }),
  SHUTDOWN_DRAIN_MS: Type.Integer({
    minimum: 0,
    maximum: 60_000,
    default: 0,
    description:
      'after SIGTERM, keep serving with readiness 503 this long so load balancers stop routing here (the cluster manifests set it; SIGINT never drains)',
  }),
  TRUST_PROXY_HOPS: Type.Integer({
    minimum: 0,
    maximum: 5,
    default: 0,
    description:
      'proxies in front of the service whose X-Forwarded-For entries are believed (2 behind CloudFront + ALB)',
  }),
  TRUSTED_PROXY_CIDRS: Type.Refine(
    Type.String({
      pattern: '^[0-9A-Fa-f:.]+/[0-9]{1,3}(,[0-9A-Fa-f:.]+/[0-9]{1,3})*$',
      default: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16',
      description:
        'comma-separated CIDRs the nearest proxy (the load balancer) connects from; in AWS the load balancer subnets, from the cluster facts (deploy/README.md); each an IPv4 address with a prefix of 1-32 or an IPv6 address with 1-128 (a /0, trusting every peer, is refused)',
    }),
    (value) => value.split(',').every(isCidr),
  ),
  MAX_CONNECTIONS_PER_CLIENT: Type.Integer({
    minimum: 1,
    maximum: HTTP_LIMITS.maxConnections,
    default: HTTP_LIMITS.maxConnectionsPerClient,
    description:
      'open connections one client address (an IPv6 /64) may hold; more are closed at once; peers in TRUSTED_PROXY_CIDRS are exempt when TRUST_PROXY_HOPS > 0 (the load balancer carries every visitor)',
  }),
  READY_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
    minimum: 10,
    maximum: 60_000,
    default: 1_000,
    description: 'readiness fails above this mean event-loop delay',
  }),
  READY_MAX_HEAP_USED_MB: Type.Integer({
    minimum: 16,
    maximum: 65_536,
    default: MEMORY_BUDGET.readyMaxHeapUsedMiB,
    description: 'readiness fails above this V8 heap use (the default is derived from the memory budget)',
  }),
});

/** The validated configuration, derived from the schema. */
export type Env = Static<typeof EnvSchema>;
export type EnvName = keyof Env;
