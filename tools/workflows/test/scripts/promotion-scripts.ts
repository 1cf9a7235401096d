// open-promotion-pr.sh, the promotion's only git write: a branch promote/<tag> holding the prod
// overlay change and nothing else, and ONE pull request for it, against a real git origin and the
// GitHub CLI stand-in. main is never pushed: prod changes only through a reviewed merge.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { github } from '../fake-github.js';
import { GIT_IDENTITY, REPO_ROOT } from '../workflows.js';

const PROD = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-prod';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const overlay = 'deploy/web/overlays/prod/kustomization.yaml';
const gitEnv = { ...process.env, ...GIT_IDENTITY };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

/** A bare origin whose main holds the prod overlay, and the job's clone of it. */
function repository(dir: string) {
  const seed = join(dir, 'seed');
  cpSync(join(REPO_ROOT, overlay), join(seed, overlay), { recursive: true });
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', 'origin.git');
  git(seed, 'init', '--quiet', '--initial-branch=main');
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', join(dir, 'origin.git'), 'main');
  git(dir, 'clone', '--quiet', 'origin.git', 'job');
  return { origin: join(dir, 'origin.git'), job: join(dir, 'job') };
}

t.test('open-promotion-pr: a branch with the prod overlay change only, and one pull request', async (t) => {
  const gh = github(t);
  const { origin, job } = repository(gh.dir);
  const main = git(origin, 'rev-parse', 'main');
  const first = gh.runIn(job, 'open-promotion-pr.sh', PROD, 'abc1234', DIGEST);
  t.equal(first.status, 0, first.stderr);
  t.equal(git(origin, 'rev-parse', 'main'), main, 'main is never pushed');
  t.same(
    git(origin, 'diff', '--name-only', 'main', 'promote/abc1234').split('\n'),
    [`${overlay}`, 'deploy/web/overlays/prod/promoted-from'].sort(),
    'only the prod overlay and the promotion record',
  );
  t.equal(
    git(origin, 'show', 'promote/abc1234:deploy/web/overlays/prod/promoted-from').split('\n').at(-1),
    main,
    "the record names main's commit the promotion was proposed from",
  );
  t.same(parse(git(origin, 'show', `promote/abc1234:${overlay}`)).images[0], {
    name: 'zumo/web',
    newName: PROD,
    newTag: 'abc1234',
    digest: DIGEST,
  });
  t.same(
    gh.state().pulls.map(({ base, head, title, state }) => ({ base, head, title, state })),
    [{ base: 'main', head: 'promote/abc1234', title: 'release(prod): web abc1234', state: 'open' }],
  );

  const again = gh.runIn(job, 'open-promotion-pr.sh', PROD, 'abc1234', DIGEST);
  t.equal(again.status, 0, again.stderr);
  t.match(again.stdout, /#\d+ already proposes abc1234/);
  t.equal(gh.state().pulls.length, 1, 'a rerun opens no second pull request');
});

t.test('open-promotion-pr: a rerun after main moved replaces the existing branch', async (t) => {
  const gh = github(t);
  const { origin, job } = repository(gh.dir);
  t.equal(gh.runIn(job, 'open-promotion-pr.sh', PROD, 'abc1234', DIGEST).status, 0);
  const before = git(origin, 'rev-parse', 'promote/abc1234');
  // main moves on (another merge), so the rerun's commit does not descend from the branch's.
  const other = join(gh.dir, 'other');
  git(gh.dir, 'clone', '--quiet', origin, other);
  git(other, 'commit', '--quiet', '--allow-empty', '-m', 'another merge');
  git(other, 'push', '--quiet', 'origin', 'HEAD:main');
  const rerun = gh.runIn(job, 'open-promotion-pr.sh', PROD, 'abc1234', DIGEST);
  t.equal(rerun.status, 0, rerun.stderr);
  const after = git(origin, 'rev-parse', 'promote/abc1234');
  t.not(after, before);
  t.equal(git(origin, 'rev-parse', 'promote/abc1234^'), git(origin, 'rev-parse', 'main'), "on main's new tip");
  t.equal(gh.state().pulls.length, 1, 'the open pull request now shows the fresh commit');
});

t.test('open-promotion-pr: a closed pull request does not hide the new one', async (t) => {
  const gh = github(t, {
    pulls: [{ number: 7, base: 'main', head: 'promote/abc1234', title: 'old', body: '', state: 'closed', author: 'x' }],
  });
  const { job } = repository(gh.dir);
  t.equal(gh.runIn(job, 'open-promotion-pr.sh', PROD, 'abc1234', DIGEST).status, 0);
  t.equal(gh.state().pulls.filter((p) => p.state === 'open').length, 1);
});

t.test('open-promotion-pr: what prod already runs, or bad input, proposes nothing', async (t) => {
  const gh = github(t);
  const { origin, job } = repository(gh.dir);
  t.equal(gh.runIn(job, 'open-promotion-pr.sh', PROD, 'abc1234', DIGEST).status, 0);
  // The promotion merged and was pinned: main and prod's branch run abc1234.
  git(origin, 'update-ref', 'refs/heads/main', 'refs/heads/promote/abc1234');
  git(origin, 'update-ref', 'refs/heads/deployed/prod', 'refs/heads/main');
  const same = gh.runIn(job, 'open-promotion-pr.sh', PROD, 'abc1234', DIGEST);
  t.equal(same.status, 0, same.stderr);
  t.match(same.stdout, "::notice::prod already runs abc1234 and main's deploy/ tree");
  t.equal(gh.state().pulls.length, 1, 'no pull request for no change');
  for (const [tag, digest, message] of [
    ['main', DIGEST, /'main' is not a release tag/],
    ['abc1234', 'sha256:x', /digest "sha256:x" is not sha256/],
  ] as const) {
    const bad = gh.runIn(job, 'open-promotion-pr.sh', PROD, tag, digest);
    t.equal(bad.status, 2);
    t.match(bad.stderr, message);
  }
  t.equal(readFileSync(join(job, overlay), 'utf8').includes('sha256:x'), false);
});

t.test('promotion-source: only the release dev runs is promoted, named by its tag or its commit', async (t) => {
  const gh = github(t);
  const { job } = repository(gh.dir);
  const dev = 'deploy/web/overlays/dev';
  cpSync(join(REPO_ROOT, dev), join(job, dev), { recursive: true });
  const bump = gh.runIn(job, 'set-image.sh', dev, PROD.replace('web-prod', 'web-dev'), 'abc1234', DIGEST);
  t.equal(bump.status, 0, bump.stderr);
  for (const asked of ['abc1234', 'abc1234def5678abc1234def5678abc1234def5']) {
    const ok = gh.runIn(job, 'promotion-source.sh', dev, asked);
    t.equal(ok.status, 0, ok.stderr);
    t.match(ok.stdout, `tag=abc1234\ndigest=${DIGEST}\n`, `${asked}: what dev runs, for the copy`);
  }
  const other = gh.runIn(job, 'promotion-source.sh', dev, 'fff0000');
  t.equal(other.status, 1);
  t.equal(other.stdout, '', 'nothing for the copy to use');
  t.match(other.stderr, 'you asked to promote fff0000, but dev runs abc1234');
  t.match(other.stderr, 'run promote again with tag abc1234');
  const bad = gh.runIn(job, 'promotion-source.sh', dev, 'v1.2');
  t.equal(bad.status, 2);
  t.match(bad.stderr, /must be the release tag dev runs .*not 'v1\.2'/);
});
