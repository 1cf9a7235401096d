// infra-order.sh: an infra-up of an older commit, started after a newer one was applied (ci runs
// of main finish out of order), is skipped instead of rolling the stack back. A real git history;
// `pulumi stack history --json` answers from a file, in the shape the CLI prints
// (pulumi/pulumi pkg/cmd/pulumi/stack/stack_history.go, updateInfoJSON).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { GIT_IDENTITY, SCRIPTS_DIR } from './workflows.js';

const gitEnv = { ...process.env, ...GIT_IDENTITY };

function setup() {
  const dir = t.testdir({ repo: { 'a.txt': '1\n' } });
  const repo = join(dir, 'repo');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf8' }).trim();
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'older');
  const older = git('rev-parse', 'HEAD');
  writeFileSync(join(repo, 'a.txt'), '2\n');
  git('commit', '--quiet', '-am', 'newer');
  const newer = git('rev-parse', 'HEAD');
  const historyFile = join(dir, 'history.json');
  const pulumi = join(dir, 'pulumi');
  writeFileSync(pulumi, `#!/bin/sh\necho "$*" > "${dir}/args"\ncat "${historyFile}"\n`);
  chmodSync(pulumi, 0o755);
  // infra-affected.sh needs the workspace's Nx graph (tested in infra-affected.test.ts, also with
  // this script): here it answers from a file and records what it was asked.
  const affectedFile = join(dir, 'affected.txt');
  const affectedCalls = join(dir, 'affected-calls');
  const affected = join(dir, 'infra-affected');
  writeFileSync(affected, `#!/bin/sh\necho "$*" >> "${affectedCalls}"\ncat "${affectedFile}"\n`);
  chmodSync(affected, 0o755);
  writeFileSync(affectedCalls, '');
  const update = (kind: string, head: string | undefined, result = 'succeeded') => ({
    version: 1,
    kind,
    startTime: '2026-11-02T10:00:00Z',
    message: 'm',
    environment: head ? { 'git.head': head, 'exec.kind': 'cli' } : { 'exec.kind': 'cli' },
    config: {},
    result,
  });
  const run = (history: unknown[], commit: string, prodAffected = true, force = false) => {
    writeFileSync(historyFile, JSON.stringify(history));
    writeFileSync(affectedFile, `dev=true\nprod=${prodAffected}\n`);
    return spawnSync('bash', [join(SCRIPTS_DIR, 'infra-order.sh'), 'prod', commit], {
      cwd: repo,
      env: { ...gitEnv, PULUMI: pulumi, INFRA_AFFECTED: affected, FORCE: String(force) },
      encoding: 'utf8',
    });
  };
  const askedAffected = () => readFileSync(affectedCalls, 'utf8').trim().split('\n').filter(Boolean);
  return { older, newer, update, run, dir, askedAffected };
}

t.test('infra-order: an older commit than the one applied is skipped', async (t) => {
  const { older, newer, update, run } = setup();
  const late = run([update('update', newer)], older);
  t.equal(late.status, 0, late.stderr);
  t.equal(late.stdout, 'apply=false\n', 'the late, older run does not roll prod back');
  t.match(late.stderr, /already runs .* which contains .*: skipping/);
  t.equal(run([update('update', older)], newer).stdout, 'apply=true\n', 'a newer commit applies');
  t.equal(run([update('update', newer)], newer).stdout, 'apply=true\n', 'the same commit applies again (a rerun)');
});

t.test('infra-order: only updates count, failed ones too; unknown commits do not block', async (t) => {
  const { older, newer, update, run, dir } = setup();
  t.equal(run([], older).stdout, 'apply=true\n', 'a stack without history applies');
  t.equal(
    run([update('refresh', newer), update('update', older)], older).stdout,
    'apply=true\n',
    'a refresh records no applied commit',
  );
  t.equal(
    run([update('update', newer, 'failed')], older).stdout,
    'apply=false\n',
    'a failed newer update changed things too',
  );
  t.equal(
    run([update('update', older, 'failed')], newer, false).stdout,
    'apply=true\n',
    'after a failed update, a newer commit applies whatever it changed (the failed one is tried again)',
  );
  t.equal(run([update('update', undefined)], older).stdout, 'apply=true\n', 'an update without git metadata');
  const local = run([update('update', 'f'.repeat(40))], older);
  t.equal(local.stdout, 'apply=true\n', "an admin's local commit this repository does not know");
  t.match(local.stderr, /does not have/);
  t.match(readFileSync(join(dir, 'args'), 'utf8'), /^stack history --stack prod --json/);
});

t.test(
  'infra-order: a newer commit applies when what the stack reads changed since the commit it applied',
  async (t) => {
    const { older, newer, update, run, askedAffected } = setup();
    const applies = run([update('update', older)], newer, true);
    t.equal(applies.stdout, 'apply=true\n');
    t.match(applies.stderr, /changed since then/);
    t.same(askedAffected(), [`${newer} ${older}`], 'asked against the commit prod applied, not the parent');
    const skips = run([update('update', older)], newer, false);
    t.equal(skips.stdout, 'apply=false\n', 'nothing prod reads changed: no preview, no approval');
    t.match(skips.stderr, /nothing its program reads changed/);
    t.equal(run([update('update', older)], newer, false, true).stdout, 'apply=true\n', 'a dispatch applies anyway');
    t.equal(
      run([update('update', newer)], older, true, true).stdout,
      'apply=false\n',
      'a dispatch of an older commit still never rolls back',
    );
  },
);
