import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as time from '@pulumiverse/time';
import { ACCESS_POLICIES, BEFORE_COMPUTE_ADDONS, CONTROL_PLANE_LOGS, controlPlaneLogGroupName } from '../lib/eks.js';
import { kubeconfig } from '../lib/kubeconfig.js';

/** One IAM role that may use the cluster, and how much it may do. */
export interface ClusterAccess {
  readonly principalArn: pulumi.Input<string>;
  /**
   * admin: AmazonEKSClusterAdminPolicy; view: AmazonEKSViewPolicy (read-only, no Secrets);
   * adminView: AmazonEKSAdminViewPolicy (read-only, Secrets included).
   */
  readonly access: keyof typeof ACCESS_POLICIES;
}

export interface ClusterArgs {
  readonly clusterName: string;
  /** Pinned EKS version (validated against standard support in stack config). */
  readonly version: string;
  readonly region: string;
  /** The control plane's network interfaces live in the private subnets, next to the nodes. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Every principal that reaches the Kubernetes API, through access entries: nobody has implicit
   * access (the cluster creator's bootstrap admin is off), so whoever runs `pulumi up` must be here.
   */
  readonly access: readonly ClusterAccess[];
  /** CIDRs allowed to the public API endpoint; empty keeps the endpoint private-only. */
  readonly publicAccessCidrs: readonly string[];
  /** Days the control-plane logs are kept, and the KMS key that encrypts them. */
  readonly logRetentionDays: number;
  readonly logsKeyArn: pulumi.Input<string>;
  /** Refuse cluster deletion: prod. */
  readonly protectData: boolean;
  readonly tags?: Record<string, string>;
}

/**
 * The EKS control plane from plain aws.eks resources (not @pulumi/eks, whose cluster always grants
 * its creator admin and creates CoreDNS before any node): access entries only, encrypted secrets,
 * control-plane logs in a log group created first, the add-ons nodes need before they start, and
 * the Kubernetes provider, which waits until every access entry is in effect.
 */
export class Cluster extends pulumi.ComponentResource {
  public readonly name: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly provider: k8s.Provider;
  /** The security group EKS creates; nodes and pods without their own groups carry it. */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** What node groups must wait for: the VPC CNI, the Pod Identity agent, kube-proxy. */
  public readonly beforeCompute: aws.eks.Addon[];

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:cluster:Cluster', name, {}, opts);
    if (args.publicAccessCidrs.includes('0.0.0.0/0') && args.protectData) {
      throw new Error(`Cluster ${name}: a protected (prod) cluster's API must not be open to 0.0.0.0/0`);
    }
    const parent = { parent: this };

    const role = new aws.iam.Role(
      `${name}-control-plane`,
      { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'eks.amazonaws.com' }), tags: args.tags },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicyAttachment(
      `${name}-control-plane`,
      { role: role.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' },
      parent,
    );
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
    // CreateCluster can be refused on a key seconds old ("Access denied to KMS key"): a propagation
    // race the AWS provider does not retry (hashicorp/terraform-provider-aws#49247).
    const keyUsable = new time.Sleep(
      `${name}-secrets-key-propagation`,
      { createDuration: '60s' },
      { parent: this, dependsOn: [secretsKey] },
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      {
        name: controlPlaneLogGroupName(args.clusterName),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.logsKeyArn,
        tags: args.tags,
      },
      parent,
    );

    const cluster = new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: args.version,
        roleArn: role.arn,
        vpcConfig: {
          subnetIds: args.privateSubnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: args.publicAccessCidrs.length > 0,
          publicAccessCidrs: args.publicAccessCidrs.length > 0 ? [...args.publicAccessCidrs] : undefined,
        },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        // Every add-on is a managed add-on below, created when it can become healthy.
        bootstrapSelfManagedAddons: false,
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ['secrets'] },
        enabledClusterLogTypes: CONTROL_PLANE_LOGS,
        // Extended support costs 6x per hour; stack config only accepts versions in standard support.
        upgradePolicy: { supportType: 'STANDARD' },
        deletionProtection: args.protectData,
        tags: args.tags,
      },
      { parent: this, dependsOn: [logGroup, rolePolicy, keyUsable] },
    );
    const clusterName = cluster.name;

    const grants = args.access.flatMap((entry, i) => {
      const accessEntry = new aws.eks.AccessEntry(
        `${name}-access-${i}`,
        { clusterName, principalArn: entry.principalArn, type: 'STANDARD', tags: args.tags },
        parent,
      );
      const association = new aws.eks.AccessPolicyAssociation(
        `${name}-access-${i}`,
        {
          clusterName,
          principalArn: accessEntry.principalArn,
          policyArn: ACCESS_POLICIES[entry.access],
          accessScope: { type: 'cluster' },
        },
        parent,
      );
      return [accessEntry, association];
    });

    this.beforeCompute = Object.entries(BEFORE_COMPUTE_ADDONS).map(
      ([addonName, configuration]) =>
        new aws.eks.Addon(
          `${name}-${addonName}`,
          {
            clusterName,
            addonName,
            configurationValues: configuration ? JSON.stringify(configuration) : undefined,
            tags: args.tags,
          },
          parent,
        ),
    );

    const config = pulumi
      .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
      .apply(([name, endpoint, ca]) =>
        JSON.stringify(kubeconfig({ name, endpoint, certificateAuthority: ca.data!, region: args.region })),
      );
    // EKS applies an access entry seconds after the call returns: a client that connects at once
    // can get Unauthorized (gravitational/teleport#37958 added retries for it). The Kubernetes
    // provider does not retry that, so it starts once the entries have had time to take effect.
    const accessInEffect = new time.Sleep(
      `${name}-access-propagation`,
      { createDuration: '30s' },
      { parent: this, dependsOn: grants },
    );
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: config, enableServerSideApply: true },
      { parent: this, dependsOn: [accessInEffect] },
    );

    this.name = clusterName;
    this.kubeconfig = pulumi.secret(config);
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.registerOutputs({ name: this.name, kubeconfig: this.kubeconfig });
  }
}
