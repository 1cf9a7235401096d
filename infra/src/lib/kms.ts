interface KeyPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { AWS: string } | { Service: string };
  Action: string | string[];
  Resource: '*';
  Condition?: Record<string, Record<string, string>>;
}

/**
 * Key policy of the key that encrypts this stack's CloudWatch log groups: the account administers
 * it (the default key policy), and CloudWatch Logs of this region may use it only for log groups
 * of this account (AWS CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS
 * KMS", step 2).
 */
export function logsKeyPolicy(
  account: string,
  region: string,
  partition = 'aws',
): { Version: '2012-10-17'; Statement: KeyPolicyStatement[] } {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountAdministersTheKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
        },
      },
    ],
  };
}
