import t from 'tap';
import { parallelism } from '../parallelism.mjs';

t.test('Nx test targets times tap files stays within the cores, beside one check process', async (t) => {
  for (const [cores, nx, tap] of [
    [1, 1, 1],
    [2, 1, 2],
    [4, 2, 2],
    [8, 4, 2],
    [3, 1, 2],
  ] as const) {
    const run = parallelism(cores, [], {});
    t.same(run.tests, [`--parallel=${nx}`], `${cores} cores: ${nx} test targets at once`);
    t.equal(run.env['TAP_JOBS'], String(tap), `${cores} cores: ${tap} test files at once per target`);
    t.same(run.checks, ['--parallel=1'], `${cores} cores: one lint or typecheck at a time`);
  }
});

t.test('what the caller chose is kept', async (t) => {
  const given = parallelism(2, ['--parallel=4', '-p', 'web'], {});
  t.same(given.tests, ['--parallel=4', '-p', 'web'], '--parallel given: the test lane');
  t.same(given.checks, ['--parallel=4', '-p', 'web'], '--parallel given: the check lane');
  t.same(parallelism(2, ['--parallel', '3'], {}).tests, ['--parallel', '3']);
  t.same(parallelism(2, ['-p', 'web'], {}).checks, ['--parallel=1', '-p', 'web'], 'other arguments reach both lanes');
  const fromEnv = parallelism(8, [], { TAP_JOBS: '1', PATH: '/bin' });
  t.same(
    fromEnv,
    { checks: ['--parallel=1'], tests: ['--parallel=8'], env: { TAP_JOBS: '1', PATH: '/bin' } },
    'TAP_JOBS given: Nx fills the cores',
  );
  t.throws(() => parallelism(2, [], { TAP_JOBS: 'many' }), /TAP_JOBS=many is not a positive integer/);
});
