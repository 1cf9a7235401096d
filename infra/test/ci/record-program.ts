/**
 * Records what the program declares for one stack under the mocks: every resource as registered
 * (inputs, computed state, graph fields), every output and every provider function it called.
 * `released` runs it as it is once the web app has a release (system/released.ts). Its own
 * process (the program reads its stack on import); declared-cache.ts runs it:
 *   node <loader args> record-program.ts dev '{"zumo:waf":true}' committed|released <out.json>
 */
import { writeFileSync } from 'node:fs';
import { installMocks, invokedCalls } from '../mocks.js';
import { runProgram } from '../run-program.js';

const [stack, overrides, release, out] = process.argv.slice(2);
if ((stack !== 'dev' && stack !== 'prod') || (release !== 'committed' && release !== 'released') || !out)
  throw new Error(
    `usage: record-program.ts dev|prod <overrides JSON> committed|released <out.json> (got ${process.argv.slice(2).join(' ')})`,
  );
const mocks = installMocks(stack, JSON.parse(overrides ?? '{}') as Record<string, unknown>);
const { recorded, outputs } = release === 'released' ? await released(stack) : await runProgram(mocks);
const invokes = [...invokedCalls.values()].sort((a, b) =>
  `${a.token} ${a.resource}`.localeCompare(`${b.token} ${b.resource}`),
);
writeFileSync(out, JSON.stringify({ recorded, outputs, invokes }));

/** The released overlay replaces a module of the program: tap's module mocks do that, here outside a test. */
async function released(stack: 'dev' | 'prod') {
  const { default: t } = await import('tap');
  // A recording, not a test: no time limit of its own (the caller's applies).
  t.setTimeout(0);
  const { runReleasedProgram } = await import('../system/released.js');
  return runReleasedProgram(t, mocks, stack);
}
