// The first `up` stops before any resource when the account's CodeBuild quota cannot hold the
// concurrent build limits of every runner in the account: both stacks' runners count against the
// one quota, CodeBuild refuses a project limit above it, and the runner comes late in the first up.
import t from 'tap';
import { RUNNER_BUILD_QUOTA, installMocks } from './mocks.js';

const recorded = await installMocks('dev');
// Enough for dev's own runner (4), not for both stacks' (dev 4 + prod 2).
RUNNER_BUILD_QUOTA.value = 4;

t.test('a quota below what every runner of the account needs fails before any resource', async (t) => {
  await t.rejects(import('../src/index.js'), {
    name: 'Error',
    message:
      /Concurrently running builds for Linux\/Medium environment.*L-2DC20C30.*is 4.*need 6 .*dev 4 \+ prod 2.*service-quotas request-service-quota-increase/,
  });
  t.same(
    recorded.map((r) => r.type),
    [],
    'no resource was declared',
  );
});
