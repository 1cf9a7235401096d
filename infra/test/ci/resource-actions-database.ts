/**
 * What `pulumi up` calls in AWS for the database's resource types (resource-actions.ts explains
 * the table): the Aurora cluster, its instances and subnet group, and the user command.
 */
import { owned, tagged, type Need, type StackNames } from './stack-requests.js';

export const DATABASE_ACTIONS: Record<string, (s: StackNames) => Need[]> = {
  'aws:rds/subnetGroup:SubnetGroup': (s) => {
    const arn = `arn:aws:rds:${s.region}:${s.account}:subgrp:${s.prefix}db-1234567`;
    return [
      { action: 'rds:CreateDBSubnetGroup', resource: arn, context: tagged(s) },
      { action: 'rds:AddTagsToResource', resource: arn, context: tagged(s) },
      { action: 'rds:DeleteDBSubnetGroup', resource: arn },
    ];
  },
  'aws:rds/cluster:Cluster': (s) => {
    const arn = `arn:aws:rds:${s.region}:${s.account}:cluster:${s.prefix}db-1234567`;
    const key = `arn:aws:kms:${s.region}:${s.account}:key/0000-${s.stack}`;
    const secret = `arn:aws:secretsmanager:${s.region}:${s.account}:secret:rds!cluster-0000-AbCdEf`;
    return [
      { action: 'rds:CreateDBCluster', resource: arn, context: tagged(s) },
      {
        action: 'rds:CreateDBCluster',
        resource: `arn:aws:rds:${s.region}:${s.account}:cluster-pg:default.aurora-postgresql16`,
      },
      { action: 'rds:AddTagsToResource', resource: arn, context: tagged(s) },
      // Storage and the managed master secret are encrypted with the stack's key (dependent actions).
      { action: 'kms:CreateGrant', resource: key, context: owned(s) },
      { action: 'kms:DescribeKey', resource: key, context: owned(s) },
      { action: 'secretsmanager:CreateSecret', resource: secret },
      { action: 'secretsmanager:TagResource', resource: secret },
      { action: 'rds:EnableHttpEndpoint', resource: arn, context: owned(s) },
      { action: 'rds:ModifyDBCluster', resource: arn, context: owned(s) },
      { action: 'rds:DeleteDBCluster', resource: arn, context: owned(s) },
      {
        action: 'rds:DeleteDBCluster',
        resource: `arn:aws:rds:${s.region}:${s.account}:cluster-snapshot:${s.prefix}db-final`,
      },
    ];
  },
  'aws:rds/clusterInstance:ClusterInstance': (s) => {
    const arn = `arn:aws:rds:${s.region}:${s.account}:db:${s.prefix}db-1-1234567`;
    return [
      { action: 'rds:CreateDBInstance', resource: arn, context: tagged(s) },
      {
        action: 'rds:CreateDBInstance',
        resource: `arn:aws:rds:${s.region}:${s.account}:cluster:${s.prefix}db-1234567`,
        context: owned(s),
      },
      {
        action: 'rds:CreateDBInstance',
        resource: `arn:aws:rds:${s.region}:${s.account}:pg:default.aurora-postgresql16`,
      },
      { action: 'rds:AddTagsToResource', resource: arn, context: tagged(s) },
      { action: 'rds:DeleteDBInstance', resource: arn, context: owned(s) },
    ];
  },
  // The database user command: SQL through the Data API as the RDS-managed master secret.
  'command:local:Command': (s) => [
    {
      action: 'rds-data:ExecuteStatement',
      resource: `arn:aws:rds:${s.region}:${s.account}:cluster:${s.prefix}db-1234567`,
    },
    {
      action: 'secretsmanager:GetSecretValue',
      resource: `arn:aws:secretsmanager:${s.region}:${s.account}:secret:rds!cluster-0000-AbCdEf`,
    },
    { action: 'kms:Decrypt', resource: `arn:aws:kms:${s.region}:${s.account}:key/0000-${s.stack}`, context: owned(s) },
  ],
};
