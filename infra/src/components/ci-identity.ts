import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { PrivateBucket } from './private-bucket.js';
import {
  githubSubjects,
  githubTrustPolicy,
  MAX_SESSION_SECONDS,
  type CiRole,
  type PolicyDocument,
} from '../lib/iam.js';
import { previewPolicy, publishPolicy, releasePolicy } from '../lib/ci-policies.js';
import { INFRA_POLICY_PARTS, infraPolicies } from '../lib/infra-policy.js';
import type { StateBackend } from '../lib/state-access.js';

export interface CiIdentityArgs {
  /** owner/name of the GitHub repository whose workflows may assume the roles. */
  readonly githubRepository: string;
  /**
   * The start of the `sub` GitHub puts in this repository's OIDC tokens (lib/iam.ts githubSubjects):
   * `repo:<owner>/<name>`, or with immutable ids `repo:<owner>@<id>/<name>@<id>`.
   */
  readonly githubSubjectPrefix: string;
  /** The stack (dev, prod): names the GitHub environments the roles trust. */
  readonly stack: string;
  /** Physical-name prefix of every resource of the stack, e.g. zumo-dev- (policies scope by it). */
  readonly namePrefix: string;
  /** The account's GitHub OIDC provider, created once by infra/bootstrap. */
  readonly oidcProviderArn: string;
  /** The stack's permissions boundary (infra/bootstrap), put on every role. */
  readonly permissionsBoundaryArn: string;
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
  readonly repositoryArn: pulumi.Input<string>;
  /** The stack's ECR repository name, e.g. zumo/web-dev. */
  readonly imageRepository: string;
  readonly siteBucketArn: pulumi.Input<string>;
  readonly distributionArn: pulumi.Input<string>;
  /** Prod: dev's repository, which a promotion copies from (read-only). */
  readonly promotionSourceRepositoryArn?: pulumi.Input<string>;
  /** The Pulumi state backend and this stack's secrets key (infra/bootstrap). */
  readonly state: Omit<StateBackend, 'stateKeyArn' | 'secretsKeyArn' | 'stack' | 'region'> & {
    readonly stateKeyArn: pulumi.Input<string>;
    readonly secretsKeyArn: pulumi.Input<string>;
  };
  /** The GitHub connection of the CI runner (infra/bootstrap). */
  readonly githubConnectionArn: string;
  /** The stack's EKS cluster name (the infra role changes its security group's rules). */
  readonly clusterName: string;
  /** The Route 53 zone of the stack's domain, if it has one (the infra role writes records there only). */
  readonly hostedZoneId?: string | undefined;
  readonly tags?: Record<string, string>;
}

/**
 * GitHub Actions' identities in AWS for one stack: the release, publish, preview and infra roles,
 * each trusted by exactly its GitHub environment (dev preview also by pull requests), each capped
 * by the stack's permissions boundary; and a private bucket for ci's test reports.
 */
export class CiIdentity extends pulumi.ComponentResource {
  public readonly releaseRoleArn: pulumi.Output<string>;
  public readonly publishRoleArn: pulumi.Output<string>;
  public readonly previewRoleArn: pulumi.Output<string>;
  public readonly infraRoleArn: pulumi.Output<string>;
  public readonly reportsBucketName: pulumi.Output<string>;

  constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:ci:CiIdentity', name, {}, opts);
    const parent = { parent: this };

    // Test reports (seed parity): private, encrypted, kept 90 days; not served by CloudFront.
    const reports = new PrivateBucket(
      `${name}-reports`,
      { versioning: false, expireDays: 90, forceDestroy: true, tags: args.tags },
      parent,
    );

