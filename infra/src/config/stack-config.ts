import { ConfigError, type ConfigProblem } from '@zumo/config';
import { SUBNET_TIERS, addressesNeeded, cidrContains, maxZonesFor } from '../lib/network-plan.js';
import { CONFIG_KEY_NAMES, SECRET_KEYS, type RequiredKey } from './config-keys.js';
import { parseDatabaseConfig } from './database-config.js';
import {
  GITHUB_REPOSITORY,
  SUBJECT_PREFIX,
  ROLE_ARN,
  INSTANCE_TYPE,
  DOMAIN,
  OIDC_PROVIDER_ARN,
  POLICY_ARN,
  CONNECTION_ARN,
  EMAIL,
  isTrackedRevision,
  isPrivateVpcCidr,
  isValidAllowCidr,
  DOCUMENTATION_RANGES,
} from './value-formats.js';

export { isPrivateVpcCidr } from './value-formats.js';

/**
 * EKS versions in standard support on the date below (AWS EKS version calendar); extended support
 * costs 6x per cluster hour, so other versions are refused. Update with the calendar.
 * As of 2026-11: 1.34 (until 2026-12), 1.35 (until 2027-03), 1.36 (until 2027-07).
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.34', '1.35', '1.36'] as const;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;

export type Environment = 'dev' | 'prod';

/** Everything a stack can set, validated and with defaults applied. */
export interface StackConfig {
  readonly environment: Environment;
  readonly region: string;
  readonly vpcCidr: string;
  readonly availabilityZones: number;
  /** NAT gateway per AZ (prod: an AZ outage keeps egress) or one for the VPC (dev: cost). */
  readonly natGateways: 'perAz' | 'single';
  readonly interfaceEndpoints: boolean;
  readonly flowLogRetentionDays: number;
  /** Days the EKS control-plane logs (api, audit, authenticator) are kept. */
  readonly clusterLogRetentionDays: number;
  readonly kubernetesVersion: string;
  readonly nodeInstanceTypes: readonly string[];
  readonly nodeMinSize: number;
  readonly nodeDesiredSize: number;
  readonly nodeMaxSize: number;
  readonly clusterAdminRoleArns: readonly string[];
  readonly clusterPublicAccessCidrs: readonly string[];
  readonly githubRepository: string;
  /**
   * What GitHub's OIDC tokens for this repository start their `sub` with: repo:<owner>/<name>, or
   * repo:<owner>@<owner id>/<name>@<repository id> for repositories with immutable subject claims.
   */
  readonly githubOidcSubjectPrefix: string;
  readonly gitRevision: string;
  readonly ecrKeepReleases: number;
  readonly priceClass: (typeof PRICE_CLASSES)[number];
  readonly domainName: string | undefined;
  readonly hostedZoneId: string | undefined;
  readonly waf: boolean;
  readonly wafRateLimitPer5Min: number;
  readonly argocdHighAvailability: boolean;
  readonly deletionProtection: boolean;
  readonly stateBucketName: string;
  readonly secretsKeyAlias: string;
  /** Who the SNS alert topics email (each address confirms its subscription once). */
  readonly alertEmails: readonly string[];
  /** Alias of the state bucket's encryption key (infra/bootstrap). */
  readonly stateKeyAlias: string;
  /** The account's GitHub Actions OIDC provider, created once by infra/bootstrap (output githubOidcProviderArn). */
  readonly githubOidcProviderArn: string;
  /** The stack's permissions boundary from infra/bootstrap (output permissionsBoundaryArns.<stack>). */
  readonly permissionsBoundaryArn: string;
  /** The CodeConnections connection to GitHub the CI runner registers through (output githubConnectionArn). */
  readonly githubConnectionArn: string;
  /**
   * GitHub account ids whose actions may start the stack's CI runner (its webhook's ACTOR_ACCOUNT_ID
   * filter); empty: any actor whose job asks for the runner (dev only).
   */
  readonly ciRunnerActorIds: readonly number[];
  /** Aurora PostgreSQL major.minor of the app's database (components/database.ts). */
  readonly databaseEngineVersion: string;
  /** Aurora Serverless v2 ACUs per instance: 0 lets an idle dev cluster pause (docs/database.md). */
  readonly databaseMinCapacity: number;
  readonly databaseMaxCapacity: number;
  readonly databaseSecondsUntilAutoPause: number;
  /** Writer plus readers, each in its own zone. */
  readonly databaseInstances: number;
  /** Aurora automated backups: the point-in-time restore window. */
  readonly databaseBackupRetentionDays: number;
}

