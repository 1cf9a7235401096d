import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

export interface StateBackendArgs {
  /** Globally unique bucket name; the main stacks log in with `pulumi login s3://<name>`. */
  readonly bucketName: string;
  /** Alias of the KMS key used as the stacks' secrets provider (awskms://<alias>). */
  readonly secretsKeyAlias: string;
  readonly tags?: Record<string, string>;
}

/** Bucket policy refusing any request that is not over TLS. */
export function tlsOnlyPolicy(bucketArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/**
 * Where Pulumi keeps state and encrypts secrets: a private, versioned (every checkpoint can be
 * recovered), KMS-encrypted bucket reachable only over TLS, and a rotating KMS key with an alias.
 * Both are protected: deleting them would orphan every stack.
 */
export class StateBackend extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly keyAlias: pulumi.Output<string>;
  public readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:bootstrap:StateBackend', name, {}, opts);
    const parent = { parent: this };
    const protect = { parent: this, protect: true };

    const key = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: 'Zumo Pulumi stack secrets and state encryption',
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: args.tags,
      },
      protect,
    );
    const alias = new aws.kms.Alias(`${name}-secrets`, { name: args.secretsKeyAlias, targetKeyId: key.keyId }, parent);

    const bucket = new aws.s3.Bucket(`${name}-state`, { bucket: args.bucketName, tags: args.tags }, protect);
    new aws.s3.BucketPublicAccessBlock(
      `${name}-state`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-state`,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      parent,
    );
    new aws.s3.BucketVersioning(
      `${name}-state`,
      { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-state`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-state`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: 'expire-old-checkpoints',
            status: 'Enabled',
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 90 },
          },
        ],
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${name}-state`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyPolicy(arn))) },
      parent,
    );

    this.bucketName = bucket.bucket;
    this.keyAlias = alias.name;
    this.keyArn = key.arn;
    this.registerOutputs({ bucketName: this.bucketName, keyAlias: this.keyAlias });
  }
}
