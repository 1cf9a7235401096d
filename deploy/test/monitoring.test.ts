// deploy/monitoring: the Applications that install kube-prometheus-stack and our monitoring
// configuration, the alert rules (promtool check + unit tests, Debian's prometheus package),
// their runbook links, and the Grafana dashboard.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { DEPLOY_ROOT, REFERENCE, byKind, crdValidator, render, type Manifest } from './render.js';

const PROMTOOL = '/usr/bin/promtool';
const REPO_ROOT = join(DEPLOY_ROOT, '..');
const operations = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const schemas: Record<string, ReturnType<typeof crdValidator>['validate']> = {
  Application: crdValidator('crds/argocd-application.crd.yaml', 'Application').validate,
  ApplicationSet: crdValidator('crds/argocd-applicationset.crd.yaml', 'ApplicationSet').validate,
};

for (const environment of ['dev', 'prod']) {
  t.test(`deploy/apps/${environment}: the root's Applications, monitoring's among them`, async (t) => {
    const rendered = render(`apps/${environment}`);
    for (const object of rendered) {
      const schema = schemas[object.kind];
      t.ok(schema, `${object.kind}/${object.metadata.name}: an Application or an ApplicationSet`);
      if (!schema) continue;
      t.ok(schema(object), `${object.metadata.name}: valid ${object.kind} (${JSON.stringify(schema.errors)})`);
      t.equal(object.metadata.namespace, 'argocd');
      const spec = object.kind === 'ApplicationSet' ? object.spec.template.spec : object.spec;
      t.ok(spec.syncPolicy.syncOptions.includes('ServerSideApply=true'), `${object.metadata.name}: server-side apply`);
    }
    const apps = rendered.filter((m) => m.kind === 'Application');
    const metrics = apps.find((a) => a.metadata.name === 'metrics-server')!;
    t.match(
      metrics.spec.source.targetRevision,
      /^\d+\.\d+\.\d+$/,
      'metrics-server: the chart version is pinned exactly',
    );
    t.equal(
      metrics.metadata.annotations?.['argocd.argoproj.io/sync-wave'],
      '-1',
      'metrics-server: before the web app whose autoscaler reads it',
    );
    const stack = apps.find((a) => a.metadata.name === 'kube-prometheus-stack')!;
    t.equal(stack.spec.source.chart, 'kube-prometheus-stack');
    t.match(stack.spec.source.targetRevision, /^\d+\.\d+\.\d+$/, 'the chart version is pinned exactly');
    t.equal(stack.metadata.annotations?.['argocd.argoproj.io/sync-wave'], '-1', 'before anything that needs its CRDs');
    const values = stack.spec.source.helm.valuesObject;
    t.equal(values.crds.enabled, true);
    t.equal(values.grafana.service.type, 'ClusterIP', 'Grafana is not exposed');
    t.equal(values.grafana.ingress.enabled, false);
    t.equal(values.grafana.sidecar.dashboards.label, 'grafana_dashboard', 'the sidecar loads our dashboard ConfigMap');
    t.match(values.alertmanager.alertmanagerSpec, { useExistingSecret: true, configSecret: 'alertmanager-zumo' });
    for (const key of ['serviceMonitorSelectorNilUsesHelmValues', 'ruleSelectorNilUsesHelmValues'])
      t.equal(values.prometheus.prometheusSpec[key], false, `${key}: our monitors and rules are picked up`);
    t.equal(values.prometheus.prometheusSpec.replicas, 1, 'sized for a small cluster');

    const config = apps.find((a) => a.metadata.name === 'monitoring-config')!;
    t.equal(config.metadata.labels?.['zumo.dev/source'], 'this-repository', 'the root rewrites its repoURL');
    t.ok(existsSync(join(REPO_ROOT, config.spec.source.path, 'kustomization.yaml')), 'its path exists');
  });
}

const objects = render('monitoring/config');
const rule = byKind(objects, 'PrometheusRule');

t.test('everything synced by monitoring-config lives where its Application puts it', async (t) => {
  t.equal(rule.metadata.namespace, 'monitoring', 'rules do not wait for the app namespace');
  t.equal(byKind(objects, 'ConfigMap').metadata.namespace, 'monitoring');
  t.equal(byKind(objects, 'ServiceMonitor').metadata.namespace, 'argocd', "next to Argo CD's Services");
});
const rules: Rule[] = rule.spec.groups.flatMap((g: { rules: Rule[] }) => g.rules);

t.test('monitoring/config objects validate against the operator and Kubernetes schemas', async (t) => {
  const models: Record<string, new (data: any) => { validate(): void }> = { PrometheusRule, ServiceMonitor, ConfigMap };
  for (const object of objects) {
    const Model = models[object.kind];
    t.ok(Model, `${object.kind}: a known kind`);
    if (Model) t.doesNotThrow(() => new Model(object).validate(), `${object.kind}/${object.metadata.name}`);
  }
  t.throws(
    () => new ServiceMonitor({ ...byKind(objects, 'ServiceMonitor'), spec: { endpoints: 'all' } } as never).validate(),
    'control: an invalid ServiceMonitor is refused',
  );
  const argocd = byKind(objects, 'ServiceMonitor');
  t.equal(argocd.metadata.namespace, 'argocd');
  t.equal(argocd.spec.endpoints[0].port, 'http-metrics', "the port name of Argo CD's metrics services");
  const argoValues = readFileSync(join(REFERENCE, 'argo-cd-10.1.1.values.yaml'), 'utf8');
  t.match(argoValues, /portName: http-metrics/, 'which the chart really uses');
});

