// What prod syncs, rendered from the revision prod's Argo CD Applications track (stack config
// gitRevision in Pulumi.prod.yaml) in a real git repository, before and after a promotion: a change
// under deploy/ merged to main reaches dev at once and prod only through a merged promotion, which
// the release App pins with pin-prod.sh. Rollback moves the pin back to a revision prod ran.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse, parseAllDocuments } from 'yaml';
import { github } from './fake-github.js';
import { GIT_IDENTITY, REPO_ROOT } from './workflows.js';

const DEV = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev';
const PROD = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-prod';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
const PRIORITY = 'deploy/web/base/priorityclass.yaml';
const gitEnv = { ...process.env, ...GIT_IDENTITY };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

/** The revision prod's Applications sync, as the prod stack file sets it (the program's default is main). */
const prodRevision = (): string =>
  parse(readFileSync(join(REPO_ROOT, 'Pulumi.prod.yaml'), 'utf8')).config['zumo:gitRevision'] ?? 'main';

/**
 * The commits Argo CD's repo-server may resolve a revision to in a repository: every ref whose full
 * name is the revision, or, when the revision is a short name, whose short name is (argo-cd v3.4.7
 * util/git/client.go lsRemote, IsShortRef in util/git/git.go). It returns the first match of a
 * ref list whose order is not fixed, so more than one match means prod may sync either.
 * go-git's ReferenceName.Short() strips refs/heads/, refs/tags/, refs/remotes/ or refs/.
 */
function argoCdResolves(origin: string, revision: string): string[] {
  const short = (ref: string) => ref.replace(/^refs\/(heads\/|tags\/|remotes\/)?/, '');
  const isShortRef = short(revision) === revision;
  return git(origin, 'for-each-ref', '--format=%(objectname) %(refname)')
    .split('\n')
    .map((line) => line.split(' ') as [string, string])
    .filter(([, ref]) => ref === revision || (isShortRef && short(ref) === revision))
    .map(([commit]) => commit);
}

