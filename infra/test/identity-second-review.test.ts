// The second review of CI/CD and IAM ("would every workflow succeed on its first real run, and
// what could a pull request, a Dependabot pull request or a compromised dependency do?"): the
// findings that join the workflow files and what the program declares, one test per finding.
import t from 'tap';
import { declaredIam, type DeclaredIam } from './ci/declared.js';
import { workflowJobs, type JobRow } from './ci/workflow-jobs.js';
import { boundaryDocuments } from './ci/declared.js';
import { decide, principalOf, type Principal, type Request } from './ci/simulate.js';
import { ACCOUNT } from './mocks.js';
import { createRequire } from 'node:module';
import { ACCESS_POLICIES } from '../src/lib/eks.js';

const stacks = { dev: declaredIam('dev'), prod: declaredIam('prod') };
const jobs = workflowJobs('repo:zumo-platform/zumo');
const roleOf = (d: DeclaredIam, kind: string) => {
  const found = d.roles.find((r) => r.name === `zumo-${d.stack}-${kind}`);
  if (!found) throw new Error(`zumo-${d.stack}-${kind} is not declared`);
  return found;
};
const onRunner = (d: DeclaredIam) => (job: JobRow) => job.runsOn.startsWith(`codebuild-${d.resources.runnerProject}-`);

t.test('item 6: nothing a job holds expires before the job times out', async (t) => {
  // A `pulumi up` cut off (job timeout, expired credentials, the runner's build timeout) leaves
  // its stack locked and its last checkpoint behind (docs/delivery.md, "A locked stack").
  for (const job of jobs) {
    const role = job.roles[0];
    if (role) {
      const declared = roleOf(stacks[role.stack], role.kind);
      t.ok(
        job.roleDurationSeconds! >= job.timeoutMinutes * 60,
        `${job.id}: a ${job.roleDurationSeconds} s session outlasts its ${job.timeoutMinutes} min timeout`,
      );
      t.ok(
        job.roleDurationSeconds! <= declared.maxSessionDuration,
        `${job.id}: ${role.stack}-${role.kind} allows ${declared.maxSessionDuration} s sessions`,
      );
    }
    if (job.capabilities.some((c) => c.kind === 'pulumi' && c.command === 'up'))
      t.ok(job.timeoutMinutes >= 150, `${job.id}: an up of a cluster (nodes, add-ons, Argo CD) has 150 minutes`);
  }
  for (const d of Object.values(stacks)) {
    const longest = Math.max(...jobs.filter(onRunner(d)).map((j) => j.timeoutMinutes));
    t.ok(
      d.resources.runnerProjectSettings.buildTimeout! > longest,
      `${d.stack}: the runner's build (${d.resources.runnerProjectSettings.buildTimeout} min) outlives its longest job (${longest} min)`,
    );
  }
});

t.test('item 9: a runner project starts at most the builds its own jobs can use at once', async (t) => {
  // Without a limit, a pull request that adds workflows (a workflow's name is what its file says,
  // and the runner's webhook filters by name) starts as many builds as it likes in the VPC. With a
  // limit, CodeBuild refuses a build beyond it instead of queueing it ("Builds in AWS CodeBuild"),
  // and the refused job waits in GitHub's queue: so the limit admits every job that can
  // legitimately run at once. Main-branch jobs of one concurrency group run one at a time; pull
  // request previews have a group per pull request, so they get a fixed share.
  const PR_PREVIEWS_AT_ONCE = 2;
  for (const d of Object.values(stacks)) {
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

t.test("item 7: no role of a stack writes, attaches or detaches the infra role's managed policies", async (t) => {
  // They hold the infra role's rights: whoever could add a version to one, or attach it to a role
  // they can assume, would hold them too. Only an admin's `up` writes them (docs/delivery.md).
  const boundaries = boundaryDocuments();
  for (const d of Object.values(stacks)) {
    const boundary = `arn:aws:iam::${ACCOUNT}:policy/zumo-${d.stack}-boundary`;
    const infra = roleOf(d, 'infra');
    const principals: [string, Principal][] = [
      ...['release', 'publish', 'preview', 'infra'].map((kind): [string, Principal] => [
        kind,
        principalOf(roleOf(d, kind), boundaries),
      ]),
      // A role the infra role could create with any policy: only the boundary caps it.
      [
        'a role the infra role creates',
        {
          arn: `arn:aws:iam::${ACCOUNT}:role/zumo-${d.stack}-created`,
          policies: [
            {
              name: 'any',
              policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
            },
          ],
          boundary: boundaries[boundary],
        },
      ],
    ];
    t.equal(infra.customerManaged.length, 3, `${d.stack}: the infra role's managed policies are declared`);
    for (const { arn } of infra.customerManaged) {
      const never: Request[] = [
        ...['CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicyVersion', 'DeletePolicy', 'TagPolicy'].map(
          (action) => ({ action: `iam:${action}`, resource: arn }),
        ),
        { action: 'iam:CreatePolicy', resource: arn.replace(/-(core|network|services)$/, '-more') },
        {
          action: 'iam:AttachRolePolicy',
          resource: `arn:aws:iam::${ACCOUNT}:role/zumo-${d.stack}-created`,
          context: { 'iam:PolicyARN': arn, 'iam:PermissionsBoundary': boundary },
        },
        { action: 'iam:DetachRolePolicy', resource: infra.arn, context: { 'iam:PolicyARN': arn } },
      ];
      for (const [who, principal] of principals)
        for (const request of never)
          t.not(
            await decide(principal, request),
            'Allowed',
            `${d.stack}: ${who} must never ${request.action} ${request.resource}`,
          );
    }
    // The fence is no wider than that: the infra role still attaches AWS managed policies to its roles.
    t.equal(
      await decide(principalOf(infra, boundaries), {
        action: 'iam:AttachRolePolicy',
        resource: `arn:aws:iam::${ACCOUNT}:role/zumo-${d.stack}-nodes-1234567`,
        context: {
          'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
          'iam:PermissionsBoundary': boundary,
        },
      }),
      'Allowed',
      `${d.stack}: the infra role attaches AWS managed policies to the roles it creates`,
    );
  }
});

t.test(
  'item 5: previews stay view-only on the cluster; the provider previews refused dry runs client-side',
  async (t) => {
    // Server-side apply previews are dry-run creates and patches, which RBAC authorizes as the real
    // verbs. pulumi-kubernetes 4.1.0 answers a 403 with a client-side preview (#2419, #2522), so the
    // view-only role works; an older provider would fail every preview of a new object.
    const { version } = createRequire(import.meta.url)('@pulumi/kubernetes/package.json') as { version: string };
    const [major, minor] = version.split('.').map(Number) as [number, number];
    t.ok(major > 4 || (major === 4 && minor >= 1), `@pulumi/kubernetes ${version} falls back to client-side previews`);
    for (const d of Object.values(stacks)) {
      const preview = roleOf(d, 'preview').arn;
      t.same(
        d.accessEntries.filter((e) => e.principalArn === preview).flatMap((e) => e.policies),
        [ACCESS_POLICIES.adminView],
        `${d.stack}: the preview role reads the cluster and writes nothing, not even dry runs`,
      );
    }
  },
);
