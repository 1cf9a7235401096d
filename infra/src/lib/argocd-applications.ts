import { APP } from '@zumo/config';

export const APPLICATION_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface ApplicationInputs {
  readonly githubRepository: string;
  readonly gitRevision: string;
  readonly environment: string;
  /** The Pulumi-owned target group the web Service joins (TargetGroupBinding in deploy/web). */
  readonly targetGroupArn: string;
}

const syncPolicy = {
  automated: { prune: true, selfHeal: true },
  syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
  retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
};

/** The root app-of-apps: everything under deploy/apps/<environment> (monitoring and friends). */
export function rootApplication(input: ApplicationInputs) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'root',
      namespace: 'argocd',
      finalizers: [APPLICATION_FINALIZER],
      annotations: { 'argocd.argoproj.io/sync-wave': '0' },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: `https://github.com/${input.githubRepository}.git`,
        targetRevision: input.gitRevision,
        path: `deploy/apps/${input.environment}`,
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy,
    },
  };
}

/**
 * The web app. Infra outputs reach the GitOps tree only here: the target group ARN is a kustomize
 * patch on the TargetGroupBinding, so deploy/ holds no account-specific values.
 */
export function webApplication(input: ApplicationInputs) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: APP.name,
      namespace: 'argocd',
      finalizers: [APPLICATION_FINALIZER],
      annotations: { 'argocd.argoproj.io/sync-wave': '1' },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: `https://github.com/${input.githubRepository}.git`,
        targetRevision: input.gitRevision,
        path: `deploy/web/overlays/${input.environment}`,
        kustomize: {
          patches: [
            {
              target: { group: 'elbv2.k8s.aws', version: 'v1beta1', kind: 'TargetGroupBinding', name: APP.name },
              patch: JSON.stringify([{ op: 'replace', path: '/spec/targetGroupARN', value: input.targetGroupArn }]),
            },
          ],
        },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: APP.namespace },
      syncPolicy,
    },
  };
}