t.test('every alert says how bad, what and where to look', async (t) => {
  const expected = [
    'WebDown',
    'WebNotReady',
    'WebContainerRestarts',
    'WebHigh5xxRatio',
    'WebHighLatencyP99',
    'ArgoCdAppOutOfSync',
    'ArgoCdAppDegraded',
  ];
  t.same(rules.map((r) => r.alert).sort(), [...expected].sort());
  for (const r of rules) {
    t.ok(['critical', 'warning'].includes(r.labels.severity!), `${r.alert}: severity ${r.labels.severity}`);
    t.ok(r.annotations.summary && r.annotations.summary.length > 20, `${r.alert}: a summary`);
    const anchor = /docs\/operations\.md#([a-z0-9-]+)$/.exec(r.annotations.runbook_url ?? '')?.[1];
    t.ok(anchor, `${r.alert}: a runbook link into docs/operations.md`);
    t.match(
      operations,
      new RegExp(`^#+ ${r.alert}$`, 'm'),
      `${r.alert}: docs/operations.md has its section (#${anchor})`,
    );
    t.equal(anchor, r.alert.toLowerCase(), `${r.alert}: the anchor GitHub makes of that heading`);
  }
  const threshold = (name: string) => rules.find((r) => r.alert === name)!;
  t.match(threshold('WebHigh5xxRatio').expr, /\[5m\][\s\S]*> 0\.01/, '5xx: above 1% over 5 minutes');
  t.match(
    threshold('WebHighLatencyP99').expr,
    /histogram_quantile\(0\.99[\s\S]*\[10m\][\s\S]*> 0\.3/,
    'p99 above 300 ms over 10 minutes',
  );
  t.equal(threshold('WebHighLatencyP99').for, '10m');
  for (const name of ['ArgoCdAppOutOfSync', 'ArgoCdAppDegraded']) t.equal(threshold(name).for, '15m');
});

t.test('promtool: the rules load and every alert passes its unit tests', async (t) => {
  const dir = t.testdir({
    'web-alerts.rules.yaml': stringify({ groups: rule.spec.groups }),
    'web-alerts.test.yaml': readFileSync(join(DEPLOY_ROOT, 'monitoring/tests/web-alerts.test.yaml'), 'utf8'),
  });
  const check = execFileSync(PROMTOOL, ['check', 'rules', join(dir, 'web-alerts.rules.yaml')], { encoding: 'utf8' });
  t.match(check, `SUCCESS: ${rules.length} rules found`);
  const unit = execFileSync(PROMTOOL, ['test', 'rules', join(dir, 'web-alerts.test.yaml')], { encoding: 'utf8' });
  t.match(unit, /SUCCESS/);

  // Coverage: each alert has a case where it fires and one where it stays silent.
  const suite = parse(readFileSync(join(dir, 'web-alerts.test.yaml'), 'utf8')) as {
    tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
  };
  const cases = suite.tests.flatMap((s) => s.alert_rule_test);
  for (const r of rules) {
    t.ok(
      cases.some((c) => c.alertname === r.alert && c.exp_alerts.length > 0),
      `${r.alert}: a firing case`,
    );
    t.ok(
      cases.some((c) => c.alertname === r.alert && c.exp_alerts.length === 0),
      `${r.alert}: a silent case`,
    );
  }

  // And the tests can fail: the same suite against a rule with a loosened threshold.
  writeFileSync(join(dir, 'web-alerts.rules.yaml'), stringify({ groups: rule.spec.groups }).replace('> 0.01', '> 0.5'));
  t.throws(
    () => execFileSync(PROMTOOL, ['test', 'rules', join(dir, 'web-alerts.test.yaml')], { stdio: 'pipe' }),
    'a wrong threshold is caught',
  );
});

t.test('the Grafana dashboard ships in a ConfigMap the sidecar loads', async (t) => {
  const configMap = byKind(objects, 'ConfigMap') as Manifest & { data: Record<string, string> };
  t.equal(configMap.metadata.namespace, 'monitoring');
  t.equal(configMap.metadata.labels?.grafana_dashboard, '1');
  const dashboard = JSON.parse(configMap.data['web.json']!);
  t.equal(dashboard.uid, 'zumo-web');
  const titles = dashboard.panels.map((p: { title: string }) => p.title);
  for (const wanted of [
    /Request rate by route/,
    /Error ratio/,
    /p50 \/ p95 \/ p99/,
    /Messages created/,
    /Event-loop lag/,
    /Memory/,
    /restarts/i,
  ])
    t.ok(
      titles.some((title: string) => wanted.test(title)),
      `a panel for ${wanted}`,
    );
  for (const panel of dashboard.panels)
    t.equal(panel.datasource.uid, '${datasource}', `${panel.title}: uses the data source variable`);
});
