/**
 * The CI roles' permissions (pure functions, evaluated in tests by a real IAM policy evaluator):
 * release pushes one stack's images, publish its page, preview reads, infra runs `pulumi up` on
 * the stack's own resources. What keeps one stack from the other is the permissions boundary of
 * infra/bootstrap (lib/boundary.ts), which these roles cannot change.
 */
import type { PolicyDocument, PolicyStatement } from './iam.js';
import { stateObjectArns, stateStatements, type StateBackend } from './state-access.js';

export interface ReleaseResources {
  repositoryArn: string;
  /** The registry a promotion copies from (prod: dev's repository), read-only. */
  promotionSourceRepositoryArn?: string | undefined;
}

export interface PublishResources {
  siteBucketArn: string;
  distributionArn: string;
  /** Where ci's test reports are kept (dev only). */
  reportsBucketArn?: string | undefined;
  reportsPrefix?: string;
}

/** ECR actions a registry-to-registry copy (docker buildx imagetools create) makes on its source. */
export const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** Release: push (and pull) this image repository; prod also reads dev's, to promote. Nothing else. */
export function releasePolicy(r: ReleaseResources): PolicyDocument {
  const statements: PolicyStatement[] = [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*" here.
    { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'EcrPushPull',
      Effect: 'Allow',
      Action: [
        ...ECR_PULL,
        'ecr:CompleteLayerUpload',
        'ecr:DescribeImages',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ],
      Resource: r.repositoryArn,
    },
  ];
  if (r.promotionSourceRepositoryArn)
    statements.push({
      Sid: 'PromotionSource',
      Effect: 'Allow',
      Action: [...ECR_PULL, 'ecr:DescribeImages'],
      Resource: r.promotionSourceRepositoryArn,
    });
  return { Version: '2012-10-17', Statement: statements };
}

/** Publish: sync this bucket, invalidate this distribution; dev also keeps ci's test reports. No images. */
export function publishPolicy(p: PublishResources): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: 'SiteList', Effect: 'Allow', Action: 's3:ListBucket', Resource: p.siteBucketArn },
    {
      Sid: 'SiteWrite',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${p.siteBucketArn}/*`,
    },
    {
      Sid: 'Invalidate',
      Effect: 'Allow',
      Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
      Resource: p.distributionArn,
    },
  ];
  if (p.reportsBucketArn)
    statements.push({
      Sid: 'Reports',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `${p.reportsBucketArn}/${p.reportsPrefix ?? ''}*`,
    });
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * What `pulumi preview` and `refresh` read: the configuration of the services the program uses,
 * on any resource (a preview reads what exists before it knows ids). A service list instead of
 * AWS's ReadOnlyAccess, which reads every service of the account and data with it (parameters,
 * function code, queue messages, table items): the dev preview role runs pull requests' code.
 */
export const PREVIEW_READS = [
  ...['acm', 'backup', 'cloudfront', 'ec2', 'ecr', 'eks', 'iam', 'kms', 'rds', 'route53', 's3', 'sns', 'wafv2'].flatMap(
    (service) => [`${service}:Describe*`, `${service}:Get*`, `${service}:List*`],
  ),
  // Alarms and log groups: their configuration, not the metrics or the events.
  'cloudwatch:Describe*',
  'cloudwatch:List*',
  'elasticloadbalancing:Describe*',
  'logs:Describe*',
  'logs:ListTagsForResource',
  'logs:ListTagsLogGroup',
  'codeconnections:GetConnection', // with its tags: the connection preflight (config/github-connection.ts)
  'codeconnections:ListConnections',
  'codeconnections:ListTagsForResource',
  // The same reads under the old prefix: the preflight's data source calls the CodeStar Connections endpoint.
  'codestar-connections:GetConnection',
  'codestar-connections:ListTagsForResource',
  // The runner's quota preflight (config/runner-quota.ts).
  'servicequotas:GetAWSDefaultServiceQuota',
  'servicequotas:GetServiceQuota',
  'sts:GetCallerIdentity',
];

/**
 * Reads inside those services that return data rather than configuration, denied to the preview
 * role: a pull request runs with the dev preview role and must see configuration, not contents.
 */
export const DATA_READS = [
  'ec2:GetConsoleOutput',
  'ec2:GetConsoleScreenshot',
  'ec2:GetLaunchTemplateData',
  'ec2:GetPasswordData',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'logs:FilterLogEvents',
  'logs:GetLogEvents',
  'logs:GetLogObject',
  'logs:GetLogRecord',
  'logs:GetQueryResults',
  'logs:StartLiveTail',
  'logs:StartQuery',
  'secretsmanager:GetSecretValue',
  'wafv2:GetSampledRequests',
];

/** Preview: read the stack's state and secrets and the program's configuration; no object or data reads. */
export function previewPolicy(s: StateBackend, namePrefix: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      ...stateStatements(s, 'read'),
      { Sid: 'ProgramConfiguration', Effect: 'Allow', Action: PREVIEW_READS, Resource: '*' },
      {
        // Project configurations hold plain-text environment variables: this stack's runner only.
        Sid: 'OwnRunnerProject',
        Effect: 'Allow',
        Action: ['codebuild:BatchGetProjects', 'codebuild:ListProjects'],
        Resource: `arn:aws:codebuild:${s.region}:*:project/${namePrefix}*`,
      },
      {
        Sid: 'NoObjectReadsOutsideTheState',
        Effect: 'Deny',
        Action: 's3:GetObject*',
        NotResource: [
          `arn:aws:s3:::${s.bucketName}/.pulumi/meta.yaml`,
          ...stateObjectArns(s.bucketName, s.project, s.stack),
        ],
      },
      { Sid: 'NoDataReads', Effect: 'Deny', Action: DATA_READS, Resource: '*' },
    ],
  };
}
