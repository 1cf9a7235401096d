/**
 * The network flows the system is meant to have, and the ones it must never have, as data. The
 * reachability check evaluates each against the declared security groups, subnets and
 * NetworkPolicies. A new path is one more entry here, plus its place in reachability-check.ts if it
 * is a new kind of endpoint.
 */
import { APP } from '@zumo/config';
import { DATABASE_PORT } from '../../src/lib/database.js';

export type Place =
  | 'internet'
  | 'cloudfront-vpc-origin'
  | 'alb'
  | 'node'
  | 'web-pod'
  | 'prometheus-pod'
  | 'other-pod'
  | 'ci-runner'
  | 'cluster-api'
  | 'cluster-dns'
  | 'kube-system-pod'
  | 'database';

export interface Flow {
  readonly from: Place;
  readonly to: Place;
  readonly port: number;
  readonly why: string;
}

export const INTENDED_FLOWS: Flow[] = [
  {
    from: 'cloudfront-vpc-origin',
    to: 'alb',
    port: 80,
    why: 'CloudFront reaches the internal ALB through its VPC origin, from its origin-facing addresses (a VPC-range rule gives 504)',
  },
  { from: 'alb', to: 'web-pod', port: APP.containerPort, why: 'the target group (ip targets) forwards to the pod' },
  { from: 'prometheus-pod', to: 'web-pod', port: APP.containerPort, why: 'Prometheus scrapes /metrics' },
  { from: 'node', to: 'web-pod', port: APP.containerPort, why: 'the kubelet runs the probes' },
  {
    from: 'web-pod',
    to: 'cluster-dns',
    port: 53,
    why: "the service resolves names (Sentry) through the kube-dns Service's ClusterIP its resolv.conf names",
  },
  {
    from: 'web-pod',
    to: 'database',
    port: DATABASE_PORT,
    why: "the service reaches Aurora's writer and reader in the private subnets (the security groups, and the web NetworkPolicy's egress to the `database` facts)",
  },
  {
    from: 'ci-runner',
    to: 'cluster-api',
    port: 443,
    why: "CI's Kubernetes jobs (up, preview, drift) run on the stack's runner and reach the private API endpoint",
  },
];

export const FORBIDDEN_FLOWS: Flow[] = [
  { from: 'internet', to: 'alb', port: 80, why: 'only CloudFront reaches the ALB (WAF, headers, caching apply)' },
  {
    from: 'other-pod',
    to: 'alb',
    port: 80,
    why: 'a pod would skip the WAF and choose the X-Forwarded-For the service believes',
  },
  { from: 'ci-runner', to: 'alb', port: 80, why: 'CI jobs (pull requests included) never talk to the app' },
  { from: 'node', to: 'alb', port: 80, why: 'host-network pods would skip the WAF like any other pod' },
  { from: 'internet', to: 'web-pod', port: APP.containerPort, why: 'nothing outside the VPC reaches a pod' },
  { from: 'internet', to: 'node', port: 22, why: 'nodes have no public address' },
  {
    from: 'other-pod',
    to: 'web-pod',
    port: APP.containerPort,
    why: 'only the load balancer, Prometheus and the kubelet reach the pod (NetworkPolicy)',
  },
  {
    from: 'web-pod',
    to: 'kube-system-pod',
    port: 53,
    why: "the web pod's DNS egress reaches CoreDNS only, not whatever else runs in kube-system",
  },
  {
    from: 'ci-runner',
    to: 'web-pod',
    port: APP.containerPort,
    why: 'CI jobs (pull requests included) talk to the Kubernetes API, never to the app directly',
  },
  ...(['internet', 'cloudfront-vpc-origin', 'alb', 'ci-runner'] as const).map((from) => ({
    from,
    to: 'database' as const,
    port: DATABASE_PORT,
    why: 'the database admits the cluster security group (the pods) only',
  })),
  { from: 'web-pod', to: 'database', port: 22, why: 'the database admits PostgreSQL only' },
];
