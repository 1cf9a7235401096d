import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { PrivateBucket } from './private-bucket.js';
import {
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
  githubSubjects,
  githubTrustPolicy,
  infraPolicy,
  previewStatePolicy,
  releasePolicy,
} from '../lib/iam.js';

export interface CiIdentityArgs {
  /** owner/name of the GitHub repository whose workflows may assume the roles. */
  readonly githubRepository: string;
  readonly repositoryArn: pulumi.Input<string>;
  readonly siteBucketArn: pulumi.Input<string>;
  readonly distributionArn: pulumi.Input<string>;
  /** The Pulumi state bucket and secrets key from infra/bootstrap. */
  readonly stateBucketName: string;
  readonly secretsKeyArn: pulumi.Input<string>;
  /** Reuse an existing GitHub OIDC provider (one per account); created when absent. */
  readonly existingOidcProviderArn?: string | undefined;
  readonly tags?: Record<string, string>;
}

/** GitHub Actions' identities in AWS: the OIDC provider and the release, preview and infra roles. */
export class CiIdentity extends pulumi.ComponentResource {
  public readonly releaseRoleArn: pulumi.Output<string>;
  public readonly previewRoleArn: pulumi.Output<string>;
  public readonly infraRoleArn: pulumi.Output<string>;
  public readonly reportsBucketName: pulumi.Output<string>;

  constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:ci:CiIdentity', name, {}, opts);
    const parent = { parent: this };
    const providerArn = args.existingOidcProviderArn
      ? pulumi.output(args.existingOidcProviderArn)
      : new aws.iam.OpenIdConnectProvider(
          `${name}-github`,
          { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_OIDC_AUDIENCE], tags: args.tags },
          parent,
        ).arn;

    // Test reports (seed parity): private, encrypted, kept 90 days; not served by CloudFront.
    const reports = new PrivateBucket(
      `${name}-reports`,
      { versioning: false, expireDays: 90, forceDestroy: true, tags: args.tags },
      parent,
    );

    const subjects = githubSubjects(args.githubRepository);
    const stateBucketArn = `arn:aws:s3:::${args.stateBucketName}`;
    const role = (role: keyof typeof subjects, policy: pulumi.Input<string>, managedPolicyArns: string[] = []) => {
      const created = new aws.iam.Role(
        `${name}-${role}`,
        {
          description: `GitHub Actions (${args.githubRepository}): ${role}`,
          assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, subjects[role]))),
          maxSessionDuration: 3600,
          tags: args.tags,
        },
        parent,
      );
      new aws.iam.RolePolicy(`${name}-${role}`, { role: created.id, policy }, parent);
      managedPolicyArns.forEach(
        (policyArn, i) =>
          new aws.iam.RolePolicyAttachment(`${name}-${role}-${i}`, { role: created.name, policyArn }, parent),
      );
      return created;
    };

    const release = role(
      'release',
      pulumi
        .all([args.repositoryArn, args.siteBucketArn, args.distributionArn, reports.arn])
        .apply(([repositoryArn, siteBucketArn, distributionArn, reportsBucketArn]) =>
          JSON.stringify(
            releasePolicy({
              repositoryArn,
              siteBucketArn,
              distributionArn,
              reportsBucketArn,
              reportsPrefix: 'test-reports/',
            }),
          ),
        ),
    );
    const statePolicy = (build: typeof previewStatePolicy) =>
      pulumi
        .output(args.secretsKeyArn)
        .apply((secretsKeyArn) => JSON.stringify(build({ stateBucketArn, secretsKeyArn })));
    // Preview reads everything it diffs against: AWS's managed ReadOnlyAccess, plus the state.
    const preview = role('preview', statePolicy(previewStatePolicy), ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const infra = role('infra', statePolicy(infraPolicy));

    this.releaseRoleArn = release.arn;
    this.previewRoleArn = preview.arn;
    this.infraRoleArn = infra.arn;
    this.reportsBucketName = reports.name;
    this.registerOutputs({
      releaseRoleArn: this.releaseRoleArn,
      previewRoleArn: this.previewRoleArn,
      infraRoleArn: this.infraRoleArn,
    });
  }
}
