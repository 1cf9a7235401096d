// Argo CD's health of the Prometheus resource, as Argo CD evaluates it: the built-in script (vendored
// from argo-cd v3.4.4) and the override argocd-cm carries, both run against upstream's own test
// cases (health_test.yaml) and against a Prometheus that has just started (no pod ready yet).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { REPO_ROOT } from '../mocks.js';
import { runHealthScript } from '../argocd-lua.js';
import { PROMETHEUS_HEALTH_LUA, PROMETHEUS_STARTING_SECONDS } from '../../src/lib/prometheus-health.js';
import { argocdValues } from '../../src/lib/helm-values.js';

const DIR = join(REPO_ROOT, 'infra/reference/argocd-prometheus-health');
const BUILT_IN = readFileSync(join(DIR, 'health.lua'), 'utf8');
const { tests } = parse(readFileSync(join(DIR, 'health_test.yaml'), 'utf8')) as {
  tests: { healthStatus: { status: string; message: string }; inputPath: string }[];
};
const load = (path: string) => parse(readFileSync(join(DIR, path), 'utf8')) as { status: any };

/** upstream's degraded.yaml (NoPodReady) as it looks `secondsAgo` after its condition changed. */
function noPodReadySince(secondsAgo: number) {
  const prometheus = load('testdata/degraded.yaml');
  const available = prometheus.status.conditions.find((c: { type: string }) => c.type === 'Available');
  available.lastTransitionTime = new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  return prometheus;
}

t.test('the harness gives the built-in script the results upstream expects', async (t) => {
  t.equal(tests.length, 3);
  for (const c of tests) t.same(runHealthScript(BUILT_IN, load(c.inputPath), false), c.healthStatus, c.inputPath);
  t.equal(
    runHealthScript(BUILT_IN, noPodReadySince(5), false).status,
    'Degraded',
    'the built-in check: a Prometheus starting up is Degraded, which fails a multi-wave sync',
  );
});

t.test('the override: the same on upstream cases, Progressing while starting', async (t) => {
  for (const c of tests)
    t.same(runHealthScript(PROMETHEUS_HEALTH_LUA, load(c.inputPath), true), c.healthStatus, c.inputPath);
  const starting = runHealthScript(PROMETHEUS_HEALTH_LUA, noPodReadySince(30), true);
  t.equal(starting.status, 'Progressing', 'no pod ready for 30 s: starting');
  t.match(starting.message, /0\/5 nodes are available/, "with the operator's message");
  t.equal(
    runHealthScript(PROMETHEUS_HEALTH_LUA, noPodReadySince(PROMETHEUS_STARTING_SECONDS - 60), true).status,
    'Progressing',
  );
  t.equal(
    runHealthScript(PROMETHEUS_HEALTH_LUA, noPodReadySince(PROMETHEUS_STARTING_SECONDS + 60), true).status,
    'Degraded',
    'a pod that never gets ready still fails the sync',
  );
  t.same(runHealthScript(PROMETHEUS_HEALTH_LUA, { metadata: {} }, true), {
    status: 'Progressing',
    message: 'Waiting for initialization',
  });
  t.equal(
    runHealthScript(PROMETHEUS_HEALTH_LUA, noPodReadySince(PROMETHEUS_STARTING_SECONDS + 60), false).status,
    'Progressing',
    'control: without the standard libraries it cannot tell time (hence useOpenLibs)',
  );
});

t.test('argocd-cm carries the override with the standard libraries on', async (t) => {
  for (const ha of [false, true]) {
    const cm = argocdValues(ha).configs.cm as Record<string, string>;
    t.equal(cm['resource.customizations.health.monitoring.coreos.com_Prometheus'], PROMETHEUS_HEALTH_LUA);
    t.equal(cm['resource.customizations.useOpenLibs.monitoring.coreos.com_Prometheus'], 'true');
  }
});
