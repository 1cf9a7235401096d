import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
// @ts-expect-error -- the SDK's run state is internal (no types); applyTransformsInProcess needs it
import { getStore } from '@pulumi/pulumi/runtime/state.js';
import { parse } from 'yaml';
import { captureRegistrations, type Recorded, type Registered } from './record-registrations.js';
import { SECRET_KEYS } from '../src/config/config-keys.js';

export type { Recorded, Registered } from './record-registrations.js';

export const ACCOUNT = '123456789012';
export const REPO_ROOT = join(import.meta.dirname, '../..');

/** Outputs the engine would compute, for the types whose outputs the program reads. */
function computedOutputs(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const arn = (service: string, kind: string) => `arn:aws:${service}:eu-west-1:${ACCOUNT}:${kind}/${name}`;
  switch (type) {
    case 'awsx:ec2:Vpc':
      return {
        vpcId: `vpc-${name}`,
        privateSubnetIds: ['subnet-private-a', 'subnet-private-b', 'subnet-private-c'],
        publicSubnetIds: ['subnet-public-a', 'subnet-public-b', 'subnet-public-c'],
        isolatedSubnetIds: ['subnet-isolated-a', 'subnet-isolated-b', 'subnet-isolated-c'],
        routeTables: [{ id: 'rtb-a' }, { id: 'rtb-b' }],
        // The VPC as awsx returns it; AWS creates its default ACL, security group and main route table.
        vpc: {
          id: `vpc-${name}`,
          defaultNetworkAclId: `acl-default-${name}`,
          defaultSecurityGroupId: `sg-default-${name}`,
          mainRouteTableId: `rtb-main-${name}`,
        },
      };
    case 'aws:eks/cluster:Cluster':
      return {
        arn: arn('eks', 'cluster'),
        endpoint: `https://${name}.gr7.eu-west-1.eks.amazonaws.com`,
        certificateAuthority: { data: 'LS0tLS1CRUdJTi==' },
        // EKS creates the cluster security group; nodes and pods carry it.
        vpcConfig: { ...inputs['vpcConfig'], clusterSecurityGroupId: 'sg-cluster' },
      };
    case 'aws:ec2/launchTemplate:LaunchTemplate':
      return { latestVersion: 1 };
    case 'aws:eks/accessEntry:AccessEntry':
      return { principalArn: inputs['principalArn'] };
    case 'aws:s3/bucket:Bucket':
      return {
        bucket: `${name}-bucket`,
        arn: `arn:aws:s3:::${name}-bucket`,
        bucketRegionalDomainName: `${name}-bucket.s3.eu-west-1.amazonaws.com`,
      };
    case 'aws:ecr/repository:Repository':
      // ECR names the ARN after the repository's name (zumo/web-dev), not the resource's.
      return {
        arn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/${inputs['name']}`,
        repositoryUrl: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${inputs['name']}`,
      };
    case 'aws:cloudfront/distribution:Distribution':
      return {
        arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E${name.length}ABC`,
        domainName: 'd111111abcdef8.cloudfront.net',
        hostedZoneId: 'Z2FDTNDATAQYW2',
      };
    case 'aws:lb/loadBalancer:LoadBalancer':
      return {
        arn: arn('elasticloadbalancing', 'loadbalancer/app'),
        arnSuffix: `app/${name}/50dc6c495c0c9188`,
        dnsName: `internal-${name}.eu-west-1.elb.amazonaws.com`,
      };
    case 'aws:lb/targetGroup:TargetGroup':
      // Pulumi names a target group after the resource with a random suffix (autonaming).
      return {
        arn: arn('elasticloadbalancing', 'targetgroup'),
        arnSuffix: `targetgroup/${name}/73e2d6bc24d8a067`,
        name: inputs['name'] ?? `${name}-4f1c2d7`,
      };
    case 'random:index/randomPassword:RandomPassword':
      return { result: 'x'.repeat(Number(inputs['length'])) };
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, name };
    case 'aws:iam/policy:Policy':
      return { arn: `arn:aws:iam::${ACCOUNT}:policy/${inputs['name'] ?? name}`, name: inputs['name'] ?? name };
    case 'aws:codebuild/project:Project':
      return { arn: arn('codebuild', 'project'), name: inputs['name'] };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return {
        arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${inputs['name'] ?? name}`,
        name: inputs['name'] ?? name,
      };
    case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
      return { arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` };
    case 'aws:acm/certificate:Certificate':
      return {
        arn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/${name}`,
        domainValidationOptions: [
          {
            resourceRecordName: `_x.${inputs['domainName']}.`,
            resourceRecordType: 'CNAME',
            resourceRecordValue: '_y.acm-validations.aws.',
          },
        ],
      };
    case 'aws:rds/cluster:Cluster':
      return {
        arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:${name}-1234567`,
        clusterResourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXY',
        endpoint: `${name}.cluster-c123456.eu-west-1.rds.amazonaws.com`,
        readerEndpoint: `${name}.cluster-ro-c123456.eu-west-1.rds.amazonaws.com`,
        engineVersion: inputs['engineVersion'],
        // manageMasterUserPassword: RDS creates the secret (named rds!cluster-<id>).
        masterUserSecrets: [
          {
            secretArn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rds!cluster-0000-AbCdEf`,
            secretStatus: 'active',
          },
        ],
      };
    default:
      return { arn: `arn:aws:mock:eu-west-1:${ACCOUNT}:${type}/${name}` };
  }
}

