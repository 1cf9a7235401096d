// The identity matrix, must never: what no CI role of a stack may do, whatever a job, a pull
// request or a compromised dependency asks: widen itself or its boundary, reach the other stack's
// resources, state or secrets, read data, or change what the other stack owns without its tag.
// Evaluated with a real IAM evaluator over what both stacks and infra/bootstrap declare.
import t from 'tap';
import { ACCOUNT } from '../mocks.js';
import { boundaryDocuments, declaredIam } from '../ci/declared.js';
import { BOOTSTRAP_DEV_DOMAIN, DEV_DOMAIN, DEV_WITH_DOMAIN } from '../ci/declared-variants.js';
import { decide, principalOf, type Request } from '../ci/simulate.js';
import { namesOf, needsOf, secretsKey, STATE_BUCKET, upTypes } from '../ci/requests.js';
import {
  boundaries,
  CONNECTION,
  declared,
  jobs,
  KINDS,
  other,
  principal,
  PROVIDER,
  REPO,
  roleIn,
  roleOf,
  STACKS,
} from './fixture.js';

t.test('no role widens itself, drops or edits its boundary, or makes an unbounded role', async (t) => {
  for (const stack of STACKS) {
    const boundary = namesOf(stack).boundaryArn;
    for (const kind of KINDS) {
      const me = principal(stack, kind);
      const mine = roleOf(stack, kind).arn;
      const never: Request[] = [
        {
          action: 'iam:AttachRolePolicy',
          resource: mine,
          context: {
            'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess',
            'iam:PermissionsBoundary': boundary,
          },
        },
        { action: 'iam:PutRolePolicy', resource: mine, context: { 'iam:PermissionsBoundary': boundary } },
        { action: 'iam:UpdateAssumeRolePolicy', resource: mine },
        { action: 'iam:DeleteRolePermissionsBoundary', resource: mine },
        { action: 'iam:CreatePolicyVersion', resource: boundary },
        { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/zumo-${stack}-free` },
        {
          action: 'iam:AttachRolePolicy',
          resource: `arn:aws:iam::${ACCOUNT}:role/zumo-${stack}-nodes-1234567`,
          context: {
            'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess',
            'iam:PermissionsBoundary': boundary,
          },
        },
        { action: 'iam:DeleteOpenIDConnectProvider', resource: PROVIDER },
        // Bootstrap's GitHub connection and CodeBuild's account-wide source credentials.
        { action: 'codeconnections:DeleteConnection', resource: CONNECTION },
        { action: 'codeconnections:UpdateConnectionInstallation', resource: CONNECTION },
        { action: 'codebuild:ImportSourceCredentials', resource: '*' },
        { action: 'codebuild:DeleteSourceCredentials', resource: '*' },
        { action: 's3:PutBucketVersioning', resource: `arn:aws:s3:::${STATE_BUCKET}` },
        {
          action: 'kms:ScheduleKeyDeletion',
          resource: secretsKey(stack),
          context: { 'aws:ResourceTag/stack': stack, 'aws:ResourceTag/purpose': 'pulumi-secrets' },
        },
        { action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::${STATE_BUCKET}` },
      ];
      for (const request of never)
        t.not(
          await decide(me, request),
          'Allowed',
          `${stack}-${kind} must never ${request.action} ${request.resource}`,
        );
    }
    // A preview opens the stack's secrets with its committed encryptedkey: kms:Decrypt only. It can
    // never mint a data key (kms:Encrypt), which a stack file without encryptedkey would need
    // (pulumi-cli/rules.ts): that preview fails instead of rewriting the file.
    t.equal(
      await decide(principal(stack, 'preview'), { action: 'kms:Decrypt', resource: secretsKey(stack) }),
      'Allowed',
    );
    t.not(
      await decide(principal(stack, 'preview'), { action: 'kms:Encrypt', resource: secretsKey(stack) }),
      'Allowed',
      `${stack}-preview must never kms:Encrypt with its secrets key`,
    );
  }
});

