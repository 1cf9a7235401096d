// infra-affected.sh against the real Nx graph of this workspace, in a throw-away git copy of it
// (as web-affected's test does), for commits Nx decides: the program, what it imports, the rest.
// Nx alone counts every deploy/ change as infra's: each release bump would run `pulumi up dev` and
// ask the prod reviewers to approve a change neither stack applies. The commits Nx does not
// decide: infra-affected-overlays.test.ts.
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { infraAffected } from './infra-affected-run.js';
import { SCRIPTS_DIR } from './workflows.js';
import { workspaceCopy } from './workspace-copy.js';

// One copy for the file: each Nx call then finds the graph of the previous commit cached.
const ws = workspaceCopy(t);

t.test('infra-affected: the program and what it imports count for both stacks, the rest for none', async (t) => {
  const { affected, release, edit } = infraAffected(t, ws);
  /** Nx alone, on every file the commit changed. */
  const nxSaysInfra = (sha: string) =>
    spawnSync('npx', ['nx', 'show', 'projects', '--affected', `--base=${sha}^1`, `--head=${sha}`], {
      cwd: ws.root,
      env: ws.env,
      encoding: 'utf8',
    })
      .stdout.split('\n')
      .includes('infra');

  release('dev', 'aaaaaaa', 1);
  const bump = release('dev', 'bbbbbbb', 2);
  t.ok(nxSaysInfra(bump), 'Nx alone counts a release bump as an infra change');
  t.same(affected(bump), { dev: 'false', prod: 'false' }, 'infra-affected does not');
  t.same(affected(edit('infra/src/index.ts')), { dev: 'true', prod: 'true' }, 'the program');
  t.same(affected(edit('packages/config/src/index.ts')), { dev: 'true', prod: 'true' }, 'a package it imports');
  t.same(affected(edit('apps/web/src/server.ts')), { dev: 'false', prod: 'false' }, 'the web service');
});

t.test('infra-order: a change whose waiting run was cancelled still reaches prod', async (t) => {
  // prod runs A; X changes the program; Y changes only dev's stack file. GitHub cancels X's
  // waiting run when Y's queues, so only Y's run decides, and Y against its parent is dev only.
  const { edit } = infraAffected(t, ws);
  const applied = ws.git('rev-parse', 'HEAD');
  edit('infra/src/index.ts');
  const devOnly = edit('Pulumi.dev.yaml');
  const history = join(ws.root, '..', 'history.json');
  writeFileSync(
    history,
    JSON.stringify([{ kind: 'update', result: 'succeeded', environment: { 'git.head': applied } }]),
  );
  const pulumi = join(ws.root, '..', 'pulumi');
  writeFileSync(pulumi, `#!/bin/sh\ncat '${history}'\n`);
  chmodSync(pulumi, 0o755);
  const run = (script: string, ...args: string[]) =>
    spawnSync('bash', [join(SCRIPTS_DIR, script), ...args], {
      cwd: ws.root,
      env: { ...ws.env, PULUMI: pulumi },
      encoding: 'utf8',
    });
  t.match(run('infra-affected.sh', devOnly).stdout, 'prod=false', 'the commit against its parent leaves prod out');
  const order = run('infra-order.sh', 'prod', devOnly);
  t.equal(order.status, 0, order.stderr);
  t.equal(order.stdout, 'apply=true\n', "against the commit prod applied, the program's change is there");
});
