/** The AWS requests a job's steps make, from its capabilities (workflow-jobs.ts) and the stack's names. */
import { ACCOUNT } from '../mocks.js';
import type { DeclaredIam } from './declared.js';
import {
  ADMIN_ONLY,
  COMPONENT_CHILDREN,
  NO_AWS_CALLS,
  UP_ACTIONS,
  type Need,
  type StackNames,
} from './resource-actions.js';
import type { Capability, Stack } from './workflow-jobs.js';

export const REGION = 'eu-west-1';
export const STATE_BUCKET = `zumo-pulumi-state-${ACCOUNT}`;
const state = (key: string) => `arn:aws:s3:::${STATE_BUCKET}/${key}`;
const key = (alias: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${alias}`;
export const secretsKey = (stack: Stack) => key(`zumo-pulumi-secrets-${stack}`);
export const STATE_KEY = key('zumo-pulumi-state');
const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };

export const namesOf = (stack: Stack): StackNames => ({
  stack,
  prefix: `zumo-${stack}-`,
  account: ACCOUNT,
  region: REGION,
  imageRepository: `zumo/web-${stack}`,
  boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/zumo-${stack}-boundary`,
});

export const ECR_PUSH = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
  'ecr:DescribeImages',
];
export const ECR_PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];

/** Every AWS resource type `up` creates: the program's own and those inside packaged components. */
export function upTypes(declared: DeclaredIam): string[] {
  const expanded = declared.resourceTypes.flatMap((type) => [type, ...(COMPONENT_CHILDREN[type] ?? [])]);
  return [...new Set(expanded)].filter((type) => !NO_AWS_CALLS.test(type) && !ADMIN_ONLY.has(type)).sort();
}

export function stateReads(stack: Stack): Need[] {
  return [
    { action: 's3:ListBucket', resource: `arn:aws:s3:::${STATE_BUCKET}` },
    { action: 's3:GetObject', resource: state('.pulumi/meta.yaml') },
    { action: 's3:GetObject', resource: state(`.pulumi/stacks/zumo/${stack}.json`) },
    { action: 'kms:Decrypt', resource: STATE_KEY, context: viaS3 },
    { action: 'kms:Decrypt', resource: secretsKey(stack) },
  ];
}

export function stateWrites(stack: Stack): Need[] {
  return [
    { action: 's3:PutObject', resource: state(`.pulumi/stacks/zumo/${stack}.json`) },
    { action: 's3:PutObject', resource: state(`.pulumi/history/zumo/${stack}/zumo-1.history.json`) },
    { action: 's3:PutObject', resource: state(`.pulumi/locks/organization/zumo/${stack}/lock.json`) },
    { action: 's3:DeleteObject', resource: state(`.pulumi/locks/organization/zumo/${stack}/lock.json`) },
    { action: 'kms:GenerateDataKey', resource: STATE_KEY, context: viaS3 },
    { action: 'kms:Encrypt', resource: secretsKey(stack) },
  ];
}

/** What a refresh reads: for each service of the program, the reads the providers make on its resources. */
export function refreshReads(declared: DeclaredIam): Need[] {
  const r = declared.resources;
  const any = (...actions: string[]) => actions.map((action) => ({ action, resource: '*' }));
  const iamRole = declared.outputs.infraRoleArn;
  const eks = (path: string) => `arn:aws:eks:${REGION}:${ACCOUNT}:${path}`;
  return [
    ...any(
      'ec2:DescribeVpcs',
      'ec2:DescribeSubnets',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSecurityGroupRules',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:DescribeNatGateways',
      'ec2:DescribeVpcEndpoints',
      'ec2:DescribeFlowLogs',
      'ec2:DescribeAvailabilityZones',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTags',
      'acm:DescribeCertificate',
      'cloudwatch:DescribeAlarms',
      'logs:DescribeLogGroups',
      'sts:GetCallerIdentity',
      'kms:ListAliases',
      'wafv2:GetWebACL',
      'route53:GetHealthCheck',
      'route53:ListResourceRecordSets',
      'backup:DescribeBackupVault',
      'backup:GetBackupPlan',
      'backup:GetBackupSelection',
      'sns:GetTopicAttributes',
      'cloudfront:GetCachePolicy',
      'cloudfront:GetVpcOrigin',
      'cloudfront:GetOriginAccessControl',
    ),
    { action: 'eks:DescribeCluster', resource: eks(`cluster/${r.clusterName}`) },
    { action: 'eks:DescribeNodegroup', resource: eks(`nodegroup/${r.clusterName}/data/1`) },
    { action: 'eks:DescribeAddon', resource: eks(`addon/${r.clusterName}/coredns/1`) },
    { action: 'eks:DescribeAccessEntry', resource: eks(`access-entry/${r.clusterName}/role/${ACCOUNT}/x/1`) },
    { action: 'iam:GetRole', resource: iamRole },
    { action: 'iam:GetRolePolicy', resource: iamRole },
    { action: 'iam:ListAttachedRolePolicies', resource: iamRole },
    { action: 's3:GetBucketPolicy', resource: r.siteBucketArn },
    { action: 's3:GetBucketVersioning', resource: r.siteBucketArn },
    { action: 's3:GetEncryptionConfiguration', resource: r.siteBucketArn },
    { action: 's3:GetLifecycleConfiguration', resource: r.siteBucketArn },
    { action: 's3:ListBucket', resource: r.siteBucketArn },
    { action: 'cloudfront:GetDistribution', resource: r.distributionArn },
    { action: 'ecr:DescribeRepositories', resource: r.repositoryArn },
    { action: 'ecr:GetLifecyclePolicy', resource: r.repositoryArn },
    { action: 'kms:DescribeKey', resource: secretsKey(declared.stack) },
    { action: 'kms:GetKeyPolicy', resource: secretsKey(declared.stack) },
    {
      action: 'codebuild:BatchGetProjects',
      resource: `arn:aws:codebuild:${REGION}:${ACCOUNT}:project/${r.runnerProject}`,
    },
  ];
}

