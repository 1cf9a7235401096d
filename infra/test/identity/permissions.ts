// The identity matrix, permissions: a real IAM evaluator allows every AWS request a job's steps
// make (job -> capability -> requests) to the role it assumes, every job that talks to the
// Kubernetes API has an access entry and runs where the endpoint admits it, and nothing a job holds
// runs out before the job does.
import { createRequire } from 'node:module';
import t from 'tap';
import { ACCOUNT } from '../mocks.js';
import { decide } from '../ci/simulate.js';
import { namesOf, needsOf, requestsFor, upTypes } from '../ci/requests.js';
import { COMPONENT_CHILDREN, UP_ACTIONS } from '../ci/resource-actions.js';
import type { JobRow } from '../ci/workflow-jobs.js';
import type { DeclaredIam } from '../ci/declared.js';
import { ACCESS_POLICIES } from '../../src/lib/eks.js';
import { declared, jobs, principal, roleOf, STACKS } from './fixture.js';

const onRunner = (d: DeclaredIam) => (job: JobRow) => job.runsOn.startsWith(`codebuild-${d.resources.runnerProject}-`);

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

t.test('every request a job makes is allowed to the role it assumes', async (t) => {
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

t.test('up covers every resource type the program declares', async (t) => {
  for (const stack of STACKS) {
    const types = upTypes(declared[stack]);
    t.ok(types.length > 40, `${stack}: ${types.length} AWS resource types`);
    for (const type of types)
      t.doesNotThrow(() => needsOf(type, namesOf(stack)), `${stack}: ${type} has its actions written down`);
  }
});

t.test('the action table lists only what some stack declares', async (t) => {
  const declaredTypes = new Set(STACKS.flatMap((stack) => declared[stack].resourceTypes));
  const upTypesOfAny = new Set(STACKS.flatMap((stack) => upTypes(declared[stack])));
  for (const type of Object.keys(UP_ACTIONS))
    t.ok(upTypesOfAny.has(type), `${type}: declared by some stack (or drop its actions from resource-actions.ts)`);
  for (const component of Object.keys(COMPONENT_CHILDREN))
    t.ok(declaredTypes.has(component), `${component}: a component some stack declares`);
});

t.test('the infra role can create what up needs beyond the table', async (t) => {
  // prod declares ECR and STS interface endpoints with privateDnsEnabled (components/network.ts).
  t.ok(declared.prod.resourceTypes.includes('aws:ec2/vpcEndpoint:VpcEndpoint'));
  t.equal(
    await decide(principal('prod', 'infra'), {
      action: 'route53:AssociateVPCWithHostedZone',
      resource: 'arn:aws:route53:::hostedzone/Z0AWSMANAGED',
    }),
    'Allowed',
    'interface endpoints with private DNS',
  );
  t.equal(
    await decide(principal('dev', 'infra'), { action: 'backup-storage:MountCapsule', resource: '*' }),
    'Allowed',
    'the backup vault (backup-storage:MountCapsule)',
  );
});

t.test('the release role can pull what it promotes', async (t) => {
  t.equal(
    await decide(principal('prod', 'release'), {
      action: 'ecr:GetDownloadUrlForLayer',
      resource: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/zumo/web-dev`,
    }),
    'Allowed',
    'prod release reads the dev image layers',
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

t.test('Kubernetes: previews stay view-only; the provider previews refused dry runs client-side', async (t) => {
  // Server-side apply previews are dry-run creates and patches, which RBAC authorizes as the real
  // verbs. pulumi-kubernetes 4.1.0 answers a 403 with a client-side preview (pulumi-kubernetes
  // pull requests 2419 and 2522), so the view-only role works; an older provider would fail every
  // preview of a new object.
  const { version } = createRequire(import.meta.url)('@pulumi/kubernetes/package.json') as { version: string };
  const [major, minor] = version.split('.').map(Number) as [number, number];
  t.ok(major > 4 || (major === 4 && minor >= 1), `@pulumi/kubernetes ${version} falls back to client-side previews`);
  for (const d of Object.values(declared)) {
    const preview = roleOf(d.stack, 'preview').arn;
    t.same(
      d.accessEntries.filter((e) => e.principalArn === preview).flatMap((e) => e.policies),
      [ACCESS_POLICIES.adminView],
      `${d.stack}: the preview role reads the cluster and writes nothing, not even dry runs`,
    );
  }
});

t.test('nothing a job holds expires before the job times out', async (t) => {
  // A `pulumi up` cut off (job timeout, expired credentials, the runner's build timeout) leaves
  // its stack locked and its last checkpoint behind (docs/delivery.md, "A locked stack").
  for (const job of jobs) {
    const role = job.roles[0];
    if (role) {
      const held = roleOf(role.stack, role.kind);
      t.ok(
        job.roleDurationSeconds! >= job.timeoutMinutes * 60,
        `${job.id}: a ${job.roleDurationSeconds} s session outlasts its ${job.timeoutMinutes} min timeout`,
      );
      t.ok(
        job.roleDurationSeconds! <= held.maxSessionDuration,
        `${job.id}: ${role.stack}-${role.kind} allows ${held.maxSessionDuration} s sessions`,
      );
    }
    if (job.capabilities.some((c) => c.kind === 'pulumi' && c.command === 'up'))
      t.ok(job.timeoutMinutes >= 150, `${job.id}: an up of a cluster (nodes, add-ons, Argo CD) has 150 minutes`);
  }
  for (const d of Object.values(declared)) {
    const longest = Math.max(...jobs.filter(onRunner(d)).map((j) => j.timeoutMinutes));
    t.ok(
      d.resources.runnerProjectSettings.buildTimeout! > longest,
      `${d.stack}: the runner's build (${d.resources.runnerProjectSettings.buildTimeout} min) outlives its longest job (${longest} min)`,
    );
  }
});

t.test('a runner project starts at most the builds its own jobs can use at once', async (t) => {
  // Without a limit, a pull request that adds workflows (a workflow's name is what its file says,
  // and the runner's webhook filters by name) starts as many builds as it likes in the VPC. With a
  // limit, CodeBuild refuses a build beyond it instead of queueing it ("Builds in AWS CodeBuild"),
  // and the refused job waits in GitHub's queue: so the limit admits every job that can
  // legitimately run at once. Main-branch jobs of one concurrency group run one at a time; pull
  // request previews have a group per pull request, so they get a fixed share.
  const PR_PREVIEWS_AT_ONCE = 2;
  for (const d of Object.values(declared)) {
    const mine = jobs.filter(onRunner(d));
    const groups = new Set(mine.filter((j) => !j.events.includes('pull_request')).map((j) => j.concurrencyGroup));
    t.notOk(groups.has(undefined), `${d.stack}: every main-branch job on the runner has a concurrency group`);
    const fromPullRequests = mine.some((j) => j.events.includes('pull_request'));
    const needed = groups.size + (fromPullRequests ? PR_PREVIEWS_AT_ONCE : 0);
    t.equal(
      d.resources.runnerProjectSettings.concurrentBuildLimit,
      needed,
      `${d.stack}: ${needed} builds at once (${[...groups].join(', ')}${fromPullRequests ? `, ${PR_PREVIEWS_AT_ONCE} pull request previews` : ''})`,
    );
  }
});
