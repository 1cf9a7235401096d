import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { PrivateBucket } from '../components/private-bucket.js';
import { denyInsecureTransport } from '../lib/s3.js';

export interface StateBackendArgs {
  /** Globally unique bucket name; the main stacks log in with `pulumi login s3://<name>`. */
  readonly bucketName: string;
  /** Alias of the bucket's encryption key (stack secrets have keys of their own). */
  readonly stateKeyAlias: string;
  readonly tags?: Record<string, string>;
}

/** Bucket policy refusing any request that is not over TLS. */
export function tlsOnlyPolicy(bucketArn: string) {
  return { Version: '2012-10-17', Statement: [denyInsecureTransport(bucketArn)] };
}

/**
 * Where Pulumi keeps state: a private, versioned (every checkpoint can be recovered),
 * KMS-encrypted bucket reachable only over TLS, with a rotating KMS key of its own. Both are
 * protected: deleting them would orphan every stack. Each stack's secrets key is created by
 * AccountIdentity, so reading one stack's state never decrypts another's secrets.
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
      `${name}-state`,
      {
        description: 'Zumo Pulumi state bucket encryption',
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: { ...args.tags, purpose: 'pulumi-state' },
      },
      protect,
    );
    const alias = new aws.kms.Alias(`${name}-state`, { name: args.stateKeyAlias, targetKeyId: key.keyId }, parent);

    const bucket = new PrivateBucket(
      `${name}-state`,
      {
        bucketName: args.bucketName,
        kmsKeyArn: key.arn,
        versioning: true,
        noncurrentDays: 90,
        protect: true,
        tags: args.tags,
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${name}-state`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyPolicy(arn))) },
      parent,
    );

    this.bucketName = bucket.name;
    this.keyAlias = alias.name;
    this.keyArn = key.arn;
    this.registerOutputs({ bucketName: this.bucketName, keyAlias: this.keyAlias });
  }
}
