import t from 'tap';
import { declaredProgram } from '../ci/declared.js';
import { runPolicies } from '../policy-harness.js';

const { recorded } = declaredProgram('dev');

t.test('stack dev passes the whole policy pack', async (t) => {
  t.same(await runPolicies(recorded), [], 'zero violations');
});
