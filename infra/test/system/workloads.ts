/**
 * The pods a stack runs, derived from what it declares (Helm values, the Applications' manifests
 * and chart values) and, where it declares nothing, from the upstream defaults named next to each
 * number. The capacity checks weigh them against the node pools.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../mocks.js';
import { allApplications, renderApplication, type Manifest } from './argocd-render.js';
import type { ResourceGraph } from './graph.js';
import { METRICS_SERVER } from '../../src/lib/argocd-projects.js';

export interface Workload {
  readonly name: string;
  readonly pods: number;
  /** A DaemonSet: `pods` on every node. */
  readonly perNode?: boolean;
  /** A hook Job: runs only while an install or sync is under way. */
  readonly transient?: boolean;
  /** A Deployment with RollingUpdate: one more pod while it rolls (maxSurge 25%, rounded up). */
  readonly surges?: boolean;
  /** Required pod anti-affinity on kubernetes.io/hostname: every pod on its own node. */
  readonly distinctNodes?: boolean;
}

/** Pods of the EKS add-ons (EKS defaults: CoreDNS runs two replicas). */
const ADDON_PODS: Record<string, Workload[]> = {
  'vpc-cni': [{ name: 'aws-node', pods: 1, perNode: true }],
  'kube-proxy': [{ name: 'kube-proxy', pods: 1, perNode: true }],
  'eks-pod-identity-agent': [{ name: 'eks-pod-identity-agent', pods: 1, perNode: true }],
  coredns: [{ name: 'coredns', pods: 2, surges: true }],
};

/** redis-ha 4.38.0 (the argo-cd 10.1.1 dependency), values.yaml: `replicas: 3`, `haproxy.replicas: 3`. */
const REDIS_HA = { servers: 3, haproxies: 3 };

const chartDefaults = (file: string) => parse(readFileSync(join(REPO_ROOT, 'infra/reference', file), 'utf8'));

/** A value from our Helm values, else the chart's default (vendored values file). */
function valueAt(ours: unknown, defaults: unknown, path: string): any {
  const at = (root: unknown) => path.split('.').reduce<any>((node, key) => node?.[key], root);
  return at(ours) ?? at(defaults);
}

function argocdPods(values: unknown): Workload[] {
  const defaults = chartDefaults('argo-cd-10.1.1.values.yaml');
  const get = (path: string) => valueAt(values, defaults, path);
  // global.affinity.podAntiAffinity: soft by default; hard puts every replica on its own node.
  const hard = get('global.affinity.podAntiAffinity') === 'hard';
  const redisHa = get('redis-ha.enabled') === true;
  const component = (name: string, path: string, surges = true): Workload => ({
    name: `argocd-${name}`,
    pods: get(`${path}.replicas`) ?? 1,
    surges,
    distinctNodes: hard,
  });
  return [
    component('application-controller', 'controller', false), // a StatefulSet
    component('server', 'server'),
    component('repo-server', 'repoServer'),
    component('applicationset-controller', 'applicationSet'),
    ...(get('notifications.enabled') ? [component('notifications-controller', 'notifications')] : []),
    ...(get('dex.enabled') ? [component('dex-server', 'dex')] : []),
    ...(redisHa
      ? [
          {
            name: 'argocd-redis-ha-server',
            pods: REDIS_HA.servers,
            distinctNodes: get('redis-ha.hardAntiAffinity') !== false,
          },
          {
            name: 'argocd-redis-ha-haproxy',
            pods: REDIS_HA.haproxies,
            surges: true,
            distinctNodes: get('redis-ha.haproxy.hardAntiAffinity') !== false,
          },
        ]
      : get('redis.enabled')
        ? [component('redis', 'redis')]
        : []),
    // templates/redis-secret-init/job.yaml: a pre-install,pre-upgrade hook.
    ...(get('redisSecretInit.enabled') ? [{ name: 'argocd-redis-secret-init', pods: 1, transient: true }] : []),
  ];
}