type Raw = Readonly<Record<string, unknown>>;

/** Defaults per environment: same program, different sizing and protection. */
export function defaultsFor(
  environment: Environment,
): Omit<StackConfig, RequiredKey | 'region' | 'githubOidcSubjectPrefix'> {
  const prod = environment === 'prod';
  return {
    vpcCidr: '10.40.0.0/16',
    availabilityZones: 3,
    natGateways: prod ? 'perAz' : 'single',
    interfaceEndpoints: prod,
    flowLogRetentionDays: prod ? 90 : 14,
    clusterLogRetentionDays: prod ? 90 : 14,
    kubernetesVersion: '1.35',
    nodeInstanceTypes: prod ? ['m7i.large'] : ['t3.medium'],
    // A node in each zone the web replicas spread over (2 in dev, 3 in prod, deploy/web/overlays).
    nodeMinSize: prod ? 3 : 2,
    nodeDesiredSize: prod ? 3 : 2,
    nodeMaxSize: prod ? 6 : 4,
    clusterPublicAccessCidrs: [],
    gitRevision: 'refs/heads/main',
    ecrKeepReleases: 30,
    priceClass: 'PriceClass_100',
    domainName: undefined,
    hostedZoneId: undefined,
    waf: prod,
    wafRateLimitPer5Min: 2000,
    argocdHighAvailability: prod,
    deletionProtection: prod,
    // One secrets key per stack (infra/bootstrap): dev's roles cannot decrypt prod's secrets.
    secretsKeyAlias: `alias/zumo-pulumi-secrets-${environment}`,
    stateKeyAlias: 'alias/zumo-pulumi-state',
    alertEmails: [],
    ciRunnerActorIds: [],
    // Auto-pause needs 16.3 or later, the Data API 16.1 (lib/database.ts).
    databaseEngineVersion: '16.6',
    // Dev pauses when idle (no ACU charge); prod keeps half an ACU warm in each of two zones.
    databaseMinCapacity: prod ? 0.5 : 0,
    databaseMaxCapacity: prod ? 8 : 2,
    databaseSecondsUntilAutoPause: 1800,
    databaseInstances: prod ? 2 : 1,
    databaseBackupRetentionDays: prod ? 14 : 1,
  };
}

/**
 * Validates a stack's raw config (keys without the `zumo:` prefix) before any resource is declared.
 * Throws one ConfigError naming every bad key with the value received and what is allowed.
 */
