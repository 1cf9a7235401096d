/**
 * What a stack's permissions boundary allows at most (lib/boundary.ts composes it with the fences
 * against the other stack). A role the infra role creates may carry any trust and any inline
 * policy, so these caps are all that stops it from reaching beyond its stack: every service the
 * program uses is capped to what belongs to the stack where its ARNs can name it, and the services
 * whose objects cannot be told apart by name or tag are left to the CI identities alone.
 */
import type { PolicyStatement } from './iam.js';

/**
 * The services the roles of a stack use: the program's own resource types (infra role), what its
 * CI jobs call, and what the AWS managed and published policies of its workload roles need (EKS
 * cluster and nodes, VPC CNI, EBS CSI, the load balancer controller's TargetGroupBinding, AWS
 * Backup for EBS). STS, ECR, EKS and CloudWatch Logs are capped below to the stack's own;
 * IAM separately (own roles only). identity/must-never-created-roles.ts fails when a
 * declared role's policy allows a service missing here that is not listed as unused.
 */
export const BOUNDARY_SERVICES = [
  'acm',
  'autoscaling',
  'backup',
  'backup-storage',
  'cloudfront',
  'cloudwatch',
  'codebuild',
  'codeconnections',
  'codestar-connections',
  'ebs',
  'ec2',
  'elasticloadbalancing',
  'kms',
  // Aurora, fenced from the other stack by its stack tag like EC2; IAM database login names the
  // cluster's resource id, never the stack's prefix.
  'rds',
  'rds-data',
  'rds-db',
  'route53',
  's3',
  // Only the CI identities (CI_IDENTITY_ONLY): the infra role reads RDS's master secrets, which
  // the other stack cannot decrypt (each is encrypted with its stack's key).
  'secretsmanager',
  'sns',
  'tag',
  'wafv2',
];

/** The EKS resource types the program creates; each ARN names its cluster right after the type. */
const EKS_TYPES = ['access-entry', 'addon', 'cluster', 'nodegroup', 'podidentityassociation'];

export interface CapScope {
  readonly account: string;
  /** `zumo-<stack>-`: the physical-name prefix of everything the stack creates. */
  readonly prefix: string;
  /** The stack's image repository, e.g. zumo/web-dev. */
  readonly imageRepository: string;
  /** The roles GitHub jobs and the CI runner use (`zumo-<stack>-<kind>*`), named by ARN pattern. */
  readonly ciIdentities: readonly string[];
  /** The stack's DNS domain, if it has one: the only names it may write records for. */
  readonly domain?: string | undefined;
  /** Other stacks' domains inside the stack's own (prod's zumo.example.com holds dev.zumo.example.com). */
  readonly nestedDomains: readonly string[];
}

/**
 * The services whose objects carry neither the stack's name nor a usable tag (CloudFront's
 * policies, origin access controls and functions, Route 53 health checks and zones), or that act
 * for the whole account (the GitHub connection, CodeBuild projects that run as their own roles,
 * buckets, topics, alarms, certificates, web ACLs), and the key and backup lifecycle of the
 * account: only the CI identities use them, under policies an admin's `up` writes. Every other
 * role of the stack (the workload roles, and any role the infra role creates) is refused them.
 */
export const CI_IDENTITY_ONLY = [
  'acm:*',
  'backup:Delete*',
  'backup:Put*',
  'backup:Update*',
  'cloudfront:*',
  'cloudwatch:*',
  'codebuild:*',
  'codeconnections:*',
  'codestar-connections:*',
  'eks:CreateCluster',
  'kms:Delete*',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'route53:*',
  's3:*',
  // The RDS-managed master secrets: only the infra role's user command reads one.
  'secretsmanager:*',
  'sns:*',
  'wafv2:*',
];

/**
 * Settings of the whole account or region, which no role of a stack changes (the program sets none):
 * EBS encryption by default, instance metadata defaults, public access blocks, the serial console,
 * ID formats, allowed images, and CloudWatch Logs' account policies (a subscription filter policy
 * would stream every log group, the other stack's included, elsewhere).
 */
