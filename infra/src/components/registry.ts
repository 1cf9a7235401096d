import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

export interface RegistryArgs {
  /** Repository name; from @zumo/config (APP.imageRepository) so CI and manifests agree. */
  readonly repositoryName: string;
  /** How many release images (tags = git short SHAs) to keep; older ones expire. */
  readonly keepReleases: number;
  /** Allow deleting the repository with images in it (dev only: prod images are the rollback path). */
  readonly forceDelete: boolean;
  readonly tags?: Record<string, string>;
}

/** ECR lifecycle rules: untagged images expire after 7 days, only the newest N releases are kept. */
export function lifecyclePolicy(keepReleases: number) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: 'Expire untagged images after 7 days',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keepReleases} release images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepReleases },
        action: { type: 'expire' },
      },
    ],
  };
}

/** The image registry: immutable tags (a SHA always means the same image), scan on push, KMS. */
export class Registry extends pulumi.ComponentResource {
  public readonly repositoryUrl: pulumi.Output<string>;
  public readonly repositoryArn: pulumi.Output<string>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:registry:Registry', name, {}, opts);
    if (!Number.isInteger(args.keepReleases) || args.keepReleases < 1) {
      throw new Error(`Registry ${name}: keepReleases must be a positive integer, got ${args.keepReleases}`);
    }
    const repository = new aws.ecr.Repository(
      `${name}-repository`,
      {
        name: args.repositoryName,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: 'KMS' }],
        forceDelete: args.forceDelete,
        tags: args.tags,
      },
      { parent: this },
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-lifecycle`,
      { repository: repository.name, policy: JSON.stringify(lifecyclePolicy(args.keepReleases)) },
      { parent: this },
    );
    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl, repositoryArn: this.repositoryArn });
  }
}
