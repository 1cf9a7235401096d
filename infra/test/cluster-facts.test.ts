import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  CLUSTER_FACTS,
  FACTS_TABLE_MARKERS,
  clusterFactAnnotations,
  clusterSecret,
  withFactsTable,
  type ClusterFacts,
} from '../src/lib/cluster-facts.js';
import { REPO_ROOT } from './mocks.js';

const FACTS: ClusterFacts = {
  environment: 'dev',
  region: 'eu-west-1',
  repoUrl: 'https://github.com/acme/zumo.git',
  repoRevision: 'main',
  targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/zumo-dev-web-1a2b3c4/abc',
  targetGroupName: 'zumo-dev-web-1a2b3c4',
  loadBalancerCidrs: ['10.40.60.0/26', '10.40.60.64/26'],
  database: { host: 'db.example', port: 5432, name: 'zumo', user: 'zumo_web', egressCidrs: ['10.40.0.0/20'] },
};

t.test('deploy/README.md carries the table of facts generated from the code that writes them', async (t) => {
  const doc = readFileSync(join(REPO_ROOT, 'deploy/README.md'), 'utf8');
  t.equal(doc.split(FACTS_TABLE_MARKERS.start).length, 2, 'one generated section');
  t.equal(withFactsTable(doc), doc, 'the committed table is the generated one (run: nx run infra:doc-tables)');
  t.throws(
    () => withFactsTable('# no table\n'),
    /no "<!-- cluster-facts:start/,
    'a document without markers is refused',
  );
});

t.test('the web ApplicationSet reads exactly the facts Pulumi writes', async (t) => {
  const template = readFileSync(join(REPO_ROOT, 'deploy/web/apps/web.yaml'), 'utf8');
  const read = new Set([...template.matchAll(/\.metadata\.annotations\.([A-Za-z_]\w*)/g)].map((m) => m[1]));
  t.same([...read].sort(), CLUSTER_FACTS.map((f) => f.key).sort(), 'no fact unread, none read but not written');
  t.same(Object.keys(clusterFactAnnotations(FACTS)).sort(), [...read].sort(), 'every fact gets an annotation');
});

t.test('the cluster Secret is the local cluster, labelled for the web app only once released', async (t) => {
  const released = clusterSecret('argocd', FACTS, true);
  t.same(released.stringData, {
    name: 'in-cluster',
    server: 'https://kubernetes.default.svc',
    config: '{"tlsClientConfig":{"insecure":false}}',
  });
  t.equal(released.metadata.labels['zumo.dev/web' as never], 'released');
  t.notOk('zumo.dev/web' in clusterSecret('argocd', FACTS, false).metadata.labels, 'no label before a release');
  t.equal(
    released.metadata.annotations['load_balancer_cidrs'],
    '10.40.60.0/26,10.40.60.64/26',
    'lists comma-separated',
  );
});

t.test('facts a template could not use are refused with the field to fix', async (t) => {
  const cases: [string, Partial<ClusterFacts>, RegExp][] = [
    ['no load balancer range', { loadBalancerCidrs: [] }, /loadBalancerCidrs is empty/],
    ['a range that is not a CIDR', { loadBalancerCidrs: ['10.40.60.0'] }, /loadBalancerCidrs holds 10\.40\.60\.0/],
    ['no database range', { database: { ...FACTS.database, egressCidrs: [] } }, /database\.egressCidrs is empty/],
    ['a port out of range', { database: { ...FACTS.database, port: 70000 } }, /database\.port 70000/],
    ['an empty host', { database: { ...FACTS.database, host: '' } }, /database_host is empty/],
  ];
  for (const [why, change, error] of cases) t.throws(() => clusterFactAnnotations({ ...FACTS, ...change }), error, why);
});
