import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as eks from '@pulumi/eks';
import * as k8s from '@pulumi/kubernetes';
import { podIdentityTrustPolicy } from '../lib/iam.js';
import { CLUSTER_ADMIN_POLICY, CONTROL_PLANE_LOGS } from '../lib/eks.js';

export interface ClusterArgs {
  readonly clusterName: string;
  /** Pinned EKS version (validated against standard support in stack config). */
  readonly version: string;
  readonly vpcId: pulumi.Input<string>;
  /** Nodes and the control plane's ENIs live only in private subnets. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Roles given cluster admin through access entries (no aws-auth, no system:masters). */
  readonly adminRoleArns: readonly string[];
  /** CIDRs allowed to the public API endpoint; empty keeps the endpoint private-only. */
  readonly publicAccessCidrs: readonly string[];
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Keep volumes (Retain) and refuse cluster deletion: prod. */
  readonly protectData: boolean;
  readonly tags?: Record<string, string>;
}

/**
 * EKS with access entries only, encrypted secrets, control-plane logs, a managed AL2023 node group
 * in private subnets, the managed add-ons (vpc-cni, coredns, kube-proxy, pod identity agent, EBS
 * CSI through Pod Identity) and an encrypted gp3 default StorageClass.
 */
export class Cluster extends pulumi.ComponentResource {
  public readonly name: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly provider: k8s.Provider;
  public readonly clusterSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:cluster:Cluster', name, {}, opts);
    if (args.minSize > args.desiredSize || args.desiredSize > args.maxSize) {
      throw new Error(
        `Cluster ${name}: node sizes must satisfy min <= desired <= max, got ${args.minSize}/${args.desiredSize}/${args.maxSize}`,
      );
    }
    if (args.publicAccessCidrs.includes('0.0.0.0/0') && args.protectData) {
      throw new Error(`Cluster ${name}: a protected (prod) cluster's API must not be open to 0.0.0.0/0`);
    }
    const parent = { parent: this };

    const secretsKey = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: `${args.clusterName}: envelope encryption of Kubernetes secrets`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: args.tags,
      },
      parent,
    );

    const cluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: args.version,
        vpcId: args.vpcId,
        privateSubnetIds: args.privateSubnetIds,
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: Object.fromEntries(
          args.adminRoleArns.map((principalArn, i) => [
            `admin-${i}`,
            {
              principalArn,
              accessPolicies: { admin: { policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: 'cluster' } } },
            },
          ]),
        ),
        endpointPrivateAccess: true,
        endpointPublicAccess: args.publicAccessCidrs.length > 0,
        publicAccessCidrs: args.publicAccessCidrs.length > 0 ? [...args.publicAccessCidrs] : undefined,
        encryptionConfigKeyArn: secretsKey.arn,
        enabledClusterLogTypes: CONTROL_PLANE_LOGS,
        skipDefaultNodeGroup: true,
        nodeAssociatePublicIpAddress: false,
        createOidcProvider: false,
        deletionProtection: args.protectData,
        corednsAddonOptions: { enabled: true },
        kubeProxyAddonOptions: { enabled: true },
        vpcCniOptions: {},
        tags: args.tags,
      },
      parent,
    );
    const clusterName = cluster.eksCluster.name;

    const nodeRole = new aws.iam.Role(
      `${name}-nodes`,
      { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'ec2.amazonaws.com' }), tags: args.tags },
      parent,
    );
    ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonEKS_CNI_Policy'].forEach(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-nodes-${policy}`,
          { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` },
          parent,
        ),
    );
    new eks.ManagedNodeGroup(
      `${name}-nodes`,
      {
        cluster,
        nodeRole,
        subnetIds: args.privateSubnetIds,
        amiType: 'AL2023_x86_64_STANDARD',
        instanceTypes: [...args.instanceTypes],
        scalingConfig: { minSize: args.minSize, desiredSize: args.desiredSize, maxSize: args.maxSize },
        tags: args.tags,
      },
      parent,
    );

    new aws.eks.Addon(
      `${name}-pod-identity-agent`,
      { clusterName, addonName: 'eks-pod-identity-agent', tags: args.tags },
      parent,
    );
    const ebsRole = new aws.iam.Role(
      `${name}-ebs-csi`,
      { assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()), tags: args.tags },
      parent,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-ebs-csi`,
      { role: ebsRole.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy' },
      parent,
    );
    const ebsAddon = new aws.eks.Addon(
      `${name}-ebs-csi`,
      {
        clusterName,
        addonName: 'aws-ebs-csi-driver',
        podIdentityAssociations: [{ roleArn: ebsRole.arn, serviceAccount: 'ebs-csi-controller-sa' }],
        tags: args.tags,
      },
      parent,
    );

    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true },
      parent,
    );
    new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      {
        metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: args.protectData ? 'Retain' : 'Delete',
      },
      { parent: this, provider: this.provider, dependsOn: [ebsAddon] },
    );

    this.name = clusterName;
    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
    this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
    this.registerOutputs({ name: this.name, kubeconfig: this.kubeconfig });
  }
}
