/**
 * What a workstation and an account need before the first `pulumi up` that the program cannot
 * provide itself (docs/infra.md, "Deploy from zero", carries them as a generated table). The tests
 * hold them against what needs them: the Pulumi CLI against the features the program uses and the
 * version CI pins, each quota against what both stacks declare.
 */
import { generatedSection, markdownTable, withSection } from '../lib/doc-section.js';
import { RUNNER_BUILD_QUOTA } from './runner-quota.js';

/**
 * Resource transforms (lib/permissions-boundary.ts puts the boundary on every role with one) are
 * stable in the engine and the Node SDK since 3.115.0 (pulumi/pulumi CHANGELOG, #16080); an older
 * CLI stops with "The Pulumi CLI does not support transforms".
 */
export const PULUMI_CLI_MINIMUM = '3.115.0';

export interface AccountQuota {
  readonly serviceCode: string;
  readonly quotaCode: string;
  /** As the Service Quotas console names it. */
  readonly name: string;
  /** What to ask for, in the quota's own unit. */
  readonly atLeast: number;
  readonly unit: string;
  /** Where the number comes from, for the person asking. */
  readonly why: string;
}

/**
 * Regional quotas a new account's defaults can be below: `pulumi up` then fails half-way (an
 * instance that never launches leaves a node group CREATE_FAILED, a NAT gateway without an address
 * fails, CodeBuild refuses a runner project above the account's build limit).
 */
export const ACCOUNT_QUOTAS: readonly AccountQuota[] = [
  {
    serviceCode: 'ec2',
    quotaCode: 'L-1216C47A',
    name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
    atLeast: 32,
    unit: 'vCPUs',
    why:
      'both stacks run 10 at their desired sizes (dev 2 x t3.medium, prod 3 x m7i.large); a node update (new launch ' +
      'template or AMI) first launches up to two nodes per zone of each group, 12 more for one stack (EKS user guide, ' +
      '"Understand each phase of node updates"). Add 2 per node when you raise `nodeDesiredSize`',
  },
  {
    serviceCode: 'ec2',
    quotaCode: 'L-0263D0A3',
    name: 'EC2-VPC Elastic IPs',
    atLeast: 4,
    unit: 'addresses',
    why: 'one per NAT gateway (dev 1, prod 3); the default is 5, shared with anything else in the region',
  },
  {
    serviceCode: RUNNER_BUILD_QUOTA.serviceCode,
    quotaCode: RUNNER_BUILD_QUOTA.quotaCode,
    name: RUNNER_BUILD_QUOTA.name,
    atLeast: 6,
    unit: 'builds',
    why:
      "the CI runners' concurrent build limits (dev 4, prod 2), which the program checks against the value Service " +
      'Quotas reports before it declares anything (`config/runner-quota.ts`). A new account can be held at 1 build ' +
      'while Service Quotas still shows the default (the first build fails with `AccountLimitExceededException`): ' +
      'ask for the increase anyway, or through AWS Support',
  },
];

export const PREREQUISITES_MARKERS = generatedSection('prerequisites', 'config/prerequisites.ts');

export function prerequisitesTable(): string {
  return markdownTable(
    ['what', 'at least', 'why'],
    [
      [
        'the Pulumi CLI',
        PULUMI_CLI_MINIMUM,
        'the program puts the permissions boundary on every role with a resource transform, stable since this ' +
          'version (an older CLI stops with "The Pulumi CLI does not support transforms"); CI pins a newer one ' +
          '(`PULUMI_VERSION` in `.github/workflows`): use the same',
      ],
      ...ACCOUNT_QUOTAS.map((q) => [
        `${q.name} (\`${q.serviceCode}\` \`${q.quotaCode}\`)`,
        `${q.atLeast} ${q.unit}`,
        q.why,
      ]),
    ],
  );
}

/** `document` with the prerequisites table between its markers regenerated. */
export function withPrerequisites(document: string): string {
  return withSection(document, PREREQUISITES_MARKERS, prerequisitesTable());
}
