// What a first real run needs and what a pull request or a compromised dependency could do, one
// question per test, each evaluated over what both stacks and infra/bootstrap declare
// (identity-matrix.test.ts covers the rest).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { ACCOUNT, REPO_ROOT } from './mocks.js';
import { boundaryDocuments, declaredIam, type DeclaredIam } from './ci/declared.js';
import { decide, principalOf, type Principal, type Request } from './ci/simulate.js';
import { admits } from './ci/trust.js';
import { workflowJobs } from './ci/workflow-jobs.js';
import {
  BOOTSTRAP_DEV_DOMAIN,
  DEV_DOMAIN,
  DEV_WITH_DOMAIN,
  IMMUTABLE_SUBJECT_PREFIX,
  IMMUTABLE_SUBJECTS,
} from './ci/declared-variants.js';
import { BOUNDARY_SERVICES } from '../src/lib/boundary-caps.js';
import type { PolicyStatement } from '../src/lib/iam.js';

const REPO = 'zumo-platform/zumo';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const stacks = { dev: declaredIam('dev'), prod: declaredIam('prod') };
const boundaries = boundaryDocuments();
const role = (d: DeclaredIam, kind: string) => {
  const found = d.roles.find((r) => r.name === `zumo-${d.stack}-${kind}`);
  if (!found) throw new Error(`zumo-${d.stack}-${kind} is not declared`);
  return found;
};
const stackFile = (stack: string) =>
  (parse(readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> }).config;
const boundaryOf = (stack: string) => `arn:aws:iam::${ACCOUNT}:policy/zumo-${stack}-boundary`;
/** A role the infra role could create: any policy it likes, capped only by the stack's boundary. */
const createdRole = (stack: string, policy: unknown): Principal => ({
  arn: `arn:aws:iam::${ACCOUNT}:role/zumo-${stack}-created`,
  policies: [{ name: 'chosen', policy }],
  boundary: boundaries[boundaryOf(stack)],
});
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

t.test('a repository with immutable subject claims gets its roles on the first run', async (t) => {
  // GitHub's OIDC reference, "Immutable subject claims": repositories created, renamed or
  // transferred after 2026-07-15 send repo:OWNER@OWNER-ID/REPO@REPO-ID:<context>.
  const prefix = IMMUTABLE_SUBJECT_PREFIX;
  const immutable = { dev: declaredIam('dev', IMMUTABLE_SUBJECTS), prod: declaredIam('prod', IMMUTABLE_SUBJECTS) };
  for (const job of workflowJobs(prefix))
    for (const { stack, kind } of job.roles)
      for (const sub of job.subjects) {
        t.ok(admits(role(immutable[stack], kind).trust, PROVIDER, sub), `${stack}-${kind} admits ${job.id} as ${sub}`);
        const legacy = sub.replace(prefix, `repo:${REPO}`);
        t.notOk(admits(role(immutable[stack], kind).trust, PROVIDER, legacy), `and no longer ${legacy}`);
      }
});