    const subjects = githubSubjects(args.githubSubjectPrefix, args.stack);
    /** A role with an inline policy, or (infra: too big for IAM's inline quota) managed policies of its own. */
    const role = (
      kind: CiRole,
      policy: pulumi.Output<PolicyDocument> | Record<string, pulumi.Output<PolicyDocument>>,
    ) => {
      const created = new aws.iam.Role(
        `${name}-${kind}`,
        {
          description: `GitHub Actions (${args.githubRepository}, environment ${subjects[kind].join(' or ')}): ${kind}`,
          assumeRolePolicy: JSON.stringify(githubTrustPolicy(args.oidcProviderArn, subjects[kind])),
          permissionsBoundary: args.permissionsBoundaryArn,
          maxSessionDuration: MAX_SESSION_SECONDS[kind],
          tags: args.tags,
        },
        parent,
      );
      if (pulumi.Output.isInstance(policy)) {
        new aws.iam.RolePolicy(`${name}-${kind}`, { role: created.id, policy: pulumi.jsonStringify(policy) }, parent);
        return created;
      }
      // `zumo-<stack>-<kind>-<part>`: no role of a stack may write a customer-managed policy or
      // attach one (lib/boundary.ts), so only an admin's `up` creates and changes them.
      for (const [part, document] of Object.entries(policy)) {
        const managed = new aws.iam.Policy(
          `${name}-${kind}-${part}`,
          {
            description: `GitHub Actions ${kind} role of the ${args.stack} stack: ${part}`,
            policy: pulumi.jsonStringify(document),
            tags: args.tags,
          },
          parent,
        );
        new aws.iam.RolePolicyAttachment(
          `${name}-${kind}-${part}`,
          { role: created.name, policyArn: managed.arn },
          parent,
        );
      }
      return created;
    };
    const state = pulumi
      .all([args.state.stateKeyArn, args.state.secretsKeyArn])
      .apply(([stateKeyArn, secretsKeyArn]) => ({
        ...args.state,
        stateKeyArn,
        secretsKeyArn,
        stack: args.stack,
        region: args.region,
      }));

    // Images only: the jobs that use it run no dependency on the host (the image builds in Docker).
    const release = role(
      'release',
      pulumi
        .all([args.repositoryArn, args.promotionSourceRepositoryArn])
        .apply(([repositoryArn, promotionSourceRepositoryArn]) =>
          releasePolicy({ repositoryArn, promotionSourceRepositoryArn }),
        ),
    );
    // The page (and dev's test reports): its jobs run `npm ci` and the build, so no image rights.
    const publish = role(
      'publish',
      pulumi
        .all([args.siteBucketArn, args.distributionArn, reports.arn])
        .apply(([siteBucketArn, distributionArn, reportsBucketArn]) =>
          publishPolicy({
            siteBucketArn,
            distributionArn,
            reportsBucketArn: args.stack === 'dev' ? reportsBucketArn : undefined,
            reportsPrefix: 'test-reports/',
          }),
        ),
    );
    // The configuration of the program's services and the stack's state; no data (objects, logs,
    // images, console output): the dev preview role runs pull requests' code.
    const preview = role(
      'preview',
      state.apply((s) => previewPolicy(s, args.namePrefix)),
    );
    const infraDocuments = pulumi.all([state, args.accountId]).apply(([s, accountId]) =>
      infraPolicies({
        state: s,
        accountId,
        namePrefix: args.namePrefix,
        imageRepository: args.imageRepository,
        boundaryArn: args.permissionsBoundaryArn,
        githubConnectionArn: args.githubConnectionArn,
        clusterName: args.clusterName,
        hostedZoneId: args.hostedZoneId,
      }),
    );
    const infra = role(
      'infra',
      Object.fromEntries(INFRA_POLICY_PARTS.map((part) => [part, infraDocuments.apply((d) => d[part])])),
    );

    this.releaseRoleArn = release.arn;
    this.publishRoleArn = publish.arn;
    this.previewRoleArn = preview.arn;
    this.infraRoleArn = infra.arn;
    this.reportsBucketName = reports.name;
    this.registerOutputs({
      releaseRoleArn: this.releaseRoleArn,
      publishRoleArn: this.publishRoleArn,
      previewRoleArn: this.previewRoleArn,
      infraRoleArn: this.infraRoleArn,
    });
  }
}
