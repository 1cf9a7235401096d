/**
 * What the program and infra/bootstrap declare under the mocks, recorded once per stack and
 * overrides for every test process (declared-cache.ts says where and how).
 */
import type { PolicyDocument } from '../../src/lib/iam.js';
import type { Registered } from '../mocks.js';
import { cachedRecording } from './declared-cache.js';
import { iamOf } from './declared-iam.js';

/** One stack's recording: what it declared (as registered), its outputs, the provider functions it called. */
export interface DeclaredProgram {
  recorded: Registered[];
  outputs: Record<string, any>;
  invokes: { token: string; resource: string }[];
}

export interface DeclaredRole {
  name: string;
  arn: string;
  trust: PolicyDocument & { Statement: { Principal?: unknown }[] };
  permissionsBoundary: string | undefined;
  /** Seconds (IAM's default 3600 when the program sets none). */
  maxSessionDuration: number;
  inline: { name: string; policy: PolicyDocument }[];
  /** ARNs of every attached managed policy, AWS managed and the program's own. */
  managed: string[];
  /** The program's own (customer-managed) policies among them, with their documents. */
  customerManaged: { name: string; arn: string; policy: PolicyDocument }[];
}

export interface DeclaredIam {
  stack: 'dev' | 'prod';
  roles: DeclaredRole[];
  /** Every customer-managed policy the stack declares, attached or not. */
  customerPolicies: { name: string; arn: string; policy: PolicyDocument }[];
  /** aws.eks.AccessEntry resources with the access policies associated to their principal. */
  accessEntries: { principalArn: string; policies: string[] }[];
  /** Every resource type the stack declares. */
  resourceTypes: string[];
  /** Every provider function (data source) the program calls while it runs, on the ARN it names. */
  invokes: { token: string; resource: string }[];
  outputs: { releaseRoleArn: string; publishRoleArn: string; previewRoleArn: string; infraRoleArn: string };
  /** ARNs and names of what the CI roles work on, as the stack declares them. */
  resources: {
    repositoryArn: string;
    siteBucketArn: string;
    reportsBucketArn: string;
    distributionArn: string;
    runnerProject: string;
    clusterName: string;
    /** The filter groups of the runner's CodeBuild webhook. */
    runnerWebhookFilters: { filters: { type: string; pattern: string }[] }[];
    /** The runner project's timeouts (minutes) and concurrent build limit. */
    runnerProjectSettings: { buildTimeout?: number; queuedTimeout?: number; concurrentBuildLimit?: number };
  };
}

export interface DeclaredBootstrap {
  recorded: { type: string; name: string; inputs: Record<string, any> }[];
  outputs: Record<string, any>;
}

const cache = new Map<string, unknown>();
const memo = <T>(key: string, record: () => T): T => {
  if (!cache.has(key)) cache.set(key, record());
  return cache.get(key) as T;
};

/**
 * Runs infra/bootstrap under mocks in a child process and returns what it declared: with the config
 * the documented setup gives it, plus `overrides` (keys with their `zumo-bootstrap:` prefix).
 */
export function declaredBootstrap(overrides: Record<string, unknown> = {}): DeclaredBootstrap {
  const args = JSON.stringify(overrides);
  return memo(`bootstrap ${args}`, () => cachedRecording<DeclaredBootstrap>('declared-bootstrap.ts', args));
}

/** The permissions boundaries bootstrap declares, by the ARN the stacks reference them with. */
export function boundaryDocuments(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { recorded, outputs } = declaredBootstrap(overrides);
  const byName = Object.fromEntries(
    recorded
      .filter((r) => r.type === 'aws:iam/policy:Policy')
      .map((r) => [r.inputs['name'], JSON.parse(r.inputs['policy'])]),
  );
  return Object.fromEntries(
    Object.values(outputs['permissionsBoundaryArns'] as Record<string, string>).map((arn) => [
      arn,
      byName[arn.split('/').pop()!],
    ]),
  );
}

/**
 * Runs the program under mocks for `stack` (its Pulumi.<stack>.yaml plus `overrides`, keys with
 * their `zumo:` prefix) in a child process and returns what it declared and exported.
 */
export function declaredProgram(stack: 'dev' | 'prod', overrides: Record<string, unknown> = {}): DeclaredProgram {
  const args = JSON.stringify(overrides);
  return memo(`program ${stack} ${args}`, () =>
    cachedRecording<DeclaredProgram>('record-program.ts', stack, args, 'committed'),
  );
}

/** The same, as `stack` declares it once the web app has a release (system/released.ts). */
export function releasedProgram(stack: 'dev' | 'prod'): DeclaredProgram {
  return memo(`released ${stack}`, () =>
    cachedRecording<DeclaredProgram>('record-program.ts', stack, '{}', 'released'),
  );
}

/** What `stack` (with `overrides`) declares about identities. */
export function declaredIam(stack: 'dev' | 'prod', overrides: Record<string, unknown> = {}): DeclaredIam {
  return memo(`iam ${stack} ${JSON.stringify(overrides)}`, () => iamOf(stack, declaredProgram(stack, overrides)));
}
