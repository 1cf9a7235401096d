/**
 * What the infra role may do in EC2 and Elastic Load Balancing, whose resources have generated ids
 * only: change what carries its stack's tag (every resource the program creates is tagged when it
 * is created, and awsx passes the tags to each child: pulumi-awsx awsx/ec2/vpc.ts), create new
 * resources only with that tag, and tag nothing else. Both stacks live in one account, so a grant
 * on every resource would let dev change the prod resources that carry no stack tag (what EC2 or a
 * controller creates: instances, volumes, snapshots, network interfaces). EKS's cluster security
 * group carries only EKS's tags (aws:eks:cluster-name), so its rules are granted by that tag.
 */
import type { PolicyStatement } from './iam.js';

/** The EC2 calls that create something (the new resource carries the request's tags). */
export const EC2_CREATES = [
  'AllocateAddress',
  'AuthorizeSecurityGroupEgress',
  'AuthorizeSecurityGroupIngress',
  'CreateFlowLogs',
  'CreateInternetGateway',
  'CreateLaunchTemplate',
  'CreateLaunchTemplateVersion',
  'CreateNatGateway',
  'CreateRoute',
  'CreateRouteTable',
  'CreateSecurityGroup',
  'CreateSubnet',
  'CreateVpc',
  'CreateVpcEndpoint',
];

/**
 * Changes to existing resources, allowed only on the stack's own (the creations too: they name
 * existing resources besides the new one, the VPC of a subnet, the route table of a route).
 */
const EC2_CHANGES = [
  'ec2:Allocate*',
  'ec2:Associate*',
  'ec2:Attach*',
  'ec2:Authorize*',
  'ec2:Create*',
  'ec2:Delete*',
  'ec2:Detach*',
  'ec2:Disassociate*',
  'ec2:Modify*',
  'ec2:ReleaseAddress',
  'ec2:ReplaceRoute',
  'ec2:Revoke*',
  'ec2:UpdateSecurityGroupRuleDescriptions*',
];

const ELB_CREATES = ['CreateListener', 'CreateLoadBalancer', 'CreateRule', 'CreateTargetGroup'];

export interface NetworkScope {
  readonly stack: string;
  readonly region: string;
  readonly account: string;
  /** The EKS cluster of the stack, e.g. zumo-dev-eks. */
  readonly clusterName: string;
}

export function networkStatements(n: NetworkScope): PolicyStatement[] {
  const own = { StringEquals: { 'aws:ResourceTag/stack': n.stack } };
  const tagged = { StringEquals: { 'aws:RequestTag/stack': n.stack } };
  return [
    { Sid: 'Ec2Own', Effect: 'Allow', Action: EC2_CHANGES, Resource: '*', Condition: own },
    {
      // The new resource has no tags yet to check: the ones it is created with must be the stack's.
      Sid: 'Ec2New',
      Effect: 'Allow',
      Action: EC2_CREATES.filter((action) => !action.startsWith('Authorize')).map((action) => `ec2:${action}`),
      Resource: '*',
      Condition: tagged,
    },
    {
      // A new rule is created tagged; the group it opens must be the stack's own (or its cluster's).
      Sid: 'Ec2NewRules',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupEgress', 'ec2:AuthorizeSecurityGroupIngress'],
      Resource: `arn:aws:ec2:${n.region}:${n.account}:security-group-rule/*`,
      Condition: tagged,
    },
    {
      // Tags only as part of creating (EC2 authorizes tag-on-create as CreateTags), never on what exists.
      Sid: 'Ec2TagOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/stack': n.stack, 'ec2:CreateAction': EC2_CREATES } },
    },
    {
      Sid: 'Ec2ClusterSecurityGroup',
      Effect: 'Allow',
      Action: [
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:ModifySecurityGroupRules',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:UpdateSecurityGroupRuleDescriptions*',
      ],
      Resource: `arn:aws:ec2:${n.region}:${n.account}:security-group/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/aws:eks:cluster-name': n.clusterName } },
    },
    {
      Sid: 'LoadBalancingOwn',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:Add*',
        'elasticloadbalancing:Create*',
        'elasticloadbalancing:Delete*',
        'elasticloadbalancing:Modify*',
        'elasticloadbalancing:Remove*',
        'elasticloadbalancing:Set*',
      ],
      Resource: '*',
      Condition: own,
    },
    {
      Sid: 'LoadBalancingNew',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: '*',
      Condition: tagged,
    },
    {
      Sid: 'LoadBalancingTagOnCreate',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:AddTags',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:RequestTag/stack': n.stack, 'elasticloadbalancing:CreateAction': ELB_CREATES },
      },
    },
  ];
}
