/**
 * The infra role's statements for the program's services (EKS, ECR, S3, the edge, DNS, logs,
 * alerts, backups, the runner project): each on the stack's own resources where AWS lets a
 * policy name them; one of the infra role's managed policies (lib/infra-policy.ts).
 */
import type { PolicyStatement } from './iam.js';
import type { InfraScope } from './infra-policy.js';

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

/** The program's services, each on the stack's own resources where AWS lets a policy name them. */
export function serviceStatements(s: InfraScope): PolicyStatement[] {
  const { accountId: account, namePrefix: prefix } = s;
  const region = s.state.region;
  const logGroups = [prefix, `/aws/eks/${prefix}`, `/aws/codebuild/${prefix}`].flatMap((group) => [
    `arn:aws:logs:*:${account}:log-group:${group}*`,
    `arn:aws:logs:*:${account}:log-group:${group}*:*`,
  ]);
  return [
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
    { Sid: 'Logs', Effect: 'Allow', Action: 'logs:*', Resource: logGroups },
    {
      Sid: 'Alerts',
      Effect: 'Allow',
      Action: ['sns:*', 'cloudwatch:*'],
      Resource: [`arn:aws:sns:*:${account}:${prefix}*`, `arn:aws:cloudwatch:*:${account}:alarm:${prefix}*`],
    },
    // The program declares no AWS Backup resources any more; stacks created before still hold a
    // plan and a selection (and, dev, a vault) that their next `up` deletes with these actions.
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
      // Aurora: the cluster, its instances, subnet group and final snapshot carry the stack's prefix;
      // the Data API statements of the user command (components/database.ts) run on the cluster.
      Sid: 'Database',
      Effect: 'Allow',
      Action: ['rds:*', 'rds-data:ExecuteStatement'],
      Resource: ['cluster', 'db', 'subgrp', 'cluster-snapshot'].map(
        (type) => `arn:aws:rds:${region}:${account}:${type}:${prefix}*`,
      ),
    },
    {
      // Creating a cluster or instance names the engine's default parameter and option groups.
      Sid: 'DatabaseDefaults',
      Effect: 'Allow',
      Action: ['rds:CreateDBCluster', 'rds:CreateDBInstance'],
      Resource: ['cluster-pg:default.*', 'pg:default.*', 'og:default:*'].map(
        (group) => `arn:aws:rds:${region}:${account}:${group}`,
      ),
    },
    {
      // The RDS-managed master secret (rds!cluster-<id>): RDS creates it in the caller's name, and
      // the user command reads it. Its value is encrypted with the stack's own key, which no role of
      // the other stack may use (KeysOwn, the boundary's OtherTagged): that key is the fence.
      Sid: 'DatabaseSecret',
      Effect: 'Allow',
      Action: [
        'secretsmanager:CreateSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:RotateSecret',
        'secretsmanager:TagResource',
      ],
      Resource: `arn:aws:secretsmanager:${region}:${account}:secret:rds!*`,
    },
    {
      Sid: 'Runner',
      Effect: 'Allow',
      Action: 'codebuild:*',
      Resource: `arn:aws:codebuild:${region}:${account}:project/${prefix}*`,
    },
  ];
}
