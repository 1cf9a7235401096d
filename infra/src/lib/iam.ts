/**
 * IAM documents as pure functions (tested without mocks). CI roles trust GitHub's OIDC tokens only
 * for exact subjects of one repository; every permission names its resource where AWS allows.
 */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** The OIDC subjects each CI role accepts, pinned to the repository (exact match, no wildcards). */
export function githubSubjects(repository: string) {
  return {
    /** Pushes to main only: a branch or fork cannot release. */
    release: [`repo:${repository}:ref:refs/heads/main`],
    /**
     * Pull requests of this repository (forks get no OIDC token for it by default), and the nightly
     * drift job, which runs in its own `drift` environment so no other main-branch job gets this role.
     */
    preview: [`repo:${repository}:pull_request`, `repo:${repository}:environment:drift`],
    /** `pulumi up`: dev from main, prod only from jobs in the protected `prod` environment. */
    infra: [`repo:${repository}:ref:refs/heads/main`, `repo:${repository}:environment:prod`],
  };
}

export function githubTrustPolicy(providerArn: string, subjects: readonly string[]) {
  return {
    Version: '2012-10-17' as const,
    Statement: [
      {
        Effect: 'Allow' as const,
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0]! : [...subjects],
          },
        },
      },
    ],
  };
}

export interface ReleaseResources {
  repositoryArn: string;
  siteBucketArn: string;
  distributionArn: string;
  reportsBucketArn: string;
  reportsPrefix: string;
}

/** Release: push this image repository, sync this bucket, invalidate this distribution, write reports. */
export function releasePolicy(r: ReleaseResources): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      // GetAuthorizationToken has no resource-level permissions: AWS requires "*" here.
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'EcrPush',
        Effect: 'Allow',
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
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
      {
        Sid: 'Reports',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: `${r.reportsBucketArn}/${r.reportsPrefix}*`,
      },
    ],
  };
}

export interface StateResources {
  stateBucketArn: string;
  secretsKeyArn: string;
}

/** Preview: what `pulumi preview` needs on the state backend (read state, take and drop its lock). */
export function previewStatePolicy(s: StateResources): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'StateList', Effect: 'Allow', Action: 's3:ListBucket', Resource: s.stateBucketArn },
      { Sid: 'StateRead', Effect: 'Allow', Action: 's3:GetObject', Resource: `${s.stateBucketArn}/*` },
      {
        Sid: 'StateLocks',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: `${s.stateBucketArn}/.pulumi/locks/*`,
      },
      { Sid: 'Secrets', Effect: 'Allow', Action: 'kms:Decrypt', Resource: s.secretsKeyArn },
    ],
  };
}

/**
 * Infra (`pulumi up`): full control of the services this program manages, and of the state.
 * Service-wide actions are unavoidable for a program that creates new resources with generated
 * names; there is no `*` action, and IAM is limited to what the program creates.
 */
export function infraPolicy(s: StateResources): PolicyDocument {
  const services = [
    'acm',
    'autoscaling',
    'backup',
    'cloudfront',
    'cloudwatch',
    'ec2',
    'ecr',
    'eks',
    'elasticloadbalancing',
    'kms',
    'logs',
    'route53',
    's3',
    'sns',
    'ssm',
    'wafv2',
  ];
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ManagedServices', Effect: 'Allow', Action: services.map((s) => `${s}:*`), Resource: '*' },
      {
        Sid: 'Iam',
        Effect: 'Allow',
        Action: [
          'iam:*Role*',
          'iam:*Policy*',
          'iam:*OpenIDConnectProvider*',
          'iam:PassRole',
          'iam:CreateServiceLinkedRole',
          'iam:Get*',
          'iam:List*',
          'iam:TagRole',
          'iam:UntagRole',
        ],
        Resource: '*',
      },
      {
        Sid: 'State',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: [s.stateBucketArn, `${s.stateBucketArn}/*`],
      },
      {
        Sid: 'Secrets',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: s.secretsKeyArn,
      },
    ],
  };
}

/** True when a statement grants every action on every resource (what no policy here may do). */
export function grantsEverything(statement: PolicyStatement): boolean {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  return statement.Effect === 'Allow' && list(statement.Action).includes('*') && list(statement.Resource).includes('*');
}

/** Trust for EKS Pod Identity: the cluster's pod identity agent assumes the role for a service account. */
export function podIdentityTrustPolicy() {
  return {
    Version: '2012-10-17' as const,
    Statement: [
      {
        Effect: 'Allow' as const,
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ],
  };
}
