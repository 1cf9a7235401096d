import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import { planSubnets, type SubnetPlan } from '../lib/network-plan.js';

export interface NetworkArgs {
  /** VPC range: a private /16../18 (validated in stack config). Default in stacks: 10.40.0.0/16. */
  readonly cidrBlock: string;
  /** The AZs that get a private, a public and a load balancer subnet (EKS needs at least 2). */
  readonly availabilityZoneNames: readonly string[];
  /** One NAT gateway per AZ (prod: survives an AZ outage) or a single one (dev: ~$35/month less each). */
  readonly natGateways: 'perAz' | 'single';
  /** Interface endpoints for ECR and STS, so image pulls and token exchange skip the NAT (cost, privacy). */
  readonly interfaceEndpoints: boolean;
  /** Flow log retention in days (finite: logs cost money and hold addresses), and their KMS key. */
  readonly flowLogRetentionDays: number;
  readonly logsKeyArn: pulumi.Input<string>;
  /** Name of the EKS cluster, for the subnet discovery tags of the load balancer controller. */
  readonly clusterName: string;
  readonly tags?: Record<string, string>;
}

/**
 * The VPC: private, public and load balancer subnets over the given AZs (layout from
 * lib/network-plan.ts, passed to awsx as explicit CIDR blocks), NAT, flow logs, S3 gateway endpoint.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** In AZ order (awsx creates subnets AZ by AZ): index i is in availabilityZoneNames[i]. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** The internal ALB's own subnets: their ranges hold no pod, so policies can name them. */
  public readonly lbSubnetIds: pulumi.Output<string[]>;
  public readonly cidrBlock: string;
  public readonly plan: SubnetPlan;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:network:Network', name, {}, opts);
    if (args.availabilityZoneNames.length < 2)
      throw new Error(`Network ${name}: at least 2 AZs are needed, got ${args.availabilityZoneNames.join(', ')}`);
    this.plan = planSubnets(args.cidrBlock, args.availabilityZoneNames.length);

    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: 'shared' };
    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        availabilityZoneNames: [...args.availabilityZoneNames],
        enableDnsHostnames: true,
        enableDnsSupport: true,
        natGateways: { strategy: args.natGateways === 'perAz' ? 'OnePerAz' : 'Single' },
        // Explicit blocks (awsx's ExplicitAllocator): the ranges are exactly the plan's.
        subnetStrategy: 'Auto',
        subnetSpecs: [
          {
            type: 'Private',
            cidrBlocks: [...this.plan.private],
            tags: { ...clusterTag, 'kubernetes.io/role/internal-elb': '1', tier: 'private' },
          },
          { type: 'Public', cidrBlocks: [...this.plan.public], tags: { ...clusterTag, tier: 'public' } },
          // No route out: the ALB only talks to the pods, CloudFront's VPC origin only to the ALB.
          { type: 'Isolated', cidrBlocks: [...this.plan.lb], tags: { tier: 'lb' } },
        ],
        tags: args.tags,
      },
      { parent: this },
    );

    this.adoptDefaults(name, vpc, args.tags);

    const flowLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { retentionInDays: args.flowLogRetentionDays, kmsKeyId: args.logsKeyArn, tags: args.tags },
      { parent: this },
    );
    const flowLogRole = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'vpc-flow-logs.amazonaws.com' }),
        tags: args.tags,
      },
      { parent: this },
    );
    // The Amazon VPC user guide's role ("IAM role for publishing flow logs to CloudWatch Logs")
    // narrowed to this log group, less logs:CreateLogGroup: the group is ours (retention, KMS), and
    // a group the service made on its own would have neither.
    const flowLogPolicy = new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: flowLogRole.id,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              Resource: [flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`],
            },
            // A listing: IAM matches it against the account's log-group:* pattern, not one group.
            { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
          ],
        }),
      },
      { parent: this },
    );
    // Delivery starts when the flow log exists: its role must already hold the policy.
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: vpc.vpcId,
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logDestination: flowLogGroup.arn,
        iamRoleArn: flowLogRole.arn,
        maxAggregationInterval: 600,
        tags: args.tags,
      },
      { parent: this, dependsOn: [flowLogPolicy] },
    );

    const region = aws.getRegionOutput({}, { parent: this }).region;
    // S3 through a gateway endpoint: free, and image layers from ECR (stored in S3) skip the NAT.
    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.vpcId,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
        vpcEndpointType: 'Gateway',
        routeTableIds: vpc.routeTables.apply((tables) => tables.map((t) => t.id)),
        tags: args.tags,
      },
      { parent: this },
    );

    if (args.interfaceEndpoints) {
      const endpointSg = new aws.ec2.SecurityGroup(
        `${name}-endpoints`,
        {
          vpcId: vpc.vpcId,
          description: 'HTTPS from inside the VPC to interface endpoints',
          ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [args.cidrBlock] }],
          tags: args.tags,
        },
        { parent: this },
      );
      for (const service of ['ecr.api', 'ecr.dkr', 'sts']) {
        new aws.ec2.VpcEndpoint(
          `${name}-${service.replace('.', '-')}`,
          {
            vpcId: vpc.vpcId,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
            vpcEndpointType: 'Interface',
            privateDnsEnabled: true,
            subnetIds: vpc.privateSubnetIds,
            securityGroupIds: [endpointSg.id],
            tags: args.tags,
          },
          { parent: this },
        );
      }
    }

    this.vpcId = vpc.vpcId;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.publicSubnetIds = vpc.publicSubnetIds;
    this.lbSubnetIds = vpc.isolatedSubnetIds;
    this.cidrBlock = args.cidrBlock;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      lbSubnetIds: this.lbSubnetIds,
    });
  }

  /**
   * AWS creates each VPC's default network ACL, default security group and main route table
   * itself, untagged, and awsx leaves them so. Both stacks share one account, and the permissions
   * boundary fences the other stack by its `stack` tag (lib/boundary.ts OtherTagged): untagged,
   * a role the other stack creates could add a deny-all entry to this VPC's network ACL, which
   * every subnet here uses. Adopted, they carry the stack's tags. The provider never deletes them
   * (a destroy releases them from the state; AWS deletes them with the VPC), and on adoption it
   * first removes every rule and route they hold (pulumi-aws ec2 DefaultNetworkAcl,
   * DefaultSecurityGroup, DefaultRouteTable).
   */
  private adoptDefaults(name: string, vpc: awsx.ec2.Vpc, tags: Record<string, string> | undefined) {
    // AWS's own rules of a default network ACL (no IPv6 range here, so no IPv6 rules): awsx's
    // subnets are associated with it, and without them they would carry no traffic at all.
    const allowAll = [{ protocol: '-1', ruleNo: 100, action: 'allow', cidrBlock: '0.0.0.0/0', fromPort: 0, toPort: 0 }];
    new aws.ec2.DefaultNetworkAcl(
      `${name}-default-acl`,
      { defaultNetworkAclId: vpc.vpc.defaultNetworkAclId, ingress: allowAll, egress: allowAll, tags },
      // Every subnet that has no ACL of its own is associated with it by AWS, not by this program.
      { parent: this, ignoreChanges: ['subnetIds'] },
    );
    // No rules: nothing here is placed in the default group (every endpoint, load balancer and
    // runner names its own), so anything that lands in it by accident reaches nothing (CIS AWS
    // Foundations, "the default security group of every VPC restricts all traffic").
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.vpcId, tags }, { parent: this });
    // No routes beyond the local one: awsx gives every subnet a route table of its own.
    new aws.ec2.DefaultRouteTable(
      `${name}-main-routes`,
      { defaultRouteTableId: vpc.vpc.mainRouteTableId, routes: [], tags },
      { parent: this },
    );
  }
}