export function parseStackConfig(raw: Raw, region: string | undefined): StackConfig {
  const problems: ConfigProblem[] = [];
  const bad = (key: string, allowed: string) =>
    problems.push({
      name: `zumo:${key}`,
      received: raw[key] === undefined ? undefined : JSON.stringify(raw[key]),
      allowed,
    });

  const environment = raw['environment'];
  if (environment !== 'dev' && environment !== 'prod') {
    bad('environment', 'one of dev, prod');
    throw new ConfigError(problems, 'stack config');
  }
  const defaults = defaultsFor(environment);
  const value = <K extends keyof typeof defaults>(key: K): (typeof defaults)[K] =>
    (raw[key] === undefined ? defaults[key] : raw[key]) as (typeof defaults)[K];

  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    problems.push({ name: 'aws:region', received: region, allowed: 'an AWS region such as eu-west-1' });
  }

  const vpcCidr = value('vpcCidr');
  if (typeof vpcCidr !== 'string' || !isPrivateVpcCidr(vpcCidr)) {
    bad('vpcCidr', 'a private (RFC 1918) IPv4 network address with a prefix from /16 to /18, e.g. 10.40.0.0/16');
  }
  const availabilityZones = value('availabilityZones');
  if (!Number.isInteger(availabilityZones) || availabilityZones < 2 || availabilityZones > 6) {
    bad('availabilityZones', 'an integer from 2 to 6 (EKS needs subnets in at least 2 AZs)');
  } else if (typeof vpcCidr === 'string' && isPrivateVpcCidr(vpcCidr)) {
    const prefix = Number(vpcCidr.split('/')[1]);
    if (maxZonesFor(prefix) < availabilityZones) {
      const tiers = SUBNET_TIERS.map((t) => `/${t.prefix}`).join(', ');
      bad(
        'vpcCidr',
        `room for ${availabilityZones} AZs of subnets (${tiers} each): ${addressesNeeded(availabilityZones)} addresses; ${vpcCidr} has ${2 ** (32 - prefix)} (it holds at most ${maxZonesFor(prefix)} AZs)`,
      );
    }
  }
  const natGateways = value('natGateways');
  if (natGateways !== 'perAz' && natGateways !== 'single') bad('natGateways', 'one of perAz, single');
  else if (environment === 'prod' && natGateways !== 'perAz')
    bad('natGateways', 'perAz in prod (a single NAT gateway is one AZ failure from an outage)');
  for (const key of ['flowLogRetentionDays', 'clusterLogRetentionDays'] as const) {
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(value(key)))
      bad(key, `one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch retention periods)`);
  }
  const kubernetesVersion = value('kubernetesVersion');
  if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(kubernetesVersion)) {
    bad('kubernetesVersion', `one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')} (EKS standard support)`);
  }
  const nodeInstanceTypes = value('nodeInstanceTypes');
  if (
    !Array.isArray(nodeInstanceTypes) ||
    nodeInstanceTypes.length === 0 ||
    !nodeInstanceTypes.every((t) => typeof t === 'string' && INSTANCE_TYPE.test(t))
  ) {
    bad('nodeInstanceTypes', 'a non-empty list of EC2 instance types, e.g. ["t3.medium"]');
  }
  const sizes = {
    nodeMinSize: value('nodeMinSize'),
    nodeDesiredSize: value('nodeDesiredSize'),
    nodeMaxSize: value('nodeMaxSize'),
  };
  for (const [key, size] of Object.entries(sizes)) {
    if (!Number.isInteger(size) || size < 0 || size > 100) bad(key, 'an integer from 0 to 100');
  }
  if (sizes.nodeMinSize > sizes.nodeMaxSize) bad('nodeMinSize', `at most nodeMaxSize (${sizes.nodeMaxSize})`);
  else if (sizes.nodeDesiredSize < sizes.nodeMinSize || sizes.nodeDesiredSize > sizes.nodeMaxSize) {
    bad('nodeDesiredSize', `from nodeMinSize (${sizes.nodeMinSize}) to nodeMaxSize (${sizes.nodeMaxSize})`);
  }
  const clusterAdminRoleArns = raw['clusterAdminRoleArns'] ?? [];
  if (
    !Array.isArray(clusterAdminRoleArns) ||
    !clusterAdminRoleArns.every((a) => typeof a === 'string' && ROLE_ARN.test(a))
  ) {
    bad('clusterAdminRoleArns', 'a list of IAM role ARNs (arn:aws:iam::<account>:role/<name>)');
  } else if (clusterAdminRoleArns.length === 0) {
    bad(
      'clusterAdminRoleArns',
      'at least one IAM role ARN: nobody gets implicit cluster access, so include the role you run `pulumi up` with',
    );
  }
  const clusterPublicAccessCidrs = value('clusterPublicAccessCidrs');
  if (
    !Array.isArray(clusterPublicAccessCidrs) ||
    !clusterPublicAccessCidrs.every((c) => typeof c === 'string' && isValidAllowCidr(c))
  ) {
    bad('clusterPublicAccessCidrs', 'a list of IPv4 CIDRs (network addresses), empty for a private-only API endpoint');
  } else if (clusterPublicAccessCidrs.some((c) => DOCUMENTATION_RANGES.some((d) => cidrContains(d, c)))) {
    bad(
      'clusterPublicAccessCidrs',
      `the egress addresses of whoever runs \`pulumi up\` from outside the VPC (the first up is an admin's: e.g. the /32 that https://checkip.amazonaws.com shows) and your office or VPN ranges, not a documentation range (${DOCUMENTATION_RANGES.join(', ')}, the placeholder of the stack files)`,
    );
  } else if (environment === 'prod' && clusterPublicAccessCidrs.includes('0.0.0.0/0')) {
    bad(
      'clusterPublicAccessCidrs',
      'CIDRs other than 0.0.0.0/0 in prod (the API endpoint must not be open to the world)',
    );
  }
  const githubRepository = raw['githubRepository'];
  if (typeof githubRepository !== 'string' || !GITHUB_REPOSITORY.test(githubRepository)) {
    bad('githubRepository', 'owner/name of the GitHub repository, e.g. zumo-org/zumo');
  }
  const githubOidcSubjectPrefix = raw['githubOidcSubjectPrefix'] ?? `repo:${String(githubRepository)}`;
  if (typeof githubRepository === 'string' && GITHUB_REPOSITORY.test(githubRepository)) {
    const [owner, name] = githubRepository.split('/');
    const match = typeof githubOidcSubjectPrefix === 'string' ? SUBJECT_PREFIX.exec(githubOidcSubjectPrefix) : null;
    const sameRepository =
      match && match[1]!.toLowerCase() === owner!.toLowerCase() && match[3]!.toLowerCase() === name!.toLowerCase();
    if (!match || !sameRepository || Boolean(match[2]) !== Boolean(match[4]))
      bad(
        'githubOidcSubjectPrefix',
        `the sub prefix GitHub sends for ${githubRepository}: repo:${owner}/${name}, or for repositories with immutable subject claims ` +
          `repo:${owner}@<owner id>/${name}@<repository id> (read it with: gh api repos/${githubRepository}/actions/oidc/customization/sub --jq .sub_claim_prefix)`,
      );
  }
  const gitRevision = value('gitRevision');
  if (!isTrackedRevision(gitRevision))
    bad(
      'gitRevision',
      `a full ref, refs/heads/<branch> or refs/tags/<tag>${typeof gitRevision === 'string' && /^[\w./-]+$/.test(gitRevision) && !gitRevision.startsWith('refs/') ? ` (here refs/heads/${gitRevision})` : ''}, or a 40-character commit SHA: Argo CD may resolve a short name to a tag of the same name`,
    );
  const ecrKeepReleases = value('ecrKeepReleases');
  if (!Number.isInteger(ecrKeepReleases) || ecrKeepReleases < 1 || ecrKeepReleases > 1000)
    bad('ecrKeepReleases', 'an integer from 1 to 1000');
  const priceClass = value('priceClass');
  if (!(PRICE_CLASSES as readonly string[]).includes(priceClass))
    bad('priceClass', `one of ${PRICE_CLASSES.join(', ')}`);
  const domainName = value('domainName');
  const hostedZoneId = value('hostedZoneId');
  if (domainName !== undefined && (typeof domainName !== 'string' || !DOMAIN.test(domainName)))
    bad('domainName', 'a lower-case DNS name, e.g. zumo.example.com');
  if ((domainName === undefined) !== (hostedZoneId === undefined))
    bad('hostedZoneId', 'set together with domainName (the Route 53 zone that holds it)');
  else if (hostedZoneId !== undefined && (typeof hostedZoneId !== 'string' || !/^Z[A-Z0-9]{1,31}$/.test(hostedZoneId)))
    bad('hostedZoneId', 'a Route 53 hosted zone id, e.g. Z0123456789ABC');
  const wafRateLimitPer5Min = value('wafRateLimitPer5Min');
  if (!Number.isInteger(wafRateLimitPer5Min) || wafRateLimitPer5Min < 10 || wafRateLimitPer5Min > 2_000_000_000)
    bad('wafRateLimitPer5Min', 'an integer from 10 to 2000000000 (AWS WAF rate rule limits)');
  for (const key of ['interfaceEndpoints', 'waf', 'argocdHighAvailability', 'deletionProtection'] as const) {
    if (typeof value(key) !== 'boolean') bad(key, 'true or false');
  }
  if (environment === 'prod' && value('deletionProtection') !== true) bad('deletionProtection', 'true in prod');
  const stateBucketName = raw['stateBucketName'];
  if (typeof stateBucketName !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(stateBucketName)) {
    bad('stateBucketName', 'the S3 bucket name of the Pulumi state backend (output of infra/bootstrap)');
  }
  for (const key of ['secretsKeyAlias', 'stateKeyAlias'] as const) {
    const alias = value(key);
    if (typeof alias !== 'string' || !/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(alias))
      bad(key, `a KMS alias, e.g. ${defaults[key]} (output of infra/bootstrap)`);
  }
  const bootstrapArns = {
    githubOidcProviderArn: [
      OIDC_PROVIDER_ARN,
      'the ARN of the GitHub OIDC provider (infra/bootstrap output githubOidcProviderArn)',
    ],
    permissionsBoundaryArn: [
      POLICY_ARN,
      `the ARN of the ${environment} permissions boundary (infra/bootstrap output permissionsBoundaryArns)`,
    ],
    githubConnectionArn: [
      CONNECTION_ARN,
      'the ARN of the GitHub connection (infra/bootstrap output githubConnectionArn)',
    ],
  } as const;
  for (const [key, [pattern, allowed]] of Object.entries(bootstrapArns)) {
    const arn = raw[key];
    if (typeof arn !== 'string' || !pattern.test(arn)) bad(key, allowed);
  }
  const boundary = raw['permissionsBoundaryArn'];
  if (typeof boundary === 'string' && POLICY_ARN.test(boundary) && !boundary.endsWith(`/zumo-${environment}-boundary`))
    bad(
      'permissionsBoundaryArn',
      `the boundary of this stack (policy/zumo-${environment}-boundary): another stack's would let this one touch it`,
    );
  const alertEmails = value('alertEmails');
  if (!Array.isArray(alertEmails) || !alertEmails.every((e) => typeof e === 'string' && EMAIL.test(e)))
    bad('alertEmails', 'a list of e-mail addresses, e.g. ["oncall@example.com"]');
  else if (environment === 'prod' && alertEmails.length === 0)
    bad('alertEmails', 'at least one address in prod (an alarm nobody receives is no alarm)');
  const ciRunnerActorIds = value('ciRunnerActorIds');
  if (!Array.isArray(ciRunnerActorIds) || !ciRunnerActorIds.every((id) => Number.isSafeInteger(id) && id > 0))
    bad('ciRunnerActorIds', 'a list of GitHub account ids (numbers: gh api users/<login> --jq .id)');
  else if (environment === 'prod' && ciRunnerActorIds.length === 0)
    bad(
      'ciRunnerActorIds',
      "at least one GitHub account id in prod: whoever may start the prod runner (a job's workflow name is what its pull request says), the release App's bot user always (its dev releases start the prod preview)",
    );
  const database = parseDatabaseConfig(raw, defaults, environment, bad);
  const known = CONFIG_KEY_NAMES.filter((key) => !SECRET_KEYS.has(key));
  for (const key of Object.keys(raw))
    if (!(known as string[]).includes(key)) bad(key, `no such key; known keys: ${[...known].sort().join(', ')}`);

  if (problems.length > 0) throw new ConfigError(problems, 'stack config');
  return Object.freeze({
    ...defaults,
    ...(raw as Partial<StackConfig>),
    environment,
    region: region!,
    githubRepository: githubRepository as string,
    githubOidcSubjectPrefix: githubOidcSubjectPrefix as string,
    clusterAdminRoleArns: clusterAdminRoleArns as string[],
    stateBucketName: stateBucketName as string,
    githubOidcProviderArn: raw['githubOidcProviderArn'] as string,
    permissionsBoundaryArn: raw['permissionsBoundaryArn'] as string,
    githubConnectionArn: raw['githubConnectionArn'] as string,
    ...database,
  }) as StackConfig;
}
