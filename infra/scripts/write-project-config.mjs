// Rewrites the generated part of the root Pulumi.yaml (its config declarations and the list of
// optional keys) from infra/src/config/config-keys.ts, as built into infra/dist.
// Run it through `npx nx run infra:project-config`, which builds first.
import { readFileSync, writeFileSync } from 'node:fs';
import { withGeneratedConfig } from '../dist/config/project-file.js';

const path = new URL('../../Pulumi.yaml', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withGeneratedConfig(before);
writeFileSync(path, after);
process.stdout.write(before === after ? 'Pulumi.yaml is up to date\n' : 'Pulumi.yaml rewritten\n');
