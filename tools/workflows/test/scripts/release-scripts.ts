// The release scripts against real git repositories (a bare "origin" and clones): a push that
// loses a race is rebased and retried, a conflicting edit makes the change be applied again on
// the new tip, and an older release never replaces a newer one.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { GIT_IDENTITY, SCRIPTS_DIR, REPO_ROOT } from '../workflows.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const script = (name: string) => join(SCRIPTS_DIR, name);
const gitEnv = {
  ...process.env,
  ...GIT_IDENTITY,
  PUSH_BACKOFF_SECONDS: '0',
  ALLOWED_PATHS: 'overlay.txt',
};

/** origin (bare) with one commit on main, and two clones: ours (the release job) and theirs. */
function repos(t: Test) {
  const dir = t.testdir({ seed: { 'overlay.txt': 'tag=aaaaaaa\n', 'other.txt': 'x\n' } });
  const origin = join(dir, 'origin.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', origin]);
  const seed = join(dir, 'seed');
  for (const args of [
    ['init', '--quiet', '--initial-branch=main'],
    ['add', '.'],
    ['commit', '--quiet', '-m', 'seed'],
    ['push', '--quiet', origin, 'main'],
  ])
    execFileSync('git', args, { cwd: seed, env: gitEnv });
  const ours = join(dir, 'ours');
  const theirs = join(dir, 'theirs');
  execFileSync('git', ['clone', '--quiet', origin, ours]);
  execFileSync('git', ['clone', '--quiet', origin, theirs]);
  return { dir, origin, ours, theirs };
}

