import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

export interface ClusterAddonsArgs {
  readonly clusterName: pulumi.Input<string>;
  /** The node groups: these add-ons run Deployments, which stay DEGRADED without a node. */
  readonly nodes: pulumi.Resource[];
  readonly tags?: Record<string, string>;
}

/**
 * The add-ons that need a node: CoreDNS. `ready` is what in-cluster workloads wait for. No EBS
 * CSI driver and no StorageClass: no workload keeps a volume (the web app's data is in its
 * database, Prometheus keeps an emptyDir), so nothing here ties a pod to a zone.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:cluster:ClusterAddons', name, {}, opts);
    const coredns = new aws.eks.Addon(
      `${name}-coredns`,
      { clusterName: args.clusterName, addonName: 'coredns', tags: args.tags },
      { parent: this, dependsOn: args.nodes },
    );
    this.ready = [coredns];
    this.registerOutputs({});
  }
}
