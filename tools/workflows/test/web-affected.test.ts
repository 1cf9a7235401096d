// web-affected.sh with the real Nx graph of this workspace, in a throw-away git copy of it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { SCRIPTS_DIR } from './workflows.js';
import { workspaceCopy } from './workspace-copy.js';

const DEV = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev';
const DIGEST = `sha256:${'a'.repeat(64)}`;

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
