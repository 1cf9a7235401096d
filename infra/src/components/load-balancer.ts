import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { APP, PATHS } from '@zumo/config';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST } from '../lib/cloudfront.js';

export interface LoadBalancerArgs {
  readonly vpcId: pulumi.Input<string>;
  /** The ALB's own isolated subnets: internal, CloudFront reaches it through a VPC origin. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Refuse deletion in prod (the one path to the app). */
  readonly deletionProtection: boolean;
  readonly tags?: Record<string, string>;
}

/**
 * The ALB owned by Pulumi: internal (no public address; CloudFront reaches it as a VPC origin), with an
 * ip target group on the service's port whose health check is the readiness path. The app's
 * Service joins the target group through a TargetGroupBinding (deploy/), never through Pulumi.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  public readonly albArn: pulumi.Output<string>;
  public readonly albDnsName: pulumi.Output<string>;
  public readonly targetGroupArn: pulumi.Output<string>;
  /** Pulumi names it with a random suffix: a replacement has a new name (the TargetGroupBinding's follows it). */
  public readonly targetGroupName: pulumi.Output<string>;
  /** CloudWatch dimensions (LoadBalancer, TargetGroup) are these ARN suffixes. */
  public readonly albArnSuffix: pulumi.Output<string>;
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:loadbalancing:LoadBalancer', name, {}, opts);
    // Rules are standalone resources (TargetAccess adds the egress to the targets); the AWS provider
    // removes the default allow-all egress rule of a new group, so nothing leaves it undeclared.
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-alb`,
      { vpcId: args.vpcId, description: 'Internal ALB: HTTP from the CloudFront VPC origin only', tags: args.tags },
      { parent: this },
    );
    // VPC origin traffic arrives from CloudFront's origin-facing addresses (CloudFront developer
    // guide, "Restrict access with VPC origins"): a rule for the VPC range admits none of it (every
    // request a 504) and would let every pod and the CI runner past the WAF. The list weighs 55 of
    // the group's 60 inbound rules (Amazon VPC quota), so this group holds no other inbound rule.
    const cloudFront = aws.ec2.getManagedPrefixListOutput(
      { name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST },
      { parent: this },
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-alb-from-cloudfront`,
      {
        securityGroupId: securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        prefixListId: cloudFront.id,
        description: 'CloudFront VPC origin (origin-facing addresses)',
        tags: args.tags,
      },
      { parent: this },
    );
    const alb = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: 'application',
        internal: true,
        subnets: args.subnetIds,
        securityGroups: [securityGroup.id],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.deletionProtection,
        idleTimeout: 60,
        tags: args.tags,
      },
      { parent: this },
    );
    const targetGroup = new aws.lb.TargetGroup(
      `${name}-web`,
      {
        targetType: 'ip',
        port: APP.containerPort,
        protocol: 'HTTP',
        vpcId: args.vpcId,
        deregistrationDelay: 15,
        healthCheck: {
          path: PATHS.ready,
          port: 'traffic-port',
          protocol: 'HTTP',
          matcher: '200',
          interval: 10,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 2,
        },
        tags: args.tags,
      },
      { parent: this },
    );
    new aws.lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultActions: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
        tags: args.tags,
      },
      { parent: this },
    );
    this.albArn = alb.arn;
    this.albDnsName = alb.dnsName;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupName = targetGroup.name;
    this.albArnSuffix = alb.arnSuffix;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ albArn: this.albArn, targetGroupArn: this.targetGroupArn });
  }
}
