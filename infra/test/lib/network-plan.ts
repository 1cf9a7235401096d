import t from 'tap';
import { cidrContains, cidrsOverlap, maxZonesFor, planSubnets } from '../../src/lib/network-plan.js';

t.test('the default VPC: 3 AZs of private /20, public /22 and load balancer /26', async (t) => {
  t.same(planSubnets('10.40.0.0/16', 3), {
    vpcCidr: '10.40.0.0/16',
    private: ['10.40.0.0/20', '10.40.16.0/20', '10.40.32.0/20'],
    public: ['10.40.48.0/22', '10.40.52.0/22', '10.40.56.0/22'],
    lb: ['10.40.60.0/26', '10.40.60.64/26', '10.40.60.128/26'],
  });
});

t.test('every plan that fits: subnets inside the VPC, aligned, pairwise disjoint', async (t) => {
  for (const vpc of ['10.0.0.0/16', '172.16.128.0/17', '192.168.0.0/18', '10.99.192.0/18']) {
    const prefix = Number(vpc.split('/')[1]);
    for (let zones = 1; zones <= Math.min(6, maxZonesFor(prefix)); zones++) {
      const plan = planSubnets(vpc, zones);
      const all = [...plan.private, ...plan.public, ...plan.lb];
      t.equal(all.length, zones * 3, `${vpc} x ${zones}: three subnets per AZ`);
      t.ok(
        all.every((c) => cidrContains(vpc, c)),
        `${vpc} x ${zones}: inside the VPC`,
      );
      const overlapping = all.flatMap((a, i) =>
        all
          .slice(i + 1)
          .filter((b) => cidrsOverlap(a, b))
          .map((b) => `${a}~${b}`),
      );
      t.same(overlapping, [], `${vpc} x ${zones}: no two subnets overlap`);
    }
    t.throws(() => planSubnets(vpc, maxZonesFor(prefix) + 1), /at most/, `${vpc}: one AZ too many is refused`);
  }
});

t.test('the load balancer subnets hold no node or pod address', async (t) => {
  const plan = planSubnets('10.40.0.0/16', 3);
  t.notOk(plan.lb.some((lb) => plan.private.some((p) => cidrsOverlap(lb, p))));
});

t.test('capacity by prefix length', async (t) => {
  t.same([16, 17, 18, 19, 20].map(maxZonesFor), [12, 6, 3, 1, 0]);
});
