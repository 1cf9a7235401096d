// The identity matrix, must never, for the roles the infra role creates: it may create
// `zumo-<stack>-*` roles with any trust and any inline policy, and only the stack's permissions
// boundary (infra/bootstrap, lib/boundary.ts) caps them. So the worst such role, `Action: *` on
// `Resource: *`, is evaluated with the real evaluator under the boundary bootstrap declares,
// request by request: each is something that role could otherwise do to reach prod or the account
// (assume an admin role, rewrite prod's DNS, take over the registry, change prod's CloudFront
// policies, destroy account keys, read the account's buckets, rewrite the CI identities, ...).
import t from 'tap';
import { ACCOUNT } from '../mocks.js';
import { boundaryDocuments } from '../ci/declared.js';
import { BOOTSTRAP_STACK_DOMAINS, STACK_DOMAINS } from '../ci/declared-variants.js';
import { decide, principalOf, type Principal, type Request } from '../ci/simulate.js';
import { BOUNDARY_SERVICES } from '../../src/lib/boundary-caps.js';
import type { PolicyStatement } from '../../src/lib/iam.js';
import { ADMIN, boundaries, boundaryOf, CONNECTION, createdRole, declared, principal, roleIn } from './fixture.js';

const REGION = 'eu-west-1';
/** Bootstrap as an account with a domain per stack declares it (prod's zone holds dev's name too). */
const DOMAINS = STACK_DOMAINS;
const withDomains = boundaryDocuments(BOOTSTRAP_STACK_DOMAINS);
const created = (stack: string): Principal => createdRole(stack, ADMIN, withDomains);
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

t.test('a role the infra role creates cannot rewrite the CI identities', async (t) => {
  for (const d of Object.values(declared)) {
    const created = createdRole(d.stack, ADMIN);
    for (const kind of ['release', 'preview', 'infra', 'runner']) {
      const target = roleIn(d, kind).arn;
      const requests: Request[] = [
        { action: 'iam:UpdateAssumeRolePolicy', resource: target },
        { action: 'iam:PutRolePolicy', resource: target, context: { 'iam:PermissionsBoundary': boundaryOf(d.stack) } },
        {
          action: 'iam:AttachRolePolicy',
          resource: target,
          context: {
            'iam:PermissionsBoundary': boundaryOf(d.stack),
            'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
          },
        },
        { action: 'iam:DeleteRole', resource: target },
      ];
      for (const request of requests)
        t.not(await decide(created, request), 'Allowed', `${d.stack}: not ${request.action} on the ${kind} role`);
    }
  }
});

t.test('the boundary allows only the services the program uses', async (t) => {
  const created = createdRole('dev', ADMIN);
  for (const action of [
    'lambda:CreateFunction',
    'ssm:GetParameter',
    'secretsmanager:GetSecretValue',
    'dynamodb:Scan',
    'sqs:SendMessage',
    'organizations:LeaveOrganization',
  ])
    t.not(
      await decide(created, { action, resource: '*' }),
      'Allowed',
      `a created admin role is still refused ${action}`,
    );
});

t.test('every service a declared role is granted is inside the boundary, or knowingly unused', async (t) => {
  // The load balancer controller's published policy also serves Ingress (certificates, WAF,
  // Shield, Cognito); here it only runs TargetGroupBindings (helm-values.ts), so they stay outside.
  const UNUSED_BY_LB_CONTROLLER = ['cognito-idp', 'shield', 'waf-regional'];
  // Capped to the stack's own ARNs, or to reads, by their own statements (lib/boundary-caps.ts).
  const inside = new Set([...BOUNDARY_SERVICES, 'ecr', 'eks', 'eks-auth', 'iam', 'logs', 'servicequotas', 'sts']);
  for (const d of Object.values(declared))
    for (const declared of d.roles) {
      const { policies } = principalOf(declared, boundaries);
      const services = new Set(
        policies
          .flatMap(({ policy }) => [(policy as { Statement: unknown }).Statement].flat() as PolicyStatement[])
          .filter((s) => s.Effect === 'Allow')
          .flatMap((s) => [s.Action ?? []].flat())
          .map((action) => action.split(':')[0]!),
      );
      const lbController = declared.name.endsWith('-lbc');
      for (const service of services)
        t.ok(
          inside.has(service) || (lbController && UNUSED_BY_LB_CONTROLLER.includes(service)),
          `${declared.name}: ${service} is inside the boundary`,
        );
    }
});

t.test(
  "no role of a stack, nor a role the infra role creates, writes, attaches or detaches the infra role's managed policies",
  async (t) => {
    // They hold the infra role's rights: whoever could add a version to one, or attach it to a role
    // they can assume, would hold them too. Only an admin's `up` writes them (docs/delivery.md).
    for (const d of Object.values(declared)) {
      const boundary = boundaryOf(d.stack);
      const infra = roleIn(d, 'infra');
      const principals: [string, Principal][] = [
        ...['release', 'publish', 'preview', 'infra'].map((kind): [string, Principal] => [
          kind,
          principal(d.stack, kind),
        ]),
        // A role the infra role could create with any policy: only the boundary caps it.
        ['a role the infra role creates', createdRole(d.stack, ADMIN)],
      ];
      t.equal(infra.customerManaged.length, 3, `${d.stack}: the infra role's managed policies are declared`);
      for (const { arn } of infra.customerManaged) {
        const never: Request[] = [
          ...['CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicyVersion', 'DeletePolicy', 'TagPolicy'].map(
            (action) => ({ action: `iam:${action}`, resource: arn }),
          ),
          { action: 'iam:CreatePolicy', resource: arn.replace(/-(core|network|services)$/, '-more') },
          {
            action: 'iam:AttachRolePolicy',
            resource: `arn:aws:iam::${ACCOUNT}:role/zumo-${d.stack}-created`,
            context: { 'iam:PolicyARN': arn, 'iam:PermissionsBoundary': boundary },
          },
          { action: 'iam:DetachRolePolicy', resource: infra.arn, context: { 'iam:PolicyARN': arn } },
        ];
        for (const [who, principal] of principals)
          for (const request of never)
            t.not(
              await decide(principal, request),
              'Allowed',
              `${d.stack}: ${who} must never ${request.action} ${request.resource}`,
            );
      }
      // The fence is no wider than that: the infra role still attaches AWS managed policies to its roles.
      t.equal(
        await decide(principal(d.stack, 'infra'), {
          action: 'iam:AttachRolePolicy',
          resource: `arn:aws:iam::${ACCOUNT}:role/zumo-${d.stack}-nodes-1234567`,
          context: {
            'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
            'iam:PermissionsBoundary': boundary,
          },
        }),
        'Allowed',
        `${d.stack}: the infra role attaches AWS managed policies to the roles it creates`,
      );
    }
  },
);
