import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { MEMORY_BUDGET } from '@zumo/config';
import { WEB_ROOT } from '../helper.js';

// The deployed limit is the memory budget's (the V8 flags are checked by container/start-command.ts).
const repoRoot = join(WEB_ROOT, '../..');

t.test('the web container requests and is limited to the memory budget', async (t) => {
  const deployment = parseAllDocuments(readFileSync(join(repoRoot, 'deploy/web/base/deployment.yaml'), 'utf8'))
    .map((d) => d.toJSON())
    .find((d) => d?.kind === 'Deployment');
  const container = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === 'web');
  t.equal(container.resources.limits.memory, MEMORY_BUDGET.containerLimit, 'limit = MEMORY_BUDGET.containerLimit');
  t.equal(container.resources.requests.memory, MEMORY_BUDGET.containerLimit, 'requested in full');
});
