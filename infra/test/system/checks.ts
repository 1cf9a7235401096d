import type { Test } from 'tap';
import type { ResourceGraph } from './graph.js';
import { checkCreationOrder } from './order-check.js';
import { checkDeletionOrder } from './deletion-check.js';
import { checkReachability } from './reachability-check.js';
import { checkVisitorPath } from './visitor-path-check.js';
import { checkApplications } from './applications-check.js';
import { checkNoStackLiterals } from './literals-check.js';
import { checkTeardown } from './teardown-check.js';
import { checkCapacity } from './capacity-check.js';
import { checkClusterFacts } from './cluster-facts-check.js';

/** Every whole-system check over one stack's declared resources. */
export function checkWholeSystem(t: Test, graph: ResourceGraph, stack: 'dev' | 'prod') {
  t.test('creation order', async (t) => checkCreationOrder(t, graph));
  t.test('deletion order', async (t) => checkDeletionOrder(t, graph));
  t.test('the visitor path, hop by hop', async (t) => checkVisitorPath(t, graph));
  t.test('reachability', async (t) => checkReachability(t, graph));
  t.test('what the Applications make Argo CD do', async (t) => checkApplications(t, graph));
  t.test("the web app from the cluster's facts", async (t) => checkClusterFacts(t, graph, stack));
  t.test('no stack-specific literals in deploy/', async (t) => checkNoStackLiterals(t, graph));
  t.test('what stops `pulumi destroy` is in the teardown docs', async (t) => checkTeardown(t, graph, stack));
  t.test('the workloads fit the node pools', async (t) => checkCapacity(t, graph));
}
