import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { REPO_ROOT } from '../mocks.js';

/**
 * The vendored upstream files are exactly the ones infra/reference/README.md names: same set, same
 * sha256. A refreshed or hand-edited file without its table row fails here.
 */
const DIR = join(REPO_ROOT, 'infra/reference');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const table = new Map(
  [...readFileSync(join(DIR, 'README.md'), 'utf8').matchAll(/^\|\s*`([^`]+)`\s*\|.*\|\s*`([0-9a-f]{64})`\s*\|$/gm)].map(
    (m) => [m[1]!, m[2]!],
  ),
);

t.test('every vendored reference file is listed with its sha256', async (t) => {
  const files = filesUnder(DIR)
    .map((file) => relative(DIR, file))
    .filter((file) => file !== 'README.md')
    .sort();
  t.ok(files.length >= 7, 'the reference files are present');
  t.same(files, [...table.keys()].sort(), 'the README table lists exactly the files in the folder');
  for (const file of files) {
    const sha = createHash('sha256')
      .update(readFileSync(join(DIR, file)))
      .digest('hex');
    t.equal(sha, table.get(file), `${file}: content matches the recorded upstream sha256`);
  }
});
