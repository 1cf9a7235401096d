// infra-affected.sh for commits that change no file Nx decides for (deploy/, the stack files,
// documentation, workflows), in a copy of just those files: no Nx runs, and none is needed.
// Each stack's program reads its own web overlay only to know whether a release exists yet.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { infraAffected, REGISTRY } from './infra-affected-run.js';
import { REPO_ROOT } from './workflows.js';
import { workspaceCopy } from './workspace-copy.js';

t.test('a release, a stack file, docs, workflows or manifests: per stack, from what its program reads', async (t) => {
  const ws = workspaceCopy(t, ['deploy/', 'Pulumi.dev.yaml', 'Pulumi.prod.yaml', 'README.md', '.github/workflows/']);
  const { affected, release, edit } = infraAffected(t, ws);
  t.same(
    affected(release('dev', 'aaaaaaa', 1)),
    { dev: 'true', prod: 'false' },
    "dev's first release creates its web Application",
  );
  t.same(
    affected(release('dev', 'bbbbbbb', 2)),
    { dev: 'false', prod: 'false' },
    'a later bump changes nothing either program applies',
  );
  t.same(affected(release('prod', 'aaaaaaa', 1)), { dev: 'false', prod: 'true' }, "prod's first promotion");
  t.same(affected(release('prod', 'bbbbbbb', 2)), { dev: 'false', prod: 'false' }, 'a later promotion');
  t.same(affected(edit('Pulumi.dev.yaml')), { dev: 'true', prod: 'false' }, "dev's stack file: dev only");
  t.same(affected(edit('Pulumi.prod.yaml')), { dev: 'false', prod: 'true' }, "prod's stack file: prod only");
  t.same(affected(edit('README.md')), { dev: 'false', prod: 'false' }, 'documentation');
  t.same(affected(edit('.github/workflows/ci.yml')), { dev: 'false', prod: 'false' }, 'a workflow');
  t.same(
    affected(edit('deploy/web/base/kustomization.yaml')),
    { dev: 'false', prod: 'false' },
    'manifests Argo CD syncs',
  );
  // Someone points dev's overlay at another registry: the program decides again.
  const moved = release('dev', 'ccccccc', 3, `${REGISTRY}-other`);
  t.same(affected(moved), { dev: 'true', prod: 'false' }, 'another registry: dev decides again');
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
