import { hostname } from 'node:os';
import t from 'tap';
import { build, request } from '../../helper.js';

t.test('GET /api/info', async (t) => {
  t.test('outside Kubernetes reports the OS values and no made-up pod fields', async (t) => {
    const { url } = await build(t, { RELEASE: 'abc1234' });
    const first = await request(`${url}/api/info`);
    t.equal(first.status, 200);
    t.match(first.json, {
      runtime: 'local',
      podName: null,
      namespace: null,
      hostname: hostname(),
      nodeName: hostname(),
      release: 'abc1234',
    });
    t.same(
      Object.keys(first.json).sort(),
      [
        'hostname',
        'namespace',
        'nodeName',
        'podIp',
        'podName',
        'release',
        'runtime',
        'servedAt',
        'startedAt',
        'uptimeSeconds',
      ],
      'exactly these fields, nothing more (the list in docs/api.md)',
    );
    t.notOk(JSON.stringify(first.json).includes('Mock'), 'no fake values like the seed had');
    await new Promise((r) => setTimeout(r, 150));
    const second = await request(`${url}/api/info`);
    t.equal(second.json.startedAt, first.json.startedAt, 'startedAt is the process start');
    t.ok(Date.parse(second.json.servedAt) > Date.parse(first.json.servedAt), 'servedAt is live');
    t.ok(second.json.uptimeSeconds >= first.json.uptimeSeconds, 'uptime grows');
  });

  t.test('in a pod reports the Downward API values', async (t) => {
    const { url } = await build(t, {
      POD_NAME: 'web-7d9f8-abcde',
      POD_IP: '10.40.3.7',
      POD_NAMESPACE: 'zumo',
      NODE_NAME: 'ip-10-40-3-1.eu-west-1.compute.internal',
      KUBERNETES_SERVICE_HOST: '172.20.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    });
    const info = await request(`${url}/api/info`);
    t.match(info.json, {
      runtime: 'kubernetes',
      podName: 'web-7d9f8-abcde',
      podIp: '10.40.3.7',
      namespace: 'zumo',
      nodeName: 'ip-10-40-3-1.eu-west-1.compute.internal',
    });
    const legacy = await request(`${url}/api/kubernetes-info`);
    t.same(legacy.json, {
      pod_name: 'web-7d9f8-abcde',
      pod_ip: '10.40.3.7',
      namespace: 'zumo',
      kubernetes_api: 'https://172.20.0.1:443',
    });
    const server = await request(`${url}/api/server-info`);
    t.same(server.json, { hostname: hostname(), ip: '10.40.3.7' });
  });
});
