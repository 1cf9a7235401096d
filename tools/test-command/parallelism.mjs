/**
 * How much `npm test` runs at once, from the cores this process may use. Nx runs that many targets
 * at once (`--parallel`) and tap runs that many test files at once per test target (`TAP_JOBS`),
 * so the two multiply: at their defaults (Nx 3, tap one per core) a 2-core machine runs 6 test
 * files plus lint and typecheck at once, and the slowest files come near their timeouts. Here tap
 * runs up to 2 files per target (a test file mostly waits on the processes it starts), and Nx as
 * many targets as leave that within the cores: 2 cores -> 1 target x 2 files, 8 -> 4 x 2.
 * An explicit `--parallel` argument or a TAP_JOBS in the environment is kept as given.
 */

/**
 * @param {number} cores os.availableParallelism()
 * @param {string[]} args the extra `nx run-many` arguments
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ nxArgs: string[], env: NodeJS.ProcessEnv }}
 */
export function parallelism(cores, args, env) {
  const usable = Math.max(1, Math.floor(cores));
  const tapJobs = env['TAP_JOBS'] ? Number(env['TAP_JOBS']) : Math.min(2, usable);
  if (!Number.isInteger(tapJobs) || tapJobs < 1)
    throw new Error(`TAP_JOBS=${env['TAP_JOBS']} is not a positive integer`);
  const given = args.some((a) => a === '--parallel' || a.startsWith('--parallel='));
  const nxParallel = Math.max(1, Math.floor(usable / tapJobs));
  return {
    nxArgs: given ? args : [`--parallel=${nxParallel}`, ...args],
    env: { ...env, TAP_JOBS: String(tapJobs) },
  };
}
