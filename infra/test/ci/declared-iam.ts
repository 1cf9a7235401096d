/**
 * What the program declares about identities, for one stack, as JSON on stdout: every role with its
 * trust policy, inline and managed policies (customer-managed ones with their documents) and
 * permissions boundary, the EKS access entries and
 * every resource type. Run in its own process per stack (the program reads its stack on import):
 *   node <loader args> declared-iam.ts dev [config overrides as JSON, e.g. '{"zumo:waf":true}']
 */
import * as pulumi from '@pulumi/pulumi';
import { installMocks, invokedCalls, settle, valueOf } from '../mocks.js';
import type { DeclaredIam } from './declared.js';

type Program = typeof import('../../src/index.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports -- the module is imported after the mocks

const stack = process.argv[2];
if (stack !== 'dev' && stack !== 'prod') throw new Error(`usage: declared-iam.ts dev|prod (got ${stack})`);
const recorded = await installMocks(stack, JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>);
// Inside a root stack, as the engine runs a program (stack transformations need one).
let program!: Program;
await pulumi.runtime.runInPulumiStack(async () => {
  program = await import('../../src/index.js');
});
await valueOf(program.infraRoleArn);
await settle();

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const roles = recorded.filter((r) => r.type === 'aws:iam/role:Role');
const stateOf = (type: string, namePart: string) => {
  const found = recorded.filter((r) => r.type === type && r.name.includes(namePart));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${namePart}*, found ${found.length}`);
  return found[0]!.state as Record<string, string> & { arn: string };
};
const attachedTo = (roleName: string) =>
  recorded
    .filter((r) => r.type === 'aws:iam/rolePolicyAttachment:RolePolicyAttachment' && r.inputs['role'] === roleName)
    .map((r) => String(r.inputs['policyArn']));
const declared: DeclaredIam = {
  stack,
  roles: roles.map((role) => ({
    name: role.name,
    arn: String(role.state['arn']),
    trust: json(role.inputs['assumeRolePolicy']),
    permissionsBoundary: role.inputs['permissionsBoundary'],
    maxSessionDuration: role.inputs['maxSessionDuration'] ?? 3600,
    inline: recorded
      .filter((r) => r.type === 'aws:iam/rolePolicy:RolePolicy' && r.inputs['role'] === `${role.name}-id`)
      .map((r) => ({ name: r.name, policy: json(r.inputs['policy']) })),
    managed: attachedTo(role.name),
    customerManaged: recorded
      .filter((r) => r.type === 'aws:iam/policy:Policy' && attachedTo(role.name).includes(String(r.state['arn'])))
      .map((r) => ({ name: r.name, arn: String(r.state['arn']), policy: json(r.inputs['policy']) })),
  })),
  customerPolicies: recorded
    .filter((r) => r.type === 'aws:iam/policy:Policy')
    .map((r) => ({ name: r.name, arn: String(r.state['arn']), policy: json(r.inputs['policy']) })),
  accessEntries: recorded
    .filter((r) => r.type === 'aws:eks/accessEntry:AccessEntry')
    .map((entry) => ({
      principalArn: String(entry.inputs['principalArn']),
      policies: recorded
        .filter(
          (r) =>
            r.type === 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation' &&
            r.inputs['principalArn'] === entry.inputs['principalArn'],
        )
        .map((r) => String(r.inputs['policyArn'])),
    })),
  resourceTypes: [...new Set(recorded.map((r) => r.type))].sort(),
  invokes: [...invokedCalls.values()].sort((a, b) => `${a.token} ${a.resource}`.localeCompare(`${b.token} ${b.resource}`)),
  outputs: {
    releaseRoleArn: await valueOf(program.releaseRoleArn),
    publishRoleArn: await valueOf(program.publishRoleArn),
    previewRoleArn: await valueOf(program.previewRoleArn),
    infraRoleArn: await valueOf(program.infraRoleArn),
  },
  resources: {
    repositoryArn: stateOf('aws:ecr/repository:Repository', '').arn,
    siteBucketArn: stateOf('aws:s3/bucket:Bucket', '-site').arn,
    reportsBucketArn: stateOf('aws:s3/bucket:Bucket', '-reports').arn,
    distributionArn: stateOf('aws:cloudfront/distribution:Distribution', '').arn,
    runnerProject: await valueOf(program.ciRunnerProject),
    clusterName: await valueOf(program.eksClusterName),
    runnerWebhookFilters: recorded.find((r) => r.type === 'aws:codebuild/webhook:Webhook')?.inputs['filterGroups'],
    runnerProjectSettings: (({ buildTimeout, queuedTimeout, concurrentBuildLimit }) => ({
      buildTimeout,
      queuedTimeout,
      concurrentBuildLimit,
    }))(recorded.find((r) => r.type === 'aws:codebuild/project:Project')!.inputs),
  },
};
process.stdout.write(JSON.stringify(declared));
