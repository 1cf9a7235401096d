import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

export interface PrivateBucketArgs {
  /** Fixed bucket name (state backend); generated when absent, so two stacks never collide. */
  readonly bucketName?: string;
  /** Encrypt with this KMS key; S3-managed AES256 when absent. */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Keep every version (rollback, recovery); old versions expire after noncurrentDays. */
  readonly versioning: boolean;
  /** Days before a replaced version is deleted (with versioning). */
  readonly noncurrentDays?: number;
  /** Days before any object is deleted (reports); forever when absent. */
  readonly expireDays?: number;
  /** protect: refuse `pulumi destroy` (the state backend). */
  readonly protect?: boolean;
  /** `pulumi destroy` deletes every object and version first (S3 refuses to delete a bucket that is not empty). */
  readonly forceDestroy?: boolean;
  readonly tags?: Record<string, string>;
}

/**
 * An S3 bucket no one can make public: all public access blocked, ACLs disabled
 * (BucketOwnerEnforced), default encryption, optional versioning and expiry. Callers add the
 * bucket policy (it names who may read).
 */
export class PrivateBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly id: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:storage:PrivateBucket', name, {}, opts);
    const parent = { parent: this };
    this.bucket = new aws.s3.Bucket(
      name,
      { bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false, tags: args.tags },
      { parent: this, protect: args.protect ?? false },
    );
    const bucket = this.bucket.id;
    new aws.s3.BucketPublicAccessBlock(
      name,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketOwnershipControls(name, { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: args.kmsKeyArn
              ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn }
              : { sseAlgorithm: 'AES256' },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    if (args.versioning)
      new aws.s3.BucketVersioning(name, { bucket, versioningConfiguration: { status: 'Enabled' } }, parent);
    const rules = [
      ...(args.versioning
        ? [
            {
              id: 'expire-noncurrent-versions',
              status: 'Enabled',
              filter: {},
              noncurrentVersionExpiration: { noncurrentDays: args.noncurrentDays ?? 30 },
            },
          ]
        : []),
      ...(args.expireDays
        ? [{ id: 'expire-objects', status: 'Enabled', filter: {}, expiration: { days: args.expireDays } }]
        : []),
    ].map((rule) => ({ ...rule, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }));
    if (rules.length) new aws.s3.BucketLifecycleConfiguration(name, { bucket, rules }, parent);

    this.id = this.bucket.id;
    this.arn = this.bucket.arn;
    this.name = this.bucket.bucket;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}
