import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse, parseAllDocuments } from 'yaml';
import { Ajv } from 'ajv';
import { CHARTS, argocdValues, lbControllerValues } from '../../src/lib/helm-values.js';
import {
  BRING_UP_MINUTES,
  SYNC_RETRY,
  retryWindowSeconds,
  rootApplication,
  webProject,
} from '../../src/lib/argocd-applications.js';
import { clusterSecret } from '../../src/lib/cluster-facts.js';
import { SAMPLE_FACTS } from '../cluster-facts-sample.js';
import { generateApplications, type Manifest } from '../system/argocd-render.js';
import { LB_CONTROLLER_POLICY } from '../../src/components/lb-controller.js';
import { emptyDefaultProject, platformProject } from '../../src/lib/argocd-projects.js';
import { REPO_ROOT } from '../mocks.js';

/** Upstream files the project checks itself against, vendored in infra/reference. */
const REFERENCE = join(REPO_ROOT, 'infra/reference');
const read = (file: string) => readFileSync(join(REFERENCE, file), 'utf8');

/**
 * Maps the charts' templates pass through key by key although their defaults list a few keys:
 * argo-cd renders every key of configs.cm but create/annotations into argocd-cm (argo-helm
 * charts/argo-cd/templates/_helpers.tpl, "argo-cd.config.cm", chart 10.1.1).
 */
const PASS_THROUGH = new Set(['configs.cm']);

/**
 * Every leaf path we set must exist in the chart's values file, except below a key whose default
 * is an empty map or null (free-form by design, e.g. `resources: {}`) or a pass-through map.
 */
function unknownKeys(ours: Record<string, unknown>, chart: Record<string, unknown>, prefix = ''): string[] {
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(ours)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (PASS_THROUGH.has(prefix)) continue;
    if (!(key in chart)) {
      unknown.push(path);
      continue;
    }
    const theirs = chart[key];
    const freeForm =
      theirs === null ||
      (typeof theirs === 'object' && !Array.isArray(theirs) && Object.keys(theirs as object).length === 0);
    if (value && typeof value === 'object' && !Array.isArray(value) && !freeForm) {
      unknown.push(...unknownKeys(value as Record<string, unknown>, theirs as Record<string, unknown>, path));
    }
  }
  return unknown;
}

t.test(`argo-cd ${CHARTS.argocd.version} values exist in the chart`, async (t) => {
  t.equal(CHARTS.argocd.version, '10.1.1', 'the chart version the reference describes');
  const chart = parse(read('argo-cd-10.1.1.values.yaml'));
  for (const ha of [false, true]) t.same(unknownKeys(argocdValues(ha), chart), [], `HA ${ha}: no unknown keys`);
  t.same(
    unknownKeys({ server: { sevrice: { type: 'ClusterIP' } } }, chart),
    ['server.sevrice'],
    'the check catches a typo',
  );
  t.equal(argocdValues(false).server.service.type, 'ClusterIP', 'the server is not exposed');
  t.equal(argocdValues(true)['redis-ha'].enabled, true, 'HA uses redis-ha');
  t.same(
    unknownKeys({ configs: { cm: { 'anything.argocd-cm.takes': 'x' }, cmm: {} } }, chart),
    ['configs.cmm'],
    'only configs.cm passes keys through',
  );
  t.match(
    argocdValues(false).configs.cm['resource.customizations.health.argoproj.io_Application'],
    /hs.status = obj.status.health.status/,
    "Application health restored, so sync waves wait for a child app's health (Argo CD health docs)",
  );
});

t.test(`aws-load-balancer-controller ${CHARTS.lbController.version} values and IAM policy`, async (t) => {
  const chart = parse(read('aws-load-balancer-controller-3.5.0.values.yaml'));
  t.same(unknownKeys(lbControllerValues('c', 'eu-west-1', 'vpc-1'), chart), [], 'no unknown keys');
  t.equal(
    LB_CONTROLLER_POLICY,
    read('aws-load-balancer-controller-3.5.0.iam-policy.json'),
    'the program attaches the vendored upstream policy byte for byte (its sha256 is pinned in upstream/files.ts)',
  );
});

/** A validator for the v1alpha1 schema of one vendored Argo CD CRD. */
function argoCdSchema(file: string) {
  const crd = parseAllDocuments(read(file))
    .map((d) => d.toJSON())
    .find((d) => d?.kind === 'CustomResourceDefinition');
  const version = crd.spec.versions.find((v: { name: string }) => v.name === 'v1alpha1');
  return new Ajv({ strict: false, allErrors: true }).compile(version.schema.openAPIV3Schema);
}

t.test('the root Pulumi creates and the web Application git generates validate against the Argo CD CRDs', async (t) => {
  const validate = argoCdSchema('crds/argocd-application.crd.yaml');
  const validateSet = argoCdSchema('crds/argocd-applicationset.crd.yaml');
  const inputs = { githubRepository: 'acme/zumo', gitRevision: 'main', environment: 'dev' };
  const appSet = parse(readFileSync(join(REPO_ROOT, 'deploy/web/apps/web.yaml'), 'utf8')) as Manifest;
  t.ok(validateSet(appSet), `the web ApplicationSet: valid (${JSON.stringify(validateSet.errors)})`);
  const secret = clusterSecret('argocd', SAMPLE_FACTS, true);
  const generated = generateApplications(appSet, [secret]);
  t.equal(generated.length, 1, 'it generates the web Application');
  for (const app of [rootApplication(inputs), ...generated]) {
    t.ok(validate(app), `${app.metadata.name}: valid (${JSON.stringify(validate.errors)})`);
    t.same(
      (app.metadata as { finalizers?: string[] }).finalizers,
      ['resources-finalizer.argocd.argoproj.io'],
      `${app.metadata.name}: resources finalizer`,
    );
    t.same(
      app.spec.syncPolicy.automated,
      { prune: true, selfHeal: true },
      `${app.metadata.name}: automated prune + selfHeal`,
    );
  }
  t.notOk(
    validate({ ...rootApplication(inputs), spec: { project: 'default' } }),
    'control: an Application without destination is refused',
  );
});

t.test('the AppProjects validate against the Argo CD CRD', async (t) => {
  const validate = argoCdSchema('crds/argocd-appproject.crd.yaml');
  const input = { githubRepository: 'acme/zumo', gitRevision: 'main', environment: 'dev' };
  const project = webProject(input);
  for (const p of [
    project,
    platformProject(input, { argocd: 'argocd', monitoring: 'monitoring' }),
    emptyDefaultProject('argocd'),
  ])
    t.ok(validate(p), `${p.metadata.name}: valid (${JSON.stringify(validate.errors)})`);
  t.notOk(
    validate({ ...project, spec: { ...project.spec, clusterResourceWhitelist: [{ kind: 'Namespace' }] } }),
    'control: a whitelist entry without its group is refused',
  );
});

t.test('the sync retry window outlasts a first bring-up', async (t) => {
  const window = retryWindowSeconds(SYNC_RETRY);
  t.ok(window >= BRING_UP_MINUTES * 60, `${Math.round(window / 60)} minutes of retries >= ${BRING_UP_MINUTES}`);
  t.equal(window, 310 + 15 * 300, 'about 80 minutes, as docs/infra.md says');
  t.equal(
    retryWindowSeconds({ limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } }),
    10 + 20 + 40 + 80 + 160,
    'the old policy gave up after 5 minutes',
  );
});
