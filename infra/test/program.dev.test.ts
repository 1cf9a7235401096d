import t from 'tap';
import { find } from './mocks.js';
import { checkCommon } from './program-checks.js';
import { declaredProgram } from './ci/declared.js';

const { recorded, outputs } = declaredProgram('dev');

t.test('the program on stack dev', async (t) => {
  checkCommon(t, 'dev', recorded, outputs);

  t.test('dev saves money where prod buys resilience', async (t) => {
    const vpc = find(recorded, 'awsx:ec2:Vpc')[0]!;
    t.same(vpc.inputs['natGateways'], { strategy: 'Single' }, 'one NAT gateway');
    t.equal(find(recorded, 'aws:ec2/vpcEndpoint:VpcEndpoint').length, 1, 'only the free S3 gateway endpoint');
    t.equal(find(recorded, 'aws:wafv2/webAcl:WebAcl').length, 0, 'no WAF');
    t.equal(
      find(recorded, 'aws:ecr/repository:Repository')[0]!.inputs['forceDelete'],
      true,
      'the dev registry can be torn down',
    );
    t.equal(find(recorded, 'aws:lb/loadBalancer:LoadBalancer')[0]!.inputs['enableDeletionProtection'], false);
    const buckets = find(recorded, 'aws:s3/bucket:Bucket');
    t.ok(buckets.length >= 2, 'the page and the reports buckets');
    for (const bucket of buckets)
      t.equal(bucket.inputs['forceDestroy'], true, `${bucket.name}: pulumi destroy empties it (every version) first`);
    t.match(find(recorded, 'aws:eks/nodeGroup:NodeGroup', 'general')[0]!.inputs['scalingConfig'], {
      minSize: 2,
      desiredSize: 2,
      maxSize: 4,
    });
  });
});
