import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, grantsEverything, type PolicyStatement } from '../lib/iam.js';
import { byType, isProd, onType } from './rule-kit.js';
import { clusterResourcePolicies, clusterStackPolicies } from './cluster-rules.js';

/**
 * The Zumo policy pack: mandatory rules run on every preview and up (`--policy-pack infra/policy`)
 * and, in tests, against the mocked resources of both stacks. Each rule's message says what to change.
 */
const statements = (document: unknown): PolicyStatement[] => {
  const parsed = typeof document === 'string' ? JSON.parse(document) : document;
  return [parsed?.Statement ?? []].flat();
};
const TLS_ORDER = [
  'SSLv3',
  'TLSv1',
  'TLSv1_2016',
  'TLSv1.1_2016',
  'TLSv1.2_2018',
  'TLSv1.2_2019',
  'TLSv1.2_2021',
  'TLSv1.3_2025',
];

export const resourcePolicies: ResourceValidationPolicy[] = [
  onType(
    's3-public-access-blocked',
    'S3 buckets block every kind of public access.',
    ['aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock'],
    (p, report) => {
      for (const key of ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets']) {
        if (p[key] !== true) report(`S3 public access block must set ${key}: true.`);
      }
    },
  ),
  onType(
    's3-owner-enforced',
    'S3 buckets disable ACLs (BucketOwnerEnforced).',
    ['aws:s3/bucketOwnershipControls:BucketOwnershipControls'],
    (p, report) => {
      if (p['rule']?.objectOwnership !== 'BucketOwnerEnforced')
        report('S3 object ownership must be BucketOwnerEnforced (ACLs disabled).');
    },
  ),
  onType(
    'cloudfront-oac-sigv4',
    'CloudFront reaches S3 through Origin Access Control, signing always with SigV4.',
    ['aws:cloudfront/originAccessControl:OriginAccessControl'],
    (p, report) => {
      if (p['signingBehavior'] !== 'always' || p['signingProtocol'] !== 'sigv4')
        report('Origin Access Control must sign always with sigv4.');
    },
  ),
  onType(
    'cloudfront-no-oai',
    'No legacy Origin Access Identity: S3 origins use OAC.',
    ['aws:cloudfront/distribution:Distribution', 'aws:cloudfront/originAccessIdentity:OriginAccessIdentity'],
    (p, report, r) => {
      if (r.type.endsWith('OriginAccessIdentity'))
        return report('Use an Origin Access Control instead of an Origin Access Identity.');
      for (const origin of p['origins'] ?? []) {
        if (origin.s3OriginConfig?.originAccessIdentity)
          report(`Origin ${origin.originId} uses an Origin Access Identity; use originAccessControlId.`);
      }
    },
  ),
  onType(
    'cloudfront-https-only',
    'Viewers are redirected to HTTPS on every behaviour.',
    ['aws:cloudfront/distribution:Distribution'],
    (p, report) => {
      for (const behavior of [p['defaultCacheBehavior'], ...(p['orderedCacheBehaviors'] ?? [])].filter(Boolean)) {
        if (!['redirect-to-https', 'https-only'].includes(behavior.viewerProtocolPolicy)) {
          report(
            `Behaviour ${behavior.pathPattern ?? 'default'} allows plain HTTP; set viewerProtocolPolicy to redirect-to-https.`,
          );
        }
      }
    },
  ),
  onType(
    'cloudfront-min-tls',
    'Custom domains use SNI with TLS 1.2 (2021 policy) or newer.',
    ['aws:cloudfront/distribution:Distribution'],
    (p, report) => {
      if (!(p['aliases'] ?? []).length) return;
      const certificate = p['viewerCertificate'] ?? {};
      if (TLS_ORDER.indexOf(certificate.minimumProtocolVersion) < TLS_ORDER.indexOf('TLSv1.2_2021'))
        report('With a custom domain, set viewerCertificate.minimumProtocolVersion to TLSv1.2_2021 or newer.');
      if (certificate.sslSupportMethod !== 'sni-only')
        report('With a custom domain, set viewerCertificate.sslSupportMethod to sni-only.');
    },
  ),
  onType(
    'ecr-immutable-tags',
    'Image tags are immutable: a release SHA always means the same image.',
    ['aws:ecr/repository:Repository'],
    (p, report) => {
      if (p['imageTagMutability'] !== 'IMMUTABLE') report('ECR repositories must set imageTagMutability: IMMUTABLE.');
    },
  ),
  onType('ecr-scan-on-push', 'Images are scanned on push.', ['aws:ecr/repository:Repository'], (p, report) => {
    if (p['imageScanningConfiguration']?.scanOnPush !== true)
      report('ECR repositories must set imageScanningConfiguration.scanOnPush: true.');
  }),
  onType(
    'iam-no-wildcard-admin',
    'No IAM policy grants every action on every resource.',
    ['aws:iam/rolePolicy:RolePolicy', 'aws:iam/policy:Policy', 'aws:iam/rolePolicyAttachment:RolePolicyAttachment'],
    (p, report, r) => {
      if (r.type.endsWith('RolePolicyAttachment')) {
        if (String(p['policyArn']).endsWith(':policy/AdministratorAccess'))
          report('Do not attach AdministratorAccess; grant the actions the role needs.');
        return;
      }
      if (statements(p['policy']).some(grantsEverything))
        report('A statement allows "*" on "*"; name the actions and resources.');
    },
  ),
  onType(
    'iam-oidc-trust-pinned',
    'Roles trusted by GitHub OIDC pin the audience and exact subjects.',
    ['aws:iam/role:Role'],
    (p, report) => {
      const trust = statements(p['assumeRolePolicy']);
      for (const statement of trust) {
        const federated = JSON.stringify((statement as { Principal?: unknown }).Principal ?? '');
        if (!federated.includes(GITHUB_OIDC_HOST) && !federated.includes('oidc-provider')) continue;
        const equals = statement.Condition?.['StringEquals'] ?? {};
        const subjects = [equals[`${GITHUB_OIDC_HOST}:sub`] ?? []].flat();
        if (equals[`${GITHUB_OIDC_HOST}:aud`] !== GITHUB_OIDC_AUDIENCE)
          report(`Pin ${GITHUB_OIDC_HOST}:aud to ${GITHUB_OIDC_AUDIENCE} with StringEquals.`);
        if (subjects.length === 0 || subjects.some((s) => s.includes('*')))
          report(`Pin ${GITHUB_OIDC_HOST}:sub to exact subjects with StringEquals (no wildcards).`);
        if (statement.Condition?.['StringLike']) report('Do not use StringLike in a GitHub OIDC trust policy.');
      }
    },
  ),
  onType(
    'iam-role-has-boundary',
    "Every IAM role carries a permissions boundary (the stack's, from infra/bootstrap).",
    ['aws:iam/role:Role'],
    (p, report) => {
      if (typeof p['permissionsBoundary'] !== 'string' || !p['permissionsBoundary'])
        report(
          "Set permissionsBoundary to the stack's boundary (zumo:permissionsBoundaryArn); CI may create no role without it.",
        );
    },
  ),
  onType(
    'logs-finite-retention',
    'Log groups expire their logs.',
    ['aws:cloudwatch/logGroup:LogGroup'],
    (p, report) => {
      if (!(p['retentionInDays'] > 0)) report('Set retentionInDays on every log group.');
    },
  ),
  onType(
    'logs-kms-encrypted',
    'Log groups are encrypted with a customer managed KMS key (they hold addresses and API calls).',
    ['aws:cloudwatch/logGroup:LogGroup'],
    (p, report) => {
      if (!p['kmsKeyId']) report('Set kmsKeyId on every log group (the stack logs key, components/logs-key.ts).');
    },
  ),
  onType(
    'prod-deletion-protection',
    'In prod, data and entry points are protected from deletion.',
    ['aws:lb/loadBalancer:LoadBalancer', 'aws:eks/cluster:Cluster', 'aws:ecr/repository:Repository'],
    (p, report, r) => {
      if (!isProd(p)) return;
      if (r.type === 'aws:ecr/repository:Repository' && p['forceDelete'] === true)
        report('In prod, ECR repositories must not set forceDelete.');
      if (r.type === 'aws:lb/loadBalancer:LoadBalancer' && p['enableDeletionProtection'] !== true)
        report('In prod, set enableDeletionProtection on the load balancer.');
      if (r.type === 'aws:eks/cluster:Cluster' && p['deletionProtection'] !== true)
        report('In prod, set deletionProtection on the cluster.');
    },
  ),
  onType(
    'alarm-has-action',
    'Every CloudWatch alarm notifies someone when it fires and when it recovers.',
    ['aws:cloudwatch/metricAlarm:MetricAlarm'],
    (p, report) => {
      if (p['actionsEnabled'] === false) report('Do not disable alarm actions (actionsEnabled: false).');
      for (const key of ['alarmActions', 'okActions']) {
        const actions = [p[key] ?? []].flat().filter((a: unknown) => typeof a === 'string' && a.length > 0);
        if (actions.length === 0) report(`Set ${key} (the alerts SNS topic): an alarm that tells nobody is no alarm.`);
      }
    },
  ),
  onType('nat-per-az-in-prod', 'Prod has a NAT gateway in every AZ.', ['awsx:ec2:Vpc'], (p, report) => {
    if (isProd(p) && p['natGateways']?.strategy !== 'OnePerAz')
      report('In prod, set natGateways.strategy to OnePerAz.');
  }),
  ...clusterResourcePolicies,
];

