import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { CHARTS, argocdValues } from '../lib/helm-values.js';
import { rootApplication, webApplication } from '../lib/argocd-applications.js';

export interface ArgoCdArgs {
  readonly provider: k8s.Provider;
  readonly highAvailability: boolean;
  readonly githubRepository: string;
  readonly gitRevision: string;
  readonly environment: string;
  readonly targetGroupArn: pulumi.Input<string>;
  /** Credentials for a private repository (a Pulumi secret, never plaintext in git). */
  readonly repositoryToken?: pulumi.Output<string> | undefined;
}

/** Argo CD from its pinned Helm chart, then the Applications (after the chart: its CRDs must exist). */
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
      k8sOpts,
    );

    if (args.repositoryToken) {
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
      );
    }

    const inputs = pulumi.output(args.targetGroupArn).apply((targetGroupArn) => ({
      githubRepository: args.githubRepository,
      gitRevision: args.gitRevision,
      environment: args.environment,
      targetGroupArn,
    }));
    for (const [role, build] of [
      ['root', rootApplication],
      ['web', webApplication],
    ] as const) {
      const manifest = inputs.apply(build);
      new k8s.apiextensions.CustomResource(
        `${name}-${role}`,
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: manifest.metadata, spec: manifest.spec },
        { ...k8sOpts, dependsOn: [release] },
      );
    }
    this.registerOutputs({});
  }
}
