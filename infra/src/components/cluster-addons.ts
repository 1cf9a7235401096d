import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import { podIdentityTrustPolicy } from '../lib/iam.js';

export interface ClusterAddonsArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly provider: k8s.Provider;
  /** The node groups: these add-ons run Deployments, which stay DEGRADED without a node. */
  readonly nodes: pulumi.Resource[];
  /** Keep volumes when their claim goes (Retain): prod. */
  readonly protectData: boolean;
  /** Tags every volume the EBS CSI driver creates, so per-stack selectors (backups) can tell stacks apart. */
  readonly volumeTags: Record<string, string>;
  readonly tags?: Record<string, string>;
}

/**
 * The add-ons that need a node (CoreDNS, the EBS CSI driver with its role through Pod Identity)
 * and the encrypted gp3 default StorageClass. `ready` is what in-cluster workloads wait for.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:cluster:ClusterAddons', name, {}, opts);
    const parent = { parent: this };
    const afterNodes = { parent: this, dependsOn: args.nodes };

    const coredns = new aws.eks.Addon(
      `${name}-coredns`,
      { clusterName: args.clusterName, addonName: 'coredns', tags: args.tags },
      afterNodes,
    );
    const ebsRole = new aws.iam.Role(
      `${name}-ebs-csi`,
      { assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()), tags: args.tags },
      parent,
    );
    const ebsPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-ebs-csi`,
      { role: ebsRole.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy' },
      parent,
    );
    const ebs = new aws.eks.Addon(
      `${name}-ebs-csi`,
      {
        clusterName: args.clusterName,
        addonName: 'aws-ebs-csi-driver',
        podIdentityAssociations: [{ roleArn: ebsRole.arn, serviceAccount: 'ebs-csi-controller-sa' }],
        tags: args.tags,
      },
      { parent: this, dependsOn: [...args.nodes, ebsPolicy] },
    );

    const storageClass = new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      {
        metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: 'ebs.csi.aws.com',
        parameters: {
          type: 'gp3',
          encrypted: 'true',
          'csi.storage.k8s.io/fstype': 'ext4',
          // aws-ebs-csi-driver docs/tagging.md: each tagSpecification_N is one key=value tag.
          ...Object.fromEntries(
            Object.entries(args.volumeTags).map(([key, value], i) => [`tagSpecification_${i + 1}`, `${key}=${value}`]),
          ),
        },
        // The volume is created in the AZ of the node the pod is scheduled to.
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: args.protectData ? 'Retain' : 'Delete',
      },
      { parent: this, provider: args.provider, dependsOn: [ebs] },
    );
    this.ready = [coredns, ebs, storageClass];
    this.registerOutputs({});
  }
}
