// A release is named by the short SHA of the commit it was built from (the overlays' image tag),
// and anyone who may push can create a branch or a tag with exactly that name. Git reads a name
// as a ref before an object (git help revisions), so every script that turns a release name into
// a commit must pick the release's commit, not the ref: the prod page is built from it with prod
// credentials, and "is this release newer than what runs" is decided from it. Each script runs
// against a real repository where a branch and a tag named like the release point elsewhere.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { byName, GIT_IDENTITY, REPO_ROOT, SCRIPTS_DIR } from '../workflows.js';

const DEV = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev';
const PROD = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-prod';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const gitEnv = { ...process.env, ...GIT_IDENTITY };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
const script = (cwd: string, name: string, ...args: string[]) =>
  spawnSync('bash', [join(SCRIPTS_DIR, name), ...args], { cwd, env: gitEnv, encoding: 'utf8' });

/**
 * An origin whose main holds the overlays and two web changes (older, then newer); `forge` pushes
 * a commit off main as both a branch and a tag named like a release; `clone` is a job's checkout
 * (every branch and tag, as actions/checkout with fetch-depth: 0).
 */
function repository(dir: string) {
  const seed = join(dir, 'seed');
  const origin = join(dir, 'origin.git');
  mkdirSync(seed);
  cpSync(join(REPO_ROOT, 'deploy/web/overlays'), join(seed, 'deploy/web/overlays'), { recursive: true });
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', 'origin.git');
  git(seed, 'init', '--quiet', '--initial-branch=main');
  const commit = (file: string, text: string, message: string) => {
    mkdirSync(join(seed, file, '..'), { recursive: true });
    writeFileSync(join(seed, file), text);
    git(seed, 'add', '.');
    git(seed, 'commit', '--quiet', '-m', message);
    git(seed, 'push', '--quiet', origin, 'HEAD:main');
    return git(seed, 'rev-parse', 'HEAD');
  };
  const older = commit('apps/web/src/a.ts', 'a\n', 'a web change');
  const newer = commit('apps/web/src/b.ts', 'b\n', 'another web change');
  /** A commit with no history (it contains no release), pushed as a branch and a tag named NAME. */
  const forge = (name: string) => {
    const forged = git(seed, 'commit-tree', `${older}^{tree}`, '-m', 'a commit nobody merged');
    git(seed, 'push', '--quiet', origin, `${forged}:refs/heads/${name}`, `${forged}:refs/tags/${name}`);
    return forged;
  };
  const clone = (name: string, ref = 'main') => {
    const job = join(dir, name);
    git(dir, 'clone', '--quiet', origin, job);
    git(job, 'checkout', '--quiet', '--detach', ref);
    return job;
  };
  return { seed, origin, older, newer, commit, forge, clone };
}

t.test('resolve-release: the commit a release name starts, never a branch or tag of that name', async (t) => {
  const repo = repository(t.testdir());
  const name = repo.newer.slice(0, 7);
  const forged = repo.forge(name);
  const job = repo.clone('job');
  t.equal(git(job, 'rev-parse', name), forged, 'git itself takes the tag');
  const resolved = script(job, 'resolve-release.sh', name, 'HEAD');
  t.equal(resolved.status, 0, resolved.stderr);
  t.equal(resolved.stdout.trim(), repo.newer);
  t.equal(script(job, 'resolve-release.sh', repo.newer).stdout.trim(), repo.newer, 'a full SHA, within HEAD');

  const outside = script(job, 'resolve-release.sh', forged.slice(0, 7), 'HEAD');
  t.equal(outside.status, 1, "a commit main does not hold is not main's release");
  t.match(outside.stderr, `no commit of HEAD starts with ${forged.slice(0, 7)}`);
  for (const bad of ['main', 'ABC1234', 'abc12']) {
    const refused = script(job, 'resolve-release.sh', bad);
    t.equal(refused.status, 2, `${bad}: not a release name`);
    t.match(refused.stderr, `'${bad}' is not a release name`);
  }
});

