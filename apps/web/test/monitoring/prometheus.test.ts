// A real Prometheus (Debian's package; .ci/run installs it) on 127.0.0.1 scrapes the running
// service every second with the production alert rules: the service's series arrive, and WebDown
// goes pending then firing once the service stops (the test's copy shortens its `for:` to 2 s).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { eventually, freePort, request, startService, tempDir } from '../helper.js';
import { ruleGroups } from './sources.js';

const PROMETHEUS = '/usr/bin/prometheus';
const missing = existsSync(PROMETHEUS)
  ? false
  : `Prometheus is not installed at ${PROMETHEUS} (apt-get install -y prometheus)`;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

t.test('Prometheus scrapes the service and alerts when it goes down', { skip: missing }, async (t) => {
  const dir = tempDir(t);
  const service = await startService(t, { DATABASE_PATH: join(dir, 'zumo.db'), RELEASE: 'abc1234' });

  // The production rules, with WebDown's `for:` shortened so the test takes seconds, not minutes.
  const groups = ruleGroups().map((g) => ({
    ...g,
    rules: g.rules.map((r) => (r.alert === 'WebDown' ? { ...r, for: '2s' } : r)),
  }));
  writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(dir, 'rules.yaml')],
      // The labels a ServiceMonitor gives the pod in the cluster: job "web", namespace "zumo".
      scrape_configs: [
        {
          job_name: 'web',
          scrape_interval: '1s',
          scrape_timeout: '900ms',
          static_configs: [{ targets: [`127.0.0.1:${service.port}`], labels: { namespace: 'zumo', pod: 'web-test' } }],
        },
      ],
    }),
  );
  const port = await freePort();
  const prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  prometheus.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  t.teardown(() => {
    prometheus.kill('SIGKILL');
  });
  const api = `http://127.0.0.1:${port}`;
  await eventually(`Prometheus ready (${log})`, async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined));

  const query = async (promql: string): Promise<Sample[]> => {
    const body = (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
      status: string;
      data: { result: Sample[] };
    };
    if (body.status !== 'success') throw new Error(`query failed: ${promql}`);
    return body.data.result;
  };
  const one = (promql: string) =>
    eventually(promql, async () => {
      const result = await query(promql);
      return result.length > 0 ? result : undefined;
    });
  const alertStates = async () => {
    const body = (await (await fetch(`${api}/api/v1/alerts`)).json()) as {
      data: { alerts: { labels: Record<string, string>; state: string }[] };
    };
    return body.data.alerts;
  };

  t.test('the service is scraped and its series are there', async (t) => {
    const up = await one('up{job="web", namespace="zumo"} == 1');
    t.equal(up[0]!.metric['instance'], `127.0.0.1:${service.port}`);
    await request(`${service.url}/api/messages`, { json: { content: 'seen by Prometheus' } });
    await request(`${service.url}/api/messages`);
    const created = await one('messages_created_total{job="web"} >= 1');
    t.equal(Number(created[0]!.value[1]), 1, 'the message counter');
    const requests = await one('http_request_duration_seconds_count{job="web", route="/api/messages", method="GET"}');
    t.equal(requests[0]!.metric['status_code'], '200', 'requests by route pattern and status');
    t.equal((await one('zumo_build_info{job="web"}'))[0]!.metric['release'], 'abc1234');
    t.equal((await one('zumo_ready{job="web", namespace="zumo"}'))[0]!.value[1], '1');
    t.ok((await one('nodejs_eventloop_lag_p99_seconds{job="web"}')).length, 'runtime metrics for the dashboard');
    t.notOk(
      (await alertStates()).some((a) => a.labels['alertname'] === 'WebDown'),
      'WebDown is silent while the service runs',
    );
  });

  t.test('stopping the service makes WebDown pending, then firing', async (t) => {
    service.child.kill('SIGTERM');
    t.equal(await service.exited, 0);
    const seen = new Set<string>();
    await eventually(
      'WebDown firing',
      async () => {
        const webDown = (await alertStates()).find((a) => a.labels['alertname'] === 'WebDown');
        if (webDown) seen.add(webDown.state);
        return webDown?.state === 'firing' ? true : undefined;
      },
      30_000,
    );
    t.ok(seen.has('firing'), 'firing');
    t.same(
      (await query('ALERTS{alertname="WebDown", alertstate="firing"}')).map((s) => s.metric['severity']),
      ['critical'],
      'with its severity, as Alertmanager routes it',
    );
    t.equal((await query('up{job="web"}'))[0]!.value[1], '0', 'the target is down');
  });
});
