import * as aws from '@pulumi/aws';
import type { Environment } from './stack-config.js';

/**
 * Each stack's runner project's concurrent build limit: infra-<stack> and drift-<stack> run one job
 * each at a time; dev adds two pull request previews (the identity checks derive these from the
 * workflows' concurrency groups). One account holds one stack of each (infra/bootstrap).
 */
export const RUNNER_BUILD_LIMITS: Readonly<Record<Environment, number>> = { dev: 4, prod: 2 };

/**
 * The account quota the CI runner's builds count against: its environment is LINUX_CONTAINER with
 * BUILD_GENERAL1_MEDIUM (components/ci-runner.ts). Service code and quota code as Service Quotas
 * lists them (aws service-quotas list-service-quotas --service-code codebuild).
 */
export const RUNNER_BUILD_QUOTA = {
  serviceCode: 'codebuild',
  quotaCode: 'L-2DC20C30',
  name: 'Concurrently running builds for Linux/Medium environment',
} as const;

/**
 * Stops the program before any resource is declared when the account's quota is below what every
 * runner of the account may run at once (`limits`, one per stack): the quota is the account's, so
 * with less the two stacks' runners compete for it, and CodeBuild refuses a project limit above it
 * ("Builds in AWS CodeBuild"), while the runner is created late in a first `up`, after the cluster.
 * The data source reports the account's applied value, else the default
 * (terraform-provider-aws internal/service/servicequotas/service_quota_data_source.go). A new
 * account may be held below the default it reports: the docs' prerequisites cover that.
 */
export async function requireRunnerBuildQuota(limits: Readonly<Record<string, number>>, region: string): Promise<void> {
  const { serviceCode, quotaCode, name } = RUNNER_BUILD_QUOTA;
  const needed = Object.values(limits).reduce((sum, limit) => sum + limit, 0);
  const { value } = await aws.servicequotas.getServiceQuota({ serviceCode, quotaCode, region });
  if (value >= needed) return;
  const each = Object.entries(limits)
    .map(([stack, limit]) => `${stack} ${limit}`)
    .join(' + ');
  throw new Error(
    `CodeBuild's quota "${name}" (${serviceCode} ${quotaCode}) is ${value} in ${region}; the account's CI runners need ${needed} ` +
      `concurrent builds (${each}: both stacks' runners share it). Request it before any resource is created: aws service-quotas ` +
      `request-service-quota-increase --service-code ${serviceCode} --quota-code ${quotaCode} --desired-value ${needed} --region ${region} ` +
      `(docs/infra.md, prerequisites)`,
  );
}
