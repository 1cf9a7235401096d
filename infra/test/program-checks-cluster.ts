import type { Test } from 'tap';
import { APP, NODE_POOL } from '@zumo/config';
import { ACCESS_POLICIES, CONTROL_PLANE_LOGS } from '../src/lib/eks.js';
import { TEST_ADMIN_CIDRS, find, one, type Recorded } from './mocks.js';

/** The cluster, its nodes and add-ons, on both stacks (what makes it secure and recoverable). */
export function checkCluster(t: Test, stack: string, recorded: Recorded[]) {
  t.test('cluster: control plane', async (t) => {
    const cluster = one(recorded, 'aws:eks/cluster:Cluster').inputs;
    t.equal(cluster['name'], `zumo-${stack}-eks`);
    t.equal(cluster['version'], '1.35', 'pinned version');
    t.same(
      cluster['accessConfig'],
      { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      'access entries only, and no implicit admin for whoever created the cluster',
    );
    t.equal(cluster['bootstrapSelfManagedAddons'], false, 'every add-on is a managed one, created when it can run');
    t.same(cluster['enabledClusterLogTypes'], CONTROL_PLANE_LOGS);
    t.same(cluster['encryptionConfig'].resources, ['secrets'], 'secrets are envelope-encrypted with KMS');
    t.match(cluster['vpcConfig'], {
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: TEST_ADMIN_CIDRS,
      subnetIds: ['subnet-private-a', 'subnet-private-b', 'subnet-private-c'],
    });
    t.same(cluster['upgradePolicy'], { supportType: 'STANDARD' }, 'never billed for extended support');
    const logGroup = one(recorded, 'aws:cloudwatch/logGroup:LogGroup', 'control-plane').inputs;
    t.match(logGroup, { name: `/aws/eks/zumo-${stack}-eks/cluster`, retentionInDays: stack === 'prod' ? 90 : 14 });
    t.ok(logGroup['kmsKeyId'], 'control-plane logs are encrypted');
    t.equal(one(recorded, 'aws:kms/key:Key', '-secrets').inputs['enableKeyRotation'], true);
    const logsKey = JSON.parse(one(recorded, 'aws:kms/key:Key', '-logs').inputs['policy']);
    t.match(
      logsKey.Statement[1],
      {
        Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': /^arn:aws:logs:eu-west-1:\d{12}:log-group:\*$/ },
        },
      },
      "CloudWatch Logs may use the logs key for this account's log groups only",
    );
  });

  t.test('cluster: who gets in', async (t) => {
    const admin = 'arn:aws:iam::123456789012:role/zumo-platform-admin';
    const ciRole = (kind: string) => one(recorded, 'aws:iam/role:Role', `-${kind}`).state['arn'];
    const entries = find(recorded, 'aws:eks/accessEntry:AccessEntry').map((e) => e.inputs['principalArn']);
    t.same(
      entries,
      [admin, ciRole('infra'), ciRole('preview')],
      'the configured admins and the CI infra and preview roles, through access entries',
    );
    const associations = find(recorded, 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation');
    t.same(
      associations.map((a) => [a.inputs['principalArn'], a.inputs['policyArn'], a.inputs['accessScope'].type]),
      [
        [admin, ACCESS_POLICIES.admin, 'cluster'],
        [ciRole('infra'), ACCESS_POLICIES.admin, 'cluster'],
        [ciRole('preview'), ACCESS_POLICIES.adminView, 'cluster'],
      ],
      'admins and the infra role administer; the preview role only reads',
    );
    t.notOk(JSON.stringify(recorded.map((r) => r.inputs)).includes('system:masters'), 'no system:masters');
  });

  t.test('cluster: nodes', async (t) => {
    const template = one(recorded, 'aws:ec2/launchTemplate:LaunchTemplate').inputs;
    t.same(
      template['metadataOptions'],
      { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      "IMDSv2 only, one hop: pods cannot reach the node role's credentials",
    );
    t.notOk(
      template['vpcSecurityGroupIds'],
      'no security groups in the template: nodes get the cluster security group',
    );
    t.equal(template['blockDeviceMappings'][0].ebs.encrypted, 'true', 'encrypted root volumes');
    // What a node launches carries the stack tag, so the other stack's roles (fenced by their
    // boundary) and this stack's infra role (allowed by it) tell them apart.
    t.same(
      template['tagSpecifications'].map((spec: { resourceType: string; tags: Record<string, string> }) => [
        spec.resourceType,
        spec.tags['stack'],
      ]),
      ['instance', 'volume', 'network-interface'].map((type) => [type, stack]),
      'instances, their volumes and network interfaces carry the stack tag',
    );
    const groups: Record<string, Record<string, any>> = Object.fromEntries(
      find(recorded, 'aws:eks/nodeGroup:NodeGroup').map((g) => [g.inputs['labels'][NODE_POOL.label], g.inputs]),
    );
    t.same(Object.keys(groups), [NODE_POOL.general], 'one pool: no workload is pinned to a zone');
    for (const group of Object.values(groups)) {
      t.equal(group['amiType'], 'AL2023_x86_64_STANDARD');
      t.equal(group['launchTemplate'].id, `zumo-${stack}-nodes-id`, 'from the IMDSv2 launch template');
      t.notOk(group['remoteAccess'], 'no SSH');
    }
    t.same(groups[NODE_POOL.general]!['subnetIds'], ['subnet-private-a', 'subnet-private-b', 'subnet-private-c']);
  });

  t.test("cluster: the web app's namespace is Pulumi's, Pod Security restricted", async (t) => {
    const namespace = one(recorded, 'kubernetes:core/v1:Namespace', '-web-namespace').inputs['metadata'];
    t.equal(namespace.name, APP.namespace);
    for (const mode of ['enforce', 'audit', 'warn'])
      t.equal(namespace.labels[`pod-security.kubernetes.io/${mode}`], 'restricted', `${mode}: restricted`);
    t.equal(
      namespace.labels['elbv2.k8s.aws/pod-readiness-gate-inject'],
      'enabled',
      "the load balancer controller gates each pod's readiness on its target's health (a rollout waits for it)",
    );
  });

  t.test('cluster: add-ons, and no storage', async (t) => {
    const addons = find(recorded, 'aws:eks/addon:Addon');
    t.same(addons.map((a) => a.inputs['addonName']).sort(), [
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'vpc-cni',
    ]);
    const cni = addons.find((a) => a.inputs['addonName'] === 'vpc-cni')!;
    t.same(
      JSON.parse(cni.inputs['configurationValues']),
      { enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } },
      'NetworkPolicies are enforced; /28 prefixes per node (110 pods on a t3.medium, not 17)',
    );
    t.same(
      find(recorded, 'kubernetes:storage.k8s.io/v1:StorageClass'),
      [],
      'no StorageClass and no EBS CSI driver: no workload keeps a volume, none is tied to a zone',
    );
  });
}
