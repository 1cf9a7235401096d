// The dead man's switch: Alertmanager sends the always-firing Watchdog to an external heartbeat
// URL (a healthchecks.io-style check, the stack secret alertmanagerHeartbeatUrl) every few
// minutes, and that service alerts when the pings stop, i.e. when Prometheus, Alertmanager or the
// cluster is gone. Checked with the real amtool (Debian's prometheus-alertmanager).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { alertmanagerConfig } from '../../src/lib/alertmanager.js';

const AMTOOL = '/usr/bin/amtool';
const HEARTBEAT = 'https://hc-ping.example.test/5f1c2a9e-0d4b-4c7e-9a51-3b2f6e8d7c10';
const urls = { criticalWebhookUrl: 'https://hooks.example.test/critical', warningWebhookUrl: undefined };

const seconds = (d: string) => {
  const m = /^(\d+)(s|m|h)$/.exec(d);
  if (!m) throw new Error(`unexpected duration ${d}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
};

function routed(config: string, ...labels: string[]) {
  const file = join(t.testdir(), 'am.yaml');
  writeFileSync(file, config);
  const check = execFileSync(AMTOOL, ['check-config', file], { encoding: 'utf8' });
  const receiver = execFileSync(AMTOOL, ['config', 'routes', 'test', `--config.file=${file}`, ...labels], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  return { check, receiver };
}

t.test('the Watchdog pings the heartbeat URL, and nothing else does', async (t) => {
  const text = alertmanagerConfig({ ...urls, heartbeatUrl: HEARTBEAT, environment: 'prod' });
  const { check, receiver } = routed(text, 'alertname=Watchdog', 'severity=none');
  t.match(check, /SUCCESS/, 'amtool loads it');
  t.equal(receiver, 'heartbeat', 'the Watchdog goes to the heartbeat');
  for (const labels of [
    ['alertname=WebDown', 'severity=critical'],
    ['alertname=SomethingNew'],
    ['alertname=Muted', 'severity=none'],
  ])
    t.not(routed(text, ...labels).receiver, 'heartbeat', `${labels.join(' ')}: never to the heartbeat`);

  const config = JSON.parse(text);
  const hook = config.receivers.find((r: { name: string }) => r.name === 'heartbeat').webhook_configs;
  t.same(hook, [{ url: HEARTBEAT, send_resolved: false }], 'a plain POST to the URL; no "resolved" ping');
  // Alertmanager re-sends a firing group every repeat_interval: that is the ping period the
  // external check must be configured with (docs/operations.md).
  const route = config.route.routes.find((r: { receiver: string }) => r.receiver === 'heartbeat');
  t.ok(seconds(route.repeat_interval) <= 300, `a ping at least every 5 minutes (${route.repeat_interval})`);
  t.ok(seconds(route.group_interval) <= seconds(route.repeat_interval), 'group_interval does not delay the pings');
  t.equal(route.group_wait, '0s', 'the first ping as soon as Alertmanager starts');
});

t.test('without a heartbeat URL (dev) the Watchdog still pages nobody', async (t) => {
  const text = alertmanagerConfig({ ...urls, heartbeatUrl: undefined, environment: 'dev' });
  t.equal(routed(text, 'alertname=Watchdog', 'severity=none').receiver, 'null');
  t.notOk(text.includes('webhook_configs'));
});
