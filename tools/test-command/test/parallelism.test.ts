import t from 'tap';
import { parallelism } from '../parallelism.mjs';

t.test('Nx targets times tap files stays within the cores', async (t) => {
  for (const [cores, nx, tap] of [
    [1, 1, 1],
    [2, 1, 2],
    [4, 2, 2],
    [8, 4, 2],
    [3, 1, 2],
  ] as const) {
    const run = parallelism(cores, [], {});
    t.same(run.nxArgs, [`--parallel=${nx}`], `${cores} cores: ${nx} Nx targets at once`);
    t.equal(run.env['TAP_JOBS'], String(tap), `${cores} cores: ${tap} test files at once per target`);
  }
});

t.test('what the caller chose is kept', async (t) => {
  t.same(parallelism(2, ['--parallel=4', '-p', 'web'], {}).nxArgs, ['--parallel=4', '-p', 'web'], '--parallel given');
  t.same(parallelism(2, ['--parallel', '3'], {}).nxArgs, ['--parallel', '3']);
  const fromEnv = parallelism(8, [], { TAP_JOBS: '1', PATH: '/bin' });
  t.same(
    fromEnv,
    { nxArgs: ['--parallel=8'], env: { TAP_JOBS: '1', PATH: '/bin' } },
    'TAP_JOBS given: Nx fills the cores',
  );
  t.throws(() => parallelism(2, [], { TAP_JOBS: 'many' }), /TAP_JOBS=many is not a positive integer/);
});
