/**
 * The verdict of `npm test` from what Nx printed: totals from the `# { total, pass, fail, ... }`
 * summary each tap run prints (Nx replays it for cached runs too), and the reasons the run fails
 * even when every counted test passed.
 */

/**
 * @typedef {object} Verdict
 * @property {number} passed
 * @property {number} failed  failing tests, plus one per other reason the run fails
 * @property {number} skipped skipped and todo tests (each printed its reason)
 * @property {string[]} problems why the run fails, one line each (empty when it passes)
 */

/**
 * @param {string} output everything Nx printed (stdout and stderr)
 * @param {number} exitCode Nx's exit code
 * @returns {Verdict}
 */
export function verdict(output, exitCode) {
  const totals = { pass: 0, fail: 0, skip: 0, todo: 0 };
  for (const match of output.matchAll(/^# \{ total: \d+[^}]*\}$/gm)) {
    for (const [, key, value] of match[0].matchAll(/(\w+): (\d+)/g)) {
      if (key !== undefined && key in totals) totals[/** @type {keyof typeof totals} */ (key)] += Number(value);
    }
  }
  const problems = [];
  // A skip must say why: `# SKIP` (or `# TODO`) with nothing after it is a failure here.
  for (const [line] of output.matchAll(/^\s*(?:not )?ok \d+.*# (?:SKIP|TODO)\s*$/gim)) {
    problems.push(`skipped without a reason: ${line.trim()}`);
  }
  if (totals.pass === 0) problems.push('no test ran');
  if (exitCode !== 0 && totals.fail === 0) {
    problems.push(`nx exited with code ${exitCode} (a lint, typecheck, build or test target failed)`);
  }
  const extra = problems.length;
  return { passed: totals.pass, failed: totals.fail + extra, skipped: totals.skip + totals.todo, problems };
}

/**
 * The one totals line, alone on its line: `N passed, N failed`, then `, N skipped` when any were.
 * @param {Verdict} v
 */
export function totalsLine(v) {
  return `${v.passed} passed, ${v.failed} failed${v.skipped > 0 ? `, ${v.skipped} skipped` : ''}`;
}
