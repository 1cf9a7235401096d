/**
 * What a stack's CI roles may do on the Pulumi state backend (infra/bootstrap): the S3 objects of
 * their own stack only, decrypted through S3 with the state bucket's key, and their own stack's
 * secrets key. Paths follow Pulumi's DIY backend layout for project-scoped stacks (pulumi/pulumi
 * pkg/backend/diy/store.go and lock.go): stacks/<project>/<stack>.json*, history/<project>/<stack>/,
 * backups/<project>/<stack>/, locks/organization/<project>/<stack>/. A preview takes no lock
 * (diy backend.go: Preview does not call Lock), so read-only roles need no write at all.
 */
import type { PolicyStatement } from './iam.js';

export interface StateBackend {
  /** The state bucket created by infra/bootstrap. */
  readonly bucketName: string;
  /** Its default encryption key (SSE-KMS): objects are decrypted through S3 only. */
  readonly stateKeyArn: string;
  /** The stack's own secrets key (awskms secrets provider); every stack has its own. */
  readonly secretsKeyArn: string;
  readonly project: string;
  readonly stack: string;
  readonly region: string;
}

/** Object keys (patterns) that hold one stack's state, history, backups and locks. */
export function stateObjectKeys(project: string, stack: string): string[] {
  return [
    `.pulumi/stacks/${project}/${stack}.json*`,
    `.pulumi/history/${project}/${stack}/*`,
    `.pulumi/backups/${project}/${stack}/*`,
    `.pulumi/locks/organization/${project}/${stack}/*`,
  ];
}

export const stateObjectArns = (bucketName: string, project: string, stack: string) =>
  stateObjectKeys(project, stack).map((key) => `arn:aws:s3:::${bucketName}/${key}`);

/** Read (preview, refresh preview) or read and write (up) the stack's state. */
export function stateStatements(s: StateBackend, access: 'read' | 'write'): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${s.bucketName}`;
  const objects = stateObjectArns(s.bucketName, s.project, s.stack);
  const write = access === 'write';
  return [
    // Listing shows key names only; Pulumi lists to find stacks and locks.
    { Sid: 'StateList', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
    // The backend's layout version, written once by the first login (an admin's, see docs).
    { Sid: 'StateMeta', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/.pulumi/meta.yaml` },
    {
      Sid: 'StateObjects',
      Effect: 'Allow',
      Action: write ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : 's3:GetObject',
      Resource: objects,
    },
    {
      Sid: 'StateKeyThroughS3',
      Effect: 'Allow',
      Action: write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : 'kms:Decrypt',
      Resource: s.stateKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${s.region}.amazonaws.com` } },
    },
    {
      Sid: 'StackSecrets',
      Effect: 'Allow',
      Action: write ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : 'kms:Decrypt',
      Resource: s.secretsKeyArn,
    },
  ];
}
