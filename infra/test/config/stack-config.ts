import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { ConfigError } from '@zumo/config';
import { REPO_ROOT } from '../mocks.js';
import { SUPPORTED_KUBERNETES_VERSIONS, isPrivateVpcCidr, parseStackConfig } from '../../src/config/stack-config.js';

const base = {
  environment: 'dev',
  githubRepository: 'zumo-platform/zumo',
  stateBucketName: 'zumo-pulumi-state-123456789012',
  clusterAdminRoleArns: ['arn:aws:iam::123456789012:role/zumo-platform-admin'],
  githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/zumo-dev-boundary',
  githubConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
};
const prodBoundary = 'arn:aws:iam::123456789012:policy/zumo-prod-boundary';

t.test('defaults differ by environment', async (t) => {
  const dev = parseStackConfig(base, 'eu-west-1');
  const prod = parseStackConfig(
    {
      ...base,
      environment: 'prod',
      alertEmails: ['oncall@example.com'],
      permissionsBoundaryArn: prodBoundary,
      ciRunnerActorIds: [1234567],
    },
    'eu-west-1',
  );
  t.same(dev.ciRunnerActorIds, [], "dev's runner: no actor filter unless set");
  t.match(dev, {
    natGateways: 'single',
    waf: false,
    deletionProtection: false,
    argocdHighAvailability: false,
    vpcCidr: '10.40.0.0/16',
    alertEmails: [],
  });
  t.match(prod, {
    natGateways: 'perAz',
    waf: true,
    deletionProtection: true,
    argocdHighAvailability: true,
    interfaceEndpoints: true,
  });
  t.equal(dev.secretsKeyAlias, 'alias/zumo-pulumi-secrets-dev', 'each stack its own secrets key');
  t.equal(prod.secretsKeyAlias, 'alias/zumo-pulumi-secrets-prod');
  t.equal(prod.permissionsBoundaryArn, prodBoundary);
  t.ok(prod.nodeMinSize >= 3, 'prod keeps a node in each of three zones for its three web replicas');
  t.ok((SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(dev.kubernetesVersion));
});

interface Case {
  why: string;
  raw: Record<string, unknown>;
  key: string;
  allowed: RegExp;
  region?: string;
}

const cases: Case[] = [
  {
    why: 'not an address',
    raw: { alertEmails: ['oncall'] },
    key: 'zumo:alertEmails',
    allowed: /list of e-mail addresses/,
  },
  {
    why: 'prod alerts nobody',
    raw: { environment: 'prod', alertEmails: [] },
    key: 'zumo:alertEmails',
    allowed: /at least one address in prod/,
  },
  { why: 'unknown environment', raw: { environment: 'staging' }, key: 'zumo:environment', allowed: /one of dev, prod/ },
  { why: 'public CIDR', raw: { vpcCidr: '52.0.0.0/16' }, key: 'zumo:vpcCidr', allowed: /private \(RFC 1918\)/ },
  { why: 'CIDR too large', raw: { vpcCidr: '10.0.0.0/8' }, key: 'zumo:vpcCidr', allowed: /\/16 to \/18/ },
  { why: 'CIDR too small', raw: { vpcCidr: '10.40.0.0/24' }, key: 'zumo:vpcCidr', allowed: /\/16 to \/18/ },
  // awsx's own allocator throws "Subnets are too large for VPC" here, after the preview started.
  {
    why: 'a /20 holds no two AZs of subnets',
    raw: { vpcCidr: '10.40.0.0/20' },
    key: 'zumo:vpcCidr',
    allowed: /\/16 to \/18/,
  },
  {
    why: 'a /18 holds 3 AZs, not 4',
    raw: { vpcCidr: '10.40.0.0/18', availabilityZones: 4 },
    key: 'zumo:vpcCidr',
    allowed: /room for 4 AZs .* 20736 addresses; 10\.40\.0\.0\/18 has 16384 \(it holds at most 3 AZs\)/,
  },
  { why: 'not a network address', raw: { vpcCidr: '10.40.1.0/16' }, key: 'zumo:vpcCidr', allowed: /network address/ },
  { why: 'one AZ', raw: { availabilityZones: 1 }, key: 'zumo:availabilityZones', allowed: /at least 2 AZs/ },
  {
    why: 'single NAT in prod',
    raw: { environment: 'prod', natGateways: 'single' },
    key: 'zumo:natGateways',
    allowed: /perAz in prod/,
  },
  {
    why: 'odd retention',
    raw: { flowLogRetentionDays: 10 },
    key: 'zumo:flowLogRetentionDays',
    allowed: /CloudWatch retention periods/,
  },
  {
    why: 'unsupported Kubernetes',
    raw: { kubernetesVersion: '1.29' },
    key: 'zumo:kubernetesVersion',
    allowed: /EKS standard support/,
  },
  {
    why: 'no instance types',
    raw: { nodeInstanceTypes: [] },
    key: 'zumo:nodeInstanceTypes',
    allowed: /non-empty list/,
  },
  {
    why: 'min above max',
    raw: { nodeMinSize: 5, nodeMaxSize: 3 },
    key: 'zumo:nodeMinSize',
    allowed: /at most nodeMaxSize \(3\)/,
  },
  {
    why: 'desired outside range',
    raw: { nodeMinSize: 1, nodeDesiredSize: 9, nodeMaxSize: 3 },
    key: 'zumo:nodeDesiredSize',
    allowed: /from nodeMinSize \(1\) to nodeMaxSize \(3\)/,
  },
  {
    why: 'open API in prod',
    raw: { environment: 'prod', clusterPublicAccessCidrs: ['0.0.0.0/0'] },
    key: 'zumo:clusterPublicAccessCidrs',
    allowed: /not be open to the world/,
  },
  {
    why: "the stack files' placeholder left in place: the first up's workstation could not reach the API",
    raw: { clusterPublicAccessCidrs: ['198.18.0.0/15', '203.0.113.0/24'] },
    key: 'zumo:clusterPublicAccessCidrs',
    allowed: /egress addresses of whoever runs `pulumi up`.*not a documentation range/,
  },
  {
    why: 'an address inside a documentation range',
    raw: { clusterPublicAccessCidrs: ['192.0.2.10/32'] },
    key: 'zumo:clusterPublicAccessCidrs',
    allowed: /documentation range \(192\.0\.2\.0\/24, 198\.51\.100\.0\/24, 203\.0\.113\.0\/24/,
  },
  {
    why: 'malformed allow CIDR',
    raw: { clusterPublicAccessCidrs: ['10.0.0.300/32'] },
    key: 'zumo:clusterPublicAccessCidrs',
    allowed: /IPv4 CIDRs/,
  },
  {
    why: 'malformed repository',
    raw: { githubRepository: 'not a repo' },
    key: 'zumo:githubRepository',
    allowed: /owner\/name/,
  },
  {
    why: 'admin not a role ARN',
    raw: { clusterAdminRoleArns: ['arn:aws:iam::123:user/bob'] },
    key: 'zumo:clusterAdminRoleArns',
    allowed: /IAM role ARNs/,
  },
  {
    why: 'no admin at all',
    raw: { clusterAdminRoleArns: [] },
    key: 'zumo:clusterAdminRoleArns',
    allowed: /the role you run `pulumi up` with/,
  },
  {
    why: 'domain without zone',
    raw: { domainName: 'zumo.example.com' },
    key: 'zumo:hostedZoneId',
    allowed: /together with domainName/,
  },
  {
    why: 'bad domain',
    raw: { domainName: 'Not_A_Domain', hostedZoneId: 'Z0123456789ABC' },
    key: 'zumo:domainName',
    allowed: /DNS name/,
  },
  { why: 'bad price class', raw: { priceClass: 'PriceClass_50' }, key: 'zumo:priceClass', allowed: /PriceClass_100/ },
  {
    why: 'no deletion protection in prod',
    raw: { environment: 'prod', deletionProtection: false },
    key: 'zumo:deletionProtection',
    allowed: /true in prod/,
  },
  { why: 'ECR keep zero', raw: { ecrKeepReleases: 0 }, key: 'zumo:ecrKeepReleases', allowed: /from 1 to 1000/ },
  { why: 'WAF limit too low', raw: { wafRateLimitPer5Min: 5 }, key: 'zumo:wafRateLimitPer5Min', allowed: /from 10/ },
  {
    why: 'missing state bucket',
    raw: { stateBucketName: undefined },
    key: 'zumo:stateBucketName',
    allowed: /state backend/,
  },
  { why: 'bad KMS alias', raw: { secretsKeyAlias: 'zumo-key' }, key: 'zumo:secretsKeyAlias', allowed: /KMS alias/ },
  { why: 'bad state key alias', raw: { stateKeyAlias: 'state' }, key: 'zumo:stateKeyAlias', allowed: /KMS alias/ },
  {
    why: 'no OIDC provider from bootstrap',
    raw: { githubOidcProviderArn: undefined },
    key: 'zumo:githubOidcProviderArn',
    allowed: /GitHub OIDC provider \(infra\/bootstrap/,
  },
  {
    why: 'another provider than GitHub',
    raw: { githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/gitlab.com' },
    key: 'zumo:githubOidcProviderArn',
    allowed: /GitHub OIDC provider/,
  },
  {
    why: "the other stack's boundary",
    raw: { environment: 'prod', alertEmails: ['a@b.co'] },
    key: 'zumo:permissionsBoundaryArn',
    allowed: /policy\/zumo-prod-boundary/,
  },
  {
    why: 'boundary not a policy ARN',
    raw: { permissionsBoundaryArn: 'zumo-dev-boundary' },
    key: 'zumo:permissionsBoundaryArn',
    allowed: /permissions boundary/,
  },
  {
    why: 'connection not a CodeConnections ARN',
    raw: { githubConnectionArn: 'arn:aws:iam::123456789012:role/x' },
    key: 'zumo:githubConnectionArn',
    allowed: /GitHub connection/,
  },
  {
    why: 'subject prefix of another repository',
    raw: { githubOidcSubjectPrefix: 'repo:other@1/zumo@2' },
    key: 'zumo:githubOidcSubjectPrefix',
    allowed: /sub_claim_prefix/,
  },
  {
    why: 'subject prefix with one id only',
    raw: { githubOidcSubjectPrefix: 'repo:zumo-platform@123/zumo' },
    key: 'zumo:githubOidcSubjectPrefix',
    allowed: /repo:zumo-platform@<owner id>\/zumo@<repository id>/,
  },
  {
    why: 'subject prefix with a wildcard',
    raw: { githubOidcSubjectPrefix: 'repo:zumo-platform/*' },
    key: 'zumo:githubOidcSubjectPrefix',
    allowed: /repo:zumo-platform\/zumo/,
  },
  { why: 'typo in a key', raw: { vpcCdir: '10.40.0.0/16' }, key: 'zumo:vpcCdir', allowed: /no such key; known keys:/ },
  { why: 'not a boolean', raw: { waf: 'yes' }, key: 'zumo:waf', allowed: /true or false/ },
  {
    why: 'a login instead of an account id',
    raw: { ciRunnerActorIds: ['octocat'] },
    key: 'zumo:ciRunnerActorIds',
    allowed: /GitHub account ids \(numbers/,
  },
  {
    why: "prod's runner open to any actor",
    raw: { environment: 'prod', ciRunnerActorIds: [] },
    key: 'zumo:ciRunnerActorIds',
    allowed: /at least one GitHub account id in prod/,
  },
  { why: 'bad region', raw: {}, region: 'europe', key: 'aws:region', allowed: /eu-west-1/ },
  {
    why: 'a short branch name, which a tag of that name can shadow in Argo CD',
    raw: { gitRevision: 'deployed/prod' },
    key: 'zumo:gitRevision',
    allowed: /refs\/heads\/deployed\/prod/,
  },
  { why: 'an abbreviated commit', raw: { gitRevision: 'abc1234' }, key: 'zumo:gitRevision', allowed: /40-character/ },
  {
    why: 'not a git ref name',
    raw: { gitRevision: 'refs/heads/../main' },
    key: 'zumo:gitRevision',
    allowed: /refs\/heads\/<branch>/,
  },
];

t.test('Argo CD tracks a full ref or a commit: main by default, whatever tags exist', async (t) => {
  t.equal(parseStackConfig(base, 'eu-west-1').gitRevision, 'refs/heads/main', 'dev follows the branch main');
  for (const revision of ['refs/heads/deployed/prod', 'refs/tags/v1.2.3', 'a'.repeat(40)])
    t.equal(parseStackConfig({ ...base, gitRevision: revision }, 'eu-west-1').gitRevision, revision);
});

t.test('every rule refuses a bad value, naming the key, the value and what is allowed', async (t) => {
  for (const c of cases) {
    const error = t.throws(
      () => parseStackConfig({ ...base, ...c.raw }, c.region ?? 'eu-west-1'),
      ConfigError,
      c.why,
    ) as ConfigError;
    const problem = error.problems.find((p) => p.name === c.key);
    t.ok(problem, `${c.why}: ${c.key} is named (got ${error.problems.map((p) => p.name).join(', ')})`);
    t.match(problem?.allowed, c.allowed, `${c.why}: says what is allowed`);
    t.match(error.message, /^Invalid stack config/, `${c.why}: one stack config error`);
  }
});

t.test(
  'the API allow-list: a workstation address passes; dev may open it to the world, a private-only API is []',
  async (t) => {
    for (const cidrs of [['198.18.7.9/32', '100.64.0.0/10'], ['0.0.0.0/0'], []])
      t.same(
        parseStackConfig({ ...base, clusterPublicAccessCidrs: cidrs }, 'eu-west-1').clusterPublicAccessCidrs,
        cidrs,
      );
  },
);

t.test('the committed stack files are refused until their API allow-list placeholder is replaced', async (t) => {
  for (const stack of ['dev', 'prod']) {
    const { config } = parse(readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8')) as {
      config: Record<string, unknown>;
    };
    const raw = Object.fromEntries(
      Object.entries(config)
        .filter(([key]) => key.startsWith('zumo:'))
        .map(([key, value]) => [key.slice('zumo:'.length), value]),
    );
    const error = t.throws(() => parseStackConfig(raw, String(config['aws:region'])), ConfigError) as ConfigError;
    t.same(
      error.problems.map((p) => p.name),
      ['zumo:clusterPublicAccessCidrs'],
      `Pulumi.${stack}.yaml: only the placeholder is wrong`,
    );
  }
});

t.test('the OIDC subject prefix: the names by default, the immutable ids when GitHub sends them', async (t) => {
  t.equal(parseStackConfig(base, 'eu-west-1').githubOidcSubjectPrefix, 'repo:zumo-platform/zumo');
  const immutable = parseStackConfig(
    { ...base, githubOidcSubjectPrefix: 'repo:zumo-platform@123456/zumo@456789' },
    'eu-west-1',
  );
  t.equal(immutable.githubOidcSubjectPrefix, 'repo:zumo-platform@123456/zumo@456789');
});

t.test('isPrivateVpcCidr', async (t) => {
  for (const ok of ['10.40.0.0/16', '172.16.0.0/18', '192.168.0.0/16']) t.ok(isPrivateVpcCidr(ok), ok);
  for (const bad of ['8.8.0.0/16', '10.40.0.0/19', '10.40.0.0/20', '10.0.0.0/12', 'nonsense', '10.40.0.0'])
    t.notOk(isPrivateVpcCidr(bad), bad);
});
