/**
 * The bootstrap program (infra/bootstrap/Pulumi.yaml), once per AWS account, by an admin: the
 * state backend of the main project and the account-wide GitHub Actions identity (OIDC provider,
 * runner connection, per-stack permissions boundaries and secrets keys).
 */
import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { APP } from '@zumo/config';
import { StateBackend } from './state-backend.js';
import { AccountIdentity } from './account-identity.js';
import { accountStackDomains, accountStacks } from '../lib/account-stacks.js';

const PROJECT = 'zumo';
// Both have their default in infra/bootstrap/Pulumi.yaml, which the CLI injects into the config.
const config = new pulumi.Config();
const stacks = accountStacks(config.requireObject<unknown>('stacks'));
const stackDomains = accountStackDomains(config.requireObject<unknown>('stackDomains'), stacks);
const tags = { project: PROJECT, 'managed-by': 'pulumi' };

const backend = new StateBackend(PROJECT, {
  bucketName: config.require('stateBucketName'),
  stateKeyAlias: config.require('stateKeyAlias'),
  tags: { ...tags, purpose: 'pulumi-state' },
});
const identity = new AccountIdentity(PROJECT, {
  project: PROJECT,
  stacks,
  // Prod runs what dev ran: its release role reads (only reads) dev's images.
  promotions: stacks.includes('prod') && stacks.includes('dev') ? { prod: ['dev'] } : {},
  stackDomains,
  accountId: aws.getCallerIdentityOutput().accountId,
  stateBucketName: backend.bucketName,
  imageRepository: (stack) => `${APP.imageRepository}-${stack}`,
  tags,
});
/** Where the backend and the keys are (infra/bootstrap/Pulumi.yaml aws:region): the stacks' region. */
export const region = aws.getRegionOutput().region;

export const stateBucketName = backend.bucketName;
export const stateKeyAlias = backend.keyAlias;
/** Also the repository variable PULUMI_BACKEND_URL (the part in quotes). */
export const loginCommand = pulumi.interpolate`pulumi login 's3://${backend.bucketName}?region=${region}'`;
export const githubOidcProviderArn = identity.githubOidcProviderArn;
export const githubConnectionArn = identity.githubConnectionArn;
export const permissionsBoundaryArns = identity.boundaryArns;
/** `pulumi stack init <stack> --secrets-provider <this>` from the repository root. */
export const secretsProviders = Object.fromEntries(
  Object.entries(identity.secretsKeyAliases).map(([stack, alias]) => [
    stack,
    pulumi.interpolate`awskms://${alias}?region=${region}`,
  ]),
);
