// The rules these pipelines promise (docs/delivery.md), checked on the parsed workflows: pinned
// actions, least privilege per job, no interleaving releases, the OIDC subjects the AWS roles
// accept, and the wiring of each workflow's steps.
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { allSteps, byName, loadWorkflows, REPO_ROOT, type Job, type Workflow } from './workflows.js';

const workflows = loadWorkflows();
const jobs = (w: Workflow) => Object.entries(w.jobs);
const runs = (w: Workflow) => allSteps(w).flatMap((s) => (s.run ? [s.run] : []));
const assumes = (job: Job, role: RegExp) =>
  job.steps.some(
    (s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@') && role.test(String(s.with?.['role-to-assume'])),
  );
const environment = (job: Job) => (typeof job.environment === 'string' ? job.environment : job.environment?.name);

t.test('every action is pinned to a full commit SHA with its version in a comment', async (t) => {
  const pins = new Map<string, string>();
  for (const w of workflows) {
    for (const line of w.text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))) {
      const match = /uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # v\d+(\.\d+){0,2}$/.exec(line.trim().replace(/^- /, ''));
      t.ok(match, `${w.file}: ${line.trim()}`);
      if (!match) continue;
      const [, action, sha] = match;
      if (pins.has(action!)) t.equal(sha, pins.get(action!), `${action} has one pin everywhere`);
      pins.set(action!, sha!);
    }
  }
  t.ok(pins.size >= 6, `${pins.size} distinct actions`);
});

t.test('least privilege: nothing at the top, an explicit permissions map on every job', async (t) => {
  for (const w of workflows) {
    t.same(w.permissions, {}, `${w.file}: top-level permissions: {}`);
    for (const [id, job] of jobs(w)) {
      t.type(job.permissions, 'object', `${w.file}/${id} declares its permissions`);
      const perms = job.permissions as Record<string, string>;
      if (perms['id-token'] === 'write')
        t.ok(assumes(job, /ROLE_ARN/), `${w.file}/${id}: id-token only where an AWS role is assumed`);
      if (perms['contents'] === 'write')
        t.ok(['release', 'promote'].includes(w.name), `${w.file}/${id}: only releases write to the repository`);
      t.ok(job['timeout-minutes'], `${w.file}/${id} has a timeout`);
    }
  }
});

