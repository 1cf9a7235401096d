// The identity matrix, sizes: IAM's size quotas, on what both stacks and bootstrap declare and with
// the longest inputs a real account gives (IAM and AWS STS quotas: a managed policy holds 6,144
// characters, a role's inline policies 10,240 together, whitespace not counted; a role takes 10
// managed policies). Every document keeps 10% headroom, so a new statement fails here, not in a
// first real `up`.
import t from 'tap';
import { declaredIam } from '../ci/declared.js';
import { DEV_WITH_DOMAIN } from '../ci/declared-variants.js';
import { boundaries, declared } from './fixture.js';
import { INFRA_POLICY_PARTS, infraPolicies } from '../../src/lib/infra-policy.js';
import { boundaryPolicy } from '../../src/lib/boundary.js';
import {
  accountStackDomains,
  accountStacks,
  MAX_ACCOUNT_STACKS,
  MAX_STACK_DOMAIN_LENGTH,
} from '../../src/lib/account-stacks.js';
import { previewPolicy, publishPolicy, releasePolicy } from '../../src/lib/ci-policies.js';
import { runnerPolicy } from '../../src/components/ci-runner.js';
import type { PolicyDocument } from '../../src/lib/iam.js';

const MANAGED = 6144;
const INLINE = 10240;
const MANAGED_PER_ROLE = 10;
const HEADROOM = 0.9;
const size = (doc: unknown) => JSON.stringify(doc).replace(/\s/g, '').length;

// The longest values each input can take: ap-southeast-4 is the longest region name, key and
// connection ids are UUIDs, a bucket name has at most 63 characters, a hosted zone id 32.
const account = '123456789012';
const region = 'ap-southeast-4';
const uuid = '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const bucket = `zumo-pulumi-state-${account}-`.padEnd(63, 'x');
const longest = 'a'.repeat(10); // accountStacks() admits names of at most 10 characters
const STACK_SETS = [['dev', 'prod'], [longest, `${longest.slice(1)}b`], ['dev']];
/**
 * The longest domains bootstrap admits, one inside the other (prod's zumo.example.com holding
 * dev's dev.zumo.example.com): the outer stack's boundary names both.
 */
function longestDomains(stacks: string[]): Record<string, string> {
  const label = (n: number) => 'd'.repeat(n);
  const outer = `${label(49)}.${label(MAX_STACK_DOMAIN_LENGTH - 2 - 54)}.com`;
  const domains = Object.fromEntries(stacks.map((stack, i) => [stack, i === 0 ? outer : `${'s'.repeat(1)}.${outer}`]));
  return accountStackDomains(domains, stacks);
}

function worstCase(stack: string) {
  const prefix = `zumo-${stack}-`;
  const state = {
    bucketName: bucket,
    stateKeyArn: `arn:aws:kms:${region}:${account}:key/${uuid}`,
    secretsKeyArn: `arn:aws:kms:${region}:${account}:key/${uuid}`,
    project: 'zumo',
    stack,
    region,
  };
  const repository = (s: string) => `arn:aws:ecr:${region}:${account}:repository/zumo/web-${s}`;
  const infra = infraPolicies({
    state,
    accountId: account,
    namePrefix: prefix,
    imageRepository: `zumo/web-${stack}`,
    boundaryArn: `arn:aws:iam::${account}:policy/zumo-${stack}-boundary`,
    githubConnectionArn: `arn:aws:codeconnections:${region}:${account}:connection/${uuid}`,
    clusterName: `${prefix}eks`,
    hostedZoneId: `Z${'A'.repeat(31)}`,
  });
  const inline = {
    release: [releasePolicy({ repositoryArn: repository(stack), promotionSourceRepositoryArn: repository('dev') })],
    publish: [
      publishPolicy({
        siteBucketArn: `arn:aws:s3:::${prefix}site-${'x'.repeat(63 - prefix.length - 5)}`,
        distributionArn: `arn:aws:cloudfront::${account}:distribution/E${'A'.repeat(13)}`,
        reportsBucketArn: `arn:aws:s3:::${prefix}reports-${'x'.repeat(63 - prefix.length - 8)}`,
        reportsPrefix: 'test-reports/',
      }),
    ],
    preview: [previewPolicy(state, prefix)],
    runner: [
      runnerPolicy({
        logGroupArn: `arn:aws:logs:${region}:${account}:log-group:/aws/codebuild/${prefix}runner-${'x'.repeat(20)}`,
        vpcId: 'vpc-0123456789abcdef0',
        subnets: ['a', 'b', 'c'].map((az) => `subnet-0123456789abcdef${az}`),
        account,
        region,
        connectionArn: `arn:aws:codeconnections:${region}:${account}:connection/${uuid}`,
      }),
    ],
  };
  return { infra, inline };
}

