import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { APP } from '@zumo/config';
import { BACKUP_SCHEDULE, BACKUP_SELECTION_TAG } from '../lib/operations.js';

export interface BackupsArgs {
  /** Days each daily snapshot is kept. */
  readonly retentionDays: number;
  /** Keep recovery points when the stack is destroyed (prod). */
  readonly protectData: boolean;
  /**
   * Tags the EBS CSI driver puts on this stack's volumes besides the namespace one (ClusterAddons
   * volumeTags): both stacks of an account tag theirs with the app namespace, so selecting on that
   * alone would back up the other stack's volume too.
   */
  readonly stackVolumeTags: Record<string, string>;
  readonly tags?: Record<string, string>;
}

/**
 * Daily AWS Backup snapshots of the app's data volume, kept `retentionDays`. Restoring is in
 * docs/operations.md (a snapshot becomes a new volume, bound to the claim through a static PV).
 */
export class Backups extends pulumi.ComponentResource {
  public readonly vaultName: pulumi.Output<string>;
  public readonly planId: pulumi.Output<string>;

  constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:operations:Backups', name, {}, opts);
    const parent = { parent: this };
    const data = { parent: this, retainOnDelete: args.protectData };

    const key = new aws.kms.Key(
      `${name}-backup`,
      {
        description: `${name}: AWS Backup vault key`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: args.tags,
      },
      data,
    );
    const vault = new aws.backup.Vault(
      `${name}-backup`,
      { kmsKeyArn: key.arn, forceDestroy: !args.protectData, tags: args.tags },
      data,
    );
    const plan = new aws.backup.Plan(
      `${name}-backup`,
      {
        rules: [
          {
            ruleName: 'daily',
            targetVaultName: vault.name,
            // EBS snapshots are crash-consistent; SQLite's WAL with synchronous=FULL recovers
            // from exactly that state, like after a power cut.
            schedule: BACKUP_SCHEDULE,
            startWindow: 60,
            completionWindow: 180,
            lifecycle: { deleteAfter: args.retentionDays },
          },
        ],
        tags: args.tags,
      },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-backup`,
      {
        description: `${name}: AWS Backup snapshots and restores of the app volume`,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
        tags: args.tags,
      },
      parent,
    );
    const rolePolicies = ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-backup-${policy}`,
          { role: role.name, policyArn: `arn:aws:iam::aws:policy/service-role/${policy}` },
          parent,
        ),
    );
    // AWS Backup assumes the role for the next job: it holds its policies before the selection exists.
    new aws.backup.Selection(
      `${name}-backup`,
      {
        name: `${name}-app-volumes`,
        planId: plan.id,
        iamRoleArn: role.arn,
        resources: ['arn:aws:ec2:*:*:volume/*'],
        // The entries of one condition must all match (AND).
        conditions: [
          {
            stringEquals: Object.entries({ [BACKUP_SELECTION_TAG]: APP.namespace, ...args.stackVolumeTags }).map(
              ([key, value]) => ({ key: `aws:ResourceTag/${key}`, value }),
            ),
          },
        ],
      },
      { ...parent, dependsOn: rolePolicies },
    );

    this.vaultName = vault.name;
    this.planId = plan.id;
    this.registerOutputs({ vaultName: this.vaultName, planId: this.planId });
  }
}
