import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import t from 'tap';
import { parse } from 'yaml';
import { ACCOUNT, REPO_ROOT } from './mocks.js';
import { declaredBootstrap } from './ci/declared.js';
import { bootstrapKeyArn } from '../src/bootstrap/lookup.js';

const { recorded, outputs } = declaredBootstrap();
const all = (type: string) => recorded.filter((r) => r.type === type);
const one = (type: string, namePart = '') => {
  const found = all(type).filter((r) => r.name.includes(namePart));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${namePart}*, found ${found.length}`);
  return found[0]!;
};

t.test('the state backend', async (t) => {
  t.match(
    outputs['loginCommand'],
    `pulumi login 's3://zumo-pulumi-state-${ACCOUNT}`,
    'the login command for the main project',
  );
  const bucket = one('aws:s3/bucket:Bucket', '-state');
  t.equal(bucket.inputs['bucket'], `zumo-pulumi-state-${ACCOUNT}`);
  t.match(one('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs, {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  t.equal(
    one('aws:s3/bucketVersioning:BucketVersioning').inputs['versioningConfiguration'].status,
    'Enabled',
    'every checkpoint is recoverable',
  );
  const sse = one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').inputs;
  t.equal(sse['rules'][0].applyServerSideEncryptionByDefault.sseAlgorithm, 'aws:kms', 'encrypted with the KMS key');
  const policy = JSON.parse(one('aws:s3/bucketPolicy:BucketPolicy').inputs['policy']);
  t.match(policy.Statement[0], { Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }, 'TLS only');
  t.equal(one('aws:kms/key:Key', '-state').inputs['tags'].purpose, 'pulumi-state');
  t.equal(one('aws:kms/alias:Alias', '-state').inputs['name'], 'alias/zumo-pulumi-state');
  t.equal(all('aws:s3/bucket:Bucket').length, 1);
});

t.test('the account-wide GitHub identity: one provider, a connection, per stack a boundary and a key', async (t) => {
  const provider = one('aws:iam/openIdConnectProvider:OpenIdConnectProvider');
  t.equal(provider.inputs['url'], 'https://token.actions.githubusercontent.com');
  t.same(provider.inputs['clientIdLists'], ['sts.amazonaws.com']);
  t.equal(
    outputs['githubOidcProviderArn'],
    `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    'the ARN the stacks take through githubOidcProviderArn',
  );
  t.equal(one('aws:codeconnections/connection:Connection').inputs['providerType'], 'GitHub');
  t.same(outputs['permissionsBoundaryArns'], {
    dev: `arn:aws:iam::${ACCOUNT}:policy/zumo-dev-boundary`,
    prod: `arn:aws:iam::${ACCOUNT}:policy/zumo-prod-boundary`,
  });
  t.same(outputs['secretsProviders'], {
    dev: 'awskms://alias/zumo-pulumi-secrets-dev?region=eu-west-1',
    prod: 'awskms://alias/zumo-pulumi-secrets-prod?region=eu-west-1',
  });
  for (const stack of ['dev', 'prod'])
    t.match(one('aws:kms/key:Key', `-${stack}-secrets`).inputs, {
      enableKeyRotation: true,
      tags: { stack, purpose: 'pulumi-secrets' },
    });
});

t.test('bootstrap and the stacks use one region', async (t) => {
  // The state bucket, its key and the secrets keys live where bootstrap ran; the stacks look the
  // keys up in their own region, the CI roles decrypt the state only through S3 in the stacks'
  // region (kms:ViaService s3.<region>.amazonaws.com) and the secrets providers name a region.
  const project = parse(readFileSync(join(REPO_ROOT, 'infra/bootstrap/Pulumi.yaml'), 'utf8')) as {
    config: Record<string, unknown>;
  };
  const region = project.config['aws:region'];
  t.equal(typeof region, 'string', 'infra/bootstrap sets aws:region (a default an admin may override)');
  t.equal(outputs['region'], 'eu-west-1', 'and exports the region it ran in');
  t.equal(
    outputs['loginCommand'],
    `pulumi login 's3://zumo-pulumi-state-${ACCOUNT}?region=eu-west-1'`,
    "the login names the bucket's region (PULUMI_BACKEND_URL)",
  );
  for (const stack of ['dev', 'prod']) {
    const file = parse(readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8')) as {
      secretsprovider: string;
      config: Record<string, unknown>;
    };
    t.equal(file.config['aws:region'], region, `Pulumi.${stack}.yaml: the bootstrap region`);
    t.equal(new URL(file.secretsprovider).searchParams.get('region'), region, `${stack}: its secrets key's region`);
  }
});

t.test('a stack whose region has no bootstrap keys says so', async (t) => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: args.name, state: args.inputs }),
      call: (args) => {
        if (args.token === 'aws:kms/getAlias:getAlias') throw new Error('NotFoundException: Alias is not found.');
        return {};
      },
    },
    'zumo',
    'dev',
  );
  await t.rejects(
    bootstrapKeyArn('alias/zumo-pulumi-state', 'us-east-1'),
    /alias\/zumo-pulumi-state is not in us-east-1.*infra\/bootstrap.*aws:region/,
  );
});
