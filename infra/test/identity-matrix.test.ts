// The identity matrix: one table derived from the workflow files (job -> event -> OIDC
// subject -> role -> AWS requests its steps make), checked against what both stacks and
// infra/bootstrap declare: trust admits exactly the jobs meant for each role; a real IAM
// evaluator allows every request a job needs and denies the must-never list; every job that
// talks to the Kubernetes API has an access entry and runs where the endpoint admits it.
import t from 'tap';
import { ACCOUNT } from './mocks.js';
import { boundaryDocuments, declaredIam, type DeclaredIam } from './ci/declared.js';
import { decide, principalOf, type Principal, type Request } from './ci/simulate.js';
import { admits } from './ci/trust.js';
import { workflowJobs, type Kind, type Stack } from './ci/workflow-jobs.js';
import { namesOf, needsOf, requestsFor, secretsKey, STATE_BUCKET, upTypes } from './ci/requests.js';
import { ACCESS_POLICIES } from '../src/lib/eks.js';

const REPO = 'zumo-platform/zumo';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const CONNECTION = `arn:aws:codeconnections:eu-west-1:${ACCOUNT}:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
const STACKS: Stack[] = ['dev', 'prod'];
const KINDS: Kind[] = ['release', 'publish', 'preview', 'infra'];
const declared: Record<Stack, DeclaredIam> = { dev: declaredIam('dev'), prod: declaredIam('prod') };
const boundaries = boundaryDocuments();
const jobs = workflowJobs(`repo:${REPO}`);
const other = (stack: Stack): Stack => (stack === 'dev' ? 'prod' : 'dev');
const roleOf = (stack: Stack, kind: Kind) => {
  const found = declared[stack].roles.find((r) => r.name === `zumo-${stack}-${kind}`);
  if (!found) throw new Error(`zumo-${stack}-${kind} is not declared`);
  return found;
};
const principals = Object.fromEntries(
  STACKS.flatMap((stack) => KINDS.map((kind) => [`${stack}-${kind}`, principalOf(roleOf(stack, kind), boundaries)])),
) as Record<string, Principal>;
const principal = (stack: Stack, kind: Kind) => principals[`${stack}-${kind}`]!;

t.test('the table, from the workflow files', async (t) => {
  for (const job of jobs)
    t.comment(
      `${job.id.padEnd(36)} ${job.events.join(',').padEnd(30)} ${job.subjects.join(' ').padEnd(62)} ${
        job.roles.map((r) => `${r.stack}-${r.kind}`).join(',') || '-'
      }  ${job.capabilities.map((c) => c.kind + ('stack' in c ? `:${c.stack}` : '')).join(', ')}`,
    );
  t.ok(jobs.filter((j) => j.roles.length).length >= 8, 'the jobs that use AWS are found');
  for (const job of jobs) t.ok(job.roles.length <= 1, `${job.id}: one role per job (one OIDC subject, one role)`);
});

t.test('trust: each role admits exactly the jobs meant for it', async (t) => {
  for (const stack of STACKS)
    for (const kind of KINDS) {
      const trust = roleOf(stack, kind).trust;
      for (const job of jobs) {
        const meant = job.roles.some((r) => r.stack === stack && r.kind === kind);
        for (const subject of job.subjects)
          t.equal(
            admits(trust, PROVIDER, subject),
            meant,
            `${stack}-${kind} ${meant ? 'admits' : 'refuses'} ${job.id} (${subject})`,
          );
      }
      t.ok(
        jobs.some((j) => j.roles.some((r) => r.stack === stack && r.kind === kind)),
        `${stack}-${kind} is used by a job`,
      );
    }
});

t.test('trust: prod roles refuse pull requests, plain main and every other environment', async (t) => {
  const strangers = [
    `repo:${REPO}:pull_request`,
    `repo:${REPO}:ref:refs/heads/main`,
    `repo:${REPO}:ref:refs/heads/prod-infra`,
    `repo:${REPO}:environment:prod`,
    `repo:${REPO}:environment:dev-infra`,
    `repo:other/zumo:environment:prod-infra`,
  ];
  for (const kind of KINDS)
    for (const sub of strangers)
      t.notOk(admits(roleOf('prod', kind).trust, PROVIDER, sub), `prod-${kind} refuses ${sub}`);
  t.notOk(
    admits(
      roleOf('prod', 'infra').trust,
      'arn:aws:iam::999999999999:oidc-provider/x',
      `repo:${REPO}:environment:prod-infra`,
    ),
  );
});

t.test('trust: the environment that holds the release App key gets no AWS role', async (t) => {
  for (const stack of STACKS)
    for (const kind of KINDS)
      t.notOk(
        admits(roleOf(stack, kind).trust, PROVIDER, `repo:${REPO}:environment:release-app`),
        `${stack}-${kind} refuses release-app`,
      );
});

t.test('permissions: every request a job makes is allowed to the role it assumes', async (t) => {
  for (const job of jobs) {
    const role = job.roles[0];
    if (!role) {
      t.same(job.capabilities, [], `${job.id}: no role, no AWS request`);
      continue;
    }
    for (const capability of job.capabilities)
      for (const need of requestsFor(capability, declared)) {
        const decision = await decide(principal(role.stack, role.kind), need);
        t.equal(decision, 'Allowed', `${job.id} (${role.stack}-${role.kind}): ${need.action} ${need.resource}`);
      }
  }
});

t.test('permissions: up covers every resource type the program declares', async (t) => {
  for (const stack of STACKS) {
    const types = upTypes(declared[stack]);
    t.ok(types.length > 40, `${stack}: ${types.length} AWS resource types`);
    for (const type of types)
      t.doesNotThrow(() => needsOf(type, namesOf(stack)), `${stack}: ${type} has its actions written down`);
  }
});

t.test('must never: no role widens itself, drops or edits its boundary, or makes an unbounded role', async (t) => {
  for (const stack of STACKS) {
    const boundary = namesOf(stack).boundaryArn;
    for (const kind of KINDS) {
      const me = principal(stack, kind);
      const mine = roleOf(stack, kind).arn;
      const never: Request[] = [
        {
          action: 'iam:AttachRolePolicy',
          resource: mine,
          context: {
            'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess',
            'iam:PermissionsBoundary': boundary,
          },
        },
        { action: 'iam:PutRolePolicy', resource: mine, context: { 'iam:PermissionsBoundary': boundary } },
        { action: 'iam:UpdateAssumeRolePolicy', resource: mine },
        { action: 'iam:DeleteRolePermissionsBoundary', resource: mine },
        { action: 'iam:CreatePolicyVersion', resource: boundary },
        { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/zumo-${stack}-free` },
        {
          action: 'iam:AttachRolePolicy',
          resource: `arn:aws:iam::${ACCOUNT}:role/zumo-${stack}-nodes-1234567`,
          context: {
            'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess',
            'iam:PermissionsBoundary': boundary,
          },
        },
        { action: 'iam:DeleteOpenIDConnectProvider', resource: PROVIDER },
        // Bootstrap's GitHub connection and CodeBuild's account-wide source credentials.
        { action: 'codeconnections:DeleteConnection', resource: CONNECTION },
        { action: 'codeconnections:UpdateConnectionInstallation', resource: CONNECTION },
        { action: 'codebuild:ImportSourceCredentials', resource: '*' },
        { action: 'codebuild:DeleteSourceCredentials', resource: '*' },
        { action: 's3:PutBucketVersioning', resource: `arn:aws:s3:::${STATE_BUCKET}` },
        {
          action: 'kms:ScheduleKeyDeletion',
          resource: secretsKey(stack),
          context: { 'aws:ResourceTag/stack': stack, 'aws:ResourceTag/purpose': 'pulumi-secrets' },
        },
        { action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::${STATE_BUCKET}` },
      ];
      for (const request of never)
        t.not(
          await decide(me, request),
          'Allowed',
          `${stack}-${kind} must never ${request.action} ${request.resource}`,
        );
    }
    // A preview opens the stack's secrets with its committed encryptedkey: kms:Decrypt only. It can
    // never mint a data key (kms:Encrypt), which a stack file without encryptedkey would need
    // (pulumi-cli-rules.test.ts): that preview fails instead of rewriting the file.
    t.equal(
      await decide(principal(stack, 'preview'), { action: 'kms:Decrypt', resource: secretsKey(stack) }),
      'Allowed',
    );
    t.not(
      await decide(principal(stack, 'preview'), { action: 'kms:Encrypt', resource: secretsKey(stack) }),
      'Allowed',
      `${stack}-preview must never kms:Encrypt with its secrets key`,
    );
  }
});

t.test("must never: a stack's roles touch the other stack's resources, state or secrets", async (t) => {
  // Resources with neither a name nor a tag of their stack (CloudFront policies and origin access
  // controls, Route 53 health checks before their tags) cannot be fenced by IAM in one account
  // (docs/delivery.md lists them); the account's AWS managed aws/ecr key serves both registries.
  const shared = (resource: string) => resource.endsWith(':key/aws-ecr');
  const UNFENCED = new Set([
    'cloudfront:CreateCachePolicy',
    'cloudfront:CreateOriginAccessControl',
    'cloudfront:CreateResponseHeadersPolicy',
    'route53:CreateHealthCheck',
    'route53:ChangeTagsForResource',
    'kms:CreateKey',
    'backup-storage:MountCapsule',
    // The private hosted zone of an interface endpoint belongs to AWS, not to a stack.
    'route53:AssociateVPCWithHostedZone',
  ]);
  for (const stack of STACKS) {
    const them = other(stack);
    const theirs = upTypes(declared[them]).flatMap((type) => needsOf(type, namesOf(them)));
    const promotionReads = new Set([
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:BatchCheckLayerAvailability',
    ]);
    for (const kind of KINDS) {
      const me = principal(stack, kind);
      for (const need of theirs.filter((n) => !UNFENCED.has(n.action) && !shared(n.resource)))
        t.not(await decide(me, need), 'Allowed', `${stack}-${kind}: not ${need.action} on ${them}'s ${need.resource}`);
      const theirState: Request[] = [
        { action: 's3:GetObject', resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/zumo/${them}.json` },
        {
          action: 's3:PutObject',
          resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/locks/organization/zumo/${them}/x.json`,
        },
        { action: 'kms:Decrypt', resource: secretsKey(them), context: { 'aws:ResourceTag/stack': them } },
        { action: 's3:PutObject', resource: `${declared[them].resources.siteBucketArn}/index.html` },
        {
          action: 'cloudfront:CreateInvalidation',
          resource: declared[them].resources.distributionArn,
          context: { 'aws:ResourceTag/stack': them },
        },
        ...['ecr:PutImage', 'ecr:InitiateLayerUpload'].map((action) => ({
          action,
          resource: declared[them].resources.repositoryArn,
          context: { 'aws:ResourceTag/stack': them },
        })),
      ];
      for (const need of theirState)
        t.not(await decide(me, need), 'Allowed', `${stack}-${kind}: not ${need.action} on ${them}'s ${need.resource}`);
      // Reading images is the one thing prod's release role does on dev: that is how it promotes.
      // No other role reads the other stack's image data (layer existence is no data).
      const promotes = stack === 'prod' && kind === 'release';
      for (const action of promotionReads) {
        if (!promotes && action === 'ecr:BatchCheckLayerAvailability') continue;
        const read = await decide(me, {
          action,
          resource: declared[them].resources.repositoryArn,
          context: { 'aws:ResourceTag/stack': them },
        });
        t.equal(
          read === 'Allowed',
          promotes,
          `${stack}-${kind}: ${action} on ${them}'s images ${promotes ? 'allowed' : 'denied'}`,
        );
      }
    }
  }
});

