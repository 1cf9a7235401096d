/**
 * Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), as far as this system uses them, for
 * the reachability checks, as the VPC CNI enforces them. Enforced only where the VPC CNI runs its
 * network policy agent (`enableNetworkPolicy`); the agent always admits the node's own address, so
 * kubelet probes pass (aws/aws-network-policy-agent#65). The agent's eBPF programs sit on the pod's
 * interface, so egress is judged before kube-proxy translates a Service's ClusterIP: a ClusterIP is
 * admitted only as aws/amazon-network-policy-controller-k8s resolves it (see egressAllowed).
 */
import { cidrContains, cidrsOverlap } from '../../src/lib/network-plan.js';
import type { Manifest } from './argocd-render.js';

export interface PodRef {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The ranges the pod's address lies in (VPC CNI: the private subnets). */
  readonly cidrs: readonly string[];
}

export type Source = { kind: 'pod'; pod: PodRef } | { kind: 'address'; cidrs: readonly string[] } | { kind: 'node' };

/** A Service's ClusterIP, as a pod dials it (its resolv.conf names kube-dns's, for one). */
export interface ServiceRef {
  readonly namespace: string;
  /** The Service's spec.selector. */
  readonly selector: Readonly<Record<string, string>>;
}

/** Where a pod's connection goes, as the agent sees it on the pod's interface. */
export type Destination =
  | { kind: 'pod'; pod: PodRef }
  | { kind: 'service'; service: ServiceRef }
  | { kind: 'address'; cidrs: readonly string[] };

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function matches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    if (e.operator === 'In') return value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === 'NotIn') return value === undefined || !(e.values ?? []).includes(value);
    if (e.operator === 'Exists') return value !== undefined;
    if (e.operator === 'DoesNotExist') return value === undefined;
    throw new Error(`unknown selector operator ${e.operator}`);
  });
  return byLabel && byExpression;
}

/** Namespaces carry kubernetes.io/metadata.name (set by the API server since Kubernetes 1.22). */
const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

interface Peer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}

interface IngressRule {
  from?: Peer[];
  ports?: { port?: number }[];
}

interface EgressRule {
  to?: Peer[];
  ports?: { port?: number }[];
}

const onPort = (rule: { ports?: { port?: number }[] }, port: number) =>
  !rule.ports?.length || rule.ports.some((p) => p.port === undefined || p.port === port);

/** The policies of the pod's namespace that select it for `type` (Ingress or Egress). */
function selecting(policies: readonly Manifest[], pod: PodRef, type: 'Ingress' | 'Egress'): Manifest[] {
  return policies.filter(
    (p) =>
      p.kind === 'NetworkPolicy' &&
      p.metadata.namespace === pod.namespace &&
      matches(p.spec.podSelector, pod.labels) &&
      (p.spec.policyTypes ?? ['Ingress']).includes(type),
  );
}

/** A peer admits a pod by its selectors (a podSelector alone means the policy's own namespace). */
function selects(peer: Peer, pod: PodRef, policyNamespace: string): boolean {
  if (peer.ipBlock) return false;
  if (!peer.namespaceSelector && pod.namespace !== policyNamespace) return false;
  return matches(peer.namespaceSelector, namespaceLabels(pod.namespace)) && matches(peer.podSelector, pod.labels);
}

/** An ipBlock peer admits a range entirely (`every`) or in part. */
function covers(peer: Peer, cidr: string, every: boolean): boolean {
  if (!peer.ipBlock) return false;
  const { cidr: block, except = [] } = peer.ipBlock;
  return every
    ? cidrContains(block, cidr) && !except.some((e) => cidrsOverlap(e, cidr))
    : cidrsOverlap(block, cidr) && !except.some((e) => cidrContains(e, cidr));
}

/**
 * Whether the pod admits the source on `port`. `every`: all of the source's addresses must be
 * admitted (an intended flow works), else any one (a forbidden flow is possible). With the VPC
 * CNI a pod's address lies in the node subnets, so an ipBlock can admit pods as well.
 */
export function ingressAllowed(
  policies: readonly Manifest[],
  enforced: boolean,
  target: PodRef,
  source: Source,
  port: number,
  every: boolean,
): boolean {
  if (!enforced || source.kind === 'node') return true;
  const policiesForTarget = selecting(policies, target, 'Ingress');
  if (policiesForTarget.length === 0) return true;
  const rules = policiesForTarget.flatMap((p) =>
    ((p.spec.ingress ?? []) as IngressRule[])
      .filter((r) => onPort(r, port))
      .map((r) => ({ rule: r, namespace: p.metadata.namespace! })),
  );
  if (rules.some(({ rule }) => !rule.from?.length)) return true;
  const peers = rules.flatMap(({ rule, namespace }) => rule.from!.map((peer) => ({ peer, namespace })));
  if (source.kind === 'pod' && peers.some(({ peer, namespace }) => selects(peer, source.pod, namespace))) return true;
  const cidrs = source.kind === 'pod' ? source.pod.cidrs : source.cidrs;
  const admitted = (c: string) => peers.some(({ peer }) => covers(peer, c, every));
  return every ? cidrs.length > 0 && cidrs.every(admitted) : cidrs.some(admitted);
}

/**
 * Whether the pod's egress policies let it open a connection to `destination` on `port` (`every`:
 * all of an address destination's addresses). A ClusterIP passes only through a peer without an
 * ipBlock whose namespaces hold the Service and whose podSelector (none: every Service) matches the
 * Service's own selector: what the policy controller writes into the agent's endpoints
 * (amazon-network-policy-controller-k8s pkg/resolvers/endpoints.go, getMatchingServiceClusterIPs,
 * "a workaround ... since it attaches the ebpf probes to the TC hook of the pod veth interface").
 */
export function egressAllowed(
  policies: readonly Manifest[],
  enforced: boolean,
  source: PodRef,
  destination: Destination,
  port: number,
  every: boolean,
): boolean {
  if (!enforced) return true;
  const policiesForSource = selecting(policies, source, 'Egress');
  if (policiesForSource.length === 0) return true;
  const rules = policiesForSource.flatMap((p) =>
    ((p.spec.egress ?? []) as EgressRule[])
      .filter((r) => onPort(r, port))
      .map((r) => ({ rule: r, namespace: p.metadata.namespace! })),
  );
  if (rules.some(({ rule }) => !rule.to?.length)) return true;
  const peers = rules.flatMap(({ rule, namespace }) => rule.to!.map((peer) => ({ peer, namespace })));
  const admitted = (cidrs: readonly string[]) => {
    const one = (c: string) => peers.some(({ peer }) => covers(peer, c, every));
    return every ? cidrs.length > 0 && cidrs.every(one) : cidrs.some(one);
  };
  switch (destination.kind) {
    case 'pod':
      // With the VPC CNI a pod's address lies in the node subnets, so an ipBlock can admit it too.
      return (
        peers.some(({ peer, namespace }) => selects(peer, destination.pod, namespace)) ||
        admitted(destination.pod.cidrs)
      );
    case 'service': {
      // The Service's selector stands where a pod's labels would (labels.Set(svc.Spec.Selector)).
      const { namespace, selector } = destination.service;
      const asPod: PodRef = { namespace, labels: selector, cidrs: [] };
      return peers.some(({ peer, namespace: own }) => selects(peer, asPod, own));
    }
    case 'address':
      return admitted(destination.cidrs);
  }
}
