/**
 * The permissions boundary of one stack (created once per account by infra/bootstrap, attached to
 * every role the stack creates, CI roles included). Within it a role may do what its own policies
 * allow, in the services the program uses (BOUNDARY_SERVICES), except:
 * - touch another stack's resources (their `stack` tag, their `zumo-<stack>-` names, their
 *   cluster's tags, their state objects); prod may only read dev's images, to promote them;
 * - change the roles GitHub jobs and the CI runner use (CI_IDENTITY_KINDS): no role the stack
 *   creates, however it was written, can widen a CI identity; an admin's `up` changes them;
 * - create or change a role without this boundary, remove a boundary, or change any boundary;
 * - write any customer-managed policy (the infra role's are the CI identity's: components/ci-identity.ts)
 *   or attach one to a role: an admin's `up` creates and attaches them;
 * - attach an escalation policy (AdministratorAccess and friends);
 * - change what bootstrap owns: the GitHub OIDC provider and connection, the state bucket's
 *   settings, the state and secrets keys' lifecycle.
 * CI cannot alter the boundary (it lives in the bootstrap project, applied by an admin). What it
 * cannot cap: the trust policy of a role the infra role creates (IAM has no condition key for it);
 * such a role still gets no more than this boundary (docs/delivery.md).
 */
import { CI_ROLES, type PolicyDocument, type PolicyStatement } from './iam.js';
import { ESCALATION_POLICIES, NO_ESCALATION_POLICIES, ROLE_POLICY_CHANGES } from './infra-policy.js';
import { eksArns } from './infra-services.js';
import { ECR_PULL } from './ci-policies.js';
import { stateObjectArns } from './state-access.js';

export interface BoundaryScope {
  readonly stack: string;
  /** Every stack of the account (the boundary fences the others off). */
  readonly stacks: readonly string[];
  readonly accountId: string;
  readonly project: string;
  readonly stateBucketName: string;
  /** Repository name of a stack's images, e.g. zumo/web-dev */
  readonly imageRepository: (stack: string) => string;
  /** Stacks whose images this stack may pull to promote them (prod: dev). */
  readonly promotesFrom?: readonly string[];
}

export const boundaryName = (project: string, stack: string) => `${project}-${stack}-boundary`;

/**
 * The stacks one account's bootstrap supports: each boundary fences every other stack by name and
 * tag, so it grows with their number and their names' length. Two stacks of up to ten characters
 * keep each boundary 10% under IAM's 6,144 characters for a managed policy with a 63-character
 * state bucket (identity-iam-size.test.ts measures it); a third stack belongs in an account
 * of its own (docs/delivery.md, "IAM size limits").
 */
export const MAX_ACCOUNT_STACKS = 2;
const STACK_NAME = /^[a-z][a-z0-9-]{0,9}$/;

/** The stack list bootstrap's `stacks` config gives, checked against what a boundary can hold. */
export function accountStacks(value: unknown): string[] {
  const example = 'a list of one or two stack names such as ["dev","prod"]';
  if (!Array.isArray(value) || value.length === 0)
    throw new Error(`zumo-bootstrap:stacks must be ${example}, got ${JSON.stringify(value)}`);
  const bad = value.filter((s) => typeof s !== 'string' || !STACK_NAME.test(s));
  if (bad.length)
    throw new Error(
      `zumo-bootstrap:stacks: ${bad.map((s) => JSON.stringify(s)).join(', ')} is not a stack name ` +
        `(lowercase letters, digits and '-', starting with a letter, at most 10 characters)`,
    );
  if (new Set(value).size !== value.length)
    throw new Error(`zumo-bootstrap:stacks names a stack twice: ${JSON.stringify(value)}`);
  if (value.length > MAX_ACCOUNT_STACKS)
    throw new Error(
      `zumo-bootstrap:stacks: at most ${MAX_ACCOUNT_STACKS} stacks per account, got ${value.length}: each ` +
        `boundary fences every other stack and would outgrow IAM's 6,144 characters; put a further stack ` +
        `in an account of its own (docs/delivery.md, "IAM size limits")`,
    );
  return value as string[];
}

