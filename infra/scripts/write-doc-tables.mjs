// Rewrites the parts of the docs generated from infra's code, as built into infra/dist: the
// cluster's facts in deploy/README.md and the prerequisites in docs/infra.md. Run it through
// `npx nx run infra:doc-tables`, which builds first.
import { readFileSync, writeFileSync } from 'node:fs';
import { withPrerequisites } from '../dist/config/prerequisites.js';
import { withFactsTable } from '../dist/lib/cluster-facts.js';

for (const [file, regenerate] of [
  ['deploy/README.md', withFactsTable],
  ['docs/infra.md', withPrerequisites],
]) {
  const path = new URL(`../../${file}`, import.meta.url);
  const before = readFileSync(path, 'utf8');
  const after = regenerate(before);
  writeFileSync(path, after);
  process.stdout.write(before === after ? `${file} is up to date\n` : `${file} rewritten\n`);
}
