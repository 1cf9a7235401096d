// infra/bootstrap as a destroy sees it: whatever stops it (protected resources, a versioned bucket
// that is not empty) has its command in the teardown of docs/infra.md.
import t from 'tap';
import { installBootstrapMocks, settle } from './mocks.js';
import { bootstrapConfig } from './pulumi-cli/bootstrap-config.js';
import { ResourceGraph } from './system/graph.js';
import { checkTeardown } from './system/teardown-check.js';

const recorded = await installBootstrapMocks(bootstrapConfig());
await import('../src/bootstrap/index.js');
await settle();
const graph = new ResourceGraph(recorded);

t.test('what stops `pulumi destroy` of bootstrap is in the teardown docs', async (t) => {
  t.ok(
    graph.resources.some((r) => r.protect),
    'bootstrap protects what would orphan every stack (the control: the check has something to find)',
  );
  checkTeardown(t, graph, 'account');
});
