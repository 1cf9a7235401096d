import t from 'tap';
import {
  githubSubjects,
  githubTrustPolicy,
  grantsEverything,
  infraPolicy,
  previewStatePolicy,
  releasePolicy,
} from '../src/lib/iam.js';
import { lifecyclePolicy } from '../src/components/registry.js';

const state = { stateBucketArn: 'arn:aws:s3:::state', secretsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k' };
const release = releasePolicy({
  repositoryArn: 'arn:aws:ecr:eu-west-1:123456789012:repository/zumo/web-dev',
  siteBucketArn: 'arn:aws:s3:::site',
  distributionArn: 'arn:aws:cloudfront::123456789012:distribution/E1',
  reportsBucketArn: 'arn:aws:s3:::reports',
  reportsPrefix: 'test-reports/',
});

t.test('trust policies pin the repository, the subject and the audience exactly', async (t) => {
  const subjects = githubSubjects('acme/zumo');
  t.same(subjects.release, ['repo:acme/zumo:ref:refs/heads/main']);
  t.same(subjects.preview, ['repo:acme/zumo:pull_request', 'repo:acme/zumo:environment:drift']);
  t.same(subjects.infra, ['repo:acme/zumo:ref:refs/heads/main', 'repo:acme/zumo:environment:prod']);
  const trust = githubTrustPolicy(
    'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    subjects.release,
  );
  t.same(trust.Statement[0]!.Condition, {
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:acme/zumo:ref:refs/heads/main',
    },
  });
  t.equal(trust.Statement[0]!.Action, 'sts:AssumeRoleWithWebIdentity');
});

t.test('no policy grants * on *, and release is scoped to its resources', async (t) => {
  for (const [name, doc] of Object.entries({
    release,
    preview: previewStatePolicy(state),
    infra: infraPolicy(state),
  })) {
    t.notOk(doc.Statement.some(grantsEverything), `${name}: no * on *`);
    t.notOk(
      doc.Statement.some((s) => [s.Action].flat().includes('*')),
      `${name}: no bare * action`,
    );
  }
  t.ok(grantsEverything({ Effect: 'Allow', Action: '*', Resource: '*' }), 'the check itself catches * on *');
  const byId = Object.fromEntries(release.Statement.map((s) => [s.Sid, s]));
  t.equal(byId['EcrPush']!.Resource, 'arn:aws:ecr:eu-west-1:123456789012:repository/zumo/web-dev');
  t.equal(byId['SiteWrite']!.Resource, 'arn:aws:s3:::site/*');
  t.equal(byId['Invalidate']!.Resource, 'arn:aws:cloudfront::123456789012:distribution/E1');
  t.equal(byId['Reports']!.Resource, 'arn:aws:s3:::reports/test-reports/*', 'reports only under their prefix');
  const preview = previewStatePolicy(state);
  t.same(
    preview.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:Put'))).map((s) => s.Resource),
    ['arn:aws:s3:::state/.pulumi/locks/*'],
    'preview writes only its lock',
  );
});

t.test('ECR lifecycle keeps N releases and expires untagged images after 7 days', async (t) => {
  const policy = lifecyclePolicy(12);
  t.match(policy.rules[0], {
    selection: { tagStatus: 'untagged', countNumber: 7, countUnit: 'days' },
    action: { type: 'expire' },
  });
  t.match(policy.rules[1], { selection: { countType: 'imageCountMoreThan', countNumber: 12 } });
});
