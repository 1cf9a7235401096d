// Rewrites the table of the cluster's facts in deploy/README.md from infra/src/lib/cluster-facts.ts,
// as built into infra/dist. Run it through `npx nx run infra:facts-table`, which builds first.
import { readFileSync, writeFileSync } from 'node:fs';
import { withFactsTable } from '../dist/lib/cluster-facts.js';

const path = new URL('../../deploy/README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withFactsTable(before);
writeFileSync(path, after);
process.stdout.write(before === after ? 'deploy/README.md is up to date\n' : 'deploy/README.md rewritten\n');
