/**
 * How much `npm test` runs at once, from the cores this process may use. It runs two Nx lanes side
 * by side once the builds are done: the checks (lint and typecheck: one ESLint or tsc process at a
 * time, each using one core) and the tests. In the test lane Nx runs `--parallel` targets at once
 * and tap runs TAP_JOBS test files at once per target, so the two multiply: at their defaults (Nx
 * 3, tap one per core) a 2-core machine runs 6 test files at once, and the slowest files come near
 * their timeouts. Here tap runs up to 2 files per target (a test file mostly waits on the
 * processes it starts) and Nx as many test targets as leave that within the cores: 2 cores -> 1
 * target x 2 files, 8 -> 4 x 2. The check lane's one process fills what the test files leave idle;
 * run after the tests instead, it kept one of two cores idle for about two minutes.
 * An explicit `--parallel` argument (applied to both lanes) or a TAP_JOBS in the environment is
 * kept as given.
 */

/**
 * @param {number} cores os.availableParallelism()
 * @param {string[]} args the extra `nx run-many` arguments
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ checks: string[], tests: string[], env: NodeJS.ProcessEnv }} the `nx run-many`
 *   arguments of each lane after the target list, and the environment of both
 */
export function parallelism(cores, args, env) {
  const usable = Math.max(1, Math.floor(cores));
  const tapJobs = env['TAP_JOBS'] ? Number(env['TAP_JOBS']) : Math.min(2, usable);
  if (!Number.isInteger(tapJobs) || tapJobs < 1)
    throw new Error(`TAP_JOBS=${env['TAP_JOBS']} is not a positive integer`);
  const given = args.some((a) => a === '--parallel' || a.startsWith('--parallel='));
  const nxParallel = Math.max(1, Math.floor(usable / tapJobs));
  return {
    checks: given ? args : ['--parallel=1', ...args],
    tests: given ? args : [`--parallel=${nxParallel}`, ...args],
    env: { ...env, TAP_JOBS: String(tapJobs) },
  };
}