t.test('no untrusted expression is pasted into a shell script', async (t) => {
  for (const w of workflows)
    for (const run of runs(w))
      t.notMatch(run, /\$\{\{\s*(github\.event|github\.head_ref|inputs\.)/, `${w.file}: ${run.split('\n')[0]}`);
});

t.test('what changes the world is serialized and never cancelled half-way', async (t) => {
  for (const name of ['release', 'promote', 'infra-up', 'drift']) {
    const w = byName(name);
    t.ok(w.concurrency?.group, `${name} has a concurrency group`);
    t.equal(w.concurrency?.['cancel-in-progress'], false, `${name} queues instead of cancelling`);
  }
  t.equal(byName('ci').concurrency?.['cancel-in-progress'], true, 'ci cancels superseded runs');
});

t.test('OIDC: each job assumes only roles whose trust policy accepts its subject', async (t) => {
  for (const w of workflows) {
    for (const [id, job] of jobs(w)) {
      const where = `${w.file}/${id}`;
      if (assumes(job, /PROD_INFRA_ROLE_ARN/))
        t.equal(environment(job), 'prod', `${where}: prod infra only in the prod environment`);
      if (assumes(job, /DEV_INFRA_ROLE_ARN|RELEASE_ROLE_ARN/))
        t.equal(
          environment(job),
          undefined,
          `${where}: main-branch roles need the plain main subject (no environment)`,
        );
      if (assumes(job, /PREVIEW_ROLE_ARN/))
        t.ok(
          'pull_request' in w.on || environment(job) === 'drift',
          `${where}: preview roles from pull requests or the drift environment`,
        );
    }
  }
});

t.test('ci: Node 22 and 24, npm cache, nx-set-shas, affected targets, report upload', async (t) => {
  const ci = byName('ci');
  t.ok('pull_request' in ci.on && 'push' in ci.on);
  const job = Object.values(ci.jobs)[0]!;
  t.same((job as unknown as { strategy: { matrix: { node: number[] } } }).strategy.matrix.node, [22, 24]);
  t.ok(job.steps.some((s) => s.uses?.startsWith('actions/setup-node@') && s.with?.['cache'] === 'npm'));
  t.ok(job.steps.some((s) => s.uses?.startsWith('nrwl/nx-set-shas@')));
  t.ok(job.steps.some((s) => s.uses?.startsWith('actions/cache@') && s.with?.['path'] === '.nx/cache'));
  t.ok(runs(ci).some((r) => r.includes('nx affected -t lint typecheck test build')));
  t.ok(
    runs(ci).some((r) => r.includes('nx run workflows:test')),
    'workflow checks always run',
  );
  t.ok(job.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@') && s.if?.includes('!cancelled()')));
});

t.test('release: after a green ci on main, image + page + report + Sentry + race-free bump', async (t) => {
  const release = byName('release');
  t.same(release.on['workflow_run'], { workflows: ['ci'], types: ['completed'], branches: ['main'] });
  const job = release.jobs['release']!;
  t.match(job.if, "workflow_run.conclusion == 'success'");
  const script = runs(release).join('\n');
  t.match(script, /docker buildx build[\s\S]*--metadata-file image.json --push/, 'pushes and records the digest');
  t.match(script, 'tag="${COMMIT:0:7}"', 'tag = short SHA');
  t.match(script, 'sync-static-cli.js');
  t.match(script, 'aws s3 cp --recursive');
  t.match(script, 'sentry-release.sh "${COMMIT:0:7}" dev');
  t.match(script, /commit-and-push\.sh main .*\n.*bump-release\.sh deploy\/web\/overlays\/dev/);
});

t.test('promote: dispatch opens a pull request; merging it publishes prod', async (t) => {
  const promote = byName('promote');
  t.ok('workflow_dispatch' in promote.on);
  t.same((promote.on['push'] as { paths: string[] }).paths, ['deploy/web/overlays/prod/kustomization.yaml']);
  const script = runs(promote).join('\n');
  t.match(script, '--overlay deploy/web/overlays/dev --print', 'reads what dev runs');
  t.match(script, 'gh pr create');
  t.match(script, 'refusing to promote', 'the digest must survive the copy');
  t.match(script, 'sentry-release.sh "$TAG" prod');
});

t.test('infra-up: affected only, dev first, prod behind the protected environment', async (t) => {
  const up = byName('infra-up');
  t.match(runs(up).join('\n'), 'nx show projects --affected');
  t.equal(up.jobs['up-prod']!.needs, 'up-dev');
  t.equal(environment(up.jobs['up-prod']!), 'prod');
  t.match(runs(up).join('\n'), 'nx run infra:up:dev');
  t.match(runs(up).join('\n'), 'nx run infra:up:prod');
});

t.test('infra-preview and drift: both stacks, one comment, one issue', async (t) => {
  const preview = byName('infra-preview');
  const previewScript = runs(preview).join('\n');
  for (const stack of ['dev', 'prod']) t.match(previewScript, `nx run infra:preview:${stack}`);
  t.equal(previewScript.match(/upsert-pr-comment\.sh/g)?.length, 1, 'one comment');
  t.ok((preview.on['pull_request'] as { paths: string[] }).paths.includes('packages/**'));

  const drift = byName('drift');
  t.ok('schedule' in drift.on);
  const driftScript = runs(drift).join('\n');
  for (const stack of ['dev', 'prod'])
    t.match(driftScript, `nx run infra:preview:${stack} --outputStyle=static -- --refresh --expect-no-changes`);
  t.match(driftScript, 'drift-issue.sh');
});

t.test('every script a workflow calls exists and is executable; every variable is documented', async (t) => {
  const delivery = readFileSync(join(REPO_ROOT, 'docs/delivery.md'), 'utf8');
  for (const w of workflows) {
    for (const script of new Set(w.text.match(/\.github\/scripts\/[\w-]+\.sh/g) ?? [])) {
      t.doesNotThrow(() => accessSync(join(REPO_ROOT, script), constants.X_OK), `${w.file}: ${script}`);
    }
    for (const name of new Set([...w.text.matchAll(/\b(vars|secrets)\.([A-Z0-9_]+)/g)].map((m) => m[2]!))) {
      t.match(delivery, `\`${name}\``, `${w.file}: ${name} is documented in docs/delivery.md`);
    }
  }
});