t.test("a stack's roles never touch the other stack's resources, state or secrets", async (t) => {
  // Resources with neither a name nor a tag of their stack (CloudFront policies and origin access
  // controls, Route 53 health checks before their tags) cannot be fenced by IAM in one account
  // (docs/delivery.md lists them); the account's AWS managed aws/ecr key serves both registries.
  // So do the RDS engine's default parameter groups, which every cluster creation names.
  const shared = (resource: string) => resource.endsWith(':key/aws-ecr') || /:(cluster-)?pg:default\./.test(resource);
  const UNFENCED = new Set([
    'cloudfront:CreateCachePolicy',
    'cloudfront:CreateOriginAccessControl',
    'cloudfront:CreateResponseHeadersPolicy',
    'route53:CreateHealthCheck',
    'route53:ChangeTagsForResource',
    'kms:CreateKey',
    'backup-storage:MountCapsule',
    // The private hosted zone of an interface endpoint belongs to AWS, not to a stack.
    'route53:AssociateVPCWithHostedZone',
    // RDS names its managed master secrets rds!cluster-<uuid>, whatever the stack; their value is
    // encrypted with the stack's own key, which the other stack may not use (kms:Decrypt is checked).
    'secretsmanager:CreateSecret',
    'secretsmanager:TagResource',
    'secretsmanager:GetSecretValue',
  ]);
  for (const stack of STACKS) {
    const them = other(stack);
    const theirs = upTypes(declared[them]).flatMap((type) => needsOf(type, namesOf(them)));
    const promotionReads = new Set([
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:BatchCheckLayerAvailability',
    ]);
    for (const kind of KINDS) {
      const me = principal(stack, kind);
      for (const need of theirs.filter((n) => !UNFENCED.has(n.action) && !shared(n.resource)))
        t.not(await decide(me, need), 'Allowed', `${stack}-${kind}: not ${need.action} on ${them}'s ${need.resource}`);
      const theirState: Request[] = [
        { action: 's3:GetObject', resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/zumo/${them}.json` },
        {
          action: 's3:PutObject',
          resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/locks/organization/zumo/${them}/x.json`,
        },
        { action: 'kms:Decrypt', resource: secretsKey(them), context: { 'aws:ResourceTag/stack': them } },
        { action: 's3:PutObject', resource: `${declared[them].resources.siteBucketArn}/index.html` },
        {
          action: 'cloudfront:CreateInvalidation',
          resource: declared[them].resources.distributionArn,
          context: { 'aws:ResourceTag/stack': them },
        },
        ...['ecr:PutImage', 'ecr:InitiateLayerUpload'].map((action) => ({
          action,
          resource: declared[them].resources.repositoryArn,
          context: { 'aws:ResourceTag/stack': them },
        })),
      ];
      for (const need of theirState)
        t.not(await decide(me, need), 'Allowed', `${stack}-${kind}: not ${need.action} on ${them}'s ${need.resource}`);
      // Reading images is the one thing prod's release role does on dev: that is how it promotes.
      // No other role reads the other stack's image data (layer existence is no data).
      const promotes = stack === 'prod' && kind === 'release';
      for (const action of promotionReads) {
        if (!promotes && action === 'ecr:BatchCheckLayerAvailability') continue;
        const read = await decide(me, {
          action,
          resource: declared[them].resources.repositoryArn,
          context: { 'aws:ResourceTag/stack': them },
        });
        t.equal(
          read === 'Allowed',
          promotes,
          `${stack}-${kind}: ${action} on ${them}'s images ${promotes ? 'allowed' : 'denied'}`,
        );
      }
    }
  }
});