export const ACCOUNT_SETTINGS = [
  'ec2:*AllowedImagesSettings',
  'ec2:*BlockPublicAccess*',
  'ec2:*EbsDefaultKmsKeyId',
  'ec2:*EbsEncryptionByDefault',
  'ec2:*SerialConsoleAccess',
  'ec2:Modify*IdFormat',
  'ec2:ModifyAvailabilityZoneGroup',
  'ec2:ModifyDefaultCreditSpecification',
  'ec2:ModifyInstanceMetadataDefaults',
];

export function capStatements(c: CapScope): PolicyStatement[] {
  const own = (service: string, rest: string) => `arn:aws:${service}:*:${c.account}:${rest}`;
  return [
    // A boundary only caps: what a role may really do is what its own policies grant.
    {
      Sid: 'CapServices',
      Effect: 'Allow',
      Action: BOUNDARY_SERVICES.map((service) => `${service}:*`),
      Resource: '*',
    },
    {
      Sid: 'CapAnyResource',
      Effect: 'Allow',
      Action: [
        'iam:Get*',
        'iam:List*',
        'sts:GetCallerIdentity',
        'eks:Describe*',
        'eks:List*',
        'eks:CreateCluster',
        'logs:Describe*',
        'servicequotas:Get*',
        // Every repository's images: the EKS add-ons' come from AWS's own registries.
        'ecr:BatchCheck*',
        'ecr:BatchGetImage',
        'ecr:Describe*',
        'ecr:Get*',
        'ecr:List*',
      ],
      Resource: '*',
    },
    {
      // Each service on its own ARNs only: STS never an admin role of the account, ECR no
      // registry-level setting (policy, replication, pull-through cache, scanning, templates), EKS
      // no other cluster, IAM roles only (no role of a stack writes a customer-managed policy: the
      // CI identity's).
      Sid: 'CapOwn',
      Effect: 'Allow',
      Action: [
        'ecr:*',
        'eks:*',
        'eks-auth:*',
        'iam:*',
        'logs:*',
        'sts:AssumeRole',
        'sts:SetSourceIdentity',
        'sts:TagSession',
      ],
      Resource: [
        `arn:aws:iam::${c.account}:role/${c.prefix}*`,
        'arn:aws:iam::*:role/aws-service-role/*',
        own('ecr', `repository/${c.imageRepository}`),
        // IAM matches no wildcard in an ARN's resource type ("Incorrect wildcard usage", IAM user
        // guide, IAM identifiers): one ARN per type the program creates. No other account's
        // cluster can be reached without its credentials, so the account is left open.
        ...EKS_TYPES.map((type) => `arn:aws:eks:*:*:${type}/${c.prefix}*`),
        // Its log groups: <prefix>*, /aws/eks/<prefix>* (the control plane), /aws/codebuild/<prefix>*.
        own('logs', `log-group:*${c.prefix}*`),
      ],
    },
    {
      Sid: 'CiIdentityOnly',
      Effect: 'Deny',
      Action: CI_IDENTITY_ONLY,
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [...c.ciIdentities] } },
    },
    ...dnsFences(c),
  ];
}

/**
 * Route 53 has no tag condition keys and zones are shared across stacks, so records are fenced by
 * their names: route53:ChangeResourceRecordSetsNormalizedRecordNames holds every record name of the
 * change, lower case and without the final dot (Route 53 developer guide, "Using IAM policy
 * conditions for fine-grained access control"). A stack without a domain writes no record; one with
 * a domain writes records under it only, and none under another stack's domain nested inside it.
 */
function dnsFences(c: CapScope): PolicyStatement[] {
  const key = 'route53:ChangeResourceRecordSetsNormalizedRecordNames';
  const names = (domains: readonly string[]) => domains.flatMap((d) => [d, `*.${d}`]);
  const deny = (Sid: string, Condition?: PolicyStatement['Condition']): PolicyStatement => ({
    Sid,
    Effect: 'Deny',
    Action: 'route53:ChangeResourceRecordSets',
    Resource: '*',
    ...(Condition ? { Condition } : {}),
  });
  if (!c.domain) return [deny('NoDnsRecords')];
  return [
    deny('DnsOwnNames', { 'ForAnyValue:StringNotLike': { [key]: names([c.domain]) } }),
    ...(c.nestedDomains.length
      ? [deny('DnsNotNested', { 'ForAnyValue:StringLike': { [key]: names(c.nestedDomains) } })]
      : []),
  ];
}
