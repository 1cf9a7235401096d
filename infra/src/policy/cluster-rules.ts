import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { CONTROL_PLANE_LOGS, controlPlaneLogGroupName } from '../lib/eks.js';
import { byType, onType } from './rule-kit.js';

const WORLD = ['0.0.0.0/0', '::/0'];

/** Rules for the cluster, its nodes and the network around them (aws.eks and aws.ec2 resources). */
export const clusterResourcePolicies: ResourceValidationPolicy[] = [
  onType(
    'eks-endpoint-not-world-open',
    'The EKS API is not open to the whole internet.',
    ['aws:eks/cluster:Cluster'],
    (p, report) => {
      const vpc = p['vpcConfig'] ?? {};
      if (vpc.endpointPublicAccess === false) return;
      const cidrs: string[] = vpc.publicAccessCidrs ?? [];
      if (cidrs.length === 0)
        report(
          'A public EKS endpoint without vpcConfig.publicAccessCidrs is open to 0.0.0.0/0; list the allowed CIDRs or set endpointPublicAccess: false.',
        );
      if (cidrs.some((c) => WORLD.includes(c))) report('vpcConfig.publicAccessCidrs must not contain 0.0.0.0/0.');
    },
  ),
  onType(
    'eks-secrets-encrypted',
    'Kubernetes secrets are envelope-encrypted with KMS.',
    ['aws:eks/cluster:Cluster'],
    (p, report) => {
      const config = p['encryptionConfig'];
      if (!config?.provider?.keyArn || !(config.resources ?? []).includes('secrets'))
        report('Set encryptionConfig: { provider: { keyArn }, resources: ["secrets"] }.');
    },
  ),
  onType(
    'eks-control-plane-logs',
    'The API, audit and authenticator logs are on.',
    ['aws:eks/cluster:Cluster'],
    (p, report) => {
      const missing = CONTROL_PLANE_LOGS.filter((log) => !(p['enabledClusterLogTypes'] ?? []).includes(log));
      if (missing.length) report(`Enable control-plane logs: ${missing.join(', ')}.`);
    },
  ),
  onType(
    'eks-access-entries-only',
    'Cluster access is granted with access entries, never implicitly: not aws-auth, not the creator bootstrap admin.',
    ['aws:eks/cluster:Cluster'],
    (p, report) => {
      const access = p['accessConfig'] ?? {};
      if (access.authenticationMode !== 'API')
        report('Set accessConfig.authenticationMode to API (access entries only).');
      if (access.bootstrapClusterCreatorAdminPermissions !== false)
        report(
          'Set accessConfig.bootstrapClusterCreatorAdminPermissions: false and give admins (including whoever runs pulumi up) an access entry.',
        );
    },
  ),
  onType(
    'eks-access-no-system-masters',
    'No access entry maps anyone to system:masters; access policies grant rights.',
    ['aws:eks/accessEntry:AccessEntry'],
    (p, report) => {
      if ((p['kubernetesGroups'] ?? []).includes('system:masters'))
        report('Do not map anyone to system:masters; use an access policy association.');
    },
  ),
  onType(
    'nodes-imdsv2-one-hop',
    'Instances require IMDSv2 with a hop limit of 1, so containers cannot take the instance role.',
    ['aws:ec2/launchTemplate:LaunchTemplate'],
    (p, report) => {
      const metadata = p['metadataOptions'] ?? {};
      if (metadata.httpTokens !== 'required') report('Set metadataOptions.httpTokens: required (IMDSv2 only).');
      if (metadata.httpPutResponseHopLimit !== 1) report('Set metadataOptions.httpPutResponseHopLimit: 1.');
      for (const nic of p['networkInterfaces'] ?? [])
        if (String(nic.associatePublicIpAddress) === 'true')
          report('Nodes get no public IP address (associatePublicIpAddress).');
    },
  ),
  onType(
    'eks-node-groups-hardened',
    'Node groups use a launch template (the default one allows two IMDS hops) and allow no SSH.',
    ['aws:eks/nodeGroup:NodeGroup'],
    (p, report) => {
      if (!p['launchTemplate']?.id && !p['launchTemplate']?.name)
        report('Give the node group a launchTemplate (IMDSv2, hop limit 1); the EKS default template allows 2 hops.');
      if (p['remoteAccess']) report('Do not set remoteAccess (SSH to nodes); use SSM if you must get in.');
    },
  ),
  onType(
    'eks-network-policies-enforced',
    'The VPC CNI enforces NetworkPolicies (it ignores them unless enableNetworkPolicy is on).',
    ['aws:eks/addon:Addon'],
    (p, report) => {
      if (p['addonName'] !== 'vpc-cni') return;
      const config = JSON.parse(p['configurationValues'] ?? '{}');
      if (config.enableNetworkPolicy !== 'true')
        report('Set the vpc-cni add-on configurationValues enableNetworkPolicy to "true".');
    },
  ),
  onType(
    'sg-no-world-ingress',
    'No security group admits the whole internet: public traffic enters through CloudFront only.',
    [
      'aws:ec2/securityGroup:SecurityGroup',
      'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
      'aws:ec2/securityGroupRule:SecurityGroupRule',
    ],
    (p, report, r) => {
      const ranges =
        r.type === 'aws:ec2/securityGroup:SecurityGroup'
          ? (p['ingress'] ?? []).flatMap((i: { cidrBlocks?: string[]; ipv6CidrBlocks?: string[] }) => [
              ...(i.cidrBlocks ?? []),
              ...(i.ipv6CidrBlocks ?? []),
            ])
          : r.type === 'aws:ec2/securityGroupRule:SecurityGroupRule'
            ? p['type'] === 'ingress'
              ? [...(p['cidrBlocks'] ?? []), ...(p['ipv6CidrBlocks'] ?? [])]
              : []
            : [p['cidrIpv4'], p['cidrIpv6']];
      if (ranges.some((c: string | undefined) => c !== undefined && WORLD.includes(c)))
        report('Do not admit 0.0.0.0/0 or ::/0; name the sources (a security group, the VPC range).');
    },
  ),
  onType(
    'alb-internal',
    'Load balancers are internal: CloudFront reaches them through a VPC origin.',
    ['aws:lb/loadBalancer:LoadBalancer'],
    (p, report) => {
      if (p['internal'] !== true) report('Set internal: true and put the ALB behind a CloudFront VPC origin.');
    },
  ),
];

