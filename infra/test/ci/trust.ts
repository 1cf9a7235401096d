/**
 * Does a role's trust policy admit a GitHub Actions OIDC token? The IAM evaluator does not know
 * GitHub's condition keys, so the `sub` and `aud` conditions are matched here the way STS does:
 * StringEquals exactly, StringLike with * and ? wildcards, every listed value an alternative,
 * every operator and key a conjunction; an explicit Deny wins.
 */
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from '../../src/lib/iam.js';

type Condition = Record<string, Record<string, string | string[]>>;
interface TrustStatement {
  Effect: 'Allow' | 'Deny';
  Principal?: { Federated?: string | string[] };
  Action: string | string[];
  Condition?: Condition;
}

const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

const OPERATORS: Record<string, (value: string, expected: string) => boolean> = {
  StringEquals: (value, expected) => value === expected,
  StringLike: (value, expected) => wildcard(expected).test(value),
};

function conditionHolds(condition: Condition | undefined, claims: Record<string, string>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    const test = OPERATORS[operator];
    if (!test) throw new Error(`trust.ts does not evaluate the ${operator} operator; add it deliberately`);
    return Object.entries(keys).every(([key, expected]) => {
      const value = claims[key];
      return value !== undefined && [expected].flat().some((e) => test(value, e));
    });
  });
}

/** True when `sub` (with the audience configure-aws-credentials sends) may assume the role. */
export function admits(trust: { Statement: unknown[] }, providerArn: string, sub: string): boolean {
  const claims = { [`${GITHUB_OIDC_HOST}:sub`]: sub, [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE };
  const applies = (s: TrustStatement) =>
    [s.Action].flat().includes('sts:AssumeRoleWithWebIdentity') &&
    [s.Principal?.Federated ?? []].flat().includes(providerArn) &&
    conditionHolds(s.Condition, claims);
  const statements = trust.Statement as TrustStatement[];
  return (
    !statements.some((s) => s.Effect === 'Deny' && applies(s)) &&
    statements.some((s) => s.Effect === 'Allow' && applies(s))
  );
}
