/**
 * The infra role (`pulumi up` of one stack): every action the program's resource types need, on
 * the stack's own resources wherever AWS lets a policy name them (the `zumo-<stack>-` prefix of
 * every physical name, the stack's image repository, KMS keys tagged with the stack, its Route 53
 * zone). EC2 and load balancing by the stack tag (lib/network-policy.ts). CloudFront, ACM and
 * Route 53 health checks, whose resources have generated ids and no usable tag condition at
 * creation, are granted by action; the permissions boundary denies them on the other stack's
 * tagged resources. IAM: only roles named for the stack, only with the stack's boundary; the boundary
 * keeps every role of the stack, this one included, off the CI identities (lib/boundary.ts).
 *
 * Three documents, each a customer-managed policy of its own (components/ci-identity.ts): IAM
 * caps a role's inline policies at 10,240 characters together, and with real key ARNs, a long
 * region and bucket name the whole set came within 170 characters of it; a managed policy may
 * hold 6,144, and a role 10 of them (IAM and STS quotas). identity/sizes.ts checks each
 * part's worst case keeps 10% headroom. An admin's `up` writes them: the infra role cannot
 * (docs/delivery.md, "IAM size limits").
 */
import type { PolicyDocument, PolicyStatement } from './iam.js';
import { stateStatements, type StateBackend } from './state-access.js';
import { networkStatements } from './network-policy.js';
import { serviceStatements } from './infra-services.js';

export interface InfraScope {
  readonly state: StateBackend;
  readonly accountId: string;
  /** Physical-name prefix of the stack's resources, e.g. zumo-dev- */
  readonly namePrefix: string;
  /** The stack's ECR repository name, e.g. zumo/web-dev */
  readonly imageRepository: string;
  /** The permissions boundary every role the stack creates must carry. */
  readonly boundaryArn: string;
  /** The CodeConnections connection the CI runner uses (infra/bootstrap). */
  readonly githubConnectionArn: string;
  /** The stack's EKS cluster (its security group carries only EKS's tags). */
  readonly clusterName: string;
  /** The Route 53 zone of the stack's domain, when it has one: the only zone it writes records in. */
  readonly hostedZoneId?: string | undefined;
}

/** Services whose configuration `pulumi up` and `refresh` read, on any resource. */
const READS = [
  'acm:Describe*',
  'acm:List*',
  'backup:Describe*',
  'backup:Get*',
  'backup:List*',
  'cloudfront:Describe*',
  'cloudfront:Get*',
  'cloudfront:List*',
  'cloudwatch:Describe*',
  'cloudwatch:List*',
  'codebuild:BatchGet*',
  'codebuild:List*',
  'ec2:Describe*',
  'ec2:GetManagedPrefixListEntries', // the ALB admits CloudFront's prefix list, looked up on every run
  'ecr:Describe*',
  'ecr:GetLifecyclePolicy',
  'ecr:GetRepositoryPolicy',
  'ecr:List*',
  'eks:Describe*',
  'eks:List*',
  'elasticloadbalancing:Describe*',
  'iam:Get*',
  'iam:List*',
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
  'logs:Describe*',
  'logs:ListTagsForResource',
  'logs:ListTagsLogGroup',
  'rds:Describe*',
  'rds:ListTagsForResource',
  'route53:Get*',
  'route53:List*',
  's3:GetBucketLocation',
  's3:ListAllMyBuckets',
  'servicequotas:GetAWSDefaultServiceQuota', // the runner's quota preflight (config/runner-quota.ts)
  'servicequotas:GetServiceQuota',
  'sns:Get*',
  'sns:List*',
  'sts:GetCallerIdentity',
  'wafv2:Get*',
  'wafv2:List*',
];

/** Roles the program creates must carry the boundary, on create and on every policy change. */
export const ROLE_POLICY_CHANGES = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
];

/** AWS managed policies that would lift a role above its purpose; never attached by CI. */
export const ESCALATION_POLICIES = [
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/IAMFullAccess',
  'arn:aws:iam::aws:policy/PowerUserAccess',
];

