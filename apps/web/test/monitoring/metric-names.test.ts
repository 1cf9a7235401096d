// Every metric the alert rules and the dashboard use exists: in this service's /metrics output,
// or in the exporter named for it below. A renamed metric breaks the build, not the pager.
import t from 'tap';
import { build, request } from '../helper.js';
import { parseExposition } from '../prometheus-text.js';
import { dashboardQueries, metricNames, ruleGroups } from './sources.js';

/** Metrics that do not come from the service, and where they do come from. */
const EXTERNAL: Record<string, string> = {
  up: 'Prometheus itself (one per scrape target)',
  kube_pod_container_status_restarts_total: 'kube-state-metrics (kube-prometheus-stack)',
  argocd_app_info: "Argo CD's application controller (ServiceMonitor argocd)",
};

const { url } = await build(t, { RELEASE: 'abc1234' });
// Histogram and counter series appear once something was counted.
await request(`${url}/api/messages`, { json: { content: 'counted' } });
await request(`${url}/api/messages`);
const exposed = parseExposition((await request(`${url}/metrics`)).text);
const serviceNames = new Set([...exposed.types.keys()].flatMap((n) => [n, `${n}_bucket`, `${n}_count`, `${n}_sum`]));

const alerts = ruleGroups().flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })));
const panels = dashboardQueries().map((q) => ({ where: `dashboard panel "${q.panel}"`, expr: q.expr }));
const uses = [...alerts, ...panels];

// Both sources were read (a moved file would otherwise check nothing).
t.ok(alerts.length > 0 && panels.length > 0, `${alerts.length} alerts and ${panels.length} panels checked`);
const used = new Set<string>();
for (const { where, expr } of uses) {
  t.test(where, async (t) => {
    const names = metricNames(expr);
    t.ok(names.length > 0, 'selects at least one metric');
    for (const name of names) {
      used.add(name);
      t.ok(serviceNames.has(name) || name in EXTERNAL, `${name} is exposed by the service or a named exporter`);
    }
  });
}

t.test('the list of outside metrics has no stale entries', async (t) => {
  for (const name of Object.keys(EXTERNAL)) {
    t.ok(used.has(name), `${name} is still used`);
    t.notOk(serviceNames.has(name), `${name} is not the service's own`);
  }
});

t.test('the check catches a renamed metric and bad PromQL', async (t) => {
  t.same(metricNames('sum(rate(messages_created_totals[5m]))'), ['messages_created_totals']);
  t.notOk(serviceNames.has('messages_created_totals'));
  t.throws(() => metricNames('sum(rate(up[5m])'), /PromQL syntax error/);
});
