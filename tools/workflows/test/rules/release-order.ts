// Two releases whose ci runs finish out of order: the older one must skip its image, page and
// bump, decided by release.yml's first job before any job with side effects runs. The decision
// step is run as the workflow runs it (its `run:` text, in a checkout of the release commit with
// every branch fetched, as actions/checkout does with fetch-depth: 0), in a real git repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { byName, GIT_IDENTITY, REPO_ROOT } from '../workflows.js';

const DEV = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const gitEnv = { ...process.env, ...GIT_IDENTITY };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

const changes = byName('release').jobs['changes']!;
const decision = changes.steps.find((s) => s.id === 'affected')!;

/** Runs release.yml's decision step for COMMIT in a fresh checkout of it; returns its outputs. */
function decide(dir: string, origin: string, commit: string) {
  const job = join(dir, `job-${commit.slice(0, 7)}-${Date.now()}`);
  git(dir, 'clone', '--quiet', origin, job);
  git(job, 'checkout', '--quiet', '--detach', commit);
  const output = join(job, '.github-output');
  writeFileSync(output, '');
  const run = spawnSync('bash', ['-e', '-c', decision.run!], {
    cwd: job,
    encoding: 'utf8',
    env: { ...gitEnv, ...decision.env, COMMIT: commit, GITHUB_OUTPUT: output, RUNNER_TEMP: job },
  });
  return { ...run, outputs: readFileSync(output, 'utf8') };
}

t.test('release: a late, older release is skipped before its image and page, from main', async (t) => {
  const dir = t.testdir();
  const seed = join(dir, 'seed');
  mkdirSync(seed);
  cpSync(join(REPO_ROOT, '.github/scripts'), join(seed, '.github/scripts'), { recursive: true });
  cpSync(join(REPO_ROOT, 'deploy/web/overlays/dev'), join(seed, 'deploy/web/overlays/dev'), { recursive: true });
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', 'origin.git');
  git(seed, 'init', '--quiet', '--initial-branch=main');
  const commit = (file: string, message: string) => {
    mkdirSync(join(seed, file, '..'), { recursive: true });
    writeFileSync(join(seed, file), `${message}\n`);
    git(seed, 'add', '.');
    git(seed, 'commit', '--quiet', '-m', message);
    git(seed, 'push', '--quiet', join(dir, 'origin.git'), 'main');
    return git(seed, 'rev-parse', 'HEAD');
  };
  const older = commit('apps/web/src/a.ts', 'a web change');
  const newer = commit('apps/web/src/b.ts', 'another web change');
  // The newer commit's release finished first: dev runs it (the bump the release App pushed).
  execFileSync(
    'bash',
    [join(REPO_ROOT, '.github/scripts/bump-release.sh'), 'deploy/web/overlays/dev', DEV, newer, DIGEST],
    {
      cwd: seed,
    },
  );
  git(seed, 'commit', '--quiet', '-am', `release(dev): web ${newer.slice(0, 7)}`);
  git(seed, 'push', '--quiet', join(dir, 'origin.git'), 'main');

  t.equal(changes.needs, undefined, 'the decision is the first job');
  for (const id of ['image', 'page', 'bump'])
    t.ok(
      JSON.stringify(byName('release').jobs[id]!.needs ?? '').includes(id === 'image' ? 'changes' : 'image'),
      `${id} runs only after the decision`,
    );
  const late = decide(dir, join(dir, 'origin.git'), older);
  t.equal(late.status, 0, late.stderr);
  t.match(late.outputs, /^web=false$/m, 'the older release builds, publishes and bumps nothing');
  t.match(late.stderr, `already runs ${newer.slice(0, 7)}`);
  const rerun = decide(dir, join(dir, 'origin.git'), newer);
  t.match(rerun.outputs, /^web=false$/m, 'nor does the release dev already runs');
});
