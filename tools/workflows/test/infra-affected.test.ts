// infra-affected.sh against the real Nx graph of this workspace, in a throw-away git copy of it
// (as web-affected's test does): which stack's `pulumi up` has something to apply for a commit.
// Nx alone counts every deploy/ change as infra's: each release bump would run `pulumi up dev` and
// ask the prod reviewers to approve a change neither stack applies.
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { REPO_ROOT, SCRIPTS_DIR } from './workflows.js';
import { workspaceCopy } from './workspace-copy.js';

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web';
const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

// One copy for the file: each Nx call then finds the graph of the previous commit cached.
const ws = workspaceCopy(t);

t.test('infra-affected: per stack, from what each stack program reads', async (t) => {
  const run = (script: string, ...args: string[]) =>
    spawnSync('bash', [join(SCRIPTS_DIR, script), ...args], { cwd: ws.root, env: ws.env, encoding: 'utf8' });
  const affected = (sha: string) => {
    const result = run('infra-affected.sh', sha);
    t.equal(result.status, 0, `infra-affected.sh exits 0 ${result.status ? result.stderr : ''}`);
    return Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=')),
    );
  };
  /** A release written into a stack's overlay by the real script, committed as CI does. */
  const release = (stack: string, tag: string, n: number) => {
    const set = run('set-image.sh', `deploy/web/overlays/${stack}`, `${REGISTRY}-${stack}`, tag, digest(n));
    t.equal(set.status, 0, set.stderr);
    ws.git('commit', '--quiet', '-am', `release(${stack}): web ${tag}`);
    return ws.git('rev-parse', 'HEAD');
  };
  /** Appends a comment line to a file (one that parses as before) and commits it. */
  const edit = (file: string) => {
    const comment = file.endsWith('.ts') ? '// edited' : '# edited';
    return ws.commit(file, `${readFileSync(join(ws.root, file), 'utf8')}\n${comment}\n`, `edit ${file}`);
  };
  /** Nx alone, on every file the commit changed. */
  const nxSaysInfra = (sha: string) =>
    spawnSync('npx', ['nx', 'show', 'projects', '--affected', `--base=${sha}^1`, `--head=${sha}`], {
      cwd: ws.root,
      env: ws.env,
      encoding: 'utf8',
    })
      .stdout.split('\n')
      .includes('infra');

  const first = release('dev', 'aaaaaaa', 1);
  t.same(affected(first), { dev: 'true', prod: 'false' }, "dev's first release creates its web Application");
  const second = release('dev', 'bbbbbbb', 2);
  t.ok(nxSaysInfra(second), 'Nx alone counts a release bump as an infra change');
  t.same(affected(second), { dev: 'false', prod: 'false' }, 'a later bump changes nothing either program applies');
  t.same(affected(release('prod', 'aaaaaaa', 1)), { dev: 'false', prod: 'true' }, "prod's first promotion");
  t.same(affected(release('prod', 'bbbbbbb', 2)), { dev: 'false', prod: 'false' }, 'a later promotion');
  t.same(affected(edit('infra/src/index.ts')), { dev: 'true', prod: 'true' }, 'the program');
  t.same(affected(edit('packages/config/src/index.ts')), { dev: 'true', prod: 'true' }, 'a package it imports');
  t.same(affected(edit('Pulumi.dev.yaml')), { dev: 'true', prod: 'false' }, "dev's stack file: dev only");
  t.same(affected(edit('Pulumi.prod.yaml')), { dev: 'false', prod: 'true' }, "prod's stack file: prod only");
  t.same(affected(edit('apps/web/src/server.ts')), { dev: 'false', prod: 'false' }, 'the web service');
  t.same(affected(edit('README.md')), { dev: 'false', prod: 'false' }, 'documentation');
  t.same(affected(edit('.github/workflows/ci.yml')), { dev: 'false', prod: 'false' }, 'a workflow');
  t.same(
    affected(edit('deploy/web/base/kustomization.yaml')),
    { dev: 'false', prod: 'false' },
    'manifests Argo CD syncs',
  );
  // Someone points dev's overlay at another registry: the program decides again.
  const moved = run('set-image.sh', 'deploy/web/overlays/dev', `${REGISTRY}-other`, 'ccccccc', digest(3));
  t.equal(moved.status, 0, moved.stderr);
  ws.git('commit', '--quiet', '-am', 'another registry');
  t.same(affected(ws.git('rev-parse', 'HEAD')), { dev: 'true', prod: 'false' }, 'another registry: dev decides again');
});

t.test('infra-order: a change whose waiting run was cancelled still reaches prod', async (t) => {
  // prod runs A; X changes the program; Y changes only dev's stack file. GitHub cancels X's
  // waiting run when Y's queues, so only Y's run decides, and Y against its parent is dev only.
  const applied = ws.git('rev-parse', 'HEAD');
  const edit = (file: string) =>
    ws.commit(
      file,
      `${readFileSync(join(ws.root, file), 'utf8')}\n${file.endsWith('.ts') ? '// edited' : '# edited'}\n`,
      `edit ${file}`,
    );
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

t.test("infra-affected's premise: the program reads nothing under deploy/ but its stack's web overlay", async (t) => {
  // If the program starts reading another file of the GitOps tree, infra-affected.sh must learn it.
  const src = join(REPO_ROOT, 'infra/src');
  const readers = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => {
      const text = readFileSync(join(src, file), 'utf8');
      return /deploy\//.test(text) && /\b(readFileSync|readFile|createReadStream|readdirSync|opendir)\b/.test(text);
    });
  t.same(readers, ['config/web-release.ts'], 'one file of the program reads from deploy/');
  const reads = readFileSync(join(src, 'config/web-release.ts'), 'utf8').match(/deploy\/[^`'"]*/g);
  t.same(reads, ['deploy/web/overlays/${environment}/kustomization.yaml'], 'and only the overlay of its environment');
});
