/**
 * The order in which Argo CD applies one Application's objects, as its sync engine computes it
 * (argoproj/argo-cd v3.4, gitops-engine/pkg/sync/sync_tasks.go): by phase, then sync wave (the
 * `argocd.argoproj.io/sync-wave` annotation, default 0), then kind (kindOrder below; a kind not in
 * the list sorts as 0, after every listed kind), then name; then each Namespace moves before the
 * first object in it and takes that object's wave (adjustDeps). Hooks are not modelled: deploy/
 * has none. Within a wave the engine applies one kind at a time.
 */
import type { Manifest } from './render.js';

/** sync_tasks.go `kinds`, in order; each gets `index - len(kinds)`, so all sort before 0. */
const KINDS = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];
const kindOrder = (kind: string) => (KINDS.includes(kind) ? KINDS.indexOf(kind) - KINDS.length : 0);

/**
 * Kinds the engine assesses health for without any configuration (gitops-engine/pkg/health/health.go
 * GetHealthCheckFunc, group/Kind), plus the built-in Lua checks for kinds deploy/ ships
 * (resource_customizations/policy/PodDisruptionBudget, monitoring.coreos.com/Prometheus). In a
 * sync with several waves, an object of such a kind holds the next wave until it is Healthy, and
 * fails the sync if it turns Degraded (sync_context.go); objects without a check succeed once applied.
 */
export const HEALTH_CHECKED = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/ReplicaSet',
  'apps/DaemonSet',
  'extensions/Ingress',
  'networking.k8s.io/Ingress',
  'argoproj.io/Workflow',
  'apiregistration.k8s.io/APIService',
  '/Service',
  '/PersistentVolumeClaim',
  '/Pod',
  'batch/Job',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget',
  'monitoring.coreos.com/Prometheus',
]);
export const groupKind = (m: Manifest) => `${m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : ''}/${m.kind}`;

export interface SyncTask {
  manifest: Manifest;
  wave: number;
}

const waveOf = (m: Manifest) => Number(m.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');

/** The Sync-phase tasks of one Application, in the order the engine applies them. */
export function syncOrder(manifests: Manifest[]): SyncTask[] {
  const tasks = manifests
    .map((manifest) => ({ manifest, wave: waveOf(manifest) }))
    .sort(
      (a, b) =>
        a.wave - b.wave ||
        kindOrder(a.manifest.kind) - kindOrder(b.manifest.kind) ||
        (a.manifest.metadata.name < b.manifest.metadata.name
          ? -1
          : a.manifest.metadata.name > b.manifest.metadata.name
            ? 1
            : 0),
    );
  // adjustDeps: a Namespace moves before the first task in it, into that task's wave.
  const firstIn = new Map<string, number>();
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    const { kind, name, namespace } = { kind: task.manifest.kind, ...task.manifest.metadata };
    if (kind === 'Namespace' && groupKind(task.manifest) === '/Namespace') {
      const index = firstIn.get(name);
      if (index === undefined) continue;
      task.wave = tasks[index]!.wave;
      tasks.splice(i, 1);
      tasks.splice(index, 0, task);
      for (const [ns, first] of firstIn) if (first >= index) firstIn.set(ns, first + 1);
    } else if (namespace && !firstIn.has(namespace)) firstIn.set(namespace, i);
  }
  return tasks;
}
