/**
 * The CI roles' permissions (pure functions, evaluated in tests by a real IAM policy evaluator):
 * release pushes and publishes one stack's artifacts, preview reads, infra runs `pulumi up` on the
 * stack's own resources. What keeps one stack from the other is the permissions boundary of
 * infra/bootstrap (lib/boundary.ts), which these roles cannot change.
 */
import type { PolicyDocument, PolicyStatement } from './iam.js';
import { stateObjectArns, stateStatements, type StateBackend } from './state-access.js';

export interface ReleaseResources {
  repositoryArn: string;
  siteBucketArn: string;
  distributionArn: string;
  /** Where ci's test reports are kept (dev only). */
  reportsBucketArn?: string | undefined;
  reportsPrefix?: string;
  /** The registry a promotion copies from (prod: dev's repository), read-only. */
  promotionSourceRepositoryArn?: string | undefined;
}

/** ECR actions a registry-to-registry copy (docker buildx imagetools create) makes on its source. */
export const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** Release: push (and pull) this image repository, sync this bucket, invalidate this distribution. */
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
    { Sid: 'SiteList', Effect: 'Allow', Action: 's3:ListBucket', Resource: r.siteBucketArn },
    {
      Sid: 'SiteWrite',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${r.siteBucketArn}/*`,
    },
    {
      Sid: 'Invalidate',
      Effect: 'Allow',
      Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
      Resource: r.distributionArn,
    },
  ];
  if (r.promotionSourceRepositoryArn)
    statements.push({
      Sid: 'PromotionSource',
      Effect: 'Allow',
      Action: [...ECR_PULL, 'ecr:DescribeImages'],
      Resource: r.promotionSourceRepositoryArn,
    });
  if (r.reportsBucketArn)
    statements.push({
      Sid: 'Reports',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `${r.reportsBucketArn}/${r.reportsPrefix ?? ''}*`,
    });
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * Reads that return data rather than configuration. The preview role keeps AWS's ReadOnlyAccess
 * (complete for what the providers read during a preview or refresh) minus these: a pull request
 * runs with the dev preview role, and must see configuration, not contents.
 */
export const DATA_READS = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'logs:FilterLogEvents',
  'logs:GetLogEvents',
  'logs:GetLogRecord',
  'logs:GetQueryResults',
  'logs:StartLiveTail',
  'logs:StartQuery',
  'secretsmanager:GetSecretValue',
];

/** Preview: read the stack's state and secrets; no object or data reads elsewhere. */
export function previewPolicy(s: StateBackend): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      ...stateStatements(s, 'read'),
      {
        Sid: 'NoObjectReadsOutsideTheState',
        Effect: 'Deny',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        NotResource: [
          `arn:aws:s3:::${s.bucketName}/.pulumi/meta.yaml`,
          ...stateObjectArns(s.bucketName, s.project, s.stack),
        ],
      },
      { Sid: 'NoDataReads', Effect: 'Deny', Action: DATA_READS, Resource: '*' },
    ],
  };
}
