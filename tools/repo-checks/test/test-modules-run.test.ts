// A test module registers tests on tap without a `.test.ts` name, so tap does not find it by itself:
// a `*.test.ts` of its project imports it (docs/development.md, "One process for many modules").
// Here, not in the projects: this project's tests run whenever any file changes (its Nx inputs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import ts from 'typescript';
import { ROOT, TAP_PROJECTS } from './tap-projects.js';

/** TypeScript files under a project's test/ folder (what is on disk: new files count before a commit). */
function testFiles(dir: string): string[] {
  const folder = join(ROOT, dir, 'test');
  if (!existsSync(folder)) return [];
  return (readdirSync(folder, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file));
}

/** Any import of tap's values (not `import type`): the file registers tests. */
const USES_TAP = /^import (?!type\b)[^;]*from 'tap';$/m;

t.test('every test module runs: a test file of its project imports it', async (t) => {
  let modules = 0;
  for (const { dir } of TAP_PROJECTS) {
    const files = testFiles(dir);
    const imported = new Set(
      files
        .filter((file) => file.endsWith('.test.ts'))
        .flatMap((file) =>
          ts
            .preProcessFile(readFileSync(file, 'utf8'))
            .importedFiles.filter(({ fileName }) => fileName.startsWith('.'))
            .map(({ fileName }) => resolve(dirname(file), fileName.replace(/\.js$/, '.ts'))),
        ),
    );
    for (const file of files.filter((f) => !f.endsWith('.test.ts') && USES_TAP.test(readFileSync(f, 'utf8')))) {
      modules++;
      t.ok(imported.has(file), `${relative(ROOT, file)} is imported by a test file of ${dir}`);
    }
  }
  t.ok(modules > 0, `${modules} test modules found`);
});