/** Tags that keys owned by bootstrap carry: their lifecycle is an admin's. */
export const BOOTSTRAP_KEY_PURPOSES = ['pulumi-state', 'pulumi-secrets'];

/**
 * The services the roles of a stack use: the program's own resource types (infra role), what
 * its CI jobs call, and what the AWS managed and published policies of its workload roles need
 * (EKS cluster and nodes, VPC CNI, EBS CSI, the load balancer controller, AWS Backup for EBS).
 * IAM is capped separately (own roles only). identity-followup.test.ts fails when a declared
 * role's policy allows a service missing here that is not listed as unused.
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
  'cognito-idp',
  'ebs',
  'ec2',
  'ecr',
  'eks',
  'eks-auth',
  'elasticloadbalancing',
  'kms',
  'logs',
  'route53',
  's3',
  'shield',
  'sns',
  'sts',
  'tag',
  'waf-regional',
  'wafv2',
];

/** The roles GitHub jobs assume and the CI runner's: `zumo-<stack>-<kind>-<suffix>`. */
export const CI_IDENTITY_KINDS = [...CI_ROLES, 'runner'];
/** What a role may still do to a CI identity: read it, and pass the runner's role to CodeBuild. */
const CI_IDENTITY_READS = ['iam:Get*', 'iam:List*', 'iam:PassRole'];