t.test('must never: a pull request (dev preview) reads data, prod state or prod secrets', async (t) => {
  const pr = principal('dev', 'preview');
  const dev = declared.dev.resources;
  const never: Request[] = [
    { action: 's3:GetObject', resource: `${dev.siteBucketArn}/index.html` },
    { action: 's3:GetObject', resource: `${dev.reportsBucketArn}/test-reports/abc1234/index.html` },
    { action: 's3:GetObject', resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/zumo/prod.json` },
    { action: 's3:GetObject', resource: 'arn:aws:s3:::some-other-bucket/data.csv' },
    { action: 'kms:Decrypt', resource: secretsKey('prod'), context: { 'aws:ResourceTag/stack': 'prod' } },
    {
      action: 'logs:GetLogEvents',
      resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/eks/zumo-dev-eks/cluster:log-stream:x`,
    },
    { action: 'ecr:GetDownloadUrlForLayer', resource: dev.repositoryArn },
    { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:x` },
    // Data that AWS's ReadOnlyAccess reads (the review's list): none of it is the program's configuration.
    { action: 'ssm:GetParameter', resource: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/db-password` },
    { action: 'lambda:GetFunction', resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:billing` },
    { action: 'dynamodb:PartiQLSelect', resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/users` },
    { action: 'kinesis:GetRecords', resource: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/events` },
    { action: 'sqs:ReceiveMessage', resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders` },
    { action: 'codecommit:GitPull', resource: `arn:aws:codecommit:eu-west-1:${ACCOUNT}:legacy` },
    { action: 'athena:GetQueryResults', resource: `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/primary` },
    { action: 'ec2:GetConsoleOutput', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123` },
    { action: 'ec2:GetPasswordData', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123` },
    { action: 'ec2:GetLaunchTemplateData', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123` },
    { action: 'wafv2:GetSampledRequests', resource: '*' },
    { action: 'cloudwatch:GetMetricData', resource: '*' },
    {
      action: 'codebuild:BatchGetProjects',
      resource: `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/payments-deploy`,
    },
    { action: 's3:GetObjectAttributes', resource: 'arn:aws:s3:::some-other-bucket/data.csv' },
    { action: 's3:PutObject', resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/zumo/dev.json` },
    {
      action: 'ec2:CreateVpc',
      resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/vpc-1`,
      context: { 'aws:RequestTag/stack': 'dev' },
    },
  ];
  for (const request of never)
    t.not(await decide(pr, request), 'Allowed', `a pull request must never ${request.action} ${request.resource}`);
  t.ok(
    jobs
      .filter((j) => j.subjects.includes(`repo:${REPO}:pull_request`))
      .every((j) => j.roles.every((r) => r.stack === 'dev' && r.kind === 'preview')),
    'pull requests only ever get the dev preview role',
  );
});

t.test(
  'Kubernetes: every job that talks to a cluster has its access entry and runs where the API admits it',
  async (t) => {
    for (const job of jobs)
      for (const c of job.capabilities) {
        if (c.kind !== 'pulumi') continue;
        const role = job.roles[0];
        t.ok(role && role.stack === c.stack, `${job.id}: assumes a ${c.stack} role for the ${c.stack} cluster`);
        if (!role) continue;
        const arn = roleOf(role.stack, role.kind).arn;
        const entries = declared[c.stack].accessEntries
          .filter((e) => e.principalArn === arn)
          .flatMap((e) => e.policies);
        const needed: string[] =
          c.command === 'up' ? [ACCESS_POLICIES.admin] : [ACCESS_POLICIES.adminView, ACCESS_POLICIES.admin];
        t.ok(
          entries.some((p) => needed.includes(p)),
          `${job.id}: ${role.stack}-${role.kind} has an access entry (${needed[0]!.split('/').pop()})`,
        );
        t.equal(
          job.runsOn,
          `codebuild-${declared[c.stack].resources.runnerProject}-\${{ github.run_id }}-\${{ github.run_attempt }}`,
          `${job.id}: runs on the ${c.stack} runner the program creates in the VPC`,
        );
      }
    for (const stack of STACKS) {
      const entries = declared[stack].accessEntries;
      t.same(
        entries.find((e) => e.principalArn === roleOf(stack, 'preview').arn)?.policies,
        [ACCESS_POLICIES.adminView],
        `${stack}: the preview role reads, never writes`,
      );
      for (const kind of ['release', 'publish'] as const)
        t.notOk(
          entries.some((e) => e.principalArn === roleOf(stack, kind).arn),
          `${stack}: the ${kind} role has no cluster access (GitOps)`,
        );
    }
  },
);
