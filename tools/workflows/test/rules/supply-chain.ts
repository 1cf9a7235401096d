// Supply chain of the pipelines (docs/delivery.md): verified node24 action pins, install scripts only
// where no credential is, no cache restored beside one, the Pulumi CLI checksum-verified, Dependabot.
// The wiring of each workflow's steps is rules/workflow-wiring.ts.
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import t from 'tap';
import { jobRuns, jobs, loadWorkflows, REPO_ROOT, type Job } from '../workflows.js';
import { VERIFIED_ACTIONS } from '../verified-actions.js';

const workflows = loadWorkflows();
const assumesRole = (job: Job) => job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
const stepIndex = (job: Job, match: (run: string) => boolean) => job.steps.findIndex((s) => s.run && match(s.run));

t.test('every action is pinned to a verified full commit SHA of a node24 release, one pin per action', async (t) => {
  for (const w of workflows) {
    for (const line of w.text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))) {
      const match = /uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v\d+(?:\.\d+){0,2})$/.exec(
        line.trim().replace(/^- /, ''),
      );
      t.ok(match, `${w.file}: ${line.trim()} is pinned with its version`);
      if (!match) continue;
      const [, action, sha, version] = match;
      const verified = VERIFIED_ACTIONS[action!];
      t.ok(verified, `${w.file}: ${action} is a verified action (tools/workflows/test/verified-actions.ts)`);
      t.equal(sha, verified?.sha, `${w.file}: ${action}@${version} is the verified SHA`);
      t.equal(version, verified?.version, `${w.file}: ${action} comment names the verified tag`);
    }
  }
  t.notOk(
    workflows.some((w) => w.text.includes('pulumi/actions@')),
    'the Pulumi CLI comes from install-pulumi.sh (checksum-verified), not an action',
  );
});

t.test('install scripts run only in ci, which holds no credential', async (t) => {
  // A dependency's install script runs with whatever its job holds. Only ci needs them (the tests
  // load better-sqlite3's native build); every other job builds with esbuild and tsc, which need
  // none, and Pulumi installs its plugins itself (the npm install scripts find no CLI there anyway).
  for (const w of workflows)
    for (const [id, job] of jobs(w))
      for (const run of jobRuns(job).filter((r) => /\bnpm ci\b/.test(r))) {
        if (w.file === 'ci.yml') {
          t.notMatch(JSON.stringify(job), /id-token|secrets\./, `${w.file}/${id}: no OIDC token, no secret`);
          t.same(job.permissions, { contents: 'read', actions: 'read' }, `${w.file}/${id}: read-only token`);
        } else t.match(run, 'npm ci --ignore-scripts', `${w.file}/${id}: npm ci --ignore-scripts`);
      }
});

t.test('no job holding AWS credentials or the App token restores a cache', async (t) => {
  // Caches are shared by branch, not by workflow or job, and any code in a job can write an entry
  // under the lockfile's key (github/docs "Dependency caching"; actions/setup-node README, which
  // recommends package-manager-cache: false "for workflows with elevated privileges"). ci runs
  // install scripts; a cache it wrote, restored where credentials are, runs with them. setup-node
  // v5+ caches npm by itself when package.json has a packageManager field, so each such job turns
  // it off explicitly.
  for (const w of workflows)
    for (const [id, job] of jobs(w)) {
      const credentialed =
        assumesRole(job) || job.steps.some((s) => s.uses?.startsWith('actions/create-github-app-token@'));
      if (!credentialed) continue;
      for (const step of job.steps) {
        t.notOk(step.uses?.startsWith('actions/cache'), `${w.file}/${id}: no actions/cache`);
        if (!step.uses?.startsWith('actions/setup-node@')) continue;
        t.notOk('cache' in (step.with ?? {}), `${w.file}/${id}: setup-node without cache:`);
        t.equal(step.with?.['package-manager-cache'], false, `${w.file}/${id}: package-manager-cache: false`);
      }
    }
});

t.test('the Pulumi CLI: one version, installed checksum-verified, before any pulumi command', async (t) => {
  const versions = new Set(workflows.flatMap((w) => (w.env?.['PULUMI_VERSION'] ? [w.env['PULUMI_VERSION']] : [])));
  t.same([...versions], ['3.248.0'], 'one pinned version');
  for (const w of workflows)
    for (const [id, job] of jobs(w)) {
      const pulumi = stepIndex(job, (r) => /nx run infra:(preview|up|refresh)/.test(r));
      if (pulumi < 0) continue;
      const install = stepIndex(job, (r) => r.includes('bash .github/scripts/install-pulumi.sh "$PULUMI_VERSION"'));
      t.ok(install >= 0 && install < pulumi, `${w.file}/${id} installs the verified CLI first`);
    }
});

t.test('Dependabot keeps actions and npm packages current, in groups', async (t) => {
  const config = parse(readFileSync(join(REPO_ROOT, '.github/dependabot.yml'), 'utf8')) as {
    updates: { 'package-ecosystem': string; groups?: Record<string, unknown> }[];
  };
  t.same(config.updates.map((u) => u['package-ecosystem']).sort(), ['github-actions', 'npm']);
  t.ok(
    config.updates.every((u) => Object.keys(u.groups ?? {}).length > 0),
    'grouped',
  );
  const nx = config.updates.find((u) => u['package-ecosystem'] === 'npm')!.groups!['nx'] as { patterns: string[] };
  t.same(nx.patterns, ['nx', '@nx/*'], 'nx and @nx/* move together (one identical version)');
});

t.test('every script a workflow calls exists and is executable', async (t) => {
  // The variables, secrets and environments they read: rules/delivery-settings.ts.
  for (const w of workflows) {
    for (const script of new Set(w.text.match(/\.github\/scripts\/[\w-]+\.sh/g) ?? [])) {
      t.doesNotThrow(() => accessSync(join(REPO_ROOT, script), constants.X_OK), `${w.file}: ${script}`);
    }
  }
});