/** An apply step that, while running, lets "theirs" win the race with a commit of its own. */
function racingApply(dir: string, theirs: string, theirFile: string, theirText: string, ourText: string) {
  const path = join(dir, 'apply.sh');
  writeFileSync(
    path,
    `#!/usr/bin/env bash
set -euo pipefail
if [ ! -f "${dir}/raced" ]; then
  touch "${dir}/raced"
  (cd "${theirs}" && git pull --quiet && printf '${theirText}' > ${theirFile} && git commit --quiet -am theirs && git push --quiet origin main)
fi
printf '${ourText}' > overlay.txt
`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** Runs commit-and-push.sh in `cwd` the way release.yml does. */
const commitAndPush = (cwd: string, message: string, apply: string, env: NodeJS.ProcessEnv = gitEnv) =>
  spawnSync('bash', [script('commit-and-push.sh'), 'main', message, apply], { cwd, env, encoding: 'utf8' });

t.test('commit-and-push: a moved main is rebased and the push retried', async (t) => {
  const { dir, origin, ours, theirs } = repos(t);
  const apply = racingApply(dir, theirs, 'other.txt', 'changed by someone else\\n', 'tag=bbbbbbb\\n');
  const result = commitAndPush(ours, 'release: bbbbbbb', apply);
  t.equal(result.status, 0, result.stderr);
  t.match(result.stderr, /moved; rebasing \(attempt 1 of 5\)/);
  t.match(result.stdout, /pushed .* \(attempt 2\)/);
  t.equal(
    git(origin, 'log', '--format=%s', 'main'),
    'release: bbbbbbb\ntheirs\nseed',
    'both commits kept, ours on top',
  );
  t.equal(git(origin, 'show', 'main:overlay.txt'), 'tag=bbbbbbb');
  t.equal(git(origin, 'show', 'main:other.txt'), 'changed by someone else');
});

t.test('commit-and-push: a conflicting edit is not force-pushed over; the change is applied again', async (t) => {
  const { dir, origin, ours, theirs } = repos(t);
  const apply = racingApply(dir, theirs, 'overlay.txt', 'tag=ccccccc\\nnote=kept\\n', 'tag=bbbbbbb\\n');
  const result = commitAndPush(ours, 'release: bbbbbbb', apply);
  t.equal(result.status, 0, result.stderr);
  t.match(result.stderr, /rebase conflicted; applying the change again on the new tip/);
  t.equal(git(origin, 'log', '--format=%s', 'main'), 'release: bbbbbbb\ntheirs\nseed');
  t.equal(git(origin, 'show', 'main:overlay.txt'), 'tag=bbbbbbb', 'our change applied on top of theirs');
});

t.test('commit-and-push: nothing to change means no commit', async (t) => {
  const { origin, ours } = repos(t);
  const before = git(origin, 'rev-parse', 'main');
  const same = commitAndPush(ours, 'noop', 'true');
  t.equal(same.status, 0);
  t.match(same.stdout, /nothing to commit/);
  t.equal(git(origin, 'rev-parse', 'main'), before);
});

t.test('commit-and-push: a change outside ALLOWED_PATHS is never pushed', async (t) => {
  const { dir, origin, ours } = repos(t);
  const before = git(origin, 'rev-parse', 'main');
  // What a tampered apply step would do: the release pointer, and something else on the side.
  const apply = join(dir, 'write.sh');
  writeFileSync(apply, '#!/bin/sh\necho tag=fffffff > overlay.txt\necho owned > other.txt\n');
  chmodSync(apply, 0o755);
  const refused = commitAndPush(ours, 'release', apply);
  t.equal(refused.status, 1);
  t.match(refused.stderr, /other\.txt is outside ALLOWED_PATHS \(overlay\.txt\): not pushing/);
  t.equal(git(origin, 'rev-parse', 'main'), before, 'main untouched');
  const unset = commitAndPush(ours, 'release', apply, { ...gitEnv, ALLOWED_PATHS: '' });
  t.equal(unset.status, 2);
  t.match(unset.stderr, /ALLOWED_PATHS must name the files/);
});

t.test('commit-and-push: a refusal that is not a race (protected branch) fails at once', async (t) => {
  const { dir, origin, ours } = repos(t);
  const before = git(origin, 'rev-parse', 'main');
  // What a branch rule does to a token that may not push: refuse, while main stays where it was.
  writeFileSync(join(origin, 'hooks/pre-receive'), '#!/bin/sh\necho "protected branch" >&2\nexit 1\n');
  chmodSync(join(origin, 'hooks/pre-receive'), 0o755);
  const apply = join(dir, 'write.sh');
  writeFileSync(apply, '#!/bin/sh\necho tag=ddddddd > overlay.txt\n');
  chmodSync(apply, 0o755);
  const rejected = commitAndPush(ours, 'release', apply, { ...gitEnv, PUSH_ATTEMPTS: '3' });
  t.equal(rejected.status, 1);
  t.match(rejected.stderr, /refused the push although main did not move: not a race/);
  t.notMatch(rejected.stderr, /rebasing/, 'no retry: retrying cannot help');
  t.equal(git(origin, 'rev-parse', 'main'), before, 'main untouched');
});

t.test('commit-and-push: a remote that keeps moving gives up after N tries', async (t) => {
  const { dir, origin, ours, theirs } = repos(t);
  // Every attempt loses the race: someone pushes between our fetch and our push, each time.
  const hook = join(origin, 'hooks/pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh
# Refuse our pushes (their commits carry "theirs"); each refusal lets "theirs" move main first.
while read old new ref; do
  if git log -1 --format=%s "$new" | grep -q '^release'; then
    (unset GIT_DIR GIT_QUARANTINE_PATH; cd "${theirs}" && git pull --quiet && date +%s%N >> other.txt && git commit --quiet -am theirs && git push --quiet origin main) >&2
    exit 1
  fi
done
`,
  );
  chmodSync(hook, 0o755);
  const apply = join(dir, 'write.sh');
  writeFileSync(apply, '#!/bin/sh\necho tag=eeeeeee > overlay.txt\n');
  chmodSync(apply, 0o755);
  const result = commitAndPush(ours, 'release', apply, { ...gitEnv, PUSH_ATTEMPTS: '2' });
  t.equal(result.status, 1);
  t.match(result.stderr, /moved; rebasing \(attempt 1 of 2\)/);
  t.match(result.stderr, /gave up after 2 attempts/);
  t.equal(git(origin, 'log', '-1', '--format=%s', 'main'), 'theirs', 'only their commits landed');
});

t.test('bump-release: never rolls an environment back to an older release', async (t) => {
  const fixture = readFileSync(join(REPO_ROOT, 'deploy/web/overlays/dev/kustomization.yaml'), 'utf8');
  const dir = t.testdir({ repo: { overlay: { 'kustomization.yaml': fixture } } });
  const repo = join(dir, 'repo');
  const commit = (message: string) => {
    execFileSync('git', ['commit', '--quiet', '--allow-empty', '-am', message], { cwd: repo, env: gitEnv });
    return git(repo, 'rev-parse', 'HEAD');
  };
  execFileSync('git', ['init', '--quiet', '--initial-branch=main'], { cwd: repo });
  execFileSync('git', ['add', '.'], { cwd: repo });
  const older = commit('older');
  const newer = commit('newer');
  const env = gitEnv;
  const repository = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev';
  const digest = `sha256:${'1'.repeat(64)}`;
  const bump = (sha: string) =>
    spawnSync('bash', [script('bump-release.sh'), 'overlay', repository, sha, digest], {
      cwd: repo,
      env,
      encoding: 'utf8',
    });
  const current = () =>
    /newTag: '([0-9a-f]+)'/.exec(readFileSync(join(repo, 'overlay/kustomization.yaml'), 'utf8'))?.[1];

  t.equal(bump(newer).status, 0);
  t.equal(current(), newer.slice(0, 7), 'the newer release is written');
  const late = bump(older);
  t.equal(late.status, 0);
  t.match(late.stdout, /already runs .*which contains/);
  t.equal(current(), newer.slice(0, 7), 'a late, older release is left out');
  const next = commit('next');
  t.equal(bump(next).status, 0);
  t.equal(current(), next.slice(0, 7), 'a descendant release goes in');
});

t.test('sentry-release: skips with a notice without a token; runs the four CLI steps with one', async (t) => {
  const skipped = spawnSync('bash', [script('sentry-release.sh'), 'abc1234', 'dev'], {
    env: { ...process.env, SENTRY_AUTH_TOKEN: '' },
    encoding: 'utf8',
  });
  t.equal(skipped.status, 0);
  t.match(skipped.stdout, /::notice title=Sentry release skipped::SENTRY_AUTH_TOKEN is not configured/);

  const missing = spawnSync('bash', [script('sentry-release.sh'), 'abc1234', 'dev'], {
    env: { ...process.env, SENTRY_AUTH_TOKEN: 'x', SENTRY_ORG: '', SENTRY_PROJECT: 'web' },
    encoding: 'utf8',
  });
  t.equal(missing.status, 1);
  t.match(missing.stdout, /SENTRY_ORG is not set/);

  // Sentry itself cannot be reached here: a recording stand-in for the CLI shows the calls.
  const dir = t.testdir({ 'sentry-cli': '#!/bin/sh\necho "$@" >> "$(dirname "$0")/calls"\n' });
  chmodSync(join(dir, 'sentry-cli'), 0o755);
  const ran = spawnSync('bash', [script('sentry-release.sh'), 'abc1234', 'prod'], {
    env: {
      ...process.env,
      SENTRY_AUTH_TOKEN: 'x',
      SENTRY_ORG: 'zumo',
      SENTRY_PROJECT: 'web',
      SENTRY_CLI: join(dir, 'sentry-cli'),
    },
    encoding: 'utf8',
  });
  t.equal(ran.status, 0, ran.stderr);
  t.same(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n'), [
    'releases new abc1234',
    'releases set-commits abc1234 --auto --ignore-missing',
    'releases finalize abc1234',
    'releases deploys abc1234 new -e prod',
  ]);
});