export function boundaryPolicy(b: BoundaryScope): PolicyDocument {
  const account = b.accountId;
  const others = b.stacks.filter((s) => s !== b.stack);
  const prefix = (stack: string) => `${b.project}-${stack}-`;
  const ownBoundary = `arn:aws:iam::${account}:policy/${boundaryName(b.project, b.stack)}`;
  const promotionReads = [...ECR_PULL, 'ecr:DescribeImages'];
  const otherDeny = (stack: string): PolicyStatement[] => {
    // Prod promotes dev's images: reading them is the one thing it may do on dev.
    const readsAllowed = b.promotesFrom?.includes(stack) ? { NotAction: promotionReads } : { Action: '*' };
    const p = prefix(stack);
    return [
      {
        Sid: `Not${stack}Tagged`,
        Effect: 'Deny',
        ...readsAllowed,
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/stack': stack } },
      },
      {
        Sid: `Not${stack}Cluster`,
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:ResourceTag/aws:eks:cluster-name': `${p}*` } },
      },
      {
        // The VPC CNI's network interfaces carry their cluster's name, not the stack tag.
        Sid: `Not${stack}PodInterfaces`,
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': `${p}*` } },
      },
      {
        Sid: `NoNew${stack}Resources`,
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/stack': stack } },
      },
      {
        Sid: `Not${stack}Named`,
        Effect: 'Deny',
        Action: '*',
        Resource: [
          `arn:aws:iam::${account}:role/${p}*`,
          `arn:aws:iam::${account}:policy/${p}*`,
          `arn:aws:s3:::${p}*`,
          `arn:aws:s3:::${p}*/*`,
          ...eksArns('*', account, p),
          `arn:aws:logs:*:${account}:log-group:${p}*`,
          `arn:aws:logs:*:${account}:log-group:/aws/eks/${p}*`,
          `arn:aws:logs:*:${account}:log-group:/aws/codebuild/${p}*`,
          `arn:aws:sns:*:${account}:${p}*`,
          `arn:aws:cloudwatch:*:${account}:alarm:${p}*`,
          `arn:aws:codebuild:*:${account}:project/${p}*`,
          `arn:aws:backup:*:${account}:backup-vault:${p}*`,
          `arn:aws:wafv2:*:${account}:global/*/${p}*/*`,
          ...stateObjectArns(b.stateBucketName, b.project, stack),
        ],
      },
      {
        Sid: `Not${stack}Images`,
        Effect: 'Deny',
        ...readsAllowed,
        Resource: `arn:aws:ecr:*:${account}:repository/${b.imageRepository(stack)}`,
      },
    ];
  };
  return {
    Version: '2012-10-17',
    Statement: [
      // A boundary only caps: what a role may really do is what its own policies grant.
      {
        Sid: 'CapServices',
        Effect: 'Allow',
        Action: BOUNDARY_SERVICES.map((service) => `${service}:*`),
        Resource: '*',
      },
      { Sid: 'CapIamRead', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
      {
        // Roles only: no role of a stack writes a customer-managed policy (the CI identity's).
        Sid: 'CapIamOwn',
        Effect: 'Allow',
        Action: 'iam:*',
        Resource: [
          `arn:aws:iam::${account}:role/${prefix(b.stack)}*`,
          `arn:aws:iam::${account}:role/aws-service-role/*`,
        ],
      },
      {
        Sid: 'NoRoleWithoutThisBoundary',
        Effect: 'Deny',
        Action: ROLE_POLICY_CHANGES,
        Resource: '*',
        Condition: { StringNotEquals: { 'iam:PermissionsBoundary': ownBoundary } },
      },
      { Sid: 'NoBoundaryRemoval', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
      {
        // The identities GitHub jobs obtain change only through an admin: no role widens them.
        Sid: 'NotTheCiIdentities',
        Effect: 'Deny',
        NotAction: CI_IDENTITY_READS,
        Resource: CI_IDENTITY_KINDS.map((kind) => `arn:aws:iam::${account}:role/${prefix(b.stack)}${kind}*`),
      },
      {
        Sid: 'NoBoundaryChange',
        Effect: 'Deny',
        Action: [
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:DeletePolicyVersion',
          'iam:SetDefaultPolicyVersion',
          'iam:TagPolicy',
          'iam:UntagPolicy',
        ],
        Resource: b.stacks.map((stack) => `arn:aws:iam::${account}:policy/${boundaryName(b.project, stack)}`),
      },
      {
        // The stack's roles attach AWS managed policies only: a customer-managed one (the infra
        // role's) on a role someone else may assume would hand out a CI identity's rights.
        ...NO_ESCALATION_POLICIES,
        Condition: { ArnLike: { 'iam:PolicyARN': [...ESCALATION_POLICIES, `arn:aws:iam::${account}:policy/*`] } },
      },
      {
        Sid: 'NotBootstrapIdentity',
        Effect: 'Deny',
        Action: [
          'iam:*OpenIDConnectProvider*',
          'codeconnections:DeleteConnection',
          'codeconnections:UpdateConnection*',
          'codestar-connections:DeleteConnection',
          'codebuild:DeleteSourceCredentials',
          'codebuild:ImportSourceCredentials',
        ],
        Resource: '*',
      },
      {
        Sid: 'NotBootstrapBucket',
        Effect: 'Deny',
        Action: [
          's3:DeleteBucket*',
          's3:PutBucket*',
          's3:PutEncryptionConfiguration',
          's3:PutLifecycleConfiguration',
          's3:PutReplicationConfiguration',
        ],
        Resource: `arn:aws:s3:::${b.stateBucketName}`,
      },
      {
        Sid: 'NotBootstrapKeys',
        Effect: 'Deny',
        Action: [
          'kms:CancelKeyDeletion',
          'kms:CreateGrant',
          'kms:DeleteAlias',
          'kms:DisableKey',
          'kms:DisableKeyRotation',
          'kms:PutKeyPolicy',
          'kms:ScheduleKeyDeletion',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:UpdateAlias',
        ],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/purpose': BOOTSTRAP_KEY_PURPOSES } },
      },
      ...others.flatMap(otherDeny),
    ],
  };
}
