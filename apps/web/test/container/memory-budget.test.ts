import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { MEMORY_BUDGET, START_ARGS } from '@zumo/config';
import { WEB_ROOT } from '../helper.js';

// The deployed limit and the documented start command are the contract's.
// (The image's CMD and `npm start` are checked against START_ARGS by dockerfile.test.ts.)
const repoRoot = join(WEB_ROOT, '../..');

t.test('the web container requests and is limited to the memory budget', async (t) => {
  const deployment = parseAllDocuments(readFileSync(join(repoRoot, 'deploy/web/base/deployment.yaml'), 'utf8'))
    .map((d) => d.toJSON())
    .find((d) => d?.kind === 'Deployment');
  const container = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === 'web');
  t.equal(container.resources.limits.memory, MEMORY_BUDGET.containerLimit, 'limit = MEMORY_BUDGET.containerLimit');
  t.equal(container.resources.requests.memory, MEMORY_BUDGET.containerLimit, 'requested in full');
});

t.test('the README and the docs show the production start command of the contract', async (t) => {
  const command = `node ${START_ARGS.join(' ')}`;
  for (const file of ['README.md', 'docs/container.md']) {
    t.ok(readFileSync(join(repoRoot, file), 'utf8').includes(command), `${file} shows: ${command}`);
  }
  t.match(readFileSync(join(WEB_ROOT, 'src/server.ts'), 'utf8'), command, 'and server.ts says it too');
});
