// Must never: a role a stack's infra role creates reaches the other stack or the rest of the
// account. The infra role may create `zumo-<stack>-*` roles with any trust and any inline policy;
// only the stack's permissions boundary (infra/bootstrap, lib/boundary.ts) caps them. So the worst
// such role, `Action: *` on `Resource: *`, is evaluated here with the real evaluator under the
// boundary bootstrap declares, request by request: each is something that role could otherwise do
// to reach prod or the account (assume an admin role, rewrite prod's DNS, take over the registry,
// change prod's CloudFront policies, destroy account keys, read the account's buckets, ...).
import t from 'tap';
import { ACCOUNT } from './mocks.js';
import { boundaryDocuments } from './ci/declared.js';
import { BOOTSTRAP_STACK_DOMAINS, STACK_DOMAINS } from './ci/declared-variants.js';
import { decide, type Principal, type Request } from './ci/simulate.js';

const REGION = 'eu-west-1';
/** Bootstrap as an account with a domain per stack declares it (prod's zone holds dev's name too). */
const DOMAINS = STACK_DOMAINS;
const boundaries = boundaryDocuments(BOOTSTRAP_STACK_DOMAINS);
/** The account's GitHub connection (bootstrap's; the stacks name it in githubConnectionArn). */
const CONNECTION = `arn:aws:codeconnections:eu-west-1:${ACCOUNT}:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const created = (stack: string): Principal => ({
  arn: `arn:aws:iam::${ACCOUNT}:role/zumo-${stack}-created`,
  policies: [{ name: 'anything', policy: ADMIN }],
  boundary: boundaries[`arn:aws:iam::${ACCOUNT}:policy/zumo-${stack}-boundary`],
});
const arn = (service: string, rest: string, region = REGION) => `arn:aws:${service}:${region}:${ACCOUNT}:${rest}`;
const records = (...names: string[]) => ({ 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names });

/** What a created role of `stack` must never do, with `other` the other stack. */
function never(stack: 'dev' | 'prod', other: 'dev' | 'prod'): Request[] {
  const theirDomain = DOMAINS[other];
  const ec2 = (rest: string) => arn('ec2', rest);
  return [
    // STS: only the stack's own roles (an admin role of the account, e.g. in clusterAdminRoleArns).
    ...['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'].map((action) => ({
      action,
      resource: `arn:aws:iam::${ACCOUNT}:role/zumo-platform-admin`,
    })),
    { action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole` },
    { action: 'sts:AssumeRole', resource: `arn:aws:iam::999999999999:role/partner-admin` },
    // Route 53: no record outside the stack's own domain, nothing on zones or prod's health check.
    {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/ZPROD456',
      context: records(`www.${DOMAINS.prod}`),
    },
    {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/ZPROD456',
      context: records(theirDomain),
    },
    {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/ZOTHER',
      context: records(`${DOMAINS[stack]}`, 'payments.example.com'),
    },
    { action: 'route53:DeleteHostedZone', resource: 'arn:aws:route53:::hostedzone/ZPROD456' },
    { action: 'route53:DisableHostedZoneDNSSEC', resource: 'arn:aws:route53:::hostedzone/ZPROD456' },
    { action: 'route53:DeleteHealthCheck', resource: 'arn:aws:route53:::healthcheck/0a1b2c3d-prod' },
    // ECR: no registry-level settings, no other repository of the account.
    ...[
      'ecr:PutRegistryPolicy',
      'ecr:DeleteRegistryPolicy',
      'ecr:PutReplicationConfiguration',
      'ecr:PutRegistryScanningConfiguration',
      'ecr:CreatePullThroughCacheRule',
      'ecr:DeletePullThroughCacheRule',
      'ecr:PutAccountSetting',
      'ecr:CreateRepositoryCreationTemplate',
      'ecr:PutSigningConfiguration',
    ].map((action) => ({ action, resource: '*' })),
    { action: 'ecr:PutImage', resource: arn('ecr', 'repository/payments/api') },
    { action: 'ecr:DeleteRepository', resource: arn('ecr', 'repository/payments/api') },
    // CloudFront's untaggable, id-named objects: prod's headers, cache rules, origin access, functions.
    { action: 'cloudfront:UpdateResponseHeadersPolicy', resource: arn('cloudfront', 'response-headers-policy/p1', '') },
    { action: 'cloudfront:DeleteCachePolicy', resource: arn('cloudfront', 'cache-policy/p2', '') },
    { action: 'cloudfront:UpdateOriginRequestPolicy', resource: arn('cloudfront', 'origin-request-policy/p3', '') },
    { action: 'cloudfront:UpdateOriginAccessControl', resource: arn('cloudfront', 'origin-access-control/E1', '') },
    { action: 'cloudfront:UpdateFunction', resource: arn('cloudfront', 'function/rewrite', '') },
    { action: 'cloudfront:CreateCachePolicy', resource: '*' },
    // KMS: the account's keys (default key policies defer to IAM).
    ...['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DeleteImportedKeyMaterial'].map(
      (action) => ({ action, resource: arn('kms', 'key/1234abcd-account') }),
    ),
    // S3: the account's buckets (CloudTrail logs, other applications' data).
    { action: 's3:GetObject', resource: 'arn:aws:s3:::acme-cloudtrail/AWSLogs/x.json.gz' },
    { action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::acme-cloudtrail' },
    { action: 's3:DeleteBucket', resource: 'arn:aws:s3:::acme-cloudtrail' },
    { action: 's3:PutAccountPublicAccessBlock', resource: '*' },
    // Logs: account-wide policies would stream every log group (prod's too) elsewhere.
    { action: 'logs:PutAccountPolicy', resource: '*' },
    { action: 'logs:PutResourcePolicy', resource: '*' },
    { action: 'logs:GetLogEvents', resource: arn('logs', 'log-group:/aws/lambda/payments:log-stream:x') },
    { action: 'logs:DeleteLogGroup', resource: arn('logs', 'log-group:aws-cloudtrail-logs') },
    // CodeBuild: the account's projects run as their own roles; the account's GitHub connection.
    { action: 'codebuild:StartBuild', resource: arn('codebuild', 'project/payments-deploy') },
    { action: 'codebuild:UpdateProject', resource: arn('codebuild', 'project/payments-deploy') },
    { action: 'codeconnections:GetConnectionToken', resource: CONNECTION },
    { action: 'codeconnections:UseConnection', resource: CONNECTION },
    // Account-wide subscriptions and other people's users.
    { action: 'shield:CreateSubscription', resource: '*' },
    { action: 'cognito-idp:AdminCreateUser', resource: arn('cognito-idp', 'userpool/eu-west-1_payments') },
    { action: 'sns:Publish', resource: arn('sns', 'payments-events') },
    { action: 'sns:SetSMSAttributes', resource: '*' },
    { action: 'cloudwatch:DeleteAlarms', resource: arn('cloudwatch', 'alarm:payments-5xx') },
    { action: 'acm:DeleteCertificate', resource: arn('acm', 'certificate/0a1b', 'us-east-1') },
    { action: 'wafv2:DeleteWebACL', resource: arn('wafv2', 'global/webacl/payments/0a1b', 'us-east-1') },
    // EC2 settings of the whole account and region.
    ...[
      'ec2:DisableEbsEncryptionByDefault',
      'ec2:ModifyEbsDefaultKmsKeyId',
      'ec2:ModifyInstanceMetadataDefaults',
      'ec2:DisableImageBlockPublicAccess',
      'ec2:DisableSnapshotBlockPublicAccess',
      'ec2:ModifyVpcBlockPublicAccessOptions',
      'ec2:EnableSerialConsoleAccess',
    ].map((action) => ({ action, resource: '*' })),
    // The other stack's node groups' Auto Scaling groups carry EKS's tag, not the stack's.
    {
      action: 'autoscaling:UpdateAutoScalingGroup',
      resource: arn('autoscaling', `autoScalingGroup:0a1b:autoScalingGroupName/eks-zumo-${other}-general-0a1b`),
      context: { 'aws:ResourceTag/eks:cluster-name': `zumo-${other}-eks` },
    },
    {
      action: 'ec2:TerminateInstances',
      resource: ec2(`instance/i-0${other}`),
      context: { 'aws:ResourceTag/stack': other },
    },
    // The other VPC's defaults carry its stack's tag once its program adopts them (components/network.ts).
    ...[
      ['ec2:CreateNetworkAclEntry', 'network-acl/acl-0'],
      ['ec2:ReplaceNetworkAclEntry', 'network-acl/acl-0'],
      ['ec2:AuthorizeSecurityGroupIngress', 'security-group/sg-0'],
      ['ec2:CreateRoute', 'route-table/rtb-0'],
    ].map(([action, resource]) => ({
      action: action!,
      resource: ec2(`${resource}${other}`),
      context: { 'aws:ResourceTag/stack': other },
    })),
  ];
}

for (const [stack, other] of [
  ['dev', 'prod'],
  ['prod', 'dev'],
] as const)
  t.test(`a role ${stack}'s infra role creates, with Action * on *, under ${stack}'s boundary`, async (t) => {
    const me = created(stack);
    for (const request of never(stack, other))
      t.not(
        await decide(me, request),
        'Allowed',
        `must never ${request.action} ${request.resource}${request.context ? ` ${JSON.stringify(request.context)}` : ''}`,
      );
  });
