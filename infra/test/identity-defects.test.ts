// Issue 11 items 2-6 and issue 10 item 2, each as the request a real first run would make,
// evaluated over the documents both stacks declare (identity-matrix.test.ts covers the rest).
import t from 'tap';
import { ACCOUNT } from './mocks.js';
import { boundaryDocuments, declaredIam, type DeclaredIam } from './ci/declared.js';
import { decide, principalOf } from './ci/simulate.js';
import { admits } from './ci/trust.js';

const REPO = 'zumo-platform/zumo';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const stacks = { dev: declaredIam('dev'), prod: declaredIam('prod') };
const role = (d: DeclaredIam, kind: string) => {
  const found = d.roles.find((r) => r.name === `zumo-${d.stack}-${kind}`);
  if (!found) throw new Error(`zumo-${d.stack}-${kind} is not declared`);
  return found;
};
const principal = (d: DeclaredIam, kind: string) => principalOf(role(d, kind), boundaryDocuments());

t.test('item 2: prod roles refuse plain main-branch jobs', async (t) => {
  for (const kind of ['infra', 'release', 'preview'])
    t.notOk(
      admits(role(stacks.prod, kind).trust, PROVIDER, `repo:${REPO}:ref:refs/heads/main`),
      `prod ${kind} refuses repo:${REPO}:ref:refs/heads/main`,
    );
});

t.test('item 3: pull requests get no prod role and cannot read prod state or secrets', async (t) => {
  for (const kind of ['infra', 'release', 'preview'])
    t.notOk(admits(role(stacks.prod, kind).trust, PROVIDER, `repo:${REPO}:pull_request`), `prod ${kind} refuses PRs`);
  const pr = principal(stacks.dev, 'preview');
  t.equal(
    await decide(pr, {
      action: 's3:GetObject',
      resource: `arn:aws:s3:::zumo-pulumi-state-${ACCOUNT}/.pulumi/stacks/zumo/prod.json`,
    }),
    'ExplicitlyDenied',
    'the PR preview role cannot read the prod state',
  );
});

t.test('item 4: the infra role cannot make itself admin or touch the other stack', async (t) => {
  const dev = principal(stacks.dev, 'infra');
  t.not(
    await decide(dev, {
      action: 'iam:AttachRolePolicy',
      resource: role(stacks.dev, 'infra').arn,
      context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
    }),
    'Allowed',
    'no AdministratorAccess for itself',
  );
  t.not(
    await decide(dev, {
      action: 'ec2:DeleteSecurityGroup',
      resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-prod`,
      context: { 'aws:ResourceTag/stack': 'prod' },
    }),
    'Allowed',
    'dev cannot delete a prod security group',
  );
  t.not(
    await decide(dev, { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/zumo-dev-new` }),
    'Allowed',
    'no role without the permissions boundary',
  );
});

t.test('item 5: the infra role can create the backup vault (backup-storage:MountCapsule)', async (t) => {
  t.equal(
    await decide(principal(stacks.dev, 'infra'), {
      action: 'backup-storage:MountCapsule',
      resource: '*',
    }),
    'Allowed',
  );
});

t.test('item 6: the release role can pull what it promotes', async (t) => {
  const prod = principal(stacks.prod, 'release');
  t.equal(
    await decide(prod, {
      action: 'ecr:GetDownloadUrlForLayer',
      resource: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/zumo/web-dev`,
    }),
    'Allowed',
    'prod release reads the dev image layers',
  );
});

t.test('issue 10 item 2: no stack declares the account-wide GitHub OIDC provider', async (t) => {
  for (const d of Object.values(stacks))
    t.notOk(d.resourceTypes.includes('aws:iam/openIdConnectProvider:OpenIdConnectProvider'), `${d.stack}: none`);
});
