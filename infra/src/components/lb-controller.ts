import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import { CHARTS, LB_CONTROLLER_SERVICE_ACCOUNT, lbControllerValues } from '../lib/helm-values.js';
import { podIdentityTrustPolicy } from '../lib/iam.js';

/** The controller's IAM policy exactly as published upstream for this chart version (infra/reference, sha256-pinned). */
export const LB_CONTROLLER_POLICY = readFileSync(
  new URL('../../reference/aws-load-balancer-controller-3.5.0.iam-policy.json', import.meta.url),
  'utf8',
);

export interface LbControllerArgs {
  readonly provider: k8s.Provider;
  readonly clusterName: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  readonly region: string;
  /** The nodes, CoreDNS and the Pod Identity agent: the release is atomic and its pods need them. */
  readonly after: pulumi.Resource[];
  readonly tags?: Record<string, string>;
}

/** AWS Load Balancer Controller (Helm, pinned) with its role through EKS Pod Identity. */
export class LbController extends pulumi.ComponentResource {
  /** Its webhooks validate every TargetGroupBinding (failurePolicy Fail); it clears their finalizer. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LbControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:loadbalancing:LbController', name, {}, opts);
    const parent = { parent: this };
    const role = new aws.iam.Role(
      `${name}-lbc`,
      { assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()), tags: args.tags },
      parent,
    );
    const policy = new aws.iam.RolePolicy(`${name}-lbc`, { role: role.id, policy: LB_CONTROLLER_POLICY }, parent);
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-lbc`,
      {
        clusterName: args.clusterName,
        namespace: CHARTS.lbController.namespace,
        serviceAccount: LB_CONTROLLER_SERVICE_ACCOUNT,
        roleArn: role.arn,
        tags: args.tags,
      },
      parent,
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-lbc`,
      {
        name: 'aws-load-balancer-controller',
        chart: CHARTS.lbController.chart,
        version: CHARTS.lbController.version,
        repositoryOpts: { repo: CHARTS.lbController.repo },
        namespace: CHARTS.lbController.namespace,
        atomic: true,
        values: pulumi
          .all([args.clusterName, args.vpcId])
          .apply(([clusterName, vpcId]) => lbControllerValues(clusterName, args.region, vpcId)),
      },
      // After its identity, so deleted before it: the controller clears the TargetGroupBindings'
      // finalizer by deregistering targets, which needs the association and the policy.
      { parent: this, provider: args.provider, dependsOn: [association, policy, ...args.after] },
    );
    this.registerOutputs({});
  }
}
