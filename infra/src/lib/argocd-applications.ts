import { APP } from '@zumo/config';

/**
 * Argo CD's finalizer. On an Application: delete what the app synced before the app itself. On an
 * AppProject: keep the project until no Application names it (argo-cd controller/appcontroller.go
 * finalizeProjectDeletion). Without it a project can go first, and Argo CD can then never finish
 * deleting an Application in it (finalizeApplicationDeletion fails on the missing project,
 * argoproj/argo-cd#4369), which hangs `pulumi destroy`.
 */
export const ARGOCD_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface ApplicationInputs {
  readonly githubRepository: string;
  readonly gitRevision: string;
  readonly environment: string;
}

/** A kustomize patch as an Application's source carries it (target by name or by label). */
export interface KustomizePatch {
  readonly target: { group: string; version?: string; kind: string; name?: string; labelSelector?: string };
  readonly patch: string;
}

/**
 * Retries of a failed sync. Argo CD does not retry a failed automated sync of the same commit once
 * the limit is spent (docs user-guide/auto_sync.md, "Automated Sync Semantics"), so the window must
 * outlast a first bring-up, when CRDs, webhooks and volumes appear minutes apart. `refresh` retries
 * with the newest commit, so a fix pushed meanwhile is picked up.
 */
export const SYNC_RETRY = {
  limit: 20,
  refresh: true,
  backoff: { duration: '10s', factor: 2, maxDuration: '5m' },
} as const;

/** The longest a first sync may keep failing before Argo CD gives up (and the window SYNC_RETRY covers). */
export const BRING_UP_MINUTES = 60;

/** Seconds from the first failed attempt to the last retry, for a retry policy as Argo CD applies it. */
export function retryWindowSeconds(retry: {
  limit: number;
  backoff: { duration: string; factor: number; maxDuration: string };
}) {
  const seconds = (d: string) => {
    const match = /^(\d+)(s|m|h)$/.exec(d);
    if (!match) throw new Error(`unsupported duration ${d}`);
    return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
  };
  let total = 0;
  for (let attempt = 0; attempt < retry.limit; attempt++)
    total += Math.min(
      seconds(retry.backoff.duration) * retry.backoff.factor ** attempt,
      seconds(retry.backoff.maxDuration),
    );
  return total;
}

// No CreateNamespace: Pulumi creates every namespace an Application syncs into, with its labels.
const syncPolicy = {
  automated: { prune: true, selfHeal: true },
  syncOptions: ['ServerSideApply=true'],
  retry: SYNC_RETRY,
};

/** The project of the root app-of-apps and of every child it syncs (lib/argocd-projects.ts). */
export const PLATFORM_PROJECT = 'platform';

/** Child Applications in git that sync from this repository carry this label (see below). */
export const REPOSITORY_SOURCE_LABEL = 'zumo.dev/source';

export const repositoryUrl = (input: ApplicationInputs) => `https://github.com/${input.githubRepository}.git`;

/** An Application syncing `path` of this repository at the stack's revision, with kustomize patches. */
function application(
  input: ApplicationInputs,
  app: { name: string; project: string; path: string; namespace: string; patches: KustomizePatch[] },
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: app.name, namespace: 'argocd', finalizers: [ARGOCD_FINALIZER] },
    spec: {
      project: app.project,
      source: {
        repoURL: repositoryUrl(input),
        targetRevision: input.gitRevision,
        path: app.path,
        kustomize: { patches: app.patches },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: app.namespace },
      syncPolicy,
    },
  };
}

/**
 * The root app-of-apps: everything under deploy/apps/<environment> (monitoring and friends). Child
 * Applications that sync a path of this repository are labelled `zumo.dev/source: this-repository`;
 * the root patches their repoURL and revision to its own, so a fork needs no edits under deploy/.
 * Its children order themselves with sync waves, which wait for a child to be Healthy only with
 * the Application health check restored in argocd-cm (helm-values.ts).
 */
export function rootApplication(input: ApplicationInputs) {
  return application(input, {
    name: 'root',
    project: PLATFORM_PROJECT,
    path: `deploy/apps/${input.environment}`,
    namespace: 'argocd',
    patches: [
      {
        // Every child in the platform project, whatever git says: a child Application names its
        // own project, which Argo CD does not check against its parent's (operator-manual
        // cluster-bootstrapping.md: app of apps is an admin-only tool).
        target: { group: 'argoproj.io', kind: 'Application' },
        patch: JSON.stringify([{ op: 'add', path: '/spec/project', value: PLATFORM_PROJECT }]),
      },
      {
        target: {
          group: 'argoproj.io',
          kind: 'Application',
          labelSelector: `${REPOSITORY_SOURCE_LABEL}=this-repository`,
        },
        patch: JSON.stringify([
          { op: 'replace', path: '/spec/source/repoURL', value: repositoryUrl(input) },
          { op: 'replace', path: '/spec/source/targetRevision', value: input.gitRevision },
        ]),
      },
    ],
  });
}

/** What the web app may create: nothing cluster-wide but its PriorityClass (Pulumi owns its namespace). */
export const WEB_PROJECT_RESOURCES = {
  cluster: [{ group: 'scheduling.k8s.io', kind: 'PriorityClass', name: `zumo-${APP.name}` }],
  namespaced: [
    { group: '', kind: 'ServiceAccount' },
    { group: '', kind: 'Service' },
    { group: 'apps', kind: 'Deployment' },
    { group: 'policy', kind: 'PodDisruptionBudget' },
    { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
    { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    { group: 'elbv2.k8s.aws', kind: 'TargetGroupBinding' },
    { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  ],
} as const;

/** The web app's own AppProject: this repository, the app's namespace, the kinds it ships. */
export function webProject(input: ApplicationInputs) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    // The web Application is deleted in the background, by the ApplicationSet, once Pulumi deletes
    // the cluster facts: this project must wait for it.
    metadata: { name: APP.name, namespace: 'argocd', finalizers: [ARGOCD_FINALIZER] },
    spec: {
      description: 'The Zumo web app: its namespace only',
      sourceRepos: [repositoryUrl(input)],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: APP.namespace }],
      clusterResourceWhitelist: WEB_PROJECT_RESOURCES.cluster.map((r) => ({ ...r })),
      namespaceResourceWhitelist: WEB_PROJECT_RESOURCES.namespaced.map((r) => ({ ...r })),
    },
  };
}
