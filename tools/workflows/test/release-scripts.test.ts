// promote-image.sh (registry-side copy, digest kept or the promotion refused) against recording
// stand-ins for docker and aws (no registry here), and web-affected.sh with the real Nx graph of
// this workspace, in a throw-away git copy of it.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { SCRIPTS_DIR } from './workflows.js';
import { workspaceCopy } from './workspace-copy.js';

const DEV = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev';
const PROD = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-prod';
const DIGEST = `sha256:${'a'.repeat(64)}`;

/** docker and aws stand-ins: they log their arguments; describe-images answers from a file. */
function registry(t: Test, prodDigestAfterCopy: string, prodDigestBefore = 'None') {
  const dir = t.testdir({
    docker: `#!/bin/sh\necho "docker $*" >> "$(dirname "$0")/calls"\ncat > /dev/null 2>&1 || true\n[ "$2" = imagetools ] && echo '${prodDigestAfterCopy}' > "$(dirname "$0")/prod-digest"\nexit 0\n`,
    aws: `#!/bin/sh\necho "aws $*" >> "$(dirname "$0")/calls"\ncase "$*" in *describe-images*) cat "$(dirname "$0")/prod-digest";; *get-login-password*) echo token;; esac\n`,
    'prod-digest': `${prodDigestBefore}\n`,
  });
  chmodSync(join(dir, 'docker'), 0o755);
  chmodSync(join(dir, 'aws'), 0o755);
  const run = (...args: string[]) =>
    spawnSync('bash', [join(SCRIPTS_DIR, 'promote-image.sh'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, DOCKER: join(dir, 'docker'), AWS: join(dir, 'aws') },
    });
  const calls = () => readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  return { run, calls };
}

t.test('promote-image: copies registry-side, never pulls, and checks the digest', async (t) => {
  const { run, calls } = registry(t, DIGEST);
  const result = run(DEV, PROD, 'abc1234', DIGEST);
  t.equal(result.status, 0, result.stderr);
  t.match(result.stdout, `${PROD}:abc1234 is ${DIGEST}, the image dev runs`);
  t.ok(
    calls().includes(`docker buildx imagetools create --tag ${PROD}:abc1234 ${DEV}@${DIGEST}`),
    'a carbon copy by digest',
  );
  t.notOk(
    calls().some((c) => /docker (pull|push|tag)/.test(c)),
    'no pull and push (layers could be re-compressed)',
  );
  t.equal(
    calls().filter((c) => c.startsWith('docker login')).length,
    1,
    'one login: both repositories share the registry',
  );
});

t.test('promote-image: refuses when the prod tag holds another digest', async (t) => {
  const changed = registry(t, `sha256:${'b'.repeat(64)}`);
  const result = changed.run(DEV, PROD, 'abc1234', DIGEST);
  t.equal(result.status, 1);
  t.match(result.stdout, /::error::.*is sha256:b+, dev ran sha256:a+: refusing to promote/);

  const existing = registry(t, DIGEST, `sha256:${'c'.repeat(64)}`);
  const again = existing.run(DEV, PROD, 'abc1234', DIGEST);
  t.equal(again.status, 1, 'an immutable tag that already holds another image is not overwritten');
  t.notOk(
    existing.calls().some((c) => c.includes('imagetools')),
    'and nothing is copied over it',
  );
});

t.test('promote-image: bad input is refused before any call', async (t) => {
  const { run } = registry(t, DIGEST);
  t.equal(run(DEV, PROD, 'abc1234', 'latest').status, 2);
  t.match(run(DEV, PROD, 'abc1234', 'latest').stderr, "'latest' is not an image digest");
  t.match(run(DEV, PROD, 'v1;rm -rf', DIGEST).stderr, 'is not a release tag');
});

t.test('web-affected: against the real Nx graph, from the release dev runs', async (t) => {
  const ws = workspaceCopy(t);
  const overlay = 'deploy/web/overlays/dev';
  const affected = (sha: string) =>
    spawnSync('bash', [join(SCRIPTS_DIR, 'web-affected.sh'), overlay, sha], {
      cwd: ws.root,
      env: ws.env,
      encoding: 'utf8',
    });
  // What the release App pushes: the image of `sha` written into the dev overlay by the real scripts.
  const bump = (sha: string) => {
    const run = spawnSync('bash', [join(SCRIPTS_DIR, 'bump-release.sh'), overlay, DEV, sha, DIGEST], {
      cwd: ws.root,
      env: ws.env,
      encoding: 'utf8',
    });
    t.equal(run.status, 0, run.stderr);
    ws.git('commit', '--quiet', '-am', `release(dev): web ${sha.slice(0, 7)}`);
    t.same(ws.git('diff', '--name-only', 'HEAD^', 'HEAD').split('\n'), [`${overlay}/kustomization.yaml`]);
    return ws.git('rev-parse', 'HEAD');
  };
  const edit = (file: string, message: string) =>
    ws.commit(file, `${readFileSync(join(ws.root, file), 'utf8')}\n// ${message}\n`, message);

  t.match(affected(ws.git('rev-parse', 'HEAD')).stdout, 'web=true', 'no release yet: release');
  const webChange = edit('apps/web/src/server.ts', 'a web change');
  const bumpCommit = bump(webChange);
  const afterBump = affected(bumpCommit);
  t.match(afterBump.stdout, 'web=false', 'the release bump itself releases nothing (no release loop)');
  t.match(afterBump.stderr, /only deploy\/ changed since/);
  const manifests = ws.commit('deploy/web/base/extra.txt', 'x\n', 'a manifest change');
  t.match(affected(manifests).stdout, 'web=false', 'deploy/ is synced by Argo CD, not built into the image');
  const infra = edit('infra/src/index.ts', 'an infra change');
  t.match(affected(infra).stdout, 'web=false', 'a change outside what web ships releases nothing');
  const contract = edit('packages/config/src/index.ts', 'a contract change');
  t.match(affected(contract).stdout, 'web=true', 'a change to a package web imports releases');
  bump(contract);
  t.match(affected(webChange).stdout, 'web=false', 'an older commit than the running release releases nothing');
});
