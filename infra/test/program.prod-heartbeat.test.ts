// prod refuses to deploy without the dead man's switch: nothing outside the cluster would notice
// when in-cluster alerting stops.
import t from 'tap';
import { installMocks } from './mocks.js';

await installMocks('prod', { 'zumo:alertmanagerHeartbeatUrl': undefined });

t.test('prod without the heartbeat URL fails before any resource, naming the key', async (t) => {
  await t.rejects(import('../src/index.js'), {
    name: 'ConfigError',
    message: /zumo:alertmanagerHeartbeatUrl: received nothing; allowed: a heartbeat check's ping URL/,
  });
});
