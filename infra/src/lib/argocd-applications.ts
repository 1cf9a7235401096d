import { APP } from '@zumo/config';

export const APPLICATION_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface ApplicationInputs {
  readonly githubRepository: string;
  readonly gitRevision: string;
  readonly environment: string;
  /** The Pulumi-owned target group the web Service joins (TargetGroupBinding in deploy/web). */
  readonly targetGroupArn: string;
}

/** A kustomize patch as an Application's source carries it (target by name or by label). */
export interface KustomizePatch {
  readonly target: { group: string; version?: string; kind: string; name?: string; labelSelector?: string };
  readonly patch: string;
}

const syncPolicy = {
  automated: { prune: true, selfHeal: true },
  syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
  retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
};

/** Child Applications in git that sync from this repository carry this label (see below). */
export const REPOSITORY_SOURCE_LABEL = 'zumo.dev/source';

const repositoryUrl = (input: ApplicationInputs) => `https://github.com/${input.githubRepository}.git`;

/** An Application syncing `path` of this repository at the stack's revision, with kustomize patches. */
function application(
  input: ApplicationInputs,
  app: { name: string; syncWave: string; path: string; namespace: string; patches: KustomizePatch[] },
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: app.name,
      namespace: 'argocd',
      finalizers: [APPLICATION_FINALIZER],
      annotations: { 'argocd.argoproj.io/sync-wave': app.syncWave },
    },
    spec: {
      project: 'default',
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
 */
export function rootApplication(input: ApplicationInputs) {
  return application(input, {
    name: 'root',
    syncWave: '0',
    path: `deploy/apps/${input.environment}`,
    namespace: 'argocd',
    patches: [
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

/**
 * The web app. Infra outputs reach the GitOps tree only here: the target group ARN is a kustomize
 * patch on the TargetGroupBinding, so deploy/ holds no account-specific values.
 */
export function webApplication(input: ApplicationInputs) {
  return application(input, {
    name: APP.name,
    syncWave: '1',
    path: `deploy/web/overlays/${input.environment}`,
    namespace: APP.namespace,
    patches: [
      {
        target: { group: 'elbv2.k8s.aws', version: 'v1beta1', kind: 'TargetGroupBinding', name: APP.name },
        patch: JSON.stringify([{ op: 'replace', path: '/spec/targetGroupARN', value: input.targetGroupArn }]),
      },
    ],
  });
}
