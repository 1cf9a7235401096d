import t from 'tap';
import { declaredProgram } from '../ci/declared.js';
import { runPolicies } from '../policy-harness.js';

const { recorded } = declaredProgram('prod');

t.test('stack prod passes the whole policy pack', async (t) => {
  t.same(await runPolicies(recorded), [], 'zero violations');
});
