import type { Test } from 'tap';
import { APP } from '@zumo/config';
import { MANAGED_PREFIX_LISTS, type Registered } from '../mocks.js';
import { applicationNamed, renderApplication, type Manifest } from './argocd-render.js';
import { FORBIDDEN_FLOWS, INTENDED_FLOWS, type Place } from './flows.js';
import type { ResourceGraph } from './graph.js';
import {
  egressAllowed,
  ingressAllowed,
  type Destination,
  type PodRef,
  type ServiceRef,
  type Source,
} from './network-policies.js';
import { admits, declaredRules, eksClusterGroupRules, type Endpoint, type Rule } from './security-groups.js';

/** The security group CloudFront creates in the VPC for its VPC origins (not ours to declare). */
const CLOUDFRONT_SERVICE_GROUP = 'CloudFront-VPCOrigins-Service-SG';
const cloudFrontOriginFacing = MANAGED_PREFIX_LISTS.find(
  (l) => l.name === 'com.amazonaws.global.cloudfront.origin-facing',
)!;

interface Where extends Endpoint {
  readonly reachableFromInternet: boolean;
  /** The pod that receives the connection (a Service's: one of its backends). */
  readonly pod?: PodRef;
  /** A Service's ClusterIP: what the sender dials, before kube-proxy translates it to a pod. */
  readonly service?: ServiceRef;
}

/**
 * The cluster DNS the CoreDNS add-on runs: pods labelled k8s-app=kube-dns in kube-system behind the
 * Service kube-dns, which selects exactly that label (kubernetes cluster/addons/dns/coredns
 * coredns.yaml.base, which the EKS add-on follows).
 */
const COREDNS = {
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' },
};
const KUBE_DNS_SERVICE: ServiceRef = { namespace: 'kube-system', selector: { 'k8s-app': 'kube-dns' } };

/** The subnet ranges of each tier, from the VPC's explicit layout; subnet ids as the mocks return them. */
function subnetRanges(vpc: Registered) {
  const specs = vpc.inputs['subnetSpecs'] as { type: string; cidrBlocks?: string[] }[];
  const ranges = (type: string) => specs.find((s) => s.type === type)?.cidrBlocks ?? [];
  const byId = new Map<string, string[]>();
  for (const [output, type] of [
    ['privateSubnetIds', 'Private'],
    ['publicSubnetIds', 'Public'],
    ['isolatedSubnetIds', 'Isolated'],
  ] as const)
    for (const id of vpc.state[output] ?? []) byId.set(id, ranges(type));
  return (ids: string[]) => [...new Set(ids.flatMap((id) => byId.get(id) ?? []))];
}

/** Every place a flow can start or end, from what the stack and the web Application declare. */
export function places(graph: ResourceGraph, web: Manifest[]) {
  const vpc = graph.one('awsx:ec2:Vpc');
  const cidrsOf = subnetRanges(vpc);
  const cluster = graph.one('aws:eks/cluster:Cluster');
  const clusterGroup: string = cluster.state['vpcConfig'].clusterSecurityGroupId;
  const alb = graph.one('aws:lb/loadBalancer:LoadBalancer');
  const albCidrs = cidrsOf(alb.inputs['subnets']);
  const nodeSubnets: string[] = graph.all('aws:eks/nodeGroup:NodeGroup').flatMap((g) => g.inputs['subnetIds']);
  const nodeCidrs = cidrsOf(nodeSubnets);
  // awsx's public subnets give instances a public address; private and isolated ones do not.
  const nodesPublic = nodeSubnets.some((id) => (vpc.state['publicSubnetIds'] ?? []).includes(id));
  // Managed node groups use the launch template's security groups, or else the cluster's.
  const templateGroups: string[] =
    graph.all('aws:ec2/launchTemplate:LaunchTemplate')[0]?.inputs['vpcSecurityGroupIds'] ?? [];
  const node: Where = {
    groups: templateGroups.length ? templateGroups : [clusterGroup],
    cidrs: nodeCidrs,
    reachableFromInternet: nodesPublic,
  };
  const template = web.find((m) => m.kind === 'Deployment')!.spec.template;
  const pod = (namespace: string, labels: Record<string, string>): Where => ({
    ...node,
    pod: { namespace, labels, cidrs: nodeCidrs },
  });
  const where: Record<Place, Where> = {
    internet: { groups: [], cidrs: ['0.0.0.0/0'], reachableFromInternet: true },
    // CloudFront's VPC origin traffic reaches the origin from CloudFront's origin-facing addresses
    // (the managed prefix list), through network interfaces carrying the service security group
    // CloudFront creates in the VPC; a rule naming the VPC range admits neither (CloudFront
    // developer guide, "Restrict access with VPC origins").
    'cloudfront-vpc-origin': {
      groups: [CLOUDFRONT_SERVICE_GROUP],
      cidrs: cloudFrontOriginFacing.cidrs,
      reachableFromInternet: false,
    },
    alb: {
      groups: alb.inputs['securityGroups'],
      cidrs: albCidrs,
      reachableFromInternet: alb.inputs['internal'] !== true,
    },
    node,
    'web-pod': pod(APP.namespace, template.metadata.labels),
    'prometheus-pod': pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
    'other-pod': pod('default', { 'app.kubernetes.io/name': 'something-else' }),
    'cluster-dns': { ...pod(COREDNS.namespace, COREDNS.labels), service: KUBE_DNS_SERVICE },
    'kube-system-pod': pod('kube-system', { 'app.kubernetes.io/name': 'aws-load-balancer-controller' }),
    // The CodeBuild-hosted runner's network interfaces: in the private subnets, with its own group.
    'ci-runner': {
      groups: graph.one('aws:codebuild/project:Project').inputs['vpcConfig'].securityGroupIds,
      cidrs: cidrsOf(graph.one('aws:codebuild/project:Project').inputs['vpcConfig'].subnets),
      reachableFromInternet: false,
    },
    // Aurora's network interfaces: in its subnet group's subnets, with its own security group.
    database: {
      groups: [`${graph.one('aws:ec2/securityGroup:SecurityGroup', (g) => g.name.endsWith('-db')).name}-id`],
      cidrs: cidrsOf(graph.one('aws:rds/subnetGroup:SubnetGroup').inputs['subnetIds']),
      reachableFromInternet: false,
    },
    // The private endpoint's network interfaces: in the cluster's subnets, with the cluster group.
    'cluster-api': {
      groups: [clusterGroup],
      cidrs: cidrsOf(cluster.inputs['vpcConfig'].subnetIds),
      reachableFromInternet: false,
    },
  };
  const rules: Rule[] = [
    ...declaredRules(graph),
    ...eksClusterGroupRules(clusterGroup),
    // The VPC origin's service security group lets CloudFront out to the origin.
    {
      direction: 'egress',
      group: CLOUDFRONT_SERVICE_GROUP,
      protocol: '-1',
      fromPort: 0,
      toPort: 65535,
      cidrs: ['0.0.0.0/0'],
      groups: [],
      source: 'CloudFront',
      weight: 1,
    },
  ];
  const cni = graph.one('aws:eks/addon:Addon', (r) => r.inputs['addonName'] === 'vpc-cni');
  const enforced = JSON.parse(cni.inputs['configurationValues'] ?? '{}').enableNetworkPolicy === 'true';
  return { where, rules, enforced, policies: web.filter((m) => m.kind === 'NetworkPolicy') };
}