/**
 * The AWS requests behind each provider function the program calls: every preview and up runs
 * them, so a new lookup without its permission fails here (mocks answer any call they know).
 * Sources: the AWS provider's data sources (pulumi-aws / terraform-provider-aws internal/service).
 */
export const INVOKE_ACTIONS: Record<string, string[]> = {
  'aws:index/getRegion:getRegion': [], // resolved from the provider's configuration, no request
  'aws:index/getCallerIdentity:getCallerIdentity': ['sts:GetCallerIdentity'],
  'aws:index/getAvailabilityZones:getAvailabilityZones': ['ec2:DescribeAvailabilityZones'],
  'aws:ec2/getManagedPrefixList:getManagedPrefixList': [
    'ec2:DescribeManagedPrefixLists',
    'ec2:GetManagedPrefixListEntries',
  ],
  'aws:kms/getAlias:getAlias': ['kms:ListAliases'],
  // The runner's quota preflight (config/runner-quota.ts): GetServiceQuota, and the default when
  // the account has no applied value (internal/service/servicequotas/service_quota_data_source.go).
  'aws:servicequotas/getServiceQuota:getServiceQuota': [
    'servicequotas:GetServiceQuota',
    'servicequotas:GetAWSDefaultServiceQuota',
  ],
  // The connection preflight (config/github-connection.ts): the data source calls GetConnection and
  // ListTagsForResource (internal/service/codestarconnections/connection_data_source.go); the
  // connection bootstrap creates is a codeconnections one, and AWS matches the policy's service
  // prefix to the resource's (Developer Tools console guide, "Connections rename").
  // Which prefix AWS authorizes a call to the old endpoint under is not documented: both must pass.
  'aws:codestarconnections/getConnection:getConnection': [
    'codeconnections:GetConnection',
    'codeconnections:ListTagsForResource',
    'codestar-connections:GetConnection',
    'codestar-connections:ListTagsForResource',
  ],
};

export function invokeReads(declared: DeclaredIam): Need[] {
  return declared.invokes.flatMap(({ token, resource }) => {
    const actions = INVOKE_ACTIONS[token];
    if (!actions) throw new Error(`${token}: the program calls it but INVOKE_ACTIONS lists no actions for it`);
    // An action is judged on the resource under its own service prefix (the connection's two names).
    return actions.map((action) => ({
      action,
      resource: action.startsWith('codestar-connections:')
        ? resource.replace(':codeconnections:', ':codestar-connections:')
        : resource,
    }));
  });
}

/** The requests behind one capability, for the stack(s) it names. */
export function requestsFor(c: Capability, declared: Record<Stack, DeclaredIam>): Need[] {
  const login = { action: 'ecr:GetAuthorizationToken', resource: '*' };
  switch (c.kind) {
    case 'image-push':
      return [login, ...ECR_PUSH.map((action) => ({ action, resource: declared[c.stack].resources.repositoryArn }))];
    case 'image-copy':
      return [
        login,
        ...ECR_PULL.map((action) => ({ action, resource: declared[c.from].resources.repositoryArn })),
        ...ECR_PUSH.map((action) => ({ action, resource: declared[c.to].resources.repositoryArn })),
      ];
    case 'page-sync': {
      const r = declared[c.stack].resources;
      return [
        { action: 's3:ListBucket', resource: r.siteBucketArn },
        ...['s3:PutObject', 's3:DeleteObject', 's3:GetObject'].map((action) => ({
          action,
          resource: `${r.siteBucketArn}/assets/app-1234abcd.js`,
        })),
        { action: 'cloudfront:CreateInvalidation', resource: r.distributionArn },
      ];
    }
    case 'report-upload':
      return [
        {
          action: 's3:PutObject',
          resource: `${declared[c.stack].resources.reportsBucketArn}/test-reports/abc1234/index.html`,
        },
      ];
    case 'state-history':
      // `pulumi stack history` lists and reads the stack's update records (infra-order.sh).
      return [
        { action: 's3:ListBucket', resource: `arn:aws:s3:::${STATE_BUCKET}` },
        { action: 's3:GetObject', resource: state('.pulumi/meta.yaml') },
        { action: 's3:GetObject', resource: state(`.pulumi/history/zumo/${c.stack}/zumo-1.history.json`) },
      ];
    case 'pulumi': {
      const d = declared[c.stack];
      const reads = [...stateReads(c.stack), ...invokeReads(d), ...(c.refresh ? refreshReads(d) : [])];
      if (c.command !== 'up') return reads;
      return [...reads, ...stateWrites(c.stack), ...upTypes(d).flatMap((type) => needsOf(type, namesOf(c.stack)))];
    }
  }
}

export function needsOf(type: string, names: StackNames): Need[] {
  const build = UP_ACTIONS[type];
  if (!build) throw new Error(`${type}: the program declares it but resource-actions.ts lists no actions for it`);
  return build(names);
}
