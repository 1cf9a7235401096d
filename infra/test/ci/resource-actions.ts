/**
 * What `pulumi up` calls in AWS for each resource type the program declares: the create and
 * delete actions (AWS Service Authorization Reference) on the ARN that resource has in a stack,
 * with the tags a creation sends. The identity matrix asks the IAM evaluator whether the infra
 * role may make these requests on its own stack and must not make them on the other: a resource
 * type missing here fails the test until its actions are written down (and granted).
 * Packaged components are expanded into the resources they create (pulumi-awsx awsx/ec2/vpc.ts).
 * Every type here is one some stack declares (identity/permissions.ts), so none outlives the
 * program's use of it.
 */
import { DATABASE_ACTIONS } from './resource-actions-database.js';
import { owned, tagged, type Need, type StackNames } from './stack-requests.js';

export type { Need, StackNames };

/** Resources created inside packaged components, by component type. */
export const COMPONENT_CHILDREN: Record<string, string[]> = {
  'awsx:ec2:Vpc': [
    'aws:ec2/vpc:Vpc',
    'aws:ec2/subnet:Subnet',
    'aws:ec2/routeTable:RouteTable',
    'aws:ec2/routeTableAssociation:RouteTableAssociation',
    'aws:ec2/route:Route',
    'aws:ec2/internetGateway:InternetGateway',
    'aws:ec2/natGateway:NatGateway',
    'aws:ec2/eip:Eip',
  ],
};

/**
 * Types only an admin's `up` writes: the infra role's own managed policies (components/ci-identity.ts).
 * The infra role holds no iam:CreatePolicy, and the boundary keeps every role of a stack off
 * customer-managed policies (lib/boundary.ts); identity/must-never-created-roles.ts checks both.
 */
export const ADMIN_ONLY = new Set(['aws:iam/policy:Policy']);

/** Types that call no AWS API of their own (the engine's, components, other providers). */
export const NO_AWS_CALLS = /^(pulumi:|zumo:|random:|time:|kubernetes:|awsx:|eks:)/;

const ec2 = (s: StackNames, kind: string) => `arn:aws:ec2:${s.region}:${s.account}:${kind}/${kind}-${s.stack}0001`;
// Tagging on creation is authorized as ec2:CreateTags with the creating call as ec2:CreateAction.
const createEc2 = (s: StackNames, action: string, kind: string, extra: Need[] = []): Need[] => [
  { action, resource: ec2(s, kind), context: tagged(s) },
  {
    action: 'ec2:CreateTags',
    resource: ec2(s, kind),
    context: { ...tagged(s), 'ec2:CreateAction': action.replace('ec2:', '') },
  },
  ...extra,
];
/** A rule on EKS's cluster security group, which carries only EKS's tags, never the stack's. */
const clusterGroupRule = (s: StackNames, action: string): Need[] => [
  {
    action,
    resource: ec2(s, 'security-group'),
    context: { 'aws:ResourceTag/aws:eks:cluster-name': `${s.prefix}eks` },
  },
  ...(action.startsWith('ec2:Authorize')
    ? [{ action, resource: ec2(s, 'security-group-rule'), context: tagged(s) }]
    : []),
];
const deleteEc2 = (s: StackNames, action: string, kind: string): Need => ({
  action,
  resource: ec2(s, kind),
  context: owned(s),
});
const eks = (s: StackNames, path: string) => `arn:aws:eks:${s.region}:${s.account}:${path}`;
const cluster = (s: StackNames) => `${s.prefix}eks`;
const withBoundary = (s: StackNames) => ({ 'iam:PermissionsBoundary': s.boundaryArn });
const role = (s: StackNames) => `arn:aws:iam::${s.account}:role/${s.prefix}nodes-1234567`;
const bucket = (s: StackNames) => `arn:aws:s3:::${s.prefix}site-1234567`;

