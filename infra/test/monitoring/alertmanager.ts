// The Alertmanager configuration Pulumi writes into the monitoring namespace, checked by the real
// amtool (Debian's prometheus-alertmanager package; .ci/run installs it): it loads, and alerts are
// routed by severity to the receivers the stack's secrets configure.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { alertmanagerConfig } from '../../src/lib/alertmanager.js';

const AMTOOL = '/usr/bin/amtool';
const urls = { critical: 'https://hooks.example.test/critical', warning: 'https://hooks.example.test/warning' };

function write(dir: string, name: string, config: string) {
  const file = join(dir, name);
  writeFileSync(file, config);
  return file;
}
const route = (file: string, ...labels: string[]) =>
  execFileSync(AMTOOL, ['config', 'routes', 'test', `--config.file=${file}`, ...labels], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();

t.test('amtool accepts every variant the stacks can produce', async (t) => {
  const dir = t.testdir();
  const variants = {
    both: { criticalWebhookUrl: urls.critical, warningWebhookUrl: urls.warning },
    criticalOnly: { criticalWebhookUrl: urls.critical, warningWebhookUrl: undefined },
    none: { criticalWebhookUrl: undefined, warningWebhookUrl: undefined },
  };
  for (const [name, input] of Object.entries(variants)) {
    const file = write(dir, `${name}.yaml`, alertmanagerConfig({ ...input, environment: 'dev' }));
    const out = execFileSync(AMTOOL, ['check-config', file], { encoding: 'utf8' });
    t.match(out, /SUCCESS/, `${name}: loads`);
    t.match(out, /3 receivers/);
  }
});

t.test('routing by severity', async (t) => {
  const file = write(
    t.testdir(),
    'am.yaml',
    alertmanagerConfig({ criticalWebhookUrl: urls.critical, warningWebhookUrl: urls.warning, environment: 'prod' }),
  );
  t.equal(route(file, 'alertname=WebDown', 'severity=critical', 'namespace=zumo'), 'critical');
  t.equal(route(file, 'alertname=WebHighLatencyP99', 'severity=warning', 'namespace=zumo'), 'warning');
  t.equal(route(file, 'alertname=SomethingNew'), 'warning', 'unlabelled alerts still reach someone');
  t.equal(route(file, 'alertname=Watchdog', 'severity=none'), 'null', 'the heartbeat pages nobody');
  const config = JSON.parse(
    alertmanagerConfig({ criticalWebhookUrl: urls.critical, warningWebhookUrl: urls.warning, environment: 'prod' }),
  );
  const receiver = (name: string) => config.receivers.find((r: { name: string }) => r.name === name);
  t.equal(receiver('critical').slack_configs[0].api_url, urls.critical);
  t.equal(receiver('warning').slack_configs[0].api_url, urls.warning);
  t.equal(receiver('critical').slack_configs[0].send_resolved, true, 'recoveries are announced');
  t.match(receiver('critical').slack_configs[0].text, 'runbook_url', 'messages carry the runbook link');
});

t.test('warnings fall back to the critical webhook; no webhook at all delivers nowhere (dev only)', async (t) => {
  const fallback = JSON.parse(
    alertmanagerConfig({ criticalWebhookUrl: urls.critical, warningWebhookUrl: undefined, environment: 'dev' }),
  );
  t.equal(
    fallback.receivers.find((r: { name: string }) => r.name === 'warning').slack_configs[0].api_url,
    urls.critical,
  );
  const none = JSON.parse(
    alertmanagerConfig({ criticalWebhookUrl: undefined, warningWebhookUrl: undefined, environment: 'dev' }),
  );
  t.notOk(JSON.stringify(none).includes('slack_configs'));
});

t.test('while the site is down, its warnings are inhibited', async (t) => {
  const config = JSON.parse(
    alertmanagerConfig({ criticalWebhookUrl: urls.critical, warningWebhookUrl: undefined, environment: 'dev' }),
  );
  t.same(config.inhibit_rules, [
    { source_matchers: ['alertname = "WebDown"'], target_matchers: ['severity = "warning"', 'namespace = "zumo"'] },
  ]);
});
