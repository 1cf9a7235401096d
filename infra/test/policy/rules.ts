import t from 'tap';
import { policies } from '../../src/policy/rules.js';
import { runPolicies } from '../policy-harness.js';

const prodTags = { environment: 'prod' };

/** A cluster every rule accepts; each bad case below breaks one thing. */
const goodCluster = {
  name: 'c',
  vpcConfig: { endpointPublicAccess: false },
  encryptionConfig: { provider: { keyArn: 'k' }, resources: ['secrets'] },
  enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
  accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
};

/** One deliberately bad resource per rule, and the message the rule must give. */
const badCases: {
  policy: string;
  type: string;
  state: Record<string, unknown>;
  message: RegExp;
  /** Other resources a stack rule needs to see next to the bad one. */
  with?: { type: string; name: string; state: Record<string, unknown> }[];
}[] = [
  {
    policy: 's3-public-access-blocked',
    type: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
    state: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true },
    message: /blockPublicPolicy: true/,
  },
  {
    policy: 's3-owner-enforced',
    type: 'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
    state: { rule: { objectOwnership: 'ObjectWriter' } },
    message: /BucketOwnerEnforced/,
  },
  {
    policy: 'cloudfront-oac-sigv4',
    type: 'aws:cloudfront/originAccessControl:OriginAccessControl',
    state: { signingBehavior: 'no-override', signingProtocol: 'sigv4' },
    message: /sign always with sigv4/,
  },
  {
    policy: 'cloudfront-no-oai',
    type: 'aws:cloudfront/distribution:Distribution',
    state: {
      origins: [{ originId: 'site', s3OriginConfig: { originAccessIdentity: 'origin-access-identity/cloudfront/E1' } }],
      defaultCacheBehavior: { viewerProtocolPolicy: 'redirect-to-https' },
    },
    message: /uses an Origin Access Identity/,
  },
  {
    policy: 'cloudfront-https-only',
    type: 'aws:cloudfront/distribution:Distribution',
    state: { origins: [], defaultCacheBehavior: { viewerProtocolPolicy: 'allow-all' } },
    message: /allows plain HTTP/,
  },
  {
    policy: 'cloudfront-min-tls',
    type: 'aws:cloudfront/distribution:Distribution',
    state: {
      origins: [],
      aliases: ['zumo.example.com'],
      defaultCacheBehavior: { viewerProtocolPolicy: 'https-only' },
      viewerCertificate: { minimumProtocolVersion: 'TLSv1_2016', sslSupportMethod: 'sni-only' },
    },
    message: /TLSv1.2_2021 or newer/,
  },
  {
    policy: 'ecr-immutable-tags',
    type: 'aws:ecr/repository:Repository',
    state: { imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: true } },
    message: /IMMUTABLE/,
  },
  {
    policy: 'ecr-scan-on-push',
    type: 'aws:ecr/repository:Repository',
    state: { imageTagMutability: 'IMMUTABLE' },
    message: /scanOnPush: true/,
  },
  {
    policy: 'eks-endpoint-not-world-open',
    type: 'aws:eks/cluster:Cluster',
    state: { ...goodCluster, vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } },
    message: /must not contain 0.0.0.0\/0/,
  },
  {
    policy: 'eks-endpoint-not-world-open',
    type: 'aws:eks/cluster:Cluster',
    state: { ...goodCluster, vpcConfig: { endpointPublicAccess: true } },
    message: /without vpcConfig.publicAccessCidrs is open to 0.0.0.0\/0/,
  },
  {
    policy: 'eks-secrets-encrypted',
    type: 'aws:eks/cluster:Cluster',
    state: { ...goodCluster, encryptionConfig: undefined },
    message: /encryptionConfig/,
  },
  {
    policy: 'eks-control-plane-logs',
    type: 'aws:eks/cluster:Cluster',
    state: { ...goodCluster, enabledClusterLogTypes: ['api'] },
    message: /audit, authenticator/,
  },
  {
    policy: 'eks-access-entries-only',
    type: 'aws:eks/cluster:Cluster',
    state: {
      ...goodCluster,
      accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false },
    },
    message: /authenticationMode to API/,
  },
  {
    policy: 'eks-access-entries-only',
    type: 'aws:eks/cluster:Cluster',
    state: { ...goodCluster, accessConfig: { authenticationMode: 'API' } },
    message: /bootstrapClusterCreatorAdminPermissions: false/,
  },
  {
    policy: 'eks-access-no-system-masters',
    type: 'aws:eks/accessEntry:AccessEntry',
    state: { principalArn: 'arn:aws:iam::123456789012:role/x', kubernetesGroups: ['system:masters'] },
    message: /system:masters/,
  },
  {
    policy: 'nodes-imdsv2-one-hop',
    type: 'aws:ec2/launchTemplate:LaunchTemplate',
    state: { metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2 } },
    message: /httpTokens: required.*\| .*HopLimit: 1/,
  },
  {
    policy: 'nodes-imdsv2-one-hop',
    type: 'aws:ec2/launchTemplate:LaunchTemplate',
    state: {
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      networkInterfaces: [{ associatePublicIpAddress: 'true' }],
    },
    message: /no public IP/,
  },
  {
    policy: 'eks-node-groups-hardened',
    type: 'aws:eks/nodeGroup:NodeGroup',
    state: { remoteAccess: { ec2SshKey: 'key' } },
    message: /launchTemplate .*\| Do not set remoteAccess/,
  },
  {
    policy: 'eks-network-policies-enforced',
    type: 'aws:eks/addon:Addon',
    state: { addonName: 'vpc-cni', configurationValues: '{}' },
    message: /enableNetworkPolicy to "true"/,
  },
  {
    policy: 'sg-no-world-ingress',
    type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
    state: { cidrIpv4: '0.0.0.0/0', fromPort: 80, toPort: 80, ipProtocol: 'tcp' },
    message: /Do not admit 0.0.0.0\/0/,
  },
  {
    policy: 'sg-no-world-ingress',
    type: 'aws:ec2/securityGroup:SecurityGroup',
    state: { ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, ipv6CidrBlocks: ['::/0'] }] },
    message: /::\/0/,
  },
  {
    policy: 'alb-internal',
    type: 'aws:lb/loadBalancer:LoadBalancer',
    state: { internal: false, enableDeletionProtection: true },
    message: /internal: true/,
  },
  {
    policy: 'alb-ingress-from-cloudfront-only',
    type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
    state: { securityGroupId: 'sg-alb', cidrIpv4: '10.40.0.0/16', fromPort: 80, toPort: 80, ipProtocol: 'tcp' },
    with: [
      { type: 'aws:lb/loadBalancer:LoadBalancer', name: 'alb', state: { internal: true, securityGroups: ['sg-alb'] } },
    ],
    message:
      /admits 10\.40\.0\.0\/16 to ALB alb: admit the prefix list com\.amazonaws\.global\.cloudfront\.origin-facing/,
  },
  {
    policy: 'logs-kms-encrypted',
    type: 'aws:cloudwatch/logGroup:LogGroup',
    state: { retentionInDays: 14 },
    message: /kmsKeyId/,
  },
  {
    policy: 'eks-control-plane-log-group',
    type: 'aws:eks/cluster:Cluster',
    state: { ...goodCluster, name: 'zumo-dev-eks' },
    message: /logs to \/aws\/eks\/zumo-dev-eks\/cluster, which the stack does not declare/,
  },
  {
    policy: 'iam-no-wildcard-admin',
    type: 'aws:iam/rolePolicy:RolePolicy',
    state: {
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    },
    message: /allows "\*" on "\*"/,
  },
  {
    policy: 'iam-role-has-boundary',
    type: 'aws:iam/role:Role',
    state: { assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) },
    message: /Set permissionsBoundary/,
  },
  {
    policy: 'iam-oidc-trust-pinned',
    type: 'aws:iam/role:Role',
    state: {
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com' },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } },
          },
        ],
      }),
    },
    message: /Pin token.actions.githubusercontent.com:sub/,
  },
  {
    policy: 'logs-finite-retention',
    type: 'aws:cloudwatch/logGroup:LogGroup',
    state: { kmsKeyId: 'k' },
    message: /retentionInDays/,
  },
  {
    policy: 'prod-deletion-protection',
    type: 'aws:lb/loadBalancer:LoadBalancer',
    state: { tags: prodTags, enableDeletionProtection: false },
    message: /enableDeletionProtection/,
  },
  {
    policy: 'alarm-has-action',
    type: 'aws:cloudwatch/metricAlarm:MetricAlarm',
    state: { metricName: '5xxErrorRate', alarmActions: [], okActions: ['arn:aws:sns:us-east-1:123456789012:alerts'] },
    message: /Set alarmActions \(the alerts SNS topic\)/,
  },
  {
    policy: 'nat-per-az-in-prod',
    type: 'awsx:ec2:Vpc',
    state: { tags: prodTags, natGateways: { strategy: 'Single' }, vpcId: 'vpc-1' },
    message: /OnePerAz/,
  },
  {
    policy: 's3-encrypted',
    type: 'aws:s3/bucket:Bucket',
    state: { bucket: 'naked-bucket' },
    message: /Bucket bad-s3-encrypted has no BucketServerSideEncryptionConfiguration/,
  },
  {
    policy: 'vpc-flow-logs',
    type: 'awsx:ec2:Vpc',
    state: { natGateways: { strategy: 'Single' }, vpcId: 'vpc-unlogged' },
    message: /has no flow log/,
  },
];

t.test('the pack has at least 15 mandatory rules, each with a failing case here', async (t) => {
  t.ok(policies.length >= 15, `${policies.length} rules`);
  t.ok(
    policies.every((p) => p.enforcementLevel === 'mandatory'),
    'all mandatory',
  );
  const covered = new Set(badCases.map((c) => c.policy));
  t.same(
    policies.map((p) => p.name).filter((n) => !covered.has(n)),
    [],
    'every rule is exercised by a bad resource',
  );
});

t.test('each rule fires on a deliberately bad resource, with its message', async (t) => {
  for (const c of badCases) {
    const violations = await runPolicies([
      { type: c.type, name: `bad-${c.policy}`, state: c.state },
      ...(c.with ?? []),
    ]);
    const mine = violations.filter((v) => v.policy === c.policy);
    t.ok(mine.length > 0, `${c.policy} fires`);
    t.match(mine.map((v) => v.message).join(' | '), c.message, `${c.policy}: says what to change`);
  }
});
