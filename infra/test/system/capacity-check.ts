import type { Test } from 'tap';
import type { ResourceGraph } from './graph.js';
import { workloads, type Workload } from './workloads.js';

/**
 * Network interfaces, IPv4 addresses per interface and vCPUs of the instance types the stacks use
 * (Amazon EC2 user guide, "Maximum IP addresses per network interface"; amazon-eks-ami
 * templates/shared/runtime/eni-max-pods.txt gives 17 and 29 pods without prefixes).
 */
export const INSTANCE_TYPES: Record<string, { enis: number; ipv4PerEni: number; vcpus: number }> = {
  't3.medium': { enis: 3, ipv4PerEni: 6, vcpus: 2 },
  'm7i.large': { enis: 3, ipv4PerEni: 10, vcpus: 2 },
};

/**
 * The pods a node of this type admits, as EKS managed node groups compute it when the launch
 * template names no AMI (EKS user guide, max-pods-calculator.sh): one address per pod from each
 * interface but its first (a /28 prefix of 16 with prefix delegation), plus 2 host-network pods,
 * capped at 110 below 30 vCPUs and 250 above.
 */
export function maxPods(instanceType: string, prefixDelegation: boolean): number {
  const type = INSTANCE_TYPES[instanceType];
  if (!type) throw new Error(`capacity-check.ts: add the ENI limits of ${instanceType} to INSTANCE_TYPES`);
  const perEni = (type.ipv4PerEni - 1) * (prefixDelegation ? 16 : 1);
  return Math.min(type.enis * perEni + 2, type.vcpus < 30 ? 110 : 250);
}

/** The nodes a stack runs: every node group at its desired size, with the pods each node admits. */
function nodes(graph: ResourceGraph) {
  const cni = graph.one('aws:eks/addon:Addon', (a) => a.inputs['addonName'] === 'vpc-cni');
  const prefixDelegation =
    JSON.parse(cni.inputs['configurationValues'] ?? '{}').env?.ENABLE_PREFIX_DELEGATION === 'true';
  return graph.all('aws:eks/nodeGroup:NodeGroup').flatMap((group) => {
    const types: string[] = group.inputs['instanceTypes'];
    // A node group with several types gets the smallest maximum (EKS user guide).
    const perNode = Math.min(...types.map((type) => maxPods(type, prefixDelegation)));
    return Array.from({ length: group.inputs['scalingConfig'].desiredSize }, () => perNode);
  });
}

const sum = (ws: Workload[]) => ws.reduce((total, w) => total + w.pods, 0);

/**
 * Pods against the nodes' pod limit: every DaemonSet on every node, every other pod, the hook Jobs
 * of an install or sync and one surge pod per rolling Deployment (a node replacement reschedules
 * them all at once). Past the limit, pods stay Pending with "Too many pods".
 */
function checkPodLimit(t: Test, graph: ResourceGraph, all: Workload[]) {
  const limits = nodes(graph);
  const perNode = all.filter((w) => w.perNode);
  const placed = all.filter((w) => !w.perNode);
  const needed = sum(perNode) * limits.length + sum(placed) + placed.filter((w) => w.surges).length;
  const capacity = limits.reduce((total, limit) => total + limit, 0);
  t.ok(
    needed <= capacity,
    `${needed} pods (DaemonSets on ${limits.length} nodes, ${sum(placed.filter((w) => !w.transient))} placed, hooks and one surge per Deployment) fit the nodes' ${capacity} (${limits.join(' + ')})`,
  );
}

/**
 * Workloads whose pods must sit on distinct nodes fit the nodes with one node lost: docs/infra.md
 * promises a lost node is replaced without anyone acting, meanwhile nothing should stay Pending.
 */
function checkDistinctNodes(t: Test, graph: ResourceGraph, all: Workload[]) {
  const count = nodes(graph).length;
  for (const w of all.filter((w) => w.distinctNodes))
    t.ok(w.pods <= count - 1, `${w.name}: ${w.pods} pods on distinct nodes fit ${count} nodes with one lost`);
  t.pass(
    `${count} nodes; hard anti-affinity: ${
      all
        .filter((w) => w.distinctNodes)
        .map((w) => w.name)
        .join(', ') || 'none'
    }`,
  );
}

export function checkCapacity(t: Test, graph: ResourceGraph) {
  const all = workloads(graph);
  t.test('pods fit the nodes', async (t) => checkPodLimit(t, graph, all));
  t.test('pods that need distinct nodes have them', async (t) => checkDistinctNodes(t, graph, all));
}
