import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';

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
