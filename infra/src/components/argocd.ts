import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { CHARTS, argocdValues } from '../lib/helm-values.js';
import { rootApplication, webApplication, webProject } from '../lib/argocd-applications.js';
import { emptyDefaultProject, platformProject } from '../lib/argocd-projects.js';
import { MONITORING_NAMESPACE } from '../lib/alertmanager.js';
import { webNamespace } from '../lib/web-namespace.js';

export interface ArgoCdArgs {
  readonly provider: k8s.Provider;
  readonly highAvailability: boolean;
  readonly githubRepository: string;
  readonly gitRevision: string;
  readonly environment: string;
  readonly targetGroupArn: pulumi.Input<string>;
  /** The ALB's subnet ranges (the web app admits and trusts only these as its proxy). */
  readonly loadBalancerCidrs: readonly string[];
  /** Create the web Application: only once the overlay holds a release of this stack (config/web-release.ts). */
  readonly webReleased: boolean;
  /** The nodes, CoreDNS and storage: the release is atomic and its pods need them. */
  readonly after: pulumi.Resource[];
  /**
   * What the Applications' objects need running, and which must outlive them on destroy: the load
   * balancer controller (webhooks for, and finalizer of, the TargetGroupBinding) and the
   * monitoring Secrets the root's children mount.
   */
  readonly applicationsAfter: pulumi.Resource[];
  /** Credentials for a private repository (a Pulumi secret, never plaintext in git). */
  readonly repositoryToken?: pulumi.Output<string> | undefined;
}

/**
 * Argo CD from its pinned Helm chart, its `default` project emptied, then the root app-of-apps in
 * the `platform` project and (once released) the web Application in its own AppProject and its
 * namespace. The Applications wait for the chart (CRDs), the nodes and the load balancer
 * controller, so on destroy they go first, while everything that clears their objects'
 * finalizers still runs.
 */
export class ArgoCd extends pulumi.ComponentResource {
  public readonly namespace: string = CHARTS.argocd.namespace;

  constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:argocd:ArgoCd', name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const release = new k8s.helm.v3.Release(
      `${name}-argocd`,
      {
        name: 'argocd',
        chart: CHARTS.argocd.chart,
        version: CHARTS.argocd.version,
        repositoryOpts: { repo: CHARTS.argocd.repo },
        namespace: CHARTS.argocd.namespace,
        createNamespace: true,
        atomic: true,
        timeout: 900,
        values: argocdValues(args.highAvailability),
      },
      { ...k8sOpts, dependsOn: args.after },
    );

    const credentials = args.repositoryToken
      ? [
          new k8s.core.v1.Secret(
            `${name}-repository`,
            {
              metadata: {
                name: 'zumo-repository',
                namespace: CHARTS.argocd.namespace,
                labels: { 'argocd.argoproj.io/secret-type': 'repository' },
              },
              stringData: {
                type: 'git',
                url: `https://github.com/${args.githubRepository}.git`,
                username: 'x-access-token',
                password: args.repositoryToken,
              },
            },
            { ...k8sOpts, dependsOn: [release] },
          ),
        ]
      : [];

    const input = {
      githubRepository: args.githubRepository,
      gitRevision: args.gitRevision,
      environment: args.environment,
    };
    const ready = [release, ...credentials, ...args.after, ...args.applicationsAfter];
    const customResource = (
      role: string,
      manifest: { apiVersion: string; kind: string; metadata: object; spec: object },
      dependsOn: pulumi.Resource[],
    ) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${role}`,
        { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: manifest.metadata, spec: manifest.spec },
        { ...k8sOpts, dependsOn },
      );

    // argocd-server creates `default`, open to anything, when it starts (so before this runs): a
    // patch, forced, takes its fields over (pulumi-kubernetes creates with AlreadyExists since 4.29).
    const lockdown = emptyDefaultProject(CHARTS.argocd.namespace);
    new k8s.apiextensions.CustomResourcePatch(
      `${name}-default-project`,
      {
        apiVersion: lockdown.apiVersion,
        kind: lockdown.kind,
        metadata: { ...lockdown.metadata, annotations: { 'pulumi.com/patchForce': 'true' } },
        spec: lockdown.spec,
      },
      { ...k8sOpts, dependsOn: [release] },
    );
    const platform = customResource(
      'platform-project',
      platformProject(input, { argocd: CHARTS.argocd.namespace, monitoring: MONITORING_NAMESPACE }),
      [release],
    );
    customResource('root', rootApplication(input), [...ready, platform]);

    // Before the web Application, so deleted after it (and its claim with it, before the EBS CSI
    // driver and the nodes, which `after` holds).
    const namespace = new k8s.core.v1.Namespace(`${name}-web-namespace`, webNamespace(), {
      ...k8sOpts,
      dependsOn: args.after,
    });
    if (args.webReleased) {
      const project = customResource('web-project', webProject(input), [release]);
      const manifest = pulumi
        .output(args.targetGroupArn)
        .apply((targetGroupArn) =>
          webApplication({ ...input, targetGroupArn, loadBalancerCidrs: args.loadBalancerCidrs }),
        );
      new k8s.apiextensions.CustomResource(
        `${name}-web`,
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: manifest.metadata, spec: manifest.spec },
        { ...k8sOpts, dependsOn: [...ready, project, namespace] },
      );
    }
    this.registerOutputs({});
  }
}