t.test('a pull request (dev preview) never reads data, prod state or prod secrets', async (t) => {
  const pr = principal('dev', 'preview');
  const dev = declared.dev.resources;
  const never: Request[] = [
    { action: 's3:GetObject', resource: `${dev.siteBucketArn}/index.html` },
    { action: 's3:GetObject', resource: `${dev.reportsBucketArn}/test-reports/abc1234/index.html` },
    { action: 's3:GetObject', resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/zumo/prod.json` },
    { action: 's3:GetObject', resource: 'arn:aws:s3:::some-other-bucket/data.csv' },
    { action: 'kms:Decrypt', resource: secretsKey('prod'), context: { 'aws:ResourceTag/stack': 'prod' } },
    {
      action: 'logs:GetLogEvents',
      resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/eks/zumo-dev-eks/cluster:log-stream:x`,
    },
    { action: 'ecr:GetDownloadUrlForLayer', resource: dev.repositoryArn },
    { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:x` },
    // Data that AWS's ReadOnlyAccess reads: none of it is the program's configuration.
    { action: 'ssm:GetParameter', resource: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/db-password` },
    { action: 'lambda:GetFunction', resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:billing` },
    { action: 'dynamodb:PartiQLSelect', resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/users` },
    { action: 'kinesis:GetRecords', resource: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/events` },
    { action: 'sqs:ReceiveMessage', resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders` },
    { action: 'codecommit:GitPull', resource: `arn:aws:codecommit:eu-west-1:${ACCOUNT}:legacy` },
    { action: 'athena:GetQueryResults', resource: `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/primary` },
    { action: 'ec2:GetConsoleOutput', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123` },
    { action: 'ec2:GetPasswordData', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123` },
    { action: 'ec2:GetLaunchTemplateData', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123` },
    { action: 'wafv2:GetSampledRequests', resource: '*' },
    { action: 'cloudwatch:GetMetricData', resource: '*' },
    {
      action: 'codebuild:BatchGetProjects',
      resource: `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/payments-deploy`,
    },
    { action: 's3:GetObjectAttributes', resource: 'arn:aws:s3:::some-other-bucket/data.csv' },
    { action: 's3:PutObject', resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/zumo/dev.json` },
    {
      action: 'ec2:CreateVpc',
      resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/vpc-1`,
      context: { 'aws:RequestTag/stack': 'dev' },
    },
  ];
  for (const request of never)
    t.not(await decide(pr, request), 'Allowed', `a pull request must never ${request.action} ${request.resource}`);
  t.ok(
    jobs
      .filter((j) => j.subjects.includes(`repo:${REPO}:pull_request`))
      .every((j) => j.roles.every((r) => r.stack === 'dev' && r.kind === 'preview')),
    'pull requests only ever get the dev preview role',
  );
});

t.test("dev's infra role cannot change prod's untagged EC2 and load balancing resources", async (t) => {
  const dev = principal('dev', 'infra');
  const ec2 = (kind: string) => `arn:aws:ec2:eu-west-1:${ACCOUNT}:${kind}`;
  const never: Request[] = [
    // Resources AWS or a controller creates in prod without the stack tag.
    { action: 'ec2:ModifyInstanceAttribute', resource: ec2('instance/i-0prod') },
    { action: 'ec2:DeleteVolume', resource: ec2('volume/vol-0prod') },
    { action: 'ec2:DeleteSnapshot', resource: 'arn:aws:ec2:eu-west-1::snapshot/snap-0prod' },
    {
      // A VPC CNI interface of a prod node.
      action: 'ec2:DeleteNetworkInterface',
      resource: ec2('network-interface/eni-0prod'),
      context: { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': 'zumo-prod-eks' },
    },
    {
      // Prod's EKS-created cluster security group.
      action: 'ec2:AuthorizeSecurityGroupIngress',
      resource: ec2('security-group/sg-0prod'),
      context: { 'aws:ResourceTag/aws:eks:cluster-name': 'zumo-prod-eks' },
    },
    { action: 'ec2:AuthorizeSecurityGroupIngress', resource: ec2('security-group/sg-0other') },
    {
      // A rule tagged with the stack does not make someone else's group the stack's.
      action: 'ec2:AuthorizeSecurityGroupIngress',
      resource: ec2('security-group/sg-0other'),
      context: { 'aws:RequestTag/stack': 'dev', 'aws:TagKeys': ['stack'] },
    },
    { action: 'ec2:CreateRoute', resource: ec2('route-table/rtb-0other') },
    {
      // Taking an untagged resource over by tagging it with the stack.
      action: 'ec2:CreateTags',
      resource: ec2('network-interface/eni-0prod'),
      context: { 'aws:RequestTag/stack': 'dev', 'aws:TagKeys': ['stack'] },
    },
    {
      // Prod's default network ACL, which every prod subnet uses, before prod's first up tags it.
      action: 'ec2:CreateTags',
      resource: ec2('network-acl/acl-0prod'),
      context: { 'aws:RequestTag/stack': 'dev', 'aws:TagKeys': ['stack'] },
    },
    {
      // And once it carries prod's tag: one deny-all entry would cut every prod subnet off.
      action: 'ec2:CreateNetworkAclEntry',
      resource: ec2('network-acl/acl-0prod'),
      context: { 'aws:ResourceTag/stack': 'prod' },
    },
    {
      action: 'elasticloadbalancing:DeleteLoadBalancer',
      resource: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/other/1234567890abcdef`,
    },
    {
      action: 'elasticloadbalancing:AddTags',
      resource: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/other/1234567890abcdef`,
      context: { 'aws:RequestTag/stack': 'dev', 'aws:TagKeys': ['stack'] },
    },
  ];
  for (const request of never)
    t.not(await decide(dev, request), 'Allowed', `dev infra must never ${request.action} ${request.resource}`);
  // The dev nodes' VPC CNI may manage network interfaces, but not prod's pods' ones.
  const nodes = principal('dev', 'nodes');
  t.not(
    await decide(nodes, {
      action: 'ec2:DeleteNetworkInterface',
      resource: ec2('network-interface/eni-0prod'),
      context: { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': 'zumo-prod-eks' },
    }),
    'Allowed',
    "dev's node role must never delete a prod pod's network interface",
  );
  // Its own stack still works: the EKS cluster security group of dev carries only EKS's tags.
  t.equal(
    await decide(dev, {
      action: 'ec2:AuthorizeSecurityGroupIngress',
      resource: ec2('security-group/sg-0dev'),
      context: { 'aws:ResourceTag/aws:eks:cluster-name': 'zumo-dev-eks' },
    }),
    'Allowed',
    'dev infra opens rules on its own cluster security group',
  );
});

t.test("DNS records only in the stack's own hosted zone, under its own domain", async (t) => {
  const domain = DEV_DOMAIN;
  const withDomain = declaredIam('dev', DEV_WITH_DOMAIN);
  // Bootstrap names the stack's domain in its boundary (stackDomains), as docs/infra.md says to.
  const fenced = boundaryDocuments(BOOTSTRAP_DEV_DOMAIN);
  const dev = principalOf(roleIn(withDomain, 'infra'), fenced);
  const zone = (id: string) => `arn:aws:route53:::hostedzone/${id}`;
  const names = (...n: string[]) => ({ 'route53:ChangeResourceRecordSetsNormalizedRecordNames': n });
  const change = (id: string, ...n: string[]) => ({
    action: 'route53:ChangeResourceRecordSets',
    resource: zone(id),
    context: names(...n),
  });
  // The program's records: the alias of the domain, and ACM's validation record under it.
  t.equal(await decide(dev, change('ZDEV123', domain, `_0a1b.${domain}`)), 'Allowed');
  t.not(await decide(dev, change('ZPROD456', domain)), 'Allowed', "not prod's zone (or anyone else's)");
  t.not(await decide(dev, change('ZDEV123', 'zumo.example.com')), 'Allowed', 'not a name outside its domain');
  t.not(
    await decide(principalOf(roleIn(withDomain, 'infra'), boundaries), change('ZDEV123', domain)),
    'Allowed',
    'not while bootstrap gives the stack no domain',
  );
  const noDomain = principal('dev', 'infra');
  t.not(
    await decide(noDomain, change('ZPROD456', 'zumo.example.com')),
    'Allowed',
    'a stack without a domain changes no zone',
  );
});

t.test('the dev infra role cannot make itself admin, touch the other stack or make an unbounded role', async (t) => {
  const dev = principal('dev', 'infra');
  t.not(
    await decide(dev, {
      action: 'iam:AttachRolePolicy',
      resource: roleOf('dev', 'infra').arn,
      context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
    }),
    'Allowed',
    'no AdministratorAccess for itself',
  );
  t.not(
    await decide(dev, {
      action: 'ec2:DeleteSecurityGroup',
      resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-prod`,
      context: { 'aws:ResourceTag/stack': 'prod' },
    }),
    'Allowed',
    'dev cannot delete a prod security group',
  );
  t.not(
    await decide(dev, { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/zumo-dev-new` }),
    'Allowed',
    'no role without the permissions boundary',
  );
});

t.test('the pull request preview role is explicitly denied the prod state', async (t) => {
  t.equal(
    await decide(principal('dev', 'preview'), {
      action: 's3:GetObject',
      resource: `arn:aws:s3:::zumo-pulumi-state-${ACCOUNT}/.pulumi/stacks/zumo/prod.json`,
    }),
    'ExplicitlyDenied',
    'the PR preview role cannot read the prod state',
  );
});

t.test('no stack declares the account-wide GitHub OIDC provider', async (t) => {
  for (const d of Object.values(declared))
    t.notOk(d.resourceTypes.includes('aws:iam/openIdConnectProvider:OpenIdConnectProvider'), `${d.stack}: none`);
});
