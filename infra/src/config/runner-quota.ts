import * as aws from '@pulumi/aws';

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
 * Stops the program before any resource is declared when the account's quota is below the runner
 * project's concurrent build limit: CodeBuild refuses a project limit above the account's
 * ("Builds in AWS CodeBuild"), and the runner is created late in a first `up`, after the cluster.
 * The data source reports the account's applied value, else the default
 * (terraform-provider-aws internal/service/servicequotas/service_quota_data_source.go). A new
 * account may be held below the default it reports: the docs' prerequisites cover that.
 */
export async function requireRunnerBuildQuota(needed: number, region: string): Promise<void> {
  const { serviceCode, quotaCode, name } = RUNNER_BUILD_QUOTA;
  const { value } = await aws.servicequotas.getServiceQuota({ serviceCode, quotaCode, region });
  if (value >= needed) return;
  throw new Error(
    `CodeBuild's quota "${name}" (${serviceCode} ${quotaCode}) is ${value} in ${region}; this stack's CI runner needs ${needed} ` +
      `concurrent builds (both stacks: the sum). Request it before any resource is created: aws service-quotas ` +
      `request-service-quota-increase --service-code ${serviceCode} --quota-code ${quotaCode} --desired-value <n> --region ${region} ` +
      `(docs/infra.md, prerequisites)`,
  );
}