/** What Argo CD would apply from the prod overlay at `ref` of the origin: its PriorityClass and image. */
function prodAt(origin: string, ref: string) {
  const dir = mkdtempSync(join(tmpdir(), 'prod-render-'));
  try {
    execFileSync('sh', ['-c', `git -C "${origin}" archive "${ref}" deploy | tar -x -C "${dir}"`], { env: gitEnv });
    const objects = parseAllDocuments(
      execFileSync('kubectl', ['kustomize', join(dir, 'deploy/web/overlays/prod')], { encoding: 'utf8' }),
    ).map((d) => d.toJSON());
    const deployment = objects.find((o) => o.kind === 'Deployment');
    return {
      priority: objects.find((o) => o.kind === 'PriorityClass')?.value as number,
      image: deployment.spec.template.spec.containers[0].image as string,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bare origin whose main holds this repository's deploy/ tree, dev running a release; the job's clone. */
function repository(dir: string) {
  const seed = join(dir, 'seed');
  cpSync(join(REPO_ROOT, 'deploy/web'), join(seed, 'deploy/web'), { recursive: true });
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', 'origin.git');
  git(seed, 'init', '--quiet', '--initial-branch=main');
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  const release = git(seed, 'rev-parse', '--short=7', 'HEAD');
  execFileSync(
    'bash',
    [join(REPO_ROOT, '.github/scripts/set-image.sh'), 'deploy/web/overlays/dev', DEV, release, DIGEST],
    {
      cwd: seed,
    },
  );
  git(seed, 'commit', '--quiet', '-am', `release(dev): web ${release}`);
  git(seed, 'push', '--quiet', join(dir, 'origin.git'), 'main');
  git(dir, 'clone', '--quiet', 'origin.git', 'job');
  return { origin: join(dir, 'origin.git'), job: join(dir, 'job'), seed, release };
}

t.test('prod syncs only what a merged promotion pinned; dev syncs main', async (t) => {
  const gh = github(t);
  const { origin, job, seed, release } = repository(gh.dir);
  const env = { PROD_REPOSITORY: PROD };
  /** GitHub's squash merge of a pull request's branch: one new commit of main with the branch's tree. */
  const merge = (branch: string) => {
    const tree = git(origin, 'rev-parse', `${branch}^{tree}`);
    const commit = git(origin, 'commit-tree', tree, '-p', 'main', '-m', `merge ${branch}`);
    git(origin, 'update-ref', 'refs/heads/main', commit);
    return commit;
  };
  const promote = () => {
    const opened = gh.runIn(job, 'open-promotion-pr.sh', PROD, release, DIGEST);
    t.equal(opened.status, 0, opened.stderr);
    return merge(`promote/${release}`);
  };
  const pin = (...args: string[]) => gh.runWith(job, env, 'pin-prod.sh', ...args);
  const pushToMain = (file: string, edit: (text: string) => string, message: string) => {
    git(seed, 'pull', '--quiet', '--rebase', join(gh.dir, 'origin.git'), 'main');
    writeFileSync(join(seed, file), edit(readFileSync(join(seed, file), 'utf8')));
    git(seed, 'commit', '--quiet', '-am', message);
    git(seed, 'push', '--quiet', join(gh.dir, 'origin.git'), 'HEAD:main');
    return git(seed, 'rev-parse', 'HEAD');
  };

  const first = promote();
  const pinned = pin(first);
  t.equal(pinned.status, 0, pinned.stderr);
  t.equal(git(origin, 'rev-parse', prodRevision()), first, 'the first promotion creates the pin');
  const before = prodAt(origin, prodRevision());
  t.equal(before.image, `${PROD}:${release}@${DIGEST}`, 'prod runs the promoted image');

  const baseChange = pushToMain(PRIORITY, (s) => s.replace(/^value: \d+$/m, 'value: 999999'), 'a base change');
  t.equal(prodAt(origin, 'main').priority, 999999, 'dev (main) gets the base change at once');
  t.not(prodAt(origin, prodRevision()).priority, 999999, 'prod does not: nobody promoted it');
  const unpromoted = pin(baseChange);
  t.equal(unpromoted.status, 1, 'a commit of main that is not a promotion is never pinned');
  t.match(unpromoted.stderr, /did not change deploy\/web\/overlays\/prod on main/);
  t.equal(git(origin, 'rev-parse', 'deployed/prod'), first);

  // The same image, promoted again: the promotion carries the base change (the record changes).
  const second = promote();
  const proposal = gh.state().pulls.at(-1)!;
  t.match(proposal.body, PRIORITY, 'the pull request lists the deploy/ change prod would get');
  t.same(
    git(origin, 'diff', '--name-only', `${baseChange}`, `promote/${release}`).split('\n'),
    ['deploy/web/overlays/prod/promoted-from'],
    'the promotion commit changes the prod overlay directory only',
  );
  t.equal(pin(second).status, 0);
  t.equal(prodAt(origin, prodRevision()).priority, 999999, 'after the merged promotion prod gets it');

  const again = pin(first);
  t.equal(again.status, 0, again.stderr);
  t.match(again.stdout, /already runs .* which contains/, 'a late run of an older promotion changes nothing');
  t.equal(git(origin, 'rev-parse', 'deployed/prod'), second);

  // The revision named by its short SHA, with a tag of that name on another commit of main (a
  // tag comes first when git reads a name): the commit is what is pinned.
  const short = first.slice(0, 7);
  git(origin, 'tag', short, baseChange);
  git(job, 'fetch', '--quiet', '--tags', 'origin');
  const back = pin('--rollback', short);
  t.equal(back.status, 0, back.stderr);
  t.equal(git(origin, 'rev-parse', 'deployed/prod'), first, 'rollback: back to the revision prod ran');
  t.not(prodAt(origin, prodRevision()).priority, 999999);
  const notARevision = pin('--rollback', baseChange);
  t.equal(notARevision.status, 1, 'a commit that was never a prod revision is refused');
  t.match(notARevision.stderr, /did not change deploy\/web\/overlays\/prod on main/);
});

t.test('a tag named like the branch prod tracks does not change what prod syncs', async (t) => {
  const gh = github(t);
  const { origin, job, seed, release } = repository(gh.dir);
  t.equal(gh.runIn(job, 'open-promotion-pr.sh', PROD, release, DIGEST).status, 0);
  const tree = git(origin, 'rev-parse', `promote/${release}^{tree}`);
  const promotion = git(origin, 'commit-tree', tree, '-p', 'main', '-m', 'merge the promotion');
  git(origin, 'update-ref', 'refs/heads/main', promotion);
  const pinned = gh.runWith(job, { PROD_REPOSITORY: PROD }, 'pin-prod.sh', promotion);
  t.equal(pinned.status, 0, pinned.stderr);

  // A collaborator's unreviewed commit, pushed as a tag whose short name is the pinned branch's.
  writeFileSync(join(seed, PRIORITY), readFileSync(join(seed, PRIORITY), 'utf8').replace(/^value: \d+$/m, 'value: 1'));
  git(seed, 'commit', '--quiet', '-am', 'never reviewed');
  const branch = prodRevision().replace(/^refs\/heads\//, '');
  git(seed, 'push', '--quiet', join(gh.dir, 'origin.git'), `HEAD:refs/tags/${branch}`);
  t.same(argoCdResolves(origin, prodRevision()), [promotion], 'Argo CD can resolve it to the pinned promotion only');
  t.same(
    argoCdResolves(origin, 'main'),
    [git(origin, 'rev-parse', 'refs/heads/main')],
    'the port sees one ref per name',
  );
});

t.test('pin-prod refuses what was not promoted', async (t) => {
  const gh = github(t);
  const { origin, job, seed } = repository(gh.dir);
  const pin = (commit: string) => gh.runWith(job, { PROD_REPOSITORY: PROD }, 'pin-prod.sh', commit);

  git(seed, 'checkout', '--quiet', '-b', 'side');
  execFileSync(
    'bash',
    [join(REPO_ROOT, '.github/scripts/set-image.sh'), 'deploy/web/overlays/prod', PROD, 'abc1234', DIGEST],
    {
      cwd: seed,
    },
  );
  git(seed, 'commit', '--quiet', '-am', 'a branch nobody merged');
  git(seed, 'push', '--quiet', join(gh.dir, 'origin.git'), 'side');
  git(job, 'fetch', '--quiet', 'origin', 'side');
  const side = pin(git(seed, 'rev-parse', 'HEAD'));
  t.equal(side.status, 1);
  t.match(side.stderr, /is not on main/);

  // Merged to main by hand, an image dev never ran.
  git(seed, 'checkout', '--quiet', 'main');
  execFileSync(
    'bash',
    [join(REPO_ROOT, '.github/scripts/set-image.sh'), 'deploy/web/overlays/prod', PROD, 'abc1234', OTHER_DIGEST],
    {
      cwd: seed,
    },
  );
  git(seed, 'commit', '--quiet', '-am', 'a hand-written prod image');
  git(seed, 'push', '--quiet', join(gh.dir, 'origin.git'), 'main');
  const hand = pin(git(seed, 'rev-parse', 'HEAD'));
  t.equal(hand.status, 1);
  t.match(hand.stderr, /which dev never ran/);
  t.equal(gh.runWith(job, { PROD_REPOSITORY: PROD }, 'pin-prod.sh', 'main').status, 2, 'a branch name is not a commit');
  t.throws(() => git(origin, 'rev-parse', '--verify', 'deployed/prod'), 'nothing was pinned');
});

t.test('merged promotion branches are deleted by the App; open or new ones stay', async (t) => {
  const gh = github(t, {
    pulls: [
      { number: 1, base: 'main', head: 'promote/aaaaaaa', title: '', body: '', state: 'merged', author: 'app' },
      { number: 2, base: 'main', head: 'promote/bbbbbbb', title: '', body: '', state: 'open', author: 'app' },
      { number: 3, base: 'main', head: 'promote/ccccccc', title: '', body: '', state: 'closed', author: 'app' },
    ],
  });
  const { origin, job } = repository(gh.dir);
  for (const branch of ['aaaaaaa', 'bbbbbbb', 'ccccccc', 'ddddddd'])
    git(origin, 'update-ref', `refs/heads/promote/${branch}`, 'main');
  const pruned = gh.runIn(job, 'prune-promote-branches.sh');
  t.equal(pruned.status, 0, pruned.stderr);
  t.same(
    git(origin, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/promote/').split('\n'),
    ['promote/bbbbbbb', 'promote/ddddddd'],
    'merged and closed ones go; an open one and one without a pull request yet stay',
  );
});