/**
 * The infra role's documents as the program attaches them (inline or managed, as dev with a domain
 * declares it), each statement at its worst-case length: the statements are matched by Sid, so a program
 * that put them all in one inline policy again would be measured as one.
 */
function infraAsDeclared(stack: string) {
  const worst = INFRA_POLICY_PARTS.flatMap((part) => worstCase(stack).infra[part].Statement);
  // With a domain, so the DNS statement is there too (the same program and overrides as the DNS fence of identity/must-never.ts).
  const withDomain = declaredIam('dev', DEV_WITH_DOMAIN);
  const role = withDomain.roles.find((r) => r.name === 'zumo-dev-infra')!;
  const atWorst = (doc: PolicyDocument) => ({
    ...doc,
    Statement: doc.Statement.map((s) => {
      const found = worst.find((w) => w.Sid === s.Sid);
      if (!s.Sid || !found) throw new Error(`infra statement ${JSON.stringify(s.Sid)} has no worst case`);
      return found;
    }),
  });
  return {
    inline: role.inline.map((p) => atWorst(p.policy)),
    managed: role.customerManaged.map((p) => ({ name: p.name, policy: atWorst(p.policy) })),
  };
}

t.test('the program carries the infra permissions as managed policies, none inline', async (t) => {
  for (const stack of ['dev', 'prod'] as const) {
    const infra = declared[stack].roles.find((r) => r.name === `zumo-${stack}-infra`)!;
    t.same(infra.inline, [], `${stack}: the infra role has no inline policy`);
    t.equal(infra.customerManaged.length, INFRA_POLICY_PARTS.length, `${stack}: one managed policy per part`);
    t.same(
      infra.customerManaged.map((p) => p.name).sort(),
      INFRA_POLICY_PARTS.map((part) => `zumo-${stack}-infra-${part}`).sort(),
      `${stack}: named zumo-${stack}-infra-<part> (the boundary's CI identity fence)`,
    );
    for (const role of declared[stack].roles)
      t.ok(
        role.managed.length <= MANAGED_PER_ROLE,
        `${stack}: ${role.name} has ${role.managed.length} managed policies`,
      );
    // What the role carries is what infraPolicies() writes: the sizes below are the real documents'.
    const parts = infraPolicies({
      state: { bucketName: 'b', stateKeyArn: 'k', secretsKeyArn: 'k', project: 'zumo', stack, region: 'eu-west-1' },
      accountId: account,
      namePrefix: `zumo-${stack}-`,
      imageRepository: `zumo/web-${stack}`,
      boundaryArn: 'b',
      githubConnectionArn: 'c',
      clusterName: 'e',
    });
    for (const part of INFRA_POLICY_PARTS) {
      const declaredPart = infra.customerManaged.find((p) => p.name === `zumo-${stack}-infra-${part}`)!;
      t.same(
        declaredPart.policy.Statement.map((s) => s.Sid),
        parts[part].Statement.map((s) => s.Sid),
        `${stack}: the ${part} policy holds the ${part} statements`,
      );
    }
    // Only an admin's `up` writes customer-managed policies (resource-actions.ts ADMIN_ONLY): the
    // program may declare none but the CI identity's.
    for (const policy of declared[stack].customerPolicies)
      t.match(policy.name, new RegExp(`^zumo-${stack}-infra-`), `${stack}: ${policy.name} is a CI identity's policy`);
  }
});

