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
} from '../../src/lib/cluster-facts.js';
import { SAMPLE_FACTS } from '../cluster-facts-sample.js';
import { REPO_ROOT } from '../mocks.js';

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
  t.same(Object.keys(clusterFactAnnotations(SAMPLE_FACTS)).sort(), [...read].sort(), 'every fact gets an annotation');
});

t.test('the cluster Secret is the local cluster, labelled for the web app only once released', async (t) => {
  const released = clusterSecret('argocd', SAMPLE_FACTS, true);
  t.same(released.stringData, {
    name: 'in-cluster',
    server: 'https://kubernetes.default.svc',
    config: '{"tlsClientConfig":{"insecure":false}}',
  });
  t.equal(released.metadata.labels['zumo.dev/web' as never], 'released');
  t.notOk('zumo.dev/web' in clusterSecret('argocd', SAMPLE_FACTS, false).metadata.labels, 'no label before a release');
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
    [
      'no database range',
      { database: { ...SAMPLE_FACTS.database, egressCidrs: [] } },
      /database\.egressCidrs is empty/,
    ],
    ['a port out of range', { database: { ...SAMPLE_FACTS.database, port: 70000 } }, /database\.port 70000/],
    ['an empty host', { database: { ...SAMPLE_FACTS.database, host: '' } }, /database_host is empty/],
  ];
  for (const [why, change, error] of cases)
    t.throws(() => clusterFactAnnotations({ ...SAMPLE_FACTS, ...change }), error, why);
});
