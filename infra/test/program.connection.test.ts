// The first `up` stops before any resource while the GitHub connection bootstrap created is still
// PENDING: otherwise the CI runner's webhook fails half-way through, after the cluster exists.
import t from 'tap';
import { GITHUB_CONNECTION, installMocks } from './mocks.js';

const recorded = await installMocks('dev');
GITHUB_CONNECTION.status = 'PENDING';

t.test('a PENDING connection fails before any resource, naming the key and the console step', async (t) => {
  await t.rejects(import('../src/index.js'), {
    name: 'ConfigError',
    message: /zumo:githubConnectionArn: received ".*\(status PENDING\)"; allowed: an AVAILABLE connection: complete it/,
  });
  t.same(
    recorded.map((r) => r.type),
    [],
    'no resource was declared',
  );
});
