// A secret key set without --secret would sit in the stack file, and in git, in clear text, and
// getSecret reads it all the same: the program refuses it before any resource, naming the key and
// never printing the value.
import t from 'tap';
import { TEST_SECRETS, installMocks } from './mocks.js';

const key = 'zumo:alertmanagerCriticalWebhookUrl';
const recorded = await installMocks('prod', {}, [key]);

t.test('a secret key set in clear text stops the program before any resource', async (t) => {
  const failure = await import('../src/index.js').then(
    () => undefined,
    (error: Error) => error,
  );
  t.equal(failure?.name, 'ConfigError', 'one ConfigError');
  t.match(failure?.message, `${key}: received "a value in clear text (set without --secret)"`);
  t.match(failure?.message, 'pulumi config set --secret alertmanagerCriticalWebhookUrl');
  t.notMatch(failure?.message, TEST_SECRETS[key]!, 'the value itself is not printed');
  t.notMatch(failure?.message, 'alertmanagerHeartbeatUrl', 'the keys set as secrets pass');
  t.same(
    recorded.map((r) => r.type),
    [],
    'no resource was declared',
  );
});
