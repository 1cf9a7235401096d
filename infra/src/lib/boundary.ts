/**
 * The permissions boundary of one stack (created once per account by infra/bootstrap, attached to
 * every role the stack creates, CI roles included). Within it a role may do what its own policies
 * allow, capped (lib/boundary-caps.ts) to the services the program uses and, where ARNs can name
 * them, to the stack's own: its roles (STS, IAM), its image repository (no registry settings), its
 * cluster and log groups, DNS records under its own domain; the services whose objects cannot be
 * told apart (CloudFront's policies, Route 53 health checks, the account's buckets, topics,
 * projects, the GitHub connection, key and backup lifecycle) only for its CI identities; no
 * account-wide setting. And it may never:
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
import { ECR_PULL } from './ci-policies.js';
import { ACCOUNT_SETTINGS, capStatements } from './boundary-caps.js';

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
  /** Each stack's DNS domain, for the stacks that have one (bootstrap's stackDomains). */
  readonly domains?: Readonly<Record<string, string>>;
}

export const boundaryName = (project: string, stack: string) => `${project}-${stack}-boundary`;

/** Tags that keys owned by bootstrap carry: their lifecycle is an admin's. */
export const BOOTSTRAP_KEY_PURPOSES = ['pulumi-state', 'pulumi-secrets'];

/** The roles GitHub jobs assume and the CI runner's: `zumo-<stack>-<kind>-<suffix>`. */
export const CI_IDENTITY_KINDS = [...CI_ROLES, 'runner'];
/** What a role may still do to a CI identity: read it, and pass the runner's role to CodeBuild. */
const CI_IDENTITY_READS = ['iam:Get*', 'iam:List*', 'iam:PassRole'];

export function boundaryPolicy(b: BoundaryScope): PolicyDocument {
  const account = b.accountId;
  const others = b.stacks.filter((s) => s !== b.stack);
  const prefix = (stack: string) => `${b.project}-${stack}-`;
  const ownBoundary = `arn:aws:iam::${account}:policy/${boundaryName(b.project, b.stack)}`;
  // Any account would do: a boundary is only ever attached to this account's roles.
  const ciIdentities = CI_IDENTITY_KINDS.map((kind) => `arn:aws:iam::*:role/${prefix(b.stack)}${kind}*`);
  const ownDomain = b.domains?.[b.stack];
  const promotionReads = [...ECR_PULL, 'ecr:DescribeImages'];
  const otherDeny = (stack: string): PolicyStatement[] => {
    // Prod promotes dev's images: reading them is the one thing it may do on dev.
    const readsAllowed = b.promotesFrom?.includes(stack) ? { NotAction: promotionReads } : { Action: '*' };
    const p = prefix(stack);
    return [
      {
        Sid: 'OtherTagged',
        Effect: 'Deny',
        ...readsAllowed,
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/stack': stack } },
      },
      {
        Sid: 'OtherCluster',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:ResourceTag/aws:eks:cluster-name': `${p}*` } },
      },
      {
        // EKS tags its managed node groups' Auto Scaling groups with eks:cluster-name, not the stack tag.
        Sid: 'OtherNodeGroups',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:ResourceTag/eks:cluster-name': `${p}*` } },
      },
      {
        // The VPC CNI's network interfaces carry their cluster's name, not the stack tag.
        Sid: 'OtherPodInterfaces',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': `${p}*` } },
      },
      {
        Sid: 'NoNewOther',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/stack': stack } },
      },
      {
        Sid: 'OtherNamed',
        Effect: 'Deny',
        Action: '*',
        // Its roles, policies, cluster and log groups are outside the caps (lib/boundary-caps.ts);
        // its alarms, projects and web ACLs are CI_IDENTITY_ONLY, and the CI identities' own
        // policies name the stack's prefix. Buckets, topics and vaults also hold data to read.
        Resource: [
          `arn:aws:s3:::${p}*`,
          `arn:aws:s3:::${p}*/*`,
          `arn:aws:sns:*:${account}:${p}*`,
          `arn:aws:backup:*:${account}:backup-vault:${p}*`,
          // Its state: .pulumi/stacks/<project>/<stack>.json*, and history, backups and locks under
          // .pulumi/<kind>/[organization/]<project>/<stack>/ (lib/state-access.ts stateObjectKeys),
          // in whichever bucket (only state backends hold such keys).
          `arn:aws:s3:::*/.pulumi/*/${b.project}/${stack}.json*`,
          `arn:aws:s3:::*/.pulumi/*/${b.project}/${stack}/*`,
        ],
      },
      {
        Sid: 'OtherImages',
        Effect: 'Deny',
        ...readsAllowed,
        Resource: `arn:aws:ecr:*:${account}:repository/${b.imageRepository(stack)}`,
      },
    ];
  };
  const statements: PolicyStatement[] = [
    ...capStatements({
      account,
      prefix: prefix(b.stack),
      imageRepository: b.imageRepository(b.stack),
      ciIdentities,
      domain: ownDomain,
      nestedDomains: others
        .map((o) => b.domains?.[o])
        .filter((d) => d !== undefined && ownDomain && d.endsWith(`.${ownDomain}`)) as string[],
    }),
    {
      Sid: 'NoRoleWithoutThisBoundary',
      Effect: 'Deny',
      Action: ROLE_POLICY_CHANGES,
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': ownBoundary } },
    },
    {
      // The identities GitHub jobs obtain change only through an admin: no role widens them.
      Sid: 'NotTheCiIdentities',
      Effect: 'Deny',
      NotAction: CI_IDENTITY_READS,
      Resource: ciIdentities,
    },
    {
      // The stack's roles attach AWS managed policies only: a customer-managed one (the infra
      // role's) on a role someone else may assume would hand out a CI identity's rights.
      ...NO_ESCALATION_POLICIES,
      Condition: { ArnLike: { 'iam:PolicyARN': [...ESCALATION_POLICIES, `arn:aws:iam::${account}:policy/*`] } },
    },
    {
      // No role removes a boundary or changes a setting of the whole account or region
      // (lib/boundary-caps.ts ACCOUNT_SETTINGS). Bootstrap's OIDC provider is outside the IAM cap
      // (roles only), its GitHub connection and CodeBuild's source credentials CI_IDENTITY_ONLY,
      // and no CI identity's policy grants changing them.
      Sid: 'Never',
      Effect: 'Deny',
      Action: ['iam:DeleteRolePermissionsBoundary', ...ACCOUNT_SETTINGS],
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
  ];
  // IAM needs no Sid, and a managed policy holds 6,144 characters (whitespace not counted): the
  // boundary spends them on statements, each named here in the code by its Sid.
  return { Version: '2012-10-17', Statement: statements.map(({ Sid: _sid, ...statement }) => statement) };
}
