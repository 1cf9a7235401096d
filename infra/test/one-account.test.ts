// Both stacks in one AWS account, as docs/infra.md deploys them: nothing account-wide is declared
// twice, and no account-wide selector of one stack picks the other stack's resources.
import t from 'tap';
import { ACCOUNT_WIDE } from './system/account-wide.js';
import { declaredProgram } from './ci/declared.js';

type Declared = { type: string; name: string; inputs: Record<string, unknown> }[];

const stacks: Record<'dev' | 'prod', Declared> = {
  dev: declaredProgram('dev').recorded,
  prod: declaredProgram('prod').recorded,
};

for (const kind of ACCOUNT_WIDE) {
  const ids = (stack: Declared) =>
    stack
      .filter((r) => r.type === kind.type)
      .map((r) => kind.identity(r.inputs))
      .filter((id) => id !== undefined);
  const shared = ids(stacks.dev).filter((id) => ids(stacks.prod).includes(id));
  t.same(shared, [], `${kind.type.split(':').pop()}: not declared by both stacks (${kind.why})`);
}

t.test("each stack tags its VPC's default network ACL, security group and main route table", async (t) => {
  // AWS creates them untagged; the boundary fences the other stack by its `stack` tag
  // (lib/boundary.ts OtherTagged), so an untagged one is open to the other stack's created roles.
  for (const stack of ['dev', 'prod'] as const) {
    const vpcs = stacks[stack].filter((r) => r.type === 'awsx:ec2:Vpc').length;
    for (const type of [
      'aws:ec2/defaultNetworkAcl:DefaultNetworkAcl',
      'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup',
      'aws:ec2/defaultRouteTable:DefaultRouteTable',
    ]) {
      const adopted = stacks[stack].filter((r) => r.type === type);
      t.equal(adopted.length, vpcs, `${stack}: one ${type.split(':').pop()} per VPC`);
      for (const r of adopted)
        t.equal(
          (r.inputs['tags'] as Record<string, string> | undefined)?.['stack'],
          stack,
          `${stack}: ${r.name} carries its stack tag`,
        );
    }
  }
});

t.test('the check sees a collision', async (t) => {
  const alarm = ACCOUNT_WIDE.find((k) => k.type === 'aws:cloudwatch/metricAlarm:MetricAlarm')!;
  t.equal(alarm.identity({ name: 'zumo-uptime' }), 'zumo-uptime', 'a fixed name is an identity');
  t.equal(alarm.identity({}), undefined, 'an autonamed resource never collides');
});
