// The first `up` stops before any resource when the account's CodeBuild quota cannot hold the
// runner's concurrent build limit: CodeBuild refuses a project limit above the account's, and the
// runner comes late in the first up, after the cluster exists.
import t from 'tap';
import { RUNNER_BUILD_QUOTA, installMocks } from './mocks.js';

const recorded = await installMocks('dev');
RUNNER_BUILD_QUOTA.value = 1;

t.test('a quota below what the runner needs fails before any resource, naming the quota', async (t) => {
  await t.rejects(import('../src/index.js'), {
    name: 'Error',
    message:
      /Concurrently running builds for Linux\/Medium environment.*L-2DC20C30.*is 1.*needs 4.*service-quotas request-service-quota-increase/,
  });
  t.same(
    recorded.map((r) => r.type),
    [],
    'no resource was declared',
  );
});