function lbControllerPods(values: unknown): Workload[] {
  const replicas = valueAt(values, chartDefaults('aws-load-balancer-controller-3.5.0.values.yaml'), 'replicaCount');
  // configureDefaultAffinity (default true): soft anti-affinity only (the chart's README).
  return [{ name: 'aws-load-balancer-controller', pods: replicas, surges: true }];
}

/**
 * kube-prometheus-stack 88.1.3: the operator, Grafana and kube-state-metrics run one replica each
 * by default, node-exporter is a DaemonSet, and the admission webhook's certificate is made by two
 * hook Jobs (prometheusOperator.admissionWebhooks.patch: create, patch).
 */
function kubePrometheusStackPods(values: any): Workload[] {
  return [
    { name: 'prometheus-operator', pods: 1, surges: true },
    { name: 'prometheus', pods: values?.prometheus?.prometheusSpec?.replicas ?? 1 },
    { name: 'alertmanager', pods: values?.alertmanager?.alertmanagerSpec?.replicas ?? 1 },
    ...(values?.grafana?.enabled === false ? [] : [{ name: 'grafana', pods: 1, surges: true }]),
    { name: 'kube-state-metrics', pods: 1, surges: true },
    { name: 'prometheus-node-exporter', pods: 1, perNode: true },
    { name: 'admission-webhook-jobs', pods: 2, transient: true },
  ];
}

/** metrics-server: its replicas from our values, else the vendored chart's; it rolls with the default surge. */
function metricsServerPods(values: unknown): Workload[] {
  const defaults = chartDefaults(`metrics-server-${METRICS_SERVER.version}.values.yaml`);
  return [{ name: 'metrics-server', pods: valueAt(values, defaults, 'replicas'), surges: true }];
}

/** Deployments, StatefulSets and DaemonSets in what one Application renders (not its child Applications). */
function applicationPods(application: { spec: never }): Workload[] {
  const spec = application.spec as { source: { chart?: string; helm?: { valuesObject?: unknown } } };
  if (spec.source.chart === 'kube-prometheus-stack') return kubePrometheusStackPods(spec.source.helm?.valuesObject);
  if (spec.source.chart === 'metrics-server') return metricsServerPods(spec.source.helm?.valuesObject);
  if (spec.source.chart) throw new Error(`workloads.ts does not know the pods of chart ${spec.source.chart}`);
  const rendered: Manifest[] = renderApplication(application.spec) ?? [];
  return rendered.flatMap((m): Workload[] => {
    if (m.kind === 'DaemonSet') return [{ name: m.metadata.name, pods: 1, perNode: true }];
    if (m.kind !== 'Deployment' && m.kind !== 'StatefulSet') return [];
    const surges = m.kind === 'Deployment' && m.spec?.strategy?.type !== 'Recreate';
    // An autoscaled Deployment runs up to its autoscaler's maxReplicas: the nodes must hold them.
    const autoscaler = rendered.find(
      (h) => h.kind === 'HorizontalPodAutoscaler' && h.spec.scaleTargetRef.name === m.metadata.name,
    );
    return [{ name: m.metadata.name, pods: autoscaler?.spec.maxReplicas ?? m.spec?.replicas ?? 1, surges }];
  });
}

/** Every workload the stack runs on its nodes. */
export function workloads(graph: ResourceGraph): Workload[] {
  const addons = graph.all('aws:eks/addon:Addon').flatMap((a) => {
    const pods = ADDON_PODS[a.inputs['addonName']];
    if (!pods) throw new Error(`add-on ${a.inputs['addonName']}: its pods are not in ADDON_PODS (system/workloads.ts)`);
    return pods;
  });
  const releases = graph.all('kubernetes:helm.sh/v3:Release').flatMap((r) => {
    if (r.inputs['chart'] === 'argo-cd') return argocdPods(r.inputs['values']);
    if (r.inputs['chart'] === 'aws-load-balancer-controller') return lbControllerPods(r.inputs['values']);
    throw new Error(`workloads.ts does not know the pods of chart ${r.inputs['chart']}`);
  });
  const applications = allApplications(graph).flatMap((a) => applicationPods(a as never));
  return [...addons, ...releases, ...applications];
}
