import t from 'tap';
import { ACCOUNT } from './mocks.js';
import { declaredBootstrap } from './ci/declared.js';

const { recorded, outputs } = declaredBootstrap();
const all = (type: string) => recorded.filter((r) => r.type === type);
const one = (type: string, namePart = '') => {
  const found = all(type).filter((r) => r.name.includes(namePart));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${namePart}*, found ${found.length}`);
  return found[0]!;
};

t.test('the state backend', async (t) => {
  t.equal(
    outputs['loginCommand'],
    `pulumi login s3://zumo-pulumi-state-${ACCOUNT}`,
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
