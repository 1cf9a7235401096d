import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

export interface TargetAccessArgs {
  /** The load balancer's security group. */
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  /** The security group the targets carry: EKS's cluster security group (nodes and VPC CNI pods). */
  readonly targetSecurityGroupId: pulumi.Input<string>;
  /** The port the targets listen on (the container port; the target group's traffic port). */
  readonly port: number;
  readonly tags?: Record<string, string>;
}

/**
 * Lets the ALB reach its targets on their port: out of the ALB's group, into the targets'. EKS's
 * cluster security group admits only itself, and the TargetGroupBinding opens nothing unless it
 * sets spec.networking (aws-load-balancer-controller pkg/networking/networking_manager.go); this
 * rule is Pulumi's instead, so it is declared, reviewed in previews and checked in the tests.
 */
export class TargetAccess extends pulumi.ComponentResource {
  constructor(name: string, args: TargetAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:loadbalancing:TargetAccess', name, {}, opts);
    const rule = { ipProtocol: 'tcp', fromPort: args.port, toPort: args.port, tags: args.tags };
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-to-targets`,
      {
        ...rule,
        securityGroupId: args.loadBalancerSecurityGroupId,
        referencedSecurityGroupId: args.targetSecurityGroupId,
        description: 'ALB to its targets (traffic and health checks)',
      },
      { parent: this },
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-from-alb`,
      {
        ...rule,
        securityGroupId: args.targetSecurityGroupId,
        referencedSecurityGroupId: args.loadBalancerSecurityGroupId,
        description: 'targets from the ALB (traffic and health checks)',
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