export const clusterStackPolicies: StackValidationPolicy[] = [
  {
    name: 'alb-ingress-from-cloudfront-only',
    description:
      "An internal ALB's security groups admit CloudFront's origin-facing prefix list, never an address range.",
    enforcementLevel: 'mandatory',
    validateStack: (args, report) => {
      const ingress = byType(args.resources, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule');
      for (const alb of byType(args.resources, 'aws:lb/loadBalancer:LoadBalancer')) {
        const groups: unknown[] = alb.props['securityGroups'] ?? [];
        for (const rule of ingress.filter((r) => groups.includes(r.props['securityGroupId']))) {
          const range = rule.props['cidrIpv4'] ?? rule.props['cidrIpv6'];
          if (range)
            report(
              `${rule.name} admits ${range} to ALB ${alb.name}: admit the prefix list com.amazonaws.global.cloudfront.origin-facing instead (VPC origin traffic comes from it; a range lets other clients past the WAF, and a VPC range admits no CloudFront traffic at all).`,
            );
        }
      }
    },
  },
  {
    name: 'eks-control-plane-log-group',
    description: 'Control-plane logs go to a log group the stack declares (retention, KMS, deleted with it).',
    enforcementLevel: 'mandatory',
    validateStack: (args, report) => {
      const groups = new Set(byType(args.resources, 'aws:cloudwatch/logGroup:LogGroup').map((g) => g.props['name']));
      for (const cluster of byType(args.resources, 'aws:eks/cluster:Cluster')) {
        const expected = controlPlaneLogGroupName(cluster.props['name']);
        if ((cluster.props['enabledClusterLogTypes'] ?? []).length && !groups.has(expected))
          report(
            `Cluster ${cluster.name} logs to ${expected}, which the stack does not declare: EKS would create it without retention or KMS.`,
          );
      }
    },
  },
];