export const UP_ACTIONS: Record<string, (s: StackNames) => Need[]> = {
  'aws:ec2/vpc:Vpc': (s) => [...createEc2(s, 'ec2:CreateVpc', 'vpc'), deleteEc2(s, 'ec2:DeleteVpc', 'vpc')],
  'aws:ec2/subnet:Subnet': (s) => [
    ...createEc2(s, 'ec2:CreateSubnet', 'subnet', [
      { action: 'ec2:CreateSubnet', resource: ec2(s, 'vpc'), context: owned(s) },
    ]),
    deleteEc2(s, 'ec2:DeleteSubnet', 'subnet'),
  ],
  'aws:ec2/routeTable:RouteTable': (s) => [
    ...createEc2(s, 'ec2:CreateRouteTable', 'route-table'),
    deleteEc2(s, 'ec2:DeleteRouteTable', 'route-table'),
  ],
  'aws:ec2/routeTableAssociation:RouteTableAssociation': (s) => [
    deleteEc2(s, 'ec2:AssociateRouteTable', 'route-table'),
    deleteEc2(s, 'ec2:DisassociateRouteTable', 'route-table'),
  ],
  'aws:ec2/route:Route': (s) => [
    deleteEc2(s, 'ec2:CreateRoute', 'route-table'),
    deleteEc2(s, 'ec2:DeleteRoute', 'route-table'),
  ],
  'aws:ec2/internetGateway:InternetGateway': (s) => [
    ...createEc2(s, 'ec2:CreateInternetGateway', 'internet-gateway'),
    deleteEc2(s, 'ec2:AttachInternetGateway', 'internet-gateway'),
    deleteEc2(s, 'ec2:DeleteInternetGateway', 'internet-gateway'),
  ],
  'aws:ec2/natGateway:NatGateway': (s) => [
    ...createEc2(s, 'ec2:CreateNatGateway', 'natgateway'),
    deleteEc2(s, 'ec2:DeleteNatGateway', 'natgateway'),
  ],
  'aws:ec2/eip:Eip': (s) => [
    ...createEc2(s, 'ec2:AllocateAddress', 'elastic-ip'),
    deleteEc2(s, 'ec2:ReleaseAddress', 'elastic-ip'),
  ],
  // A VPC's defaults are adopted, never created: adopting tags a resource AWS made untagged, which
  // the infra role may not do (it tags only what it creates: lib/network-policy.ts), so the
  // admin's first `up` adopts them, with its VPC. After that CI changes their rules, on resources
  // that carry its stack's tag; deleting one only releases it from the state (no AWS call).
  'aws:ec2/defaultNetworkAcl:DefaultNetworkAcl': (s) => [
    deleteEc2(s, 'ec2:CreateNetworkAclEntry', 'network-acl'),
    deleteEc2(s, 'ec2:DeleteNetworkAclEntry', 'network-acl'),
  ],
  'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup': (s) => [
    deleteEc2(s, 'ec2:RevokeSecurityGroupIngress', 'security-group'),
    deleteEc2(s, 'ec2:RevokeSecurityGroupEgress', 'security-group'),
  ],
  'aws:ec2/defaultRouteTable:DefaultRouteTable': (s) => [
    deleteEc2(s, 'ec2:CreateRoute', 'route-table'),
    deleteEc2(s, 'ec2:DeleteRoute', 'route-table'),
  ],
  'aws:ec2/securityGroup:SecurityGroup': (s) => [
    ...createEc2(s, 'ec2:CreateSecurityGroup', 'security-group'),
    deleteEc2(s, 'ec2:AuthorizeSecurityGroupEgress', 'security-group'),
    deleteEc2(s, 'ec2:DeleteSecurityGroup', 'security-group'),
  ],
  'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': (s) => [
    deleteEc2(s, 'ec2:AuthorizeSecurityGroupEgress', 'security-group'),
    deleteEc2(s, 'ec2:RevokeSecurityGroupEgress', 'security-group'),
  ],
  'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': (s) => [
    deleteEc2(s, 'ec2:AuthorizeSecurityGroupIngress', 'security-group'),
    deleteEc2(s, 'ec2:RevokeSecurityGroupIngress', 'security-group'),
    // TargetAccess and the CI runner open 8080 and 443 on EKS's cluster security group.
    ...clusterGroupRule(s, 'ec2:AuthorizeSecurityGroupIngress'),
    ...clusterGroupRule(s, 'ec2:RevokeSecurityGroupIngress'),
  ],
  'aws:ec2/vpcEndpoint:VpcEndpoint': (s) => [
    ...createEc2(s, 'ec2:CreateVpcEndpoint', 'vpc-endpoint'),
    deleteEc2(s, 'ec2:DeleteVpcEndpoints', 'vpc-endpoint'),
    // An interface endpoint with private DNS associates the VPC with the service's private hosted
    // zone, in the caller's name (a dependent action of ec2:CreateVpcEndpoint).
    { action: 'route53:AssociateVPCWithHostedZone', resource: 'arn:aws:route53:::hostedzone/Z0AWSMANAGED' },
  ],
  'aws:ec2/flowLog:FlowLog': (s) => [
    ...createEc2(s, 'ec2:CreateFlowLogs', 'vpc-flow-log'),
    deleteEc2(s, 'ec2:DeleteFlowLogs', 'vpc-flow-log'),
    { action: 'iam:PassRole', resource: role(s), context: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } },
  ],
  'aws:ec2/launchTemplate:LaunchTemplate': (s) => [
    ...createEc2(s, 'ec2:CreateLaunchTemplate', 'launch-template'),
    deleteEc2(s, 'ec2:DeleteLaunchTemplate', 'launch-template'),
  ],
  'aws:lb/loadBalancer:LoadBalancer': (s) => {
    const arn = `arn:aws:elasticloadbalancing:${s.region}:${s.account}:loadbalancer/app/${s.prefix}alb/50dc6c495c0c9188`;
    return [
      { action: 'elasticloadbalancing:CreateLoadBalancer', resource: arn, context: tagged(s) },
      { action: 'elasticloadbalancing:ModifyLoadBalancerAttributes', resource: arn, context: owned(s) },
      { action: 'elasticloadbalancing:DeleteLoadBalancer', resource: arn, context: owned(s) },
    ];
  },
  'aws:lb/targetGroup:TargetGroup': (s) => {
    const arn = `arn:aws:elasticloadbalancing:${s.region}:${s.account}:targetgroup/${s.prefix}web/73e2d6bc24d8a067`;
    return [
      { action: 'elasticloadbalancing:CreateTargetGroup', resource: arn, context: tagged(s) },
      { action: 'elasticloadbalancing:DeleteTargetGroup', resource: arn, context: owned(s) },
    ];
  },
  'aws:lb/listener:Listener': (s) => {
    const arn = `arn:aws:elasticloadbalancing:${s.region}:${s.account}:listener/app/${s.prefix}alb/50dc6c495c0c9188/f2f7dc8efc522ab2`;
    return [
      {
        action: 'elasticloadbalancing:CreateListener',
        resource: `arn:aws:elasticloadbalancing:${s.region}:${s.account}:loadbalancer/app/${s.prefix}alb/50dc6c495c0c9188`,
        context: { ...tagged(s), ...owned(s) },
      },
      { action: 'elasticloadbalancing:DeleteListener', resource: arn, context: owned(s) },
    ];
  },
  'aws:eks/cluster:Cluster': (s) => [
    { action: 'eks:CreateCluster', resource: eks(s, `cluster/${cluster(s)}`), context: tagged(s) },
    { action: 'eks:UpdateClusterConfig', resource: eks(s, `cluster/${cluster(s)}`) },
    { action: 'eks:DeleteCluster', resource: eks(s, `cluster/${cluster(s)}`) },
    { action: 'iam:PassRole', resource: role(s), context: { 'iam:PassedToService': 'eks.amazonaws.com' } },
  ],
  'aws:eks/nodeGroup:NodeGroup': (s) => [
    { action: 'eks:CreateNodegroup', resource: eks(s, `cluster/${cluster(s)}`), context: tagged(s) },
    { action: 'eks:DeleteNodegroup', resource: eks(s, `nodegroup/${cluster(s)}/nodes/1`) },
    { action: 'iam:PassRole', resource: role(s), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
  ],
  'aws:eks/addon:Addon': (s) => [
    { action: 'eks:CreateAddon', resource: eks(s, `cluster/${cluster(s)}`), context: tagged(s) },
    { action: 'eks:DeleteAddon', resource: eks(s, `addon/${cluster(s)}/coredns/1`) },
  ],
  'aws:eks/accessEntry:AccessEntry': (s) => [
    { action: 'eks:CreateAccessEntry', resource: eks(s, `cluster/${cluster(s)}`) },
    { action: 'eks:DeleteAccessEntry', resource: eks(s, `access-entry/${cluster(s)}/role/${s.account}/x/1`) },
  ],
  'aws:eks/accessPolicyAssociation:AccessPolicyAssociation': (s) => [
    { action: 'eks:AssociateAccessPolicy', resource: eks(s, `access-entry/${cluster(s)}/role/${s.account}/x/1`) },
    { action: 'eks:DisassociateAccessPolicy', resource: eks(s, `access-entry/${cluster(s)}/role/${s.account}/x/1`) },
  ],
  'aws:eks/podIdentityAssociation:PodIdentityAssociation': (s) => [
    { action: 'eks:CreatePodIdentityAssociation', resource: eks(s, `cluster/${cluster(s)}`), context: tagged(s) },
    { action: 'eks:DeletePodIdentityAssociation', resource: eks(s, `podidentityassociation/${cluster(s)}/a-1`) },
    { action: 'iam:PassRole', resource: role(s), context: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
  ],
  'aws:ecr/repository:Repository': (s) => {
    const arn = `arn:aws:ecr:${s.region}:${s.account}:repository/${s.imageRepository}`;
    return [
      { action: 'ecr:CreateRepository', resource: arn, context: tagged(s) },
      {
        action: 'kms:CreateGrant',
        resource: `arn:aws:kms:${s.region}:${s.account}:key/aws-ecr`,
        context: { 'kms:ViaService': `ecr.${s.region}.amazonaws.com` },
      },
      { action: 'ecr:DeleteRepository', resource: arn },
    ];
  },
  'aws:ecr/lifecyclePolicy:LifecyclePolicy': (s) => [
    {
      action: 'ecr:PutLifecyclePolicy',
      resource: `arn:aws:ecr:${s.region}:${s.account}:repository/${s.imageRepository}`,
    },
  ],
  'aws:s3/bucket:Bucket': (s) => [
    { action: 's3:CreateBucket', resource: bucket(s) },
    { action: 's3:PutBucketTagging', resource: bucket(s) },
    { action: 's3:DeleteBucket', resource: bucket(s) },
  ],
  'aws:s3/bucketPolicy:BucketPolicy': (s) => [{ action: 's3:PutBucketPolicy', resource: bucket(s) }],
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': (s) => [
    { action: 's3:PutBucketPublicAccessBlock', resource: bucket(s) },
  ],
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls': (s) => [
    { action: 's3:PutBucketOwnershipControls', resource: bucket(s) },
  ],
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': (s) => [
    { action: 's3:PutEncryptionConfiguration', resource: bucket(s) },
  ],
  'aws:s3/bucketVersioning:BucketVersioning': (s) => [{ action: 's3:PutBucketVersioning', resource: bucket(s) }],
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': (s) => [
    { action: 's3:PutLifecycleConfiguration', resource: bucket(s) },
  ],
  'aws:kms/key:Key': (s) => {
    const key = `arn:aws:kms:${s.region}:${s.account}:key/0000-${s.stack}`;
    return [
      { action: 'kms:CreateKey', resource: '*', context: tagged(s) },
      { action: 'kms:EnableKeyRotation', resource: key, context: owned(s) },
      { action: 'kms:ScheduleKeyDeletion', resource: key, context: owned(s) },
      { action: 'kms:CreateGrant', resource: key, context: owned(s) },
    ];
  },
  'aws:cloudwatch/logGroup:LogGroup': (s) => {
    const arn = `arn:aws:logs:${s.region}:${s.account}:log-group:/aws/eks/${s.prefix}eks/cluster`;
    return [
      { action: 'logs:CreateLogGroup', resource: arn, context: tagged(s) },
      { action: 'logs:PutRetentionPolicy', resource: arn },
      { action: 'logs:DeleteLogGroup', resource: arn },
    ];
  },
  'aws:cloudwatch/metricAlarm:MetricAlarm': (s) => {
    const arn = `arn:aws:cloudwatch:${s.region}:${s.account}:alarm:${s.prefix}alb-target-5xx-1234567`;
    return [
      { action: 'cloudwatch:PutMetricAlarm', resource: arn, context: tagged(s) },
      { action: 'cloudwatch:DeleteAlarms', resource: arn },
    ];
  },
  'aws:sns/topic:Topic': (s) => {
    const arn = `arn:aws:sns:${s.region}:${s.account}:${s.prefix}alerts-1234567`;
    return [
      { action: 'sns:CreateTopic', resource: arn, context: tagged(s) },
      { action: 'sns:SetTopicAttributes', resource: arn },
      { action: 'sns:DeleteTopic', resource: arn },
    ];
  },
  'aws:sns/topicSubscription:TopicSubscription': (s) => [
    { action: 'sns:Subscribe', resource: `arn:aws:sns:${s.region}:${s.account}:${s.prefix}alerts-1234567` },
  ],
  'aws:cloudfront/distribution:Distribution': (s) => {
    const arn = `arn:aws:cloudfront::${s.account}:distribution/E${s.stack.toUpperCase()}1`;
    return [
      { action: 'cloudfront:CreateDistribution', resource: arn, context: tagged(s) },
      { action: 'cloudfront:UpdateDistribution', resource: arn, context: owned(s) },
      { action: 'cloudfront:DeleteDistribution', resource: arn, context: owned(s) },
    ];
  },
  'aws:cloudfront/cachePolicy:CachePolicy': (s) => [
    { action: 'cloudfront:CreateCachePolicy', resource: `arn:aws:cloudfront::${s.account}:cache-policy/p-${s.stack}` },
  ],
  'aws:cloudfront/originAccessControl:OriginAccessControl': (s) => [
    {
      action: 'cloudfront:CreateOriginAccessControl',
      resource: `arn:aws:cloudfront::${s.account}:origin-access-control/o-${s.stack}`,
    },
  ],
  'aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy': (s) => [
    {
      action: 'cloudfront:CreateResponseHeadersPolicy',
      resource: `arn:aws:cloudfront::${s.account}:response-headers-policy/r-${s.stack}`,
    },
  ],
  'aws:cloudfront/vpcOrigin:VpcOrigin': (s) => {
    const arn = `arn:aws:cloudfront::${s.account}:vpcorigin/vo_${s.stack}`;
    return [
      { action: 'cloudfront:CreateVpcOrigin', resource: arn, context: tagged(s) },
      { action: 'cloudfront:DeleteVpcOrigin', resource: arn, context: owned(s) },
    ];
  },
  'aws:wafv2/webAcl:WebAcl': (s) => {
    const arn = `arn:aws:wafv2:us-east-1:${s.account}:global/webacl/${s.prefix}waf-1234567/abc`;
    return [
      { action: 'wafv2:CreateWebACL', resource: arn, context: tagged(s) },
      { action: 'wafv2:DeleteWebACL', resource: arn },
    ];
  },
  'aws:route53/healthCheck:HealthCheck': (s) => [
    { action: 'route53:CreateHealthCheck', resource: `arn:aws:route53:::healthcheck/hc-${s.stack}` },
    { action: 'route53:ChangeTagsForResource', resource: `arn:aws:route53:::healthcheck/hc-${s.stack}` },
  ],
  'aws:iam/role:Role': (s) => [
    { action: 'iam:CreateRole', resource: role(s), context: withBoundary(s) },
    { action: 'iam:TagRole', resource: role(s) },
    { action: 'iam:DeleteRole', resource: role(s) },
  ],
  'aws:iam/rolePolicy:RolePolicy': (s) => [
    { action: 'iam:PutRolePolicy', resource: role(s), context: withBoundary(s) },
    { action: 'iam:DeleteRolePolicy', resource: role(s), context: withBoundary(s) },
  ],
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment': (s) => [
    {
      action: 'iam:AttachRolePolicy',
      resource: role(s),
      context: { ...withBoundary(s), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' },
    },
    { action: 'iam:DetachRolePolicy', resource: role(s), context: withBoundary(s) },
  ],
  'aws:codebuild/project:Project': (s) => {
    const arn = `arn:aws:codebuild:${s.region}:${s.account}:project/${s.prefix}runner`;
    return [
      { action: 'codebuild:CreateProject', resource: arn, context: tagged(s) },
      { action: 'codebuild:UpdateProject', resource: arn },
      { action: 'codebuild:DeleteProject', resource: arn },
    ];
  },
  ...DATABASE_ACTIONS,
  'aws:codebuild/webhook:Webhook': (s) => [
    {
      action: 'codebuild:CreateWebhook',
      resource: `arn:aws:codebuild:${s.region}:${s.account}:project/${s.prefix}runner`,
    },
  ],
};