t.test('publish-prod builds the page of the release commit, not of a ref named like it', async (t) => {
  const repo = repository(t.testdir());
  const name = repo.newer.slice(0, 7);
  const set = spawnSync('bash', [join(SCRIPTS_DIR, 'set-image.sh'), 'deploy/web/overlays/prod', PROD, name, DIGEST], {
    cwd: repo.seed,
    env: gitEnv,
    encoding: 'utf8',
  });
  t.equal(set.status, 0, set.stderr);
  const promotion = repo.commit('deploy/web/overlays/prod/promoted-from', `${repo.newer}\n`, 'release(prod)');
  git(repo.seed, 'push', '--quiet', repo.origin, `${promotion}:refs/heads/deployed/prod`);
  repo.forge(name);

  const workflow = byName('publish-prod');
  const release = workflow.jobs['release']!;
  const step = release.steps.find((s) => s.id === 'prod')!;
  const job = repo.clone('job', 'refs/remotes/origin/deployed/prod');
  const output = join(job, '.github-output');
  writeFileSync(output, '');
  cpSync(join(REPO_ROOT, '.github/scripts'), join(job, '.github/scripts'), { recursive: true });
  const run = spawnSync('bash', ['-e', '-c', step.run!], {
    cwd: job,
    encoding: 'utf8',
    env: { ...gitEnv, GITHUB_OUTPUT: output },
  });
  t.equal(run.status, 0, run.stderr);
  t.match(readFileSync(output, 'utf8'), `tag=${name}\ncommit=${repo.newer}\n`);
  const checkout = workflow.jobs['publish-prod']!.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
  t.equal(checkout?.with?.['ref'], '${{ needs.release.outputs.commit }}', 'the page job checks out that commit');
  t.equal(workflow.jobs['publish-prod']!.needs, 'release');
});

t.test('a ref named like the release dev runs does not let an older release replace it', async (t) => {
  const repo = repository(t.testdir());
  const name = repo.newer.slice(0, 7);
  // Dev runs the newer release (the release App's bump on main).
  const bumped = script(repo.seed, 'bump-release.sh', 'deploy/web/overlays/dev', DEV, repo.newer, DIGEST);
  t.equal(bumped.status, 0, bumped.stderr);
  git(repo.seed, 'commit', '--quiet', '-am', `release(dev): web ${name}`);
  git(repo.seed, 'push', '--quiet', repo.origin, 'HEAD:main');
  repo.forge(name);

  // release.yml's decision for the older commit's late run, as the workflow runs it.
  const decision = byName('release').jobs['changes']!.steps.find((s) => s.id === 'affected')!;
  const job = repo.clone('decision', repo.older);
  cpSync(join(REPO_ROOT, '.github/scripts'), join(job, '.github/scripts'), { recursive: true });
  // Nx must not be asked (the decision comes from ancestry); were it asked, it would say "web".
  const bin = join(job, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npx'), '#!/bin/sh\necho web\n');
  chmodSync(join(bin, 'npx'), 0o755);
  const output = join(job, '.github-output');
  writeFileSync(output, '');
  const decided = spawnSync('bash', ['-e', '-c', decision.run!], {
    cwd: job,
    encoding: 'utf8',
    env: { ...gitEnv, PATH: `${bin}:${process.env['PATH']}`, COMMIT: repo.older, GITHUB_OUTPUT: output },
  });
  t.equal(decided.status, 0, decided.stderr);
  t.match(readFileSync(output, 'utf8'), /^web=false$/m, 'the older release builds and publishes nothing');

  // And the bump itself, run on main's tip as commit-and-push.sh runs it.
  const bump = repo.clone('bump');
  git(bump, 'checkout', '--quiet', '-B', 'main', 'origin/main');
  const late = script(bump, 'bump-release.sh', 'deploy/web/overlays/dev', DEV, repo.older, DIGEST);
  t.equal(late.status, 0, late.stderr);
  t.match(late.stdout, `already runs ${name}`);
  const overlay = parse(readFileSync(join(bump, 'deploy/web/overlays/dev/kustomization.yaml'), 'utf8'));
  t.equal(overlay.images[0].newTag, name, 'dev keeps the newer release');
});

t.test('publish-prod ends with a notice while prod holds the placeholder', async (t) => {
  const repo = repository(t.testdir());
  const workflow = byName('publish-prod');
  const release = workflow.jobs['release']!;
  const job = repo.clone('job');
  cpSync(join(REPO_ROOT, '.github/scripts'), join(job, '.github/scripts'), { recursive: true });
  const output = join(job, '.github-output');
  writeFileSync(output, '');
  const step = release.steps.find((s) => s.id === 'prod')!;
  const run = spawnSync('bash', ['-e', '-c', step.run!], {
    cwd: job,
    encoding: 'utf8',
    env: { ...gitEnv, GITHUB_OUTPUT: output },
  });
  t.equal(run.status, 0, run.stderr);
  t.equal(readFileSync(output, 'utf8'), '', 'no release, no commit');
  const notice = release.steps.find((s) => s.run?.includes('::notice'));
  t.equal(notice?.if, "${{ steps.prod.outputs.commit == '' }}", 'the run says why nothing was published');
  t.equal(workflow.jobs['publish-prod']!.if, "${{ needs.release.outputs.commit != '' }}", 'and skips the page');
});
