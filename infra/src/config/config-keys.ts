/**
 * Every stack config key, documented once: Pulumi.yaml's `config:` block and its list of optional
 * keys are generated from this table with the defaults of stack-config.ts (`nx run infra:project-config`;
 * a test fails when the committed Pulumi.yaml differs from what the generator writes).
 *
 * Only `required` keys are declared under `config:`. The Pulumi CLI refuses a stack that lacks a
 * project key declared without `default`/`value`, and injects a declared default into the stack's
 * config (pulumi/pulumi sdk/go/common/workspace/config.go mergeConfig), which would override the
 * per-environment defaults of defaultsFor() (prod's NAT mode, WAF, deletion protection). So the
 * optional keys are documented in a comment block instead, and the CLI accepts them undeclared.
 */

/** Types as the Pulumi CLI names them (project.go InferFullTypeName). */
export type ConfigKeyType = 'string' | 'integer' | 'boolean' | 'array<string>' | 'array<integer>';

export interface ConfigKey {
  readonly type: ConfigKeyType;
  /** Every stack must set it; declared under `config:`, so the CLI refuses a stack without it. */
  readonly required?: true;
  /** Set with `pulumi config set --secret`: the stack file holds it as `secure:`. */
  readonly secret?: true;
  /** What it means and what is allowed (the defaults are added from stack-config.ts). */
  readonly description: string;
  /** The default when it is not a value of defaultsFor(): derived from another key, or none. */
  readonly defaultText?: string;
}

