// Writes the environment-variable table generated from EnvSchema into docs/service.md
// (between the env-table markers). Run through `nx run config:env-table`, which builds the
// package first; test/env-table.test.ts fails while the committed table differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withEnvTable } from '../dist/index.js';

const doc = resolve(import.meta.dirname, '../../../docs/service.md');
const before = readFileSync(doc, 'utf8');
const after = withEnvTable(before);
if (after !== before) writeFileSync(doc, after);
console.log(after === before ? `${doc}: the table is current` : `${doc}: the table was rewritten`);
