import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';

export interface NetworkArgs {
  /** VPC range: a private /16../20 (validated in stack config). Default in stacks: 10.40.0.0/16. */
  readonly cidrBlock: string;
  /** How many AZs get a public and a private subnet (EKS needs at least 2). */
  readonly availabilityZones: number;
  /** One NAT gateway per AZ (prod: survives an AZ outage) or a single one (dev: ~$35/month less each). */
  readonly natGateways: 'perAz' | 'single';
  /** Interface endpoints for ECR and STS, so image pulls and token exchange skip the NAT (cost, privacy). */
  readonly interfaceEndpoints: boolean;
  /** Flow log retention in days (finite: logs cost money and hold addresses). */
  readonly flowLogRetentionDays: number;
  /** Name of the EKS cluster, for the subnet discovery tags of the load balancer controller. */
  readonly clusterName: string;
  readonly tags?: Record<string, string>;
}

/** The VPC: public and private subnets over N AZs, NAT, flow logs, S3 gateway endpoint. */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  public readonly cidrBlock: string;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:network:Network', name, {}, opts);
    if (args.availabilityZones < 2)
      throw new Error(`Network ${name}: availabilityZones must be at least 2, got ${args.availabilityZones}`);

    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: 'shared' };
    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        numberOfAvailabilityZones: args.availabilityZones,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        natGateways: { strategy: args.natGateways === 'perAz' ? 'OnePerAz' : 'Single' },
        subnetStrategy: 'Auto',
        subnetSpecs: [
          // The load balancer controller finds subnets by these tags.
          { type: 'Public', cidrMask: 22, tags: { ...clusterTag, 'kubernetes.io/role/elb': '1', tier: 'public' } },
          {
            type: 'Private',
            cidrMask: 20,
            tags: { ...clusterTag, 'kubernetes.io/role/internal-elb': '1', tier: 'private' },
          },
        ],
        tags: args.tags,
      },
      { parent: this },
    );

    const flowLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { retentionInDays: args.flowLogRetentionDays, tags: args.tags },
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
    new aws.iam.RolePolicy(
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
          ],
        }),
      },
      { parent: this },
    );
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
      { parent: this },
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
    this.cidrBlock = args.cidrBlock;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
    });
  }
}
