/**
 * The infra role (`pulumi up` of one stack): every action the program's resource types need, on
 * the stack's own resources wherever AWS lets a policy name them (the `zumo-<stack>-` prefix of
 * every physical name, the stack's image repository, KMS keys tagged with the stack, its Route 53
 * zone). EC2 and load balancing by the stack tag (lib/network-policy.ts). CloudFront, ACM and
 * Route 53 health checks, whose resources have generated ids and no usable tag condition at
 * creation, are granted by action; the permissions boundary denies them on the other stack's
 * tagged resources. IAM: only roles named for the stack, only with the stack's boundary; the boundary
 * keeps every role of the stack, this one included, off the CI identities (lib/boundary.ts).
 */
import type { PolicyDocument, PolicyStatement } from './iam.js';
import { stateStatements, type StateBackend } from './state-access.js';
import { networkStatements } from './network-policy.js';

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
  'route53:Get*',
  'route53:List*',
  's3:GetBucketLocation',
  's3:ListAllMyBuckets',
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

/** EKS resource types, each named by its cluster: cluster/<name>, nodegroup/<name>/..., ... */
export const EKS_RESOURCE_TYPES = [
  'access-entry',
  'addon',
  'cluster',
  'fargateprofile',
  'identityproviderconfig',
  'nodegroup',
  'podidentityassociation',
];
export const eksArns = (region: string, account: string, clusterPrefix: string) =>
  EKS_RESOURCE_TYPES.map((type) => `arn:aws:eks:${region}:${account}:${type}/${clusterPrefix}*`);

export function infraPolicy(s: InfraScope): PolicyDocument {
  const { accountId: account, namePrefix: prefix } = s;
  const region = s.state.region;
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
  const logGroups = [prefix, `/aws/eks/${prefix}`, `/aws/codebuild/${prefix}`].flatMap((group) => [
    `arn:aws:logs:*:${account}:log-group:${group}*`,
    `arn:aws:logs:*:${account}:log-group:${group}*:*`,
  ]);
  return {
    Version: '2012-10-17',
    Statement: [
      ...stateStatements(s.state, 'write'),
      { Sid: 'Read', Effect: 'Allow', Action: READS, Resource: '*' },
      ...networkStatements({ stack: s.state.stack, region, account, clusterName: s.clusterName }),
      // Every EKS ARN names its cluster right after the resource type: cluster/<name>, nodegroup/<name>/...
      { Sid: 'Cluster', Effect: 'Allow', Action: 'eks:*', Resource: eksArns(`${region}`, account, prefix) },
      {
        // CreateCluster has no resource-level permission: the cluster's stack tag is the scope.
        Sid: 'ClusterCreate',
        Effect: 'Allow',
        Action: 'eks:CreateCluster',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/stack': s.state.stack } },
      },
      {
        Sid: 'Registry',
        Effect: 'Allow',
        Action: 'ecr:*',
        Resource: `arn:aws:ecr:${region}:${account}:repository/${s.imageRepository}`,
      },
      {
        Sid: 'Buckets',
        Effect: 'Allow',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${prefix}*`, `arn:aws:s3:::${prefix}*/*`],
      },
      {
        Sid: 'Edge',
        Effect: 'Allow',
        Action: ['acm:*', 'cloudfront:*'],
        Resource: '*',
      },
      {
        Sid: 'Firewall',
        Effect: 'Allow',
        Action: 'wafv2:*',
        Resource: [
          `arn:aws:wafv2:us-east-1:${account}:global/*/${prefix}*/*`,
          `arn:aws:wafv2:us-east-1:*:global/managedruleset/*/*`,
        ],
      },
      // Route 53 has no tag conditions: records only in the stack's own zone (when it has a
      // domain); health checks have generated ids only (docs/delivery.md, what IAM cannot fence).
      ...(s.hostedZoneId
        ? [
            {
              Sid: 'Dns',
              Effect: 'Allow' as const,
              Action: ['route53:ChangeResourceRecordSets', 'route53:ChangeTagsForResource'],
              Resource: `arn:aws:route53:::hostedzone/${s.hostedZoneId}`,
            },
          ]
        : []),
      {
        // Interface endpoints with private DNS associate the VPC with the service's AWS-owned
        // private hosted zone in the caller's name (a dependent action of ec2:CreateVpcEndpoint).
        Sid: 'EndpointPrivateDns',
        Effect: 'Allow',
        Action: 'route53:AssociateVPCWithHostedZone',
        Resource: 'arn:aws:route53:::hostedzone/*',
      },
      {
        Sid: 'Uptime',
        Effect: 'Allow',
        Action: ['route53:ChangeTagsForResource', 'route53:DeleteHealthCheck', 'route53:UpdateHealthCheck'],
        Resource: 'arn:aws:route53:::healthcheck/*',
      },
      // No resource-level permission: a health check gets its tags only after it exists.
      { Sid: 'UptimeCreate', Effect: 'Allow', Action: 'route53:CreateHealthCheck', Resource: '*' },
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
      { Sid: 'Logs', Effect: 'Allow', Action: 'logs:*', Resource: logGroups },
      {
        Sid: 'Alerts',
        Effect: 'Allow',
        Action: ['sns:*', 'cloudwatch:*'],
        Resource: [`arn:aws:sns:*:${account}:${prefix}*`, `arn:aws:cloudwatch:*:${account}:alarm:${prefix}*`],
      },
      {
        Sid: 'Backups',
        Effect: 'Allow',
        Action: 'backup:*',
        Resource: [
          `arn:aws:backup:${region}:${account}:backup-vault:${prefix}*`,
          `arn:aws:backup:${region}:${account}:backup-plan:*`,
        ],
      },
      // Creating a vault mounts its storage capsule: a service prefix of its own, no resource ARN.
      { Sid: 'BackupStorage', Effect: 'Allow', Action: 'backup-storage:MountCapsule', Resource: '*' },
      {
        Sid: 'Runner',
        Effect: 'Allow',
        Action: 'codebuild:*',
        Resource: `arn:aws:codebuild:${region}:${account}:project/${prefix}*`,
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
    ],
  };
}
