/**
 * Security group rules as declared (inline on aws.ec2.SecurityGroup, or standalone
 * aws.vpc.SecurityGroupIngressRule / EgressRule), plus the rules EKS puts on the cluster
 * security group it creates itself, which no resource here declares.
 */
import { cidrContains, cidrsOverlap } from '../../src/lib/network-plan.js';
import { MANAGED_PREFIX_LISTS } from '../mocks.js';
import type { ResourceGraph } from './graph.js';

export interface Rule {
  readonly direction: 'ingress' | 'egress';
  readonly group: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  /** The other side: address ranges, or another security group (its members). */
  readonly cidrs: readonly string[];
  readonly groups: readonly string[];
  readonly source: string;
  /** What the rule counts against the group's rule quota: a prefix list weighs its maxEntries. */
  readonly weight: number;
}

/** A prefix list's entries and weight, as AWS describes the managed ones. */
function prefixList(id: string) {
  const list = MANAGED_PREFIX_LISTS.find((l) => l.id === id);
  if (!list) throw new Error(`rule references prefix list ${id}, which the model does not know`);
  return list;
}

/** The other side of a rule: its CIDR, or the entries of its prefix list. */
function peer(cidr: string | undefined, prefixListIds: readonly string[]) {
  const lists = prefixListIds.map(prefixList);
  return {
    cidrs: [...(cidr ? [cidr] : []), ...lists.flatMap((l) => l.cidrs)],
    listWeight: lists.reduce((sum, l) => sum + l.maxEntries, 0),
  };
}

/**
 * EKS creates the cluster security group with two rules (AWS EKS user guide, "Amazon EKS security
 * group requirements"): all traffic from members of the group, all traffic out. Managed node
 * groups without launch-template security groups, and so every pod of the VPC CNI, use it.
 */
export function eksClusterGroupRules(groupId: string): Rule[] {
  const all = { group: groupId, protocol: '-1', fromPort: 0, toPort: 65535, source: 'EKS default rule', weight: 1 };
  return [
    { ...all, direction: 'ingress', cidrs: [], groups: [groupId] },
    { ...all, direction: 'egress', cidrs: ['0.0.0.0/0'], groups: [] },
  ];
}

export function declaredRules(graph: ResourceGraph): Rule[] {
  const rules: Rule[] = [];
  for (const sg of graph.all('aws:ec2/securityGroup:SecurityGroup')) {
    const id = `${sg.name}-id`; // the mock engine's id for it, which other inputs reference
    for (const direction of ['ingress', 'egress'] as const) {
      for (const r of sg.inputs[direction] ?? []) {
        // Protocol -1 is every protocol on every port, whatever fromPort/toPort say (EC2 API).
        const allPorts = String(r.protocol) === '-1';
        const lists = peer(undefined, r.prefixListIds ?? []);
        rules.push({
          direction,
          group: id,
          protocol: String(r.protocol),
          fromPort: allPorts ? 0 : Number(r.fromPort),
          toPort: allPorts ? 65535 : Number(r.toPort),
          cidrs: [...(r.cidrBlocks ?? []), ...lists.cidrs],
          groups: [...(r.securityGroups ?? []), ...(r.self ? [id] : [])],
          source: `SecurityGroup ${sg.name}`,
          // Each CIDR and group is one rule entry; a prefix list counts its maxEntries.
          weight: Math.max(1, (r.cidrBlocks ?? []).length + (r.securityGroups ?? []).length + lists.listWeight),
        });
      }
    }
  }
  for (const [type, direction] of [
    ['aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'ingress'],
    ['aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule', 'egress'],
  ] as const) {
    for (const r of graph.all(type)) {
      const i = r.inputs;
      const allPorts = String(i['ipProtocol']) === '-1';
      const other = peer(i['cidrIpv4'], i['prefixListId'] ? [i['prefixListId']] : []);
      rules.push({
        direction,
        group: i['securityGroupId'],
        protocol: String(i['ipProtocol']),
        fromPort: allPorts ? 0 : Number(i['fromPort']),
        toPort: allPorts ? 65535 : Number(i['toPort']),
        cidrs: other.cidrs,
        groups: i['referencedSecurityGroupId'] ? [i['referencedSecurityGroupId']] : [],
        source: `${type.split(':').pop()} ${r.name}`,
        weight: other.listWeight || 1,
      });
    }
  }
  return rules;
}

/** One end of a connection: the security groups it carries and the ranges its addresses lie in. */
export interface Endpoint {
  readonly groups: readonly string[];
  readonly cidrs: readonly string[];
}

/**
 * Whether `rules` of `self` admit traffic to/from `peer` on a TCP port. `every`: all of the peer's
 * addresses must be admitted (an intended flow works); otherwise any one suffices (a forbidden
 * flow is possible).
 */
export function admits(
  rules: readonly Rule[],
  direction: Rule['direction'],
  self: Endpoint,
  peer: Endpoint,
  port: number,
  every: boolean,
): boolean {
  const applicable = rules.filter(
    (r) =>
      r.direction === direction &&
      self.groups.includes(r.group) &&
      (r.protocol === '-1' || r.protocol === 'tcp' || r.protocol === '6') &&
      r.fromPort <= port &&
      port <= r.toPort,
  );
  if (applicable.some((r) => r.groups.some((g) => peer.groups.includes(g)))) return true;
  const ranges = applicable.flatMap((r) => r.cidrs);
  return every
    ? peer.cidrs.length > 0 && peer.cidrs.every((c) => ranges.some((range) => cidrContains(range, c)))
    : peer.cidrs.some((c) => ranges.some((range) => cidrsOverlap(range, c)));
}
