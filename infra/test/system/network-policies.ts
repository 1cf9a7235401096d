/**
 * Kubernetes NetworkPolicy ingress semantics (networking.k8s.io/v1), as far as this system uses
 * them, for the reachability checks. Enforced only where the VPC CNI runs its network policy agent
 * (`enableNetworkPolicy`); the agent always admits the node's own address, so kubelet probes pass
 * (aws/aws-network-policy-agent#65).
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
  const selecting = policies.filter(
    (p) =>
      p.kind === 'NetworkPolicy' &&
      p.metadata.namespace === target.namespace &&
      matches(p.spec.podSelector, target.labels) &&
      (p.spec.policyTypes ?? ['Ingress']).includes('Ingress'),
  );
  if (selecting.length === 0) return true;
  const rules = selecting.flatMap((p) =>
    ((p.spec.ingress ?? []) as IngressRule[])
      .filter((r) => !r.ports?.length || r.ports.some((p) => p.port === undefined || p.port === port))
      .map((r) => ({ rule: r, namespace: p.metadata.namespace! })),
  );
  if (rules.some(({ rule }) => !rule.from?.length)) return true;
  const peers = rules.flatMap(({ rule, namespace }) => rule.from!.map((peer) => ({ peer, namespace })));
  if (source.kind === 'pod' && peers.some(({ peer, namespace }) => selects(peer, source.pod, namespace))) return true;
  const cidrs = source.kind === 'pod' ? source.pod.cidrs : source.cidrs;
  const admitted = (c: string) => peers.some(({ peer }) => covers(peer, c, every));
  return every ? cidrs.length > 0 && cidrs.every(admitted) : cidrs.some(admitted);
}