t.test('the boundaries and the roles fit IAM size limits (a first real up would fail otherwise)', async (t) => {
  // IAM quotas: a managed policy at most 6,144 characters, a role's inline policies 10,240 together
  // (whitespace not counted); the test below measures the worst case of real inputs.
  for (const [arn, doc] of Object.entries(boundaries)) t.ok(size(doc) <= 6144, `${arn}: ${size(doc)} of 6144`);
  for (const d of Object.values(declared))
    for (const declared of d.roles) {
      const inline = declared.inline.reduce((sum, { policy }) => sum + size(policy), 0);
      t.ok(inline <= 10240, `${declared.name}: inline ${inline} of 10240`);
      for (const { name, policy } of declared.customerManaged)
        t.ok(size(policy) <= 6144, `${declared.name}: ${name} ${size(policy)} of 6144`);
    }
});

t.test('every document keeps 10% under its IAM quota with the longest real inputs', async (t) => {
  for (const stacks of STACK_SETS)
    for (const stack of stacks) {
      const infra = infraAsDeclared(stack);
      for (const { name, policy } of infra.managed)
        t.ok(
          size(policy) <= MANAGED * HEADROOM,
          `${stack}: ${name.replace('zumo-dev-', '')} ${size(policy)} of ${MANAGED} (at most ${MANAGED * HEADROOM})`,
        );
      for (const [kind, docs] of Object.entries({ ...worstCase(stack).inline, infra: infra.inline })) {
        const total = docs.reduce((sum, doc) => sum + size(doc), 0);
        t.ok(
          total <= INLINE * HEADROOM,
          `${stack}: ${kind} inline ${total} of ${INLINE} (at most ${INLINE * HEADROOM})`,
        );
      }
      const boundary = boundaryPolicy({
        stack,
        stacks,
        accountId: account,
        project: 'zumo',
        stateBucketName: bucket,
        imageRepository: (s) => `zumo/web-${s}`,
        promotesFrom: stack === 'prod' && stacks.includes('dev') ? ['dev'] : [],
        domains: longestDomains(stacks),
      });
      t.ok(
        size(boundary) <= MANAGED * HEADROOM,
        `${stacks.join('+')}: ${stack}'s boundary ${size(boundary)} of ${MANAGED} (at most ${MANAGED * HEADROOM})`,
      );
    }
});

t.test('bootstrap refuses more stacks, or longer names, than a boundary can fence', async (t) => {
  t.same(accountStacks(['dev', 'prod']), ['dev', 'prod']);
  t.equal(MAX_ACCOUNT_STACKS, 2);
  // The reason for the cap: a third stack's fences push each boundary past the quota.
  const three = ['dev', 'prod', 'staging'];
  const third = boundaryPolicy({
    stack: 'dev',
    stacks: three,
    accountId: account,
    project: 'zumo',
    stateBucketName: bucket,
    imageRepository: (s) => `zumo/web-${s}`,
  });
  t.ok(size(third) > MANAGED * HEADROOM, `with three stacks a boundary has ${size(third)} characters`);
  t.throws(() => accountStacks(three), /at most 2 stacks per account, got 3/);
  t.throws(() => accountStacks(['dev', 'a'.repeat(11)]), /"a{11}" is not a stack name .*at most 10 characters/);
  t.throws(() => accountStacks(['dev', 'dev']), /names a stack twice/);
  t.throws(() => accountStacks([]), /must be a list of one or two stack names/);
  t.throws(() => accountStacks('dev,prod'), /must be a list of one or two stack names .*, got "dev,prod"/);
});
