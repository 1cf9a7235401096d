import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { CHARTS, argocdValues } from '../lib/helm-values.js';
import { repositoryUrl, rootApplication, webProject } from '../lib/argocd-applications.js';
import { clusterSecret } from '../lib/cluster-facts.js';
import { emptyDefaultProject, platformProject } from '../lib/argocd-projects.js';
import { MONITORING_NAMESPACE } from '../lib/alertmanager.js';
import { webNamespace } from '../lib/web-namespace.js';

export interface ArgoCdArgs {
  readonly provider: k8s.Provider;
  readonly highAvailability: boolean;
  readonly githubRepository: string;
  readonly gitRevision: string;
  readonly environment: string;
  readonly region: string;
  /** The target group the web Service joins (its TargetGroupBinding in deploy/web). */
  readonly targetGroupArn: pulumi.Input<string>;
  /** Its name: the TargetGroupBinding's name follows it, so a new target group gets a new binding. */
  readonly targetGroupName: pulumi.Input<string>;
  /** The ALB's subnet ranges (the web app admits and trusts only these as its proxy). */
  readonly loadBalancerCidrs: readonly string[];
  /** Where the web app's database is and who it connects as (IAM authentication, no password). */
  readonly database: {
    readonly host: pulumi.Input<string>;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    /** The ranges the database's addresses are in: the web pods' egress to it. */
    readonly egressCidrs: string[];
  };
  /** The database, its app user and grants: the facts are written after them, so the first web sync finds its user. */
  readonly databaseReady: pulumi.Resource[];
  /**
   * Let the web ApplicationSet generate the web Application: only once the overlay holds a release
   * of this stack (config/web-release.ts). The facts are written either way.
   */
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
 * Argo CD from its pinned Helm chart, its `default` project emptied, the root app-of-apps in the
 * `platform` project, the web app's AppProject and namespace, and the cluster's facts on the
 * Argo CD cluster Secret, from which the web ApplicationSet in git generates the web Application
 * (deploy/README.md). The root and the facts wait for the chart (CRDs), the nodes and the load
 * balancer controller, so on destroy they go first, while everything that clears their objects'
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

    // Before the facts that let the web Application exist, so deleted after it.
    const namespace = new k8s.core.v1.Namespace(`${name}-web-namespace`, webNamespace(), {
      ...k8sOpts,
      dependsOn: args.after,
    });
    const project = args.webReleased ? [customResource('web-project', webProject(input), [release])] : [];
    const secret = pulumi
      .all([args.targetGroupArn, args.targetGroupName, args.database.host])
      .apply(([targetGroupArn, targetGroupName, host]) =>
        clusterSecret(
          CHARTS.argocd.namespace,
          {
            environment: args.environment,
            region: args.region,
            repoUrl: repositoryUrl(input),
            repoRevision: args.gitRevision,
            targetGroupArn,
            targetGroupName,
            loadBalancerCidrs: args.loadBalancerCidrs,
            database: { ...args.database, host },
          },
          args.webReleased,
        ),
      );
    // The web ApplicationSet's generator finds nothing until this Secret exists: the web app
    // cannot sync before its project, namespace, database user and the root that syncs the
    // ApplicationSet.
    new k8s.core.v1.Secret(
      `${name}-cluster-facts`,
      { metadata: secret.metadata, type: secret.type, stringData: secret.stringData },
      { ...k8sOpts, dependsOn: [...ready, platform, ...project, namespace, ...args.databaseReady] },
    );
    this.registerOutputs({});
  }
}
