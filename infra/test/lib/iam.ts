import t from 'tap';
import { githubSubjects, githubTrustPolicy, grantsEverything } from '../../src/lib/iam.js';
import { previewPolicy, publishPolicy, releasePolicy } from '../../src/lib/ci-policies.js';
import { INFRA_POLICY_PARTS, infraPolicies } from '../../src/lib/infra-policy.js';
import { stateObjectKeys } from '../../src/lib/state-access.js';
import { lifecyclePolicy } from '../../src/components/registry.js';

const state = {
  bucketName: 'state',
  stateKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/state',
  secretsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/dev',
  project: 'zumo',
  stack: 'dev',
  region: 'eu-west-1',
};
const release = releasePolicy({ repositoryArn: 'arn:aws:ecr:eu-west-1:123456789012:repository/zumo/web-dev' });
const publish = publishPolicy({
  siteBucketArn: 'arn:aws:s3:::site',
  distributionArn: 'arn:aws:cloudfront::123456789012:distribution/E1',
  reportsBucketArn: 'arn:aws:s3:::reports',
  reportsPrefix: 'test-reports/',
});
const infraParts = infraPolicies({
  state,
  accountId: '123456789012',
  namePrefix: 'zumo-dev-',
  imageRepository: 'zumo/web-dev',
  boundaryArn: 'arn:aws:iam::123456789012:policy/zumo-dev-boundary',
  githubConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/c',
  clusterName: 'zumo-dev-eks',
});
// What the infra role holds: its managed policies together.
const infra = { Version: '2012-10-17' as const, Statement: INFRA_POLICY_PARTS.flatMap((p) => infraParts[p].Statement) };

t.test('each role trusts exactly its environment; only dev preview also pull requests', async (t) => {
  t.same(githubSubjects('repo:acme/zumo', 'dev'), {
    release: ['repo:acme/zumo:environment:dev-release'],
    publish: ['repo:acme/zumo:environment:dev-publish'],
    preview: ['repo:acme/zumo:pull_request', 'repo:acme/zumo:environment:dev-preview'],
    infra: ['repo:acme/zumo:environment:dev-infra'],
  });
  t.same(githubSubjects('repo:acme/zumo', 'prod'), {
    release: ['repo:acme/zumo:environment:prod-release'],
    publish: ['repo:acme/zumo:environment:prod-publish'],
    preview: ['repo:acme/zumo:environment:prod-preview'],
    infra: ['repo:acme/zumo:environment:prod-infra'],
  });
  // Repositories created (or renamed) after 2026-07-15 send immutable ids in the subject (GitHub's
  // OIDC reference, "Immutable subject claims"): the trust must name exactly that form.
  t.same(githubSubjects('repo:acme@123456/zumo@456789', 'prod').infra, [
    'repo:acme@123456/zumo@456789:environment:prod-infra',
  ]);
  const trust = githubTrustPolicy('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', [
    'repo:acme/zumo:environment:prod-infra',
  ]);
  t.same(trust.Statement[0]!.Condition, {
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:acme/zumo:environment:prod-infra',
    },
  });
  t.equal(trust.Statement[0]!.Action, 'sts:AssumeRoleWithWebIdentity');
});

t.test('no policy grants * on *; release holds images only, publish the page only', async (t) => {
  for (const [name, doc] of Object.entries({ release, publish, preview: previewPolicy(state, 'zumo-dev-'), infra })) {
    t.notOk(doc.Statement.some(grantsEverything), `${name}: no * on *`);
    t.notOk(
      doc.Statement.some((s) => s.Effect === 'Allow' && [s.Action ?? []].flat().includes('*')),
      `${name}: no bare * action`,
    );
  }
  t.ok(grantsEverything({ Effect: 'Allow', Action: '*', Resource: '*' }), 'the check itself catches * on *');
  const byId = Object.fromEntries([...release.Statement, ...publish.Statement].map((s) => [s.Sid, s]));
  t.equal(byId['EcrPushPull']!.Resource, 'arn:aws:ecr:eu-west-1:123456789012:repository/zumo/web-dev');
  t.ok([byId['EcrPushPull']!.Action].flat().includes('ecr:GetDownloadUrlForLayer'), 'release can pull its images');
  t.equal(byId['SiteWrite']!.Resource, 'arn:aws:s3:::site/*');
  t.equal(byId['Invalidate']!.Resource, 'arn:aws:cloudfront::123456789012:distribution/E1');
  t.equal(byId['Reports']!.Resource, 'arn:aws:s3:::reports/test-reports/*', 'reports only under their prefix');
  t.notOk(byId['PromotionSource'], 'no promotion source unless the stack promotes');
  const services = (doc: typeof release) =>
    [...new Set(doc.Statement.flatMap((s) => [s.Action ?? []].flat()).map((a) => a.split(':')[0]))].sort();
  t.same(services(release), ['ecr'], 'release: images only');
  t.same(services(publish), ['cloudfront', 's3'], 'publish: the page bucket and the distribution only');
});

t.test('preview writes nothing; the state paths are the DIY backend layout of one stack', async (t) => {
  const writes = previewPolicy(state, 'zumo-dev-')
    .Statement.filter((s) => s.Effect === 'Allow')
    .flatMap((s) => [s.Action ?? []].flat())
    .filter((a) => /^s3:(Put|Delete)|kms:(Encrypt|GenerateDataKey)/.test(a));
  t.same(writes, [], 'a preview takes no lock and writes no state');
  t.same(stateObjectKeys('zumo', 'dev'), [
    '.pulumi/stacks/zumo/dev.json*',
    '.pulumi/history/zumo/dev/*',
    '.pulumi/backups/zumo/dev/*',
    '.pulumi/locks/organization/zumo/dev/*',
  ]);
});

t.test('ECR lifecycle keeps N releases and expires untagged images after 7 days', async (t) => {
  const policy = lifecyclePolicy(12);
  t.match(policy.rules[0], {
    selection: { tagStatus: 'untagged', countNumber: 7, countUnit: 'days' },
    action: { type: 'expire' },
  });
  t.match(policy.rules[1], { selection: { countType: 'imageCountMoreThan', countNumber: 12 } });
});
