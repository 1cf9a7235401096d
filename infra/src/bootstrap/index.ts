/** The bootstrap program (infra/bootstrap/Pulumi.yaml): the state backend of the main project. */
import * as pulumi from '@pulumi/pulumi';
import { StateBackend } from './state-backend.js';

const config = new pulumi.Config();
const backend = new StateBackend('zumo', {
  bucketName: config.require('stateBucketName'),
  secretsKeyAlias: config.get('secretsKeyAlias') ?? 'alias/zumo-pulumi-secrets',
  tags: { project: 'zumo', 'managed-by': 'pulumi', purpose: 'pulumi-state' },
});

export const stateBucketName = backend.bucketName;
export const secretsKeyAlias = backend.keyAlias;
export const loginCommand = pulumi.interpolate`pulumi login s3://${backend.bucketName}`;
export const secretsProvider = pulumi.interpolate`awskms://${backend.keyAlias}`;
