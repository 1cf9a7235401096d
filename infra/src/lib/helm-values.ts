/**
 * Helm values as pure functions, so tests can check every key against the charts' own values
 * files (vendored in infra/reference) without a cluster. Chart versions are pinned here, in one place.
 */
import { PROMETHEUS_HEALTH_LUA } from './prometheus-health.js';

export const CHARTS = {
  argocd: { chart: 'argo-cd', version: '10.1.1', repo: 'https://argoproj.github.io/argo-helm', namespace: 'argocd' },
  lbController: {
    chart: 'aws-load-balancer-controller',
    version: '3.5.0',
    repo: 'https://aws.github.io/eks-charts',
    namespace: 'kube-system',
  },
} as const;

export const LB_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

const resources = (cpu: string, memory: string, memoryLimit = memory) => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

/**
 * The label on Argo CD's metrics Services that the ServiceMonitor in deploy/monitoring selects
 * (the Argo CD alerts read argocd_app_info from there).
 */
export const ARGOCD_METRICS_LABEL = { 'zumo.dev/metrics': 'argocd' } as const;

/**
 * Argo CD removed the health check of Applications in 1.8, so an app of apps no longer waits for
 * a child Application to become Healthy before the next sync wave; this restores it, verbatim
 * from the Argo CD 3.4 docs (operator-manual/health.md, "Argo CD App"). deploy/monitoring needs it:
 * the rules of monitoring-config must wait for the chart that brings their CRDs.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** Argo CD: not exposed (ClusterIP, reach it with port-forward), metrics on, HA in prod. */
export function argocdValues(highAvailability: boolean) {
  const replicas = highAvailability ? 2 : 1;
  const metrics = { enabled: true, service: { labels: ARGOCD_METRICS_LABEL } };
  return {
    global: { domain: 'argocd.internal' },
    // Every key under configs.cm but create/annotations becomes a key of argocd-cm
    // (argo-helm charts/argo-cd/templates/_helpers.tpl, "argo-cd.config.cm").
    configs: {
      cm: {
        'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
        // Progressing, not Degraded, while Prometheus starts (lib/prometheus-health.ts).
        'resource.customizations.health.monitoring.coreos.com_Prometheus': PROMETHEUS_HEALTH_LUA,
        'resource.customizations.useOpenLibs.monitoring.coreos.com_Prometheus': 'true',
      },
    },
    // No SSO is configured: the admin login via port-forward is the way in (docs/infra.md).
    dex: { enabled: false },
    // redis-ha (3 servers, 3 HAProxies) requires a node per replica by default; with three nodes
    // in prod, one lost node would leave a server and a proxy Pending. Preferred anti-affinity
    // still spreads them, and schedules them all while a node is being replaced.
    'redis-ha': { enabled: highAvailability, hardAntiAffinity: false, haproxy: { hardAntiAffinity: false } },
    redis: { metrics: { enabled: !highAvailability }, resources: resources('50m', '64Mi', '128Mi') },
    controller: { replicas: 1, metrics, resources: resources('250m', '512Mi', '1Gi') },
    server: {
      replicas,
      service: { type: 'ClusterIP' },
      ingress: { enabled: false },
      metrics,
      resources: resources('50m', '128Mi', '256Mi'),
    },
    repoServer: { replicas, metrics, resources: resources('100m', '256Mi', '512Mi') },
    applicationSet: { replicas, metrics, resources: resources('50m', '64Mi', '128Mi') },
    notifications: { metrics, resources: resources('50m', '64Mi', '128Mi') },
    // CRDs stay when the chart is removed: deleting them would delete every Application.
    crds: { keep: true },
  };
}

/** AWS Load Balancer Controller: manages only TargetGroupBindings here (the ALB belongs to Pulumi). */
export function lbControllerValues(clusterName: string, region: string, vpcId: string) {
  return {
    clusterName,
    region,
    vpcId,
    replicaCount: 2,
    serviceAccount: { create: true, name: LB_CONTROLLER_SERVICE_ACCOUNT },
    // No Ingress or Service of type LoadBalancer creates AWS load balancers in this design.
    createIngressClassResource: false,
    enableServiceMutatorWebhook: false,
    defaultTargetType: 'ip',
    resources: resources('50m', '128Mi', '256Mi'),
    podDisruptionBudget: { maxUnavailable: 1 },
  };
}
