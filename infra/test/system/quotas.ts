/**
 * The regional service quotas both stacks need in their one account, from what they declare: a new
 * account's defaults can be below them, and `pulumi up` then fails half-way (an instance that never
 * launches leaves a node group CREATE_FAILED; a NAT gateway without an address fails).
 */
import { INSTANCE_TYPES } from './capacity-check.js';

export type Declared = readonly { type: string; name: string; inputs: Record<string, any> }[];

export interface QuotaNeed {
  /** The Service Quotas code, e.g. L-1216C47A. */
  readonly code: string;
  readonly need: number;
  readonly how: string;
}

const vcpusOf = (instanceTypes: string[]) =>
  Math.max(
    ...instanceTypes.map((type) => {
      const known = INSTANCE_TYPES[type];
      if (!known) throw new Error(`quotas.ts: add ${type} to INSTANCE_TYPES in capacity-check.ts`);
      return known.vcpus;
    }),
  );

/**
 * vCPUs of running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances: every node group at
 * its desired size, plus the nodes one stack's node update adds. A launch template change rolls all
 * of a stack's groups at once, and for each EKS first launches up to twice as many nodes as the
 * group has AZs, or maxUnavailable if larger (EKS user guide, "Understand each phase of node
 * updates", scale up phase).
 */
function standardVcpus(stacks: Declared[]): QuotaNeed {
  const groups = (stack: Declared) => stack.filter((r) => r.type === 'aws:eks/nodeGroup:NodeGroup');
  const steady = stacks
    .flatMap(groups)
    .reduce((sum, g) => sum + g.inputs['scalingConfig'].desiredSize * vcpusOf(g.inputs['instanceTypes']), 0);
  const surge = (stack: Declared) =>
    groups(stack).reduce((sum, g) => {
      const zones = new Set(g.inputs['subnetIds']).size;
      const extra = Math.max(2 * zones, g.inputs['updateConfig']?.maxUnavailable ?? 1);
      return sum + extra * vcpusOf(g.inputs['instanceTypes']);
    }, 0);
  const update = Math.max(...stacks.map(surge));
  return {
    code: 'L-1216C47A',
    need: steady + update,
    how: `${steady} vCPUs at the desired sizes + ${update} while one stack's nodes are replaced`,
  };
}

/** EC2-VPC Elastic IPs: one per NAT gateway (awsx: one per AZ, or one for the VPC). */
function elasticIps(stacks: Declared[]): QuotaNeed {
  const perStack = stacks.map((stack) =>
    stack
      .filter((r) => r.type === 'awsx:ec2:Vpc')
      .reduce(
        (sum, vpc) =>
          sum + (vpc.inputs['natGateways']?.strategy === 'OnePerAz' ? vpc.inputs['availabilityZoneNames'].length : 1),
        0,
      ),
  );
  return { code: 'L-0263D0A3', need: perStack.reduce((a, b) => a + b, 0), how: `NAT gateways ${perStack.join(' + ')}` };
}

/**
 * CodeBuild's concurrently running builds for the runners' environment (Linux, medium compute):
 * each runner project's concurrent build limit, all of which may run at once; CodeBuild also
 * refuses a project whose limit is above the account's ("Builds in AWS CodeBuild").
 */
function runnerBuilds(stacks: Declared[]): QuotaNeed {
  const perStack = stacks.map((stack) =>
    stack
      .filter(
        (r) =>
          r.type === 'aws:codebuild/project:Project' &&
          r.inputs['environment']?.type === 'LINUX_CONTAINER' &&
          r.inputs['environment']?.computeType === 'BUILD_GENERAL1_MEDIUM',
      )
      .reduce((sum, p) => sum + (p.inputs['concurrentBuildLimit'] ?? 0), 0),
  );
  return { code: 'L-2DC20C30', need: perStack.reduce((a, b) => a + b, 0), how: `runners ${perStack.join(' + ')}` };
}

export function quotaNeeds(stacks: Declared[]): QuotaNeed[] {
  return [standardVcpus(stacks), elasticIps(stacks), runnerBuilds(stacks)];
}
