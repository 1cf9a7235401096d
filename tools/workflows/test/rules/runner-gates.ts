// A job that asks for a stack's CodeBuild runner waits in GitHub's queue for 24 hours when that
// runner never starts: before the stack's first `up` (no runner yet), or, in prod, when the run's
// actor is not in ciRunnerActorIds (the webhook drops the build). runner-gate.sh decides from
// repository variables, and every runner job is skipped on its answer, with a notice saying why.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { jobs, loadWorkflows, SCRIPTS_DIR } from '../workflows.js';

function gate(t: Test, env: Record<string, string>, ...stacks: string[]) {
  const output = join(t.testdir(), 'output');
  writeFileSync(output, '');
  const run = spawnSync('bash', [join(SCRIPTS_DIR, 'runner-gate.sh'), ...stacks], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], GITHUB_OUTPUT: output, ACTOR: 'octocat', ACTOR_ID: '583231', ...env },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=') as [string, string]),
  );
  return { ...run, outputs };
}

t.test('no runner job before its stack says the runner exists', async (t) => {
  const none = gate(t, {}, 'dev', 'prod');
  t.equal(none.status, 0, none.stderr);
  t.same(none.outputs, { dev: 'false', prod: 'false' });
  t.match(none.stdout, '::notice title=dev runner jobs skipped::repository variable DEV_RUNNER_READY is not');
  t.match(none.stdout, '::notice title=prod runner jobs skipped::repository variable PROD_RUNNER_READY is not');

  const dev = gate(t, { DEV_RUNNER_READY: 'true' }, 'dev', 'prod');
  t.same(dev.outputs, { dev: 'true', prod: 'false' }, 'dev first; prod waits for its own');
  t.notMatch(dev.stdout, 'dev runner jobs skipped');
});

t.test('prod runner jobs only for the accounts its webhook admits', async (t) => {
  const ready = { DEV_RUNNER_READY: 'true', PROD_RUNNER_READY: 'true' };
  const unset = gate(t, ready, 'dev', 'prod');
  t.same(unset.outputs, { dev: 'true', prod: 'false' }, 'prod always filters, so the list is required');
  t.match(unset.stdout, 'PROD_RUNNER_ACTOR_IDS is not set');

  for (const ids of ['["583231"]', '[1, 583231]', ' [ "1", 583231 ] '])
    t.same(gate(t, { ...ready, PROD_RUNNER_ACTOR_IDS: ids }, 'prod').outputs, { prod: 'true' }, `${ids}: listed`);

  const other = gate(t, { ...ready, PROD_RUNNER_ACTOR_IDS: '["1", "2"]' }, 'dev', 'prod');
  t.equal(other.status, 0);
  t.same(other.outputs, { dev: 'true', prod: 'false' }, 'dev has no list: anyone');
  t.match(other.stdout, 'octocat (account 583231) is not in PROD_RUNNER_ACTOR_IDS');

  const devList = gate(t, { ...ready, DEV_RUNNER_ACTOR_IDS: '["1"]' }, 'dev');
  t.same(devList.outputs, { dev: 'false' }, "a stack's list, where set, counts too");

  for (const bad of ['583231', '["octocat"]', '{"ids": [1]}', '[1.5]', '[']) {
    const refused = gate(t, { ...ready, PROD_RUNNER_ACTOR_IDS: bad }, 'prod');
    t.equal(refused.status, 1, `${bad}: refused`);
    t.match(refused.stdout, '::error title=PROD_RUNNER_ACTOR_IDS::must be a JSON array of GitHub account ids');
    t.same(refused.outputs, {}, `${bad}: no decision`);
  }
  t.equal(gate(t, {}, 'Prod;').status, 2, 'a stack name is checked');
});

t.test('every job on a stack runner waits for the gate and runs only on its yes', async (t) => {
  let checked = 0;
  for (const w of loadWorkflows()) {
    for (const [id, job] of jobs(w)) {
      const stack = /^codebuild-zumo-([a-z]+)-runner-/.exec(job['runs-on'])?.[1];
      if (!stack) continue;
      checked++;
      const needs = ([] as string[]).concat(job.needs ?? []);
      t.ok(needs.includes('runners'), `${w.file}/${id} needs the runners job`);
      t.match(
        job.if,
        `needs.runners.outputs.${stack} == 'true'`,
        `${w.file}/${id}: only when ${stack}'s runner may start`,
      );
      const runners = w.jobs['runners']!;
      t.equal(runners['runs-on'], 'ubuntu-24.04', `${w.file}: the gate itself runs on GitHub's runner`);
      const step = runners.steps.find((s) => s.id === 'gate')!;
      t.match(
        step.run,
        new RegExp(`runner-gate\\.sh( [a-z]+)* ${stack}\\b`),
        `${w.file}: the gate decides for ${stack}`,
      );
      const upper = stack.toUpperCase();
      t.equal(step.env?.[`${upper}_RUNNER_READY`], `\${{ vars.${upper}_RUNNER_READY }}`);
      if (stack === 'prod') t.equal(step.env?.['PROD_RUNNER_ACTOR_IDS'], '${{ vars.PROD_RUNNER_ACTOR_IDS }}');
      t.equal(step.env?.['ACTOR_ID'], '${{ github.actor_id }}', 'the account the webhook is asked about');
    }
  }
  t.ok(checked >= 6, 'infra-up, drift and infra-preview jobs on the runners');
});
