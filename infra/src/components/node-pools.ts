import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { NODE_POOL } from '@zumo/config';

export interface NodePoolsArgs {
  readonly clusterName: pulumi.Input<string>;
  /** Private subnets in AZ order: the pool spans them all. */
  readonly privateSubnetIds: pulumi.Input<string[]>;
  readonly instanceTypes: readonly string[];
  /** Sizes of the general pool. */
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Add-ons a node needs before it can become Ready (the cluster's before-compute add-ons). */
  readonly after: pulumi.Resource[];
  readonly tags?: Record<string, string>;
}

/**
 * A managed node group (AL2023), `general`, spanning every AZ's private subnet and sized by stack
 * config, from a launch template that requires IMDSv2 with a hop limit of 1, so pods cannot use
 * the node role's credentials. No workload is pinned to a zone: the web pods spread over all.
 */
export class NodePools extends pulumi.ComponentResource {
  public readonly nodeGroups: aws.eks.NodeGroup[];

  constructor(name: string, args: NodePoolsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:cluster:NodePools', name, {}, opts);
    if (args.minSize > args.desiredSize || args.desiredSize > args.maxSize) {
      throw new Error(
        `NodePools ${name}: node sizes must satisfy min <= desired <= max, got ${args.minSize}/${args.desiredSize}/${args.maxSize}`,
      );
    }
    const parent = { parent: this };

    const role = new aws.iam.Role(
      `${name}-nodes`,
      { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'ec2.amazonaws.com' }), tags: args.tags },
      parent,
    );
    const policies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonEKS_CNI_Policy'].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-nodes-${policy}`,
          { role: role.name, policyArn: `arn:aws:iam::aws:policy/${policy}` },
          parent,
        ),
    );
    // No security groups here: EKS then attaches the cluster security group (nodes and pods).
    const template = new aws.ec2.LaunchTemplate(
      `${name}-nodes`,
      {
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            ebs: { volumeSize: 20, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
          },
        ],
        // Instances and their root volumes carry the stack tag, by which IAM tells the stacks apart.
        // EKS managed node groups do not apply the network-interface specification to the nodes'
        // interfaces (terraform-provider-aws#32151, aws/containers-roadmap#1496): a node's primary
        // interface carries no stack tag, so tag-based denies do not cover it (docs/infra.md,
        // "What the stack tag covers on the nodes"). It stays here in case EKS starts applying it.
        tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
          resourceType,
          tags: args.tags,
        })),
        updateDefaultVersion: true,
        tags: args.tags,
      },
      parent,
    );

    const pool = (pool: string, subnetIds: pulumi.Input<string[]>, sizes: [number, number, number]) =>
      new aws.eks.NodeGroup(
        `${name}-${pool}`,
        {
          clusterName: args.clusterName,
          nodeRoleArn: role.arn,
          subnetIds,
          amiType: 'AL2023_x86_64_STANDARD',
          instanceTypes: [...args.instanceTypes],
          launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
          scalingConfig: { minSize: sizes[0], desiredSize: sizes[1], maxSize: sizes[2] },
          updateConfig: { maxUnavailable: 1 },
          labels: { [NODE_POOL.label]: pool },
          tags: args.tags,
        },
        { parent: this, dependsOn: [...args.after, ...policies] },
      );
    this.nodeGroups = [pool(NODE_POOL.general, args.privateSubnetIds, [args.minSize, args.desiredSize, args.maxSize])];
    this.registerOutputs({});
  }
}