type Model = ReturnType<typeof places>;

/** Whether a TCP connection from one place to another on `port` gets through (every / any address). */
export function reaches(model: Model, from: Place, to: Place, port: number, every: boolean): boolean {
  const src = model.where[from];
  const dst = model.where[to];
  if (from === 'internet') {
    if (!dst.reachableFromInternet) return false;
    return admits(model.rules, 'ingress', dst, src, port, every);
  }
  if (!admits(model.rules, 'egress', src, dst, port, every)) return false;
  if (!admits(model.rules, 'ingress', dst, src, port, every)) return false;
  if (src.pod) {
    const destination: Destination = dst.service
      ? { kind: 'service', service: dst.service }
      : dst.pod
        ? { kind: 'pod', pod: dst.pod }
        : { kind: 'address', cidrs: dst.cidrs };
    if (!egressAllowed(model.policies, model.enforced, src.pod, destination, port, every)) return false;
  }
  if (!dst.pod) return true;
  const source: Source =
    from === 'node'
      ? { kind: 'node' }
      : src.pod
        ? { kind: 'pod', pod: src.pod }
        : { kind: 'address', cidrs: src.cidrs };
  return ingressAllowed(model.policies, model.enforced, dst.pod, source, port, every);
}

export function checkReachability(t: Test, graph: ResourceGraph) {
  const model = places(graph, renderApplication(applicationNamed(graph, APP.name).spec)!);
  t.ok(model.enforced, 'NetworkPolicies are enforced (VPC CNI enableNetworkPolicy)');
  for (const flow of INTENDED_FLOWS)
    t.ok(
      reaches(model, flow.from, flow.to, flow.port, true),
      `${flow.from} reaches ${flow.to}:${flow.port}: ${flow.why}`,
    );
  for (const flow of FORBIDDEN_FLOWS)
    t.notOk(
      reaches(model, flow.from, flow.to, flow.port, false),
      `${flow.from} cannot reach ${flow.to}:${flow.port}: ${flow.why}`,
    );
  checkRuleQuotas(t, model.rules);
}

/**
 * Amazon VPC quota "inbound or outbound rules per security group": 60 by default, and a rule that
 * names a managed prefix list counts its maximum entries (CloudFront's: 55). Past it, creating the
 * rule fails during `pulumi up`.
 */
const RULES_PER_GROUP = 60;

function checkRuleQuotas(t: Test, rules: readonly Rule[]) {
  const ours = rules.filter((r) => r.group !== CLOUDFRONT_SERVICE_GROUP);
  for (const group of new Set(ours.map((r) => r.group)))
    for (const direction of ['ingress', 'egress'] as const) {
      const weight = ours
        .filter((r) => r.group === group && r.direction === direction)
        .reduce((sum, r) => sum + r.weight, 0);
      t.ok(weight <= RULES_PER_GROUP, `${group}: ${direction} rules weigh ${weight} of ${RULES_PER_GROUP}`);
    }
}