/**
 * AWS-managed prefix lists as EC2 describes them: the id is per region (eu-west-1 here), maxEntries
 * is the list's weight against a security group's rule quota (Amazon VPC User Guide, "AWS-managed
 * prefix list weight": 55 for CloudFront), entries abridged to a few of CloudFront's
 * CLOUDFRONT_ORIGIN_FACING ranges (ip-ranges.json). The reachability model resolves rules with it.
 */
export const MANAGED_PREFIX_LISTS = [
  {
    name: 'com.amazonaws.global.cloudfront.origin-facing',
    id: 'pl-4fa04526',
    maxEntries: 55,
    cidrs: ['130.176.0.0/18', '64.252.64.0/18', '15.158.0.0/16'],
  },
] as const;

/**
 * The GitHub connection as the lookup finds it: AVAILABLE, as an admin leaves it after completing
 * the handshake bootstrap cannot do (docs/infra.md, deploy from zero). A test may set another status.
 */
export const GITHUB_CONNECTION = { status: 'AVAILABLE' };

/**
 * The account's CodeBuild quota for the runner's compute type as Service Quotas reports it: raised
 * to what both stacks need, as the prerequisites in docs/infra.md ask. A test may set another value.
 */
export const RUNNER_BUILD_QUOTA = { value: 6 };

/**
 * Every provider function the program called, with the ARN it named (`*` when it named none): the
 * identity matrix checks the CI roles may call each on that resource.
 */
export const invokedCalls = new Map<string, { token: string; resource: string }>();