t.test('a role the infra role creates cannot rewrite the CI identities', async (t) => {
  for (const d of Object.values(stacks)) {
    const created = createdRole(d.stack, ADMIN);
    for (const kind of ['release', 'preview', 'infra', 'runner']) {
      const target = role(d, kind).arn;
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
  // AWS Backup's managed service-role policies cover every service AWS Backup can protect; this
  // program backs up EBS volumes only (components/backups.ts), so the rest stays outside.
  const UNUSED_BY_BACKUP = [
    'backup-gateway',
    'cloudformation',
    'ds',
    'dsql',
    'dynamodb',
    'elasticfilesystem',
    'fsx',
    'guardduty',
    'rds',
    'redshift',
    'redshift-serverless',
    'ssm',
    'ssm-sap',
    'storagegateway',
    'timestream',
  ];
  // The load balancer controller's published policy also serves Ingress (certificates, WAF,
  // Shield, Cognito); here it only runs TargetGroupBindings (helm-values.ts), so they stay outside.
  const UNUSED_BY_LB_CONTROLLER = ['cognito-idp', 'shield', 'waf-regional'];
  // Capped to the stack's own ARNs, or to reads, by their own statements (lib/boundary-caps.ts).
  const inside = new Set([...BOUNDARY_SERVICES, 'ecr', 'eks', 'eks-auth', 'iam', 'logs', 'servicequotas', 'sts']);
  for (const d of Object.values(stacks))
    for (const declared of d.roles) {
      const { policies } = principalOf(declared, boundaries);
      const services = new Set(
        policies
          .flatMap(({ policy }) => [(policy as { Statement: unknown }).Statement].flat() as PolicyStatement[])
          .filter((s) => s.Effect === 'Allow')
          .flatMap((s) => [s.Action ?? []].flat())
          .map((action) => action.split(':')[0]!),
      );
      const backup = declared.managed.some((arn) => arn.includes('AWSBackupServiceRolePolicyFor'));
      const lbController = declared.name.endsWith('-lbc');
      for (const service of services)
        t.ok(
          inside.has(service) ||
            (backup && UNUSED_BY_BACKUP.includes(service)) ||
            (lbController && UNUSED_BY_LB_CONTROLLER.includes(service)),
          `${declared.name}: ${service} is inside the boundary`,
        );
    }
});

t.test('the boundaries and the roles fit IAM size limits (a first real up would fail otherwise)', async (t) => {
  const size = (doc: unknown) => JSON.stringify(doc).replace(/\s/g, '').length;
  // IAM quotas: a managed policy at most 6,144 characters, a role's inline policies 10,240 together
  // (whitespace not counted). identity-iam-size.test.ts measures the worst case of real inputs.
  for (const [arn, doc] of Object.entries(boundaries)) t.ok(size(doc) <= 6144, `${arn}: ${size(doc)} of 6144`);
  for (const d of Object.values(stacks))
    for (const declared of d.roles) {
      const inline = declared.inline.reduce((sum, { policy }) => sum + size(policy), 0);
      t.ok(inline <= 10240, `${declared.name}: inline ${inline} of 10240`);
      for (const { name, policy } of declared.customerManaged)
        t.ok(size(policy) <= 6144, `${declared.name}: ${name} ${size(policy)} of 6144`);
    }
});

t.test("dev's infra role cannot change prod's untagged EC2 and load balancing resources", async (t) => {
  const dev = principalOf(role(stacks.dev, 'infra'), boundaries);
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
  const nodes = principalOf(role(stacks.dev, 'nodes'), boundaries);
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
  const dev = principalOf(role(withDomain, 'infra'), fenced);
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
    await decide(principalOf(role(withDomain, 'infra'), boundaries), change('ZDEV123', domain)),
    'Allowed',
    'not while bootstrap gives the stack no domain',
  );
  const noDomain = principalOf(role(stacks.dev, 'infra'), boundaries);
  t.not(
    await decide(noDomain, change('ZPROD456', 'zumo.example.com')),
    'Allowed',
    'a stack without a domain changes no zone',
  );
});

t.test('the infra role can create interface endpoints with private DNS', async (t) => {
  // prod declares ECR and STS interface endpoints with privateDnsEnabled (components/network.ts).
  t.ok(stacks.prod.resourceTypes.includes('aws:ec2/vpcEndpoint:VpcEndpoint'));
  t.equal(
    await decide(principalOf(role(stacks.prod, 'infra'), boundaries), {
      action: 'route53:AssociateVPCWithHostedZone',
      resource: 'arn:aws:route53:::hostedzone/Z0AWSMANAGED',
    }),
    'Allowed',
  );
});

t.test("each stack's runner starts only for the workflows that use it, and in prod only for its actors", async (t) => {
  const jobs = workflowJobs(`repo:${REPO}`);
  for (const d of Object.values(stacks)) {
    const label = `codebuild-${d.resources.runnerProject}-`;
    const users = [...new Set(jobs.filter((j) => j.runsOn.startsWith(label)).map((j) => j.workflow))].sort();
    const [group, ...others] = d.resources.runnerWebhookFilters;
    t.same(others, [], `${d.stack}: one filter group`);
    const filter = (type: string) => group!.filters.find((f) => f.type === type)?.pattern;
    t.equal(filter('EVENT'), 'WORKFLOW_JOB_QUEUED', `${d.stack}: queued workflow jobs`);
    const names = new RegExp(filter('WORKFLOW_NAME') ?? '.*');
    for (const workflow of [...new Set(jobs.map((j) => j.workflow))])
      t.equal(
        names.test(workflow),
        users.includes(workflow),
        `${d.stack}: ${workflow} ${users.includes(workflow) ? 'may' : 'may not'} start the runner`,
      );
    t.notOk(names.test(`${users[0]}-copy`), `${d.stack}: whole names only`);
    // A pull request sets a workflow's name itself; the actor who queued the job it cannot (AWS
    // CodeBuild user guide, webhooks, best practices: ACTOR_ACCOUNT_ID filters).
    const actors = filter('ACTOR_ACCOUNT_ID');
    const configured = (stackFile(d.stack)['zumo:ciRunnerActorIds'] ?? []) as number[];
    if (d.stack === 'prod') t.ok(configured.length > 0, 'prod names the actors who may start its runner');
    if (configured.length === 0) {
      t.equal(actors, undefined, `${d.stack}: no actor filter when none is configured`);
      continue;
    }
    const allowed = new RegExp(actors ?? '.*');
    for (const id of configured) {
      t.ok(allowed.test(String(id)), `${d.stack}: ${id} may start the runner`);
      for (const stranger of [`${id}0`, `9${id}`, String(id + 1)])
        t.notOk(allowed.test(stranger), `${d.stack}: ${stranger} may not`);
    }
  }
  t.same(
    [...new Set(jobs.filter((j) => j.runsOn.startsWith('codebuild-zumo-prod-runner-')).map((j) => j.workflow))].sort(),
    ['drift', 'infra-up'],
    'no pull request workflow asks for the prod runner',
  );
});
