import t from 'tap';
import { installMocks } from './mocks.js';
import { runProgram } from './program-checks.js';
import { runPolicies } from './policy-harness.js';

// The program reads its stack when imported, so each stack runs in its own test process.
const { recorded } = await runProgram(installMocks('prod'));

t.test('stack prod passes the whole policy pack', async (t) => {
  t.same(await runPolicies(recorded), [], 'zero violations');
});
