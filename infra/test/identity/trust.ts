// The identity matrix, trust: which GitHub OIDC subjects each role admits, from the workflow files
// (job -> event -> OIDC subject -> role), checked against the trust policies both stacks declare.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { REPO_ROOT } from '../mocks.js';
import { declaredIam } from '../ci/declared.js';
import { IMMUTABLE_SUBJECT_PREFIX, IMMUTABLE_SUBJECTS } from '../ci/declared-variants.js';
import { admits } from '../ci/trust.js';
import { workflowJobs } from '../ci/workflow-jobs.js';
import { declared, jobs, KINDS, PROVIDER, REPO, roleIn, roleOf, STACKS } from './fixture.js';

const stackFile = (stack: string) =>
  (parse(readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> }).config;

t.test('each role admits exactly the jobs meant for it', async (t) => {
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

t.test('prod roles refuse pull requests, plain main and every other environment', async (t) => {
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
  for (const kind of ['infra', 'release', 'preview']) {
    t.notOk(
      admits(roleOf('prod', kind).trust, PROVIDER, `repo:${REPO}:ref:refs/heads/main`),
      `prod ${kind} refuses repo:${REPO}:ref:refs/heads/main`,
    );
    t.notOk(admits(roleOf('prod', kind).trust, PROVIDER, `repo:${REPO}:pull_request`), `prod ${kind} refuses PRs`);
  }
});

t.test('the environment that holds the release App key gets no AWS role', async (t) => {
  for (const stack of STACKS)
    for (const kind of KINDS)
      t.notOk(
        admits(roleOf(stack, kind).trust, PROVIDER, `repo:${REPO}:environment:release-app`),
        `${stack}-${kind} refuses release-app`,
      );
});

t.test('a repository with immutable subject claims gets its roles on the first run', async (t) => {
  // GitHub's OIDC reference, "Immutable subject claims": repositories created, renamed or
  // transferred after 2026-07-15 send repo:OWNER@OWNER-ID/REPO@REPO-ID:<context>.
  const prefix = IMMUTABLE_SUBJECT_PREFIX;
  const immutable = { dev: declaredIam('dev', IMMUTABLE_SUBJECTS), prod: declaredIam('prod', IMMUTABLE_SUBJECTS) };
  for (const job of workflowJobs(prefix))
    for (const { stack, kind } of job.roles)
      for (const sub of job.subjects) {
        t.ok(
          admits(roleIn(immutable[stack], kind).trust, PROVIDER, sub),
          `${stack}-${kind} admits ${job.id} as ${sub}`,
        );
        const legacy = sub.replace(prefix, `repo:${REPO}`);
        t.notOk(admits(roleIn(immutable[stack], kind).trust, PROVIDER, legacy), `and no longer ${legacy}`);
      }
});

t.test("each stack's runner starts only for the workflows that use it, and in prod only for its actors", async (t) => {
  for (const d of Object.values(declared)) {
    const label = `codebuild-${d.resources.runnerProject}-`;
    const users = [...new Set(jobs.filter((j) => j.runsOn.startsWith(label)).map((j) => j.workflow))].sort();
    const [group, ...others] = d.resources.runnerWebhookFilters;
    t.same(others, [], `${d.stack}: one filter group`);
    const filter = (type: string) => group!.filters.find((f) => f.type === type)?.pattern;
    t.equal(filter('EVENT'), 'WORKFLOW_JOB_QUEUED', `${d.stack}: queued workflow jobs`);
    const names = new RegExp(filter('WORKFLOW_NAME') ?? '.*');
    for (const workflow of [...new Set(jobs.map((j) => j.workflow))])
      t.equal(
        names.test(workflow),
        users.includes(workflow),
        `${d.stack}: ${workflow} ${users.includes(workflow) ? 'may' : 'may not'} start the runner`,
      );
    t.notOk(names.test(`${users[0]}-copy`), `${d.stack}: whole names only`);
    // A pull request sets a workflow's name itself; the actor who queued the job it cannot (AWS
    // CodeBuild user guide, webhooks, best practices: ACTOR_ACCOUNT_ID filters).
    const actors = filter('ACTOR_ACCOUNT_ID');
    const configured = (stackFile(d.stack)['zumo:ciRunnerActorIds'] ?? []) as number[];
    if (d.stack === 'prod') t.ok(configured.length > 0, 'prod names the actors who may start its runner');
    if (configured.length === 0) {
      t.equal(actors, undefined, `${d.stack}: no actor filter when none is configured`);
      continue;
    }
    const allowed = new RegExp(actors ?? '.*');
    for (const id of configured) {
      t.ok(allowed.test(String(id)), `${d.stack}: ${id} may start the runner`);
      for (const stranger of [`${id}0`, `9${id}`, String(id + 1)])
        t.notOk(allowed.test(stranger), `${d.stack}: ${stranger} may not`);
    }
  }
  t.same(
    [...new Set(jobs.filter((j) => j.runsOn.startsWith('codebuild-zumo-prod-runner-')).map((j) => j.workflow))].sort(),
    ['drift', 'infra-up'],
    'no pull request workflow asks for the prod runner',
  );
});