/** Provider functions the program may call; any other token fails the test (no silent stubs). */
const CALLS: Record<string, (inputs: Record<string, any>) => Record<string, unknown>> = {
  'aws:index/getRegion:getRegion': () => ({ name: 'eu-west-1', region: 'eu-west-1', id: 'eu-west-1' }),
  'aws:index/getCallerIdentity:getCallerIdentity': () => ({
    accountId: ACCOUNT,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/zumo-platform-admin/test`,
    userId: 'AROAEXAMPLE:test',
    id: ACCOUNT,
  }),
  'aws:index/getAvailabilityZones:getAvailabilityZones': (inputs) => {
    if (inputs['state'] !== 'available') throw new Error('ask for available AZs only');
    return {
      names: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'],
      id: 'eu-west-1',
    };
  },
  'aws:ec2/getManagedPrefixList:getManagedPrefixList': (inputs) => {
    const list = MANAGED_PREFIX_LISTS.find((l) => l.name === inputs['name'] || l.id === inputs['id']);
    if (!list) throw new Error(`no AWS-managed prefix list ${inputs['name'] ?? inputs['id']}`);
    return {
      id: list.id,
      name: list.name,
      arn: `arn:aws:ec2:eu-west-1:aws:prefix-list/${list.id}`,
      addressFamily: 'IPv4',
      maxEntries: list.maxEntries,
      ownerId: 'AWS',
      version: 1,
      entries: list.cidrs.map((cidr) => ({ cidr, description: '' })),
      tags: {},
    };
  },
  'aws:codestarconnections/getConnection:getConnection': (inputs) => {
    const arn = String(inputs['arn']);
    if (inputs['region'] !== arn.split(':')[3]) throw new Error(`ask for ${arn} in its own region`);
    return {
      arn,
      id: arn,
      name: 'zumo-github',
      connectionStatus: GITHUB_CONNECTION.status,
      providerType: 'GitHub',
      hostArn: '',
      region: inputs['region'],
      tags: {},
    };
  },
  'aws:servicequotas/getServiceQuota:getServiceQuota': (inputs) => {
    if (inputs['serviceCode'] !== 'codebuild' || inputs['quotaCode'] !== 'L-2DC20C30')
      throw new Error(`no quota ${inputs['serviceCode']}/${inputs['quotaCode']} in the mocks`);
    return {
      serviceCode: 'codebuild',
      quotaCode: 'L-2DC20C30',
      quotaName: 'Concurrently running builds for Linux/Medium environment',
      value: RUNNER_BUILD_QUOTA.value,
      defaultValue: 300,
      adjustable: true,
      globalQuota: false,
      id: 'codebuild/L-2DC20C30',
      arn: `arn:aws:servicequotas:eu-west-1:${ACCOUNT}:codebuild/L-2DC20C30`,
      region: 'eu-west-1',
      serviceName: 'AWS CodeBuild',
      usageMetrics: [],
    };
  },
  // Each alias its own key, as in AWS (one key per stack's secrets, one for the state bucket).
  'aws:kms/getAlias:getAlias': (inputs) => ({
    name: inputs['name'],
    targetKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${String(inputs['name']).replace(/^alias\//, '')}`,
  }),
};

/** Secrets a real stack holds encrypted (`pulumi config set --secret`); stand-ins for the tests. */
export const TEST_SECRETS: Record<string, string> = {
  'zumo:alertmanagerCriticalWebhookUrl': 'https://hooks.example.test/services/critical',
  'zumo:alertmanagerHeartbeatUrl': 'https://hc-ping.example.test/heartbeat',
};

/**
 * What a real stack file holds but the committed ones cannot: they keep the documentation range as
 * the API allow-list placeholder, which the program refuses (value-formats.ts, DOCUMENTATION_RANGES),
 * so the tests stand in an admin workstation's address (RFC 2544's benchmarking range: no one's).
 */
export const TEST_ADMIN_CIDRS = ['198.18.0.1/32'];
const TEST_STAND_INS: Record<string, unknown> = { 'zumo:clusterPublicAccessCidrs': TEST_ADMIN_CIDRS };

/**
 * Installs Pulumi mocks that record every resource's inputs, and the stack's config from its
 * Pulumi.<stack>.yaml (plus overrides). Call before importing any module that declares resources.
 * The secret keys (config-keys.ts) are handed over as the engine hands over `secure:` values,
 * except those named in `clearText` (set without --secret).
 */
export async function installMocks(
  stack: 'dev' | 'prod',
  overrides: Record<string, unknown> = {},
  clearText: readonly string[] = [],
): Promise<Registered[]> {
  const file = parse(readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8')) as {
    config: Record<string, unknown>;
  };
  const config = { ...file.config, ...TEST_STAND_INS, ...TEST_SECRETS, ...overrides };
  const secure = Object.keys(config).filter(
    (key) => key.startsWith('zumo:') && SECRET_KEYS.has(key.slice('zumo:'.length)) && !clearText.includes(key),
  );
  return installProjectMocks('zumo', stack, config, secure);
}

/** The same recording mocks for infra/bootstrap (project zumo-bootstrap, stack account). */
export function installBootstrapMocks(config: Record<string, unknown>): Promise<Registered[]> {
  return installProjectMocks('zumo-bootstrap', 'account', config);
}