export const stackPolicies: StackValidationPolicy[] = [
  {
    name: 's3-encrypted',
    description: 'Every S3 bucket has default server-side encryption.',
    enforcementLevel: 'mandatory',
    validateStack: (args, report) => {
      const encrypted = new Set(
        byType(
          args.resources,
          'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
        ).map((r) => r.props['bucket']),
      );
      for (const bucket of byType(args.resources, 'aws:s3/bucket:Bucket')) {
        if (bucket.props['bucket'] !== undefined && !encrypted.has(bucket.props['bucket']))
          report(`Bucket ${bucket.name} has no BucketServerSideEncryptionConfiguration.`);
      }
    },
  },
  {
    name: 'vpc-flow-logs',
    description: 'Every VPC has flow logs.',
    enforcementLevel: 'mandatory',
    validateStack: (args, report) => {
      const vpcs = [...byType(args.resources, 'awsx:ec2:Vpc'), ...byType(args.resources, 'aws:ec2/vpc:Vpc')];
      const logged = new Set(byType(args.resources, 'aws:ec2/flowLog:FlowLog').map((r) => r.props['vpcId']));
      for (const vpc of vpcs) {
        const id = vpc.props['vpcId'] ?? vpc.props['id'];
        if (id !== undefined && !logged.has(id)) report(`VPC ${vpc.name} has no flow log.`);
      }
    },
  },
];

stackPolicies.push(...clusterStackPolicies);

export const policies = [...resourcePolicies, ...stackPolicies];
