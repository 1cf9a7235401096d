import { join, resolve } from 'node:path';
import t from 'tap';
import { ROOT, TAP_PROJECTS } from './tap-projects.js';

const shared = join(ROOT, 'tools/test-command/taprc');

// Tap builds one Test class in node_modules for one plugin list: a project with another list
// would rebuild it under the others' runs (tools/test-command/tap-build.mjs).
t.test('every project with tests takes its tap setup from the shared taprc, and changes no plugin', async (t) => {
  t.ok(TAP_PROJECTS.length >= 8, `${TAP_PROJECTS.length} projects run tap`);
  for (const { dir, tap } of TAP_PROJECTS) {
    t.equal(resolve(ROOT, dir, String(tap['extends'] ?? '')), shared, `${dir} extends tools/test-command/taprc`);
    t.same(
      Object.keys(tap).filter((key) => ['plugin', 'node-arg', 'disable-coverage'].includes(key)),
      [],
      `${dir} sets no plugin, node argument or coverage of its own`,
    );
  }
});