export const CONFIG_KEYS = {
  environment: {
    type: 'string',
    required: true,
    description: 'dev or prod. Selects the defaults of the optional keys (sizing, NAT, WAF, HA, deletion protection).',
  },
  githubRepository: {
    type: 'string',
    required: true,
    description: 'owner/name of the GitHub repository whose workflows get the CI roles.',
  },
  stateBucketName: {
    type: 'string',
    required: true,
    description: 'S3 bucket of the Pulumi state backend (infra/bootstrap output stateBucketName).',
  },
  githubOidcProviderArn: {
    type: 'string',
    required: true,
    description:
      "The account's GitHub Actions OIDC provider, created once by infra/bootstrap (output githubOidcProviderArn); no stack creates it.",
  },
  permissionsBoundaryArn: {
    type: 'string',
    required: true,
    description:
      "This stack's permissions boundary from infra/bootstrap (output permissionsBoundaryArns.<stack>), put on every role the stack creates.",
  },
  githubConnectionArn: {
    type: 'string',
    required: true,
    description:
      "The CodeConnections connection to GitHub from infra/bootstrap (output githubConnectionArn), through which the stack's CI runner registers.",
  },
  clusterAdminRoleArns: {
    type: 'array<string>',
    required: true,
    description:
      'IAM roles given cluster admin through EKS access entries; at least one, and the role you run `pulumi up` with must be one (nobody gets implicit admin).',
  },
  githubOidcSubjectPrefix: {
    type: 'string',
    description:
      "The start of the OIDC `sub` GitHub sends for githubRepository, which the CI roles' trust matches exactly: repo:<owner>/<name>, or for repositories created, renamed or transferred after 2026-07-15 (immutable subject claims) repo:<owner>@<owner id>/<name>@<repository id>; read it with `gh api repos/<owner>/<name>/actions/oidc/customization/sub --jq .sub_claim_prefix`.",
    defaultText: 'repo:<githubRepository>',
  },
  ciRunnerActorIds: {
    type: 'array<integer>',
    description:
      "GitHub account ids (numbers, `gh api users/<login> --jq .id`) whose actions may start this stack's CI runner: the webhook's ACTOR_ACCOUNT_ID filter. Required in prod, and there always with the release App's bot user (`gh api 'users/<app-slug>[bot]' --jq .id`): every dev release is its push to main, whose infra-up run asks the prod runner for the prod preview. Also the people who merge to main or dispatch the workflows that run on it, and the account drift's scheduled runs are attributed to.",
    defaultText: 'none, in dev: any actor whose job asks for the runner starts it',
  },
  secretsKeyAlias: {
    type: 'string',
    description: "KMS alias of this stack's secrets key (infra/bootstrap output secretsProviders).",
  },
  stateKeyAlias: {
    type: 'string',
    description: "KMS alias of the state bucket's encryption key (infra/bootstrap output stateKeyAlias).",
  },
  vpcCidr: {
    type: 'string',
    description: 'VPC range, a private /16 to /18 with room for the subnets of every AZ (a /18 holds 3 AZs, a /17 6).',
  },
  availabilityZones: {
    type: 'integer',
    description: 'AZs with a private, a public and a load balancer subnet, 2 to 6 and at most what the region has.',
  },
  natGateways: { type: 'string', description: 'perAz or single (perAz in prod).' },
  interfaceEndpoints: { type: 'boolean', description: 'ECR and STS interface endpoints (private image pulls).' },
  flowLogRetentionDays: { type: 'integer', description: 'VPC flow log retention, a CloudWatch retention period.' },
  clusterLogRetentionDays: {
    type: 'integer',
    description:
      'EKS control-plane log retention (api, audit, authenticator; KMS-encrypted), a CloudWatch retention period.',
  },
  kubernetesVersion: {
    type: 'string',
    description: 'EKS version in standard support (SUPPORTED_KUBERNETES_VERSIONS in infra/src/config/stack-config.ts).',
  },
  nodeInstanceTypes: { type: 'array<string>', description: 'Instance types of the node group.' },
  nodeMinSize: {
    type: 'integer',
    description: 'General node group minimum: at least one node per zone the web replicas spread over.',
  },
  nodeDesiredSize: { type: 'integer', description: 'General node group desired size, between min and max.' },
  nodeMaxSize: { type: 'integer', description: 'General node group maximum.' },
  clusterPublicAccessCidrs: {
    type: 'array<string>',
    description:
      'CIDRs allowed to the public EKS API endpoint; [] keeps it private-only; never 0.0.0.0/0 in prod, never a documentation range.',
  },
  gitRevision: {
    type: 'string',
    description:
      'What Argo CD syncs deploy/ from: a full ref (refs/heads/<branch>, refs/tags/<tag>) or a 40-character commit SHA. Never a short name: Argo CD matches it against both branches and tags and may take either.',
  },
  ecrKeepReleases: { type: 'integer', description: 'Release images kept in ECR (untagged ones expire after 7 days).' },
  priceClass: { type: 'string', description: 'CloudFront price class.' },
  domainName: {
    type: 'string',
    description: 'Optional custom domain for the distribution (with hostedZoneId).',
    defaultText: 'none',
  },
  hostedZoneId: { type: 'string', description: 'Route 53 zone of domainName.', defaultText: 'none' },
  waf: { type: 'boolean', description: 'Attach a WAF web ACL (managed rule groups + rate rule).' },
  wafRateLimitPer5Min: {
    type: 'integer',
    description: 'Requests per IP per 5 minutes before the WAF rate rule blocks.',
  },
  argocdHighAvailability: { type: 'boolean', description: 'Argo CD in HA mode.' },
  deletionProtection: {
    type: 'boolean',
    description: 'Deletion protection and retained data (true in prod).',
  },
  alertEmails: {
    type: 'array<string>',
    description:
      'E-mail addresses the SNS alert topics notify (CloudWatch alarms, uptime check); at least one in prod.',
  },
  databaseEngineVersion: {
    type: 'string',
    description: 'Aurora PostgreSQL major.minor (with the Data API: 16.1+, and 16.3+ for a minimum capacity of 0).',
  },
  // ACUs come in half steps and the Pulumi CLI knows no fractional type (project.go): a string.
  databaseMinCapacity: {
    type: 'string',
    description:
      'Aurora Serverless v2 minimum ACUs per instance, in half steps: 0 pauses an idle cluster (dev only; the first request after a pause waits for the resume).',
  },
  databaseMaxCapacity: { type: 'string', description: 'Aurora Serverless v2 maximum ACUs per instance, 1 to 256.' },
  databaseSecondsUntilAutoPause: {
    type: 'integer',
    description: 'Idle seconds before a cluster with minimum capacity 0 pauses, 300 to 86400.',
  },
  databaseInstances: {
    type: 'integer',
    description:
      'Aurora instances: 1 (a writer) or 2 and more (readers in other zones, failover targets); at least 2 in prod.',
  },
  databaseBackupRetentionDays: {
    type: 'integer',
    description: 'Days of Aurora automated backups (the point-in-time restore window), 1 to 35; at least 7 in prod.',
  },
  alertmanagerCriticalWebhookUrl: {
    type: 'string',
    secret: true,
    description:
      'Slack-compatible incoming webhook for critical in-cluster alerts, set with --secret. Required in prod.',
    defaultText: 'none',
  },
  alertmanagerWarningWebhookUrl: {
    type: 'string',
    secret: true,
    description: 'Webhook for warning alerts, set with --secret.',
    defaultText: 'the critical one',
  },
  alertmanagerHeartbeatUrl: {
    type: 'string',
    secret: true,
    description:
      'Ping URL of a heartbeat check outside the cluster (healthchecks.io-style; period 5 minutes) that the always-firing Watchdog pings; it alerts when in-cluster alerting stops. Set with --secret. Required in prod.',
    defaultText: 'none',
  },
  argocdRepositoryToken: {
    type: 'string',
    secret: true,
    description: "Only for a private repository, set with --secret; Argo CD's read token.",
    defaultText: 'none',
  },
} as const satisfies Record<string, ConfigKey>;

export type ConfigKeyName = keyof typeof CONFIG_KEYS;

/** The keys every stack must set. */
export type RequiredKey = {
  [K in ConfigKeyName]: (typeof CONFIG_KEYS)[K] extends { required: true } ? K : never;
}[ConfigKeyName];

export const CONFIG_KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKeyName[];
const spec = (key: ConfigKeyName): ConfigKey => CONFIG_KEYS[key];

/** Keys every stack must set (outputs of infra/bootstrap and the repository). */
export const REQUIRED_KEYS = CONFIG_KEY_NAMES.filter((key): key is RequiredKey => spec(key).required === true);
/** Keys that hold secrets (`pulumi config set --secret`), read as Pulumi secrets only. */
export const SECRET_KEYS = new Set<string>(CONFIG_KEY_NAMES.filter((key) => spec(key).secret));
