import t from 'tap';
import { find } from './mocks.js';
import { checkCommon } from './program-checks.js';
import { declaredProgram } from './ci/declared.js';

const { recorded, outputs } = declaredProgram('prod');

t.test('the program on stack prod', async (t) => {
  checkCommon(t, 'prod', recorded, outputs);

  t.test('prod survives an AZ and keeps its data', async (t) => {
    const vpc = find(recorded, 'awsx:ec2:Vpc')[0]!;
    t.same(vpc.inputs['natGateways'], { strategy: 'OnePerAz' }, 'a NAT gateway per AZ');
    const interfaces = find(recorded, 'aws:ec2/vpcEndpoint:VpcEndpoint').filter(
      (e) => e.inputs['vpcEndpointType'] === 'Interface',
    );
    t.same(interfaces.map((e) => e.inputs['serviceName']).sort(), [
      'com.amazonaws.eu-west-1.ecr.api',
      'com.amazonaws.eu-west-1.ecr.dkr',
      'com.amazonaws.eu-west-1.sts',
    ]);
    t.equal(
      find(recorded, 'aws:ecr/repository:Repository')[0]!.inputs['forceDelete'],
      false,
      'release images cannot be deleted with the repository',
    );
    t.equal(find(recorded, 'aws:lb/loadBalancer:LoadBalancer')[0]!.inputs['enableDeletionProtection'], true);
    t.notOk(
      find(recorded, 'aws:s3/bucket:Bucket', '-site')[0]!.inputs['forceDestroy'],
      'the page bucket keeps its versions: destroying prod needs it emptied on purpose',
    );
    t.equal(find(recorded, 'aws:cloudwatch/logGroup:LogGroup', 'flow-logs')[0]!.inputs['retentionInDays'], 90);
    t.equal(
      find(recorded, 'aws:eks/cluster:Cluster')[0]!.inputs['deletionProtection'],
      true,
      'the cluster refuses deletion',
    );
    const argocd = find(recorded, 'kubernetes:helm.sh/v3:Release').find((r) => r.inputs['chart'] === 'argo-cd')!;
    t.equal(argocd.inputs['values']['redis-ha'].enabled, true, 'Argo CD in HA');
    t.match(find(recorded, 'aws:eks/nodeGroup:NodeGroup', 'general')[0]!.inputs['scalingConfig'], {
      minSize: 3,
      desiredSize: 3,
      maxSize: 6,
    });
  });

  t.test('prod has a WAF in us-east-1 with managed rules and a rate rule', async (t) => {
    const acl = find(recorded, 'aws:wafv2/webAcl:WebAcl');
    t.equal(acl.length, 1);
    t.equal(acl[0]!.inputs['scope'], 'CLOUDFRONT');
    const rules = acl[0]!.inputs['rules'] as { name: string; statement: Record<string, any> }[];
    t.ok(
      rules.some((r) => r.statement['managedRuleGroupStatement']?.name === 'AWSManagedRulesCommonRuleSet'),
      'AWS common rule set',
    );
    t.equal(rules.find((r) => r.name === 'rate-per-ip')?.statement['rateBasedStatement'].limit, 2000, 'rate rule');
    const cdn = find(recorded, 'aws:cloudfront/distribution:Distribution')[0]!;
    t.ok(cdn.inputs['webAclId'], 'the distribution uses it');
  });
});
