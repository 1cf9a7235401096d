/** Loads what each stack declares about identities (declared-iam.ts, one process per stack). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { PolicyDocument } from '../../src/lib/iam.js';

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
/** The script prints its JSON as the last line; the program's own log lines (pulumi.log) come before it. */
const runScript = (script: string, ...args: string[]) => {
  const stdout = execFileSync(process.execPath, [...process.execArgv, join(import.meta.dirname, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
    env: { ...process.env, PULUMI_CONFIG: undefined },
  });
  return JSON.parse(stdout.trimEnd().split('\n').pop()!);
};

/**
 * Runs infra/bootstrap under mocks in a child process and returns what it declared: with the config
 * the documented setup gives it, plus `overrides` (keys with their `zumo-bootstrap:` prefix).
 */
export function declaredBootstrap(overrides: Record<string, unknown> = {}): DeclaredBootstrap {
  const key = `bootstrap ${JSON.stringify(overrides)}`;
  if (!cache.has(key)) cache.set(key, runScript('declared-bootstrap.ts', JSON.stringify(overrides)));
  return cache.get(key) as DeclaredBootstrap;
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
 * their `zumo:` prefix) in a child process and returns what it declared.
 */
export function declaredIam(stack: 'dev' | 'prod', overrides: Record<string, unknown> = {}): DeclaredIam {
  const key = `${stack} ${JSON.stringify(overrides)}`;
  if (!cache.has(key)) cache.set(key, runScript('declared-iam.ts', stack, JSON.stringify(overrides)));
  return cache.get(key) as DeclaredIam;
}
