import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { escapesIn } from './stands-alone.js';

const ROOT = join(import.meta.dirname, '../../..');

/** Tracked files only: what a clone has. */
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((file) => file && file !== 'package-lock.json');

t.test('no tracked file refers to anything outside the repository', async (t) => {
  t.ok(tracked.length > 100, `git lists the tracked files (${tracked.length})`);
  const escapes = tracked.flatMap((file) => {
    const bytes = readFileSync(join(ROOT, file));
    if (bytes.includes(0)) return []; // binary (images): no paths to check
    return escapesIn(ROOT, file, bytes.toString('utf8'));
  });
  t.same(
    escapes.map((e) => `${e.file}:${e.line}: ${e.why}: ${e.text}`),
    [],
    'a clone anywhere has everything its files refer to',
  );
});

t.test('the check finds each kind of escape (controls)', async (t) => {
  // Assembled from parts so this file does not itself contain what it looks for.
  const shared = ['..', 'shared', 'reference'].join('/');
  const machine = ['', 'work', 'main'].join('/');
  const cases: [file: string, text: string, why: RegExp][] = [
    ['infra/test/x.test.ts', `const REF = join(REPO_ROOT, '${shared}');`, /shared/],
    ['deploy/test/render.ts', "export const REF = join(DEPLOY_ROOT, '../../../elsewhere');", /outside the repository/],
    ['docs/infra.md', `see [the values](../${shared}/values.yaml)`, /outside the repository/],
    ['README.md', `cd ${machine} && npm test`, /machine path/],
  ];
  for (const [file, text, why] of cases) {
    const found = escapesIn(ROOT, file, text);
    t.equal(found.length > 0 && why.test(found.map((e) => e.why).join(' ')), true, `${file}: ${text}`);
  }
  t.same(escapesIn(ROOT, 'infra/test/mocks.ts', "join(import.meta.dirname, '../..')"), [], 'the repo root is fine');
  t.same(escapesIn(ROOT, 'docs/infra.md', '[ops](../docs/operations.md)'), [], 'a link inside the repo is fine');
});
