import * as pulumi from '@pulumi/pulumi';
import t from 'tap';
import { find, one, settle, valueOf, type Recorded } from './mocks.js';

const recorded: Recorded[] = [];
process.env['PULUMI_CONFIG'] = JSON.stringify({ 'zumo-bootstrap:stateBucketName': 'zumo-pulumi-state-123456789012' });
await pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs, state: args.inputs });
      return {
        id: `${args.name}-id`,
        state: {
          ...args.inputs,
          arn: `arn:aws:mock:::${args.name}`,
          bucket: args.inputs['bucket'] ?? args.name,
          keyId: 'key-1',
        },
      };
    },
    call(args) {
      throw new Error(`unexpected provider call ${args.token}`);
    },
  },
  'zumo-bootstrap',
  'account',
);
const program = await import('../src/bootstrap/index.js');
const login = await valueOf(program.loginCommand);
await settle();

t.test('the state backend', async (t) => {
  t.equal(login, 'pulumi login s3://zumo-pulumi-state-123456789012', 'the login command for the main project');
  t.equal(await valueOf(program.secretsProvider), 'awskms://alias/zumo-pulumi-secrets');
  const bucket = one(recorded, 'aws:s3/bucket:Bucket', '-state');
  t.equal(bucket.inputs['bucket'], 'zumo-pulumi-state-123456789012');
  t.match(one(recorded, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs, {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  t.equal(
    one(recorded, 'aws:s3/bucketVersioning:BucketVersioning').inputs['versioningConfiguration'].status,
    'Enabled',
    'every checkpoint is recoverable',
  );
  const sse = one(
    recorded,
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  ).inputs;
  t.equal(sse['rules'][0].applyServerSideEncryptionByDefault.sseAlgorithm, 'aws:kms', 'encrypted with the KMS key');
  const policy = JSON.parse(one(recorded, 'aws:s3/bucketPolicy:BucketPolicy').inputs['policy']);
  t.match(policy.Statement[0], { Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }, 'TLS only');
  t.equal(one(recorded, 'aws:kms/key:Key').inputs['enableKeyRotation'], true);
  t.equal(one(recorded, 'aws:kms/alias:Alias').inputs['name'], 'alias/zumo-pulumi-secrets');
  t.equal(find(recorded, 'aws:s3/bucket:Bucket').length, 1);
});
