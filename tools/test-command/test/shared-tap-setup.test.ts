import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../../..');
const shared = resolve(import.meta.dirname, '../taprc');
const workspaces: string[] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;

// Tap builds one Test class in node_modules for one plugin list: a project with another list
// would rebuild it under the others' runs (tap-build.mjs).
// The root's workspaces are folders or `folder/*`.
const withTap = workspaces
  .flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(root, pattern.slice(0, -2))).map((name) => join(pattern.slice(0, -2), name))
      : [pattern],
  )
  .filter((dir) => existsSync(join(root, dir, 'package.json')))
  .flatMap((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    return manifest.tap ? [{ dir, tap: manifest.tap }] : [];
  });

t.test('every project with tests takes its tap setup from the shared taprc, and changes no plugin', async (t) => {
  t.ok(withTap.length >= 8, `${withTap.length} projects run tap`);
  for (const { dir, tap } of withTap) {
    t.equal(resolve(root, dir, tap.extends ?? ''), shared, `${dir} extends tools/test-command/taprc`);
    t.same(
      Object.keys(tap).filter((key) => ['plugin', 'node-arg', 'disable-coverage'].includes(key)),
      [],
      `${dir} sets no plugin, node argument or coverage of its own`,
    );
  }
});

/** TypeScript files under a project's test/ folder, without tap's and TypeScript's outputs. */
function testFiles(dir: string): string[] {
  const folder = join(root, dir, 'test');
  if (!existsSync(folder)) return [];
  return (readdirSync(folder, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file));
}

// A module registers tests on tap's `t` without a `.test.ts` name: tap does not find it by itself,
// a `*.test.ts` beside its folder imports it (docs/development.md, "One process for many modules").
const TEST_MODULE = /^import t\b[^;]*from 'tap';$/m;

t.test('every test module runs: a test file of its project imports it', async (t) => {
  let modules = 0;
  for (const { dir } of withTap) {
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
    for (const file of files.filter((f) => !f.endsWith('.test.ts') && TEST_MODULE.test(readFileSync(f, 'utf8')))) {
      modules++;
      t.ok(imported.has(file), `${relative(root, file)} is imported by a test file of ${dir}`);
    }
  }
  t.ok(modules > 0, `${modules} test modules found`);
});
