/**
 * IAM documents as pure functions (tested without mocks). CI roles trust GitHub's OIDC tokens only
 * for exact subjects of one repository; every permission names its resource where AWS allows.
 */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/**
 * The CI roles of one stack: what a job may do once it has assumed one. release pushes images
 * (its jobs install nothing on the host: the image builds inside Docker), publish puts the page
 * in the bucket (its jobs run `npm ci` and the build), preview reads, infra runs `pulumi up`.
 * Image and page rights are apart so a dependency compromised in the page build cannot push or
 * tag images, and the prod page job holds no ECR right.
 */
export const CI_ROLES = ['release', 'publish', 'preview', 'infra'] as const;
export type CiRole = (typeof CI_ROLES)[number];

/**
 * How long a role's sessions may last (IAM MaxSessionDuration). An infra job's `pulumi up` may
 * take its whole 150-minute timeout, and credentials that expire mid-update leave the stack
 * locked with a stale checkpoint; the others finish within the hour.
 */
export const MAX_SESSION_SECONDS: Record<CiRole, number> = {
  release: 3600,
  publish: 3600,
  preview: 3600,
  infra: 3 * 3600,
};

/**
 * The GitHub environment whose jobs may assume a role: `<stack>-<role>`, e.g. prod-infra. Each
 * environment allows only the main branch (and prod-infra requires reviewers), so the subject
 * `repo:<owner/name>:environment:<stack>-<role>` is presented only by reviewed code on main.
 */
export const environmentFor = (stack: string, role: CiRole) => `${stack}-${role}`;

/**
 * The OIDC subjects each CI role accepts, pinned to the repository (exact match, no wildcards):
 * exactly its own environment. The dev preview role also accepts pull requests of this
 * repository (forks get no OIDC token for it), so a change is previewed before it merges; no
 * prod role ever accepts a pull request or a plain main-branch job.
 *
 * `subjectPrefix` is the part of GitHub's default `sub` before the context: `repo:<owner>/<name>`,
 * or, for repositories created, renamed or transferred after 2026-07-15 (or opted in),
 * `repo:<owner>@<owner id>/<name>@<repository id>` (GitHub's OIDC reference, "Immutable subject
 * claims"). Trust matches it exactly, so it must be the form GitHub really sends.
 */
export function githubSubjects(subjectPrefix: string, stack: string): Record<CiRole, string[]> {
  const environment = (role: CiRole) => `${subjectPrefix}:environment:${environmentFor(stack, role)}`;
  return {
    release: [environment('release')],
    publish: [environment('publish')],
    preview: stack === 'prod' ? [environment('preview')] : [`${subjectPrefix}:pull_request`, environment('preview')],
    infra: [environment('infra')],
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

/** True when a statement grants every action on every resource (what no policy here may do). */
export function grantsEverything(statement: PolicyStatement): boolean {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  return (
    statement.Effect === 'Allow' &&
    list(statement.Action ?? []).includes('*') &&
    list(statement.Resource ?? []).includes('*')
  );
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
