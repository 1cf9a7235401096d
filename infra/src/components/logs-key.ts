import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { logsKeyPolicy } from '../lib/kms.js';

export interface LogsKeyArgs {
  /** The account and region whose CloudWatch Logs may use the key (from the caller's identity). */
  readonly account: string;
  readonly region: string;
  readonly tags?: Record<string, string>;
}

/** One KMS key for the stack's log groups (flow logs, control-plane logs): they hold addresses and API calls. */
export class LogsKey extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: LogsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:observability:LogsKey', name, {}, opts);
    const key = new aws.kms.Key(
      `${name}-logs`,
      {
        description: `${name}: encrypts the stack's CloudWatch log groups`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(logsKeyPolicy(args.account, args.region)),
        tags: args.tags,
      },
      { parent: this },
    );
    this.arn = key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