/** Denies attaching (or bounding a role with) an escalation policy; in the infra policy and the boundary. */
export const NO_ESCALATION_POLICIES: PolicyStatement = {
  Sid: 'NoEscalationPolicies',
  Effect: 'Deny',
  Action: ['iam:AttachRolePolicy', 'iam:PutRolePermissionsBoundary'],
  Resource: '*',
  Condition: { ArnLike: { 'iam:PolicyARN': ESCALATION_POLICIES } },
};

/** The parts the infra role's permissions are split into (one managed policy each). */
export const INFRA_POLICY_PARTS = ['core', 'network', 'services'] as const;
export type InfraPolicyPart = (typeof INFRA_POLICY_PARTS)[number];

const document = (statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

export function infraPolicies(s: InfraScope): Record<InfraPolicyPart, PolicyDocument> {
  return {
    core: document(coreStatements(s)),
    network: document(
      networkStatements({
        stack: s.state.stack,
        region: s.state.region,
        account: s.accountId,
        clusterName: s.clusterName,
      }),
    ),
    services: document(serviceStatements(s)),
  };
}

/** State, reads, keys, IAM and the runner's connection: what every `up` touches first. */
function coreStatements(s: InfraScope): PolicyStatement[] {
  const { accountId: account, namePrefix: prefix } = s;
  const region = s.state.region;
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
  return [
    ...stateStatements(s.state, 'write'),
    { Sid: 'Read', Effect: 'Allow', Action: READS, Resource: '*' },
    {
      Sid: 'KeysCreate',
      Effect: 'Allow',
      Action: ['kms:CreateKey', 'kms:TagResource'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/stack': s.state.stack } },
    },
    {
      Sid: 'KeysOwn',
      Effect: 'Allow',
      Action: 'kms:*',
      Resource: `arn:aws:kms:*:${account}:key/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/stack': s.state.stack } },
    },
    {
      // Encryption with AWS managed keys (the ECR repository's aws/ecr) goes through the service.
      Sid: 'ManagedKeysThroughServices',
      Effect: 'Allow',
      Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:RetireGrant'],
      Resource: `arn:aws:kms:*:${account}:key/*`,
      Condition: { StringEquals: { 'kms:ViaService': `ecr.${region}.amazonaws.com` } },
    },
    {
      Sid: 'KeyAliases',
      Effect: 'Allow',
      Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      Resource: `arn:aws:kms:*:${account}:alias/${prefix}*`,
    },
    {
      Sid: 'RunnerConnection',
      Effect: 'Allow',
      Action: [
        'codeconnections:GetConnection',
        'codeconnections:GetConnectionToken',
        'codeconnections:ListTagsForResource', // the preflight reads it with its tags (config/github-connection.ts)
        'codeconnections:PassConnection',
        'codeconnections:UseConnection',
        // The preflight's data source calls the connection through the CodeStar Connections
        // endpoint (terraform-provider-aws codestarconnections/connection_data_source.go); AWS
        // keeps both service prefixes, so it may be authorized under the old one.
        'codestar-connections:GetConnection',
        'codestar-connections:ListTagsForResource',
      ],
      Resource: [s.githubConnectionArn, s.githubConnectionArn.replace(':codeconnections:', ':codestar-connections:')],
    },
    {
      Sid: 'RolesWithBoundary',
      Effect: 'Allow',
      Action: ROLE_POLICY_CHANGES,
      Resource: role(`${prefix}*`),
      Condition: { StringEquals: { 'iam:PermissionsBoundary': s.boundaryArn } },
    },
    {
      Sid: 'RolesOwn',
      Effect: 'Allow',
      Action: [
        'iam:DeleteRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
      ],
      Resource: role(`${prefix}*`),
    },
    {
      Sid: 'PassOwnRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: role(`${prefix}*`),
      Condition: {
        StringEquals: {
          'iam:PassedToService': [
            'backup.amazonaws.com',
            'codebuild.amazonaws.com',
            'ec2.amazonaws.com',
            'eks.amazonaws.com',
            'pods.eks.amazonaws.com',
            'vpc-flow-logs.amazonaws.com',
          ],
        },
      },
    },
    {
      Sid: 'ServiceLinkedRoles',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: `arn:aws:iam::${account}:role/aws-service-role/*`,
    },
    NO_ESCALATION_POLICIES,
  ];
}
