// What Pulumi creates for the in-cluster monitoring and what deploy/monitoring expects of it must
// agree: Secret names and keys, the namespace, and the label on Argo CD's metrics Services.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { ALERTMANAGER_SECRET, GRAFANA_ADMIN_SECRET, MONITORING_NAMESPACE } from '../../src/lib/alertmanager.js';
import { ARGOCD_METRICS_LABEL, argocdValues } from '../../src/lib/helm-values.js';
import { REPO_ROOT } from '../mocks.js';

const deployed = (path: string) => parse(readFileSync(join(REPO_ROOT, 'deploy/monitoring', path), 'utf8'));

t.test('the names agree with the kube-prometheus-stack Application Argo CD syncs', async (t) => {
  const app = deployed('apps/kube-prometheus-stack.yaml');
  const values = app.spec.source.helm.valuesObject;
  t.equal(app.spec.destination.namespace, MONITORING_NAMESPACE, 'the namespace Pulumi creates');
  t.equal(values.alertmanager.alertmanagerSpec.configSecret, ALERTMANAGER_SECRET);
  t.equal(values.alertmanager.alertmanagerSpec.useExistingSecret, true);
  t.equal(values.grafana.admin.existingSecret, GRAFANA_ADMIN_SECRET);
  t.same([values.grafana.admin.userKey, values.grafana.admin.passwordKey], ['admin-user', 'admin-password']);
});

t.test("Argo CD's metrics Services carry the label its ServiceMonitor selects", async (t) => {
  const monitor = deployed('config/servicemonitor-argocd.yaml');
  t.same(monitor.spec.selector.matchLabels, ARGOCD_METRICS_LABEL);
  const values = argocdValues(false);
  for (const component of ['controller', 'server', 'repoServer', 'applicationSet', 'notifications'] as const) {
    t.same(values[component].metrics.service.labels, ARGOCD_METRICS_LABEL, `${component} metrics Service`);
  }
  const reference = parse(readFileSync(join(REPO_ROOT, 'infra/reference/argo-cd-10.1.1.values.yaml'), 'utf8'));
  for (const component of ['controller', 'server', 'repoServer', 'applicationSet', 'notifications'])
    t.same(reference[component].metrics.service.labels, {}, `the chart has ${component}.metrics.service.labels`);
});