async function installProjectMocks(
  project: string,
  stack: string,
  values: Record<string, unknown>,
  secureKeys: readonly string[] = [],
): Promise<Registered[]> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) config[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  // What the Node language host sets for a real run (pulumi/pulumi
  // sdk/nodejs/cmd/pulumi-language-nodejs/main.go: PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS).
  process.env['PULUMI_CONFIG'] = JSON.stringify(config);
  process.env['PULUMI_CONFIG_SECRET_KEYS'] = JSON.stringify(secureKeys.filter((key) => key in config));
  const recorded: Registered[] = [];
  let registering: ReturnType<typeof captureRegistrations> = () => undefined;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state = { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) };
        const registration = registering();
        if (!registration) throw new Error(`${args.type} ${args.name}: registered outside the recording monitor`);
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs, state, ...registration });
        // S3 bucket ids are their names, as in AWS (policies match buckets by it).
        const id = args.type === 'aws:s3/bucket:Bucket' ? String(state['bucket']) : `${args.name}-id`;
        return { id, state };
      },
      call(args) {
        const resource = typeof args.inputs['arn'] === 'string' ? (args.inputs['arn'] as string) : '*';
        invokedCalls.set(`${args.token} ${resource}`, { token: args.token, resource });
        const handler = CALLS[args.token];
        if (!handler) throw new Error(`unexpected provider call ${args.token}: add it to the mocks deliberately`);
        return handler(args.inputs);
      },
    },
    project,
    stack,
    false,
  );
  registering = captureRegistrations();
  applyTransformsInProcess();
  return recorded;
}

/** What the SDK keeps of a run (@internal in @pulumi/pulumi runtime/state: the fields used here). */
interface RuntimeStore {
  supportsTransforms: boolean;
  callbacks?: unknown;
}

/**
 * The engine applies resource transforms (pulumi.runtime.registerResourceTransform) through a
 * callback server, which the mock monitor has not: setMocks turns the feature off, and the
 * program's boundary transform (lib/permissions-boundary.ts) would throw. Here each transform
 * registers as an SDK-side stack transformation instead, which applies it to every resource the
 * program itself declares (not inside packaged components, which the engine alone reaches); the
 * program runs inside a root stack for that (run-program.ts), as the engine runs it.
 */
function applyTransformsInProcess() {
  const store = (getStore as () => RuntimeStore)();
  store.supportsTransforms = true;
  store.callbacks = {
    registerStackTransform(transform: pulumi.ResourceTransform) {
      pulumi.runtime.registerStackTransformation((args) => {
        const result = transform({
          type: args.type,
          name: args.name,
          custom: args.resource instanceof pulumi.CustomResource,
          props: args.props,
          opts: args.opts,
        });
        if (result instanceof Promise)
          throw new Error(`${args.type} ${args.name}: an async transform cannot run in the mocks`);
        return result;
      });
    },
    awaitStackRegistrations: async () => undefined,
    shutdown: () => undefined,
  };
}

/** Pulumi's wire marker for a secret value (what the engine encrypts in the state). */
export const SECRET_SIG = '4dabf18193072939515e22adb298388d';

/** The value inside a secret as recorded by the mocks, or undefined when it is not marked secret. */
export function secretValue<T = Record<string, string>>(input: unknown): T | undefined {
  const wire = input as Record<string, unknown> | undefined;
  return wire?.[SECRET_SIG] === '1b47061264138c4ac30d75fd1eb44270' ? (wire['value'] as T) : undefined;
}

/** Lets the runtime finish registering resources after the program's outputs resolve. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

export function find(recorded: Recorded[], type: string, namePart = ''): Recorded[] {
  return recorded.filter((r) => r.type === type && r.name.includes(namePart));
}

export function one(recorded: Recorded[], type: string, namePart = ''): Recorded {
  const found = find(recorded, type, namePart);
  if (found.length !== 1) throw new Error(`expected one ${type} named *${namePart}*, found ${found.length}`);
  return found[0]!;
}
