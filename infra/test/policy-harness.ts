import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { policies } from '../src/policy/rules.js';
import type { Recorded } from './mocks.js';

export interface Violation {
  policy: string;
  resource: string;
  message: string;
}

/** Runs every policy of the pack the way the engine does: each resource, then the whole stack. */
export async function runPolicies(resources: Pick<Recorded, 'type' | 'name' | 'state'>[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  const asPolicyResource = (r: Pick<Recorded, 'type' | 'name' | 'state'>) =>
    ({
      type: r.type,
      name: r.name,
      urn: `urn:pulumi:test::zumo::${r.type}::${r.name}`,
      props: r.state,
      opts: {},
      isType: () => false,
      asType: () => undefined,
    }) as unknown as PolicyResource;
  for (const policy of policies) {
    const report = (resource: string) => (message: string) =>
      violations.push({ policy: policy.name, resource, message });
    if ('validateResource' in policy && policy.validateResource) {
      for (const resource of resources) {
        const validate = (policy as ResourceValidationPolicy).validateResource as (
          args: unknown,
          report: (m: string) => void,
        ) => unknown;
        await validate({ ...asPolicyResource(resource), stackTags: new Map() }, report(resource.name));
      }
    }
    if ('validateStack' in policy) {
      const validate = (policy as StackValidationPolicy).validateStack as (
        args: unknown,
        report: (m: string) => void,
      ) => unknown;
      await validate({ resources: resources.map(asPolicyResource), stackTags: new Map() }, report('stack'));
    }
  }
  return violations;
}
