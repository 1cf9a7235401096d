/**
 * The identity matrix's shared fixture: what both stacks and infra/bootstrap declare about
 * identities (recorded once for the whole run, ci/declared.ts), the jobs of the workflow files,
 * and the roles as IAM evaluates them.
 */
import { ACCOUNT } from '../mocks.js';
import { boundaryDocuments, declaredIam, type DeclaredIam } from '../ci/declared.js';
import { principalOf, type Principal } from '../ci/simulate.js';
import { workflowJobs, type Kind, type Stack } from '../ci/workflow-jobs.js';

export const REPO = 'zumo-platform/zumo';
export const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
/** The account's GitHub connection (bootstrap's; the stacks name it in githubConnectionArn). */
export const CONNECTION = `arn:aws:codeconnections:eu-west-1:${ACCOUNT}:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
export const STACKS: Stack[] = ['dev', 'prod'];
/** The CI roles of each stack, one per job kind. */
export const KINDS: Kind[] = ['release', 'publish', 'preview', 'infra'];
export const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

export const declared: Record<Stack, DeclaredIam> = { dev: declaredIam('dev'), prod: declaredIam('prod') };
export const boundaries = boundaryDocuments();
export const jobs = workflowJobs(`repo:${REPO}`);
export const other = (stack: Stack): Stack => (stack === 'dev' ? 'prod' : 'dev');
export const boundaryOf = (stack: string) => `arn:aws:iam::${ACCOUNT}:policy/zumo-${stack}-boundary`;

/** The role `zumo-<stack>-<kind>` as `d` declares it. */
export function roleIn(d: DeclaredIam, kind: string) {
  const found = d.roles.find((r) => r.name === `zumo-${d.stack}-${kind}`);
  if (!found) throw new Error(`zumo-${d.stack}-${kind} is not declared`);
  return found;
}
export const roleOf = (stack: Stack, kind: string) => roleIn(declared[stack], kind);

const principals = new Map<string, Principal>();
/** The role as IAM evaluates it under bootstrap's boundaries (one object per role, so decisions are shared). */
export function principal(stack: Stack, kind: string): Principal {
  const key = `${stack}-${kind}`;
  if (!principals.has(key)) principals.set(key, principalOf(roleOf(stack, kind), boundaries));
  return principals.get(key)!;
}

/** A role the infra role could create: any policy it likes, capped only by the stack's boundary. */
export const createdRole = (stack: string, policy: unknown, under = boundaries): Principal => ({
  arn: `arn:aws:iam::${ACCOUNT}:role/zumo-${stack}-created`,
  policies: [{ name: 'chosen', policy }],
  boundary: under[boundaryOf(stack)],
});
