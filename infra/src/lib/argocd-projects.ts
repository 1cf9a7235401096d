/**
 * The Argo CD projects the platform's Applications run in. Argo CD creates the `default` project,
 * open to any repository, destination and cluster-scoped kind, on startup when it is missing
 * (argo-cd server/server.go initializeDefaultProject), so an Application in it is cluster-admin.
 * Pulumi empties `default` and puts the root app-of-apps and its children in `platform`, which
 * admits exactly what they deploy: the root's child Applications (this repository),
 * monitoring-config's rules, monitors and dashboard (this repository), kube-prometheus-stack and
 * metrics-server (their chart repositories), and the web ApplicationSet.
 */
import { ARGOCD_FINALIZER, PLATFORM_PROJECT, repositoryUrl, type ApplicationInputs } from './argocd-applications.js';

/** An AppProject whitelist entry; cluster-scoped ones may name their objects by glob (filepath.Match). */
export interface KindEntry {
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
}

/**
 * kube-prometheus-stack as deploy/monitoring/apps/kube-prometheus-stack.yaml installs it, and what
 * it creates with those values: read from the chart's templates at this version
 * (prometheus-community/helm-charts tag kube-prometheus-stack-88.1.3, charts/kube-prometheus-stack/
 * templates and its subcharts kube-state-metrics 8.1.3, prometheus-node-exporter 4.56.1, crds, and
 * grafana-community/helm-charts grafana-12.10.1). The chart is not vendored and no Helm runs here,
 * so a version bump must re-read them: a system check fails while the Application names another.
 */
export const KUBE_PROMETHEUS_STACK = {
  repoURL: 'https://prometheus-community.github.io/helm-charts',
  chart: 'kube-prometheus-stack',
  version: '88.1.3',
  /** Namespaces it writes to besides its destination: CoreDNS's and the kubelet's monitors (exporters/). */
  extraNamespaces: ['kube-system'],
  /** Every release object is named after the release (kube-prometheus-stack.fullname, grafana.fullname). */
  release: 'kube-prometheus-stack',
} as const;

/**
 * metrics-server as deploy/cluster/apps/metrics-server.yaml installs it, and what it creates with
 * those values: read from the chart's templates at this version (kubernetes-sigs/metrics-server tag
 * metrics-server-helm-chart-3.13.1, charts/metrics-server/templates; default values vendored in
 * infra/reference). Its ClusterRoles and bindings are named `system:<fullname>...` and
 * `<fullname>:system:auth-delegator`, its APIService after the API it serves.
 */
export const METRICS_SERVER = {
  repoURL: 'https://kubernetes-sigs.github.io/metrics-server/',
  chart: 'metrics-server',
  version: '3.13.1',
  release: 'metrics-server',
  namespace: 'kube-system',
} as const;

/** What the platform Applications create, by kind; cluster-scoped objects by name as well. */
export const PLATFORM_RESOURCES: { cluster: KindEntry[]; namespaced: KindEntry[] } = {
  cluster: [
    // crds subchart: the ten monitoring.coreos.com CRDs.
    { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: '*.monitoring.coreos.com' },
    // The operator's, Prometheus's, the admission hooks', kube-state-metrics' and Grafana's sidecar's roles.
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${KUBE_PROMETHEUS_STACK.release}-*` },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', name: `${KUBE_PROMETHEUS_STACK.release}-*` },
    // prometheus-operator/admission-webhooks.
    {
      group: 'admissionregistration.k8s.io',
      kind: 'MutatingWebhookConfiguration',
      name: `${KUBE_PROMETHEUS_STACK.release}-*`,
    },
    {
      group: 'admissionregistration.k8s.io',
      kind: 'ValidatingWebhookConfiguration',
      name: `${KUBE_PROMETHEUS_STACK.release}-*`,
    },
    // metrics-server: its roles (clusterrole*.yaml, clusterrolebinding*.yaml) and the resource metrics API.
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `system:${METRICS_SERVER.release}*` },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', name: `system:${METRICS_SERVER.release}*` },
    {
      group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRoleBinding',
      name: `${METRICS_SERVER.release}:system:auth-delegator`,
    },
    { group: 'apiregistration.k8s.io', kind: 'APIService', name: 'v1beta1.metrics.k8s.io' },
  ],
  namespaced: [
    // The root's children, and the ApplicationSet that generates the web Application.
    { group: 'argoproj.io', kind: 'Application' },
    { group: 'argoproj.io', kind: 'ApplicationSet' },
    // The operator's objects (alertmanager/, prometheus/, rules, exporters' and self monitors).
    { group: 'monitoring.coreos.com', kind: 'Alertmanager' },
    { group: 'monitoring.coreos.com', kind: 'Prometheus' },
    { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
    { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
    // Dashboards and datasources, Grafana's config and (with secure settings) config Secret.
    { group: '', kind: 'ConfigMap' },
    { group: '', kind: 'Secret' },
    { group: '', kind: 'Service' },
    { group: '', kind: 'ServiceAccount' },
    // The operator, kube-state-metrics, Grafana; node-exporter.
    { group: 'apps', kind: 'Deployment' },
    { group: 'apps', kind: 'DaemonSet' },
    // The admission webhook's certificate Jobs (Helm hooks, run as sync hooks) and their role.
    { group: 'batch', kind: 'Job' },
    { group: 'rbac.authorization.k8s.io', kind: 'Role' },
    { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  ],
};

const IN_CLUSTER = 'https://kubernetes.default.svc';

/** The platform project: this repository and the chart's, the namespaces and kinds above only. */
export function platformProject(input: ApplicationInputs, namespaces: { argocd: string; monitoring: string }) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: PLATFORM_PROJECT, namespace: namespaces.argocd, finalizers: [ARGOCD_FINALIZER] },
    spec: {
      description:
        'The root app-of-apps and the cluster services it syncs (monitoring, metrics-server, the web ApplicationSet)',
      sourceRepos: [repositoryUrl(input), KUBE_PROMETHEUS_STACK.repoURL, METRICS_SERVER.repoURL],
      destinations: [
        ...new Set([
          namespaces.argocd,
          namespaces.monitoring,
          ...KUBE_PROMETHEUS_STACK.extraNamespaces,
          METRICS_SERVER.namespace,
        ]),
      ].map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResourceWhitelist: PLATFORM_RESOURCES.cluster.map((r) => ({ ...r })),
      namespaceResourceWhitelist: PLATFORM_RESOURCES.namespaced.map((r) => ({ ...r })),
    },
  };
}

/**
 * `default`, emptied: no repository, destination or kind. Explicit empty lists matter: an omitted
 * namespaceResourceWhitelist admits every namespaced kind, an empty one none (argo-cd
 * pkg/apis/application/v1alpha1/app_project_types.go IsGroupKindNamePermitted), and a patch that
 * omits a field leaves the server's wildcard in place.
 */
export function emptyDefaultProject(argocdNamespace: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'default', namespace: argocdNamespace },
    spec: {
      sourceRepos: [],
      sourceNamespaces: [],
      destinations: [],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [],
    },
  };
}
