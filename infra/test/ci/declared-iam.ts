/**
 * What the program declares about identities, for one stack, from its recording
 * (record-program.ts): every role with its trust policy, inline and managed policies
 * (customer-managed ones with their documents) and permissions boundary, the EKS access entries
 * and every resource type.
 */
import type { DeclaredIam, DeclaredProgram } from './declared.js';

export function iamOf(stack: 'dev' | 'prod', { recorded, outputs, invokes }: DeclaredProgram): DeclaredIam {
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
  return {
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
    invokes,
    outputs: {
      releaseRoleArn: outputs['releaseRoleArn'],
      publishRoleArn: outputs['publishRoleArn'],
      previewRoleArn: outputs['previewRoleArn'],
      infraRoleArn: outputs['infraRoleArn'],
    },
    resources: {
      repositoryArn: stateOf('aws:ecr/repository:Repository', '').arn,
      siteBucketArn: stateOf('aws:s3/bucket:Bucket', '-site').arn,
      reportsBucketArn: stateOf('aws:s3/bucket:Bucket', '-reports').arn,
      distributionArn: stateOf('aws:cloudfront/distribution:Distribution', '').arn,
      runnerProject: outputs['ciRunnerProject'],
      clusterName: outputs['eksClusterName'],
      runnerWebhookFilters: recorded.find((r) => r.type === 'aws:codebuild/webhook:Webhook')?.inputs['filterGroups'],
      runnerProjectSettings: (({ buildTimeout, queuedTimeout, concurrentBuildLimit }) => ({
        buildTimeout,
        queuedTimeout,
        concurrentBuildLimit,
      }))(recorded.find((r) => r.type === 'aws:codebuild/project:Project')!.inputs),
    },
  };
}
