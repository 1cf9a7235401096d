// prod refuses to deploy without somewhere to send critical alerts.
import t from 'tap';
import { installMocks } from './mocks.js';

await installMocks('prod', { 'zumo:alertmanagerCriticalWebhookUrl': undefined });

t.test('prod without the critical webhook fails before any resource, naming the key', async (t) => {
  await t.rejects(import('../src/index.js'), {
    name: 'ConfigError',
    message:
      /zumo:alertmanagerCriticalWebhookUrl: received nothing; allowed: a webhook URL set with `pulumi config set --secret`/,
  });
});
